//! The check flow's common set-up for suites: a Lever simulator with a
//! company, a posting and two trigger stages; a real server connected to it
//! by OAuth with its webhooks registered; and a rule mapping the stages to
//! the two steps of "Self-assessment + references". Plus the helpers the
//! suites share: moving candidates, waiting for checks, reading links out
//! of the outbox, answering public pages.
use std::time::Duration;

use entity::Role;
use lever_sim::{DataCentre, NewCandidate, NewPosting, NewStage};
use serde_json::{json, Value};

use crate::lever::LeverWorld;
use crate::{eventually, GraphqlAnswer, TestServer, TestUser};

/// How long suites wait for an eventual outcome.
pub const WAIT: Duration = Duration::from_secs(20);

/// A connected Lever world with a rule, and the server.
pub struct Story {
    pub world: LeverWorld,
    pub server: TestServer,
    /// The company's super admin in Vouch.
    pub admin: TestUser,
    pub posting: String,
    /// Triggers the self-assessment step.
    pub self_stage: String,
    /// Triggers the reference-check step.
    pub ref_stage: String,
}

/// One GraphQL request.
pub async fn gql(server: &TestServer, token: Option<&str>, query: &str, vars: Value) -> GraphqlAnswer {
    server.graphql().run(token, query, vars).await
}

/// A connected Lever with a posting, two trigger stages, a rule mapping
/// them to the two steps of "Self-assessment + references", and webhooks.
pub async fn story() -> Story {
    story_with(&[]).await
}

/// [`story`] with extra `vouch serve` flags (e.g. an SMTP URL).
pub async fn story_with(flags: &[&str]) -> Story {
    let world = LeverWorld::start(DataCentre::Us).await;
    let sim = &world.sim;
    let self_stage = sim
        .add_stage(&world.company_id, NewStage { id: None, text: "Self-assessment".into() })
        .expect("stage")
        .id;
    let ref_stage =
        sim.add_stage(&world.company_id, NewStage { id: None, text: "References".into() }).expect("stage").id;
    let posting = sim
        .add_posting(
            &world.company_id,
            NewPosting {
                text: "Robot Whisperer".into(),
                owner: Some(world.lever_admin_id.clone()),
                ..NewPosting::default()
            },
        )
        .expect("posting")
        .id;
    let server = TestServer::start_with_lever_and(&world, flags).await;
    let admin = server.user("Acme", "ada@acme.test", Role::SuperAdmin).await;
    let t = admin.token.as_str();
    let authorize = gql(&server, Some(t), "mutation { startLeverOAuth(dataCentre: US) }", json!({})).await;
    let authorize = authorize.data()["startLeverOAuth"].as_str().expect("authorize URL").to_owned();
    let redirect = world.consent(&authorize, true).await;
    let query = redirect.find('?').map(|i| redirect[i..].to_owned()).unwrap_or_default();
    let http =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    http.get(server.url(&format!("/oauth/lever/callback{query}"))).send().await.expect("callback");
    let connection = gql(&server, Some(t), "{ leverConnection { id } }", json!({})).await;
    let connection_id = connection.data()["leverConnection"]["id"].as_str().expect("connected").to_owned();
    let refresh = gql(
        &server,
        Some(t),
        "mutation($id: UUID!) { refreshLeverCatalogue(connectionId: $id) { id } }",
        json!({ "id": connection_id }),
    )
    .await;
    let job = refresh.data()["refreshLeverCatalogue"]["id"].as_str().expect("job").to_owned();
    assert_eq!(server.graphql().finished_job(t, &job).await["status"], "DONE");
    let templates = gql(&server, Some(t), "{ templates { id name steps { id } } }", json!({})).await;
    let two = templates.data()["templates"]
        .as_array()
        .expect("templates")
        .iter()
        .find(|t| t["name"] == "Self-assessment + references")
        .expect("default template")
        .clone();
    let rule = json!({
        "name": "Robots",
        "postingIds": [posting],
        "templateId": two["id"],
        "language": "EN",
        "steps": [ { "stepId": two["steps"][0]["id"], "stageId": self_stage }, { "stepId": two["steps"][1]["id"], "stageId": ref_stage } ],
    });
    let created = gql(
        &server,
        Some(t),
        "mutation($i: RuleInput!) { createRule(input: $i) { id } }",
        json!({ "i": rule }),
    )
    .await;
    created.data();
    // Connecting registered Vouch's webhooks through Lever's API; wait until
    // their signing tokens are stored so deliveries verify.
    eventually("Vouch's webhooks registered", std::time::Duration::from_secs(30), || async {
        let answer =
            gql(&server, Some(t), "{ leverConnection { webhooks { tokenConfigured } } }", json!({})).await;
        let hooks = answer.data()["leverConnection"]["webhooks"].as_array()?.clone();
        hooks.iter().all(|w| w["tokenConfigured"] == true).then_some(())
    })
    .await;
    Story { world, server, admin, posting, self_stage, ref_stage }
}

