//! The durable job queue: every side effect (Lever calls, webhook
//! processing, syncs) runs here, never inside a request.
//!
//! - `queue`: [`enqueue`] a [`NewJob`] on any connection or transaction, so a
//!   job is written in the same transaction as the state change that needs
//!   it (a true outbox). The idempotency key is unique: enqueueing the same
//!   work twice answers the first job's id. Admin actions: [`retry_job`],
//!   [`resume_paused_for_connection`], listing.
//! - `handler`: the [`JobHandler`] trait and the [`Registry`] keyed by kind;
//!   a handler answers [`JobOutcome`] or a [`JobError`] that says whether to
//!   retry (backoff with jitter per [`crate::lever::RetrySchedule`]), give up
//!   (FAILED) or park the job (PAUSED, e.g. a revoked Lever connection).
//! - `claim`: the one query that hands a runnable job to one worker, with a
//!   lease. PostgreSQL: `FOR UPDATE SKIP LOCKED` under a transaction-scoped
//!   advisory lock, so processes sharing the database never claim the same
//!   job, nor two jobs with one `concurrency_key`. SQLite: one
//!   `UPDATE … RETURNING` (SQLite runs one writer at a time) behind a
//!   process-wide mutex so in-process workers do not fight for the lock.
//! - `signal`: [`JobSignal`], which wakes idle workers when work is
//!   enqueued and makes them hold back while webhook ingest commits
//!   (foreground work goes first; see the module).
//! - `worker`: the loops. A worker claims, runs, records the outcome, and
//!   keeps its lease alive while the handler runs; a lease that expires
//!   (the process died) makes the job claimable again. On shutdown a worker
//!   finishes its current job and stops.
mod claim;
mod handler;
mod queue;
mod signal;
mod worker;

pub use handler::{organization, payload, JobContext, JobError, JobHandler, JobOutcome, Registry};
pub use queue::{
    enqueue, enqueue_many, enqueue_many_statement, find, list, resume_paused_for_connection, retry_job,
    JobFilter, NewJob, DEFAULT_MAX_ATTEMPTS,
};
pub use signal::{Foreground, JobSignal, MAX_YIELD};
pub use worker::{WorkerConfig, Workers};
