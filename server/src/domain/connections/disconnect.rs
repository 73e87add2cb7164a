//! Disconnecting: the connection stops at once (status DISCONNECTED, its
//! client dropped); a teardown job then removes Vouch's webhooks from Lever
//! where possible and destroys the credentials. History is kept.
use entity::lever_connection::{self, ConnectionStatus};
use sea_orm::{ActiveModelTrait, Set};

use super::{jobs, store};
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
    let txn = crate::db::begin_write(&app.db).await?;
    let mut row: lever_connection::ActiveModel = connection.into();
    row.status = Set(ConnectionStatus::Disconnected);
    row.status_reason = Set(Some("disconnected by an admin".into()));
    row.updated_at = Set(chrono::Utc::now());
    let updated = row.update(&txn).await?;
    jobs::enqueue_teardown(&txn, &updated).await?;
    txn.commit().await?;
    app.lever.remove(updated.id);
    app.jobs.wake();
    tracing::info!(connection_id = %updated.id, user_id = %user.id, "Lever disconnected");
    Ok(updated)
}
