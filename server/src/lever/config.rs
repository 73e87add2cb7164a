//! Where Lever lives and how the client behaves, given by the caller.
//!
//! Nothing here reads the environment: the server's configuration layer
//! fills [`LeverHosts`] from `VOUCH_LEVER_{US,EU,SANDBOX}_{API,AUTH}_BASE`
//! (defaulting to Lever's real hosts, see [`LeverHosts::default`]), and tests
//! point every data centre at a simulator on `127.0.0.1`. No host is
//! hard-coded anywhere else in the client.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

use super::{rate_limit::RateLimit, retry::RetrySchedule, secret::Secret};

/// The Lever data centre a company lives in. A company exists in exactly one;
/// the others answer 404 for it, so the connection stores which one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataCentre {
    /// Production, United States (`api.lever.co`).
    Us,
    /// Production, European Union (`api.eu.lever.co`).
    Eu,
    /// Lever's sandbox (`api.sandbox.lever.co`).
    Sandbox,
}

/// The two bases of one data centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataCentreUrls {
    /// Data API base including `/v1`, without a trailing slash, e.g.
    /// `https://api.lever.co/v1` or `http://127.0.0.1:PORT/us/v1`.
    pub api_base: Url,
    /// OAuth base: `/authorize` and `/oauth/token` are under it.
    pub auth_base: Url,
}

impl DataCentreUrls {
    /// Parses both bases; an error names the offending value.
    pub fn parse(api_base: &str, auth_base: &str) -> Result<Self, url::ParseError> {
        Ok(Self { api_base: Url::parse(api_base)?, auth_base: Url::parse(auth_base)? })
    }

    /// The OAuth `audience`: the API base with exactly one trailing slash.
    /// Lever rejects the audience without it.
    pub fn audience(&self) -> String {
        format!("{}/", self.api_base.as_str().trim_end_matches('/'))
    }

    /// `<auth base>/authorize`.
    pub fn authorize_url(&self) -> Url {
        join(&self.auth_base, &["authorize"])
    }

    /// `<auth base>/oauth/token`.
    pub fn token_url(&self) -> Url {
        join(&self.auth_base, &["oauth", "token"])
    }

    /// `<api base>/<segments...>`, each segment percent-encoded so that an id
    /// coming from Lever or a webhook can never change the path.
    pub fn api_url(&self, segments: &[&str]) -> Url {
        join(&self.api_base, segments)
    }
}

fn join(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// The bases of every data centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeverHosts {
    /// United States production.
    pub us: DataCentreUrls,
    /// European Union production.
    pub eu: DataCentreUrls,
    /// Lever's sandbox.
    pub sandbox: DataCentreUrls,
}

impl LeverHosts {
    /// The bases of one data centre.
    pub fn get(&self, data_centre: DataCentre) -> &DataCentreUrls {
        match data_centre {
            DataCentre::Us => &self.us,
            DataCentre::Eu => &self.eu,
            DataCentre::Sandbox => &self.sandbox,
        }
    }
}

impl Default for LeverHosts {
    /// Lever's real hosts (see LEVER.md, "Hosts"). EU signs in through the
    /// production auth host.
    fn default() -> Self {
        let urls = |api: &str, auth: &str| DataCentreUrls {
            api_base: Url::parse(api).expect("constant URL"),
            auth_base: Url::parse(auth).expect("constant URL"),
        };
        Self {
            us: urls("https://api.lever.co/v1", "https://auth.lever.co"),
            eu: urls("https://api.eu.lever.co/v1", "https://auth.lever.co"),
            sandbox: urls("https://api.sandbox.lever.co/v1", "https://sandbox-lever.auth0.com"),
        }
    }
}

/// Vouch's registered OAuth application.
#[derive(Debug, Clone)]
pub struct OAuthApp {
    /// `VOUCH_LEVER_CLIENT_ID`.
    pub client_id: String,
    /// `VOUCH_LEVER_CLIENT_SECRET`; `Debug` prints `***`.
    pub client_secret: Secret,
    /// Where Lever sends the admin back: `<VOUCH_PUBLIC_URL>/oauth/lever/callback`.
    pub redirect_uri: Url,
}

/// Everything the client needs besides one connection's credentials.
/// Shared read-only (in an `Arc`) by every client of the process.
#[derive(Debug, Clone)]
pub struct LeverConfig {
    /// Bases per data centre.
    pub hosts: LeverHosts,
    /// Vouch's OAuth app; `None` when only API keys are in use.
    pub oauth_app: Option<OAuthApp>,
    /// Per-connection token bucket.
    pub rate_limit: RateLimit,
    /// Retries of 429, 5xx and transport failures.
    pub retry: RetrySchedule,
    /// Whole-request timeout of one attempt.
    pub request_timeout: Duration,
    /// Time allowed to open a TCP/TLS connection.
    pub connect_timeout: Duration,
    /// Refresh an access token this long before it expires, so that a call
    /// rarely meets an expired token and eats a 401.
    pub refresh_margin: Duration,
    /// Default `limit` of list calls (Lever allows 1 to 100).
    pub page_size: u32,
}

impl Default for LeverConfig {
    fn default() -> Self {
        Self {
            hosts: LeverHosts::default(),
            oauth_app: None,
            rate_limit: RateLimit::default(),
            retry: RetrySchedule::default(),
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            refresh_margin: Duration::from_secs(300),
            page_size: 100,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_urls_encode_ids_and_tolerate_a_trailing_slash() {
        let urls =
            DataCentreUrls::parse("http://127.0.0.1:9/eu/v1/", "http://127.0.0.1:9/auth").expect("urls");
        let url = urls.api_url(&["opportunities", "a/b?c", "notes"]);
        assert_eq!(url.as_str(), "http://127.0.0.1:9/eu/v1/opportunities/a%2Fb%3Fc/notes");
        assert_eq!(urls.audience(), "http://127.0.0.1:9/eu/v1/");
        assert_eq!(urls.token_url().as_str(), "http://127.0.0.1:9/auth/oauth/token");
    }
}
