//! `POST /webhooks/lever/{connection_id}`: verify, store, answer. Nothing
//! else happens here; processing runs in the job queue.
//!
//! The route checks the connection and the signature (against the
//! [`Keyring`], which keeps each connection's signing tokens for a moment),
//! builds the inbox row,
//! and hands it to the [`Committer`] (group commit: concurrent deliveries
//! share one transaction and one fsync; see `committer.rs`), answering once
//! the transaction holding its delivery has committed.
//!
//! Answers (DESIGN.md section 4): 200 stored or already stored; 401 bad or
//! missing signature; 404 unknown, disconnected or malformed connection id;
//! 413 over [`MAX_BODY_BYTES`]; 400 malformed JSON or fields; 503 with
//! `Retry-After` when the database cannot commit, or when more than
//! `--webhook-max-in-flight` requests are in flight or waiting for the
//! committer (load shedding). A refused request writes nothing but a metric
//! and a log line without the body.
//!
//! Each accepted request holds a [`crate::jobs::Foreground`] guard until it
//! is answered, so the job workers hold back for Lever's requests whether
//! or not they reach the database.
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::Request;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use entity::lever_webhook_delivery::DeliveryStatus;
use metrics::Counter;
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::committer::{Committer, Refused};
use super::inbox::{self, Stored};
use super::keyring::Keyring;
use super::payload::{Delivery, PayloadError, HANDLED_EVENTS};
use crate::jobs::JobSignal;
use crate::AppState;

/// Largest body accepted; Lever's are well under 1 KiB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// What a 503 asks Lever to wait.
const RETRY_AFTER_SECS: u64 = 5;
/// What a 503 for overload asks Lever to wait.
const SHED_RETRY_AFTER_SECS: u64 = 1;

/// What the route's handler needs: the application and the committer
/// (shared: the state is cloned for every request).
struct RouteState {
    app: AppState,
    committer: Committer,
    keyring: Keyring,
    received: ReceivedCounters,
}

/// `lever_webhooks_received_total` by event and result, each registered
/// once: counting a request is then an atomic add, not a registry look-up
/// that builds its labels. Both labels come from closed sets.
#[derive(Default)]
struct ReceivedCounters(RwLock<HashMap<(&'static str, &'static str), Counter>>);

impl ReceivedCounters {
    fn counter(event: &'static str, result: &'static str) -> Counter {
        metrics::counter!("lever_webhooks_received_total", "event" => event, "result" => result)
    }

    fn count(&self, event: &'static str, result: &'static str) {
        let cached = self.0.read().ok().and_then(|all| all.get(&(event, result)).cloned());
        let counter = cached.unwrap_or_else(|| {
            let counter = Self::counter(event, result);
            if let Ok(mut all) = self.0.write() {
                all.insert((event, result), counter.clone());
            }
            counter
        });
        counter.increment(1);
    }
}

/// The webhook route, with its committer's writer task started on the
/// current runtime.
pub fn router(state: AppState) -> Router {
    // Load shedding: past this many requests at once, the rest are answered
    // 503 + Retry-After before their body is read, so an overload costs
    // Lever a retry instead of queueing every request into the timeout.
    let limit = state.config.webhook_max_in_flight.max(1);
    // The committer's queue holds verified deliveries, which are in flight,
    // so it never holds more than the limit; when it is full anyway the
    // request is shed the same way.
    let committer = Committer::spawn_dedicated(
        state.config.database_url.clone(),
        state.db.clone(),
        state.jobs.clone(),
        limit,
    );
    let admission = Admission::new(limit, state.jobs.clone());
    Router::new()
        .route("/webhooks/lever/{connection_id}", post(receive))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(admission, admit))
        .with_state(Arc::new(RouteState {
            app: state,
            committer,
            keyring: Keyring::new(),
            received: ReceivedCounters::default(),
        }))
}

/// What every request passes before its body is read.
#[derive(Clone)]
struct Admission {
    /// One permit per request in flight (load shedding).
    in_flight: Arc<Semaphore>,
    jobs: JobSignal,
    shed: Counter,
}

