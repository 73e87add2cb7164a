//! Keeps one OAuth connection's access token fresh, with single-flight
//! refresh and persistence before use.
//!
//! All state sits behind one `tokio::sync::Mutex`. A call takes the lock,
//! reads the access token, and lets go; only when the token is expired (or
//! about to be) or Lever answered 401 does the holder refresh *while holding
//! the lock*. Every other task queues on the lock and then finds the new
//! token, so 50 tasks meeting one expired token cause exactly one refresh.
//!
//! Refresh tokens rotate: the moment Lever answers a refresh, the stored
//! refresh token is dead. The new pair is therefore handed to the
//! [`TokenStore`] before the lock is released, so no call uses the new
//! access token before it is saved. If saving fails, the pair is kept in
//! memory marked unsaved, the call fails with `TokenStore`, and the next
//! call saves it again before going on.
//!
//! `invalid_grant` on refresh, or a second 401 right after a refresh, means
//! the app was revoked in Lever: the manager remembers that and every later
//! call fails fast with `Unauthorized` until the connection is replaced.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::Utc;
use uuid::Uuid;

use super::{
    config::{DataCentreUrls, OAuthApp},
    credentials::OAuthTokens,
    error::{LeverError, Result},
    oauth,
    retry::RetrySchedule,
    secret::Secret,
};

/// Error type a [`TokenStore`] may return.
pub type StoreError = Box<dyn std::error::Error + Send + Sync>;

/// Where rotated OAuth tokens are persisted (the connection layer, which
/// encrypts them at rest). Called with the new pair before any call uses it.
#[async_trait]
pub trait TokenStore: Send + Sync {
    /// Persist `tokens` as the connection's current tokens.
    async fn save(&self, connection_id: Uuid, tokens: &OAuthTokens) -> Result<(), StoreError>;
}

/// A store for API-key connections, which never refresh. Saving fails, so
/// a misuse with OAuth tokens is loud.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTokenStore;

#[async_trait]
impl TokenStore for NoTokenStore {
    async fn save(&self, _: Uuid, _: &OAuthTokens) -> Result<(), StoreError> {
        Err("this connection has no token store".into())
    }
}

struct State {
    tokens: OAuthTokens,
    unsaved: bool,
    revoked: bool,
}

/// The OAuth side of one connection.
pub(crate) struct TokenManager {
    connection_id: Uuid,
    urls: DataCentreUrls,
    app: OAuthApp,
    http: reqwest::Client,
    store: Arc<dyn TokenStore>,
    retry: RetrySchedule,
    refresh_margin: chrono::Duration,
    state: tokio::sync::Mutex<State>,
}

/// What a [`TokenManager`] needs besides the tokens.
pub(crate) struct TokenManagerParts {
    pub connection_id: Uuid,
    pub urls: DataCentreUrls,
    pub app: OAuthApp,
    pub http: reqwest::Client,
    pub store: Arc<dyn TokenStore>,
    pub retry: RetrySchedule,
    pub refresh_margin: std::time::Duration,
}

impl TokenManager {
    pub fn new(parts: TokenManagerParts, tokens: OAuthTokens) -> Self {
        Self {
            connection_id: parts.connection_id,
            urls: parts.urls,
            app: parts.app,
            http: parts.http,
            store: parts.store,
            retry: parts.retry,
            refresh_margin: chrono::Duration::from_std(parts.refresh_margin)
                .unwrap_or_else(|_| chrono::Duration::minutes(5)),
            state: tokio::sync::Mutex::new(State { tokens, unsaved: false, revoked: false }),
        }
    }

    /// The access token to send now, refreshed first when it expires within
    /// the margin.
    pub async fn access_token(&self) -> Result<Secret> {
        let mut state = self.state.lock().await;
        self.ready(&mut state).await?;
        if state.tokens.expires_at - self.refresh_margin <= Utc::now() {
            self.refresh_locked(&mut state).await?;
        }
        Ok(state.tokens.access_token.clone())
    }

    /// Lever answered 401 to `used`: refresh, unless another task already
    /// replaced that token, and return the token to retry with.
    pub async fn after_unauthorized(&self, used: &Secret) -> Result<Secret> {
        let mut state = self.state.lock().await;
        self.ready(&mut state).await?;
        if state.tokens.access_token == *used {
            self.refresh_locked(&mut state).await?;
        }
        Ok(state.tokens.access_token.clone())
    }

    /// Refresh now whatever the expiry: the keep-alive that stops an idle
    /// refresh token from expiring (run at least monthly).
    pub async fn refresh_now(&self) -> Result<()> {
        let mut state = self.state.lock().await;
        self.ready(&mut state).await?;
        self.refresh_locked(&mut state).await
    }

    /// A fresh token was refused too: the grant is gone.
    pub async fn mark_revoked(&self) {
        self.state.lock().await.revoked = true;
    }

    async fn ready(&self, state: &mut State) -> Result<()> {
        if state.revoked {
            return Err(LeverError::Unauthorized);
        }
        if state.unsaved {
            self.save(state).await?;
        }
        Ok(())
    }

    async fn refresh_locked(&self, state: &mut State) -> Result<()> {
        let refreshed =
            oauth::refresh(&self.http, &self.app, &self.urls, &self.retry, &state.tokens.refresh_token).await;
        match refreshed {
            Ok(mut tokens) => {
                // A refresh answer may leave the scope out; it did not change.
                if tokens.scope.is_none() {
                    tokens.scope = state.tokens.scope.clone();
                }
                tracing::info!(connection_id = %self.connection_id, "Lever access token refreshed");
                state.tokens = tokens;
                state.unsaved = true;
                self.save(state).await
            }
            Err(LeverError::Unauthorized) => {
                tracing::warn!(connection_id = %self.connection_id, "Lever refresh refused: revoked");
                state.revoked = true;
                Err(LeverError::Unauthorized)
            }
            Err(e) => Err(e),
        }
    }

    async fn save(&self, state: &mut State) -> Result<()> {
        self.store
            .save(self.connection_id, &state.tokens)
            .await
            .map_err(|e| LeverError::TokenStore { detail: e.to_string() })?;
        state.unsaved = false;
        Ok(())
    }
}
