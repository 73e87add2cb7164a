//! The simulator's control API (`/_sim`, see tests/lever-sim/README.md):
//! the seed, stage moves (which send Vouch signed webhooks), and what the
//! bench measures with: the call log, the delivery log, an opportunity's
//! tags (with the time each was stored) and notes.
use std::collections::HashMap;

use anyhow::{bail, Context};
use serde::Deserialize;
use serde_json::{json, Value};

/// The bench's Lever company, its people and its API key.
pub const COMPANY_ID: &str = "b0c0e000-0000-4000-8000-00000000c0de";
pub const API_KEY: &str = "bench-checks-api-key";
pub const RECRUITER_EMAIL: &str = "rita@bench.lever.test";
pub const STAGE_TEXT: &str = "Self-assessment";
pub const POSTING_TEXT: &str = "Bench Engineer";
pub const STATUS_TAG: &str = "Vouch Status: Sent";

/// One record of the simulator's call log.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
    /// Arrival, epoch ms.
    pub at: i64,
    /// Answer ready, epoch ms.
    pub done: i64,
    pub credential: Option<String>,
    pub method: String,
    pub endpoint: String,
    pub opportunity_id: Option<String>,
    pub status: u16,
}

impl Call {
    /// `POST /opportunities/{id}/addTags`.
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.endpoint)
    }

    pub fn is_note_created(&self) -> bool {
        self.method == "POST" && self.endpoint == "/opportunities/{id}/notes" && self.status == 201
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CallsPage {
    calls: Vec<Call>,
    last_seq: u64,
    dropped: u64,
}

/// A tag on an opportunity as the simulator stores it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredTag {
    pub text: String,
    pub added_at: Option<i64>,
}

/// A note as the simulator stores it (deleted ones included).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredNote {
    pub deleted_at: Option<i64>,
}

/// The simulator's control API.
#[derive(Clone)]
pub struct SimClient {
    http: reqwest::Client,
    pub base: String,
}

impl SimClient {
    pub fn new(base: &str) -> Self {
        Self { http: reqwest::Client::new(), base: base.to_owned() }
    }

    async fn send(&self, request: reqwest::RequestBuilder, what: &str) -> anyhow::Result<Value> {
        let response = request.send().await.with_context(|| format!("lever-sim: {what}"))?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("lever-sim: {what} answered {status}: {body}");
        }
        Ok(body)
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<Value> {
        self.send(self.http.get(format!("{}{path}", self.base)), path).await
    }

    pub async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        self.send(self.http.post(format!("{}{path}", self.base)).json(&body), path).await
    }

    /// Adds latency to every data API call (the `latencyMs` fault).
    pub async fn set_latency(&self, ms: u64) -> anyhow::Result<()> {
        self.post("/_sim/faults", json!({ "latencyMs": ms })).await.map(drop)
    }

    /// Clears the statistics, the call log and the delivery log.
    pub async fn reset_stats(&self) -> anyhow::Result<()> {
        self.post("/_sim/stats/reset", json!({})).await.map(drop)
    }

    /// Moves a candidate into the trigger stage as the recruiter; the
    /// simulator sends Vouch the signed `candidateStageChange`.
    pub async fn move_to_trigger(&self, opportunity: &str) -> anyhow::Result<()> {
        let path = format!("/_sim/companies/{COMPANY_ID}/candidates/{opportunity}/move");
        self.post(&path, json!({ "stageId": STAGE_TEXT, "userId": RECRUITER_EMAIL })).await.map(drop)
    }

    /// Call log records after `after`, and the last sequence number.
    pub async fn calls_after(&self, after: u64) -> anyhow::Result<(Vec<Call>, u64)> {
        let page: CallsPage = serde_json::from_value(self.get(&format!("/_sim/calls?after={after}")).await?)?;
        if page.dropped > 0 {
            bail!("lever-sim's call log forgot {} records; run a smaller bench", page.dropped);
        }
        Ok((page.calls, page.last_seq))
    }

    /// For each opportunity, when its `candidateStageChange` delivery got
    /// its 200 (epoch ms, as the simulator saw the answer), and how many
    /// attempts that took.
    pub async fn stage_change_200s(&self) -> anyhow::Result<HashMap<String, (i64, usize)>> {
        let list = self.get("/_sim/deliveries?event=candidateStageChange").await?;
        let mut out = HashMap::new();
        for delivery in list.as_array().context("deliveries")? {
            let Some(opportunity) = delivery["opportunityId"].as_str() else { continue };
            let attempts = delivery["attempts"].as_array().cloned().unwrap_or_default();
            let ok = attempts.iter().position(|a| a["status"].as_u64() == Some(200));
            if let Some(i) = ok {
                let at = attempts[i]["at"].as_i64().unwrap_or_default();
                out.insert(opportunity.to_owned(), (at, i + 1));
            }
        }
        Ok(out)
    }

    pub async fn tags(&self, opportunity: &str) -> anyhow::Result<Vec<StoredTag>> {
        let path = format!("/_sim/companies/{COMPANY_ID}/candidates/{opportunity}/tags");
        Ok(serde_json::from_value(self.get(&path).await?)?)
    }

    pub async fn notes(&self, opportunity: &str) -> anyhow::Result<Vec<StoredNote>> {
        let path = format!("/_sim/companies/{COMPANY_ID}/candidates/{opportunity}/notes");
        Ok(serde_json::from_value(self.get(&path).await?)?)
    }
}

/// The seed: one US company with a recruiter (super admin, also the
/// posting's owner), the trigger stage, one posting, `candidates`
/// candidates on it (each with its own e-mail address, in the first stage)
/// and a full-access API key. Seeding sends no webhooks.
pub fn seed(candidates: &[String]) -> Value {
    let people: Vec<Value> = candidates
        .iter()
        .enumerate()
        .map(|(n, id)| {
            json!({
                "id": id,
                "name": format!("Bench Candidate {n}"),
                "emails": [format!("candidate-{n}@bench.example")],
                "posting": POSTING_TEXT,
            })
        })
        .collect();
    json!({
        "companies": [{
            "id": COMPANY_ID,
            "name": "Bench Robotics",
            "dataCentre": "us",
            "users": [
                { "name": "Rita Recruiter", "email": RECRUITER_EMAIL, "accessRole": "super admin" },
                { "name": "Omar Owner", "email": "omar@bench.lever.test", "accessRole": "admin" }
            ],
            "stages": [ { "text": STAGE_TEXT } ],
            "postings": [ { "text": POSTING_TEXT, "owner": RECRUITER_EMAIL } ],
            "candidates": people,
            "apiKeys": [ { "key": API_KEY } ]
        }]
    })
}
