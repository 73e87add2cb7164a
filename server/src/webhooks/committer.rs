//! Group commit for the webhook inbox: concurrent deliveries share one
//! transaction, and so one fsync.
//!
//! With SQLite `synchronous=FULL` (and PostgreSQL `synchronous_commit=on`) a
//! commit waits for the disk, so one transaction per delivery caps ingest at
//! one delivery per fsync. Instead the route verifies and parses a delivery,
//! then hands its inbox row to the [`Committer`] and waits for the answer:
//!
//! - A writer task drains whatever is queued (up to [`MAX_BATCH`] rows; it
//!   never waits for more to arrive, so a lone delivery is committed at
//!   once and batches grow only while a commit is under way), and writes
//!   the batch in one `BEGIN IMMEDIATE` transaction (rows sorted by dedupe
//!   key, so concurrent batches lock the unique index in one order):
//!   one multi-row `INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`
//!   and, per connection in the batch, one fan-out job that will enqueue the
//!   processing jobs of the rows that were new (see `fan_out`: a job per
//!   delivery here doubled the pages every commit wrote), then `COMMIT`.
//!   On PostgreSQL the route's committer sends all of it as one statement
//!   that commits on its own (see `batch_statement`): one round trip per
//!   batch instead of four; on SQLite its own thread runs the statements
//!   itself (see below). Only then does each waiting
//!   request get its own answer through a oneshot channel, so a 200 still
//!   means "committed", the delivery and the work it asks for.
//! - De-duplication holds within a batch and across batches: the first row
//!   of a dedupe key in a batch is the one written; later rows with the same
//!   key in that batch, and rows whose key was stored before (the `RETURNING`
//!   list lacks them), are answered [`Stored::Duplicate`]. Two requests for
//!   one delivery thus both get a 200 and there is one row and, once the
//!   fan-out job has run, one processing job.
//! - A batch that fails is never answered wholesale by a guess. When the
//!   database says it cannot take writes now (busy or locked past the
//!   wait, read-only, full, unreachable: [`crate::db::DbFailure::Unavailable`])
//!   every request of the batch gets 503 with `Retry-After`: retrying each
//!   alone would wait out the same lock once per row, and Lever retries.
//!   Any other failure means the database refused some row (e.g. its
//!   connection was deleted after the route checked it, a foreign key
//!   violation): the batch is rolled back and each delivery is then written
//!   in a transaction of its own ([`inbox::insert_with_job`]) and answered by
//!   its own outcome, so one bad row costs the others nothing but a retry.
//! - The wait for the write lock is bounded on both engines: SQLite's
//!   `busy_timeout` and, on PostgreSQL, `lock_timeout` (set on the
//!   committer's own connections when they open, or with `SET LOCAL` in
//!   each batch on shared ones: one round trip saved per batch; both
//!   [`crate::db::WRITE_LOCK_WAIT`]); past it the batch fails as
//!   unavailable instead of holding Lever's requests forever.
//! - A repeat of a delivery this process saw committed is answered
//!   [`Stored::Duplicate`] at once from [`RecentDeliveries`], without
//!   queueing: a retry storm or a replay costs no database work.
//! - Load shedding: the queue is bounded (the route's in-flight limit); a
//!   request that finds it full is answered [`Refused::Busy`] (503 with
//!   `Retry-After`) without waiting.
//!
//! - Writers and their connections: the route's committer
//!   ([`Committer::spawn_dedicated`]) has connections of its own, so a batch
//!   never waits for the pool and finds its page cache and prepared
//!   statements warm; on SQLite they leave WAL checkpoints to
//!   [`crate::db::checkpoint`], off the commit path. SQLite takes one writer
//!   at a time, so it gets one writer, on a thread of its own with its own
//!   connection (`sqlite_writer`): it takes a batch from the queue, writes
//!   it and answers it without handing anything to another thread (through
//!   sqlx a batch crossed between a runtime thread and the connection's
//!   thread four times, and on two busy cores those waits were most of its
//!   time). PostgreSQL commits concurrent transactions in parallel, so
//!   [`POSTGRES_WRITERS`] tasks take turns at the queue and commit side by
//!   side; they too run on a thread of their own (one single-threaded
//!   runtime for them and their connections), so PostgreSQL's answer to a
//!   batch never waits in a runtime queue behind request handling. (On the
//!   bench that moved the rate by less than its noise: PostgreSQL's CPU
//!   per batch, not this wait, is what bounds it. It is kept because both
//!   engines' committers now start the same way.)
//! - Foreground work: from a burst's first delivery until the queue has
//!   been quiet for [`QUIET_AFTER`], a writer holds a
//!   [`crate::jobs::Foreground`] guard, so the job workers claim no new
//!   job meanwhile (each at most every [`crate::jobs::MAX_YIELD`]): their
//!   commits would otherwise queue with ingest for SQLite's write lock and
//!   for the CPU.
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use entity::lever_webhook_delivery;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::inbox::{self, Stored};
use super::recent::{self, RecentDeliveries};
use super::sqlite_writer::{SqliteWriter, WriteFailure};
use super::{batch_statement, fan_out};
use crate::db::{classify, DatabaseUrl, DbFailure};
use crate::jobs::{self, Foreground, JobSignal};

