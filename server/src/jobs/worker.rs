//! The worker loops: claim, run, record the outcome; keep the lease alive
//! while running; stop between jobs on shutdown.
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::job::{self, JobStatus};
use futures::FutureExt;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::claim::claim_next;
use super::handler::{JobContext, JobError, JobOutcome, Registry};
use super::signal::JobSignal;
use crate::lever::RetrySchedule;

/// How the workers of one process behave.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Jobs run at once by this process.
    pub workers: usize,
    /// How often an idle worker looks for work enqueued by other processes
    /// (this process's own enqueues wake it at once).
    pub poll_interval: Duration,
    /// How long a claim lasts without renewal; a running job renews it every
    /// third of this. A dead process's jobs are claimed again after it.
    pub lease: Duration,
    /// Backoff between failed attempts; the attempt bound is the job's own
    /// `max_attempts`.
    pub retry: RetrySchedule,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            workers: 4,
            poll_interval: Duration::from_secs(1),
            lease: Duration::from_secs(60),
            retry: RetrySchedule {
                base: Duration::from_secs(2),
                factor: 2.0,
                max_delay: Duration::from_secs(15 * 60),
                max_attempts: u32::MAX,
                jitter: 0.3,
            },
        }
    }
}

/// A pool of workers over one database.
#[derive(Clone)]
pub struct Workers {
    db: DatabaseConnection,
    registry: Arc<Registry>,
    config: WorkerConfig,
    signal: JobSignal,
    /// Names this process in `lease_owner`.
    owner: String,
}

impl Workers {
    pub fn new(db: DatabaseConnection, registry: Registry, config: WorkerConfig, signal: JobSignal) -> Self {
        let owner = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
        Self { db, registry: Arc::new(registry), config, signal, owner }
    }