impl Admission {
    fn new(limit: usize, jobs: JobSignal) -> Self {
        let shed = ReceivedCounters::counter("unknown", "shed");
        Self { in_flight: Arc::new(Semaphore::new(limit)), jobs, shed }
    }
}

/// Sheds the request when too many are in flight; otherwise marks it
/// foreground work until it is answered. That covers the requests that
/// never reach the committer (refused signatures, repeats answered from
/// memory) too: while one is in flight the job workers claim nothing new
/// (see `jobs::signal`).
async fn admit(State(admission): State<Admission>, request: Request, next: Next) -> Response {
    let Ok(_permit) = admission.in_flight.try_acquire_owned() else {
        admission.shed.increment(1);
        return Answer::Shed.into_response();
    };
    let _foreground = admission.jobs.foreground();
    next.run(request).await
}

/// What became of one request.
#[derive(Debug)]
enum Answer {
    Stored(DeliveryStatus),
    Duplicate,
    NotFound,
    TooLarge,
    BadRequest(String),
    Unauthorized(&'static str),
    Unavailable,
    /// Load shedding.
    Shed,
}

impl Answer {
    fn label(&self) -> &'static str {
        match self {
            Self::Stored(DeliveryStatus::Ignored) => "ignored",
            Self::Stored(_) => "stored",
            Self::Duplicate => "duplicate",
            Self::NotFound => "not_found",
            Self::TooLarge => "too_large",
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Unavailable => "unavailable",
            Self::Shed => "shed",
        }
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let status = self.label();
        match self {
            Self::Stored(_) | Self::Duplicate => {
                (StatusCode::OK, Json(StatusBody { status })).into_response()
            }
            Self::NotFound => error(StatusCode::NOT_FOUND, "no connected Lever account has this webhook URL"),
            Self::TooLarge => {
                error(StatusCode::PAYLOAD_TOO_LARGE, &format!("the body is over {MAX_BODY_BYTES} bytes"))
            }
            Self::BadRequest(message) => error(StatusCode::BAD_REQUEST, &message),
            Self::Unauthorized(message) => error(StatusCode::UNAUTHORIZED, message),
            Self::Unavailable => {
                let mut response = error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the delivery could not be stored; send it again later",
                );
                response.headers_mut().insert(header::RETRY_AFTER, RETRY_AFTER_SECS.into());
                response
            }
            Self::Shed => {
                let mut response = error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "too many deliveries at once; send this one again shortly",
                );
                response.headers_mut().insert(header::RETRY_AFTER, SHED_RETRY_AFTER_SECS.into());
                response
            }
        }
    }
}

/// `{"status": …}`, serialised straight from the struct (no JSON map
/// built per answer).
#[derive(serde::Serialize)]
struct StatusBody {
    status: &'static str,
}

#[derive(serde::Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(ErrorBody { error: message })).into_response()
}

