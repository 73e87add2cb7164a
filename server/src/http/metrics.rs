//! Prometheus metrics: request counts and latencies by route, rendered at
//! `/metrics`.
//!
//! The recorder is process-wide (the `metrics` macros use a global), so it
//! is installed once and shared by every server in the process (tests start
//! several). Histogram samples wait in the recorder until they are folded
//! into their buckets, so a thread does that every [`UPKEEP_EVERY`]: without
//! it, a server nobody scrapes would keep every request's latency forever.
use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use metrics::{Counter, Histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

const LATENCY_BUCKETS: &[f64] =
    &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// How often pending histogram samples are folded into their buckets.
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The process's recorder, installed on first use.
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let handle = match builder.install_recorder() {
                Ok(handle) => handle,
                // Another recorder is installed (only possible when an
                // embedding program set its own): render an empty set.
                Err(_) => PrometheusBuilder::new().build_recorder().handle(),
            };
            let upkeep = handle.clone();
            let spawned = std::thread::Builder::new().name("metrics-upkeep".into()).spawn(move || loop {
                std::thread::sleep(UPKEEP_EVERY);
                upkeep.run_upkeep();
            });
            if let Err(err) = spawned {
                tracing::warn!(error = %err, "cannot start the metrics upkeep thread; latencies are folded in only when /metrics is read");
            }
            handle
        })
        .clone()
}

pub fn router() -> Router {
    let handle = handle();
    Router::new().route("/metrics", get(move || std::future::ready(handle.render())))
}

/// Middleware: counts and times every request under its route pattern (not
/// the raw path, so ids do not explode the label set) and its method (a
/// standard one, else `other`, for the same reason).
pub async fn track(request: Request, next: Next) -> Response {
    let method = method_label(request.method());
    let route = request.extensions().get::<MatchedPath>().cloned();
    let started = Instant::now();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    let (requests, duration) = RequestMetrics::get().handles(route, method, response.status().as_u16());
    requests.increment(1);
    duration.record(started.elapsed().as_secs_f64());
    response
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// The request metrics' handles, registered once per route, method and
/// status: a request then costs two atomic updates instead of a registry
/// look-up that builds its labels (a dozen allocations).
#[derive(Default)]
struct RequestMetrics {
    by_route: RwLock<HashMap<String, Vec<Handles>>>,
}

#[derive(Clone)]
struct Handles {
    method: &'static str,
    status: u16,
    requests: Counter,
    duration: Histogram,
}

impl RequestMetrics {
    fn get() -> &'static Self {
        static METRICS: OnceLock<RequestMetrics> = OnceLock::new();
        METRICS.get_or_init(Self::default)
    }

    fn handles(&self, route: &str, method: &'static str, status: u16) -> (Counter, Histogram) {
        let found = |all: &HashMap<String, Vec<Handles>>| {
            all.get(route)?
                .iter()
                .find(|h| h.method == method && h.status == status)
                .map(|h| (h.requests.clone(), h.duration.clone()))
        };
        if let Some(found) = self.by_route.read().ok().as_deref().and_then(found) {
            return found;
        }
        let Ok(mut all) = self.by_route.write() else { return register(route, method, status) };
        if let Some(found) = found(&all) {
            return found;
        }
        let (requests, duration) = register(route, method, status);
        all.entry(route.to_owned()).or_default().push(Handles {
            method,
            status,
            requests: requests.clone(),
            duration: duration.clone(),
        });
        (requests, duration)
    }
}

fn register(route: &str, method: &'static str, status: u16) -> (Counter, Histogram) {
    let labels = [("method", method.to_owned()), ("route", route.to_owned()), ("status", status.to_string())];
    (
        metrics::counter!("http_requests_total", &labels),
        metrics::histogram!("http_request_duration_seconds", &labels),
    )
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::routing::post;
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn requests_are_counted_by_route_pattern_method_and_status() {
        let app = Router::new()
            .route("/things/{id}", post(|| async { axum::http::StatusCode::CREATED }))
            .layer(axum::middleware::from_fn(track));
        let before = handle().render();
        let line = r#"http_requests_total{method="POST",route="/things/{id}",status="201"}"#;
        let count = |text: &str| {
            text.lines()
                .find(|l| l.starts_with(line))
                .and_then(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
                .unwrap_or(0)
        };
        for id in ["a", "b"] {
            let request = Request::post(format!("/things/{id}")).body(Body::empty()).expect("request");
            assert_eq!(app.clone().oneshot(request).await.expect("infallible").status(), 201);
        }
        let odd = Request::builder().method("BREW").uri("/things/c").body(Body::empty()).expect("request");
        app.oneshot(odd).await.expect("infallible");
        let after = handle().render();
        assert_eq!(count(&after) - count(&before), 2, "{after}");
        assert!(!after.contains("BREW"), "a made-up method is not a label value: {after}");
        assert!(after.contains(r#"method="other""#), "{after}");
    }
}
