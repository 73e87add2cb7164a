//! The control API under `/_sim/`: JSON in, JSON out, no authentication.
//! Each route is a thin wrapper over a method of [`Sim`] (see
//! [`crate::ops`]); the README lists them all.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

use crate::error::{ApiError, ApiResult};
use crate::extract::{JsonBody, Params};
use crate::inputs::{NewApiKey, NewCandidate, NewCompany, NewPosting, NewStage, NewUser};
use crate::permissions::TABLE;
use crate::render;
use crate::seed::{ClientSeed, Seed};
use crate::sim::Sim;

type J = ApiResult<Json<Value>>;

fn ok<T: serde::Serialize>(v: T) -> J {
    serde_json::to_value(v).map(Json).map_err(|e| ApiError::bad_request(e.to_string()))
}

/// Merges a JSON patch object into a serializable value.
fn patch<T: serde::Serialize + serde::de::DeserializeOwned>(current: &T, p: Value) -> ApiResult<T> {
    let mut v = serde_json::to_value(current).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let (Some(obj), Some(p)) = (v.as_object_mut(), p.as_object()) else {
        return Err(ApiError::bad_request("the body must be a JSON object"));
    };
    for (k, val) in p {
        obj.insert(k.clone(), val.clone());
    }
    serde_json::from_value(v).map_err(|e| ApiError::bad_request(e.to_string()))
}

/// The `/_sim` routes.
pub fn router() -> Router<Sim> {
    Router::new()
        .route("/_sim/health", get(|| async { "ok" }))
        .route("/_sim/permissions", get(permissions))
        .route("/_sim/seed", post(seed))
        .route("/_sim/companies", get(companies).post(create_company))
        .route("/_sim/companies/{c}", get(company))
        .route("/_sim/companies/{c}/users", post(add_user))
        .route("/_sim/companies/{c}/users/{u}/deactivate", post(deactivate))
        .route("/_sim/companies/{c}/users/{u}/reactivate", post(reactivate))
        .route("/_sim/companies/{c}/postings", post(add_posting))
        .route("/_sim/companies/{c}/postings/{p}/tags", post(set_posting_tags))
        .route("/_sim/companies/{c}/stages", post(add_stage))
        .route("/_sim/companies/{c}/candidates", post(create_candidate))
        .route("/_sim/companies/{c}/candidates/{o}", get(candidate))
        .route("/_sim/companies/{c}/candidates/{o}/move", post(move_candidate))
        .route("/_sim/companies/{c}/candidates/{o}/hire", post(hire))
        .route("/_sim/companies/{c}/candidates/{o}/archive", post(archive))
        .route("/_sim/companies/{c}/candidates/{o}/unarchive", post(unarchive))
        .route("/_sim/companies/{c}/candidates/{o}/delete", post(delete_candidate))
        .route("/_sim/companies/{c}/candidates/{o}/emails", post(set_emails))
        .route("/_sim/companies/{c}/candidates/{o}/tags", get(tags))
        .route("/_sim/companies/{c}/candidates/{o}/notes", get(notes))
        .route("/_sim/companies/{c}/api-keys", post(create_key))
        .route("/_sim/api-keys/{k}/remove-permission", post(remove_permission))
        .route("/_sim/api-keys/{k}/grant-permission", post(grant_permission))
        .route("/_sim/companies/{c}/webhooks", get(webhooks).post(add_ui_webhook))
        .route("/_sim/companies/{c}/webhooks/{w}", axum::routing::delete(remove_webhook))
        .route("/_sim/companies/{c}/webhooks/{w}/test", post(test_delivery))
        .route("/_sim/oauth/clients", get(clients).post(register_client))
        .route("/_sim/oauth/grants", get(grants))
        .route("/_sim/oauth/token-lifetime", post(token_lifetime))
        .route("/_sim/oauth/revoke", post(revoke))
        .route("/_sim/oauth/expire", post(expire))
        .route("/_sim/deliveries", get(deliveries))
        .route("/_sim/deliveries/flush", post(flush))
        .route("/_sim/stats", get(stats))
        .route("/_sim/stats/reset", post(reset_stats))
        .route("/_sim/calls", get(calls))
        .route("/_sim/faults", get(faults).post(set_faults))
        .route("/_sim/faults/reset", post(reset_faults))
        .route("/_sim/settings", get(settings).post(set_settings))
}

async fn permissions() -> J {
    ok(TABLE
        .iter()
        .map(|(_, name, scope, route)| json!({"name": name, "scope": scope, "endpoint": route}))
        .collect::<Vec<_>>())
}

async fn seed(State(sim): State<Sim>, JsonBody(s): JsonBody<Seed>) -> J {
    sim.apply_seed(s)?;
    ok(sim.companies())
}

async fn companies(State(sim): State<Sim>) -> J {
    ok(sim.companies())
}

async fn create_company(
    State(sim): State<Sim>,
    JsonBody(b): JsonBody<NewCompany>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok((StatusCode::CREATED, ok(sim.create_company(b)?)?))
}

