//! The Lever client: the only code that talks to Lever.
//!
//! Callers get a [`LeverClient`] for a connection from the process-wide
//! [`LeverClients`] registry and call typed methods (`opportunity`,
//! `create_note`, `add_tags`, ...). Everything else Lever requires is done
//! inside, so no caller paces, retries or refreshes on its own:
//!
//! - `config`: base URLs per data centre (given by the server's config, so
//!   tests point them at a simulator) and the client's knobs.
//! - `credentials`, `secret`: API key or OAuth tokens; secrets print `***`.
//! - `http`: one place that sends: token bucket (`rate_limit`), auth header,
//!   retries per `retry` (429/5xx/timeouts, `Retry-After`), 401 → refresh.
//! - `tokens`, `oauth`: single-flight refresh, rotated tokens saved through
//!   [`TokenStore`] before use; authorize URL and code exchange.
//! - `pagination`: lists as streams holding one page at a time.
//! - `perform_as`: writes as a chosen user, falling back once.
//! - `permissions`: the table naming each call as Lever does; `probe` finds
//!   missing API-key permissions without changing data.
//! - `error`: one error enum callers act on.

mod client;
pub mod config;
mod credentials;
mod endpoints;
mod error;
mod http;
pub mod models;
mod oauth;
mod pagination;
mod perform_as;
mod permissions;
mod probe;
mod rate_limit;
pub mod retry;
mod secret;
mod tokens;

#[cfg(test)]
mod test_support;

#[cfg(test)]
mod client_tests;

pub use client::{http_client, LeverClient, LeverClients};
pub use config::{DataCentre, DataCentreUrls, LeverConfig, LeverHosts, OAuthApp};
pub use credentials::{Credentials, LeverConnection, OAuthTokens};
pub use endpoints::OpportunityFilter;
pub use error::{LeverError, Result};
pub use oauth::{authorize_url, exchange_code, TokenAnswer, SCOPES};
pub use perform_as::Acted;
pub use permissions::{Endpoint, MissingPermission, Repeat};
pub use probe::probe_permissions;
pub use rate_limit::{Bucket, RateLimit};
pub use retry::{parse_retry_after, RetrySchedule};
pub use secret::Secret;
pub use tokens::{NoTokenStore, StoreError, TokenStore};
