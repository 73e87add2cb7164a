//! Sending one API request: token bucket, authentication, retries.
//!
//! Every call of the client goes through [`Transport::send`], so callers
//! never pace, retry or refresh themselves. One attempt is: wait for the
//! connection's bucket, attach credentials, send with a timeout, classify.
//!
//! What is retried, with the [`RetrySchedule`] (and `Retry-After` when Lever
//! sends one):
//! - 429 and 503, and connect errors: Lever did not process the request, so
//!   every call may be repeated, creates included.
//! - other 5xx, timeouts and broken connections: the request may have been
//!   processed, so only calls whose repeat is harmless ([`Repeat::Safe`]) are
//!   repeated. Creates (note, opportunity, webhook) fail with the error
//!   instead, and their callers reconcile before trying again: list the
//!   opportunity's notes, search opportunities by e-mail, list webhooks.
//! - 401 with OAuth: refresh once (single-flight, see `tokens`) and repeat;
//!   a second 401 means revoked. 401 with an API key means revoked.

use std::{sync::Arc, time::Duration, time::SystemTime};

use reqwest::{header::HeaderMap, Method, StatusCode};
use serde::{de::DeserializeOwned, Serialize};

use super::{
    config::DataCentreUrls,
    error::{error_message, LeverError, Result},
    permissions::{Endpoint, Repeat},
    rate_limit::Bucket,
    retry::{parse_retry_after, RetrySchedule},
    secret::Secret,
    tokens::TokenManager,
};

/// How requests are authenticated.
pub(crate) enum Auth {
    ApiKey(Secret),
    OAuth(Arc<TokenManager>),
}

/// One request, described as data so that it can be sent again.
#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    pub endpoint: Endpoint,
    pub method: Method,
    pub path: Vec<String>,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<serde_json::Value>,
}

impl ApiRequest {
    pub fn new(endpoint: Endpoint, method: Method, path: &[&str]) -> Self {
        Self {
            endpoint,
            method,
            path: path.iter().map(|s| (*s).to_owned()).collect(),
            query: Vec::new(),
            body: None,
        }
    }

    pub fn get(endpoint: Endpoint, path: &[&str]) -> Self {
        Self::new(endpoint, Method::GET, path)
    }

    pub fn post(endpoint: Endpoint, path: &[&str]) -> Self {
        Self::new(endpoint, Method::POST, path)
    }

    pub fn delete(endpoint: Endpoint, path: &[&str]) -> Self {
        Self::new(endpoint, Method::DELETE, path)
    }

    pub fn query(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((key, value.into()));
        self
    }

    /// Sets the JSON body; our own request types always serialise.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        self.body = Some(serde_json::to_value(body).unwrap_or(serde_json::Value::Null));
        self
    }
}

/// A 2xx answer.
#[derive(Debug)]
pub(crate) struct ApiResponse {
    pub endpoint: Endpoint,
    pub body: Vec<u8>,
}

impl ApiResponse {
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        decode(self.endpoint, &self.body)
    }
}

/// Parses a body, with a parse error that never quotes a value from it.
pub(crate) fn decode<T: DeserializeOwned>(endpoint: Endpoint, body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| LeverError::decode(endpoint, redact(&e.to_string())))
}

/// Drops double-quoted text (values) from a serde message; field names are
/// in backticks and stay.
fn redact(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        if c == '"' {
            if !quoted {
                out.push_str("\"…\"");
            }
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

/// What one attempt came to.
#[derive(Debug)]
pub(crate) enum Outcome {
    Done(ApiResponse),
    Unauthorized,
    Fail(LeverError),
    Retry {
        error: LeverError,
        /// Lever provably did not act on the request.
        not_processed: bool,
        retry_after: Option<Duration>,
    },
}

/// Classifies an HTTP answer. Pure, so the rules are unit-tested.
pub(crate) fn classify(
    endpoint: Endpoint,
    status: StatusCode,
    headers: &HeaderMap,
    body: Vec<u8>,
) -> Outcome {
    if status.is_success() {
        return Outcome::Done(ApiResponse { endpoint, body });
    }
    // Error bodies are logged for people, never relied on by code.
    tracing::warn!(%endpoint, status = status.as_u16(), body = %error_message(status, &body), "Lever refused a call");
    if status == StatusCode::UNAUTHORIZED {
        return Outcome::Unauthorized;
    }
    let error = LeverError::from_status(endpoint, status, &body);
    let retry_after = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()));
    match status {
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
            Outcome::Retry { error, not_processed: true, retry_after }
        }
        s if s.is_server_error() => Outcome::Retry { error, not_processed: false, retry_after },
        _ => Outcome::Fail(error),
    }
}

/// Classifies a failure to get an answer at all.
pub(crate) fn classify_transport(endpoint: Endpoint, e: &reqwest::Error) -> Outcome {
    let error = LeverError::Transport { endpoint: Some(endpoint), detail: e.to_string() };
    if e.is_builder() {
        return Outcome::Fail(error);
    }
    Outcome::Retry {
        error,
        // A refused or failed connect never carried the request.
        not_processed: e.is_connect(),
        retry_after: None,
    }
}

