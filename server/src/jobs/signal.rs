//! How the rest of the process talks to its idle workers: "there is work"
//! ([`JobSignal::wake`]) and "hold back, someone is waiting on a commit"
//! ([`JobSignal::foreground`]).
//!
//! Workers are background work: a few seconds' delay costs nothing, and
//! their throughput is bounded by Lever's rate limits anyway. Webhook
//! ingest is foreground work: Lever waits for the answer, and on SQLite
//! every worker commit queues for the same single write lock (on
//! PostgreSQL, for the same two cores). So each webhook request holds a
//! [`Foreground`] guard until it is answered (a refused signature or a
//! repeat answered from memory costs the workers' CPU time as much as a
//! stored delivery does), the webhook committer holds one from a burst's
//! first delivery until its queue has been quiet a moment, and a worker about
//! to claim its next job waits until no guard is held, for at most
//! [`MAX_YIELD`] at a time: under a long burst each worker still claims a
//! job every [`MAX_YIELD`], so processing slows but never stops. A job
//! already running is not interrupted.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

/// The longest a worker holds back for foreground work before claiming
/// anyway.
pub const MAX_YIELD: Duration = Duration::from_millis(50);

#[derive(Debug, Default)]
struct Inner {
    /// Wakes one idle worker (keeps a permit when none waits).
    work: Notify,
    /// Foreground guards alive.
    foreground: AtomicUsize,
    /// Told when the last guard drops.
    quiet: Notify,
}

/// Shared by everything in one process that enqueues jobs or needs the
/// workers to hold back; cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct JobSignal(Arc<Inner>);

impl JobSignal {
    pub fn new() -> Self {
        Self::default()
    }

    /// Tells one idle worker to look for work now (a permit is kept if none
    /// is waiting, so a wake just before a worker sleeps is not lost).
    pub fn wake(&self) {
        self.0.work.notify_one();
    }

    pub(crate) async fn woken(&self) {
        self.0.work.notified().await;
    }

    /// Marks foreground work under way until the guard is dropped: workers
    /// claim no new job meanwhile (each for at most [`MAX_YIELD`]).
    pub fn foreground(&self) -> Foreground {
        self.0.foreground.fetch_add(1, Ordering::AcqRel);
        Foreground(self.0.clone())
    }

    /// Whether a [`Foreground`] guard is alive.
    pub fn in_foreground(&self) -> bool {
        self.0.foreground.load(Ordering::Acquire) > 0
    }

    /// Waits until no foreground work is under way, or `most` has passed.
    pub(crate) async fn yield_to_foreground(&self, most: Duration) {
        let deadline = tokio::time::Instant::now() + most;
        loop {
            // Registered before the check, so a guard dropped in between
            // still wakes this wait.
            let quiet = self.0.quiet.notified();
            tokio::pin!(quiet);
            quiet.as_mut().enable();
            if !self.in_foreground() {
                return;
            }
            if tokio::time::timeout_at(deadline, quiet).await.is_err() {
                return;
            }
        }
    }
}

/// Foreground work under way (see [`JobSignal::foreground`]).
#[derive(Debug)]
pub struct Foreground(Arc<Inner>);

impl Drop for Foreground {
    fn drop(&mut self) {
        if self.0.foreground.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.quiet.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_worker_waits_while_a_guard_lives_and_goes_on_when_it_drops() {
        let signal = JobSignal::new();
        // Nothing in the foreground: no wait at all.
        tokio::time::timeout(Duration::from_secs(5), signal.yield_to_foreground(Duration::from_secs(3600)))
            .await
            .expect("no guard, no wait");

        let guard = signal.foreground();
        let second = signal.foreground();
        assert!(signal.in_foreground());
        let waiter = tokio::spawn({
            let signal = signal.clone();
            async move { signal.yield_to_foreground(Duration::from_secs(3600)).await }
        });
        drop(guard);
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "one guard is still alive");
        drop(second);
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("the last guard's drop ends the wait")
            .expect("the waiting task");
        assert!(!signal.in_foreground());
    }

    #[tokio::test]
    async fn a_worker_holds_back_for_the_given_time_then_goes_on() {
        let signal = JobSignal::new();
        let _guard = signal.foreground();
        let started = tokio::time::Instant::now();
        tokio::time::timeout(Duration::from_secs(5), signal.yield_to_foreground(MAX_YIELD))
            .await
            .expect("the wait ends although the guard lives");
        assert!(started.elapsed() >= MAX_YIELD, "held back {:?}", started.elapsed());
    }
}
