//! SQLite's WAL checkpoints, off the write path.
//!
//! In WAL mode every commit appends to the `-wal` file, and a checkpoint
//! copies those pages back into the database file so that the WAL can start
//! over. By default the commit that takes the WAL past 1,000 pages runs the
//! checkpoint itself, before it returns; for the webhook committer that is
//! a batch of deliveries waiting on copying and fsync. Its dedicated
//! connections therefore never checkpoint (`wal_autocheckpoint=0`), the
//! pool's connections still do when they write, and [`spawn`] runs a
//! `PASSIVE` checkpoint every [`INTERVAL`] so the WAL is copied back even
//! while only the committer writes (a burst of webhooks while the job
//! workers hold back). During such a burst it holds back too, for up to
//! [`LONGEST_DEFERRAL`]: copying competes with ingest for the disk and the
//! CPU. `PASSIVE` takes no write lock: writers go on meanwhile. PostgreSQL
//! needs none of this.
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement};
use tokio_util::sync::CancellationToken;

use crate::jobs::JobSignal;

/// How often the background checkpoint runs.
pub const INTERVAL: Duration = Duration::from_secs(1);
/// The longest a checkpoint is put off for webhook ingest.
pub const LONGEST_DEFERRAL: Duration = Duration::from_secs(10);

/// What one checkpoint did, in WAL frames (pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpointed {
    /// Frames in the WAL.
    pub frames: i64,
    /// Frames now copied into the database file.
    pub copied: i64,
}

/// Runs one `PASSIVE` checkpoint. `None` on PostgreSQL, when the database
/// is not in WAL mode, or when another connection's checkpoint is under way
/// (SQLite then answers -1 for both counts).
pub async fn run_once(db: &DatabaseConnection) -> Result<Option<Checkpointed>, DbErr> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return Ok(None);
    }
    let row = db
        .query_one_raw(Statement::from_string(DatabaseBackend::Sqlite, "PRAGMA wal_checkpoint(PASSIVE)"))
        .await?;
    let Some(row) = row else { return Ok(None) };
    // (busy, frames in the WAL, frames checkpointed); -1 when not in WAL
    // mode or while another checkpoint runs.
    let frames: i64 = row.try_get_by_index(1)?;
    let copied: i64 = row.try_get_by_index(2)?;
    Ok((frames >= 0).then_some(Checkpointed { frames, copied }))
}

/// Checkpoints every [`INTERVAL`] until `shutdown` (SQLite only; `None` on
/// PostgreSQL). Like the job workers, it is background work: while webhook
/// ingest is under way (`signal` has a [`crate::jobs::Foreground`] guard)
/// it waits, but never more than [`LONGEST_DEFERRAL`] between checkpoints.
pub fn spawn(
    db: DatabaseConnection,
    signal: JobSignal,
    shutdown: CancellationToken,
) -> Option<tokio::task::JoinHandle<()>> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return None;
    }
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last = tokio::time::Instant::now();
        loop {
            tokio::select! {
                () = shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            if signal.in_foreground() && last.elapsed() < LONGEST_DEFERRAL {
                continue;
            }
            last = tokio::time::Instant::now();
            if let Err(err) = run_once(&db).await {
                tracing::warn!(error = %err, "WAL checkpoint failed; trying again shortly");
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{connect, connect_dedicated, DatabaseUrl};

    /// A fresh SQLite file (kept while the folder lives) and its URL.
    fn sqlite_url(dir: &tempfile::TempDir) -> DatabaseUrl {
        DatabaseUrl::parse(&format!("sqlite://{}", dir.path().join("wal.db").display())).expect("url")
    }

    async fn pragma(db: &DatabaseConnection, sql: &str) -> i64 {
        let row = db
            .query_one_raw(Statement::from_string(DatabaseBackend::Sqlite, sql))
            .await
            .expect("pragma")
            .expect("a row");
        row.try_get_by_index(0).expect("an integer")
    }

    /// The dedicated writer never checkpoints (the pool's connections keep
    /// SQLite's default), and `run_once` copies what it wrote back into the
    /// database file.
    #[tokio::test]
    async fn dedicated_writers_leave_checkpoints_to_the_background_task() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = sqlite_url(&dir);
        let pool = connect(&url).await.expect("pool");
        let writer = connect_dedicated(&url, 1).await.expect("dedicated");
        assert_eq!(pragma(&pool, "PRAGMA wal_autocheckpoint").await, 1000);
        assert_eq!(pragma(&writer, "PRAGMA wal_autocheckpoint").await, 0);
        // Both kinds keep temporary data in memory (2), not in files.
        assert_eq!(pragma(&pool, "PRAGMA temp_store").await, 2);
        assert_eq!(pragma(&writer, "PRAGMA temp_store").await, 2);

        writer.execute_unprepared("CREATE TABLE pages (b BLOB)").await.expect("create");
        // About 1,500 pages: past the default threshold, so a pool
        // connection would have checkpointed on commit.
        writer
            .execute_unprepared(
                "INSERT INTO pages (b) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
                 SELECT randomblob(4000) FROM n",
            )
            .await
            .expect("insert");
        let done = run_once(&pool).await.expect("checkpoint").expect("WAL mode");
        assert!(done.frames >= 1500, "{done:?}");
        assert_eq!(done.copied, done.frames, "{done:?}");
    }

    #[tokio::test]
    async fn spawn_runs_on_sqlite_only_and_stops_with_the_server() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = sqlite_url(&dir);
        let pool = connect(&url).await.expect("pool");
        let shutdown = CancellationToken::new();
        let task = spawn(pool, JobSignal::new(), shutdown.clone()).expect("a task on SQLite");
        shutdown.cancel();
        tokio::time::timeout(Duration::from_secs(5), task).await.expect("stops on shutdown").expect("task");
    }
}
