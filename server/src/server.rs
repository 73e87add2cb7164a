//! Assembling the application and serving it until shutdown.
use std::sync::Arc;
use std::time::Duration;

use axum::middleware;
use axum::Router;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::trace::TraceLayer;

use crate::auth::JwtKeys;
use crate::config::Config;
use crate::secrets::{Cipher, SecretStore};
use crate::{db, graphql, http};

/// How long shutdown waits for in-flight requests before giving up on them.
const DRAIN_GRACE: Duration = Duration::from_secs(10);

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: DatabaseConnection,
    pub jwt: JwtKeys,
    pub secrets: SecretStore,
    /// Cancelled when the server shuts down; long-lived streams end with it.
    pub shutdown: CancellationToken,
}

impl AppState {
    pub fn new(config: Config, db: DatabaseConnection, shutdown: CancellationToken) -> Self {
        let jwt = JwtKeys::new(&config.secret_key);
        let secrets = SecretStore::new(Cipher::new(&config.secret_key));
        Self { config: Arc::new(config), db, jwt, secrets, shutdown }
    }
}

/// The whole HTTP surface (DESIGN.md section 4).
pub fn app(state: AppState) -> Router {
    let schema = graphql::build_schema(state.clone());
    Router::new()
        .merge(http::health::router(state.clone()))
        .merge(http::metrics::router())
        .merge(graphql::router(state.clone(), schema))
        .merge(http::spa::router(&state.config.web_dir))
        .layer(middleware::from_fn(http::metrics::track))
        .layer(TraceLayer::new_for_http())
}

/// Opens and migrates the database, then serves on `listener` until
/// `shutdown` is cancelled, draining in-flight requests for up to
/// [`DRAIN_GRACE`].
pub async fn run(config: Config, listener: TcpListener, shutdown: CancellationToken) -> anyhow::Result<()> {
    let database = db::connect(&config.database_url).await?;
    db::migrate(&database, &config.database_url).await?;
    let state = AppState::new(config, database, shutdown.clone());
    let address = listener.local_addr()?;
    tracing::info!(%address, public_url = %state.config.public_url, database = %state.config.database_url.redacted(), "vouch is serving");

    let server = axum::serve(listener, app(state)).with_graceful_shutdown(shutdown.clone().cancelled_owned());
    tokio::select! {
        result = server => result?,
        () = async { shutdown.cancelled().await; tokio::time::sleep(DRAIN_GRACE).await } => {
            tracing::warn!("in-flight requests did not finish within {DRAIN_GRACE:?}; exiting anyway");
        }
    }
    tracing::info!("vouch stopped");
    Ok(())
}
