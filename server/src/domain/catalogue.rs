//! The Lever catalogue as rules see it: the organization's active
//! connection, and the postings and stages last read from it. Reads only;
//! the connection flows fill these tables.
use entity::lever_connection;
use entity::{lever_posting, lever_stage};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{DomainError, DomainResult};

/// Most postings one search answers.
pub const MAX_POSTINGS: usize = 200;

/// The organization's connection that is not disconnected, if any. (A
/// revoked one still counts: its rules stay visible while it is repaired.)
pub async fn active_connection<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
) -> DomainResult<Option<lever_connection::Model>> {
    super::connections::store::find_active(db, organization_id).await
}

/// Like [`active_connection`], but an error telling the admin to connect.
pub async fn require_connection<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
) -> DomainResult<lever_connection::Model> {
    active_connection(db, organization_id).await?.ok_or_else(|| {
        DomainError::invalid("connection", "connect Lever first: rules name Lever postings and stages")
    })
}

/// Every posting of the connection, gone ones included, by title.
pub async fn postings<C: ConnectionTrait>(
    db: &C,
    connection_id: Uuid,
) -> DomainResult<Vec<lever_posting::Model>> {
    Ok(lever_posting::Entity::find()
        .filter(lever_posting::Column::ConnectionId.eq(connection_id))
        .order_by_asc(lever_posting::Column::Text)
        .order_by_asc(lever_posting::Column::LeverId)
        .all(db)
        .await?)
}

/// One posting of the connection as last read, unless Lever stopped listing it.
pub async fn live_posting<C: ConnectionTrait>(
    db: &C,
    connection_id: Uuid,
    lever_id: &str,
) -> DomainResult<Option<lever_posting::Model>> {
    Ok(lever_posting::Entity::find()
        .filter(lever_posting::Column::ConnectionId.eq(connection_id))
        .filter(lever_posting::Column::LeverId.eq(lever_id))
        .filter(lever_posting::Column::GoneAt.is_null())
        .one(db)
        .await?)
}

/// Every stage of the connection, gone ones included, in pipeline order.
pub async fn stages<C: ConnectionTrait>(
    db: &C,
    connection_id: Uuid,
) -> DomainResult<Vec<lever_stage::Model>> {
    Ok(lever_stage::Entity::find()
        .filter(lever_stage::Column::ConnectionId.eq(connection_id))
        .order_by_asc(lever_stage::Column::Position)
        .order_by_asc(lever_stage::Column::LeverId)
        .all(db)
        .await?)
}

/// Postings whose title or Lever id contains `search` (case-insensitive),
/// at most [`MAX_POSTINGS`]. Filtered here rather than in SQL: a company has
/// hundreds of postings, not millions, and `LIKE` folds case differently on
/// SQLite and PostgreSQL.
pub async fn search_postings<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    search: Option<&str>,
) -> DomainResult<Vec<lever_posting::Model>> {
    let Some(connection) = active_connection(db, organization_id).await? else {
        return Ok(Vec::new());
    };
    let needle = search.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    Ok(postings(db, connection.id)
        .await?
        .into_iter()
        .filter(|p| match &needle {
            Some(n) => p.text.to_lowercase().contains(n) || p.lever_id.to_lowercase() == *n,
            None => true,
        })
        .take(MAX_POSTINGS)
        .collect())
}

/// The stages of the organization's active connection (none without one).
pub async fn org_stages<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
) -> DomainResult<Vec<lever_stage::Model>> {
    match active_connection(db, organization_id).await? {
        Some(connection) => stages(db, connection.id).await,
        None => Ok(Vec::new()),
    }
}

/// A posting's tags, from its tags JSON (non-strings ignored).
pub fn posting_tags(posting: &lever_posting::Model) -> Vec<String> {
    posting
        .tags
        .as_ref()
        .and_then(|t| t.as_array())
        .map(|tags| tags.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}
