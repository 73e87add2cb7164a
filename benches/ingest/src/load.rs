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

use tokio::sync::Semaphore;

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

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(4096)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_else(|e| panic!("HTTP client: {e}"))
}

async fn send(client: &reqwest::Client, url: &str, body: Vec<u8>) -> Option<(u16, bool)> {
    let response =
        client.post(url).header("content-type", "application/json").body(body).send().await.ok()?;
    let status = response.status().as_u16();
    let retry_after = response.headers().contains_key("retry-after");
    // Read the body so the connection goes back to the pool.
    response.bytes().await.ok()?;
    Some((status, retry_after))
}

/// `concurrency` requests in flight for `duration`.
pub async fn closed(
    client: &reqwest::Client,
    url: &str,
    concurrency: usize,
    duration: Duration,
    bodies: Bodies,
) -> Outcome {
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + duration;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, url, next, bodies) = (client.clone(), url.to_owned(), next.clone(), bodies.clone());
            tokio::spawn(async move {
                let mut outcome = Outcome::default();
                while Instant::now() < deadline {
                    let body = bodies(next.fetch_add(1, Ordering::Relaxed));
                    let sent = Instant::now();
                    let status = send(&client, &url, body).await;
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
/// At most `connections` requests are in flight at once, as with wrk2's or
/// oha's fixed connection count: a request due while all are busy waits for
/// one, and that wait is part of its latency.
pub async fn open(
    client: &reqwest::Client,
    url: &str,
    rate: f64,
    duration: Duration,
    bodies: Bodies,
    connections: usize,
) -> Outcome {
    let start = Instant::now();
    let total = (rate * duration.as_secs_f64()).round() as u64;
    let period = Duration::from_secs_f64(1.0 / rate.max(1.0));
    let slots = Arc::new(Semaphore::new(connections.max(1)));
    let mut tasks = Vec::with_capacity(total as usize);
    for n in 0..total {
        let scheduled = start + period.mul_f64(n as f64);
        tokio::time::sleep_until(scheduled.into()).await;
        let (client, url, body, slots) = (client.clone(), url.to_owned(), bodies(n), slots.clone());
        tasks.push(tokio::spawn(async move {
            // Never closed, so acquiring cannot fail.
            let _slot = slots.acquire_owned().await.ok();
            let status = send(&client, &url, body).await;
            (status, scheduled.elapsed())
        }));
    }
    let mut outcome = Outcome::default();
    for task in tasks {
        if let Ok((status, latency)) = task.await {
            outcome.add(status, latency);
        }
    }
    outcome.elapsed = duration;
    outcome
}
