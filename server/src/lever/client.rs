//! [`LeverClient`] (one connection) and [`LeverClients`] (the process-wide
//! registry that hands them out).
//!
//! A client is an `Arc` inside: cloning it is cheap, and every clone shares
//! the connection's token bucket and OAuth state. The registry keeps one
//! client per connection id, so every task of the process that talks to
//! Lever for a connection goes through the same bucket and the same
//! single-flight refresh. Callers keep the registry in the app state.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use url::Url;
use uuid::Uuid;

use super::{
    config::{DataCentre, LeverConfig, OAuthApp},
    credentials::{Credentials, LeverConnection, OAuthTokens},
    error::{LeverError, Result},
    http::{Auth, Transport},
    oauth,
    rate_limit::Bucket,
    tokens::{TokenManager, TokenManagerParts, TokenStore},
};

/// The Lever API of one connection. Cheap to clone.
#[derive(Clone)]
pub struct LeverClient {
    inner: Arc<Inner>,
}

struct Inner {
    connection_id: Uuid,
    data_centre: DataCentre,
    fallback_user: Option<String>,
    page_size: u32,
    transport: Transport,
}

impl std::fmt::Debug for LeverClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeverClient")
            .field("connection_id", &self.inner.connection_id)
            .field("data_centre", &self.inner.data_centre)
            .finish_non_exhaustive()
    }
}

impl LeverClient {
    /// A client with its own HTTP pool and bucket. Prefer
    /// [`LeverClients::get_or_connect`] in the server, so that a connection
    /// has one bucket per process; this is for tests and one-off probes.
    /// `store` receives rotated OAuth tokens (any store will do for API keys,
    /// e.g. [`NoTokenStore`](super::tokens::NoTokenStore)).
    pub fn new(
        config: &LeverConfig,
        connection: LeverConnection,
        store: Arc<dyn TokenStore>,
    ) -> Result<Self> {
        let http = http_client(config)?;
        let bucket = Bucket::new(config.rate_limit);
        Self::build(config, http, connection, store, bucket)
    }

    fn build(
        config: &LeverConfig,
        http: reqwest::Client,
        connection: LeverConnection,
        store: Arc<dyn TokenStore>,
        bucket: Bucket,
    ) -> Result<Self> {
        let urls = config.hosts.get(connection.data_centre).clone();
        let auth = match connection.credentials {
            Credentials::ApiKey(key) => Auth::ApiKey(key),
            Credentials::OAuth(tokens) => {
                let app = oauth_app(config)?.clone();
                let parts = TokenManagerParts {
                    connection_id: connection.id,
                    urls: urls.clone(),
                    app,
                    http: http.clone(),
                    store,
                    retry: config.retry,
                    refresh_margin: config.refresh_margin,
                };
                Auth::OAuth(Arc::new(TokenManager::new(parts, tokens)))
            }
        };
        let transport = Transport { http, urls, auth, bucket, retry: config.retry };
        Ok(Self {
            inner: Arc::new(Inner {
                connection_id: connection.id,
                data_centre: connection.data_centre,
                fallback_user: connection.fallback_user,
                page_size: config.page_size.clamp(1, 100),
                transport,
            }),
        })
    }

    /// The connection this client works for.
    pub fn connection_id(&self) -> Uuid {
        self.inner.connection_id
    }

    /// The connection's data centre.
    pub fn data_centre(&self) -> DataCentre {
        self.inner.data_centre
    }

    /// The user writes fall back to when the chosen one cannot act.
    pub fn fallback_user(&self) -> Option<&str> {
        self.inner.fallback_user.as_deref()
    }

