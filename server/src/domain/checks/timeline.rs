//! A check's timeline: what happened, when, by whom. Rows are only inserted,
//! in the transaction of the change they describe.
use chrono::Utc;
use entity::check_event;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::domain::DomainResult;

/// Records one entry. `actor`: `lever:<id>`, `user:<id>`, `candidate`,
/// `referee:<id>` or `vouch`.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    check_id: Uuid,
    kind: &str,
    status: Option<&str>,
    detail: Option<&str>,
    actor: &str,
) -> DomainResult<()> {
    check_event::ActiveModel {
        id: Set(Uuid::new_v4()),
        check_id: Set(check_id),
        kind: Set(kind.to_owned()),
        status: Set(status.map(str::to_owned)),
        detail: Set(detail.map(|d| d.chars().take(2000).collect())),
        actor: Set(actor.chars().take(255).collect()),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A check's timeline, oldest first.
pub async fn list<C: ConnectionTrait>(db: &C, check_id: Uuid) -> DomainResult<Vec<check_event::Model>> {
    Ok(check_event::Entity::find()
        .filter(check_event::Column::CheckId.eq(check_id))
        .order_by_asc(check_event::Column::CreatedAt)
        .order_by_asc(check_event::Column::Id)
        .all(db)
        .await?)
}
