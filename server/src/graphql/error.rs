//! Domain errors as GraphQL errors, in one place: a stable `code` extension
//! (and `field` for bad input), a message a person can act on, and never
//! internal detail, which is logged instead.
use async_graphql::{Error, ErrorExtensions};

use crate::domain::DomainError;

pub type GqlResult<T> = async_graphql::Result<T>;

pub fn to_graphql_error(err: DomainError) -> Error {
    let code = match &err {
        DomainError::NotFound { .. } => "NOT_FOUND",
        DomainError::Invalid { .. } => "BAD_USER_INPUT",
        DomainError::Conflict { .. } => "CONFLICT",
        DomainError::Forbidden(_) => "FORBIDDEN",
        DomainError::Unauthenticated(_) => "UNAUTHENTICATED",
        DomainError::TooManyAttempts { .. } => "TOO_MANY_ATTEMPTS",
        DomainError::Unavailable => "UNAVAILABLE",
        DomainError::Lever(_) => "LEVER_ERROR",
        DomainError::Expired(_) => "EXPIRED",
        DomainError::Internal(detail) => {
            tracing::error!(%detail, "internal error answering a GraphQL request");
            "INTERNAL"
        }
    };
    let message = match &err {
        DomainError::Internal(_) => {
            "internal error; it has been logged, please try again or report it".to_owned()
        }
        other => other.to_string(),
    };
    Error::new(message).extend_with(|_, ext| {
        ext.set("code", code);
        match &err {
            DomainError::Invalid { field, .. } | DomainError::Conflict { field, .. } => {
                ext.set("field", field.as_ref())
            }
            DomainError::TooManyAttempts { retry_after_secs } => {
                ext.set("retryAfterSeconds", *retry_after_secs)
            }
            _ => {}
        }
    })
}

/// `.gql()` turns a domain result into a GraphQL one with the code attached.
/// (async-graphql's blanket `From<Display>` would drop the code, so resolvers
/// never use `?` on a domain error directly.)
pub trait IntoGql<T> {
    fn gql(self) -> GqlResult<T>;
}

impl<T> IntoGql<T> for Result<T, DomainError> {
    fn gql(self) -> GqlResult<T> {
        self.map_err(to_graphql_error)
    }
}
