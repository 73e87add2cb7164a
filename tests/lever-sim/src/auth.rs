//! Who is calling the data API: the [`Caller`] extractor.
//!
//! In order: credentials (401), data centre (404), rate limit (429), then
//! injected faults (latency, 5xx). Handlers then check their endpoint's
//! permission with [`Caller::require`] (403).

use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use base64::Engine;

use crate::error::{ApiError, ApiResult};
use crate::model::{DataCentre, WebhookOwner};
use crate::permissions::{scopes_cover, Permission};
use crate::sim::Sim;
use crate::state::State;

/// How the caller authenticated.
#[derive(Debug, Clone)]
pub enum CallerKind {
    /// HTTP Basic with an API key.
    ApiKey(String),
    /// A bearer token of an OAuth grant.
    OAuth { grant_id: String, client_id: String },
}

/// An authenticated data API call.
#[derive(Debug, Clone)]
pub struct Caller {
    pub company_id: String,
    /// Statistics and rate limit key: `key:<api key>` or `grant:<grant id>`.
    pub credential: String,
    pub kind: CallerKind,
    pub dc: DataCentre,
}

impl Caller {
    /// 403 unless the credential may call the endpoint of `p`.
    pub fn require(&self, st: &State, p: Permission) -> ApiResult<()> {
        match &self.kind {
            CallerKind::ApiKey(key) => {
                let allowed = st.api_keys.get(key).is_some_and(|k| k.permissions.contains(&p));
                if allowed {
                    Ok(())
                } else {
                    Err(ApiError::forbidden(format!(
                        "This API key does not have permission to perform this action: {}",
                        p.name()
                    )))
                }
            }
            CallerKind::OAuth { grant_id, .. } => {
                let scopes = st.oauth.grants.get(grant_id).map(|g| g.scopes.clone()).unwrap_or_default();
                if scopes_cover(&scopes, p.scope()) {
                    Ok(())
                } else {
                    Err(ApiError::forbidden(format!(
                        "The access token lacks the scope {} needed to perform this action: {}",
                        p.scope(),
                        p.name()
                    )))
                }
            }
        }
    }

    /// Who owns webhooks this caller creates.
    pub fn webhook_owner(&self) -> WebhookOwner {
        match &self.kind {
            CallerKind::ApiKey(k) => WebhookOwner::ApiKey(k.clone()),
            CallerKind::OAuth { client_id, .. } => WebhookOwner::OAuthClient(client_id.clone()),
        }
    }
}

fn identify(st: &State, auth: Option<&str>, dc: DataCentre) -> ApiResult<Caller> {
    let auth = auth.ok_or_else(|| ApiError::unauthorized("Missing credentials"))?;
    let (scheme, value) = auth.split_once(' ').unwrap_or((auth, ""));
    let caller = if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .map_err(|_| ApiError::unauthorized("Malformed Basic credentials"))?;
        let text = String::from_utf8_lossy(&decoded);
        let key = text.split(':').next().unwrap_or_default();
        let k = st.api_keys.get(key).ok_or_else(|| ApiError::unauthorized("Invalid API key"))?;
        Caller {
            company_id: k.company_id.clone(),
            credential: format!("key:{key}"),
            kind: CallerKind::ApiKey(key.to_string()),
            dc,
        }
    } else if scheme.eq_ignore_ascii_case("bearer") {
        let t = st
            .oauth
            .access_tokens
            .get(value.trim())
            .filter(|t| t.expires > Instant::now())
            .ok_or_else(|| ApiError::unauthorized("Invalid or expired access token"))?;
        let g = st
            .oauth
            .grants
            .get(&t.grant_id)
            .filter(|g| !g.revoked)
            .ok_or_else(|| ApiError::unauthorized("Access token revoked"))?;
        Caller {
            company_id: g.company_id.clone(),
            credential: format!("grant:{}", g.id),
            kind: CallerKind::OAuth { grant_id: g.id.clone(), client_id: g.client_id.clone() },
            dc,
        }
    } else {
        return Err(ApiError::unauthorized("Unsupported authorization scheme"));
    };
    let company = st.company(&caller.company_id)?;
    if company.data_centre != dc {
        // The other data centre does not know this account.
        return Err(ApiError::not_found("Not found"));
    }
    Ok(caller)
}

impl FromRequestParts<Sim> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, sim: &Sim) -> Result<Self, Self::Rejection> {
        let dc =
            parts.extensions.get::<DataCentre>().copied().ok_or_else(|| ApiError::not_found("Not found"))?;
        let auth = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_string);
        let (latency, outcome) = {
            let mut st = sim.lock();
            let caller = match identify(&st, auth.as_deref(), dc) {
                Ok(caller) => caller,
                Err(e) => {
                    if e.status == StatusCode::UNAUTHORIZED {
                        st.unauthorized += 1;
                    }
                    return Err(e);
                }
            };
            if let Some(slot) = parts.extensions.get::<crate::calls::CredentialSlot>() {
                slot.set(&caller.credential);
            }
            let (rate, burst, send_retry_after) =
                (st.settings.rate_per_second, st.settings.rate_burst, st.settings.send_retry_after);
            let outcome = match st.limiter.check(&caller.credential, rate, burst) {
                Err(secs) => Err(ApiError::too_many_requests(send_retry_after.then_some(secs))),
                Ok(()) => match st.faults.take_failure() {
                    Some(code) => Err(ApiError::injected(
                        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    )),
                    None => Ok(caller),
                },
            };
            if let Ok(caller) = &outcome {
                if parts.method != axum::http::Method::GET {
                    st.limiter.record_write(&caller.credential);
                }
            }
            (st.faults.latency_ms, outcome)
        };
        if latency > 0 {
            tokio::time::sleep(Duration::from_millis(latency)).await;
        }
        outcome
    }
}
