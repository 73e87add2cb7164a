//! The Lever client of a stored connection, and what a call's outcome means
//! for the connection.
//!
//! Clients live in the process-wide registry on `AppState` (one token bucket
//! per connection); this module builds them from stored credentials on first
//! use. Every caller reports outcomes through [`observe`], so a 401 anywhere
//! turns the connection `REVOKED` at once and success keeps
//! `last_success_at` fresh.
use entity::lever_connection::{self, ConnectionStatus};
use sea_orm::ConnectionTrait;

use super::{credentials, data_centre, store};
use crate::domain::{DomainError, DomainResult};
use crate::lever::{LeverClient, LeverConnection, LeverError};
use crate::AppState;

/// The connection's client. Refuses connections that cannot work.
pub async fn client_for(state: &AppState, connection: &lever_connection::Model) -> DomainResult<LeverClient> {
    match connection.status {
        ConnectionStatus::Revoked => {
            return Err(DomainError::Lever(
                "Lever revoked Vouch's access: reconnect Lever on the Integrations page".into(),
            ))
        }
        ConnectionStatus::Disconnected => {
            return Err(DomainError::Lever(
                "Lever is disconnected: connect it on the Integrations page".into(),
            ))
        }
        ConnectionStatus::Connected | ConnectionStatus::NeedsAttention => {}
    }
    if let Some(client) = state.lever.get(connection.id) {
        return Ok(client);
    }
    let credentials = credentials::load(&state.db, &state.secrets, connection).await?;
    let lever_connection = LeverConnection {
        id: connection.id,
        data_centre: data_centre(connection.data_centre),
        credentials,
        fallback_user: connection.fallback_lever_user_id.clone(),
    };
    state.lever.get_or_connect(lever_connection).map_err(|e| DomainError::internal(e.to_string()))
}

/// Records what a Lever call's outcome says about the connection and turns
/// its error into one a user can act on.
pub async fn observe<T, C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    connection: &lever_connection::Model,
    outcome: Result<T, LeverError>,
) -> DomainResult<T> {
    match outcome {
        Ok(value) => {
            store::touch_success(db, connection.id).await?;
            Ok(value)
        }
        Err(LeverError::Unauthorized) => {
            let reason = "Lever refused Vouch's credentials (access revoked in Lever, or the key was deleted): reconnect to resume";
            store::set_status(db, connection.id, ConnectionStatus::Revoked, Some(reason.into())).await?;
            state.lever.remove(connection.id);
            tracing::warn!(connection_id = %connection.id, "Lever connection revoked");
            Err(DomainError::Lever(reason.into()))
        }
        Err(other) => Err(lever_error(other)),
    }
}

/// A Lever error in words an admin can act on (never with a secret: the
/// client's errors carry none).
pub fn lever_error(err: LeverError) -> DomainError {
    let message = match &err {
        LeverError::Unauthorized => "Lever refused Vouch's credentials: reconnect Lever".to_owned(),
        LeverError::Forbidden { endpoint } => {
            format!(
                "Lever refused the call \"{endpoint}\": the API key or the OAuth grant lacks that permission"
            )
        }
        LeverError::NotFound { .. } => {
            "Lever does not know that object (or it lives in another data centre)".to_owned()
        }
        LeverError::RateLimited { .. } => "Lever is rate limiting Vouch; try again in a minute".to_owned(),
        LeverError::Server { .. } => "Lever is failing (5xx); try again later".to_owned(),
        LeverError::Transport { .. } => "Lever could not be reached; try again later".to_owned(),
        other => format!("Lever call failed: {other}"),
    };
    DomainError::Lever(message)
}
