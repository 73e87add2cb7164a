//! Connecting with an API key (the EU data centre, or any when chosen).
//!
//! The key is probed against every call Vouch needs before anything is
//! stored; a bad key, a wrong data centre or missing permissions store
//! nothing and say exactly what to fix.
use std::sync::Arc;

use entity::lever_connection::{self, AuthMode, DataCentre};

use super::{credentials, data_centre, data_centre_name, store};
use crate::auth::AuthUser;
use crate::domain::{DomainError, DomainResult};
use crate::lever::{
    probe_permissions, Credentials, Endpoint, LeverClient, LeverConnection, LeverError, NoTokenStore, Secret,
};
use crate::AppState;

/// Longest key accepted. Lever's keys are a few dozen characters; anything
/// near this is a paste gone wrong, not a key.
const MAX_KEY_LEN: usize = 256;

/// The outcome: connected, or the permissions the key lacks. Nothing is
/// stored when a permission checks need is missing; missing webhook
/// permissions only mean the webhooks are set up by hand.
pub struct ApiKeyOutcome {
    pub connection: Option<lever_connection::Model>,
    /// In Lever's words, e.g. "Create a note".
    pub missing_permissions: Vec<&'static str>,
}

/// Checks the key's shape without echoing it.
pub fn validate_key(raw: &str) -> DomainResult<Secret> {
    let key = raw.trim();
    if key.is_empty() {
        return Err(DomainError::invalid(
            "apiKey",
            "paste the API key from Lever's Settings → Integrations and API",
        ));
    }
    if key.len() > MAX_KEY_LEN {
        return Err(DomainError::invalid(
            "apiKey",
            format!(
                "this is {} characters long; a Lever API key is much shorter: copy just the key",
                key.len()
            ),
        ));
    }
    if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(DomainError::invalid(
            "apiKey",
            "the key contains spaces or line breaks: copy it again as one line",
        ));
    }
    Ok(Secret::new(key))
}

pub async fn connect(
    app: &AppState,
    user: &AuthUser,
    dc: DataCentre,
    raw_key: &str,
) -> DomainResult<ApiKeyOutcome> {
    let key = validate_key(raw_key)?;
    let probe_connection = LeverConnection {
        id: uuid::Uuid::new_v4(),
        data_centre: data_centre(dc),
        credentials: Credentials::ApiKey(key.clone()),
        fallback_user: None,
    };
    let client = LeverClient::new(app.lever.config(), probe_connection, Arc::new(NoTokenStore))
        .map_err(|e| DomainError::internal(e.to_string()))?;
    let missing = match probe_permissions(&client).await {
        Ok(missing) => missing,
        Err(LeverError::Unauthorized) => {
            return Err(DomainError::invalid(
                "apiKey",
                "Lever does not accept this API key: check it was copied whole and is still active in Lever",
            ))
        }
        Err(LeverError::NotFound { .. }) => {
            return Err(DomainError::invalid(
                "dataCentre",
                format!(
                    "this key does not belong to Lever's {} data centre: pick the data centre your Lever account lives in",
                    data_centre_name(dc)
                ),
            ))
        }
        Err(other) => return Err(super::clients::lever_error(other)),
    };
    let missing_names: Vec<&'static str> = missing.iter().map(|m| m.name).collect();
    // Without the webhook permissions Vouch still works: the admin adds the
    // webhooks in Lever by hand and pastes their tokens. Anything else is
    // needed for checks to run at all, so nothing is stored.
    if missing.iter().any(|m| !is_webhook_permission(m.endpoint)) {
        return Ok(ApiKeyOutcome { connection: None, missing_permissions: missing_names });
    }
    let txn = crate::db::begin_write(&app.db).await?;
    let secret_id =
        credentials::save(&txn, &app.secrets, user.organization_id, &Credentials::ApiKey(key)).await?;
    let (connection, replaced) = store::attach(
        &txn,
        store::Attach {
            organization_id: user.organization_id,
            user_id: user.id,
            data_centre: dc,
            auth_mode: AuthMode::ApiKey,
            credentials_secret_id: secret_id,
            scopes: None,
        },
    )
    .await?;
    if let Some(old) = replaced {
        app.secrets.delete(&txn, user.organization_id, old).await?;
    }
    super::jobs::after_connect(&txn, &connection).await?;
    txn.commit().await?;
    app.lever.remove(connection.id);
    app.jobs.wake();
    tracing::info!(connection_id = %connection.id, data_centre = data_centre_name(dc), "Lever connected with an API key");
    Ok(ApiKeyOutcome { connection: Some(connection), missing_permissions: missing_names })
}

fn is_webhook_permission(endpoint: Endpoint) -> bool {
    matches!(endpoint, Endpoint::ListWebhooks | Endpoint::CreateWebhook | Endpoint::DeleteWebhook)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked_without_echoing_them() {
        assert!(validate_key("  abc123  ").is_ok());
        for bad in ["", "   ", "abc\n123", "abc 123", &"k".repeat(10 * 1024)] {
            let err = validate_key(bad).expect_err("refused").to_string();
            assert!(err.starts_with("apiKey:"), "{err}");
            if bad.len() > 3 {
                assert!(!err.contains(bad.trim()), "the key is never echoed: {err}");
            }
        }
    }
}
