//! Retries as data: one schedule type shared by the Lever client and the job
//! runner.
//!
//! A [`RetrySchedule`] says how long to wait before attempt `n + 1` after
//! attempt `n` failed: `base * factor^(n-1)`, capped at `max_delay`, then
//! jittered down by up to `jitter` (a fraction) so that many tasks failing
//! together do not retry together. After `max_attempts` attempts it says
//! stop. A server's `Retry-After` replaces the computed delay but is clamped
//! to `max_delay`, so a confused or hostile header cannot park a worker for
//! an hour. The schedule does no I/O and holds no state: callers keep the
//! attempt count (in memory here, in the job row for the job runner).

use std::time::{Duration, SystemTime};

use rand::Rng;

/// How a failed operation is retried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetrySchedule {
    /// Delay after the first failure.
    pub base: Duration,
    /// Growth of the delay per further failure (2.0 doubles it).
    pub factor: f64,
    /// Upper bound of any delay, including one asked for by `Retry-After`.
    pub max_delay: Duration,
    /// Attempts in all, the first one included; 1 means never retry.
    pub max_attempts: u32,
    /// Fraction (0.0–1.0) of each delay that is randomised away: the delay
    /// lands uniformly in `[delay * (1 - jitter), delay]`.
    pub jitter: f64,
}

impl Default for RetrySchedule {
    /// Suits Lever calls: 0.5 s, 1 s, 2 s, 4 s (each jittered), five
    /// attempts, at most 30 s apart.
    fn default() -> Self {
        Self {
            base: Duration::from_millis(500),
            factor: 2.0,
            max_delay: Duration::from_secs(30),
            max_attempts: 5,
            jitter: 0.5,
        }
    }
}

impl RetrySchedule {
    /// A schedule that never retries (tests, probes).
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The wait after `failed_attempt` (1-based) failed, or `None` when no
    /// attempts are left. `retry_after` is the server's hint, if any.
    pub fn next_delay(&self, failed_attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        self.next_delay_with(failed_attempt, retry_after, rand::thread_rng().gen::<f64>())
    }

    /// [`Self::next_delay`] with the random draw given (`unit` in `[0, 1)`),
    /// so tests and the job runner can be deterministic.
    pub fn next_delay_with(
        &self,
        failed_attempt: u32,
        retry_after: Option<Duration>,
        unit: f64,
    ) -> Option<Duration> {
        if failed_attempt >= self.max_attempts {
            return None;
        }
        // The server knows its own reset better than our guess: honour it, as
        // is, only clamped.
        if let Some(hint) = retry_after {
            return Some(hint.min(self.max_delay));
        }
        let exponent = failed_attempt.saturating_sub(1).min(64) as i32;
        let uncapped = self.base.as_secs_f64() * self.factor.max(1.0).powi(exponent);
        let capped = uncapped.min(self.max_delay.as_secs_f64());
        let jitter = self.jitter.clamp(0.0, 1.0) * unit.clamp(0.0, 1.0);
        Some(Duration::from_secs_f64(capped * (1.0 - jitter)))
    }
}

/// Reads a `Retry-After` value: delta seconds (`"3"`) or an HTTP date.
/// A date in the past means "now". Anything else is ignored.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::from(date);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule() -> RetrySchedule {
        RetrySchedule {
            base: Duration::from_millis(100),
            factor: 2.0,
            max_delay: Duration::from_secs(1),
            max_attempts: 6,
            jitter: 0.5,
        }
    }

    #[test]
    fn grows_exponentially_and_caps() {
        let s = schedule();
        let delays: Vec<_> = (1..6).map(|n| s.next_delay_with(n, None, 0.0)).collect();
        let ms = |m| Some(Duration::from_millis(m));
        assert_eq!(delays, vec![ms(100), ms(200), ms(400), ms(800), ms(1000)]);
    }

    #[test]
    fn is_bounded() {
        let s = schedule();
        assert!(s.next_delay_with(5, None, 0.0).is_some());
        assert_eq!(s.next_delay_with(6, None, 0.0), None);
        assert_eq!(s.next_delay_with(60, None, 0.0), None);
        assert_eq!(RetrySchedule::none().next_delay_with(1, None, 0.0), None);
    }

    #[test]
    fn jitter_stays_within_its_fraction() {
        let s = schedule();
        for i in 0..100 {
            let unit = f64::from(i) / 100.0;
            let d = s.next_delay_with(2, None, unit).expect("attempt left");
            assert!(d <= Duration::from_millis(200), "{d:?}");
            assert!(d >= Duration::from_millis(100), "{d:?}");
        }
        // The random path stays in the same band.
        for _ in 0..100 {
            let d = s.next_delay(2, None).expect("attempt left");
            assert!((Duration::from_millis(100)..=Duration::from_millis(200)).contains(&d));
        }
    }

    #[test]
    fn retry_after_is_honoured_and_clamped() {
        let s = schedule();
        let hint = Some(Duration::from_millis(700));
        assert_eq!(s.next_delay_with(1, hint, 0.9), Some(Duration::from_millis(700)));
        let huge = Some(Duration::from_secs(3600));
        assert_eq!(s.next_delay_with(1, huge, 0.0), Some(Duration::from_secs(1)));
        // Retry-After never buys attempts beyond the bound.
        assert_eq!(s.next_delay_with(6, hint, 0.0), None);
    }

    #[test]
    fn parses_retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Some(Duration::from_secs(10)));
        let later = now + Duration::from_secs(100);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", later), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }
}
