//! Reading postings, stages and users from Lever into Vouch's catalogue.
//!
//! Lists are streamed a page at a time and upserted by (connection, Lever
//! id). Rows Lever no longer lists get `gone_at` instead of being deleted,
//! so rules that point at them show an error rather than break; a row that
//! comes back is revived.
use chrono::{DateTime, TimeZone, Utc};
use entity::{lever_posting, lever_stage, lever_user};
use futures::StreamExt;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::clients::lever_error;
use crate::domain::{DomainError, DomainResult};
use crate::lever::{LeverClient, LeverError};

/// How many of each kind the last sync read.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncCounts {
    pub users: u64,
    pub postings: u64,
    pub stages: u64,
}

impl SyncCounts {
    pub fn total(&self) -> u64 {
        self.users + self.postings + self.stages
    }
}

/// A sync stopped by Lever: the raw error, so callers can tell revocation
/// (pause the work) from a passing failure (retry).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Lever(LeverError),
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl From<SyncError> for DomainError {
    fn from(err: SyncError) -> Self {
        match err {
            SyncError::Lever(e) => lever_error(e),
            SyncError::Domain(e) => e,
        }
    }
}

/// Reads everything; `progress` gets the running count of items read.
pub async fn sync<C: ConnectionTrait>(
    db: &C,
    client: &LeverClient,
    connection_id: Uuid,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<SyncCounts, SyncError> {
    let started = Utc::now();
    let mut counts = SyncCounts::default();

    let mut users = client.users();
    while let Some(user) = users.next().await {
        let user = user.map_err(SyncError::Lever)?;
        lever_user::Entity::insert(lever_user::ActiveModel {
            id: Set(Uuid::new_v4()),
            connection_id: Set(connection_id),
            lever_id: Set(user.id),
            text: Set(bounded(user.name.unwrap_or_default())),
            email: Set(user.email),
            access_role: Set(user.access_role),
            deactivated_at: Set(user.deactivated_at.and_then(from_millis)),
            gone_at: Set(None),
            synced_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([lever_user::Column::ConnectionId, lever_user::Column::LeverId])
                .update_columns([
                    lever_user::Column::Text,
                    lever_user::Column::Email,
                    lever_user::Column::AccessRole,
                    lever_user::Column::DeactivatedAt,
                    lever_user::Column::GoneAt,
                    lever_user::Column::SyncedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await
        .map_err(DomainError::from)?;
        counts.users += 1;
        progress(counts.total());
    }

    let mut postings = client.postings();
    while let Some(posting) = postings.next().await {
        let posting = posting.map_err(SyncError::Lever)?;
        lever_posting::Entity::insert(lever_posting::ActiveModel {
            id: Set(Uuid::new_v4()),
            connection_id: Set(connection_id),
            lever_id: Set(posting.id),
            text: Set(bounded(posting.text.unwrap_or_default())),
            state: Set(posting.state),
            owner_id: Set(posting.owner),
            hiring_manager_id: Set(posting.hiring_manager),
            tags: Set(Some(serde_json::json!(posting.tags))),
            gone_at: Set(None),
            synced_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([lever_posting::Column::ConnectionId, lever_posting::Column::LeverId])
                .update_columns([
                    lever_posting::Column::Text,
                    lever_posting::Column::State,
                    lever_posting::Column::OwnerId,
                    lever_posting::Column::HiringManagerId,
                    lever_posting::Column::Tags,
                    lever_posting::Column::GoneAt,
                    lever_posting::Column::SyncedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await
        .map_err(DomainError::from)?;
        counts.postings += 1;
        progress(counts.total());
    }

    let mut stages = client.stages();
    let mut position = 0i32;
    while let Some(stage) = stages.next().await {
        let stage = stage.map_err(SyncError::Lever)?;
        lever_stage::Entity::insert(lever_stage::ActiveModel {
            id: Set(Uuid::new_v4()),
            connection_id: Set(connection_id),
            lever_id: Set(stage.id),
            text: Set(bounded(stage.text)),
            position: Set(position),
            gone_at: Set(None),
            synced_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([lever_stage::Column::ConnectionId, lever_stage::Column::LeverId])
                .update_columns([
                    lever_stage::Column::Text,
                    lever_stage::Column::Position,
                    lever_stage::Column::GoneAt,
                    lever_stage::Column::SyncedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await
        .map_err(DomainError::from)?;
        position += 1;
        counts.stages += 1;
        progress(counts.total());
    }

    mark_gone(db, connection_id, started).await?;
    Ok(counts)
}

/// Everything of this connection not seen since `started` is gone from Lever.
async fn mark_gone<C: ConnectionTrait>(
    db: &C,
    connection_id: Uuid,
    started: DateTime<Utc>,
) -> DomainResult<()> {
    let now = Utc::now();
    lever_user::Entity::update_many()
        .col_expr(lever_user::Column::GoneAt, Expr::value(Some(now)))
        .filter(lever_user::Column::ConnectionId.eq(connection_id))
        .filter(lever_user::Column::SyncedAt.lt(started))
        .filter(lever_user::Column::GoneAt.is_null())
        .exec(db)
        .await?;
    lever_posting::Entity::update_many()
        .col_expr(lever_posting::Column::GoneAt, Expr::value(Some(now)))
        .filter(lever_posting::Column::ConnectionId.eq(connection_id))
        .filter(lever_posting::Column::SyncedAt.lt(started))
        .filter(lever_posting::Column::GoneAt.is_null())
        .exec(db)
        .await?;
    lever_stage::Entity::update_many()
        .col_expr(lever_stage::Column::GoneAt, Expr::value(Some(now)))
        .filter(lever_stage::Column::ConnectionId.eq(connection_id))
        .filter(lever_stage::Column::SyncedAt.lt(started))
        .filter(lever_stage::Column::GoneAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

fn from_millis(ms: i64) -> Option<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms).single()
}

/// Names longer than the column are cut, not refused: Lever owns them.
fn bounded(text: String) -> String {
    if text.chars().count() <= 500 {
        text
    } else {
        text.chars().take(500).collect()
    }
}
