//! Ending checks from Lever: hired or archived cancels the open checks of
//! the opportunity with the reason; a deleted candidate's personal data is
//! purged (names, addresses, phones, answers, referee details), leaving
//! anonymous counts, and the purge is recorded in the audit trail.
use chrono::Utc;
use entity::{candidate, check, outbox_email, referee};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::status::CheckEvent;
use super::store;
use crate::domain::audit::{self, Subject};
use crate::domain::DomainResult;

/// Cancels every open check of the opportunity; answers how many.
pub async fn cancel_open<C: ConnectionTrait>(
    db: &C,
    connection_id: Uuid,
    opportunity_id: &str,
    reason: &str,
    actor: &str,
) -> DomainResult<usize> {
    let open = store::open_for_opportunity(db, connection_id, opportunity_id).await?;
    for check in &open {
        store::apply(db, check, CheckEvent::Cancelled, Some(reason), actor).await?;
    }
    Ok(open.len())
}

/// Blanks the personal data of the opportunity's candidates and checks.
/// Answers how many candidates were purged.
pub async fn purge<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    connection_id: Uuid,
    opportunity_id: &str,
) -> DomainResult<usize> {
    let candidates = candidate::Entity::find()
        .filter(candidate::Column::OrganizationId.eq(organization_id))
        .filter(candidate::Column::ConnectionId.eq(connection_id))
        .filter(candidate::Column::LeverOpportunityId.eq(opportunity_id))
        .all(db)
        .await?;
    let now = Utc::now();
    for candidate in &candidates {
        let checks: Vec<Uuid> = check::Entity::find()
            .filter(check::Column::CandidateId.eq(candidate.id))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let referees =
            referee::Entity::find().filter(referee::Column::CheckId.is_in(checks.clone())).all(db).await?;
        candidate::Entity::update_many()
            .col_expr(candidate::Column::Name, Expr::value("(deleted)"))
            .col_expr(candidate::Column::Emails, Expr::value(json!([])))
            .col_expr(candidate::Column::Phones, Expr::value(json!([])))
            .col_expr(candidate::Column::PurgedAt, Expr::value(now))
            .col_expr(candidate::Column::UpdatedAt, Expr::value(now))
            .filter(candidate::Column::Id.eq(candidate.id))
            .exec(db)
            .await?;
        check::Entity::update_many()
            .col_expr(check::Column::Answers, Expr::value(Option::<serde_json::Value>::None))
            .filter(check::Column::Id.is_in(checks.clone()))
            .exec(db)
            .await?;
        referee::Entity::update_many()
            .col_expr(referee::Column::Name, Expr::value("(deleted)"))
            .col_expr(referee::Column::Email, Expr::value(""))
            .col_expr(referee::Column::Phone, Expr::value(Option::<String>::None))
            .col_expr(referee::Column::Answers, Expr::value(Option::<serde_json::Value>::None))
            .filter(referee::Column::CheckId.is_in(checks.clone()))
            .exec(db)
            .await?;
        outbox_email::Entity::update_many()
            .col_expr(outbox_email::Column::ToAddress, Expr::value(""))
            .col_expr(outbox_email::Column::Body, Expr::value("(deleted with the candidate's personal data)"))
            .filter(outbox_email::Column::CheckId.is_in(checks.clone()))
            .exec(db)
            .await?;
        let counts = json!({ "checks": checks.len(), "referees": referees.len(), "leverOpportunityId": opportunity_id });
        audit::record(
            db,
            organization_id,
            None,
            "candidate.purged",
            Subject { kind: "candidate", id: candidate.id },
            counts,
        )
        .await?;
    }
    Ok(candidates.len())
}
