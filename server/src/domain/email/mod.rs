//! E-mail: every message goes into the `outbox` table in the transaction of
//! the change that needs it, with an `email.send` job to deliver it (so a
//! crash never loses nor duplicates a message the change promised).
//!
//! SMTP is optional: without it, "sending" marks the row
//! `DELIVERED_TO_OUTBOX`, and the admin's `outbox` query (the demo, the
//! tests) shows what would have gone out. Delivery is recorded on the
//! check's timeline.
pub mod templates;

use async_trait::async_trait;
use chrono::Utc;
use entity::{job, outbox_email};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use templates::{EmailKind, Rendered};

use super::checks::timeline;
use super::DomainResult;
use crate::jobs::{self, JobContext, JobError, JobHandler, JobOutcome, NewJob};

/// The job kind that delivers one outbox row.
pub const SEND_JOB: &str = "email.send";
/// Outbox row states.
pub const QUEUED: &str = "QUEUED";
pub const DELIVERED_TO_OUTBOX: &str = "DELIVERED_TO_OUTBOX";

#[derive(Serialize, Deserialize)]
struct Payload {
    outbox_id: Uuid,
}

/// Writes a message and its delivery job on `db` (use the transaction of
/// the change that needs it). Answers the outbox row's id.
pub async fn queue<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    to: &str,
    kind: EmailKind,
    message: Rendered,
    check_id: Option<Uuid>,
) -> DomainResult<Uuid> {
    let id = Uuid::new_v4();
    outbox_email::ActiveModel {
        id: Set(id),
        organization_id: Set(organization_id),
        to_address: Set(to.to_owned()),
        subject: Set(message.subject),
        body: Set(message.body),
        kind: Set(kind.code().to_owned()),
        check_id: Set(check_id),
        status: Set(QUEUED.to_owned()),
        created_at: Set(Utc::now()),
        sent_at: Set(None),
    }
    .insert(db)
    .await?;
    let payload = serde_json::to_value(Payload { outbox_id: id }).unwrap_or_default();
    jobs::enqueue(
        db,
        NewJob {
            organization_id: Some(organization_id),
            ..NewJob::new(SEND_JOB, format!("{SEND_JOB}:{id}"), payload)
        },
    )
    .await?;
    Ok(id)
}

/// The organization's messages, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    first: u64,
) -> DomainResult<Vec<outbox_email::Model>> {
    Ok(outbox_email::Entity::find()
        .filter(outbox_email::Column::OrganizationId.eq(organization_id))
        .order_by_desc(outbox_email::Column::CreatedAt)
        .order_by_desc(outbox_email::Column::Id)
        .limit(first.clamp(1, 500))
        .all(db)
        .await?)
}

/// The [`SEND_JOB`] handler. With no SMTP configured, delivery is the
/// outbox itself.
pub struct SendEmail;

#[async_trait]
impl JobHandler for SendEmail {
    async fn run(&self, ctx: &JobContext, job: &job::Model) -> Result<JobOutcome, JobError> {
        let payload: Payload = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::permanent(format!("malformed payload: {e}")))?;
        let Some(row) = outbox_email::Entity::find_by_id(payload.outbox_id).one(&ctx.db).await? else {
            return Ok(JobOutcome::Done);
        };
        if row.sent_at.is_some() {
            return Ok(JobOutcome::Done);
        }
        let now = Utc::now();
        outbox_email::Entity::update_many()
            .col_expr(outbox_email::Column::Status, Expr::value(DELIVERED_TO_OUTBOX))
            .col_expr(outbox_email::Column::SentAt, Expr::value(now))
            .filter(outbox_email::Column::Id.eq(row.id))
            .filter(outbox_email::Column::SentAt.is_null())
            .exec(&ctx.db)
            .await?;
        if let Some(check_id) = row.check_id {
            let detail = format!("{} e-mail delivered to the outbox (no SMTP configured)", row.kind);
            timeline::record(&ctx.db, check_id, "email.sent", None, Some(&detail), "vouch").await?;
        }
        Ok(JobOutcome::Done)
    }
}
