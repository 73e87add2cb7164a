//! Start-up configuration ([`SimConfig`]) and the settings that tests may
//! change while the simulator runs ([`Settings`]).

use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

use crate::seed::{ClientSeed, Seed};

/// How a created note's id is answered (LEVER.md: Vouch must accept both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum NoteIdStyle {
    /// `{"data": {"id": ..., "text": ..., ...}}`
    Id,
    /// `{"data": {"noteId": ...}}`
    NoteId,
    /// Alternate between the two, starting with `id`.
    #[default]
    Alternate,
}

/// Behaviour knobs, readable and changeable through `/_sim/settings`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    /// Lifetime of access tokens, seconds (Lever: about an hour).
    pub access_token_ttl_secs: f64,
    /// Lifetime of authorization codes, seconds.
    pub auth_code_ttl_secs: f64,
    /// Steady rate of the token bucket per credential (requests/second).
    pub rate_per_second: f64,
    /// Burst size of the token bucket per credential.
    pub rate_burst: f64,
    /// Whether a 429 carries `Retry-After` (whole seconds).
    pub send_retry_after: bool,
    /// Shape of a created note's id.
    pub note_id_style: NoteIdStyle,
    /// Delivery attempts per webhook delivery (first try included).
    pub webhook_attempts: u32,
    /// Wait before the first retry, milliseconds; doubles on each retry.
    pub webhook_retry_base_ms: u64,
    /// Timeout of one delivery attempt, milliseconds.
    pub webhook_timeout_ms: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            access_token_ttl_secs: 3600.0,
            auth_code_ttl_secs: 600.0,
            rate_per_second: 10.0,
            rate_burst: 20.0,
            send_retry_after: true,
            note_id_style: NoteIdStyle::Alternate,
            webhook_attempts: 5,
            webhook_retry_base_ms: 1000,
            webhook_timeout_ms: 5000,
        }
    }
}

impl Settings {
    /// Settings suited to tests: short retries and waits.
    pub fn for_tests() -> Self {
        Settings { webhook_retry_base_ms: 20, webhook_timeout_ms: 2000, ..Settings::default() }
    }

    /// Rejects values that make no sense.
    pub fn validate(&self) -> Result<(), String> {
        let positive = |x: f64| x.is_finite() && x > 0.0;
        if !positive(self.access_token_ttl_secs) {
            return Err("accessTokenTtlSecs must be > 0".into());
        }
        if !positive(self.auth_code_ttl_secs) {
            return Err("authCodeTtlSecs must be > 0".into());
        }
        let rate_ok = positive(self.rate_per_second) && self.rate_burst.is_finite() && self.rate_burst >= 1.0;
        if !rate_ok {
            return Err("ratePerSecond must be > 0 and rateBurst >= 1".into());
        }
        if self.webhook_attempts == 0 {
            return Err("webhookAttempts must be >= 1".into());
        }
        Ok(())
    }
}

/// Everything [`crate::Simulator::start`] needs.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to bind; port 0 picks a free port.
    pub bind: SocketAddr,
    /// The base URL clients use (default `http://{bound address}`); API
    /// bases and OAuth audiences are built from it.
    pub public_url: Option<String>,
    /// Initial behaviour knobs.
    pub settings: Settings,
    /// A default OAuth client (from the command line).
    pub default_client: Option<ClientSeed>,
    /// Initial data.
    pub seed: Option<Seed>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: None,
            settings: Settings::default(),
            default_client: None,
            seed: None,
        }
    }
}

impl SimConfig {
    /// A config for in-process tests: a free port on 127.0.0.1 and short
    /// webhook retry spacing.
    pub fn for_tests() -> Self {
        SimConfig { settings: Settings::for_tests(), ..SimConfig::default() }
    }
}
