//! A connection's credentials at rest: an API key, or the OAuth token set
//! (JSON), each sealed in the `secrets` table.
use async_trait::async_trait;
use entity::lever_connection::{self, AuthMode};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

use super::store;
use crate::domain::{DomainError, DomainResult};
use crate::lever::{Credentials, OAuthTokens, Secret, StoreError, TokenStore};
use crate::secrets::{Redacted, SecretPurpose, SecretStore};

fn purpose(mode: AuthMode) -> SecretPurpose {
    match mode {
        AuthMode::ApiKey => SecretPurpose::LeverApiKey,
        AuthMode::OAuth => SecretPurpose::LeverOAuthTokens,
    }
}

fn serialise(credentials: &Credentials) -> DomainResult<(AuthMode, Redacted)> {
    match credentials {
        Credentials::ApiKey(key) => Ok((AuthMode::ApiKey, Redacted::new(key.expose()))),
        Credentials::OAuth(tokens) => serde_json::to_string(tokens)
            .map(|json| (AuthMode::OAuth, Redacted::new(json)))
            .map_err(|e| DomainError::internal(format!("serialising OAuth tokens: {e}"))),
    }
}

/// Seals new credentials and answers the secret's id.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    secrets: &SecretStore,
    organization_id: Uuid,
    credentials: &Credentials,
) -> DomainResult<Uuid> {
    let (mode, value) = serialise(credentials)?;
    secrets.put(db, organization_id, purpose(mode), &value).await
}

/// Opens a connection's credentials.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    secrets: &SecretStore,
    connection: &lever_connection::Model,
) -> DomainResult<Credentials> {
    let id = connection.credentials_secret_id.ok_or_else(|| {
        DomainError::conflict("connection", "this Lever connection has no credentials: connect it again")
    })?;
    let value = secrets.get(db, connection.organization_id, id, purpose(connection.auth_mode)).await?;
    match connection.auth_mode {
        AuthMode::ApiKey => Ok(Credentials::ApiKey(Secret::new(value.expose()))),
        AuthMode::OAuth => serde_json::from_str::<OAuthTokens>(value.expose())
            .map(Credentials::OAuth)
            .map_err(|e| DomainError::internal(format!("stored OAuth tokens do not parse: {e}"))),
    }
}

/// Persists rotated OAuth tokens for the Lever client, before it uses them.
pub struct DbTokenStore {
    db: DatabaseConnection,
    secrets: SecretStore,
}

impl DbTokenStore {
    pub fn new(db: DatabaseConnection, secrets: SecretStore) -> Self {
        Self { db, secrets }
    }
}

#[async_trait]
impl TokenStore for DbTokenStore {
    async fn save(&self, connection_id: Uuid, tokens: &OAuthTokens) -> Result<(), StoreError> {
        let connection = store::find_unscoped(&self.db, connection_id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the connection no longer exists")?;
        let secret_id = connection.credentials_secret_id.ok_or("the connection has no credentials")?;
        let json = serde_json::to_string(tokens).map_err(|e| e.to_string())?;
        self.secrets
            .replace(
                &self.db,
                connection.organization_id,
                secret_id,
                SecretPurpose::LeverOAuthTokens,
                &Redacted::new(json),
            )
            .await
            .map_err(|e| e.to_string())?;
        Ok(())
    }
}
