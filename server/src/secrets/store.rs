//! The `secrets` table: encrypted values owned by one organization.
//!
//! Other tables point at a secret by id; reading one always names the
//! organization, so a secret can never be read across tenants.
use chrono::Utc;
use entity::secret;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::{Cipher, Redacted};
use crate::domain::{DomainError, DomainResult};

/// What a secret is for; part of the associated data, so a value sealed for
/// one purpose cannot be opened as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretPurpose {
    LeverApiKey,
    LeverOAuthTokens,
    LeverWebhookSigningToken,
}

impl SecretPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LeverApiKey => "lever_api_key",
            Self::LeverOAuthTokens => "lever_oauth_tokens",
            Self::LeverWebhookSigningToken => "lever_webhook_signing_token",
        }
    }
}

/// Encrypts on write, decrypts on read.
#[derive(Clone, Debug)]
pub struct SecretStore {
    cipher: Cipher,
}

fn context(id: Uuid, purpose: &str) -> Vec<u8> {
    format!("{id}:{purpose}").into_bytes()
}

impl SecretStore {
    pub fn new(cipher: Cipher) -> Self {
        Self { cipher }
    }

    /// Stores a new secret and answers its id.
    pub async fn put<C: ConnectionTrait>(
        &self,
        db: &C,
        organization_id: Uuid,
        purpose: SecretPurpose,
        value: &Redacted,
    ) -> DomainResult<Uuid> {
        let id = Uuid::new_v4();
        let ciphertext = self.seal(id, purpose, value)?;
        let now = Utc::now();
        secret::ActiveModel {
            id: Set(id),
            organization_id: Set(organization_id),
            purpose: Set(purpose.as_str().to_owned()),
            ciphertext: Set(ciphertext),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await?;
        Ok(id)
    }

    /// Replaces the value of an existing secret (e.g. a rotated refresh token).
    pub async fn replace<C: ConnectionTrait>(
        &self,
        db: &C,
        organization_id: Uuid,
        id: Uuid,
        purpose: SecretPurpose,
        value: &Redacted,
    ) -> DomainResult<()> {
        let ciphertext = self.seal(id, purpose, value)?;
        let updated = secret::Entity::update_many()
            .col_expr(secret::Column::Ciphertext, sea_orm::sea_query::Expr::value(ciphertext))
            .col_expr(secret::Column::UpdatedAt, sea_orm::sea_query::Expr::value(Utc::now()))
            .filter(secret::Column::Id.eq(id))
            .filter(secret::Column::OrganizationId.eq(organization_id))
            .filter(secret::Column::Purpose.eq(purpose.as_str()))
            .exec(db)
            .await?;
        if updated.rows_affected == 0 {
            return Err(DomainError::not_found("secret"));
        }
        Ok(())
    }

    /// Reads and decrypts a secret of this organization.
    pub async fn get<C: ConnectionTrait>(
        &self,
        db: &C,
        organization_id: Uuid,
        id: Uuid,
        purpose: SecretPurpose,
    ) -> DomainResult<Redacted> {
        let row = secret::Entity::find_by_id(id)
            .filter(secret::Column::OrganizationId.eq(organization_id))
            .filter(secret::Column::Purpose.eq(purpose.as_str()))
            .one(db)
            .await?
            .ok_or_else(|| DomainError::not_found("secret"))?;
        let plain = self
            .cipher
            .open(&row.ciphertext, &context(id, purpose.as_str()))
            .map_err(|e| DomainError::internal(e.to_string()))?;
        String::from_utf8(plain)
            .map(Redacted::new)
            .map_err(|_| DomainError::internal("stored secret is not UTF-8"))
    }

    /// Destroys a secret (disconnect). Deleting a missing one is not an error.
    pub async fn delete<C: ConnectionTrait>(
        &self,
        db: &C,
        organization_id: Uuid,
        id: Uuid,
    ) -> DomainResult<()> {
        secret::Entity::delete_many()
            .filter(secret::Column::Id.eq(id))
            .filter(secret::Column::OrganizationId.eq(organization_id))
            .exec(db)
            .await?;
        Ok(())
    }

    fn seal(&self, id: Uuid, purpose: SecretPurpose, value: &Redacted) -> DomainResult<Vec<u8>> {
        self.cipher
            .seal(value.expose().as_bytes(), &context(id, purpose.as_str()))
            .map_err(|e| DomainError::internal(e.to_string()))
    }
}
