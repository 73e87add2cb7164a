//! The `email.send` job: delivers one outbox row, through SMTP when
//! configured, else into the outbox itself.
//!
//! The row is the record of what happened: `attempts`, `last_error`, and
//! the status (`SENT` once the SMTP server accepted the message, `FAILED`
//! when it refused for good or the attempts ran out). Each outcome is also
//! written on the check's timeline, so the admin sees "sent", "deferred,
//! retrying" or "failed: <the server's answer>" next to the status changes.
//!
//! Delivery is at least once: a process that dies between the server's
//! acceptance and the row's update sends again when the job is re-run. The
//! Message-ID is derived from the row, so the copies are recognisably one.
use async_trait::async_trait;
use chrono::Utc;
use entity::{job, outbox_email};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::smtp::{Mailer, Outgoing, SendError};
use super::{DELIVERED_TO_OUTBOX, FAILED, QUEUED, SENT};
use crate::config::Config;
use crate::domain::checks::timeline;
use crate::jobs::{JobContext, JobError, JobHandler, JobOutcome};

/// The job kind that delivers one outbox row.
pub const SEND_JOB: &str = "email.send";

#[derive(Serialize, Deserialize)]
struct Payload {
    outbox_id: Uuid,
}

/// The job payload for an outbox row.
pub(super) fn payload(outbox_id: Uuid) -> serde_json::Value {
    serde_json::to_value(Payload { outbox_id }).unwrap_or_default()
}

/// The [`SEND_JOB`] handler: SMTP when configured, else the outbox.
pub struct SendEmail {
    /// `Ok(None)`: no SMTP configured; `Err`: configured but unusable.
    mailer: Result<Option<Mailer>, String>,
    /// The right-hand side of Message-IDs.
    host: String,
}

impl SendEmail {
    /// The handler for `config` (call inside the tokio runtime: the SMTP
    /// pool starts a task). Start-up validation already accepted the SMTP
    /// URL and sender, so building the transport does not fail in practice;
    /// if it does, e-mails stay QUEUED (retried) rather than pretend to go out.
    pub fn new(config: &Config) -> Self {
        let host = config.public_url.host_str().unwrap_or("vouch").to_owned();
        let mailer = match &config.mail.smtp_url {
            None => Ok(None),
            Some(url) => Mailer::new(url.expose(), &config.mail.from).map(Some),
        };
        // Say where e-mail goes, naming the server but never the credentials.
        let server = config.mail.smtp_url.as_ref().and_then(|u| url::Url::parse(u.expose()).ok()).map(|u| {
            format!(
                "{}://{}:{}",
                u.scheme(),
                u.host_str().unwrap_or_default(),
                u.port().map_or_else(|| "default".to_owned(), |p| p.to_string())
            )
        });
        match (&mailer, server) {
            (Ok(Some(_)), server) => {
                let server = server.unwrap_or_default();
                tracing::info!(%server, from = %config.mail.from, "e-mail goes out by SMTP")
            }
            (Err(problem), _) => {
                tracing::error!(%problem, "the SMTP client cannot be built; e-mails wait in the queue")
            }
            (Ok(None), _) => {
                tracing::info!("no SMTP server configured (VOUCH_SMTP_URL): e-mails stay in the outbox")
            }
        }
        Self { mailer, host }
    }
}

