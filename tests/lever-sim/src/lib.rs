//! The Lever simulator: a stand-in for Lever's REST API, OAuth and webhooks
//! (see `shared/LEVER.md`), for Vouch's tests and demo.
//!
//! One process serves all three environments under path prefixes:
//! data API at `/{us,eu,sandbox}/v1`, OAuth at `/auth` (US and EU) and
//! `/sandbox-auth`, and a control API at `/_sim`. Start it in-process with
//! [`Simulator::start`]; the [`SimHandle`] dereferences to [`Sim`], whose
//! methods mirror the control API.

#![forbid(unsafe_code)]

mod api;
pub mod auth;
pub mod calls;
pub mod config;
mod control;
pub mod credentials;
pub mod error;
pub mod extract;
pub mod faults;
mod html;
pub mod inputs;
pub mod model;
mod oauth;
pub mod ops;
pub mod permissions;
pub mod rate_limit;
mod render;
pub mod seed;
pub mod sim;
pub mod state;
pub mod webhooks;
pub mod world;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use config::{NoteIdStyle, Settings, SimConfig};
pub use faults::Faults;
pub use inputs::{NewApiKey, NewCandidate, NewCompany, NewPosting, NewStage, NewUser};
pub use model::{AuthServer, DataCentre};
pub use seed::{ClientSeed, CompanySeed, Seed};
pub use sim::Sim;
pub use webhooks::sign;

/// The whole HTTP application.
pub fn app(sim: Sim) -> Router {
    let mut router = Router::new().merge(oauth::router()).merge(control::router());
    for dc in DataCentre::ALL {
        let api =
            api::router(dc).route_layer(axum::middleware::from_fn_with_state(sim.clone(), calls::record));
        router = router.nest(&format!("/{}/v1", dc.segment()), api);
    }
    router.fallback(|| async { error::ApiError::not_found("Not found") }).with_state(sim)
}

/// Starts simulators.
pub struct Simulator;

impl Simulator {
    /// Binds `config.bind`, loads the default client and seed, and serves
    /// in the background until the handle is shut down or dropped.
    pub async fn start(config: SimConfig) -> anyhow::Result<SimHandle> {
        config.settings.validate().map_err(|e| anyhow::anyhow!("invalid settings: {e}"))?;
        let listener = TcpListener::bind(config.bind).await?;
        let addr = listener.local_addr()?;
        let base = config
            .public_url
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_else(|| format!("http://{addr}"));
        let sim = Sim::new(base, config.settings)?;
        if let Some(client) = config.default_client {
            sim.register_client(client).map_err(|e| anyhow::anyhow!("default client: {}", e.message))?;
        }
        if let Some(seed) = config.seed {
            sim.apply_seed(seed).map_err(|e| anyhow::anyhow!("seed: {}", e.message))?;
        }
        let (tx, rx) = oneshot::channel::<()>();
        let app = app(sim.clone());
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = rx.await;
            };
            if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
                tracing::error!("lever-sim server error: {e}");
            }
        });
        tracing::info!("lever-sim listening on http://{addr} (base URL {})", sim.base_url());
        Ok(SimHandle { sim, addr, shutdown: Some(tx), task: Some(task) })
    }
}

/// A running simulator. Dereferences to [`Sim`] for the control methods.
pub struct SimHandle {
    sim: Sim,
    addr: std::net::SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::ops::Deref for SimHandle {
    type Target = Sim;
    fn deref(&self) -> &Sim {
        &self.sim
    }
}

impl SimHandle {
    /// The bound address.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    /// The shared core (for handing to other tasks).
    pub fn sim(&self) -> Sim {
        self.sim.clone()
    }

    /// The authorize URL of an environment's authorization server.
    pub fn authorize_url(&self, dc: DataCentre) -> String {
        format!("{}/authorize", self.sim.auth_base(dc.auth_server()))
    }

    /// The token URL of an environment's authorization server.
    pub fn token_url(&self, dc: DataCentre) -> String {
        format!("{}/oauth/token", self.sim.auth_base(dc.auth_server()))
    }

    /// Stops serving and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Serves until the process gets Ctrl-C (for the binary).
    pub async fn run_until_ctrl_c(self) -> anyhow::Result<()> {
        tokio::signal::ctrl_c().await?;
        self.shutdown().await;
        Ok(())
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
