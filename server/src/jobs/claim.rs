//! Handing one runnable job to one worker, with a lease.
//!
//! A job is runnable when it is QUEUED and due, or RUNNING with an expired
//! lease (its process died), and no other job with its `concurrency_key`
//! holds a live lease. The claim sets RUNNING, the owner and the lease, and
//! counts the attempt, in one statement.
use std::sync::OnceLock;
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::job;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait, Statement};
use tokio::sync::Mutex;
use uuid::Uuid;

/// Any fixed number: the PostgreSQL advisory lock that serialises claims
/// across processes. Claims are one short statement, so this costs little
/// and makes the concurrency-key check exact (each claim sees the previous
/// one committed).
const CLAIM_LOCK_KEY: i64 = 0x766f_7563_685f_6a62; // "vouch_jb"

/// A job whose concurrency key no other job holds with a live lease.
const KEY_FREE: &str = "(j.concurrency_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM jobs o
            WHERE o.concurrency_key = j.concurrency_key AND o.id <> j.id
              AND o.status = 'RUNNING' AND o.lease_expires_at >= {now}))";

/// The job to claim: first a RUNNING one whose lease ran out (its process
/// died; it is older work), else the oldest due QUEUED one. Each half is
/// its own `LIMIT 1` so that it walks an index in order (`idx_jobs_lease`,
/// `idx_jobs_claim_order`) and stops at the first free job; one query with
/// `OR` over both statuses made the database sort the whole due queue on
/// every claim, inside the write lock. `COALESCE` only evaluates the second
/// half when the first finds nothing. `lock` ends each half (PostgreSQL's
/// `FOR UPDATE SKIP LOCKED`).
fn candidate(now: &str, lock: &str) -> String {
    let key_free = KEY_FREE.replace("{now}", now);
    format!(
        "COALESCE(
            (SELECT j.id FROM jobs j
             WHERE j.status = 'RUNNING' AND j.lease_expires_at < {now} AND {key_free}
             ORDER BY j.lease_expires_at LIMIT 1{lock}),
            (SELECT j.id FROM jobs j
             WHERE j.status = 'QUEUED' AND j.run_after <= {now} AND {key_free}
             ORDER BY j.run_after, j.created_at, j.id LIMIT 1{lock}))"
    )
}

/// Claims the next runnable job for `owner` until `now + lease`.
pub async fn claim_next(
    db: &DatabaseConnection,
    owner: &str,
    lease: Duration,
) -> Result<Option<job::Model>, DbErr> {
    let now = Utc::now();
    let expires = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
    match db.get_database_backend() {
        DatabaseBackend::Postgres => claim_postgres(db, owner, now, expires).await,
        _ => claim_sqlite(db, owner, now, expires).await,
    }
}

async fn claim_postgres(
    db: &DatabaseConnection,
    owner: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<Option<job::Model>, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1)",
        [CLAIM_LOCK_KEY.into()],
    ))
    .await?;
    let candidate = candidate("$3", " FOR UPDATE SKIP LOCKED");
    let sql = format!(
        "UPDATE jobs SET status = 'RUNNING', lease_owner = $1, lease_expires_at = $2,
                attempts = attempts + 1, updated_at = $3
         WHERE id = {candidate}
         RETURNING id"
    );
    let stmt = Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        sql,
        [owner.into(), expires.into(), now.into()],
    );
    let claimed = match txn.query_one_raw(stmt).await? {
        Some(row) => job::Entity::find_by_id(row.try_get::<Uuid>("", "id")?).one(&txn).await?,
        None => None,
    };
    txn.commit().await?;
    Ok(claimed)
}

async fn claim_sqlite(
    db: &DatabaseConnection,
    owner: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<Option<job::Model>, DbErr> {
    // SQLite runs one writer at a time, so the statement is atomic on its
    // own; the mutex only keeps this process's workers from queueing on the
    // database's write lock.
    static CLAIMER: OnceLock<Mutex<()>> = OnceLock::new();
    let _guard = CLAIMER.get_or_init(|| Mutex::new(())).lock().await;
    let candidate = candidate("?3", "");
    let sql = format!(
        "UPDATE jobs SET status = 'RUNNING', lease_owner = ?1, lease_expires_at = ?2,
                attempts = attempts + 1, updated_at = ?3
         WHERE id = {candidate}
         RETURNING id"
    );
    let stmt = Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        sql,
        [owner.into(), expires.into(), now.into()],
    );
    // `RETURNING id`, then a plain read: sqlx-sqlite mis-sizes the row of
    // `RETURNING *` on a table that gained columns through ALTER TABLE.
    match db.query_one_raw(stmt).await? {
        Some(row) => job::Entity::find_by_id(row.try_get::<Uuid>("", "id")?).one(db).await,
        None => Ok(None),
    }
}
