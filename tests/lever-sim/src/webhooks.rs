//! Webhook deliveries: signing, the delivery log, retries and the delivery
//! faults (drop, duplicate, reorder).
//!
//! A body is `{triggeredAt, event, token, signature, data}`; `signature` is
//! the lowercase hex HMAC-SHA256, keyed with the webhook's signature token,
//! of `token` followed by the decimal `triggeredAt` (LEVER.md).

use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::Sha256;
use std::time::Duration;

use crate::credentials::random_token;
use crate::model::{new_id, now_ms, Company, Webhook};
use crate::sim::Sim;
use crate::world::Event;

/// Lever's webhook signature: hex HMAC-SHA256 of `token` + `triggeredAt`.
pub fn sign(signature_token: &str, token: &str, triggered_at: i64) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(signature_token.as_bytes()) {
        Ok(m) => m,
        // HMAC accepts keys of any length; this arm is unreachable.
        Err(_) => return String::new(),
    };
    mac.update(token.as_bytes());
    mac.update(triggered_at.to_string().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A signed body for one webhook.
pub fn signed_body(w: &Webhook, event: &str, data: Value) -> Value {
    let token = random_token(16);
    let triggered_at = now_ms();
    json!({
        "triggeredAt": triggered_at,
        "event": event,
        "token": token,
        "signature": sign(&w.signature_token, &token, triggered_at),
        "data": data,
    })
}

/// One delivery waiting to be sent.
#[derive(Debug, Clone)]
pub struct DeliveryJob {
    pub delivery_id: String,
    pub url: String,
    pub body: Value,
}

/// One attempt at a delivery.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub at: i64,
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DeliveryResult {
    Pending,
    Held,
    Delivered,
    Failed,
    Dropped,
}

/// The log entry of one delivery.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryRecord {
    pub id: String,
    pub company_id: String,
    pub webhook_id: String,
    pub event: String,
    pub url: String,
    pub opportunity_id: Option<String>,
    pub body: Value,
    pub attempts: Vec<Attempt>,
    pub result: DeliveryResult,
    /// Set on the second copy made by the duplicate fault.
    pub duplicate_of: Option<String>,
    pub test: bool,
}

impl DeliveryRecord {
    fn new(company_id: &str, w: &Webhook, body: Value, test: bool) -> Self {
        DeliveryRecord {
            id: new_id(),
            company_id: company_id.to_string(),
            webhook_id: w.id.clone(),
            event: body["event"].as_str().unwrap_or_default().to_string(),
            url: w.url.clone(),
            opportunity_id: body["data"]["opportunityId"].as_str().map(str::to_string),
            body,
            attempts: Vec::new(),
            result: DeliveryResult::Pending,
            duplicate_of: None,
            test,
        }
    }

    fn job(&self) -> DeliveryJob {
        DeliveryJob { delivery_id: self.id.clone(), url: self.url.clone(), body: self.body.clone() }
    }
}

/// Records for every webhook of the company subscribed to the event.
fn records_for(c: &Company, e: &Event) -> Vec<DeliveryRecord> {
    c.webhooks
        .iter()
        .filter(|w| w.event == e.event)
        .map(|w| DeliveryRecord::new(&c.id, w, signed_body(w, e.event, e.data.clone()), false))
        .collect()
}

impl Sim {
    /// Sends webhooks for events (asynchronously).
    pub fn fire(&self, events: Vec<Event>) {
        let records = {
            let st = self.lock();
            events
                .iter()
                .flat_map(|e| match st.company(&e.company_id) {
                    Ok(c) => records_for(c, e),
                    Err(_) => Vec::new(),
                })
                .collect::<Vec<_>>()
        };
        self.dispatch(records);
    }

    /// Sends a signed test delivery (no `opportunityId`) to one webhook.
    pub fn send_test_delivery(&self, company: &str, webhook: &str) -> Result<String, String> {
        let record = {
            let st = self.lock();
            let c = st.company(company).map_err(|e| e.message)?;
            let w = c
                .webhooks
                .iter()
                .find(|w| w.id == webhook)
                .ok_or_else(|| format!("webhook {webhook} not found"))?;
            DeliveryRecord::new(&c.id, w, signed_body(w, &w.event, json!({})), true)
        };
        let id = record.id.clone();
        self.dispatch(vec![record]);
        Ok(id)
    }

