//! The simulated data API (`/{us,eu,sandbox}/v1/...`): the routes and the
//! helpers they share (envelopes, pagination, `perform_as`).

mod notes;
mod opportunities;
mod reference;
mod tags;
mod users;
mod webhooks;

use axum::routing::{delete, get, post};
use axum::{Extension, Router};
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::extract::Params;
use crate::model::{Company, DataCentre, Posting};
use crate::sim::Sim;
use crate::state::State;

/// The data API of one environment (to be nested under `/{env}/v1`).
pub fn router(dc: DataCentre) -> Router<Sim> {
    Router::new()
        .route("/users", get(users::list))
        .route("/users/{id}", get(users::get_one))
        .route("/postings", get(reference::list_postings))
        .route("/postings/{id}", get(reference::get_posting))
        .route("/stages", get(reference::list_stages))
        .route("/archive_reasons", get(reference::list_archive_reasons))
        .route("/opportunities", get(opportunities::list).post(opportunities::create))
        .route("/opportunities/{id}", get(opportunities::get_one))
        .route("/opportunities/{id}/applications", get(opportunities::applications))
        .route("/opportunities/{id}/addTags", post(tags::add))
        .route("/opportunities/{id}/removeTags", post(tags::remove))
        .route("/opportunities/{id}/addLinks", post(opportunities::add_links))
        .route("/opportunities/{id}/removeLinks", post(opportunities::remove_links))
        .route("/opportunities/{id}/notes", get(notes::list).post(notes::create))
        .route("/opportunities/{id}/notes/{note}", delete(notes::delete))
        .route("/tags", get(tags::list))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/webhooks/{id}", delete(webhooks::delete))
        .fallback(|| async { ApiError::not_found("Not found") })
        .layer(Extension(dc))
}

/// `{"data": ...}`.
pub fn single(data: Value) -> axum::Json<Value> {
    axum::Json(json!({ "data": data }))
}

/// A page of `items` as `{"data": [...], "hasNext": bool, "next": token}`,
/// honouring `limit` (1–100, default 100) and an opaque `offset` token.
pub fn paginate(st: &mut State, items: Vec<Value>, params: &Params) -> ApiResult<axum::Json<Value>> {
    let limit = match params.get("limit") {
        None => 100,
        Some(s) => s.parse::<usize>().ok().filter(|n| (1..=100).contains(n)).ok_or_else(|| {
            ApiError::bad_request(format!("limit must be an integer from 1 to 100, got {s:?}"))
        })?,
    };
    let start = match params.get("offset") {
        None | Some("") => 0,
        Some(token) => st.resolve_page_token(token)?,
    };
    let start = start.min(items.len());
    let end = (start + limit).min(items.len());
    let has_next = end < items.len();
    let page: Vec<Value> = items[start..end].to_vec();
    let mut body = json!({ "data": page, "hasNext": has_next });
    if has_next {
        body["next"] = json!(st.page_token(end));
    }
    Ok(axum::Json(body))
}

/// Roles that only see candidates of postings they are on.
const LIMITED_ROLES: [&str; 2] = ["limited team member", "interviewer"];

/// The `perform_as` user of a write: 400 when missing or unknown, 403 when
/// the user is deactivated or has no access to the postings involved.
pub fn perform_as(c: &Company, params: &Params, postings: &[&Posting]) -> ApiResult<String> {
    let id = params
        .get("perform_as")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::bad_request("perform_as is required for this request"))?;
    let user = c.user(id).ok_or_else(|| ApiError::bad_request(format!("perform_as: unknown user {id}")))?;
    if user.deactivated_at.is_some() {
        return Err(ApiError::forbidden(format!(
            "User {id} cannot perform this action: the user is deactivated"
        )));
    }
    if LIMITED_ROLES.contains(&user.access_role.as_str()) {
        let on_posting = postings.iter().any(|p| {
            p.owner.as_deref() == Some(id)
                || p.hiring_manager.as_deref() == Some(id)
                || p.followers.iter().any(|f| f == id)
        });
        if !on_posting {
            return Err(ApiError::forbidden(format!(
                "User {id} cannot perform this action: the user ({}) has no access to this candidate",
                user.access_role
            )));
        }
    }
    Ok(id.to_string())
}

/// The caller's company (it exists: the caller was just authenticated).
pub fn company<'a>(st: &'a State, caller: &crate::auth::Caller) -> ApiResult<&'a Company> {
    st.company(&caller.company_id)
}

/// 404 for an unknown opportunity.
pub fn opp_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Opportunity {id} not found"))
}
