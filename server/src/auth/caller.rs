//! Turning an `Authorization` header into a caller.
use entity::user;
use sea_orm::DatabaseConnection;

use super::JwtKeys;
use crate::domain::{users, DomainError};

/// A signed-in user, reloaded from the database on every request so that a
/// deleted user or a changed role takes effect at once.
#[derive(Debug, Clone)]
pub struct AuthUser(pub user::Model);

impl std::ops::Deref for AuthUser {
    type Target = user::Model;
    fn deref(&self) -> &user::Model {
        &self.0
    }
}

/// Who is calling.
#[derive(Debug, Clone)]
pub enum Caller {
    /// No credential: may only sign in (and use public pages).
    Anonymous,
    User(AuthUser),
}

/// A credential was presented and is not acceptable. The request is refused
/// as a whole (HTTP 401), never silently downgraded to anonymous.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("the session token is invalid or has expired; sign in again")]
    InvalidToken,
    #[error("the Authorization header must be `Bearer <token>`")]
    Malformed,
    #[error("third-party API keys are not enabled on this server yet")]
    ApiKeysUnavailable,
    #[error("{0}")]
    Lookup(DomainError),
}

/// Resolves the value of an `Authorization` header (or a websocket
/// `connection_init` token, passed with the `Bearer ` prefix or without).
pub async fn resolve_bearer(
    header: Option<&str>,
    keys: &JwtKeys,
    db: &DatabaseConnection,
) -> Result<Caller, CredentialError> {
    let Some(raw) = header.map(str::trim).filter(|h| !h.is_empty()) else {
        return Ok(Caller::Anonymous);
    };
    let token = match raw.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        Some(_) => return Err(CredentialError::Malformed),
        None => raw,
    };
    if token.starts_with("vch_") {
        return Err(CredentialError::ApiKeysUnavailable);
    }
    let session = keys.verify(token).ok_or(CredentialError::InvalidToken)?;
    let user = users::find_by_id_unscoped(db, session.user_id)
        .await
        .map_err(CredentialError::Lookup)?
        .filter(|u| u.organization_id == session.organization_id)
        .ok_or(CredentialError::InvalidToken)?;
    Ok(Caller::User(AuthUser(user)))
}