/// Most deliveries written in one transaction (a few thousand bind
/// parameters, well under both engines' limits).
pub const MAX_BATCH: usize = 256;

/// How long the writer waits for the next delivery before it tells the job
/// workers the burst is over: a little longer than Lever (or a load
/// generator) takes to send the next request after an answer.
const QUIET_AFTER: std::time::Duration = std::time::Duration::from_millis(5);

/// Why a delivery was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The queue is full: shed (503, retry shortly).
    Busy,
    /// The database could not commit (503, retry later).
    Unavailable,
    /// The database refused the row because its connection no longer
    /// exists (deleted after the route looked it up): 404.
    ConnectionGone,
}

/// What the committer has done so far (for tests and the benchmark).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommitterStats {
    /// Deliveries the writer has taken from the queue.
    pub received: u64,
    /// Batch transactions committed.
    pub commits: u64,
    /// Deliveries answered from committed batches (stored or duplicate).
    pub answered: u64,
    /// The largest batch committed.
    pub largest_batch: u64,
    /// Batches the database refused for a row, then written one by one.
    pub split_batches: u64,
    /// Batches answered 503 because the database could not commit.
    pub unavailable_batches: u64,
    /// Repeats answered from the recently committed keys, not queued.
    pub recent_duplicates: u64,
}

#[derive(Default)]
struct Counters {
    received: AtomicU64,
    commits: AtomicU64,
    answered: AtomicU64,
    largest_batch: AtomicU64,
    split_batches: AtomicU64,
    unavailable_batches: AtomicU64,
    recent_duplicates: AtomicU64,
}

struct Pending {
    row: lever_webhook_delivery::Model,
    reply: oneshot::Sender<Result<Stored, Refused>>,
}

/// The handle requests submit deliveries through; cheap to clone. The
/// writer task stops once every handle is dropped and the queue is empty.
#[derive(Clone)]
pub struct Committer {
    queue: mpsc::Sender<Pending>,
    counters: Arc<Counters>,
    recent: Arc<RecentDeliveries>,
}

impl Committer {
    /// Starts the writer task on the current Tokio runtime. `capacity`
    /// bounds the queue (more waiting deliveries are refused as busy);
    /// `jobs` is woken after a commit that enqueued processing jobs.
    pub fn spawn(db: DatabaseConnection, jobs: JobSignal, capacity: usize) -> Self {
        Self::start(db, None, jobs, capacity)
    }

    /// As [`Committer::spawn`] (which runs one writer task on `db`), but with
    /// connections of its own to `url` ([`crate::db::connect_dedicated`];
    /// `shared` only if they cannot be opened) and, on PostgreSQL,
    /// [`POSTGRES_WRITERS`] writer tasks. The webhook route's committer.
    pub fn spawn_dedicated(
        url: DatabaseUrl,
        shared: DatabaseConnection,
        jobs: JobSignal,
        capacity: usize,
    ) -> Self {
        Self::start(shared, Some(url), jobs, capacity)
    }

