//! Database errors classified in one place, so callers branch on meaning,
//! not on driver text.
use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// What a database error means for the caller.
#[derive(Debug, PartialEq, Eq)]
pub enum DbFailure {
    /// A unique constraint refused the write.
    UniqueViolation,
    /// A foreign key refused the write.
    ForeignKeyViolation,
    /// The pool or the database is busy, locked, read-only, full or
    /// unreachable: the statement was fine, the database could not take it
    /// now. Try again later.
    Unavailable,
    /// Anything else: a bug, a row the database refuses, or a broken database.
    Other,
}

pub fn classify(err: &DbErr) -> DbFailure {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => return DbFailure::UniqueViolation,
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => return DbFailure::ForeignKeyViolation,
        _ => {}
    }
    if let Some(unavailable) = driver_says_unavailable(err) {
        return if unavailable { DbFailure::Unavailable } else { DbFailure::Other };
    }
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => DbFailure::Unavailable,
        other => {
            let text = other.to_string();
            if text.contains("database is locked") || text.contains("pool timed out") {
                DbFailure::Unavailable
            } else {
                DbFailure::Other
            }
        }
    }
}

/// Reads the driver's error, when there is one: `Some(true)` when it says
/// the database cannot take the statement now (rather than refusing it).
fn driver_says_unavailable(err: &DbErr) -> Option<bool> {
    let (DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))
    | DbErr::Conn(RuntimeErr::SqlxError(e))) = err
    else {
        return None;
    };
    match &**e {
        sqlx::Error::Database(db) => {
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // Primary result codes (the low byte of the extended code):
                // BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN.
                let code = db.code().and_then(|c| c.parse::<i32>().ok())? & 0xff;
                return Some(matches!(code, 5 | 6 | 8 | 10 | 13 | 14));
            }
            let state = db.code()?;
            // PostgreSQL SQLSTATE classes: connection exception (08),
            // insufficient resources (53: disk full, too many connections),
            // operator intervention (57: shutdown, statement cancelled),
            // system error (58); and lock_not_available (55P03, a lock
            // timeout), serialization failure and deadlock (40001, 40P01),
            // read-only transaction (25006).
            Some(
                ["08", "53", "57", "58"].iter().any(|class| state.starts_with(class))
                    || ["55P03", "40001", "40P01", "25006"].contains(&&*state),
            )
        }
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => Some(true),
        _ => None,
    }
}
