//! Lever's OAuth 2.0 authorization-code flow: the authorize URL, the code
//! exchange and the refresh.
//!
//! Plain reqwest rather than the `oauth2` crate: Lever needs the extra
//! `audience` and `prompt` parameters, rotates refresh tokens, and its error
//! bodies must be read leniently; a hundred lines here are easier to follow
//! than adapters around a general library. The token endpoint gets a form
//! body with the client credentials in it (`client_secret_post`), which
//! Lever and the simulator both accept.
//!
//! Token calls are not idempotent: a code is single-use, and a refresh
//! rotates the refresh token, so replaying a refresh whose answer was lost
//! would be refused with `invalid_grant`. They are retried only when the
//! request provably did not reach Lever (connect error) or Lever said it did
//! not process it (429, 503).

use std::time::SystemTime;

use chrono::Utc;
use reqwest::StatusCode;
use serde::Deserialize;
use url::Url;

use super::{
    config::{DataCentreUrls, OAuthApp},
    credentials::OAuthTokens,
    error::{error_message, LeverError, Result},
    retry::{parse_retry_after, RetrySchedule},
    secret::Secret,
};

/// The scopes Vouch asks for, space separated. `offline_access` gets a
/// refresh token; each write scope implies its read.
pub const SCOPES: &str = "offline_access opportunities:write:admin notes:write:admin \
                          tags:read:admin stages:read:admin postings:read:admin \
                          users:read:admin webhooks:write:admin";

/// The URL to send the admin to. `state` is made by the caller and bound to
/// the admin's session; it comes back on the callback.
pub fn authorize_url(app: &OAuthApp, urls: &DataCentreUrls, state: &str) -> Url {
    let mut url = urls.authorize_url();
    url.query_pairs_mut()
        .append_pair("client_id", &app.client_id)
        .append_pair("redirect_uri", app.redirect_uri.as_str())
        .append_pair("response_type", "code")
        .append_pair("state", state)
        .append_pair("scope", SCOPES)
        .append_pair("prompt", "consent")
        .append_pair("audience", &urls.audience());
    url
}

/// Exchanges the callback's `code` for tokens.
pub async fn exchange_code(
    http: &reqwest::Client,
    app: &OAuthApp,
    urls: &DataCentreUrls,
    retry: &RetrySchedule,
    code: &str,
) -> Result<OAuthTokens> {
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", app.client_id.as_str()),
        ("client_secret", app.client_secret.expose()),
        ("code", code),
        ("redirect_uri", app.redirect_uri.as_str()),
    ];
    let answer = token_call(http, urls, retry, &form).await?;
    let refresh_token = answer.refresh_token.clone().ok_or_else(|| LeverError::Invalid {
        message: "Lever granted no refresh token (is offline_access allowed?)".into(),
    })?;
    Ok(tokens(answer, refresh_token))
}

/// Trades the refresh token for new tokens. The answer's refresh token
/// replaces the old one, which is dead from now on.
pub async fn refresh(
    http: &reqwest::Client,
    app: &OAuthApp,
    urls: &DataCentreUrls,
    retry: &RetrySchedule,
    refresh_token: &Secret,
) -> Result<OAuthTokens> {
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", app.client_id.as_str()),
        ("client_secret", app.client_secret.expose()),
        ("refresh_token", refresh_token.expose()),
    ];
    let answer = token_call(http, urls, retry, &form).await?;
    // Lever always rotates; should it ever not, the old token stays valid.
    let rotated = answer.refresh_token.clone().unwrap_or_else(|| refresh_token.clone());
    Ok(tokens(answer, rotated))
}

/// The token endpoint's answer; unknown fields ignored.
#[derive(Debug, Deserialize)]
pub struct TokenAnswer {
    /// New access token.
    pub access_token: Secret,
    /// New refresh token (rotated on every refresh).
    pub refresh_token: Option<Secret>,
    /// Seconds the access token lives.
    pub expires_in: Option<i64>,
    /// Granted scopes, space separated.
    pub scope: Option<String>,
}

fn tokens(answer: TokenAnswer, refresh_token: Secret) -> OAuthTokens {
    // Lever's tokens live an hour; assume that when it does not say.
    let lifetime = chrono::Duration::seconds(answer.expires_in.unwrap_or(3600).max(0));
    OAuthTokens {
        access_token: answer.access_token,
        refresh_token,
        expires_at: Utc::now() + lifetime,
        scope: answer.scope,
    }
}