    /// Refreshes OAuth tokens now (the monthly keep-alive that stops an idle
    /// refresh token from expiring). Does nothing for an API key.
    pub async fn refresh_now(&self) -> Result<()> {
        match &self.inner.transport.auth {
            Auth::ApiKey(_) => Ok(()),
            Auth::OAuth(manager) => manager.refresh_now().await,
        }
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    pub(crate) fn page_size(&self) -> u32 {
        self.inner.page_size
    }

    fn bucket(&self) -> Bucket {
        self.inner.transport.bucket.clone()
    }
}

fn oauth_app(config: &LeverConfig) -> Result<&OAuthApp> {
    config.oauth_app.as_ref().ok_or_else(|| LeverError::Config {
        detail: "OAuth connection but no Lever OAuth client configured".into(),
    })
}

/// The HTTP pool of the client: per-attempt timeouts, no redirects (a
/// redirect would re-send our credentials somewhere we did not choose).
pub fn http_client(config: &LeverConfig) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(config.request_timeout)
        .connect_timeout(config.connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("vouch/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| LeverError::Config { detail: format!("HTTP client: {e}") })
}

/// Every connection's client in this process, keyed by connection id.
pub struct LeverClients {
    config: Arc<LeverConfig>,
    http: reqwest::Client,
    store: Arc<dyn TokenStore>,
    clients: Mutex<HashMap<Uuid, LeverClient>>,
}

impl LeverClients {
    /// An empty registry. `store` persists rotated OAuth tokens.
    pub fn new(config: Arc<LeverConfig>, store: Arc<dyn TokenStore>) -> Result<Self> {
        let http = http_client(&config)?;
        Ok(Self { config, http, store, clients: Mutex::new(HashMap::new()) })
    }

    /// The shared configuration.
    pub fn config(&self) -> &LeverConfig {
        &self.config
    }

    /// The connection's client, if one was made.
    pub fn get(&self, connection_id: Uuid) -> Option<LeverClient> {
        self.map().get(&connection_id).cloned()
    }

    /// The connection's client; made from `connection` only if none exists.
    /// The existing one wins because it holds the freshest OAuth tokens.
    pub fn get_or_connect(&self, connection: LeverConnection) -> Result<LeverClient> {
        let mut map = self.map();
        if let Some(client) = map.get(&connection.id) {
            return Ok(client.clone());
        }
        let id = connection.id;
        let client = self.make(connection, None)?;
        map.insert(id, client.clone());
        Ok(client)
    }

    /// Replaces the connection's client (new credentials after a reconnect,
    /// a new fallback user). The token bucket is kept: Lever's limit did not
    /// reset just because we did.
    pub fn connect(&self, connection: LeverConnection) -> Result<LeverClient> {
        let mut map = self.map();
        let bucket = map.get(&connection.id).map(LeverClient::bucket);
        let id = connection.id;
        let client = self.make(connection, bucket)?;
        map.insert(id, client.clone());
        Ok(client)
    }

    /// Forgets the connection (disconnect).
    pub fn remove(&self, connection_id: Uuid) {
        self.map().remove(&connection_id);
    }

    /// Where to send the admin to connect by OAuth.
    pub fn authorize_url(&self, data_centre: DataCentre, state: &str) -> Result<Url> {
        let app = oauth_app(&self.config)?;
        Ok(oauth::authorize_url(app, self.config.hosts.get(data_centre), state))
    }

    /// Exchanges the OAuth callback's code for tokens.
    pub async fn exchange_code(&self, data_centre: DataCentre, code: &str) -> Result<OAuthTokens> {
        let app = oauth_app(&self.config)?;
        let urls = self.config.hosts.get(data_centre);
        oauth::exchange_code(&self.http, app, urls, &self.config.retry, code).await
    }

    fn make(&self, connection: LeverConnection, bucket: Option<Bucket>) -> Result<LeverClient> {
        let bucket = bucket.unwrap_or_else(|| Bucket::new(self.config.rate_limit));
        LeverClient::build(&self.config, self.http.clone(), connection, self.store.clone(), bucket)
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, LeverClient>> {
        // The map holds no invariant a panic could break.
        self.clients.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lever::{secret::Secret, tokens::NoTokenStore};

    fn connection(id: Uuid, key: &str) -> LeverConnection {
        LeverConnection {
            id,
            data_centre: DataCentre::Eu,
            credentials: Credentials::ApiKey(Secret::new(key)),
            fallback_user: None,
        }
    }

    #[tokio::test]
    async fn one_bucket_per_connection_even_across_reconnects() {
        let registry =
            LeverClients::new(Arc::new(LeverConfig::default()), Arc::new(NoTokenStore)).expect("registry");
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let first = registry.get_or_connect(connection(a, "k1")).expect("client");
        let again = registry.get_or_connect(connection(a, "k1")).expect("client");
        assert!(first.bucket().same_bucket(&again.bucket()));
        let other = registry.get_or_connect(connection(b, "k2")).expect("client");
        assert!(!first.bucket().same_bucket(&other.bucket()));
        let replaced = registry.connect(connection(a, "k3")).expect("client");
        assert!(first.bucket().same_bucket(&replaced.bucket()));
        registry.remove(a);
        assert!(registry.get(a).is_none());
        assert!(!format!("{replaced:?}").contains("k3"));
    }

    #[test]
    fn oauth_without_an_app_is_a_config_error() {
        let conn = LeverConnection {
            credentials: Credentials::OAuth(OAuthTokens {
                access_token: Secret::new("a"),
                refresh_token: Secret::new("r"),
                expires_at: chrono::Utc::now(),
                scope: None,
            }),
            ..connection(Uuid::nil(), "unused")
        };
        let err = LeverClient::new(&LeverConfig::default(), conn, Arc::new(NoTokenStore))
            .expect_err("no OAuth app");
        assert!(matches!(err, LeverError::Config { .. }));
    }
}
