//! The one load generator, used for the baseline and for Vouch alike:
//! closed loop (N requests in flight, each sent when the previous answered)
//! to find the maximum rate, and open loop (requests started on a fixed
//! schedule, latency measured from the scheduled start, so a slow server
//! cannot hide its queueing) for latency at a given rate and for overload.
//! Every response's status is kept.
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;

/// Makes the `n`th request body.
pub type Bodies = Arc<dyn Fn(u64) -> Vec<u8> + Send + Sync>;

/// What one run saw.
#[derive(Debug, Default)]
pub struct Outcome {
    pub statuses: BTreeMap<u16, usize>,
    /// 503s that carried `Retry-After`.
    pub retry_after: usize,
    /// Transport failures (no status).
    pub errors: usize,
    pub latencies: Vec<Duration>,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn count(&self, status: u16) -> usize {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    /// Responses with `status` per second.
    pub fn rate(&self, status: u16) -> f64 {
        self.count(status) as f64 / self.elapsed.as_secs_f64()
    }

    /// Latency quantile (0..=1) over every response, in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        quantile_ms(&self.latencies, q)
    }

    fn add(&mut self, status: Option<(u16, bool)>, latency: Duration) {
        match status {
            Some((code, retry_after)) => {
                *self.statuses.entry(code).or_default() += 1;
                if code == 503 && retry_after {
                    self.retry_after += 1;
                }
                self.latencies.push(latency);
            }
            None => self.errors += 1,
        }
    }

    fn merge(&mut self, other: Outcome) {
        for (code, n) in other.statuses {
            *self.statuses.entry(code).or_default() += n;
        }
        self.retry_after += other.retry_after;
        self.errors += other.errors;
        self.latencies.extend(other.latencies);
    }
}

pub fn quantile_ms(samples: &[Duration], q: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    let index = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

/// Where requests go: resolved and parsed once, not per request.
#[derive(Clone)]
struct Target {
    address: std::net::SocketAddr,
    authority: String,
    path: String,
}

impl Target {
    fn parse(url: &str) -> Self {
        let uri: hyper::Uri = url.parse().unwrap_or_else(|e| panic!("{url}: {e}"));
        let authority = uri.authority().map(|a| a.to_string()).unwrap_or_else(|| panic!("{url}: no host"));
        let address = authority.parse().unwrap_or_else(|e| panic!("{url}: the bench needs IP:port ({e})"));
        let path = uri.path_and_query().map(|p| p.to_string()).unwrap_or_else(|| "/".into());
        Self { address, authority, path }
    }
}

/// One keep-alive HTTP/1.1 connection, hyper's own client connection with
/// nothing on top (no pool, no URL parsing per request): the generator
/// shares two cores with the server it measures, so it should cost little.
struct Connection {
    target: Target,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Connection {
    fn new(target: Target) -> Self {
        Self { target, sender: None }
    }

    async fn open(&self) -> Option<SendRequest<Full<Bytes>>> {
        let stream = tokio::net::TcpStream::connect(self.target.address).await.ok()?;
        stream.set_nodelay(true).ok()?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await.ok()?;
        tokio::spawn(connection);
        Some(sender)
    }

    /// Status and whether `Retry-After` came with it; `None` on a transport
    /// failure (the connection is then opened again for the next request).
    async fn send(&mut self, body: Bytes) -> Option<(u16, bool)> {
        let answer = self.try_send(body).await;
        if answer.is_none() {
            self.sender = None;
        }
        answer
    }

    async fn try_send(&mut self, body: Bytes) -> Option<(u16, bool)> {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            self.sender = Some(self.open().await?);
        }
        let sender = self.sender.as_mut()?;
        sender.ready().await.ok()?;
        let request = hyper::Request::post(self.target.path.as_str())
            .header(hyper::header::HOST, self.target.authority.as_str())
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(Full::new(body))
            .ok()?;
        let response = sender.send_request(request).await.ok()?;
        let status = response.status().as_u16();
        let retry_after = response.headers().contains_key(hyper::header::RETRY_AFTER);
        // Read the whole answer so the connection can take the next request.
        response.into_body().collect().await.ok()?;
        Some((status, retry_after))
    }
}

/// `concurrency` requests in flight (one per connection) for `duration`.
pub async fn closed(url: &str, concurrency: usize, duration: Duration, bodies: Bodies) -> Outcome {
    let target = Target::parse(url);
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + duration;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (mut connection, next, bodies) =
                (Connection::new(target.clone()), next.clone(), bodies.clone());
            tokio::spawn(async move {
                let mut outcome = Outcome::default();
                while Instant::now() < deadline {
                    let body = Bytes::from(bodies(next.fetch_add(1, Ordering::Relaxed)));
                    let sent = Instant::now();
                    let status = connection.send(body).await;
                    outcome.add(status, sent.elapsed());
                }
                outcome
            })
        })
        .collect();
    let mut total = Outcome::default();
    for task in tasks {
        if let Ok(outcome) = task.await {
            total.merge(outcome);
        }
    }
    total.elapsed = start.elapsed();
    total
}

/// Requests started at `rate` per second for `duration`, whatever the
/// answers; waits for every answer. Latency runs from each request's
/// scheduled start, so time a request spends waiting (for a connection, or
/// behind a slow server) is counted, not hidden.
///
/// Over a fixed number of `connections`, opened before the clock starts,
/// as with wrk2's or oha's fixed connection count: each takes the next due
/// request when it is free, so a request due while all are busy waits for
/// one, and that wait is part of its latency. The bodies are made before
/// the clock starts too, so signing them costs the loop nothing.
pub async fn open(url: &str, rate: f64, duration: Duration, bodies: Bodies, connections: usize) -> Outcome {
    let target = Target::parse(url);
    let total = (rate * duration.as_secs_f64()).round() as u64;
    let made: Vec<Bytes> = (0..total).map(|n| Bytes::from(bodies(n))).collect();
    let connections = connections.max(1);
    let mut opened = Vec::with_capacity(connections);
    for _ in 0..connections {
        let mut connection = Connection::new(target.clone());
        // A connection that cannot be opened now is tried again per request.
        connection.sender = connection.open().await;
        opened.push(connection);
    }
    let (due, queue) = flume::unbounded::<(Instant, Bytes)>();
    let workers: Vec<_> = opened
        .into_iter()
        .map(|mut connection| {
            let queue = queue.clone();
            tokio::spawn(async move {
                let mut outcome = Outcome::default();
                while let Ok((scheduled, body)) = queue.recv_async().await {
                    let status = connection.send(body).await;
                    outcome.add(status, scheduled.elapsed());
                }
                outcome
            })
        })
        .collect();
    let start = Instant::now();
    let period = Duration::from_secs_f64(1.0 / rate.max(1.0));
    for (n, body) in made.into_iter().enumerate() {
        let scheduled = start + period.mul_f64(n as f64);
        tokio::time::sleep_until(scheduled.into()).await;
        // The workers hold the receiver until the sender is dropped.
        let _ = due.send((scheduled, body));
    }
    drop(due);
    let mut outcome = Outcome::default();
    for worker in workers {
        if let Ok(part) = worker.await {
            outcome.merge(part);
        }
    }
    outcome.elapsed = duration;
    outcome
}
