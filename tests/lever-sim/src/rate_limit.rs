//! Lever's rate limit: a token bucket per credential (API key or OAuth
//! grant), plus the request statistics tests read back.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use crate::model::now_ms;

/// One credential's bucket.
#[derive(Debug, Clone)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Counters of one credential.
#[derive(Debug, Clone, Default)]
pub struct CredentialStats {
    pub requests: u64,
    pub throttled: u64,
    /// Epoch ms of every request (throttled ones included).
    pub timestamps: Vec<i64>,
    /// Epoch ms of every request that was let through.
    pub accepted_timestamps: Vec<i64>,
    /// Writes (POST, PUT, PATCH, DELETE) let through to a handler.
    pub writes: u64,
}

/// Statistics as the control API shows them.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialReport {
    pub credential: String,
    pub requests: u64,
    pub throttled: u64,
    /// Writes (any method but GET) that passed the rate limit and fault
    /// injection and reached their handler: what a caller changed, or tried to.
    pub writes: u64,
    /// Most requests seen in any 1-second window (throttled ones included).
    pub max_requests_in_1s: usize,
    /// Most accepted requests in any 1-second window.
    pub max_accepted_in_1s: usize,
    pub timestamps: Vec<i64>,
}

/// Buckets and statistics of all credentials.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: HashMap<String, Bucket>,
    stats: BTreeMap<String, CredentialStats>,
}

/// The most timestamps (sorted ms) that fit in any window of 1000 ms.
pub fn max_in_window(sorted: &[i64], window_ms: i64) -> usize {
    let mut best = 0;
    let mut start = 0;
    for end in 0..sorted.len() {
        while sorted[end] - sorted[start] >= window_ms {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

impl RateLimiter {
    /// Takes a token for `credential`. `Err(seconds)` when the bucket is
    /// empty: the whole seconds until a token is back (at least 1).
    pub fn check(&mut self, credential: &str, per_second: f64, burst: f64) -> Result<(), u64> {
        let now = Instant::now();
        let bucket =
            self.buckets.entry(credential.to_string()).or_insert(Bucket { tokens: burst, last: now });
        let elapsed = now.duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(burst);
        bucket.last = now;
        let stats = self.stats.entry(credential.to_string()).or_default();
        let ts = now_ms();
        stats.requests += 1;
        stats.timestamps.push(ts);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            stats.accepted_timestamps.push(ts);
            Ok(())
        } else {
            stats.throttled += 1;
            let wait = (1.0 - bucket.tokens) / per_second;
            Err((wait.ceil() as u64).max(1))
        }
    }

    /// Counts a write of `credential` that reached its handler.
    pub fn record_write(&mut self, credential: &str) {
        self.stats.entry(credential.to_string()).or_default().writes += 1;
    }

    /// Reports of every credential seen since the last reset.
    pub fn reports(&self) -> Vec<CredentialReport> {
        self.stats
            .iter()
            .map(|(credential, s)| CredentialReport {
                credential: credential.clone(),
                requests: s.requests,
                throttled: s.throttled,
                writes: s.writes,
                max_requests_in_1s: max_in_window(&s.timestamps, 1000),
                max_accepted_in_1s: max_in_window(&s.accepted_timestamps, 1000),
                timestamps: s.timestamps.clone(),
            })
            .collect()
    }

    /// Forgets statistics (buckets are kept, so a reset grants no burst).
    pub fn reset_stats(&mut self) {
        self.stats.clear();
    }

    /// Refills every bucket.
    pub fn reset_buckets(&mut self) {
        self.buckets.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_throttle() {
        let mut rl = RateLimiter::default();
        let ok = (0..30).filter(|_| rl.check("k", 10.0, 20.0).is_ok()).count();
        assert!((20..=21).contains(&ok), "{ok}");
        let r = &rl.reports()[0];
        assert_eq!(r.requests, 30);
        assert_eq!(r.throttled as usize, 30 - ok);
    }

    #[test]
    fn window() {
        assert_eq!(max_in_window(&[0, 100, 999, 1000, 1500], 1000), 3);
        assert_eq!(max_in_window(&[], 1000), 0);
    }
}