async fn receive(
    State(state): State<Arc<RouteState>>,
    Path(connection_id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let mut event_label = "unknown";
    let answer = handle(&state, &connection_id, body, &mut event_label).await;
    let result = answer.label();
    state.received.count(event_label, result);
    match &answer {
        Answer::Stored(_) | Answer::Duplicate => {
            tracing::debug!(connection = %connection_id, event = event_label, result, "webhook accepted")
        }
        Answer::Unavailable | Answer::Shed => {}
        // The connection id is shown only when it is a well-formed id: the
        // path is the caller's text. The body is never logged.
        refused => tracing::info!(
            connection = %Uuid::parse_str(&connection_id).map(|id| id.to_string()).unwrap_or_else(|_| "(malformed)".into()),
            event = event_label,
            result,
            reason = ?refused,
            "webhook refused"
        ),
    }
    answer.into_response()
}

async fn handle(
    RouteState { app: state, committer, keyring, .. }: &RouteState,
    raw_connection_id: &str,
    body: Result<Bytes, BytesRejection>,
    event_label: &mut &'static str,
) -> Answer {
    let Ok(connection_id) = Uuid::parse_str(raw_connection_id) else { return Answer::NotFound };
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => return Answer::TooLarge,
        Err(rejection) => return Answer::BadRequest(rejection.body_text()),
    };
    let delivery = match Delivery::parse(&body) {
        Ok(delivery) => delivery,
        Err(PayloadError::MissingSignature) => return Answer::Unauthorized("signature: missing"),
        Err(PayloadError::Malformed(message)) => return Answer::BadRequest(message),
    };
    // A closed set of label values: an attacker's event names must not
    // grow the metrics without bound.
    *event_label = HANDLED_EVENTS.iter().find(|e| **e == delivery.event).copied().unwrap_or("other");
    let keys = match keyring.keys(&state.db, &state.secrets, connection_id).await {
        Ok(Some(keys)) => keys,
        Ok(None) => return Answer::NotFound,
        Err(err) => return unavailable("reading the connection and its signing tokens", &format!("{err:?}")),
    };
    if !keys.verify(&delivery) {
        return Answer::Unauthorized("signature: does not match this connection's webhook signing token");
    }
    match committer.submit(inbox::row(keys.organization_id, keys.connection_id, &delivery)).await {
        Ok(Stored::New { status, .. }) => Answer::Stored(status),
        Ok(Stored::Duplicate) => Answer::Duplicate,
        Err(Refused::Busy) => Answer::Shed,
        // Deleted between the look-up and the commit.
        Err(Refused::ConnectionGone) => Answer::NotFound,
        // The committer has logged why.
        Err(Refused::Unavailable) => Answer::Unavailable,
    }
}

fn unavailable(doing: &str, detail: &str) -> Answer {
    tracing::error!(%detail, "webhook answered 503: database failed while {doing}");
    Answer::Unavailable
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use tokio::sync::oneshot;
    use tower::ServiceExt;

    use super::*;

    /// A route behind [`admit`] whose handler answers when told to.
    fn held_route(admission: Admission, release: oneshot::Receiver<()>) -> Router {
        let release = Arc::new(std::sync::Mutex::new(Some(release)));
        Router::new()
            .route(
                "/",
                post(move || async move {
                    let release = release.lock().ok().and_then(|mut r| r.take());
                    if let Some(release) = release {
                        let _ = release.await;
                    }
                    StatusCode::UNAUTHORIZED
                }),
            )
            .layer(middleware::from_fn_with_state(admission, admit))
    }

    /// Waits (at most 5 s) until `ready` holds.
    async fn until(ready: impl Fn() -> bool) {
        tokio::time::timeout(std::time::Duration::from_secs(5), async {
            while !ready() {
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
        })
        .await
        .expect("in time");
    }

    fn post_request() -> Request {
        Request::post("/").body(Body::empty()).expect("request")
    }

    #[tokio::test]
    async fn a_request_in_flight_holds_the_workers_back_until_it_is_answered() {
        let jobs = JobSignal::new();
        let admission = Admission::new(4, jobs.clone());
        let (release, released) = oneshot::channel();
        let route = held_route(admission, released);
        let request = tokio::spawn(route.oneshot(post_request()));
        until(|| jobs.in_foreground()).await;
        assert!(!request.is_finished());
        release.send(()).expect("the handler waits");
        let response = request.await.expect("task").expect("infallible");
        // A refused request is foreground work like a stored one.
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        // Answered: the burst lingers a moment (another request may follow
        // at once), then the workers may go on.
        until(|| !jobs.in_foreground()).await;
    }

    #[tokio::test]
    async fn past_the_limit_a_request_is_shed_with_retry_after() {
        let jobs = JobSignal::new();
        let admission = Admission::new(1, jobs.clone());
        let (release, released) = oneshot::channel();
        let route = held_route(admission, released);
        let first = tokio::spawn(route.clone().oneshot(post_request()));
        until(|| jobs.in_foreground()).await;
        let shed = route.oneshot(post_request()).await.expect("infallible");
        assert_eq!(shed.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(shed.headers().get(header::RETRY_AFTER).map(|v| v.as_bytes()), Some(&b"1"[..]));
        release.send(()).expect("the handler waits");
        assert_eq!(first.await.expect("task").expect("infallible").status(), StatusCode::UNAUTHORIZED);
    }
}
