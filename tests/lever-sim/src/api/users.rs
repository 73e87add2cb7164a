//! `GET /users` and `GET /users/:id`.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::Value;

use super::{company, paginate, single};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::Params;
use crate::permissions::Permission;
use crate::render;
use crate::sim::Sim;

/// Lists users; deactivated ones only with `includeDeactivated=true`
/// (Lever's default leaves them out). Filters: `email`, `access_role`.
pub async fn list(State(sim): State<Sim>, caller: Caller, params: Params) -> ApiResult<Json<Value>> {
    let mut st = sim.lock();
    caller.require(&st, Permission::ListUsers)?;
    let include_deactivated = params.get("includeDeactivated") == Some("true");
    let email = params.get("email");
    let role = params.get("access_role");
    let items = company(&st, &caller)?
        .users
        .iter()
        .filter(|u| include_deactivated || u.deactivated_at.is_none())
        .filter(|u| email.is_none_or(|e| u.email.eq_ignore_ascii_case(e)))
        .filter(|u| role.is_none_or(|r| u.access_role == r))
        .map(render::user)
        .collect();
    paginate(&mut st, items, &params)
}

/// One user.
pub async fn get_one(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let st = sim.lock();
    caller.require(&st, Permission::GetUser)?;
    let c = company(&st, &caller)?;
    let u = c.user(&id).ok_or_else(|| ApiError::not_found(format!("User {id} not found")))?;
    Ok(single(render::user(u)))
}