/// Sends requests for one connection.
pub(crate) struct Transport {
    pub http: reqwest::Client,
    pub urls: DataCentreUrls,
    pub auth: Auth,
    pub bucket: Bucket,
    pub retry: RetrySchedule,
}

impl Transport {
    /// Sends `req`, retrying as the module note says; a 2xx or the error.
    pub async fn send(&self, req: &ApiRequest) -> Result<ApiResponse> {
        let mut attempt = 1;
        let mut refreshed = false;
        loop {
            self.bucket.acquire().await;
            let token = self.token().await?;
            let outcome = self.attempt(req, token.as_ref()).await;
            let (error, retry_after) = match outcome {
                Outcome::Done(response) => return Ok(response),
                Outcome::Fail(error) => return Err(error),
                Outcome::Unauthorized => match (&self.auth, token) {
                    (Auth::OAuth(manager), Some(used)) if !refreshed => {
                        manager.after_unauthorized(&used).await?;
                        refreshed = true;
                        continue;
                    }
                    (Auth::OAuth(manager), _) => {
                        manager.mark_revoked().await;
                        return Err(LeverError::Unauthorized);
                    }
                    (Auth::ApiKey(_), _) => return Err(LeverError::Unauthorized),
                },
                Outcome::Retry { error, not_processed, retry_after } => {
                    if !not_processed && req.endpoint.repeat() == Repeat::Duplicates {
                        // Possibly done in Lever: the caller reconciles.
                        return Err(error);
                    }
                    (error, retry_after)
                }
            };
            let Some(delay) = self.retry.next_delay(attempt, retry_after) else {
                return Err(error);
            };
            tracing::warn!(endpoint = %req.endpoint, attempt, ?delay, %error, "retrying Lever call");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn token(&self) -> Result<Option<Secret>> {
        match &self.auth {
            Auth::ApiKey(_) => Ok(None),
            Auth::OAuth(manager) => manager.access_token().await.map(Some),
        }
    }

    async fn attempt(&self, req: &ApiRequest, bearer: Option<&Secret>) -> Outcome {
        let segments: Vec<&str> = req.path.iter().map(String::as_str).collect();
        let mut builder =
            self.http.request(req.method.clone(), self.urls.api_url(&segments)).query(&req.query);
        builder = match (&self.auth, bearer) {
            (_, Some(token)) => builder.bearer_auth(token.expose()),
            (Auth::ApiKey(key), None) => builder.basic_auth(key.expose(), Some("")),
            (Auth::OAuth(_), None) => builder,
        };
        if let Some(body) = &req.body {
            builder = builder.json(body);
        }
        let response = match builder.send().await {
            Ok(response) => response,
            Err(e) => return classify_transport(req.endpoint, &e),
        };
        let status = response.status();
        let headers = response.headers().clone();
        match response.bytes().await {
            Ok(body) => classify(req.endpoint, status, &headers, body.to_vec()),
            Err(e) => classify_transport(req.endpoint, &e),
        }
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    use super::*;

    fn outcome(status: u16, retry_after: Option<&str>) -> Outcome {
        let mut headers = HeaderMap::new();
        if let Some(v) = retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from_str(v).expect("header"));
        }
        let status = StatusCode::from_u16(status).expect("status");
        classify(Endpoint::CreateNote, status, &headers, b"{}".to_vec())
    }

    #[test]
    fn statuses_are_classified() {
        assert!(matches!(outcome(200, None), Outcome::Done(_)));
        assert!(matches!(outcome(204, None), Outcome::Done(_)));
        assert!(matches!(outcome(401, None), Outcome::Unauthorized));
        assert!(matches!(outcome(403, None), Outcome::Fail(LeverError::Forbidden { .. })));
        assert!(matches!(outcome(400, None), Outcome::Fail(LeverError::Invalid { .. })));
        assert!(matches!(
            outcome(429, Some("2")),
            Outcome::Retry { not_processed: true, retry_after: Some(d), error: LeverError::RateLimited { .. } }
                if d == Duration::from_secs(2)
        ));
        assert!(matches!(outcome(503, None), Outcome::Retry { not_processed: true, retry_after: None, .. }));
        assert!(matches!(outcome(500, None), Outcome::Retry { not_processed: false, .. }));
        assert!(matches!(outcome(504, None), Outcome::Retry { not_processed: false, .. }));
    }

    #[test]
    fn decode_errors_name_fields_not_values() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Shape {
            id: i64,
        }
        let err = decode::<Shape>(Endpoint::ListUsers, br#"{"id":"secret-value"}"#).expect_err("wrong type");
        let text = err.to_string();
        assert!(!text.contains("secret-value"), "{text}");
        let err = decode::<Shape>(Endpoint::ListUsers, b"{}").expect_err("missing");
        assert!(err.to_string().contains("`id`"), "{err}");
    }
}
