//! Helpers shared by the integration tests: a started simulator with one
//! company, an HTTP client, polling, and a tiny webhook receiver.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use lever_sim::{DataCentre, NewApiKey, NewCompany, NewPosting, NewUser, SimConfig, SimHandle, Simulator};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub type TestResult = anyhow::Result<()>;

/// A simulator with one US company, its users, a tagged posting and a
/// full-access API key.
pub struct Fixture {
    pub sim: SimHandle,
    pub http: reqwest::Client,
    pub company: String,
    pub admin: String,
    pub interviewer: String,
    pub deactivated: String,
    pub posting: String,
    pub key: String,
}

impl Fixture {
    pub async fn new() -> anyhow::Result<Fixture> {
        let sim = Simulator::start(SimConfig::for_tests()).await?;
        let company = sim
            .create_company(NewCompany {
                name: "Test Co".into(),
                data_centre: DataCentre::Us,
                ..Default::default()
            })
            .map_err(err)?
            .id;
        let user = |name: &str, role: &str, deactivated: bool| NewUser {
            name: name.into(),
            email: format!("{}@test.example", name.to_lowercase()),
            access_role: Some(role.into()),
            deactivated,
            ..Default::default()
        };
        let admin = sim.add_user(&company, user("Rita", "super admin", false)).map_err(err)?.id;
        let interviewer = sim.add_user(&company, user("Ivy", "interviewer", false)).map_err(err)?.id;
        let deactivated = sim.add_user(&company, user("Dora", "admin", true)).map_err(err)?.id;
        let posting = sim
            .add_posting(
                &company,
                NewPosting {
                    text: "Engineer".into(),
                    owner: Some(admin.clone()),
                    tags: vec!["Vouch Template: Standard".into(), "Remote OK".into()],
                    ..Default::default()
                },
            )
            .map_err(err)?
            .id;
        let key = sim.create_api_key(&company, NewApiKey::default()).map_err(err)?.key;
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
        Ok(Fixture { sim, http, company, admin, interviewer, deactivated, posting, key })
    }

    /// `{us api base}{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sim.api_base(DataCentre::Us), path)
    }

    /// A GET with the fixture's API key.
    pub async fn get(&self, path: &str) -> anyhow::Result<reqwest::Response> {
        Ok(self.http.get(self.url(path)).basic_auth(&self.key, Some("")).send().await?)
    }

    /// A POST of JSON with the fixture's API key.
    pub async fn post(&self, path: &str, body: Value) -> anyhow::Result<reqwest::Response> {
        Ok(self.http.post(self.url(path)).basic_auth(&self.key, Some("")).json(&body).send().await?)
    }

    /// Creates a candidate on the fixture's posting.
    pub fn candidate(&self, name: &str, email: &str) -> anyhow::Result<String> {
        Ok(self
            .sim
            .create_candidate(
                &self.company,
                lever_sim::NewCandidate {
                    name: name.into(),
                    emails: vec![email.into()],
                    posting: Some(self.posting.clone()),
                    ..Default::default()
                },
            )
            .map_err(err)?
            .id)
    }
}

/// Turns a simulator error into anyhow.
pub fn err(e: lever_sim::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{} {}", e.status, e.message)
}

/// Waits until `f` holds (up to 10 s).
pub async fn eventually<F: FnMut() -> bool>(what: &str, mut f: F) -> TestResult {
    for _ in 0..500 {
        if f() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    anyhow::bail!("timed out waiting for {what}")
}

/// A webhook receiver that records bodies and answers the statuses in
/// `script` in turn (then 200).
#[derive(Clone, Default)]
pub struct Receiver {
    pub bodies: Arc<Mutex<Vec<Value>>>,
    pub script: Arc<Mutex<Vec<u16>>>,
}

impl Receiver {
    /// Starts it; returns its URL.
    pub async fn start(&self) -> anyhow::Result<String> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = Router::new().route("/hook", post(receive)).with_state(self.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(format!("http://{addr}/hook"))
    }

    pub fn bodies(&self) -> Vec<Value> {
        self.bodies.lock().map(|b| b.clone()).unwrap_or_default()
    }
}

async fn receive(State(r): State<Receiver>, Json(body): Json<Value>) -> StatusCode {
    if let Ok(mut b) = r.bodies.lock() {
        b.push(body);
    }
    let code = r
        .script
        .lock()
        .ok()
        .and_then(|mut s| if s.is_empty() { None } else { Some(s.remove(0)) })
        .unwrap_or(200);
    StatusCode::from_u16(code).unwrap_or(StatusCode::OK)
}