impl Story {
    pub async fn run(&self, query: &str, vars: Value) -> GraphqlAnswer {
        gql(&self.server, Some(&self.admin.token), query, vars).await
    }

    pub fn candidate(&self, name: &str, emails: &[&str]) -> String {
        self.world
            .sim
            .create_candidate(
                &self.world.company_id,
                NewCandidate {
                    name: name.into(),
                    emails: emails.iter().map(|e| e.to_string()).collect(),
                    posting: Some(self.posting.clone()),
                    ..NewCandidate::default()
                },
            )
            .expect("candidate")
            .id
    }

    pub fn move_to(&self, opp: &str, stage: &str) {
        self.world
            .sim
            .move_candidate(&self.world.company_id, opp, stage, Some(&self.world.lever_admin_id))
            .expect("move");
    }

    /// The checks of the organization, newest first, once `n` exist.
    pub async fn checks(&self, n: usize) -> Vec<Value> {
        eventually("checks", WAIT, || async {
            let a = self
                .run("{ checks { id status statusReason stepKind candidateName writtenToLever } }", json!({}))
                .await;
            let list = a.data()["checks"].as_array().cloned().unwrap_or_default();
            (list.len() >= n).then_some(list)
        })
        .await
    }

    /// The token in the newest outbox link to `to` of `kind`.
    pub async fn link_token(&self, to: &str, kind: &str, skip: usize) -> String {
        eventually("an e-mail with a link", WAIT, || async {
            let a = self.run("{ outbox(first: 100) { to kind body status } }", json!({})).await;
            let mails: Vec<Value> = a.data()["outbox"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|m| m["to"] == to && m["kind"] == kind)
                .collect();
            let body = mails.get(skip)?["body"].as_str()?.to_owned();
            let start = body.find("/respond/")? + "/respond/".len();
            Some(body[start..].split_whitespace().next()?.to_owned())
        })
        .await
    }

    pub async fn status_of(&self, id: &Value, want: &str) -> Value {
        eventually(&format!("check {id} {want} and written to Lever"), WAIT, || async {
            let a = self.run("query($id: UUID!) { check(id: $id) { status statusReason writtenToLever timeline { kind detail } report { prompt average answers { respondent value } } } }", json!({ "id": id })).await;
            let c = a.data()["check"].clone();
            (c["status"] == want && c["writtenToLever"] == true).then_some(c)
        })
        .await
    }

    pub fn vouch_tags(&self, opp: &str) -> Vec<String> {
        let tags = self.world.sim.opportunity_tags(&self.world.company_id, opp).expect("tags");
        tags.into_iter().map(|t| t.text).filter(|t| t.starts_with("Vouch Status:")).collect()
    }

    pub fn live_notes(&self, opp: &str) -> Vec<String> {
        let notes = self.world.sim.opportunity_notes(&self.world.company_id, opp).expect("notes");
        notes.into_iter().filter(|n| n.deleted_at.is_none()).map(|n| n.value).collect()
    }
}

/// Answers every question of a public page with a valid value.
pub fn full_answers(page: &Value) -> Value {
    let list: Vec<Value> = page["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| {
            let value = match q["type"].as_str() {
                Some("RATING_1_5") => "4".to_owned(),
                Some("YES_NO") => "yes".to_owned(),
                Some("CHOICE") => q["options"][0].as_str().unwrap_or_default().to_owned(),
                _ => "Solid work.".to_owned(),
            };
            json!({ "question": q["index"], "value": value })
        })
        .collect();
    Value::Array(list)
}

/// The public page fields suites read.
pub const PAGE: &str = "checkId purpose status submitted refereesRequired relationshipKinds questions { index type options } answers { question value }";

/// What the public page behind `token` shows (the fields of [`PAGE`]).
pub async fn public_page(server: &TestServer, token: &str) -> Value {
    let answer = gql(
        server,
        None,
        &format!("query($t: String!) {{ publicCheck(token: $t) {{ {PAGE} }} }}"),
        json!({ "t": token }),
    )
    .await;
    answer.data()["publicCheck"].clone()
}