async fn company(State(sim): State<Sim>, Path(c): Path<String>) -> J {
    ok(sim.company_info(&c)?)
}

async fn add_user(State(sim): State<Sim>, Path(c): Path<String>, JsonBody(b): JsonBody<NewUser>) -> J {
    ok(sim.add_user(&c, b)?)
}

async fn deactivate(State(sim): State<Sim>, Path((c, u)): Path<(String, String)>) -> J {
    ok(sim.set_user_active(&c, &u, false)?)
}

async fn reactivate(State(sim): State<Sim>, Path((c, u)): Path<(String, String)>) -> J {
    ok(sim.set_user_active(&c, &u, true)?)
}

async fn add_posting(State(sim): State<Sim>, Path(c): Path<String>, JsonBody(b): JsonBody<NewPosting>) -> J {
    ok(sim.add_posting(&c, b)?)
}

#[derive(Deserialize)]
struct TagsBody {
    tags: Vec<String>,
}

async fn set_posting_tags(
    State(sim): State<Sim>,
    Path((c, p)): Path<(String, String)>,
    JsonBody(b): JsonBody<TagsBody>,
) -> J {
    ok(sim.set_posting_tags(&c, &p, b.tags)?)
}

async fn add_stage(State(sim): State<Sim>, Path(c): Path<String>, JsonBody(b): JsonBody<NewStage>) -> J {
    ok(sim.add_stage(&c, b)?)
}

fn opportunity_json(sim: &Sim, c: &str, o: &str) -> J {
    let st = sim.lock();
    let company = st.company(c)?;
    let opp =
        company.opportunity(o).ok_or_else(|| ApiError::not_found(format!("opportunity {o} not found")))?;
    let mut v = render::opportunity(company, opp, true);
    v["ownTags"] = serde_json::to_value(&opp.tags).unwrap_or_default();
    v["notes"] = serde_json::to_value(&opp.notes).unwrap_or_default();
    Ok(Json(v))
}

async fn create_candidate(
    State(sim): State<Sim>,
    Path(c): Path<String>,
    JsonBody(b): JsonBody<NewCandidate>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let opp = sim.create_candidate(&c, b)?;
    Ok((StatusCode::CREATED, opportunity_json(&sim, &c, &opp.id)?))
}

