//! E-mail: every message goes into the `outbox` table in the transaction of
//! the change that needs it, with an `email.send` job to deliver it (so a
//! crash never loses nor duplicates a message the change promised).
//!
//! - [`templates`]: the texts per language.
//! - [`send`]: the `email.send` job. With SMTP configured
//!   (`VOUCH_SMTP_URL`) it hands the message to the server through
//!   [`smtp`] and marks the row `SENT` once accepted; a refusal (5xx) fails
//!   the job at once, anything else is retried with the queue's backoff.
//!   Without SMTP, "sending" marks the row `DELIVERED_TO_OUTBOX`, and the
//!   admin's `outbox` query (the demo, the tests) shows what would have gone
//!   out. Either way the outcome (sent, or failed with the reason) is
//!   recorded on the check's timeline.
pub mod send;
pub mod smtp;
pub mod templates;

use std::collections::HashMap;

use chrono::Utc;
use entity::outbox_email;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

pub use send::{SendEmail, SEND_JOB};
pub use templates::{EmailKind, Rendered};

use super::DomainResult;
use crate::jobs::{self, NewJob};

/// Outbox row states.
pub const QUEUED: &str = "QUEUED";
pub const DELIVERED_TO_OUTBOX: &str = "DELIVERED_TO_OUTBOX";
pub const SENT: &str = "SENT";
pub const FAILED: &str = "FAILED";

/// Attempts an e-mail gets before it stays FAILED (about an hour of
/// backoff with the queue's schedule).
pub const MAX_ATTEMPTS: i32 = 10;

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
        attempts: Set(0),
        last_error: Set(None),
    }
    .insert(db)
    .await?;
    jobs::enqueue(
        db,
        NewJob {
            organization_id: Some(organization_id),
            max_attempts: Some(MAX_ATTEMPTS),
            ..NewJob::new(SEND_JOB, send_job_key(id), send::payload(id))
        },
    )
    .await?;
    Ok(id)
}

/// The idempotency key of the job that delivers outbox row `id`.
fn send_job_key(id: Uuid) -> String {
    format!("{SEND_JOB}:{id}")
}

/// The delivery jobs of the given outbox rows of the organization, by row
/// id (so the app can offer `retryJob` on a FAILED e-mail).
pub async fn send_jobs<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    outbox_ids: &[Uuid],
) -> DomainResult<HashMap<Uuid, Uuid>> {
    let by_key: HashMap<String, Uuid> = outbox_ids.iter().map(|id| (send_job_key(*id), *id)).collect();
    let found = entity::job::Entity::find()
        .filter(entity::job::Column::OrganizationId.eq(organization_id))
        .filter(entity::job::Column::IdempotencyKey.is_in(by_key.keys().cloned()))
        .all(db)
        .await?;
    Ok(found
        .into_iter()
        .filter_map(|job| by_key.get(&job.idempotency_key).map(|row| (*row, job.id)))
        .collect())
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
