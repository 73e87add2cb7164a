//! A connection's webhook signing tokens.
//!
//! Lever gives each webhook its own signature token (one per event type when
//! Vouch registers them through the API; pasted by the admin when made in
//! Lever's UI). A row with `event` null verifies every event. Rotation is
//! add-then-retire: while both tokens are active, deliveries signed with
//! either verify. The tokens themselves live encrypted in `secrets`; nothing
//! here logs or returns them.
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Utc;
use entity::{lever_connection, lever_webhook_token};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::domain::{DomainError, DomainResult};
use crate::secrets::{Redacted, SecretPurpose, SecretStore};

/// Longest signing token accepted.
const MAX_TOKEN: usize = 500;

/// Bumped whenever this process adds or retires a signing token, so that
/// the webhook route's [`super::keyring::Keyring`] drops what it holds.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// The current token generation of this process.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

fn changed() {
    GENERATION.fetch_add(1, Ordering::AcqRel);
}

/// Stores a signing token for the connection (for one `event` type, or for
/// all when `None`) and answers the token row's id. `lever_webhook_id` is
/// Lever's id of the webhook when Vouch registered it through the API.
pub async fn add<C: ConnectionTrait>(
    db: &C,
    secrets: &SecretStore,
    organization_id: Uuid,
    connection_id: Uuid,
    event: Option<&str>,
    token: &Redacted,
    lever_webhook_id: Option<&str>,
) -> DomainResult<Uuid> {
    let value = token.expose().trim();
    if value.is_empty() || value.len() > MAX_TOKEN || value.chars().any(char::is_whitespace) {
        return Err(DomainError::invalid(
            "signingToken",
            format!(
                "expected the webhook's signature token from Lever: 1 to {MAX_TOKEN} characters, no spaces"
            ),
        ));
    }
    if let Some(event) = event {
        if event.is_empty() || event.len() > 64 || !event.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(DomainError::invalid(
                "event",
                "expected a Lever event name such as candidateStageChange",
            ));
        }
    }
    connection_of(db, organization_id, connection_id).await?;
    let secret_id = secrets
        .put(db, organization_id, SecretPurpose::LeverWebhookSigningToken, &Redacted::new(value))
        .await?;
    let id = Uuid::new_v4();
    lever_webhook_token::ActiveModel {
        id: Set(id),
        organization_id: Set(organization_id),
        connection_id: Set(connection_id),
        event: Set(event.map(str::to_owned)),
        secret_id: Set(secret_id),
        lever_webhook_id: Set(lever_webhook_id.map(str::to_owned)),
        created_at: Set(Utc::now()),
        retired_at: Set(None),
    }
    .insert(db)
    .await?;
    changed();
    Ok(id)
}

/// Retires one token (rotation done, or its webhook deleted): it verifies
/// nothing from now on and its secret is destroyed.
pub async fn retire<C: ConnectionTrait>(
    db: &C,
    secrets: &SecretStore,
    organization_id: Uuid,
    token_id: Uuid,
) -> DomainResult<()> {
    let row = lever_webhook_token::Entity::find_by_id(token_id)
        .filter(lever_webhook_token::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("webhook signing token"))?;
    lever_webhook_token::Entity::update_many()
        .col_expr(lever_webhook_token::Column::RetiredAt, Expr::value(Utc::now()))
        .filter(lever_webhook_token::Column::Id.eq(row.id))
        .filter(lever_webhook_token::Column::RetiredAt.is_null())
        .exec(db)
        .await?;
    // Before and after the write: a route that read the old generation
    // while this was under way reads again.
    changed();
    let deleted = secrets.delete(db, organization_id, row.secret_id).await;
    changed();
    deleted
}

/// Retires every token of a connection (disconnect). Answers how many.
pub async fn retire_all<C: ConnectionTrait>(
    db: &C,
    secrets: &SecretStore,
    organization_id: Uuid,
    connection_id: Uuid,
) -> DomainResult<usize> {
    let active = list_active(db, organization_id, connection_id).await?;
    for row in &active {
        retire(db, secrets, organization_id, row.id).await?;
    }
    Ok(active.len())
}

/// The connection's tokens that still verify, oldest first.
pub async fn list_active<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    connection_id: Uuid,
) -> DomainResult<Vec<lever_webhook_token::Model>> {
    Ok(lever_webhook_token::Entity::find()
        .filter(lever_webhook_token::Column::OrganizationId.eq(organization_id))
        .filter(lever_webhook_token::Column::ConnectionId.eq(connection_id))
        .filter(lever_webhook_token::Column::RetiredAt.is_null())
        .order_by_asc(lever_webhook_token::Column::CreatedAt)
        .all(db)
        .await?)
}

/// The signing tokens that may have signed an `event` delivery for the
/// connection: those for that event and those for every event.
pub async fn signing_tokens<C: ConnectionTrait>(
    db: &C,
    secrets: &SecretStore,
    organization_id: Uuid,
    connection_id: Uuid,
    event: &str,
) -> DomainResult<Vec<Redacted>> {
    let rows = lever_webhook_token::Entity::find()
        .filter(lever_webhook_token::Column::OrganizationId.eq(organization_id))
        .filter(lever_webhook_token::Column::ConnectionId.eq(connection_id))
        .filter(lever_webhook_token::Column::RetiredAt.is_null())
        .filter(
            Condition::any()
                .add(lever_webhook_token::Column::Event.is_null())
                .add(lever_webhook_token::Column::Event.eq(event)),
        )
        .all(db)
        .await?;
    let mut tokens = Vec::with_capacity(rows.len());
    for row in rows {
        match secrets.get(db, organization_id, row.secret_id, SecretPurpose::LeverWebhookSigningToken).await {
            Ok(token) => tokens.push(token),
            // A token that cannot be opened verifies nothing; the others may.
            Err(DomainError::NotFound { .. }) => {
                tracing::warn!(token_id = %row.id, "webhook signing token has no secret; skipped")
            }
            Err(other) => return Err(other),
        }
    }
    Ok(tokens)
}

async fn connection_of<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    connection_id: Uuid,
) -> DomainResult<lever_connection::Model> {
    lever_connection::Entity::find_by_id(connection_id)
        .filter(lever_connection::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("Lever connection"))
}
