//! argon2id password hashing, off the async runtime.
use std::sync::OnceLock;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::domain::{DomainError, DomainResult};

/// Hashes with argon2id's default (OWASP-recommended) parameters.
pub async fn hash(password: &str) -> DomainResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| DomainError::internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| DomainError::internal(format!("hashing task: {e}")))?
}

/// True when `password` matches `stored`. `None` still spends the same work
/// on a dummy hash, so an unknown e-mail answers as slowly as a wrong password.
pub async fn verify(password: &str, stored: Option<&str>) -> DomainResult<bool> {
    let password = password.to_owned();
    // A stored value that is no hash (an invited user who has not accepted
    // yet) verifies nothing, after the same work as an unknown address.
    let stored = stored.filter(|s| PasswordHash::new(s).is_ok());
    let known = stored.is_some();
    let stored = match stored {
        Some(s) => s.to_owned(),
        None => dummy_hash().to_owned(),
    };
    tokio::task::spawn_blocking(move || {
        let parsed =
            PasswordHash::new(&stored).map_err(|e| DomainError::internal(format!("stored hash: {e}")))?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && known)
    })
    .await
    .map_err(|e| DomainError::internal(format!("hashing task: {e}")))?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"no user has this password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let hashed = hash("correct horse battery").await.expect("hashes");
        assert!(hashed.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", Some(&hashed)).await.expect("verifies"));
        assert!(!verify("wrong", Some(&hashed)).await.expect("verifies"));
        assert!(!verify("no user has this password", None).await.expect("verifies"));
        assert!(!verify("!invited", Some("!invited")).await.expect("not a hash verifies nothing"));
    }
}
