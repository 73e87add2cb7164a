//! Reference data: postings, stages, archive reasons.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use super::{company, paginate, single};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::Params;
use crate::permissions::Permission;
use crate::render;
use crate::sim::Sim;

/// Lists postings. Filters: `state`, `tag`.
pub async fn list_postings(State(sim): State<Sim>, caller: Caller, params: Params) -> ApiResult<Json<Value>> {
    let mut st = sim.lock();
    caller.require(&st, Permission::ListPostings)?;
    let state = params.get("state");
    let tag = params.get("tag");
    let c = company(&st, &caller)?;
    let items = c
        .postings
        .iter()
        .filter(|p| state.is_none_or(|s| p.state == s))
        .filter(|p| tag.is_none_or(|t| p.tags.iter().any(|x| x == t)))
        .map(|p| render::posting(c, p))
        .collect();
    paginate(&mut st, items, &params)
}

/// One posting.
pub async fn get_posting(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let st = sim.lock();
    caller.require(&st, Permission::GetPosting)?;
    let c = company(&st, &caller)?;
    let p = c.posting(&id).ok_or_else(|| ApiError::not_found(format!("Posting {id} not found")))?;
    Ok(single(render::posting(c, p)))
}

/// Lists the pipeline's stages.
pub async fn list_stages(State(sim): State<Sim>, caller: Caller, params: Params) -> ApiResult<Json<Value>> {
    let mut st = sim.lock();
    caller.require(&st, Permission::ListStages)?;
    let items = company(&st, &caller)?.stages.iter().map(|s| json!({"id": s.id, "text": s.text})).collect();
    paginate(&mut st, items, &params)
}

/// Lists archive reasons (`status` is `hired` or `non-hired`).
pub async fn list_archive_reasons(
    State(sim): State<Sim>,
    caller: Caller,
    params: Params,
) -> ApiResult<Json<Value>> {
    let mut st = sim.lock();
    caller.require(&st, Permission::ListArchiveReasons)?;
    let items = company(&st, &caller)?
        .archive_reasons
        .iter()
        .map(|r| json!({"id": r.id, "text": r.text, "status": r.status}))
        .collect();
    paginate(&mut st, items, &params)
}
