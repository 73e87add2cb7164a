//! "Send test": a signed test delivery (no `opportunityId`, as Lever's own
//! "verify connection" sends) posted to this connection's public webhook
//! URL, so the admin sees the whole path work: public URL, route, signature
//! check with a stored token, inbox.
use chrono::Utc;
use entity::lever_connection;
use rand::RngCore;
use serde_json::json;

use super::webhook_setup::EVENTS;
use crate::domain::{DomainError, DomainResult};
use crate::webhooks::{sign, tokens};
use crate::AppState;

/// What the route answered.
pub struct TestOutcome {
    pub ok: bool,
    pub message: String,
}

pub async fn send(app: &AppState, connection: &lever_connection::Model) -> DomainResult<TestOutcome> {
    let org = connection.organization_id;
    let mut chosen = None;
    for event in EVENTS {
        let found = tokens::signing_tokens(&app.db, &app.secrets, org, connection.id, event).await?;
        if let Some(token) = found.into_iter().next() {
            chosen = Some((event, token));
            break;
        }
    }
    let Some((event, signing_token)) = chosen else {
        return Ok(TestOutcome {
            ok: false,
            message: "no signature token is stored yet: register the webhooks (Repair) or paste the tokens from Lever"
                .into(),
        });
    };
    let mut nonce = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let token = hex::encode(nonce);
    let triggered_at = Utc::now().timestamp_millis();
    let body = json!({
        "triggeredAt": triggered_at,
        "event": event,
        "token": token,
        "signature": sign(signing_token.expose(), &token, triggered_at),
        "data": {},
    });
    let url = app
        .config
        .public_url
        .join(&format!("webhooks/lever/{}", connection.id))
        .map_err(|e| DomainError::internal(e.to_string()))?;
    let answer = reqwest::Client::new()
        .post(url.clone())
        .timeout(std::time::Duration::from_secs(10))
        .json(&body)
        .send()
        .await;
    Ok(match answer {
        Ok(response) if response.status().is_success() => {
            TestOutcome { ok: true, message: format!("{url} accepted a signed test delivery") }
        }
        Ok(response) => TestOutcome {
            ok: false,
            message: format!(
                "{url} answered {}: check VOUCH_PUBLIC_URL and the stored tokens",
                response.status()
            ),
        },
        Err(e) => TestOutcome {
            ok: false,
            message: format!(
                "{url} could not be reached ({e}): VOUCH_PUBLIC_URL must be reachable, by Lever too"
            ),
        },
    })
}