    /// Applies delivery faults, logs, and starts sending.
    fn dispatch(&self, records: Vec<DeliveryRecord>) {
        let mut to_send = Vec::new();
        {
            let mut st = self.lock();
            for mut rec in records {
                if st.faults.drop_next_deliveries > 0 {
                    st.faults.drop_next_deliveries -= 1;
                    rec.result = DeliveryResult::Dropped;
                    st.deliveries.push(rec);
                    continue;
                }
                let mut batch = vec![rec.clone()];
                if st.faults.duplicate_next_deliveries > 0 {
                    st.faults.duplicate_next_deliveries -= 1;
                    let mut copy = rec.clone();
                    copy.id = new_id();
                    copy.duplicate_of = Some(rec.id.clone());
                    batch.push(copy);
                }
                for mut r in batch {
                    if st.faults.reorder_batch > 0 {
                        r.result = DeliveryResult::Held;
                        st.held.push(r.job());
                        st.deliveries.push(r);
                        if st.held.len() >= st.faults.reorder_batch as usize {
                            let mut held = std::mem::take(&mut st.held);
                            held.reverse();
                            to_send.extend(held);
                        }
                    } else {
                        to_send.push(r.job());
                        st.deliveries.push(r);
                    }
                }
            }
        }
        self.send_in_order(to_send);
    }

    /// Releases deliveries held by the reorder fault, in reverse order.
    pub fn flush_held(&self) -> usize {
        let mut held = std::mem::take(&mut self.lock().held);
        held.reverse();
        let n = held.len();
        self.send_in_order(held);
        n
    }

    /// First attempts go out one after another in the given order; retries
    /// run on their own.
    fn send_in_order(&self, jobs: Vec<DeliveryJob>) {
        if jobs.is_empty() {
            return;
        }
        let sim = self.clone();
        self.spawn(async move {
            for job in jobs {
                if !sim.attempt(&job).await {
                    let sim2 = sim.clone();
                    sim.spawn(async move { sim2.retry(job).await });
                }
            }
        });
    }

    async fn retry(&self, job: DeliveryJob) {
        let (attempts, base) = {
            let st = self.lock();
            (st.settings.webhook_attempts, st.settings.webhook_retry_base_ms)
        };
        for n in 1..attempts {
            let wait = base.saturating_mul(1u64 << (n - 1).min(16));
            tokio::time::sleep(Duration::from_millis(wait)).await;
            if self.attempt(&job).await {
                return;
            }
        }
        self.set_result(&job.delivery_id, DeliveryResult::Failed);
    }

    /// One POST; logs it; true when delivered (2xx).
    async fn attempt(&self, job: &DeliveryJob) -> bool {
        let timeout = Duration::from_millis(self.lock().settings.webhook_timeout_ms);
        self.set_result(&job.delivery_id, DeliveryResult::Pending);
        let res = self.http().post(&job.url).timeout(timeout).json(&job.body).send().await;
        let attempt = match &res {
            Ok(r) => Attempt { at: now_ms(), status: Some(r.status().as_u16()), error: None },
            Err(e) => Attempt { at: now_ms(), status: None, error: Some(e.to_string()) },
        };
        let ok = matches!(&res, Ok(r) if r.status().is_success());
        let mut st = self.lock();
        let attempts = st.settings.webhook_attempts as usize;
        if let Some(rec) = st.deliveries.iter_mut().find(|d| d.id == job.delivery_id) {
            rec.attempts.push(attempt);
            rec.result = if ok {
                DeliveryResult::Delivered
            } else if rec.attempts.len() >= attempts {
                DeliveryResult::Failed
            } else {
                DeliveryResult::Pending
            };
        }
        ok
    }

    fn set_result(&self, id: &str, result: DeliveryResult) {
        if let Some(rec) = self.lock().deliveries.iter_mut().find(|d| d.id == id) {
            rec.result = result;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sign;

    #[test]
    fn lever_md_test_vector() {
        assert_eq!(
            sign("whsec-test-123", "abc123", 1_717_000_000_123),
            "5c197b952a8ebff65b90ee66ae40971910c25bc41e169470bd757bf0f12280d8"
        );
    }

    #[test]
    fn fixture_signature() {
        // tests/fixtures/lever/webhook-candidateStageChange.json
        assert_eq!(
            sign("sigtok-fixture-7f3a9c", "5b1d6c0e9f2a4e3b", 1_763_900_000_123),
            "6565074754eb8f57db8763e7896a1e5bee2f8ba877aa9b9c943af43f2d93578f"
        );
    }
}
