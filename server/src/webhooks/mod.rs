//! Lever webhooks: the route that accepts deliveries, the signing tokens
//! that verify them, the inbox that stores them once, and the job that
//! processes them in order.
//!
//! - `route`: verify, store, answer (the least work possible).
//! - `payload`: the body read strictly; the signature (HMAC-SHA256 of
//!   `token` ‖ `triggeredAt`, constant-time check).
//! - `tokens`: a connection's signing tokens, encrypted in `secrets`.
//! - `keyring`: the route's short-lived in-memory copy of them.
//! - `committer`: group commit; concurrent deliveries share one transaction
//!   and one fsync, each answered only after that commit.
//! - `batch_statement`: a batch and its fan-out jobs as one statement
//!   (PostgreSQL).
//! - `sqlite_writer`: the committer's own SQLite connection, written from
//!   the committer's own thread.
//! - `fan_out`: the job a batch commits with, which enqueues the processing
//!   jobs of its deliveries off the commit path.
//! - `recent`: the dedupe keys seen committed, so repeats skip the database.
//! - `inbox`: a delivery's row and its processing job, stored once.
//! - `catch_up`: the periodic (and on-demand) job that stands in for lost
//!   stage-change webhooks, without ever doing a stage change twice.
//! - `processing`: the job handler, the per-opportunity ordering, and the
//!   [`EventProcessor`] the domain plugs in.
mod batch_statement;
pub mod catch_up;
pub mod committer;
pub mod fan_out;
pub mod inbox;
pub mod keyring;
pub mod payload;
pub mod processing;
pub mod recent;
mod route;
mod sqlite_writer;
pub mod tokens;

use std::sync::Arc;

pub use payload::{sign, Delivery, HANDLED_EVENTS};
pub use processing::{EventProcessor, LeverEvent, LeverEventKind, ProcessDelivery, RecordOnly, JOB_KIND};
pub use route::{router, MAX_BODY_BYTES};

use crate::jobs::Registry;

/// Registers the webhook processing job with `processor` doing the work.
pub fn register_jobs(registry: &mut Registry, processor: Arc<dyn EventProcessor>, state: &crate::AppState) {
    registry.register(JOB_KIND, Arc::new(ProcessDelivery::new(processor)));
    registry.register(fan_out::JOB_KIND, Arc::new(fan_out::FanOut { signal: state.jobs.clone() }));
    registry.register(catch_up::JOB_KIND, catch_up::CatchUpJob::new(state.clone()));
}
