//! The call log: one record per data API request that matched a route
//! (throttled and refused ones included), with its arrival and completion
//! times, endpoint, credential, opportunity and status.
//!
//! The per-credential statistics ([`crate::rate_limit`]) answer "how many,
//! how fast"; the log answers "which calls, for which opportunity, in what
//! order", which a benchmark needs to count calls per triggered check and
//! to see which calls sat on a check's critical path. Records carry a
//! sequence number so a reader can poll for what is new
//! (`GET /_sim/calls?after=N`). The log keeps the newest [`CAPACITY`]
//! records; `dropped` counts older ones it forgot.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use crate::model::now_ms;
use crate::sim::Sim;

/// Records kept before the oldest are forgotten.
pub const CAPACITY: usize = 200_000;

/// One data API request.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CallRecord {
    /// Position in the log, from 1, never reused until a reset.
    pub seq: u64,
    /// Epoch ms when the request arrived (before the rate limit and latency).
    pub at: i64,
    /// Epoch ms when the answer was ready (after latency and the handler).
    pub done: i64,
    /// `key:<api key>` or `grant:<grant id>`; null when refused with 401.
    pub credential: Option<String>,
    pub method: String,
    /// The route without the data centre prefix, e.g. `/opportunities/{id}/addTags`.
    pub endpoint: String,
    /// The opportunity in the path, for `/opportunities/{id}...` routes.
    pub opportunity_id: Option<String>,
    pub status: u16,
}

/// The log, kept in the simulator's state.
#[derive(Debug, Default)]
pub struct CallLog {
    records: VecDeque<CallRecord>,
    next_seq: u64,
    dropped: u64,
}

/// A page of the log as the control API answers it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallsReport {
    /// Records with `seq` above the asked one, oldest first.
    pub calls: Vec<CallRecord>,
    /// The highest `seq` so far (0 when empty): ask `after` it next time.
    pub last_seq: u64,
    /// Records forgotten because the log was full.
    pub dropped: u64,
}

impl CallLog {
    fn push(&mut self, mut record: CallRecord) {
        self.next_seq += 1;
        record.seq = self.next_seq;
        if self.records.len() >= CAPACITY {
            self.records.pop_front();
            self.dropped += 1;
        }
        self.records.push_back(record);
    }

    /// Records after `after` (a `seq`), oldest first.
    pub fn since(&self, after: u64) -> CallsReport {
        let calls = self.records.iter().filter(|r| r.seq > after).cloned().collect();
        CallsReport { calls, last_seq: self.next_seq, dropped: self.dropped }
    }

    /// Forgets every record.
    pub fn clear(&mut self) {
        *self = CallLog::default();
    }
}

/// Where the [`crate::auth::Caller`] extractor leaves the credential it
/// identified, for [`record`] to read once the answer is ready.
#[derive(Debug, Clone, Default)]
pub struct CredentialSlot(Arc<Mutex<Option<String>>>);

impl CredentialSlot {
    /// Notes who is calling.
    pub fn set(&self, credential: &str) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(credential.to_owned());
        }
    }

    fn get(&self) -> Option<String> {
        self.0.lock().ok().and_then(|s| s.clone())
    }
}

/// Middleware of the data API routes: logs every request with its answer.
pub async fn record(State(sim): State<Sim>, mut request: Request, next: Next) -> Response {
    let at = now_ms();
    let slot = CredentialSlot::default();
    request.extensions_mut().insert(slot.clone());
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let route = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned());
    let response = next.run(request).await;
    let record = CallRecord {
        seq: 0,
        at,
        done: now_ms(),
        credential: slot.get(),
        method,
        endpoint: endpoint(route.as_deref().unwrap_or(&path)),
        opportunity_id: opportunity_of(&path),
        status: response.status().as_u16(),
    };
    sim.lock().calls.push(record);
    response
}

/// `/us/v1/opportunities/{id}` → `/opportunities/{id}`.
fn endpoint(route: &str) -> String {
    match route.strip_prefix('/').and_then(|r| r.split_once('/')) {
        Some((_, rest)) => match rest.strip_prefix("v1") {
            Some(rest) if rest.starts_with('/') => rest.to_owned(),
            _ => route.to_owned(),
        },
        None => route.to_owned(),
    }
}

/// The id after `/opportunities/` in a request path.
fn opportunity_of(path: &str) -> Option<String> {
    let mut parts = path.split('/').skip_while(|p| *p != "opportunities").skip(1);
    parts.next().filter(|id| !id.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_lose_their_data_centre() {
        assert_eq!(endpoint("/us/v1/opportunities/{id}/addTags"), "/opportunities/{id}/addTags");
        assert_eq!(endpoint("/sandbox/v1/stages"), "/stages");
        assert_eq!(endpoint("/stages"), "/stages");
    }

    #[test]
    fn opportunity_ids_come_from_the_path() {
        assert_eq!(opportunity_of("/us/v1/opportunities/abc/notes/n1").as_deref(), Some("abc"));
        assert_eq!(opportunity_of("/us/v1/opportunities"), None);
        assert_eq!(opportunity_of("/us/v1/postings/p"), None);
    }

    #[test]
    fn the_log_forgets_the_oldest_when_full() {
        let mut log = CallLog::default();
        let record = CallRecord {
            seq: 0,
            at: 1,
            done: 1,
            credential: None,
            method: "GET".into(),
            endpoint: "/stages".into(),
            opportunity_id: None,
            status: 200,
        };
        for _ in 0..CAPACITY + 3 {
            log.push(record.clone());
        }
        let all = log.since(0);
        assert_eq!(all.calls.len(), CAPACITY);
        assert_eq!(all.dropped, 3);
        assert_eq!(all.calls[0].seq, 4);
        assert_eq!(log.since(all.last_seq).calls.len(), 0);
    }
}
