//! Tags: add and remove on an opportunity, and the company's tag list.
//!
//! A tag exists in the list while something (a posting or an opportunity)
//! carries it; `count` is the number of carriers.

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

use super::{company, opp_not_found, paginate, perform_as, single};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{JsonBody, Params};
use crate::permissions::Permission;
use crate::render;
use crate::sim::Sim;

/// Body of `addTags` / `removeTags`.
#[derive(Debug, Deserialize)]
pub struct TagsBody {
    tags: Option<Vec<String>>,
}

async fn change(
    sim: Sim,
    caller: Caller,
    id: String,
    params: Params,
    body: TagsBody,
    add: bool,
) -> ApiResult<Json<Value>> {
    let mut st = sim.lock();
    caller.require(&st, if add { Permission::AddTags } else { Permission::RemoveTags })?;
    let tags = body.tags.ok_or_else(|| ApiError::bad_request("tags is required (an array of strings)"))?;
    if tags.iter().any(|t| t.trim().is_empty()) {
        return Err(ApiError::bad_request("tags must not be empty strings"));
    }
    let c = company(&st, &caller)?;
    let o = c.opportunity(&id).ok_or_else(|| opp_not_found(&id))?;
    let actor = perform_as(c, &params, &c.postings_of(o))?;
    let cid = caller.company_id.clone();
    if add {
        st.add_tags(&cid, &id, &tags, Some(&actor))?;
    } else {
        st.remove_tags(&cid, &id, &tags)?;
    }
    let c = company(&st, &caller)?;
    let o = c.opportunity(&id).ok_or_else(|| opp_not_found(&id))?;
    Ok(single(render::opportunity(c, o, false)))
}

/// `POST /opportunities/:id/addTags?perform_as=`.
pub async fn add(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
    JsonBody(body): JsonBody<TagsBody>,
) -> ApiResult<Json<Value>> {
    change(sim, caller, id, params, body, true).await
}

/// `POST /opportunities/:id/removeTags?perform_as=`.
pub async fn remove(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
    JsonBody(body): JsonBody<TagsBody>,
) -> ApiResult<Json<Value>> {
    change(sim, caller, id, params, body, false).await
}

/// `GET /tags`: `[{text, count}]`, sorted by text.
pub async fn list(State(sim): State<Sim>, caller: Caller, params: Params) -> ApiResult<Json<Value>> {
    let mut st = sim.lock();
    caller.require(&st, Permission::ListTags)?;
    let c = company(&st, &caller)?;
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for p in &c.postings {
        for t in &p.tags {
            *counts.entry(t.clone()).or_default() += 1;
        }
    }
    for o in &c.opportunities {
        for t in c.effective_tags(o) {
            *counts.entry(t).or_default() += 1;
        }
    }
    let items = counts.into_iter().map(|(text, count)| json!({"text": text, "count": count})).collect();
    paginate(&mut st, items, &params)
}
