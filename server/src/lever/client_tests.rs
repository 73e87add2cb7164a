//! The client against a small in-process fake of Lever (axum on
//! 127.0.0.1:0), for what the simulator cannot stage: Lever refusing a
//! freshly refreshed token. Everything else the client does against Lever
//! (pagination, pacing, retries, single-flight refresh, revocation,
//! perform_as fallback, the permission probe, the OAuth flow) is tested
//! against the full simulator in `tests/tests/it/lever_client.rs`.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicUsize, Ordering::SeqCst},
        Arc, Mutex,
    },
    time::Duration,
};

use axum::{
    body::Bytes,
    extract::State,
    http::{StatusCode, Uri},
    response::{IntoResponse, Response},
    Json,
};
use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use super::*;

/// A Lever whose token endpoint works but which refuses every bearer token
/// (revoked while a refresh was in flight).
#[derive(Default)]
struct Fake {
    /// The refresh token Lever currently accepts.
    refresh_token: Mutex<String>,
    refreshes: AtomicUsize,
    /// Calls per path.
    hits: Mutex<HashMap<String, usize>>,
}

impl Fake {
    fn calls_to(&self, path: &str) -> usize {
        self.hits.lock().expect("lock").get(path).copied().unwrap_or(0)
    }
}

async fn handle(State(fake): State<Arc<Fake>>, uri: Uri, body: Bytes) -> Response {
    let path = uri.path().to_owned();
    if path == "/auth/oauth/token" {
        return token(&fake, &body);
    }
    *fake.hits.lock().expect("lock").entry(path).or_default() += 1;
    (StatusCode::UNAUTHORIZED, Json(json!({"message": "invalid token"}))).into_response()
}

fn token(fake: &Fake, body: &[u8]) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let presented = form.get("refresh_token").cloned().unwrap_or_default();
    let mut current = fake.refresh_token.lock().expect("lock");
    if form.get("grant_type").map(String::as_str) != Some("refresh_token") || presented != *current {
        return (StatusCode::FORBIDDEN, Json(json!({"error": "invalid_grant"}))).into_response();
    }
    let n = fake.refreshes.fetch_add(1, SeqCst) + 1;
    *current = format!("refresh-{n}");
    Json(json!({"access_token": format!("access-{n}"), "refresh_token": *current, "expires_in": 3600}))
        .into_response()
}

/// Accepts every save.
struct Store;

#[async_trait::async_trait]
impl TokenStore for Store {
    async fn save(&self, _: Uuid, _: &OAuthTokens) -> Result<(), StoreError> {
        Ok(())
    }
}

async fn start() -> (Arc<Fake>, LeverConfig) {
    let fake = Arc::new(Fake::default());
    *fake.refresh_token.lock().expect("lock") = "refresh-0".into();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = axum::Router::new().fallback(handle).with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let base = format!("http://{addr}");
    let urls = DataCentreUrls::parse(&format!("{base}/us/v1"), &format!("{base}/auth")).expect("urls");
    let config = LeverConfig {
        hosts: LeverHosts { us: urls.clone(), eu: urls.clone(), sandbox: urls },
        oauth_app: Some(OAuthApp {
            client_id: "cid".into(),
            client_secret: Secret::new("csecret"),
            redirect_uri: url::Url::parse("http://vouch.test/oauth/lever/callback").expect("url"),
        }),
        rate_limit: RateLimit::disabled(),
        retry: RetrySchedule { base: Duration::from_millis(5), max_attempts: 3, ..RetrySchedule::default() },
        ..LeverConfig::default()
    };
    (fake, config)
}

fn oauth_connection(expires_in: chrono::Duration) -> LeverConnection {
    LeverConnection {
        id: Uuid::new_v4(),
        data_centre: DataCentre::Us,
        credentials: Credentials::OAuth(OAuthTokens {
            access_token: Secret::new("access-0"),
            refresh_token: Secret::new("refresh-0"),
            expires_at: Utc::now() + expires_in,
            scope: None,
        }),
        fallback_user: Some("fallback".into()),
    }
}

#[tokio::test]
async fn a_fresh_token_refused_again_means_revoked() {
    let (fake, config) = start().await;
    let registry = LeverClients::new(Arc::new(config), Arc::new(Store)).expect("registry");
    let client = registry.get_or_connect(oauth_connection(chrono::Duration::hours(1))).expect("client");
    // Every bearer is refused, though refreshing still works.
    let err = client.user("u1").await.expect_err("revoked");
    assert!(matches!(err, LeverError::Unauthorized), "{err}");
    assert_eq!(fake.refreshes.load(SeqCst), 1, "one refresh, then give up");
    assert_eq!(fake.calls_to("/us/v1/users/u1"), 2);
    // The connection is now known revoked: no more calls.
    let err = client.user("u1").await.expect_err("still revoked");
    assert!(matches!(err, LeverError::Unauthorized));
    assert_eq!(fake.calls_to("/us/v1/users/u1"), 2);
}

#[tokio::test]
async fn transport_errors_never_show_the_key() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let base = format!("http://{addr}");
    let urls = DataCentreUrls::parse(&format!("{base}/us/v1"), &base).expect("urls");
    let config = LeverConfig {
        hosts: LeverHosts { us: urls.clone(), eu: urls.clone(), sandbox: urls },
        retry: RetrySchedule::none(),
        ..LeverConfig::default()
    };
    let conn = LeverConnection {
        id: Uuid::new_v4(),
        data_centre: DataCentre::Us,
        credentials: Credentials::ApiKey(Secret::new("key-very-secret")),
        fallback_user: None,
    };
    let client = LeverClient::new(&config, conn, Arc::new(NoTokenStore)).expect("client");
    let err = client.user("u1").await.expect_err("nothing listens");
    assert!(matches!(err, LeverError::Transport { .. }), "{err}");
    assert!(err.is_transient());
    for text in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains("key-very-secret"), "{text}");
    }
}