    fn start(
        shared: DatabaseConnection,
        dedicated: Option<DatabaseUrl>,
        jobs: JobSignal,
        capacity: usize,
    ) -> Self {
        let (queue, receiver) = mpsc::channel(capacity.max(1));
        let counters = Arc::new(Counters::default());
        let recent = Arc::new(RecentDeliveries::new(recent::CAPACITY));
        let (counters_, recent_) = (counters.clone(), recent.clone());
        let on_own_thread = dedicated.is_some();
        let writers = async move {
            let intake = Arc::new(tokio::sync::Mutex::new(Intake { receiver, foreground: None }));
            let targets = match dedicated {
                None => vec![Writer::shared(shared)],
                Some(url) => dedicated_writers(&url, &shared).await.unwrap_or_else(|err| {
                    tracing::warn!(error = %err, "the webhook committer cannot open connections of its own; sharing the pool");
                    vec![Writer::shared(shared)]
                }),
            };
            let mut tasks = tokio::task::JoinSet::new();
            for target in targets {
                tasks.spawn(writer(target, jobs.clone(), intake.clone(), counters_.clone(), recent_.clone()));
            }
            while tasks.join_next().await.is_some() {}
        };
        if !on_own_thread {
            tokio::spawn(writers);
        } else if let Err(err) = run_on_own_thread(writers) {
            tracing::error!(error = %err, "the webhook committer's thread did not start; deliveries will be answered 503");
        }
        Self { queue, counters, recent }
    }

    /// Stores `row` (unless its dedupe key is stored already) with its
    /// processing job, sharing the transaction with whatever else is
    /// queued; answers once that transaction has committed.
    pub async fn submit(&self, row: lever_webhook_delivery::Model) -> Result<Stored, Refused> {
        if self.recent.contains(&row.dedupe_key) {
            self.counters.recent_duplicates.fetch_add(1, Ordering::Relaxed);
            return Ok(Stored::Duplicate);
        }
        let (reply, answer) = oneshot::channel();
        match self.queue.try_send(Pending { row, reply }) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => return Err(Refused::Busy),
            Err(mpsc::error::TrySendError::Closed(_)) => {
                tracing::error!("the webhook committer has stopped; answering 503");
                return Err(Refused::Unavailable);
            }
        }
        // A dropped reply means the writer died mid-batch: nothing promised.
        answer.await.unwrap_or(Err(Refused::Unavailable))
    }

    /// Deliveries waiting for the writer (not counting the batch in hand).
    pub fn queued(&self) -> usize {
        self.queue.max_capacity() - self.queue.capacity()
    }

    pub fn stats(&self) -> CommitterStats {
        let c = &self.counters;
        CommitterStats {
            received: c.received.load(Ordering::Relaxed),
            commits: c.commits.load(Ordering::Relaxed),
            answered: c.answered.load(Ordering::Relaxed),
            largest_batch: c.largest_batch.load(Ordering::Relaxed),
            split_batches: c.split_batches.load(Ordering::Relaxed),
            unavailable_batches: c.unavailable_batches.load(Ordering::Relaxed),
            recent_duplicates: c.recent_duplicates.load(Ordering::Relaxed),
        }
    }
}

/// Concurrent batch transactions on PostgreSQL: one batch fills while the
/// other commits. With a batch as one statement, two writers made the
/// largest batches and the highest rate on the bench machine (5,700/s, 16
/// deliveries per commit; four writers 5,100/s and 8 per commit, eight
/// 3,900/s and 4 per commit): on two cores PostgreSQL's CPU time per
/// statement, not the wait for its WAL flush, is what a batch costs.
pub const POSTGRES_WRITERS: usize = 2;

/// The queue, shared by the writer tasks: one of them takes from it at a
/// time while the others commit.
struct Intake {
    receiver: mpsc::Receiver<Pending>,
    /// Held from the first delivery of a burst until the queue has been
    /// quiet for [`QUIET_AFTER`]: the job workers hold back meanwhile (see
    /// `jobs::signal`). Kept here, not per writer, so that a writer waiting
    /// for its turn at the queue never keeps a burst alive after it ended.
    foreground: Option<Foreground>,
}

type SharedIntake = Arc<tokio::sync::Mutex<Intake>>;

/// A writer task's connection(s).
#[derive(Clone)]
struct Writer {
    /// The pool it writes through, and the one a refused batch is then
    /// written through delivery by delivery.
    db: DatabaseConnection,
    /// `db`'s connections bound their lock waits already (PostgreSQL's
    /// `lock_timeout`), so batches need not: the route's committer on
    /// PostgreSQL.
    lock_wait_set: bool,
    /// On SQLite, the route's committer's own connection: batches go
    /// through it instead of `db` (see `sqlite_writer`).
    sqlite: Option<Arc<std::sync::Mutex<SqliteWriter>>>,
}

impl Writer {
    fn shared(db: DatabaseConnection) -> Self {
        Self { db, lock_wait_set: false, sqlite: None }
    }
}

