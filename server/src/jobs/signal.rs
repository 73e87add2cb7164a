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
//! to claim its next job waits until no guard is held. Under a long burst
//! the workers take turns: once every [`MAX_YIELD`] one of them (not each)
//! claims a job anyway, so processing slows to a trickle but never stops,
//! and ingest shares SQLite's write lock with one worker's commits, not
//! with all of theirs. A job already running is not interrupted.
//!
//! A burst lasts until [`LINGER`] after the last guard dropped, not until
//! the count of guards is zero. A refused signature is answered within one
//! poll of its task, so under a flood of them the count is mostly zero
//! between requests even though one arrives every few microseconds; without
//! the linger every worker went on at each of those instants, and during a
//! flood of refusals the workers ran some 400 jobs a second beside it
//! instead of the trickle above.
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

/// How often, under continuous foreground work, one worker claims a job
/// anyway.
pub const MAX_YIELD: Duration = Duration::from_millis(50);

/// How long after the last [`Foreground`] guard dropped the burst still
/// counts as under way: a little longer than a sender takes to send its
/// next request after an answer.
pub const LINGER: Duration = Duration::from_millis(5);

#[derive(Debug)]
struct Inner {
    /// Wakes one idle worker (keeps a permit when none waits).
    work: Notify,
    /// Foreground guards alive.
    foreground: AtomicUsize,
    /// Told when the last guard drops.
    quiet: Notify,
    /// When a worker last went on although foreground work was under way.
    last_turn: std::sync::Mutex<Option<tokio::time::Instant>>,
    /// What [`Self::last_release`] counts from.
    born: tokio::time::Instant,
    /// When a guard last dropped, in nanoseconds after `born` plus one (0:
    /// never).
    last_release: AtomicU64,
}

impl Default for Inner {
    fn default() -> Self {
        Self {
            work: Notify::new(),
            foreground: AtomicUsize::new(0),
            quiet: Notify::new(),
            last_turn: std::sync::Mutex::new(None),
            born: tokio::time::Instant::now(),
            last_release: AtomicU64::new(0),
        }
    }
}

impl Inner {
    /// Until when the burst lingers after its last guard dropped; `None`
    /// once that is past (or no guard ever dropped).
    fn lingering_until(&self) -> Option<tokio::time::Instant> {
        let released = self.last_release.load(Ordering::Acquire).checked_sub(1)?;
        let until = self.born + Duration::from_nanos(released) + LINGER;
        (until > tokio::time::Instant::now()).then_some(until)
    }
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

    /// Whether a [`Foreground`] guard is alive, or the last one dropped
    /// less than [`LINGER`] ago.
    pub fn in_foreground(&self) -> bool {
        self.0.foreground.load(Ordering::Acquire) > 0 || self.0.lingering_until().is_some()
    }

    /// Waits until no foreground work is under way, or until it is this
    /// caller's turn to go on anyway: of all the callers waiting, one goes
    /// on every `every`.
    pub(crate) async fn yield_to_foreground(&self, every: Duration) {
        let mut deadline = tokio::time::Instant::now() + every;
        loop {
            // Registered before the check, so a guard dropped in between
            // still wakes this wait.
            let quiet = self.0.quiet.notified();
            tokio::pin!(quiet);
            quiet.as_mut().enable();
            let timed_out = if self.0.foreground.load(Ordering::Acquire) > 0 {
                // Until the last guard drops, or the turn is due.
                tokio::time::timeout_at(deadline, quiet).await.is_err()
            } else if let Some(until) = self.0.lingering_until() {
                // Until the linger is over (looked at again then): not on
                // each request of the burst, which would wake every waiting
                // worker once per refused signature.
                tokio::time::sleep_until(until.min(deadline)).await;
                true
            } else {
                return;
            };
            if timed_out && tokio::time::Instant::now() >= deadline {
                match self.take_turn(every) {
                    Ok(()) => return,
                    Err(next) => deadline = next,
                }
            }
        }
    }

    /// Goes on if no caller has in the last `every`; otherwise answers when
    /// the next turn is.
    fn take_turn(&self, every: Duration) -> Result<(), tokio::time::Instant> {
        let now = tokio::time::Instant::now();
        // A poisoned lock only means another worker panicked mid-update of
        // an `Instant`: the value is still usable.
        let mut last = self.0.last_turn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match *last {
            Some(at) if now < at + every => Err(at + every),
            _ => {
                *last = Some(now);
                Ok(())
            }
        }
    }
}

/// Foreground work under way (see [`JobSignal::foreground`]).
#[derive(Debug)]
pub struct Foreground(Arc<Inner>);

impl Drop for Foreground {
    fn drop(&mut self) {
        // Before the count: a worker that sees it reach zero must also see
        // the linger.
        let released = self.0.born.elapsed().as_nanos() as u64;
        self.0.last_release.fetch_max(released.saturating_add(1), Ordering::AcqRel);
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

    /// Four workers waiting through 200 ms of continuous foreground work
    /// go on four times between them, not four times each.
    #[tokio::test(start_paused = true)]
    async fn under_continuous_foreground_work_the_workers_take_turns() {
        let signal = JobSignal::new();
        let _guard = signal.foreground();
        let claims = Arc::new(AtomicUsize::new(0));
        let started = tokio::time::Instant::now();
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let (signal, claims) = (signal.clone(), claims.clone());
                tokio::spawn(async move {
                    while started.elapsed() < MAX_YIELD * 4 {
                        signal.yield_to_foreground(MAX_YIELD).await;
                        if started.elapsed() <= MAX_YIELD * 4 {
                            claims.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.await.expect("worker");
        }
        assert_eq!(claims.load(Ordering::SeqCst), 4, "one claim per {MAX_YIELD:?} between them");
    }

    /// A burst outlives its last guard by [`LINGER`]: a worker waits that
    /// long, and a request answered meanwhile (a guard taken and dropped in
    /// one go, like a refused signature) makes it wait longer still.
    #[tokio::test(start_paused = true)]
    async fn a_burst_lingers_after_its_last_guard_drops() {
        let signal = JobSignal::new();
        assert!(!signal.in_foreground(), "no guard ever taken");
        drop(signal.foreground());
        assert!(signal.in_foreground(), "just released: the burst lingers");
        let started = tokio::time::Instant::now();
        let waiter = tokio::spawn({
            let signal = signal.clone();
            async move { signal.yield_to_foreground(Duration::from_secs(3600)).await }
        });
        tokio::time::sleep(LINGER / 2).await;
        assert!(!waiter.is_finished(), "still lingering");
        drop(signal.foreground());
        waiter.await.expect("the waiting task");
        let waited = started.elapsed();
        assert!(waited >= LINGER + LINGER / 2, "went on after {waited:?}");
        assert!(waited < MAX_YIELD, "waited for its turn instead: {waited:?}");
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
