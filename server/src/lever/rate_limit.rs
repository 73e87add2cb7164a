//! The per-connection token bucket.
//!
//! Lever allows about 10 requests per second per key or token, bursts of 20,
//! and answers 429 above that. Vouch stays a little under it (8/s, burst 16
//! by default) so that 429s are rare rather than the normal way of pacing.
//! The bucket is a GCRA from the `governor` crate, read through a clock built
//! on `tokio::time`, so that it follows tokio's paused time in tests and the
//! wait is a plain `tokio::time::sleep`. One [`Bucket`] exists per connection
//! in the process and every clone of that connection's client shares it.

use std::{num::NonZeroU32, sync::Arc, time::Instant};

use governor::{
    clock::Clock,
    middleware::NoOpMiddleware,
    state::{InMemoryState, NotKeyed},
    Quota, RateLimiter,
};

/// Token bucket settings of one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Steady rate, requests per second.
    pub per_second: u32,
    /// Requests that may go at once after a quiet spell.
    pub burst: u32,
    /// `false` lets every request through (tests against a local simulator).
    pub enabled: bool,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self { per_second: 8, burst: 16, enabled: true }
    }
}

impl RateLimit {
    /// No limit at all.
    pub fn disabled() -> Self {
        Self { enabled: false, ..Self::default() }
    }
}

/// `governor` clock reading `tokio::time::Instant`, which stands still and
/// jumps under `tokio::time::pause` exactly like the sleeps we wait with.
#[derive(Debug, Clone, Copy, Default)]
struct TokioClock;

impl Clock for TokioClock {
    type Instant = Instant;

    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }
}

type Limiter = RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Instant>>;

/// A shared token bucket; cloning shares it.
#[derive(Clone)]
pub struct Bucket {
    limiter: Option<Arc<Limiter>>,
}

impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bucket").field("enabled", &self.limiter.is_some()).finish()
    }
}

impl Bucket {
    /// A new, full bucket.
    pub fn new(settings: RateLimit) -> Self {
        let limiter = settings.enabled.then(|| {
            let rate = NonZeroU32::new(settings.per_second).unwrap_or(NonZeroU32::MIN);
            let burst = NonZeroU32::new(settings.burst).unwrap_or(NonZeroU32::MIN);
            let quota = Quota::per_second(rate).allow_burst(burst);
            Arc::new(RateLimiter::direct_with_clock(quota, TokioClock))
        });
        Self { limiter }
    }

    /// Whether two handles are the same bucket.
    pub fn same_bucket(&self, other: &Bucket) -> bool {
        match (&self.limiter, &other.limiter) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Waits until one request may go.
    pub async fn acquire(&self) {
        let Some(limiter) = &self.limiter else {
            return;
        };
        while let Err(not_until) = limiter.check() {
            let wait = not_until.wait_time_from(TokioClock.now());
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_passes_then_the_rate_holds() {
        let bucket = Bucket::new(RateLimit::default());
        let start = tokio::time::Instant::now();
        for _ in 0..16 {
            bucket.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "the burst goes at once");

        // 8 more at 8/s take one more second.
        for _ in 0..8 {
            bucket.acquire().await;
        }
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(990), "{elapsed:?}");
        assert!(elapsed <= Duration::from_millis(1010), "{elapsed:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn clones_share_one_bucket() {
        let bucket = Bucket::new(RateLimit { per_second: 2, burst: 2, enabled: true });
        let other = bucket.clone();
        let start = tokio::time::Instant::now();
        bucket.acquire().await;
        other.acquire().await;
        other.acquire().await;
        assert!(start.elapsed() >= Duration::from_millis(490));
    }

    #[tokio::test(start_paused = true)]
    async fn disabled_never_waits() {
        let bucket = Bucket::new(RateLimit::disabled());
        let start = tokio::time::Instant::now();
        for _ in 0..1000 {
            bucket.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
