//! A small GraphQL-over-HTTP client for tests.
use serde_json::{json, Value};

/// One answer: the HTTP status and the JSON body.
#[derive(Debug)]
pub struct GraphqlAnswer {
    pub status: u16,
    pub body: Value,
}

impl GraphqlAnswer {
    /// `data` when there were no errors; panics with the errors otherwise.
    pub fn data(&self) -> &Value {
        assert!(self.body.get("errors").is_none(), "unexpected errors: {}", self.body);
        &self.body["data"]
    }

    /// The `extensions.code` of the first error.
    pub fn error_code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }

    pub fn error_message(&self) -> Option<&str> {
        self.body["errors"][0]["message"].as_str()
    }
}

#[derive(Clone)]
pub struct GraphqlClient {
    url: String,
    http: reqwest::Client,
}

impl GraphqlClient {
    pub fn new(url: String) -> Self {
        Self { url, http: reqwest::Client::new() }
    }

    /// Runs a query, with a bearer token when given.
    pub async fn run(&self, token: Option<&str>, query: &str, variables: Value) -> GraphqlAnswer {
        let mut request = self.http.post(&self.url).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("graphql request");
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        GraphqlAnswer { status, body }
    }

    /// Polls `job(id)` until the job leaves QUEUED/RUNNING; answers its
    /// final state (status, lastError, progress).
    pub async fn finished_job(&self, token: &str, id: &str) -> Value {
        let query = "query($id: UUID!) { job(id: $id) { status lastError progressDone progressTotal } }";
        crate::eventually("the job to finish", std::time::Duration::from_secs(60), || async {
            let answer = self.run(Some(token), query, json!({ "id": id })).await;
            let job = answer.data()["job"].clone();
            (!matches!(job["status"].as_str(), Some("QUEUED" | "RUNNING"))).then_some(job)
        })
        .await
    }

    /// Signs in and answers the token; panics when sign-in fails.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let answer = self
            .run(
                None,
                "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                json!({ "e": email, "p": password }),
            )
            .await;
        answer.data()["login"]["token"].as_str().expect("token").to_owned()
    }
}