async fn token_call(
    http: &reqwest::Client,
    urls: &DataCentreUrls,
    retry: &RetrySchedule,
    form: &[(&str, &str)],
) -> Result<TokenAnswer> {
    let mut attempt = 1;
    loop {
        let (err, retry_after) = match http.post(urls.token_url()).form(form).send().await {
            Err(e) if e.is_connect() => (transport(&e), None),
            Err(e) => return Err(transport(&e)),
            Ok(response) => {
                let status = response.status();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now()));
                let body = response.bytes().await.map_err(|e| transport(&e))?;
                if status.is_success() {
                    return serde_json::from_slice(&body).map_err(|e| LeverError::decode("OAuth token", e));
                }
                let err = token_error(status, &body);
                if status != StatusCode::TOO_MANY_REQUESTS && status != StatusCode::SERVICE_UNAVAILABLE {
                    return Err(err);
                }
                (err, retry_after)
            }
        };
        let Some(delay) = retry.next_delay(attempt, retry_after) else {
            return Err(err);
        };
        tracing::warn!(attempt, ?delay, error = %err, "Lever token endpoint: retrying");
        tokio::time::sleep(delay).await;
        attempt += 1;
    }
}

fn transport(e: &reqwest::Error) -> LeverError {
    LeverError::Transport { endpoint: None, detail: format!("OAuth token endpoint: {e}") }
}

/// `invalid_grant` (revoked, expired or reused refresh token; used code) is
/// final; a bad client is configuration; the rest are ordinary failures.
fn token_error(status: StatusCode, body: &[u8]) -> LeverError {
    #[derive(Deserialize)]
    struct OAuthErrorBody {
        error: Option<String>,
    }
    let code = serde_json::from_slice::<OAuthErrorBody>(body).ok().and_then(|b| b.error);
    tracing::warn!(%status, body = %error_message(status, body), "Lever token endpoint refused");
    match code.as_deref() {
        Some("invalid_grant") => LeverError::Unauthorized,
        Some("invalid_client") | Some("unauthorized_client") => {
            LeverError::Config { detail: "Lever refused Vouch's OAuth client id or secret".into() }
        }
        _ if status == StatusCode::UNAUTHORIZED => LeverError::Unauthorized,
        _ if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS => LeverError::Transport {
            endpoint: None,
            detail: format!("OAuth token endpoint answered {status}"),
        },
        _ => LeverError::Invalid { message: error_message(status, body) },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::lever::test_support::fixture;

    fn app() -> OAuthApp {
        OAuthApp {
            client_id: "vouch-client".into(),
            client_secret: Secret::new("client-secret-xyz"),
            redirect_uri: Url::parse("https://vouch.example/oauth/lever/callback").expect("url"),
        }
    }

    #[test]
    fn authorize_url_has_every_parameter() {
        let urls =
            DataCentreUrls::parse("http://127.0.0.1:4010/us/v1", "http://127.0.0.1:4010/auth").expect("urls");
        let url = authorize_url(&app(), &urls, "st4te");
        assert_eq!(url.path(), "/auth/authorize");
        let query: HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(query["client_id"], "vouch-client");
        assert_eq!(query["redirect_uri"], "https://vouch.example/oauth/lever/callback");
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["state"], "st4te");
        assert_eq!(query["prompt"], "consent");
        assert_eq!(query["audience"], "http://127.0.0.1:4010/us/v1/");
        let scopes: Vec<_> = query["scope"].split(' ').collect();
        assert_eq!(scopes.len(), 8);
        assert!(scopes.contains(&"offline_access"));
        assert!(scopes.contains(&"webhooks:write:admin"));
        assert!(!url.as_str().contains("client-secret-xyz"));
    }

    #[test]
    fn real_hosts_give_lever_audiences() {
        let hosts = crate::lever::config::LeverHosts::default();
        let url = authorize_url(&app(), &hosts.us, "s");
        assert!(url.as_str().starts_with("https://auth.lever.co/authorize?"));
        let query: HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(query["audience"], "https://api.lever.co/v1/");
        assert_eq!(hosts.sandbox.audience(), "https://api.sandbox.lever.co/v1/");
        assert_eq!(hosts.sandbox.token_url().as_str(), "https://sandbox-lever.auth0.com/oauth/token");
    }

    #[test]
    fn token_fixtures_parse_and_map() {
        let answer: TokenAnswer = serde_json::from_str(&fixture("oauth-token.json")).expect("token answer");
        assert_eq!(answer.expires_in, Some(3600));
        assert!(answer.refresh_token.is_some());
        assert!(!format!("{answer:?}").contains("refreshFixture"));

        let body = fixture("oauth-invalid-grant.json");
        let err = token_error(StatusCode::FORBIDDEN, body.as_bytes());
        assert!(matches!(err, LeverError::Unauthorized));
        let err = token_error(StatusCode::BAD_REQUEST, br#"{"error":"invalid_client"}"#);
        assert!(matches!(err, LeverError::Config { .. }));
    }
}
