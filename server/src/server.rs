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
use crate::domain::checks::events::CheckProcessor;
use crate::domain::checks::{deadlines, lever_write, recheck};
use crate::domain::connections::credentials::DbTokenStore;
use crate::domain::email;
use crate::jobs::{JobSignal, Registry, Workers};
use crate::lever::{LeverClients, LeverConfig, OAuthApp, Secret};
use crate::secrets::{Cipher, SecretStore};
use crate::webhooks::{self, EventProcessor};
use crate::{db, graphql, http};

/// How long shutdown waits for in-flight requests before giving up on them.
const DRAIN_GRACE: Duration = Duration::from_secs(10);

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: DatabaseConnection,
    /// Behind an `Arc`: the keys own their bytes, and the state is cloned
    /// for every request.
    pub jwt: Arc<JwtKeys>,
    pub secrets: SecretStore,
    /// Every Lever connection's client (one token bucket per connection).
    pub lever: Arc<LeverClients>,
    /// Cancelled when the server shuts down; long-lived streams end with it.
    pub shutdown: CancellationToken,
    /// Wakes this process's job workers after a commit that enqueued work.
    pub jobs: JobSignal,
}

impl AppState {
    pub fn new(config: Config, db: DatabaseConnection, shutdown: CancellationToken) -> anyhow::Result<Self> {
        let jwt = Arc::new(JwtKeys::new(&config.secret_key));
        let secrets = SecretStore::new(Cipher::new(&config.secret_key));
        let token_store = Arc::new(DbTokenStore::new(db.clone(), secrets.clone()));
        let lever = Arc::new(LeverClients::new(Arc::new(lever_config(&config)?), token_store)?);
        Ok(Self { config: Arc::new(config), db, jwt, secrets, lever, shutdown, jobs: JobSignal::new() })
    }
}

/// The Lever client's settings: hosts from configuration, and Vouch's OAuth
/// app when both its id and secret are set.
fn lever_config(config: &Config) -> anyhow::Result<LeverConfig> {
    let oauth_app = match (&config.lever.client_id, &config.lever.client_secret) {
        (Some(client_id), Some(secret)) => Some(OAuthApp {
            client_id: client_id.clone(),
            client_secret: Secret::new(secret.expose()),
            redirect_uri: config.public_url.join("oauth/lever/callback")?,
        }),
        _ => None,
    };
    Ok(LeverConfig { hosts: config.lever.hosts.clone(), oauth_app, ..LeverConfig::default() })
}

/// The whole HTTP surface (DESIGN.md section 4).
///
/// Every route is counted and timed (`http::metrics`); all but the webhook
/// route are traced per request too. The webhook route logs its own
/// outcomes (a line per refusal, never the body; none per 503 it sheds under
/// overload, where the generic trace would log each at ERROR just when the
/// CPU is short).
pub fn app(state: AppState) -> Router {
    let schema = graphql::build_schema(state.clone());
    Router::new()
        .merge(http::health::router(state.clone()))
        .merge(http::metrics::router())
        .merge(graphql::router(state.clone(), schema))
        .merge(http::oauth_callback::router(state.clone()))
        .merge(http::spa::router(&state.config.web_dir))
        .layer(TraceLayer::new_for_http())
        .merge(webhooks::router(state.clone()))
        .layer(middleware::from_fn(http::metrics::track))
}

/// What processes Lever events: the checks domain.
pub fn event_processor(state: &AppState) -> Arc<dyn EventProcessor> {
    CheckProcessor::new(state.clone())
}

/// Every job kind this server runs, and its handler.
pub fn job_handlers(state: &AppState) -> Registry {
    let mut registry = Registry::new();
    webhooks::register_jobs(&mut registry, event_processor(state), state);
    crate::domain::connections::jobs::register(&mut registry, state.clone());
    crate::domain::tag_sync::register_jobs(&mut registry, state);
    registry.register(email::SEND_JOB, Arc::new(email::SendEmail::new(&state.config)));
    registry.register(lever_write::JOB_KIND, Arc::new(lever_write::WriteStatus { state: state.clone() }));
    registry.register(recheck::JOB_KIND, Arc::new(recheck::RecheckBlocked { state: state.clone() }));
    registry.register(deadlines::JOB_KIND, Arc::new(deadlines::Deadlines { state: state.clone() }));
    registry
}

/// Opens and migrates the database, then serves on `listener` until
/// `shutdown` is cancelled, draining in-flight requests for up to
/// [`DRAIN_GRACE`].
pub async fn run(config: Config, listener: TcpListener, shutdown: CancellationToken) -> anyhow::Result<()> {
    let database = db::connect(&config.database_url).await?;
    db::migrate(&database, &config.database_url).await?;
    let state = AppState::new(config, database, shutdown.clone())?;
    let address = listener.local_addr()?;
    tracing::info!(%address, public_url = %state.config.public_url, database = %state.config.database_url.redacted(), "vouch is serving");

    // SQLite: WAL checkpoints in the background, not inside the commits of
    // the webhook committer (see `db::checkpoint`).
    db::checkpoint::spawn(state.db.clone(), state.jobs.clone(), shutdown.clone());
    let workers =
        Workers::new(state.db.clone(), job_handlers(&state), state.config.jobs.clone(), state.jobs.clone())
            .spawn(shutdown.clone());
    // Reminders and expiry: one perpetual job shared by every process.
    deadlines::ensure_scheduled(&state.db).await?;
    if let Some(interval) = state.config.catch_up_interval {
        tokio::spawn(webhooks::catch_up::schedule(state.clone(), interval, shutdown.clone()));
    }

    let server = axum::serve(listener, app(state)).with_graceful_shutdown(shutdown.clone().cancelled_owned());
    tokio::select! {
        result = server => result?,
        () = async { shutdown.cancelled().await; tokio::time::sleep(DRAIN_GRACE).await } => {
            tracing::warn!("in-flight requests did not finish within {DRAIN_GRACE:?}; exiting anyway");
        }
    }
    // Workers finish the job in hand; one stuck past the grace is left to
    // its lease (another process, or the next start, runs it again).
    if tokio::time::timeout(DRAIN_GRACE, workers).await.is_err() {
        tracing::warn!("a job did not finish within {DRAIN_GRACE:?} of shutdown; its lease will expire");
    }
    tracing::info!("vouch stopped");
    Ok(())
}