async fn dedicated_writers(url: &DatabaseUrl, shared: &DatabaseConnection) -> Result<Vec<Writer>, String> {
    match url {
        DatabaseUrl::Sqlite { path } => {
            // On the committer's own thread: blocking it blocks nothing else.
            let opened =
                SqliteWriter::open(path, crate::db::WRITE_LOCK_WAIT).map_err(|err| err.to_string())?;
            let sqlite = Some(Arc::new(std::sync::Mutex::new(opened)));
            // `db` is the shared pool, for the one-by-one fallback only.
            Ok(vec![Writer { sqlite, ..Writer::shared(shared.clone()) }])
        }
        DatabaseUrl::Postgres { .. } => {
            // They open with the lock wait bounded (see `connect_dedicated`).
            let db = crate::db::connect_dedicated(url, POSTGRES_WRITERS as u32)
                .await
                .map_err(|err| err.to_string())?;
            let writer = Writer { db, lock_wait_set: true, sqlite: None };
            Ok(vec![writer; POSTGRES_WRITERS])
        }
    }
}

/// Runs the route's committer's writers on a thread of their own (a
/// single-threaded runtime for their queue, timers and PostgreSQL
/// connections; SQLite's writes block that thread, and only it).
fn run_on_own_thread(writer: impl std::future::Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    std::thread::Builder::new().name("webhook-committer".into()).spawn(move || runtime.block_on(writer))?;
    Ok(())
}

async fn writer(
    target: Writer,
    jobs: JobSignal,
    intake: SharedIntake,
    counters: Arc<Counters>,
    recent: Arc<RecentDeliveries>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    loop {
        // Waits for one delivery, then takes whatever else is queued.
        let received = {
            let mut intake = intake.lock().await;
            let Intake { receiver, foreground } = &mut *intake;
            let received = if foreground.is_some() {
                match tokio::time::timeout(QUIET_AFTER, receiver.recv_many(&mut batch, MAX_BATCH)).await {
                    Ok(received) => received,
                    Err(_quiet) => {
                        *foreground = None;
                        continue;
                    }
                }
            } else {
                receiver.recv_many(&mut batch, MAX_BATCH).await
            };
            if received > 0 {
                foreground.get_or_insert_with(|| jobs.foreground());
            } else {
                // Every handle is gone: the burst, if any, is over.
                *foreground = None;
            }
            received
        };
        if received == 0 {
            break;
        }
        counters.received.fetch_add(batch.len() as u64, Ordering::Relaxed);
        commit(&target, &jobs, std::mem::take(&mut batch), &counters, &recent).await;
    }
}

async fn commit(
    target: &Writer,
    signal: &JobSignal,
    batch: Vec<Pending>,
    counters: &Counters,
    recent: &RecentDeliveries,
) {
    // The first row of each dedupe key is the one written.
    let mut seen = HashSet::with_capacity(batch.len());
    let mut rows: Vec<_> =
        batch.iter().filter(|p| seen.insert(p.row.dedupe_key.as_str())).map(|p| p.row.clone()).collect();
    // Concurrent batches (PostgreSQL) take the unique index's row locks in
    // one order, so two batches sharing keys wait for each other instead of
    // deadlocking.
    rows.sort_unstable_by(|a, b| a.dedupe_key.cmp(&b.dedupe_key));
    let started = std::time::Instant::now();
    let written = write(target, rows).await;
    metrics::histogram!("lever_webhook_commit_seconds").record(started.elapsed().as_secs_f64());
    match written {
        Ok((inserted, jobs)) => {
            counters.commits.fetch_add(1, Ordering::Relaxed);
            counters.answered.fetch_add(batch.len() as u64, Ordering::Relaxed);
            counters.largest_batch.fetch_max(batch.len() as u64, Ordering::Relaxed);
            metrics::counter!("lever_webhook_commits_total").increment(1);
            metrics::histogram!("lever_webhook_commit_batch_size").record(batch.len() as f64);
            // Every key of the batch is now committed: written, or found.
            recent.remember(batch.iter().map(|p| p.row.dedupe_key.as_str()));
            // One wake per job, up to a handful: each wakes an idle worker.
            for _ in 0..jobs.min(16) {
                signal.wake();
            }
            for pending in batch {
                let answer = if inserted.contains(&pending.row.id) {
                    Stored::New { delivery_id: pending.row.id, status: pending.row.status }
                } else {
                    Stored::Duplicate
                };
                let _ = pending.reply.send(Ok(answer));
            }
        }
        Err(err) if err.failure == DbFailure::Unavailable => {
            counters.unavailable_batches.fetch_add(1, Ordering::Relaxed);
            tracing::error!(error = %err, deliveries = batch.len(), "webhook batch could not be committed; answering 503");
            for pending in batch {
                let _ = pending.reply.send(Err(Refused::Unavailable));
            }
        }
        Err(err) => {
            counters.split_batches.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(error = %err, deliveries = batch.len(), "webhook batch refused; storing each delivery alone");
            one_by_one(&target.db, signal, batch).await;
        }
    }
}

