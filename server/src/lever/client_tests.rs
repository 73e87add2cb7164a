//! The client against a small in-process fake of Lever (axum on
//! 127.0.0.1:0): refresh, retries, perform_as fallback, pagination, probe.
//! The full simulator in `tests/lever-sim` gets its own end-to-end tests.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicUsize, Ordering::SeqCst},
        Arc, Mutex,
    },
    time::Duration,
};

use async_trait::async_trait;
use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    Json,
};
use chrono::Utc;
use futures::TryStreamExt;
use serde_json::json;
use uuid::Uuid;

use super::*;

#[derive(Default)]
struct Fake {
    /// The access and refresh tokens Lever currently accepts.
    tokens: Mutex<(String, String)>,
    refreshes: AtomicUsize,
    /// Refuse every bearer token, fresh ones too (revoked mid-flight).
    refuse_bearers: std::sync::atomic::AtomicBool,
    /// API calls, with the bearer or basic credential they carried.
    calls: Mutex<Vec<(Method, String, String)>>,
    /// Calls per path, for scripted failures.
    hits: Mutex<HashMap<String, usize>>,
}

impl Fake {
    fn calls_to(&self, path: &str) -> usize {
        self.hits.lock().expect("lock").get(path).copied().unwrap_or(0)
    }

    fn calls_with(&self, credential: &str) -> usize {
        let calls = self.calls.lock().expect("lock");
        calls.iter().filter(|(_, _, c)| c == credential).count()
    }
}

async fn handle(
    State(fake): State<Arc<Fake>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    if path == "/auth/oauth/token" {
        return token(&fake, &body).await;
    }
    let credential =
        headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    fake.calls.lock().expect("lock").push((method.clone(), uri.to_string(), credential.clone()));
    let hits = {
        let mut hits = fake.hits.lock().expect("lock");
        let n = hits.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    let api_key = credential.starts_with("Basic ");
    if !api_key && fake.refuse_bearers.load(SeqCst) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if !api_key && credential != format!("Bearer {}", fake.tokens.lock().expect("lock").0) {
        return (StatusCode::UNAUTHORIZED, Json(json!({"message": "invalid token"}))).into_response();
    }
    let query = uri.query().unwrap_or_default().to_owned();
    let page = |data: serde_json::Value, next: Option<&str>| {
        Json(json!({"data": data, "hasNext": next.is_some(), "next": next})).into_response()
    };
    match (method.as_str(), path.as_str()) {
        ("GET", "/us/v1/users") if api_key => page(json!([]), None),
        ("GET", "/us/v1/users") if query.contains("offset=p2") => page(json!([{"id": "u3"}]), None),
        ("GET", "/us/v1/users") => page(json!([{"id": "u1"}, {"id": "u2"}]), Some("p2")),
        ("GET", "/us/v1/stages") if hits == 1 => {
            (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "0")], "slow down").into_response()
        }
        ("GET", "/us/v1/stages") => page(json!([{"id": "lead-new", "text": "New lead"}]), None),
        ("POST", "/us/v1/opportunities") if !api_key => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        ("POST", "/us/v1/opportunities/o1/notes") if query.contains("perform_as=gone") => {
            (StatusCode::FORBIDDEN, Json(json!({"message": "user cannot perform this action"})))
                .into_response()
        }
        ("POST", "/us/v1/opportunities/o1/notes") => {
            (StatusCode::CREATED, Json(json!({"data": {"noteId": "n1"}}))).into_response()
        }
        // API-key probe: this key lacks notes and webhook creation.
        (_, p) if api_key && p.contains("/notes") => StatusCode::FORBIDDEN.into_response(),
        ("POST", "/us/v1/webhooks") if api_key => StatusCode::FORBIDDEN.into_response(),
        ("GET", p) if api_key && !p.contains(&Uuid::nil().to_string()) => page(json!([]), None),
        ("POST", "/us/v1/opportunities") => StatusCode::BAD_REQUEST.into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn token(fake: &Fake, body: &[u8]) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let presented = form.get("refresh_token").cloned().unwrap_or_default();
    // Slow enough that concurrent callers pile up behind the refresh.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut tokens = fake.tokens.lock().expect("lock");
    if form.get("grant_type").map(String::as_str) != Some("refresh_token") || presented != tokens.1 {
        return (StatusCode::FORBIDDEN, Json(json!({"error": "invalid_grant"}))).into_response();
    }
    let n = fake.refreshes.fetch_add(1, SeqCst) + 1;
    *tokens = (format!("access-{n}"), format!("refresh-{n}"));
    Json(json!({"access_token": tokens.0, "refresh_token": tokens.1, "expires_in": 3600})).into_response()
}

