//! A busy handler for SQLite that waits for the write lock in short steps.
//!
//! SQLite lets one connection write at a time. A connection that finds the
//! lock taken calls its busy handler, and the one `sqlite3_busy_timeout`
//! installs (which is what sqlx's `busy_timeout` sets) sleeps 1, 2, 5, 10,
//! 15, 20, 25, 25, 25, 50, 50 and then 100 ms between attempts. Writes that
//! hold the lock for a fraction of a millisecond (one fsync) thus make the
//! next writer sleep ten to a hundred times longer than the lock was held:
//! under steady concurrent writes (webhook batches beside job workers) the
//! database sits idle most of the time and every writer's latency is made
//! of those sleeps.
//!
//! [`install`] replaces that handler on one connection with one that waits
//! [`FIRST_STEP`] at first, doubling up to [`LAST_STEP`], and gives up
//! (`SQLITE_BUSY`, as the timeout would) once `timeout` has passed since
//! the wait began. The handler runs on the connection's own worker thread
//! (sqlx runs each SQLite connection on a thread of its own), so sleeping
//! there blocks nothing else.
//!
//! [`wait_once`] is the same policy as a safe function, for the webhook
//! committer's own SQLite connection (rusqlite), whose busy handler is a
//! plain function.
//!
//! This is the only `unsafe` in Vouch: one FFI call on a handle sqlx lends
//! out for it, and a callback that touches no pointer.
#![deny(unsafe_op_in_unsafe_fn)]

use std::cell::Cell;
use std::os::raw::{c_int, c_void};
use std::time::{Duration, Instant};

use sqlx::sqlite::SqliteConnection;

/// The first wait: about one fsync on a fast disk.
pub const FIRST_STEP: Duration = Duration::from_micros(50);
/// The longest wait between two attempts: a writer gets the lock at most
/// this long after it is freed, and a waiting thread wakes at most a
/// thousand times a second (waiting threads share the CPU with the writer
/// they wait for).
pub const LAST_STEP: Duration = Duration::from_millis(1);

/// Installs the handler on `connection`: a writer that finds the database
/// locked tries again after [`FIRST_STEP`], doubling the wait up to
/// [`LAST_STEP`], until `timeout` has passed, then fails with `SQLITE_BUSY`. It replaces
/// any busy timeout set before.
pub async fn install(connection: &mut SqliteConnection, timeout: Duration) -> Result<(), sqlx::Error> {
    let mut handle = connection.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // The argument is the timeout in milliseconds carried in the pointer's
    // bits; the handler never dereferences it.
    let millis = usize::try_from(timeout.as_millis()).unwrap_or(usize::MAX);
    // SAFETY: `db` is a live connection handle, locked for this thread by
    // `lock_handle` (no statement runs on it meanwhile), and `on_busy` is a
    // plain function that lives as long as the program.
    let arg = std::ptr::without_provenance_mut::<c_void>(millis);
    let rc = unsafe { libsqlite3_sys::sqlite3_busy_handler(db, Some(on_busy), arg) };
    if rc == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Configuration(format!("sqlite3_busy_handler failed with code {rc}").into()))
    }
}

thread_local! {
    /// When the current wait began (each connection waits on its own thread).
    static WAIT_STARTED: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// How long to sleep before attempt `attempt + 1`: doubling from
/// [`FIRST_STEP`] up to [`LAST_STEP`].
fn step(attempt: c_int) -> Duration {
    let doublings = u32::try_from(attempt).unwrap_or(0).min(16);
    (FIRST_STEP * 2u32.pow(doublings)).min(LAST_STEP)
}

/// SQLite's busy callback: `attempt` counts the calls for this one wait
/// (0 first). Answers non-zero to try again, 0 to give up.
extern "C" fn on_busy(timeout_millis: *mut c_void, attempt: c_int) -> c_int {
    let timeout = Duration::from_millis(u64::try_from(timeout_millis.addr()).unwrap_or(u64::MAX));
    c_int::from(wait_once(attempt, timeout))
}

/// One call of a busy handler with this policy, for connections opened by
/// other SQLite bindings (rusqlite's `busy_handler` takes a plain
/// function): `attempt` counts the calls for the current wait (0 first).
/// Sleeps the next step and answers true to try again, or answers false
/// once `timeout` has passed since the wait began. Call it on the
/// connection's own thread, as SQLite does.
pub fn wait_once(attempt: c_int, timeout: Duration) -> bool {
    let now = Instant::now();
    let started = if attempt == 0 {
        WAIT_STARTED.with(|s| s.set(Some(now)));
        now
    } else {
        WAIT_STARTED.with(Cell::get).unwrap_or(now)
    };
    if now.duration_since(started) >= timeout {
        return false;
    }
    std::thread::sleep(step(attempt));
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection, Executor};

    #[test]
    fn steps_back_off_from_first_to_last() {
        assert_eq!(step(0), FIRST_STEP);
        assert_eq!(step(1), FIRST_STEP * 2);
        assert_eq!(step(2), FIRST_STEP * 4);
        assert_eq!(step(c_int::MAX), LAST_STEP);
        assert!((0..10_000).map(step).all(|s| s >= FIRST_STEP && s <= LAST_STEP));
    }

    async fn open(path: &std::path::Path) -> SqliteConnection {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .busy_timeout(Duration::ZERO);
        options.connect().await.expect("open the test database")
    }

    /// A writer blocked by another connection's open write transaction gets
    /// the lock soon after it is released (well before SQLite's own handler
    /// would have slept its 100 ms steps), and gives up with "database is
    /// locked" once its timeout passes while the lock is still held.
    #[tokio::test]
    async fn waits_for_the_lock_then_gives_up_at_the_timeout() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("busy.db");
        let mut holder = open(&path).await;
        holder.execute("CREATE TABLE t (n INTEGER)").await.expect("create");
        let mut waiter = open(&path).await;
        install(&mut waiter, Duration::from_millis(300)).await.expect("install the handler");

        holder.execute("BEGIN IMMEDIATE").await.expect("take the write lock");
        let started = Instant::now();
        let refused = waiter.execute("INSERT INTO t VALUES (1)").await;
        let waited = started.elapsed();
        let message = refused.expect_err("the lock is held past the timeout").to_string();
        assert!(message.contains("locked"), "{message}");
        assert!(waited >= Duration::from_millis(300), "gave up after {waited:?}");

        // Released while the waiter waits: it writes.
        let release = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            holder.execute("COMMIT").await.expect("release");
            holder
        });
        let mut waiter_lock = open(&path).await;
        install(&mut waiter_lock, Duration::from_secs(5)).await.expect("install the handler");
        // The holder still has the lock for ~100 ms: this write waits, then lands.
        tokio::time::sleep(Duration::from_millis(10)).await;
        waiter_lock.execute("INSERT INTO t VALUES (2)").await.expect("written once the lock is free");
        let holder = release.await.expect("the releasing task");
        let rows: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(&mut waiter_lock).await.expect("count");
        assert_eq!(rows, 1);
        holder.close().await.expect("close");
        let _ = waiter.close().await;
    }
}
