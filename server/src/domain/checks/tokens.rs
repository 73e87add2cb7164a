//! Single-purpose link tokens: 32 random bytes shown once (in an e-mail),
//! only their SHA-256 stored. A token answers for one check, one purpose and
//! (for referees) one referee; anything else is NOT_FOUND.
use base64::Engine;
use chrono::{DateTime, Utc};
use entity::check_token::{self, TokenPurpose};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::{DomainError, DomainResult};

/// Longest token text accepted (a real one is 43 characters).
const MAX_TOKEN_LEN: usize = 128;

/// A fresh random token (URL-safe base64 of 32 bytes).
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a token.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Issues a token; answers the token text (never stored).
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    purpose: TokenPurpose,
    check_id: Uuid,
    referee_id: Option<Uuid>,
    expires_at: DateTime<Utc>,
) -> DomainResult<String> {
    let token = generate();
    check_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        token_hash: Set(hash(&token)),
        purpose: Set(purpose),
        check_id: Set(check_id),
        referee_id: Set(referee_id),
        expires_at: Set(expires_at),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The stored token for `token` if it allows one of `purposes` (and, when
/// given, belongs to `check_id`); NOT_FOUND otherwise, and a clear EXPIRED
/// error when its time is over.
pub async fn resolve<C: ConnectionTrait>(
    db: &C,
    token: &str,
    purposes: &[TokenPurpose],
    check_id: Option<Uuid>,
) -> DomainResult<check_token::Model> {
    let token = token.trim();
    if token.is_empty() || token.len() > MAX_TOKEN_LEN {
        return Err(DomainError::not_found("link"));
    }
    let row = check_token::Entity::find()
        .filter(check_token::Column::TokenHash.eq(hash(token)))
        .one(db)
        .await?
        .filter(|row| purposes.contains(&row.purpose) && check_id.is_none_or(|id| id == row.check_id))
        .ok_or_else(|| DomainError::not_found("link"))?;
    if row.expires_at <= Utc::now() {
        return Err(DomainError::Expired(format!(
            "this link expired on {}; ask the company that sent it for a new one",
            row.expires_at.format("%Y-%m-%d")
        )));
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), hash(&b));
    }
}