    /// Starts the loops; the task ends once `shutdown` is cancelled and every
    /// worker has finished its current job.
    pub fn spawn(self, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut set = JoinSet::new();
            for n in 0..self.config.workers.max(1) {
                let worker = self.clone();
                let owner = format!("{}-{n}", self.owner);
                set.spawn(worker.run_loop(owner, shutdown.clone()));
            }
            while set.join_next().await.is_some() {}
        })
    }

    async fn run_loop(self, owner: String, shutdown: CancellationToken) {
        while !shutdown.is_cancelled() {
            // Webhook ingest first (see `signal`).
            self.signal.yield_to_foreground(super::MAX_YIELD).await;
            match claim_next(&self.db, &owner, self.config.lease).await {
                Ok(Some(job)) => self.run_one(&owner, job, &shutdown).await,
                Ok(None) => self.idle(&shutdown).await,
                Err(err) => {
                    tracing::warn!(error = %err, "cannot claim a job; retrying shortly");
                    self.idle(&shutdown).await;
                }
            }
        }
    }

    async fn idle(&self, shutdown: &CancellationToken) {
        tokio::select! {
            () = shutdown.cancelled() => {}
            () = self.signal.woken() => {}
            () = tokio::time::sleep(self.config.poll_interval) => {}
        }
    }

    async fn run_one(&self, owner: &str, job: job::Model, shutdown: &CancellationToken) {
        let span = tracing::info_span!("job", id = %job.id, kind = %job.kind, attempt = job.attempts);
        self.run_traced(owner, job, shutdown).instrument(span).await
    }

    async fn run_traced(&self, owner: &str, job: job::Model, shutdown: &CancellationToken) {
        let ctx = JobContext {
            db: self.db.clone(),
            job_id: job.id,
            shutdown: shutdown.clone(),
            lease_owner: owner.to_owned(),
        };
        let heartbeat =
            tokio::spawn(keep_lease(self.db.clone(), job.id, owner.to_owned(), self.config.lease));
        let result = match self.registry.get(&job.kind) {
            None => Err(JobError::permanent(format!("no handler for job kind {:?}", job.kind))),
            Some(handler) => {
                // A panicking handler must not take the worker down with it.
                match std::panic::AssertUnwindSafe(handler.run(&ctx, &job)).catch_unwind().await {
                    Ok(result) => result,
                    Err(_) => Err(JobError::retryable("the job's handler panicked")),
                }
            }
        };
        heartbeat.abort();
        metrics::counter!("jobs_finished_total", "kind" => job.kind.clone(), "result" => result_label(&result))
            .increment(1);
        if let Err(err) = self.record(owner, &job, result).await {
            // The lease will expire and the job run again: handlers are idempotent.
            tracing::error!(error = %err, "cannot record a job's outcome");
        }
    }

    async fn record(
        &self,
        owner: &str,
        job: &job::Model,
        result: Result<JobOutcome, JobError>,
    ) -> Result<(), sea_orm::DbErr> {
        let now = Utc::now();
        let no_time = Option::<DateTime<Utc>>::None;
        let mut sets: Vec<(job::Column, SimpleExpr)> = vec![
            (job::Column::LeaseOwner, Expr::value(Option::<String>::None)),
            (job::Column::LeaseExpiresAt, Expr::value(no_time)),
            (job::Column::UpdatedAt, Expr::value(now)),
        ];
        match result {
            Ok(JobOutcome::Done) => {
                tracing::info!("job done");
                sets.push((job::Column::Status, Expr::value(JobStatus::Done)));
                sets.push((job::Column::FinishedAt, Expr::value(now)));
                sets.push((job::Column::LastError, Expr::value(Option::<String>::None)));
            }
            Ok(JobOutcome::Snooze(after)) => {
                sets.push((job::Column::Status, Expr::value(JobStatus::Queued)));
                sets.push((job::Column::RunAfter, Expr::value(later(now, after))));
                sets.push((job::Column::Attempts, Expr::value(job.attempts.saturating_sub(1))));
            }
            Err(JobError::Paused(message)) => {
                tracing::warn!(%message, "job paused");
                sets.push((job::Column::Status, Expr::value(JobStatus::Paused)));
                sets.push((job::Column::LastError, Expr::value(message)));
                // Waiting on someone else is not the job's failure.
                sets.push((job::Column::Attempts, Expr::value(job.attempts.saturating_sub(1))));
            }
            Err(JobError::Permanent(message)) => {
                tracing::warn!(%message, "job failed for good");
                sets.push((job::Column::Status, Expr::value(JobStatus::Failed)));
                sets.push((job::Column::LastError, Expr::value(message)));
                sets.push((job::Column::FinishedAt, Expr::value(now)));
            }
            Err(JobError::Retryable { message, retry_after }) => {
                let schedule =
                    RetrySchedule { max_attempts: job.max_attempts.max(1) as u32, ..self.config.retry };
                match schedule.next_delay(job.attempts.max(1) as u32, retry_after) {
                    Some(delay) => {
                        tracing::warn!(%message, ?delay, "job failed; will retry");
                        sets.push((job::Column::Status, Expr::value(JobStatus::Queued)));
                        sets.push((job::Column::RunAfter, Expr::value(later(now, delay))));
                    }
                    None => {
                        tracing::warn!(%message, "job failed; no attempts left");
                        sets.push((job::Column::Status, Expr::value(JobStatus::Failed)));
                        sets.push((job::Column::FinishedAt, Expr::value(now)));
                    }
                }
                sets.push((job::Column::LastError, Expr::value(message)));
            }
        }
        let mut update = job::Entity::update_many();
        for (column, value) in sets {
            update = update.col_expr(column, value);
        }
        let updated = update
            .filter(job::Column::Id.eq(job.id))
            .filter(job::Column::LeaseOwner.eq(owner))
            .filter(job::Column::Status.eq(JobStatus::Running))
            .exec(&self.db)
            .await?;
        if updated.rows_affected == 0 {
            tracing::warn!("the job's lease was lost before its outcome was recorded");
        }
        Ok(())
    }
}

fn later(now: DateTime<Utc>, after: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(after).unwrap_or(chrono::Duration::days(1))
}

fn result_label(result: &Result<JobOutcome, JobError>) -> &'static str {
    match result {
        Ok(JobOutcome::Done) => "done",
        Ok(JobOutcome::Snooze(_)) => "snoozed",
        Err(JobError::Retryable { .. }) => "retryable_error",
        Err(JobError::Permanent(_)) => "permanent_error",
        Err(JobError::Paused(_)) => "paused",
    }
}

/// Renews the lease every third of its length while the job runs, so only
/// a dead process lets it expire.
async fn keep_lease(db: DatabaseConnection, id: uuid::Uuid, owner: String, lease: Duration) {
    let mut tick = tokio::time::interval(lease / 3);
    tick.tick().await;
    loop {
        tick.tick().await;
        let now = Utc::now();
        let renewed = job::Entity::update_many()
            .col_expr(job::Column::LeaseExpiresAt, Expr::value(later(now, lease)))
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::LeaseOwner.eq(owner.as_str()))
            .filter(job::Column::Status.eq(JobStatus::Running))
            .exec(&db)
            .await;
        if let Err(err) = renewed {
            tracing::warn!(error = %err, "cannot renew a job's lease");
        }
    }
}