/// The fallback after a refused batch: each delivery in its own
/// transaction, answered by its own outcome.
async fn one_by_one(db: &DatabaseConnection, signal: &JobSignal, batch: Vec<Pending>) {
    let mut unavailable = false;
    for pending in batch {
        // Once the database says it cannot commit, the rest would only
        // wait out the same failure.
        if unavailable {
            let _ = pending.reply.send(Err(Refused::Unavailable));
            continue;
        }
        let answer = match inbox::insert_with_job(db, pending.row).await {
            Ok(stored) => {
                if matches!(stored, Stored::New { status, .. } if status == lever_webhook_delivery::DeliveryStatus::Received)
                {
                    signal.wake();
                }
                Ok(stored)
            }
            Err(err) => match classify(&err) {
                DbFailure::ForeignKeyViolation => Err(Refused::ConnectionGone),
                failure => {
                    unavailable = failure == DbFailure::Unavailable;
                    tracing::error!(error = %err, "webhook delivery could not be stored; answering 503");
                    Err(Refused::Unavailable)
                }
            },
        };
        let _ = pending.reply.send(answer);
    }
}

/// Writes the rows whose dedupe key is free, and the fan-out jobs of those
/// written (see `fan_out`), in one transaction. Answers the ids written and
/// how many jobs were enqueued.
async fn write(
    Writer { db, lock_wait_set, sqlite }: &Writer,
    rows: Vec<lever_webhook_delivery::Model>,
) -> Result<(HashSet<Uuid>, usize), WriteFailure> {
    let shares = fan_out::shares(&rows);
    let groups: Vec<Vec<Uuid>> = shares.iter().map(|share| share.delivery_ids.clone()).collect();
    let inserted = if let Some(sqlite) = sqlite {
        // On the committer's own thread: blocking it blocks nothing else.
        let mut sqlite = sqlite.lock().map_err(|_| WriteFailure {
            failure: DbFailure::Other,
            message: "the SQLite committer's connection was poisoned by a panic".into(),
        })?;
        sqlite.write(rows, shares)?
    } else if *lock_wait_set && db.get_database_backend() == DatabaseBackend::Postgres {
        // One statement, one round trip (see `batch_statement`); the
        // connection bounds its lock waits already.
        let mut inserted = HashSet::new();
        for row in db.query_all_raw(batch_statement::postgres(rows, shares)?).await? {
            inserted.insert(row.try_get::<Uuid>("", "id")?);
        }
        inserted
    } else {
        write_in_transaction(db, rows, shares).await?
    };
    let jobs = groups.iter().filter(|ids| ids.iter().any(|id| inserted.contains(id))).count();
    Ok((inserted, jobs))
}

/// The committer on the shared pool: a transaction of two inserts.
async fn write_in_transaction(
    db: &DatabaseConnection,
    rows: Vec<lever_webhook_delivery::Model>,
    shares: Vec<fan_out::Share>,
) -> Result<HashSet<Uuid>, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        // SQLite's busy_timeout bounds its wait for the write lock; this is
        // PostgreSQL's twin (a table lock held by a migration, say).
        let wait = crate::db::WRITE_LOCK_WAIT.as_millis();
        txn.execute_unprepared(&format!("SET LOCAL lock_timeout = '{wait}ms'")).await?;
    }
    let insert = batch_statement::insert_deliveries(rows);
    let mut inserted = HashSet::new();
    for row in txn.query_all(&insert).await? {
        inserted.insert(row.try_get::<Uuid>("", "id")?);
    }
    let jobs: Vec<_> = shares
        .into_iter()
        .filter(|share| share.delivery_ids.iter().any(|id| inserted.contains(id)))
        .map(|share| share.job)
        .collect();
    jobs::enqueue_many(&txn, jobs).await?;
    txn.commit().await?;
    Ok(inserted)
}
