//! Making Vouch ready, the way an admin would, over GraphQL: sign in,
//! connect Lever with an API key, wait for the catalogue and the webhooks,
//! set the fallback user, create a one-step self-assessment template and a
//! rule mapping the trigger stage to it.
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde_json::{json, Value};

use crate::sim::{API_KEY, POSTING_TEXT, RECRUITER_EMAIL, STAGE_TEXT};

pub const ADMIN_EMAIL: &str = "admin@bench.vouch.test";
pub const ADMIN_PASSWORD: &str = "bench-checks-password";

/// Vouch's GraphQL API as the signed-in admin.
#[derive(Clone)]
pub struct Graphql {
    http: reqwest::Client,
    url: String,
    token: Option<String>,
}

impl Graphql {
    pub fn new(base: &str) -> Self {
        Self { http: reqwest::Client::new(), url: format!("{base}/graphql"), token: None }
    }

    /// Runs a query; any GraphQL error stops the bench.
    pub async fn run(&self, query: &str, variables: Value) -> anyhow::Result<Value> {
        let mut request = self.http.post(&self.url).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let body: Value = request.send().await.context("vouch: POST /graphql")?.json().await?;
        if let Some(errors) = body.get("errors") {
            bail!("vouch answered errors to {query:?}: {errors}");
        }
        Ok(body["data"].clone())
    }

    pub async fn sign_in(&mut self) -> anyhow::Result<()> {
        let data = self
            .run(
                "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                json!({ "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD }),
            )
            .await?;
        self.token = Some(data["login"]["token"].as_str().context("a session token")?.to_owned());
        Ok(())
    }

    /// Jobs that are running or due within two minutes (far-future
    /// periodic jobs such as the hourly health check do not count).
    pub async fn busy_jobs(&self) -> anyhow::Result<usize> {
        let mut busy = 0;
        for status in ["RUNNING", "QUEUED"] {
            let data = self
                .run(
                    "query($s: JobStatus!) { jobs(status: $s, first: 500) { runAfter } }",
                    json!({ "s": status }),
                )
                .await?;
            let soon = now_ms() + 120_000;
            busy += data["jobs"]
                .as_array()
                .map(|jobs| {
                    jobs.iter()
                        .filter(|j| {
                            let at = j["runAfter"]
                                .as_str()
                                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
                            at.is_none_or(|at| at.timestamp_millis() <= soon)
                        })
                        .count()
                })
                .unwrap_or(0);
        }
        Ok(busy)
    }
}

/// Now, epoch ms.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// What the bench needs to know about the set-up.
pub struct Ready {
    pub connection_id: String,
}

/// Connects Lever and creates the template and rule.
pub async fn prepare(gql: &mut Graphql) -> anyhow::Result<Ready> {
    gql.sign_in().await?;
    let connected = gql
        .run(
            "mutation($k: String!) { connectLeverWithApiKey(dataCentre: US, apiKey: $k) { connection { id } missingPermissions } }",
            json!({ "k": API_KEY }),
        )
        .await?;
    let connection_id = connected["connectLeverWithApiKey"]["connection"]["id"]
        .as_str()
        .with_context(|| format!("Lever did not connect: {connected}"))?
        .to_owned();
    // Connecting queued the catalogue read and the webhook registration.
    let (stage_id, posting_id, recruiter_id) = wait_for("the Lever catalogue", || async {
        let data = gql
            .run(
                "query($c: UUID!) { leverStages { id text } leverPostings { id text } leverUsers(connectionId: $c) { leverId email } }",
                json!({ "c": connection_id }),
            )
            .await?;
        let find = |list: &str, key: &str, field: &str, want: &str| {
            data[list].as_array().and_then(|items| {
                items.iter().find(|i| i[field] == want).and_then(|i| i[key].as_str().map(str::to_owned))
            })
        };
        Ok(match (
            find("leverStages", "id", "text", STAGE_TEXT),
            find("leverPostings", "id", "text", POSTING_TEXT),
            find("leverUsers", "leverId", "email", RECRUITER_EMAIL),
        ) {
            (Some(s), Some(p), Some(u)) => Some((s, p, u)),
            _ => None,
        })
    })
    .await?;
    wait_for("Vouch's webhooks in Lever", || async {
        let data = gql.run("{ leverConnection { webhooks { tokenConfigured } } }", json!({})).await?;
        let hooks = data["leverConnection"]["webhooks"].as_array().cloned().unwrap_or_default();
        Ok((!hooks.is_empty() && hooks.iter().all(|w| w["tokenConfigured"] == true)).then_some(()))
    })
    .await?;
    gql.run(
        "mutation($c: UUID!, $u: String) { updateLeverConnection(connectionId: $c, fallbackUserId: $u) { id } }",
        json!({ "c": connection_id, "u": recruiter_id }),
    )
    .await?;
    let template = gql
        .run(
            "mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id steps { id } } }",
            json!({ "i": {
                "name": "Bench self-assessment",
                "steps": [{
                    "kind": "SELF_ASSESSMENT",
                    "questionnaires": [{ "language": "EN", "questions": [
                        { "prompt": "What did you build last?", "type": "TEXT" }
                    ] }]
                }]
            } }),
        )
        .await?;
    let template = &template["createTemplate"];
    gql.run(
        "mutation($i: RuleInput!) { createRule(input: $i) { id } }",
        json!({ "i": {
            "name": "Bench rule",
            "postingIds": [posting_id],
            "templateId": template["id"],
            "language": "EN",
            "steps": [{ "stepId": template["steps"][0]["id"], "stageId": stage_id }]
        } }),
    )
    .await?;
    wait_for("Vouch's set-up jobs", || async { Ok((gql.busy_jobs().await? == 0).then_some(())) }).await?;
    Ok(Ready { connection_id })
}

/// Polls `check` every 200 ms until it answers `Some`, for up to 60 s.
async fn wait_for<T, F, Fut>(what: &str, check: F) -> anyhow::Result<T>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
{
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if let Some(value) = check().await? {
            return Ok(value);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("timed out after 60 s waiting for {what}")
}
