//! Slows down password guessing per e-mail address.
//!
//! After [`FREE_ATTEMPTS`] consecutive failures, the address is locked for a
//! period that doubles with each further failure, up to [`MAX_LOCK`]. The
//! count lives in the database, so every replica sees it, and it is kept for
//! unknown addresses too, so the answer never reveals which exist. A
//! successful sign-in clears it.
use chrono::{Duration, Utc};
use entity::login_failure;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::domain::{DomainError, DomainResult};

pub const FREE_ATTEMPTS: i32 = 5;
const FIRST_LOCK_SECS: i64 = 30;
const MAX_LOCK: Duration = Duration::minutes(15);

/// Refuses while the address is locked.
pub async fn check<C: ConnectionTrait>(db: &C, email: &str) -> DomainResult<()> {
    let row = login_failure::Entity::find_by_id(email.to_owned()).one(db).await?;
    if let Some(until) = row.and_then(|r| r.locked_until) {
        let left = (until - Utc::now()).num_seconds();
        if left > 0 {
            return Err(DomainError::TooManyAttempts { retry_after_secs: left as u64 });
        }
    }
    Ok(())
}

/// Counts a failure and locks the address when the free attempts are used up.
pub async fn record_failure<C: ConnectionTrait>(db: &C, email: &str) -> DomainResult<()> {
    let now = Utc::now();
    let existing = login_failure::Entity::find_by_id(email.to_owned()).one(db).await?;
    let failures = existing.as_ref().map_or(0, |r| r.failures).saturating_add(1);
    let locked_until = lock_for(failures).map(|d| now + d);
    match existing {
        Some(row) => {
            let mut active: login_failure::ActiveModel = row.into();
            active.failures = Set(failures);
            active.locked_until = Set(locked_until);
            active.updated_at = Set(now);
            active.update(db).await?;
        }
        None => {
            login_failure::ActiveModel {
                email: Set(email.to_owned()),
                failures: Set(failures),
                locked_until: Set(locked_until),
                updated_at: Set(now),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// Forgets the failures after a successful sign-in.
pub async fn clear<C: ConnectionTrait>(db: &C, email: &str) -> DomainResult<()> {
    login_failure::Entity::delete_by_id(email.to_owned()).exec(db).await?;
    Ok(())
}

/// The lock after the `failures`-th consecutive failure, if any.
fn lock_for(failures: i32) -> Option<Duration> {
    let over = failures - FREE_ATTEMPTS;
    if over < 0 {
        return None;
    }
    let secs = FIRST_LOCK_SECS.saturating_mul(1i64 << over.min(20));
    Some(Duration::seconds(secs).min(MAX_LOCK))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_grows_then_caps() {
        assert_eq!(lock_for(1), None);
        assert_eq!(lock_for(FREE_ATTEMPTS - 1), None);
        assert_eq!(lock_for(FREE_ATTEMPTS), Some(Duration::seconds(30)));
        assert_eq!(lock_for(FREE_ATTEMPTS + 1), Some(Duration::seconds(60)));
        assert_eq!(lock_for(FREE_ATTEMPTS + 40), Some(MAX_LOCK));
    }
}
