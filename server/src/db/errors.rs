//! Database errors classified in one place, so callers branch on meaning,
//! not on driver text.
use sea_orm::{DbErr, SqlErr};

/// What a database error means for the caller.
#[derive(Debug, PartialEq, Eq)]
pub enum DbFailure {
    /// A unique constraint refused the write.
    UniqueViolation,
    /// A foreign key refused the write.
    ForeignKeyViolation,
    /// The pool or the database is busy or unreachable: try again later.
    Unavailable,
    /// Anything else: a bug or a broken database.
    Other,
}

pub fn classify(err: &DbErr) -> DbFailure {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => return DbFailure::UniqueViolation,
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => return DbFailure::ForeignKeyViolation,
        _ => {}
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