async fn candidate(State(sim): State<Sim>, Path((c, o)): Path<(String, String)>) -> J {
    opportunity_json(&sim, &c, &o)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MoveBody {
    #[serde(alias = "stage")]
    stage_id: String,
    #[serde(default)]
    user_id: Option<String>,
}

async fn move_candidate(
    State(sim): State<Sim>,
    Path((c, o)): Path<(String, String)>,
    JsonBody(b): JsonBody<MoveBody>,
) -> J {
    sim.move_candidate(&c, &o, &b.stage_id, b.user_id.as_deref())?;
    opportunity_json(&sim, &c, &o)
}

async fn hire(State(sim): State<Sim>, Path((c, o)): Path<(String, String)>) -> J {
    sim.hire_candidate(&c, &o)?;
    opportunity_json(&sim, &c, &o)
}

#[derive(Deserialize)]
struct ArchiveBody {
    reason: String,
}

async fn archive(
    State(sim): State<Sim>,
    Path((c, o)): Path<(String, String)>,
    JsonBody(b): JsonBody<ArchiveBody>,
) -> J {
    sim.archive_candidate(&c, &o, Some(&b.reason))?;
    opportunity_json(&sim, &c, &o)
}

async fn unarchive(State(sim): State<Sim>, Path((c, o)): Path<(String, String)>) -> J {
    sim.archive_candidate(&c, &o, None)?;
    opportunity_json(&sim, &c, &o)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct UserBody {
    #[serde(default)]
    user_id: Option<String>,
}

async fn delete_candidate(
    State(sim): State<Sim>,
    Path((c, o)): Path<(String, String)>,
    JsonBody(b): JsonBody<UserBody>,
) -> J {
    sim.delete_candidate(&c, &o, b.user_id.as_deref())?;
    ok(json!({"deleted": o}))
}

#[derive(Deserialize)]
struct EmailsBody {
    emails: Vec<String>,
}

async fn set_emails(
    State(sim): State<Sim>,
    Path((c, o)): Path<(String, String)>,
    JsonBody(b): JsonBody<EmailsBody>,
) -> J {
    sim.set_candidate_emails(&c, &o, b.emails)?;
    opportunity_json(&sim, &c, &o)
}

async fn tags(State(sim): State<Sim>, Path((c, o)): Path<(String, String)>) -> J {
    ok(sim.opportunity_tags(&c, &o)?)
}

async fn notes(State(sim): State<Sim>, Path((c, o)): Path<(String, String)>) -> J {
    ok(sim.opportunity_notes(&c, &o)?)
}

async fn create_key(
    State(sim): State<Sim>,
    Path(c): Path<String>,
    JsonBody(b): JsonBody<NewApiKey>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok((StatusCode::CREATED, ok(sim.create_api_key(&c, b)?)?))
}

#[derive(Deserialize)]
struct PermissionBody {
    permission: String,
}

async fn remove_permission(
    State(sim): State<Sim>,
    Path(k): Path<String>,
    JsonBody(b): JsonBody<PermissionBody>,
) -> J {
    ok(sim.set_key_permission(&k, &b.permission, false)?)
}

async fn grant_permission(
    State(sim): State<Sim>,
    Path(k): Path<String>,
    JsonBody(b): JsonBody<PermissionBody>,
) -> J {
    ok(sim.set_key_permission(&k, &b.permission, true)?)
}

async fn webhooks(State(sim): State<Sim>, Path(c): Path<String>) -> J {
    ok(sim.webhooks(&c)?)
}

async fn remove_webhook(State(sim): State<Sim>, Path((c, w)): Path<(String, String)>) -> J {
    ok(serde_json::json!({ "removed": sim.remove_webhook(&c, &w)? }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UiWebhookBody {
    event: String,
    url: String,
    signature_token: String,
}

async fn add_ui_webhook(
    State(sim): State<Sim>,
    Path(c): Path<String>,
    JsonBody(b): JsonBody<UiWebhookBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let w = sim.add_ui_webhook(&c, &b.event, &b.url, &b.signature_token)?;
    Ok((StatusCode::CREATED, ok(w)?))
}

async fn test_delivery(State(sim): State<Sim>, Path((c, w)): Path<(String, String)>) -> J {
    let id = sim.send_test_delivery(&c, &w).map_err(ApiError::not_found)?;
    ok(json!({"deliveryId": id}))
}

async fn clients(State(sim): State<Sim>) -> J {
    ok(sim.lock().oauth.clients.values().cloned().collect::<Vec<_>>())
}

async fn register_client(
    State(sim): State<Sim>,
    JsonBody(b): JsonBody<ClientSeed>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok((StatusCode::CREATED, ok(sim.register_client(b)?)?))
}

async fn grants(State(sim): State<Sim>) -> J {
    ok(sim.grants())
}

#[derive(Deserialize)]
struct LifetimeBody {
    seconds: f64,
}

async fn token_lifetime(State(sim): State<Sim>, JsonBody(b): JsonBody<LifetimeBody>) -> J {
    if !(b.seconds > 0.0 && b.seconds.is_finite()) {
        return Err(ApiError::bad_request("seconds must be > 0"));
    }
    sim.set_access_token_ttl(Duration::from_secs_f64(b.seconds));
    ok(sim.settings())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GrantBody {
    company_id: String,
    client_id: String,
}

async fn revoke(State(sim): State<Sim>, JsonBody(b): JsonBody<GrantBody>) -> J {
    if !sim.revoke_grant(&b.company_id, &b.client_id) {
        return Err(ApiError::not_found("no grant for that company and client"));
    }
    ok(json!({"revoked": true}))
}

async fn expire(State(sim): State<Sim>, JsonBody(b): JsonBody<GrantBody>) -> J {
    ok(json!({"expired": sim.expire_access_tokens(&b.company_id, &b.client_id)}))
}

async fn deliveries(State(sim): State<Sim>, params: Params) -> J {
    let event = params.get("event");
    let opp = params.get("opportunityId");
    let list: Vec<_> = sim
        .deliveries()
        .into_iter()
        .filter(|d| event.is_none_or(|e| d.event == e))
        .filter(|d| opp.is_none_or(|o| d.opportunity_id.as_deref() == Some(o)))
        .collect();
    ok(list)
}

async fn flush(State(sim): State<Sim>) -> J {
    ok(json!({"released": sim.flush_held()}))
}

async fn stats(State(sim): State<Sim>) -> J {
    ok(sim.stats())
}

async fn calls(State(sim): State<Sim>, params: Params) -> J {
    let after = match params.get("after") {
        None | Some("") => 0,
        Some(n) => n.parse::<u64>().map_err(|_| {
            ApiError::bad_request(format!("after must be a record's seq (a whole number), got {n:?}"))
        })?,
    };
    ok(sim.calls(after))
}

async fn reset_stats(State(sim): State<Sim>) -> J {
    sim.reset_stats();
    ok(sim.stats())
}

async fn faults(State(sim): State<Sim>) -> J {
    ok(sim.faults())
}

async fn set_faults(State(sim): State<Sim>, JsonBody(p): JsonBody<Value>) -> J {
    let f = patch(&sim.faults(), p)?;
    sim.set_faults(f)?;
    ok(sim.faults())
}

async fn reset_faults(State(sim): State<Sim>) -> J {
    sim.set_faults(Default::default())?;
    ok(sim.faults())
}

async fn settings(State(sim): State<Sim>) -> J {
    ok(sim.settings())
}

async fn set_settings(State(sim): State<Sim>, JsonBody(p): JsonBody<Value>) -> J {
    let s = patch(&sim.settings(), p)?;
    sim.set_settings(s)?;
    ok(sim.settings())
}
