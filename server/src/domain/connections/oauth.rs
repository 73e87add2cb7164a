//! Connecting by OAuth (US data centre and sandbox).
//!
//! `start` stores a random `state` (only its SHA-256) bound to the admin and
//! the data centre, valid for ten minutes and usable once, and answers
//! Lever's authorize URL. `finish` runs on Lever's redirect: it consumes the
//! state, exchanges the code, seals the tokens and attaches them to the
//! organization's connection.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, Utc};
use entity::lever_connection::{self, AuthMode, DataCentre};
use entity::{oauth_state, Role};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use super::{credentials, data_centre, data_centre_name, store};
use crate::auth::AuthUser;
use crate::domain::{users, DomainError, DomainResult};
use crate::lever::{Credentials, LeverError};
use crate::AppState;

/// How long an admin has to finish consenting in Lever.
pub const STATE_TTL: Duration = Duration::minutes(10);

fn hash(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

/// Answers the URL to send the admin to.
pub async fn start(app: &AppState, user: &AuthUser, dc: DataCentre) -> DomainResult<String> {
    if dc == DataCentre::Eu {
        return Err(DomainError::invalid(
            "dataCentre",
            "Lever's EU data centre connects with an API key: use the API key form",
        ));
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let state = URL_SAFE_NO_PAD.encode(bytes);
    let url = app.lever.authorize_url(data_centre(dc), &state).map_err(|_| {
        DomainError::conflict(
            "dataCentre",
            "Lever OAuth is not configured on this server (VOUCH_LEVER_CLIENT_ID and VOUCH_LEVER_CLIENT_SECRET): connect with an API key instead",
        )
    })?;
    let now = Utc::now();
    oauth_state::ActiveModel {
        state_hash: Set(hash(&state)),
        organization_id: Set(user.organization_id),
        user_id: Set(user.id),
        data_centre: Set(dc),
        expires_at: Set(now + STATE_TTL),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(&app.db)
    .await?;
    Ok(url.to_string())
}

/// Why a callback did not connect, as the Integrations page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackFailure {
    /// Stable code for the page: `denied`, `wrong_state`, `expired_state`,
    /// `missing_code`, `exchange_failed`, `not_allowed`.
    pub code: &'static str,
    pub message: String,
}

impl CallbackFailure {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

/// What Lever's redirect carried.
#[derive(Debug, Default)]
pub struct Callback {
    pub state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// Completes the flow. Every outcome is an answer for the admin, never a panic.
pub async fn finish(app: &AppState, callback: Callback) -> Result<lever_connection::Model, CallbackFailure> {
    let Some(state) = callback.state.filter(|s| !s.is_empty() && s.len() <= 200) else {
        return Err(CallbackFailure::new(
            "wrong_state",
            "Lever's answer carried no valid state: start connecting again",
        ));
    };
    let pending = consume_state(app, &state).await?;
    if let Some(error) = callback.error {
        let message = match error.as_str() {
            "access_denied" => "access was denied in Lever: nothing was connected".to_owned(),
            other => format!(
                "Lever refused: {other}{}",
                callback.error_description.map(|d| format!(" ({})", truncate(&d, 200))).unwrap_or_default()
            ),
        };
        return Err(CallbackFailure::new(
            if error == "access_denied" { "denied" } else { "exchange_failed" },
            message,
        ));
    }
    let Some(code) = callback.code.filter(|c| !c.is_empty() && c.len() <= 2048) else {
        return Err(CallbackFailure::new(
            "missing_code",
            "Lever's answer carried no authorization code: try again",
        ));
    };
    let admin = users::find(&app.db, pending.organization_id, pending.user_id)
        .await
        .ok()
        .filter(|u| u.role == Role::SuperAdmin)
        .ok_or_else(|| CallbackFailure::new("not_allowed", "only a super admin may connect Lever"))?;
    let tokens = app.lever.exchange_code(data_centre(pending.data_centre), &code).await.map_err(|e| {
        let message = match e {
            LeverError::Unauthorized => {
                "Lever refused the authorization code (expired or already used): connect again".to_owned()
            }
            other => format!("exchanging the code with Lever failed: {other}"),
        };
        CallbackFailure::new("exchange_failed", message)
    })?;
    let scopes = tokens.scope.clone();
    let internal = |e: DomainError| {
        CallbackFailure::new("exchange_failed", format!("saving the connection failed: {e}"))
    };
    let txn = crate::db::begin_write(&app.db).await.map_err(|e| internal(e.into()))?;
    let secret_id = credentials::save(&txn, &app.secrets, admin.organization_id, &Credentials::OAuth(tokens))
        .await
        .map_err(internal)?;
    let (connection, replaced) = store::attach(
        &txn,
        store::Attach {
            organization_id: admin.organization_id,
            user_id: admin.id,
            data_centre: pending.data_centre,
            auth_mode: AuthMode::OAuth,
            credentials_secret_id: secret_id,
            scopes,
        },
    )
    .await
    .map_err(internal)?;
    if let Some(old) = replaced {
        app.secrets.delete(&txn, admin.organization_id, old).await.map_err(internal)?;
    }
    super::jobs::after_connect(&txn, &connection).await.map_err(internal)?;
    txn.commit().await.map_err(|e| internal(e.into()))?;
    app.lever.remove(connection.id);
    app.jobs.wake();
    tracing::info!(connection_id = %connection.id, data_centre = data_centre_name(connection.data_centre), "Lever connected by OAuth");
    Ok(connection)
}

/// Marks the state used; refuses unknown, used and expired ones.
async fn consume_state(app: &AppState, state: &str) -> Result<oauth_state::Model, CallbackFailure> {
    let failure = |e: sea_orm::DbErr| CallbackFailure::new("exchange_failed", format!("database error: {e}"));
    let hashed = hash(state);
    let row =
        oauth_state::Entity::find_by_id(hashed.clone()).one(&app.db).await.map_err(failure)?.ok_or_else(
            || {
                CallbackFailure::new(
                    "wrong_state",
                    "this Lever answer does not match a connection started here: start again",
                )
            },
        )?;
    let now = Utc::now();
    let claimed = oauth_state::Entity::update_many()
        .col_expr(oauth_state::Column::UsedAt, sea_orm::sea_query::Expr::value(Some(now)))
        .filter(oauth_state::Column::StateHash.eq(hashed))
        .filter(oauth_state::Column::UsedAt.is_null())
        .exec(&app.db)
        .await
        .map_err(failure)?;
    if claimed.rows_affected != 1 {
        return Err(CallbackFailure::new(
            "wrong_state",
            "this Lever answer was already used: start connecting again",
        ));
    }
    if row.expires_at < now {
        return Err(CallbackFailure::new(
            "expired_state",
            "connecting took longer than 10 minutes: start again",
        ));
    }
    Ok(row)
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().filter(|c| !c.is_control()).take(max).collect()
}