/// Records saves, and how many API calls had used the saved access token by
/// then (must be none: saved before use).
struct Store {
    fake: Arc<Fake>,
    saves: Mutex<Vec<(String, usize)>>,
}

#[async_trait]
impl TokenStore for Store {
    async fn save(&self, _: Uuid, tokens: &OAuthTokens) -> Result<(), StoreError> {
        let used = self.fake.calls_with(&format!("Bearer {}", tokens.access_token.expose()));
        self.saves.lock().expect("lock").push((tokens.refresh_token.expose().to_owned(), used));
        Ok(())
    }
}

async fn start() -> (Arc<Fake>, LeverConfig) {
    let fake = Arc::new(Fake::default());
    *fake.tokens.lock().expect("lock") = ("access-0".into(), "refresh-0".into());
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

fn clients(fake: &Arc<Fake>, config: LeverConfig) -> (LeverClients, Arc<Store>) {
    let store = Arc::new(Store { fake: fake.clone(), saves: Mutex::new(Vec::new()) });
    let registry = LeverClients::new(Arc::new(config), store.clone()).expect("registry");
    (registry, store)
}

#[tokio::test]
async fn fifty_calls_meeting_an_expired_token_refresh_once_and_save_first() {
    let (fake, config) = start().await;
    let (registry, store) = clients(&fake, config);
    let conn = oauth_connection(chrono::Duration::minutes(-1));
    let id = conn.id;
    registry.get_or_connect(conn).expect("client");

    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = registry.get(id).expect("registered");
            tokio::spawn(async move { client.users().try_collect::<Vec<_>>().await })
        })
        .collect();
    for task in tasks {
        let users = task.await.expect("join").expect("users");
        assert_eq!(users.len(), 3);
    }
    assert_eq!(fake.refreshes.load(SeqCst), 1);
    assert_eq!(*store.saves.lock().expect("lock"), vec![("refresh-1".to_owned(), 0)]);
    assert_eq!(fake.calls_with("Bearer access-0"), 0, "the expired token was never sent");
}

#[tokio::test]
async fn a_401_refreshes_once_and_invalid_grant_means_revoked() {
    let (fake, config) = start().await;
    let (registry, store) = clients(&fake, config);
    let client = registry.get_or_connect(oauth_connection(chrono::Duration::hours(1))).expect("client");
    // Lever dropped the access token early; the refresh token still works.
    fake.tokens.lock().expect("lock").0 = "something-else".into();
    let stages: Vec<_> = client.stages().try_collect().await.expect("stages after refresh");
    assert_eq!(stages.len(), 1);
    assert_eq!(fake.refreshes.load(SeqCst), 1);
    assert_eq!(store.saves.lock().expect("lock").len(), 1);

    // Revoked in Lever: both tokens die.
    *fake.tokens.lock().expect("lock") = ("gone".into(), "gone".into());
    let err = client.user("u1").await.expect_err("revoked");
    assert!(matches!(err, LeverError::Unauthorized), "{err}");
    let calls = fake.calls.lock().expect("lock").len();
    let err = client.user("u1").await.expect_err("still revoked");
    assert!(matches!(err, LeverError::Unauthorized));
    assert_eq!(fake.calls.lock().expect("lock").len(), calls, "fails fast once revoked");
}