#[async_trait]
impl JobHandler for SendEmail {
    async fn run(&self, ctx: &JobContext, job: &job::Model) -> Result<JobOutcome, JobError> {
        let payload: Payload = crate::jobs::payload(job)?;
        let Some(row) = outbox_email::Entity::find_by_id(payload.outbox_id).one(&ctx.db).await? else {
            return Ok(JobOutcome::Done);
        };
        if row.sent_at.is_some() {
            return Ok(JobOutcome::Done);
        }
        let mailer = match &self.mailer {
            Ok(Some(mailer)) => mailer,
            Ok(None) => return to_outbox(&ctx.db, &row).await,
            Err(problem) => return Err(JobError::retryable(problem.clone())),
        };
        let mail = Outgoing {
            to: &row.to_address,
            subject: &row.subject,
            body: &row.body,
            message_id: format!("<{}@{}>", row.id, self.host),
        };
        let result = mailer.send(&mail).await;
        let last_attempt = job.attempts >= job.max_attempts;
        match result {
            Ok(()) => {
                // The status and its timeline entry together: whoever sees
                // SENT sees the entry too.
                let txn = crate::db::begin_write(&ctx.db).await?;
                record(&txn, &row, SENT, None).await?;
                let detail =
                    format!("{} e-mail sent to {} (the SMTP server accepted it)", row.kind, row.to_address);
                note(&txn, &row, "email.sent", &detail).await?;
                txn.commit().await?;
                Ok(JobOutcome::Done)
            }
            Err(SendError::Permanent(message)) => {
                record(&ctx.db, &row, FAILED, Some(&message)).await?;
                let detail = format!("{} e-mail to {} failed: {message}", row.kind, row.to_address);
                note(&ctx.db, &row, "email.failed", &detail).await?;
                Err(JobError::permanent(message))
            }
            Err(SendError::Transient(message)) if last_attempt => {
                record(&ctx.db, &row, FAILED, Some(&message)).await?;
                let detail = format!(
                    "{} e-mail to {} failed after {} attempts: {message}",
                    row.kind, row.to_address, job.attempts
                );
                note(&ctx.db, &row, "email.failed", &detail).await?;
                Err(JobError::retryable(message))
            }
            Err(SendError::Transient(message)) => {
                record(&ctx.db, &row, QUEUED, Some(&message)).await?;
                let detail = format!(
                    "{} e-mail to {} not sent yet (attempt {} of {}): {message}; retrying",
                    row.kind, row.to_address, job.attempts, job.max_attempts
                );
                note(&ctx.db, &row, "email.retrying", &detail).await?;
                Err(JobError::retryable(message))
            }
        }
    }
}

/// No SMTP: the outbox is the delivery.
async fn to_outbox<C: ConnectionTrait>(db: &C, row: &outbox_email::Model) -> Result<JobOutcome, JobError> {
    outbox_email::Entity::update_many()
        .col_expr(outbox_email::Column::Status, Expr::value(DELIVERED_TO_OUTBOX))
        .col_expr(outbox_email::Column::SentAt, Expr::value(Utc::now()))
        .filter(outbox_email::Column::Id.eq(row.id))
        .filter(outbox_email::Column::SentAt.is_null())
        .exec(db)
        .await?;
    let detail = format!("{} e-mail delivered to the outbox (no SMTP configured)", row.kind);
    note(db, row, "email.sent", &detail).await?;
    Ok(JobOutcome::Done)
}

/// Stores one SMTP attempt's outcome on the row.
async fn record<C: ConnectionTrait>(
    db: &C,
    row: &outbox_email::Model,
    status: &str,
    error: Option<&str>,
) -> Result<(), JobError> {
    let mut update = outbox_email::Entity::update_many()
        .col_expr(outbox_email::Column::Status, Expr::value(status))
        .col_expr(outbox_email::Column::Attempts, Expr::col(outbox_email::Column::Attempts).add(1))
        .col_expr(
            outbox_email::Column::LastError,
            Expr::value(error.map(|e| e.chars().take(2000).collect::<String>())),
        )
        .filter(outbox_email::Column::Id.eq(row.id))
        .filter(outbox_email::Column::SentAt.is_null());
    if status == SENT {
        update = update.col_expr(outbox_email::Column::SentAt, Expr::value(Utc::now()));
    }
    update.exec(db).await?;
    Ok(())
}

/// Writes the outcome on the check's timeline (e-mails of a check only).
async fn note<C: ConnectionTrait>(
    db: &C,
    row: &outbox_email::Model,
    kind: &str,
    detail: &str,
) -> Result<(), JobError> {
    if let Some(check_id) = row.check_id {
        timeline::record(db, check_id, kind, None, Some(detail), "vouch").await?;
    }
    Ok(())
}
