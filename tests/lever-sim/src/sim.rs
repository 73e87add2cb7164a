//! [`Sim`]: the shared core every handler, the control API and the Rust
//! handle use. Cheap to clone.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::config::Settings;
use crate::model::{AuthServer, DataCentre};
use crate::state::State;

struct Inner {
    state: Mutex<State>,
    base_url: String,
    http: reqwest::Client,
    rt: tokio::runtime::Handle,
}

/// The simulator's shared core.
#[derive(Clone)]
pub struct Sim {
    inner: Arc<Inner>,
}

impl Sim {
    /// A core serving at `base_url` (no trailing slash). Must be created
    /// inside a Tokio runtime.
    pub fn new(base_url: String, settings: Settings) -> anyhow::Result<Sim> {
        let state = State { settings, ..State::default() };
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
        Ok(Sim {
            inner: Arc::new(Inner {
                state: Mutex::new(state),
                base_url,
                http,
                rt: tokio::runtime::Handle::try_current()?,
            }),
        })
    }

    /// Locks the state. A poisoned lock is recovered: the state is plain
    /// data and a panicking handler leaves it usable.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The data API base of an environment, e.g. `http://127.0.0.1:PORT/us/v1`.
    pub fn api_base(&self, dc: DataCentre) -> String {
        format!("{}/{}/v1", self.inner.base_url, dc.segment())
    }

    /// The OAuth audience of an environment: its API base with a trailing slash.
    pub fn audience(&self, dc: DataCentre) -> String {
        format!("{}/", self.api_base(dc))
    }

    /// The base of an authorization server, e.g. `http://127.0.0.1:PORT/auth`.
    pub fn auth_base(&self, server: AuthServer) -> String {
        format!("{}{}", self.inner.base_url, server.prefix())
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn spawn<F>(&self, fut: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        self.inner.rt.spawn(fut);
    }
}
