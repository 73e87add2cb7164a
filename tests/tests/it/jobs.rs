//! The job queue on a real database, without the HTTP server: idempotent
//! enqueue, retries with backoff then FAILED, retry by an admin, PAUSED and
//! resumed, progress, expired leases claimed again, and two worker pools
//! (two "processes", each with its own connection pool) on one database
//! never running a job twice or two jobs of one concurrency key at once.
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::Utc;
use entity::job::{self, JobStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;
use vouch::jobs::{
    enqueue, resume_paused_for_connection, retry_job, JobContext, JobError, JobHandler, JobOutcome,
    JobSignal, NewJob, Registry, WorkerConfig, Workers,
};
use vouch::lever::RetrySchedule;
use vouch_tests::{eventually, TestDatabase};

struct Db {
    db: DatabaseConnection,
    url: vouch::db::DatabaseUrl,
    _database: TestDatabase,
    _dir: tempfile::TempDir,
}

async fn database() -> Db {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::create(&dir).await.expect("test database");
    let url = vouch::db::DatabaseUrl::parse(database.url()).expect("url");
    let db = vouch::db::connect(&url).await.expect("connect");
    vouch::db::migrate(&db, &url).await.expect("migrate");
    Db { db, url, _database: database, _dir: dir }
}

fn fast_config(workers: usize) -> WorkerConfig {
    WorkerConfig {
        workers,
        poll_interval: Duration::from_millis(50),
        lease: Duration::from_secs(3),
        retry: RetrySchedule {
            base: Duration::from_millis(20),
            factor: 2.0,
            max_delay: Duration::from_millis(200),
            max_attempts: u32::MAX,
            jitter: 0.5,
        },
    }
}

fn start(
    db: &DatabaseConnection,
    registry: Registry,
    workers: usize,
) -> (JobSignal, CancellationToken, tokio::task::JoinHandle<()>) {
    let signal = JobSignal::new();
    let shutdown = CancellationToken::new();
    let handle =
        Workers::new(db.clone(), registry, fast_config(workers), signal.clone()).spawn(shutdown.clone());
    (signal, shutdown, handle)
}

async fn job(db: &DatabaseConnection, id: Uuid) -> job::Model {
    job::Entity::find_by_id(id).one(db).await.expect("read").expect("job exists")
}

async fn settled(db: &DatabaseConnection, id: Uuid, status: JobStatus) -> job::Model {
    eventually(&format!("job to be {status:?}"), Duration::from_secs(20), || async move {
        let row = job(db, id).await;
        (row.status == status).then_some(row)
    })
    .await
}

/// Fails the first `failures` runs of each job, then succeeds.
struct Flaky {
    failures: i32,
    error: fn() -> JobError,
}

#[async_trait]
impl JobHandler for Flaky {
    async fn run(&self, ctx: &JobContext, job: &job::Model) -> Result<JobOutcome, JobError> {
        ctx.report_progress(i64::from(job.attempts), Some(10)).await?;
        if job.attempts <= self.failures {
            Err((self.error)())
        } else {
            Ok(JobOutcome::Done)
        }
    }
}

fn registry(kind: &str, handler: impl JobHandler + 'static) -> Registry {
    let mut registry = Registry::new();
    registry.register(kind, Arc::new(handler));
    registry
}

#[tokio::test]
async fn enqueue_is_idempotent_by_key() {
    let d = database().await;
    let first = enqueue(&d.db, NewJob::new("k", "same-key", json!({"n": 1}))).await.expect("enqueue");
    let second = enqueue(&d.db, NewJob::new("k", "same-key", json!({"n": 2}))).await.expect("enqueue again");
    assert_eq!(first, second);
    assert_eq!(job(&d.db, first).await.payload, json!({"n": 1}), "the first job is kept");
    // Also inside a transaction that goes on after the conflict (PostgreSQL
    // aborts a transaction on a failed statement; ON CONFLICT must not fail).
    let txn = sea_orm::TransactionTrait::begin(&d.db).await.expect("begin");
    assert_eq!(enqueue(&txn, NewJob::new("k", "same-key", json!({}))).await.expect("in txn"), first);
    let other = enqueue(&txn, NewJob::new("k", "other-key", json!({}))).await.expect("after conflict");
    txn.commit().await.expect("commit");
    assert_eq!(job(&d.db, other).await.status, JobStatus::Queued);
}

#[tokio::test]
async fn failures_are_retried_with_backoff_then_failed_and_an_admin_retry_runs_again() {
    let d = database().await;
    let org = vouch::domain::organizations::find_or_create(&d.db, "Acme").await.expect("org").id;
    let flaky = Flaky { failures: 3, error: || JobError::retryable("Lever answered 503") };
    let (_signal, shutdown, handle) = start(&d.db, registry("flaky", flaky), 2);

    let mut recovers = NewJob::new("flaky", "recovers", json!({}));
    recovers.max_attempts = Some(5);
    let recovers = enqueue(&d.db, recovers).await.expect("enqueue");
    let mut gives_up = NewJob::new("flaky", "gives-up", json!({}));
    gives_up.max_attempts = Some(2);
    gives_up.organization_id = Some(org);
    let gives_up = enqueue(&d.db, gives_up).await.expect("enqueue");

    let done = settled(&d.db, recovers, JobStatus::Done).await;
    assert_eq!(done.attempts, 4, "three failures, then success");
    assert_eq!((done.progress_done, done.progress_total), (Some(4), Some(10)), "progress reported");
    assert!(done.finished_at.is_some() && done.lease_owner.is_none());

    let failed = settled(&d.db, gives_up, JobStatus::Failed).await;
    assert_eq!(failed.attempts, 2);
    assert_eq!(failed.last_error.as_deref(), Some("Lever answered 503"));

    // Another organization cannot retry it; its own admin can.
    let other = vouch::domain::organizations::find_or_create(&d.db, "Globex").await.expect("org").id;
    assert!(matches!(
        retry_job(&d.db, other, gives_up).await,
        Err(vouch::domain::DomainError::NotFound { .. })
    ));
    let retried = retry_job(&d.db, org, gives_up).await.expect("retry");
    assert_eq!((retried.status, retried.attempts), (JobStatus::Queued, 0));
    // Two more failures use up the fresh attempts again: it ran.
    let failed_again = settled(&d.db, gives_up, JobStatus::Failed).await;
    assert!(failed_again.updated_at > failed.updated_at);

    let mut permanent = NewJob::new("broken", "no-handler", json!({}));
    permanent.max_attempts = Some(5);
    let permanent = enqueue(&d.db, permanent).await.expect("enqueue");
    let failed = settled(&d.db, permanent, JobStatus::Failed).await;
    assert_eq!(failed.attempts, 1, "a permanent error is not retried");
    assert!(failed.last_error.unwrap_or_default().contains("no handler"));
    shutdown.cancel();
    handle.await.expect("workers stop");
}

/// Pauses while the (pretend) Lever connection is revoked.
struct NeedsLever {
    revoked: Arc<AtomicBool>,
}

#[async_trait]
impl JobHandler for NeedsLever {
    async fn run(&self, _ctx: &JobContext, _job: &job::Model) -> Result<JobOutcome, JobError> {
        if self.revoked.load(Ordering::SeqCst) {
            Err(JobError::paused("the Lever connection was revoked"))
        } else {
            Ok(JobOutcome::Done)
        }
    }
}

#[tokio::test]
async fn a_paused_job_waits_for_its_connection_to_resume() {
    let d = database().await;
    let connection = Uuid::new_v4();
    let revoked = Arc::new(AtomicBool::new(true));
    let (signal, shutdown, handle) =
        start(&d.db, registry("needs-lever", NeedsLever { revoked: revoked.clone() }), 1);
    let mut new = NewJob::new("needs-lever", "p1", json!({}));
    new.connection_id = Some(connection);
    let id = enqueue(&d.db, new).await.expect("enqueue");
    signal.wake();
    let paused = settled(&d.db, id, JobStatus::Paused).await;
    assert_eq!(paused.last_error.as_deref(), Some("the Lever connection was revoked"));
    assert_eq!(paused.attempts, 0, "a pause is not a failed attempt");

    // Reconnected in Lever, but parked jobs stay parked (no hot loop) until resumed.
    revoked.store(false, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(job(&d.db, id).await.status, JobStatus::Paused);
    assert_eq!(resume_paused_for_connection(&d.db, Uuid::new_v4()).await.expect("resume"), 0);
    assert_eq!(resume_paused_for_connection(&d.db, connection).await.expect("resume"), 1);
    signal.wake();
    let done = settled(&d.db, id, JobStatus::Done).await;
    assert_eq!(done.attempts, 1);
    shutdown.cancel();
    handle.await.expect("workers stop");
}

struct Quick;

#[async_trait]
impl JobHandler for Quick {
    async fn run(&self, _ctx: &JobContext, _job: &job::Model) -> Result<JobOutcome, JobError> {
        Ok(JobOutcome::Done)
    }
}

#[tokio::test]
async fn a_job_whose_lease_expired_is_claimed_again() {
    let d = database().await;
    let id = enqueue(&d.db, NewJob::new("quick", "orphan", json!({}))).await.expect("enqueue");
    let live = enqueue(&d.db, NewJob::new("quick", "held", json!({}))).await.expect("enqueue");
    // Two jobs claimed by a process that died: one lease expired, one still live.
    for (job_id, expires) in
        [(id, Utc::now() - chrono::Duration::seconds(1)), (live, Utc::now() + chrono::Duration::hours(1))]
    {
        job::Entity::update_many()
            .col_expr(job::Column::Status, Expr::value(JobStatus::Running))
            .col_expr(job::Column::LeaseOwner, Expr::value("dead-process"))
            .col_expr(job::Column::LeaseExpiresAt, Expr::value(expires))
            .col_expr(job::Column::Attempts, Expr::value(1))
            .filter(job::Column::Id.eq(job_id))
            .exec(&d.db)
            .await
            .expect("fake a dead claim");
    }
    let (_signal, shutdown, handle) = start(&d.db, registry("quick", Quick), 1);
    let done = settled(&d.db, id, JobStatus::Done).await;
    assert_eq!(done.attempts, 2);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(job(&d.db, live).await.status, JobStatus::Running, "a live lease is respected");
    shutdown.cancel();
    handle.await.expect("workers stop");
}

type Run = (Uuid, Option<String>, Instant, Instant);

/// Records every run: (job id, concurrency key, start, end).
#[derive(Default, Clone)]
struct Recorder {
    runs: Arc<Mutex<Vec<Run>>>,
}

#[async_trait]
impl JobHandler for Recorder {
    async fn run(&self, _ctx: &JobContext, job: &job::Model) -> Result<JobOutcome, JobError> {
        let started = Instant::now();
        tokio::time::sleep(Duration::from_millis(5)).await;
        self.runs.lock().expect("lock").push((job.id, job.concurrency_key.clone(), started, Instant::now()));
        Ok(JobOutcome::Done)
    }
}

#[tokio::test]
async fn two_worker_pools_on_one_database_run_each_job_once_and_respect_concurrency_keys() {
    let d = database().await;
    // A second "process": its own connection pool and workers.
    let other_db = vouch::db::connect(&d.url).await.expect("second pool");
    let recorder = Recorder::default();
    let (_s1, stop1, pool1) = start(&d.db, registry("record", recorder.clone()), 4);
    let (_s2, stop2, pool2) = start(&other_db, registry("record", recorder.clone()), 4);

    let total = 200;
    let mut ids = Vec::new();
    for n in 0..total {
        let mut new = NewJob::new("record", format!("job-{n}"), json!({ "n": n }));
        // A third of the jobs share one of three keys.
        new.concurrency_key = (n % 3 == 0).then(|| format!("opportunity-{}", n % 9));
        ids.push(enqueue(&d.db, new).await.expect("enqueue"));
    }
    eventually("every job to be done", Duration::from_secs(60), || async {
        let done = job::Entity::find()
            .filter(job::Column::Status.eq(JobStatus::Done))
            .all(&d.db)
            .await
            .expect("read");
        (done.len() == total).then_some(())
    })
    .await;
    stop1.cancel();
    stop2.cancel();
    pool1.await.expect("pool 1 stops");
    pool2.await.expect("pool 2 stops");

    let runs = recorder.runs.lock().expect("lock").clone();
    let mut per_job: HashMap<Uuid, usize> = HashMap::new();
    for (id, ..) in &runs {
        *per_job.entry(*id).or_default() += 1;
    }
    assert_eq!(per_job.len(), total, "every job ran");
    assert!(per_job.values().all(|n| *n == 1), "no job ran twice: {per_job:?}");
    let mut by_key: HashMap<&str, Vec<(Instant, Instant)>> = HashMap::new();
    for (_, key, start, end) in &runs {
        if let Some(key) = key {
            by_key.entry(key).or_default().push((*start, *end));
        }
    }
    assert_eq!(by_key.len(), 3);
    for (key, mut spans) in by_key {
        spans.sort();
        for pair in spans.windows(2) {
            assert!(pair[0].1 <= pair[1].0, "two jobs of {key} overlapped");
        }
    }
}
