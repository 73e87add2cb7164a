//! Disconnecting: Vouch's webhooks are removed from Lever where possible,
//! credentials destroyed, history kept.
use entity::lever_connection::{self, ConnectionStatus};
use sea_orm::TransactionTrait;

use super::store;
use crate::auth::AuthUser;
use crate::domain::DomainResult;
use crate::AppState;

pub async fn disconnect(
    app: &AppState,
    user: &AuthUser,
    connection_id: uuid::Uuid,
) -> DomainResult<lever_connection::Model> {
    let connection = store::find(&app.db, user.organization_id, connection_id).await?;
    if connection.status == ConnectionStatus::Disconnected {
        return Ok(connection);
    }
    let txn = app.db.begin().await?;
    if let Some(secret_id) = connection.credentials_secret_id {
        app.secrets.delete(&txn, connection.organization_id, secret_id).await?;
    }
    let mut row: lever_connection::ActiveModel = connection.into();
    row.status = sea_orm::Set(ConnectionStatus::Disconnected);
    row.status_reason = sea_orm::Set(Some("disconnected by an admin".into()));
    row.credentials_secret_id = sea_orm::Set(None);
    row.updated_at = sea_orm::Set(chrono::Utc::now());
    let updated = sea_orm::ActiveModelTrait::update(row, &txn).await?;
    txn.commit().await?;
    app.lever.remove(updated.id);
    tracing::info!(connection_id = %updated.id, user_id = %user.id, "Lever disconnected");
    Ok(updated)
}
