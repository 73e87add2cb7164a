//! What the webhook route verifies against, kept in memory for a moment:
//! per connection, whether it accepts deliveries and its signing tokens
//! (opened from `secrets`).
//!
//! Without it every delivery, signed or not, costs three queries and a
//! decryption before its signature is even checked, so refusing a flood of
//! forged or repeated deliveries would cost as much as storing them. An
//! entry is used for at most [`FRESH_FOR`], and not at all once this process
//! has added or retired a signing token ([`super::tokens::generation`]), so
//! a rotation or a retirement made here takes effect at once. What another
//! process changes (a second replica on PostgreSQL), and a disconnect (whose
//! teardown retires the tokens), is seen within [`FRESH_FOR`]. Unknown and
//! disconnected connections are never kept: they are read every time, so a
//! new connection works at once.
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use entity::lever_connection::{self, ConnectionStatus};
use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

use super::payload::{Delivery, SigningKey};
use super::tokens;
use crate::domain::{DomainError, DomainResult};
use crate::secrets::{SecretPurpose, SecretStore};

/// How long an entry is used before the database is read again.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// A connection that accepts deliveries, and its active signing tokens.
pub struct Keys {
    pub organization_id: Uuid,
    pub connection_id: Uuid,
    /// `(event, token)`: a token with no event verifies every event.
    tokens: Vec<(Option<String>, SigningKey)>,
    loaded: Instant,
    generation: u64,
}

impl Keys {
    /// True when one of the tokens for the delivery's event signed it.
    pub fn verify(&self, delivery: &Delivery) -> bool {
        self.tokens
            .iter()
            .filter(|(event, _)| event.as_deref().is_none_or(|e| e == delivery.event))
            .any(|(_, key)| key.signed(delivery))
    }

    fn is_fresh(&self) -> bool {
        self.generation == tokens::generation() && self.loaded.elapsed() < FRESH_FOR
    }
}

/// The route's cache of [`Keys`], one entry per connected connection.
#[derive(Default)]
pub struct Keyring {
    entries: RwLock<HashMap<Uuid, Arc<Keys>>>,
}

impl Keyring {
    pub fn new() -> Self {
        Self::default()
    }

    /// The connection's keys, or `None` when it does not exist or is
    /// disconnected (the route answers 404).
    pub async fn keys(
        &self,
        db: &DatabaseConnection,
        secrets: &SecretStore,
        connection_id: Uuid,
    ) -> DomainResult<Option<Arc<Keys>>> {
        if let Some(keys) = self.cached(connection_id) {
            return Ok(Some(keys));
        }
        // Read the generation first: a token change after it makes this
        // entry stale at once.
        let generation = tokens::generation();
        let Some(connection) = lever_connection::Entity::find_by_id(connection_id).one(db).await? else {
            self.forget(connection_id);
            return Ok(None);
        };
        if connection.status == ConnectionStatus::Disconnected {
            self.forget(connection_id);
            return Ok(None);
        }
        let org = connection.organization_id;
        let mut opened = Vec::new();
        for row in tokens::list_active(db, org, connection_id).await? {
            match secrets.get(db, org, row.secret_id, SecretPurpose::LeverWebhookSigningToken).await {
                Ok(token) => opened.push((row.event, SigningKey::new(token.expose()))),
                // A token that cannot be opened verifies nothing; the others may.
                Err(DomainError::NotFound { .. }) => {
                    tracing::warn!(token_id = %row.id, "webhook signing token has no secret; skipped")
                }
                Err(other) => return Err(other),
            }
        }
        let keys = Arc::new(Keys {
            organization_id: org,
            connection_id,
            tokens: opened,
            loaded: Instant::now(),
            generation,
        });
        if let Ok(mut entries) = self.entries.write() {
            entries.insert(connection_id, keys.clone());
        }
        Ok(Some(keys))
    }

    fn cached(&self, connection_id: Uuid) -> Option<Arc<Keys>> {
        let entries = self.entries.read().ok()?;
        entries.get(&connection_id).filter(|keys| keys.is_fresh()).cloned()
    }

    fn forget(&self, connection_id: Uuid) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(&connection_id);
        }
    }
}
