//! Reading checks (always by organization) and changing their status: the
//! one place a status is written, through [`super::status::transition`],
//! with optimistic concurrency on `status_version`, a timeline entry and
//! the Lever write job in the same transaction.
use chrono::Utc;
use entity::check::{self, CheckStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::status::{self, CheckEvent};
use super::{lever_write, timeline};
use crate::domain::{DomainError, DomainResult};
use crate::jobs;

/// A check of this organization.
pub async fn find<C: ConnectionTrait>(db: &C, organization_id: Uuid, id: Uuid) -> DomainResult<check::Model> {
    check::Entity::find_by_id(id)
        .filter(check::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("check"))
}

/// A check by id alone, for jobs and token holders (the token carries it).
pub async fn find_unscoped<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<check::Model> {
    check::Entity::find_by_id(id).one(db).await?.ok_or_else(|| DomainError::not_found("check"))
}

/// The open checks of an opportunity, oldest first.
pub async fn open_for_opportunity<C: ConnectionTrait>(
    db: &C,
    connection_id: Uuid,
    opportunity_id: &str,
) -> DomainResult<Vec<check::Model>> {
    Ok(check::Entity::find()
        .filter(check::Column::ConnectionId.eq(connection_id))
        .filter(check::Column::LeverOpportunityId.eq(opportunity_id))
        .filter(check::Column::Status.is_in([
            CheckStatus::Sent,
            CheckStatus::AwaitingReferees,
            CheckStatus::InProgress,
            CheckStatus::Blocked,
        ]))
        .order_by_asc(check::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Applies `event` to `current` (as read by the caller): refuses illegal
/// changes, and answers CONFLICT when someone else changed the check since
/// it was read. Writes the timeline and the Lever write job; answers the
/// check as it is now.
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    current: &check::Model,
    event: CheckEvent,
    reason: Option<&str>,
    actor: &str,
) -> DomainResult<check::Model> {
    let next = status::transition(current.status, event).map_err(|e| {
        DomainError::conflict(
            "status",
            format!("{e}: the check is {} now", status::label(current.status).to_lowercase()),
        )
    })?;
    let now = Utc::now();
    let version = current.status_version + 1;
    let updated = check::Entity::update_many()
        .col_expr(check::Column::Status, Expr::value(next))
        .col_expr(check::Column::StatusReason, Expr::value(reason.map(str::to_owned)))
        .col_expr(check::Column::StatusVersion, Expr::value(version))
        .col_expr(check::Column::UpdatedAt, Expr::value(now))
        .filter(check::Column::Id.eq(current.id))
        .filter(check::Column::StatusVersion.eq(current.status_version))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(DomainError::conflict(
            "status",
            "the check changed at the same moment (e.g. submitted twice); reload it to see where it stands",
        ));
    }
    let detail = match reason {
        Some(reason) => format!("{} → {}: {reason}", status::label(current.status), status::label(next)),
        None => format!("{} → {}", status::label(current.status), status::label(next)),
    };
    timeline::record(db, current.id, "status.changed", Some(status_code(next)), Some(&detail), actor).await?;
    let check = check::Model {
        status: next,
        status_reason: reason.map(str::to_owned),
        status_version: version,
        updated_at: now,
        ..current.clone()
    };
    enqueue_lever_write(db, &check).await?;
    Ok(check)
}

/// Queues writing the check's status into Lever.
pub async fn enqueue_lever_write<C: ConnectionTrait>(db: &C, check: &check::Model) -> DomainResult<()> {
    jobs::enqueue(db, lever_write::job_for(check)).await?;
    Ok(())
}

/// The status as GraphQL and the timeline spell it.
pub fn status_code(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Sent => "SENT",
        CheckStatus::AwaitingReferees => "AWAITING_REFEREES",
        CheckStatus::InProgress => "IN_PROGRESS",
        CheckStatus::Completed => "COMPLETED",
        CheckStatus::Declined => "DECLINED",
        CheckStatus::Expired => "EXPIRED",
        CheckStatus::Cancelled => "CANCELLED",
        CheckStatus::Superseded => "SUPERSEDED",
        CheckStatus::Blocked => "BLOCKED",
    }
}
