//! The domain's error: what went wrong in words a user can act on, with a
//! stable kind that the API layer maps to a code.
use std::borrow::Cow;

use sea_orm::DbErr;

use crate::db::{classify, DbFailure};

pub type DomainResult<T> = Result<T, DomainError>;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// No such thing in the caller's organization (never says whether it
    /// exists elsewhere).
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// Input refused; nothing was changed. `field` is the input path, e.g.
    /// `name` or `steps[1].stageId`.
    #[error("{field}: {message}")]
    Invalid { field: Cow<'static, str>, message: String },
    /// The write conflicts with existing data.
    #[error("{field}: {message}")]
    Conflict { field: Cow<'static, str>, message: String },
    /// Signed in, but the role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// Not signed in, or the credentials are wrong.
    #[error("{0}")]
    Unauthenticated(String),
    /// Too many failed attempts; try again later.
    #[error("too many failed sign-ins for this e-mail address; try again in {retry_after_secs} seconds")]
    TooManyAttempts { retry_after_secs: u64 },
    /// A link or token whose time is over; the message says what to do.
    #[error("{0}")]
    Expired(String),
    /// Lever refused or failed; the message says what to do.
    #[error("{0}")]
    Lever(String),
    /// The database is busy or unreachable; the request may be retried.
    #[error("the database is unavailable; try again shortly")]
    Unavailable,
    /// A bug or broken dependency. The detail is logged, never shown.
    #[error("internal error")]
    Internal(String),
}

impl DomainError {
    pub fn not_found(what: &'static str) -> Self {
        Self::NotFound { what }
    }

    pub fn invalid(field: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }

    pub fn conflict(field: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self::Conflict { field: field.into(), message: message.into() }
    }

    pub fn internal(detail: impl Into<String>) -> Self {
        Self::Internal(detail.into())
    }
}

impl From<DbErr> for DomainError {
    fn from(err: DbErr) -> Self {
        match classify(&err) {
            // Callers that expect a conflict check for it before writing and
            // name the field; reaching here means a race lost to another write.
            DbFailure::UniqueViolation => Self::conflict("input", "already exists"),
            DbFailure::Unavailable => Self::Unavailable,
            DbFailure::ForeignKeyViolation | DbFailure::Other => Self::Internal(err.to_string()),
        }
    }
}
