//! The webhooks API. A caller sees and deletes only the webhooks its own
//! credential (API key or OAuth client) made; UI-made ones are invisible.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use super::{company, paginate, single};
use crate::auth::Caller;
use crate::credentials::random_token;
use crate::error::{ApiError, ApiResult};
use crate::extract::{JsonBody, Params};
use crate::model::{new_id, now_ms, Webhook, WEBHOOK_EVENTS};
use crate::permissions::Permission;
use crate::render;
use crate::sim::Sim;

/// `GET /webhooks`.
pub async fn list(State(sim): State<Sim>, caller: Caller, params: Params) -> ApiResult<Json<Value>> {
    let mut st = sim.lock();
    caller.require(&st, Permission::ListWebhooks)?;
    let owner = caller.webhook_owner();
    let items =
        company(&st, &caller)?.webhooks.iter().filter(|w| w.owner == owner).map(render::webhook).collect();
    paginate(&mut st, items, &params)
}

/// Body of `POST /webhooks`.
#[derive(Debug, Deserialize)]
pub struct CreateBody {
    event: Option<String>,
    url: Option<String>,
    #[serde(default)]
    configuration: Option<Value>,
}

/// `POST /webhooks`: 201 with `configuration.signatureToken`.
pub async fn create(
    State(sim): State<Sim>,
    caller: Caller,
    JsonBody(body): JsonBody<CreateBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut st = sim.lock();
    caller.require(&st, Permission::CreateWebhook)?;
    let event = body.event.filter(|e| WEBHOOK_EVENTS.contains(&e.as_str())).ok_or_else(|| {
        ApiError::bad_request(format!("event must be one of {}", WEBHOOK_EVENTS.join(", ")))
    })?;
    let url = body
        .url
        .filter(|u| url::Url::parse(u).is_ok_and(|p| p.scheme() == "https" || p.scheme() == "http"))
        .ok_or_else(|| ApiError::bad_request("url must be an absolute http(s) URL"))?;
    let conditions = body.configuration.as_ref().and_then(|c| c.get("conditions")).cloned();
    let webhook = Webhook {
        id: new_id(),
        event,
        url,
        signature_token: random_token(32),
        conditions,
        owner: caller.webhook_owner(),
        created_at: now_ms(),
    };
    st.company_mut(&caller.company_id)?.webhooks.push(webhook.clone());
    Ok((StatusCode::CREATED, single(render::webhook(&webhook))))
}

/// `DELETE /webhooks/:id`: 204; another credential's or a UI webhook is 404.
pub async fn delete(State(sim): State<Sim>, caller: Caller, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let mut st = sim.lock();
    caller.require(&st, Permission::DeleteWebhook)?;
    let owner = caller.webhook_owner();
    let c = st.company_mut(&caller.company_id)?;
    let pos = c
        .webhooks
        .iter()
        .position(|w| w.id == id && w.owner == owner)
        .ok_or_else(|| ApiError::not_found(format!("Webhook {id} not found")))?;
    c.webhooks.remove(pos);
    Ok(StatusCode::NO_CONTENT)
}
