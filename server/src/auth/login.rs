//! The sign-in flow: e-mail and password in, session token out.
use chrono::{DateTime, Utc};
use entity::user;
use sea_orm::DatabaseConnection;

use super::{password, throttle, JwtKeys};
use crate::domain::{users, validate, DomainError, DomainResult};

/// A successful sign-in.
pub struct LoginOutcome {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: user::Model,
}

/// The one answer for a wrong e-mail and a wrong password alike.
const WRONG_CREDENTIALS: &str = "wrong e-mail address or password";

pub async fn login(
    db: &DatabaseConnection,
    keys: &JwtKeys,
    email: &str,
    pass: &str,
) -> DomainResult<LoginOutcome> {
    let email = validate::email("email", email)?;
    if pass.is_empty() {
        return Err(DomainError::invalid("password", "enter your password"));
    }
    if pass.len() > validate::MAX_PASSWORD_LEN {
        return Err(DomainError::invalid(
            "password",
            format!("at most {} characters", validate::MAX_PASSWORD_LEN),
        ));
    }
    throttle::check(db, &email).await?;
    let user = users::find_by_email(db, &email).await?;
    let ok = password::verify(pass, user.as_ref().map(|u| u.password_hash.as_str())).await?;
    match user.filter(|_| ok) {
        Some(user) => {
            throttle::clear(db, &email).await?;
            let (token, expires_at) = keys.issue(user.id, user.organization_id, user.role);
            tracing::info!(user_id = %user.id, "signed in");
            Ok(LoginOutcome { token, expires_at, user })
        }
        None => {
            throttle::record_failure(db, &email).await?;
            tracing::info!("failed sign-in");
            Err(DomainError::Unauthenticated(WRONG_CREDENTIALS.into()))
        }
    }
}
