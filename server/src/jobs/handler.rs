//! What a job kind does: the [`JobHandler`] trait, its outcomes and errors,
//! and the registry the workers look kinds up in.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use entity::job::{self, JobStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::domain::DomainError;

/// A job's payload as `T`; a payload that does not parse fails the job for
/// good (running it again would not change it).
pub fn payload<T: serde::de::DeserializeOwned>(job: &job::Model) -> Result<T, JobError> {
    serde_json::from_value(job.payload.clone())
        .map_err(|e| JobError::permanent(format!("malformed payload: {e}")))
}

/// The organization a job works for; one that names none fails for good.
pub fn organization(job: &job::Model) -> Result<Uuid, JobError> {
    job.organization_id.ok_or_else(|| JobError::permanent("the job names no organization"))
}

/// Runs the jobs of one kind. Handlers hold their own dependencies (Lever
/// clients, the secret store...) and must be idempotent: a job whose
/// process died mid-run is run again once its lease expires.
#[async_trait]
pub trait JobHandler: Send + Sync {
    async fn run(&self, ctx: &JobContext, job: &job::Model) -> Result<JobOutcome, JobError>;
}

/// A job that finished without error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// The work is done.
    Done,
    /// Not yet: run again after this long. Not counted as a failed attempt
    /// (for polling work such as waiting on another system).
    Snooze(Duration),
}

/// Why a run failed, which decides what happens next.
#[derive(Debug, Clone, thiserror::Error)]
pub enum JobError {
    /// Try again later, with backoff, until the job's attempts run out;
    /// `retry_after` (e.g. from a 429) replaces the computed delay.
    #[error("{message}")]
    Retryable { message: String, retry_after: Option<Duration> },
    /// Retrying cannot help: the job is FAILED at once.
    #[error("{0}")]
    Permanent(String),
    /// Cannot run until something outside changes (a revoked Lever
    /// connection): the job is PAUSED, not retried, until
    /// [`super::resume_paused_for_connection`] puts it back.
    #[error("{0}")]
    Paused(String),
}

impl JobError {
    pub fn retryable(message: impl Into<String>) -> Self {
        Self::Retryable { message: message.into(), retry_after: None }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        Self::Permanent(message.into())
    }

    pub fn paused(message: impl Into<String>) -> Self {
        Self::Paused(message.into())
    }
}

impl From<DbErr> for JobError {
    fn from(err: DbErr) -> Self {
        Self::retryable(format!("database: {err}"))
    }
}

impl From<DomainError> for JobError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Unavailable | DomainError::Internal(_) | DomainError::TooManyAttempts { .. } => {
                Self::retryable(match err {
                    DomainError::Internal(detail) => detail,
                    other => other.to_string(),
                })
            }
            other => Self::permanent(other.to_string()),
        }
    }
}

/// What a running job may use besides its row: the database, progress
/// reporting, and the shutdown signal (long jobs may stop between steps and
/// answer [`JobOutcome::Snooze`] to continue later).
pub struct JobContext {
    pub db: DatabaseConnection,
    pub job_id: Uuid,
    pub shutdown: CancellationToken,
    pub(crate) lease_owner: String,
}

impl JobContext {
    /// Records progress (e.g. 40 of 120 tags synced) for the app to show.
    /// Ignored when this worker no longer holds the job.
    pub async fn report_progress(&self, done: i64, total: Option<i64>) -> Result<(), JobError> {
        job::Entity::update_many()
            .col_expr(job::Column::ProgressDone, Expr::value(done))
            .col_expr(job::Column::ProgressTotal, Expr::value(total))
            .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(job::Column::Id.eq(self.job_id))
            .filter(job::Column::LeaseOwner.eq(self.lease_owner.as_str()))
            .filter(job::Column::Status.eq(JobStatus::Running))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

impl JobContext {
    /// Records what the run found (the kind owns the JSON shape), for the
    /// app to show once the job is done. Ignored when this worker no longer
    /// holds the job.
    pub async fn set_result(&self, result: serde_json::Value) -> Result<(), JobError> {
        job::Entity::update_many()
            .col_expr(job::Column::Result, Expr::value(result))
            .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(job::Column::Id.eq(self.job_id))
            .filter(job::Column::LeaseOwner.eq(self.lease_owner.as_str()))
            .filter(job::Column::Status.eq(JobStatus::Running))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

/// Handlers by job kind.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<String, Arc<dyn JobHandler>>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers the handler of `kind`, replacing any earlier one.
    pub fn register(&mut self, kind: impl Into<String>, handler: Arc<dyn JobHandler>) -> &mut Self {
        self.handlers.insert(kind.into(), handler);
        self
    }

    pub fn get(&self, kind: &str) -> Option<Arc<dyn JobHandler>> {
        self.handlers.get(kind).cloned()
    }

    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.handlers.keys().map(String::as_str)
    }
}