#[tokio::test]
async fn pages_follow_next_with_limit_and_offset() {
    let (fake, config) = start().await;
    let (registry, _) = clients(&fake, config);
    let client = registry.get_or_connect(oauth_connection(chrono::Duration::hours(1))).expect("client");
    let ids: Vec<_> = client.users().map_ok(|u| u.id).try_collect().await.expect("users");
    assert_eq!(ids, ["u1", "u2", "u3"]);
    let calls = fake.calls.lock().expect("lock");
    assert!(calls[0].1.contains("limit=100") && !calls[0].1.contains("offset"));
    assert!(calls[1].1.contains("offset=p2") && calls[1].1.contains("limit=100"));
}

#[tokio::test]
async fn rate_limited_calls_are_retried_but_unclear_creates_are_not() {
    let (fake, config) = start().await;
    let (registry, _) = clients(&fake, config);
    let client = registry.get_or_connect(oauth_connection(chrono::Duration::hours(1))).expect("client");
    let stages: Vec<_> = client.stages().try_collect().await.expect("stages");
    assert_eq!(stages.len(), 1);
    assert_eq!(fake.calls_to("/us/v1/stages"), 2);

    let new = models::NewOpportunity { name: "Ann".into(), ..Default::default() };
    let err = client.create_opportunity(&new, Some("u1")).await.expect_err("500");
    assert!(matches!(err, LeverError::Server { status: 500, .. }), "{err}");
    assert_eq!(fake.calls_to("/us/v1/opportunities"), 1, "a create that may have happened is not repeated");
}

#[tokio::test]
async fn a_refused_user_falls_back_once() {
    let (fake, config) = start().await;
    let (registry, _) = clients(&fake, config);
    let client = registry.get_or_connect(oauth_connection(chrono::Duration::hours(1))).expect("client");
    let acted = client.create_note("o1", "hello", Some("gone")).await.expect("note");
    assert_eq!(acted.value.id, "n1");
    assert_eq!(acted.performed_as.as_deref(), Some("fallback"));
    assert!(acted.fell_back);
    let acted = client.create_note("o1", "hello", Some("rita")).await.expect("note");
    assert_eq!(acted.performed_as.as_deref(), Some("rita"));
    assert!(!acted.fell_back);
}

#[tokio::test]
async fn the_probe_names_missing_permissions_and_sends_the_key_as_basic_user() {
    let (fake, config) = start().await;
    let conn = LeverConnection {
        id: Uuid::new_v4(),
        data_centre: DataCentre::Us,
        credentials: Credentials::ApiKey(Secret::new("key-123")),
        fallback_user: None,
    };
    let client = LeverClient::new(&config, conn, Arc::new(NoTokenStore)).expect("client");
    let missing = probe_permissions(&client).await.expect("probe");
    let names: Vec<_> = missing.iter().map(|m| m.name).collect();
    assert_eq!(names, ["Create a note", "Delete a note", "Create a webhook"]);
    let calls = fake.calls.lock().expect("lock");
    // base64("key-123:")
    assert!(calls.iter().all(|(_, _, c)| c == "Basic a2V5LTEyMzo="), "{calls:?}");
    // Writes only aim at the nil id or are empty creates, never as a user.
    let nil = Uuid::nil().to_string();
    for (method, uri, _) in calls.iter() {
        let harmless = method == Method::GET
            || uri.contains(&nil)
            || uri.ends_with("/opportunities")
            || uri.ends_with("/webhooks");
        assert!(harmless && !uri.contains("perform_as"), "{method} {uri}");
    }
}

#[tokio::test]
async fn a_fresh_token_refused_again_means_revoked() {
    let (fake, config) = start().await;
    let (registry, _) = clients(&fake, config);
    let client = registry.get_or_connect(oauth_connection(chrono::Duration::hours(1))).expect("client");
    // Every bearer is refused, though refreshing still works.
    fake.refuse_bearers.store(true, SeqCst);
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
