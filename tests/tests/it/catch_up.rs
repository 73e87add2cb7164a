//! Catch-up over the real server and the Lever simulator: stage-change
//! webhooks dropped by Lever are found and processed exactly once; running
//! catch-up again, or a late webhook after it, does nothing twice; progress
//! is reported; a revoked connection pauses the job; the periodic schedule
//! runs; another company's connection is NOT_FOUND and non-admins are
//! FORBIDDEN.
use std::time::Duration;

use entity::lever_connection::ConnectionStatus;
use entity::lever_webhook_delivery::{self, DeliverySource, DeliveryStatus};
use entity::Role;
use lever_sim::{DataCentre, Faults, NewApiKey, NewCandidate, NewPosting, NewStage};
use serde_json::{json, Value};
use uuid::Uuid;
use vouch_tests::lever::LeverWorld;
use vouch_tests::lever_webhooks::{deliveries, seed_connection, webhook_url};
use vouch_tests::{eventually, TestServer, TestUser};

const CATCH_UP: &str = "mutation($id: UUID!) { catchUp(connectionId: $id) { id kind status } }";
const JOB: &str =
    "query($id: UUID!) { job(id: $id) { id kind status progressDone progressTotal lastError } }";

struct Fixture {
    world: LeverWorld,
    server: TestServer,
    admin: TestUser,
    connection: Uuid,
    posting: String,
    stage: String,
}

/// A company in the simulator with a posting and a "Reference check" stage,
/// connected by API key, a rule starting the standard reference check in
/// that stage, and a UI webhook for stage changes pointing at Vouch.
async fn fixture() -> Fixture {
    let world = LeverWorld::start(DataCentre::Us).await;
    let server = TestServer::start_with_lever(&world).await;
    let admin = server.user("Acme", "admin@acme.test", Role::SuperAdmin).await;
    let company = world.company_id.clone();
    let posting = world
        .sim
        .add_posting(
            &company,
            NewPosting {
                text: "Backend Engineer".into(),
                owner: Some(world.lever_admin_id.clone()),
                ..NewPosting::default()
            },
        )
        .expect("posting")
        .id;
    let stage = world
        .sim
        .add_stage(&company, NewStage { id: None, text: "Reference check".into() })
        .expect("stage")
        .id;
    let key = world.sim.create_api_key(&company, NewApiKey::default()).expect("key").key;
    let gql = server.graphql();
    let connected = gql
        .run(
            Some(&admin.token),
            "mutation($key: String!) { connectLeverWithApiKey(dataCentre: US, apiKey: $key) { connection { id } } }",
            json!({ "key": key }),
        )
        .await;
    let connection: Uuid =
        serde_json::from_value(connected.data()["connectLeverWithApiKey"]["connection"]["id"].clone())
            .expect("connection id");
    let refreshed = gql
        .run(
            Some(&admin.token),
            "mutation($id: UUID!) { refreshLeverCatalogue(connectionId: $id) { id } }",
            json!({ "id": connection }),
        )
        .await;
    let job = refreshed.data()["refreshLeverCatalogue"]["id"].as_str().expect("job id").to_owned();
    assert_eq!(gql.finished_job(&admin.token, &job).await["status"], "DONE");
    let templates = gql.run(Some(&admin.token), "{ templates { id name steps { id } } }", json!({})).await;
    let standard = templates.data()["templates"]
        .as_array()
        .expect("templates")
        .iter()
        .find(|t| t["name"] == "Standard reference check")
        .expect("the standard template")
        .clone();
    let rule = gql
        .run(
            Some(&admin.token),
            "mutation($i: RuleInput!) { createRule(input: $i) { id enabled } }",
            json!({ "i": {
                "name": "Engineering references",
                "postingIds": [posting],
                "templateId": standard["id"],
                "language": "EN",
                "steps": [ { "stepId": standard["steps"][0]["id"], "stageId": stage } ],
            } }),
        )
        .await;
    assert_eq!(rule.data()["createRule"]["enabled"], true, "{}", rule.body);
    // Connecting registered Vouch's webhooks through Lever's API; wait until
    // their signing tokens are stored so deliveries verify.
    eventually("Vouch's webhooks registered", Duration::from_secs(30), || async {
        let answer = gql
            .run(Some(&admin.token), "{ leverConnection { webhooks { tokenConfigured } } }", json!({}))
            .await;
        let hooks = answer.data()["leverConnection"]["webhooks"].as_array()?.clone();
        hooks.iter().all(|w| w["tokenConfigured"] == true).then_some(())
    })
    .await;
    Fixture { world, server, admin, connection, posting, stage }
}

impl Fixture {
    fn candidate(&self, name: &str) -> String {
        self.world
            .sim
            .create_candidate(
                &self.world.company_id,
                NewCandidate {
                    name: name.into(),
                    emails: vec![format!("{}@example.com", name.to_lowercase())],
                    posting: Some(self.posting.clone()),
                    ..NewCandidate::default()
                },
            )
            .expect("candidate")
            .id
    }

    fn move_to_trigger_stage(&self, opportunity: &str) {
        self.world.sim.move_candidate(&self.world.company_id, opportunity, &self.stage, None).expect("move");
    }

    /// Runs catch-up through GraphQL and waits for its job to finish.
    async fn catch_up(&self) -> Value {
        let started = self
            .server
            .graphql()
            .run(Some(&self.admin.token), CATCH_UP, json!({ "id": self.connection }))
            .await;
        let job = started.data()["catchUp"].clone();
        assert_eq!(job["kind"], "lever.catch_up", "{}", started.body);
        let id = job["id"].clone();
        eventually("the catch-up job to finish", Duration::from_secs(20), || async {
            let answer = self.server.graphql().run(Some(&self.admin.token), JOB, json!({ "id": id })).await;
            let job = answer.data()["job"].clone();
            (job["status"] != "QUEUED" && job["status"] != "RUNNING").then_some(job)
        })
        .await
    }

    /// Stage-change deliveries of one opportunity, once none awaits processing.
    async fn stage_changes(&self, opportunity: &str) -> Vec<lever_webhook_delivery::Model> {
        let all = eventually("every delivery to be processed", Duration::from_secs(20), || async {
            let rows = deliveries(&self.server.db).await;
            rows.iter().all(|d| d.status != DeliveryStatus::Received).then_some(rows)
        })
        .await;
        all.into_iter()
            .filter(|d| d.event == "candidateStageChange" && d.opportunity_id.as_deref() == Some(opportunity))
            .collect()
    }

    /// How many times the processor applied a stage change of the opportunity.
    async fn times_processed(&self, opportunity: &str) -> i32 {
        self.stage_changes(opportunity).await.iter().map(|d| d.process_count).sum()
    }
}

#[tokio::test]
async fn lost_stage_changes_are_caught_up_exactly_once() {
    let f = fixture().await;
    let delivered = f.candidate("Ada");
    let lost_one = f.candidate("Bob");
    let lost_two = f.candidate("Cyd");
    let elsewhere = f.candidate("Dee"); // stays in the new-applicant stage

    f.move_to_trigger_stage(&delivered);
    let webhook = eventually("Ada's webhook to arrive", Duration::from_secs(10), || async {
        let rows = f.stage_changes(&delivered).await;
        (!rows.is_empty()).then_some(rows)
    })
    .await;
    assert_eq!(webhook.len(), 1);
    assert_eq!(webhook[0].source, DeliverySource::Webhook);

    f.world.sim.set_faults(Faults { drop_next_deliveries: 2, ..Faults::default() }).expect("faults");
    f.move_to_trigger_stage(&lost_one);
    f.move_to_trigger_stage(&lost_two);
    let dropped: Vec<_> = f
        .world
        .sim
        .deliveries()
        .into_iter()
        .filter(|d| d.event == "candidateStageChange" && format!("{:?}", d.result) == "Dropped")
        .collect();
    assert_eq!(dropped.len(), 2, "the simulator dropped both deliveries");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(f.stage_changes(&lost_one).await.is_empty(), "nothing arrived for Bob");

    let job = f.catch_up().await;
    assert_eq!(job["status"], "DONE", "{job}");
    assert_eq!(job["progressTotal"], 3, "three opportunities sit in the trigger stage: {job}");
    assert_eq!(job["progressDone"], 3, "{job}");

    for opportunity in [&delivered, &lost_one, &lost_two] {
        assert_eq!(f.times_processed(opportunity).await, 1, "{opportunity} processed once");
    }
    assert!(f.stage_changes(&elsewhere).await.is_empty(), "Dee is not in a trigger stage");
    let bob = f.stage_changes(&lost_one).await;
    assert_eq!(bob.len(), 1);
    assert_eq!(bob[0].source, DeliverySource::CatchUp);
    assert_eq!(bob[0].status, DeliveryStatus::Processed);
    assert_eq!(bob[0].stage_id.as_deref(), Some(f.stage.as_str()));
    let ada = f.stage_changes(&delivered).await;
    assert_eq!(ada.len(), 1, "the delivered webhook covers Ada's stay: no catch-up row");

    // Again: nothing new.
    let before = deliveries(&f.server.db).await.len();
    assert_eq!(f.catch_up().await["status"], "DONE");
    assert_eq!(deliveries(&f.server.db).await.len(), before, "a second catch-up stores nothing");

    // Lever's late retry of Bob's dropped delivery, after catch-up stood in.
    let late = dropped
        .iter()
        .find(|d| d.opportunity_id.as_deref() == Some(lost_one.as_str()))
        .expect("Bob's dropped delivery")
        .body
        .clone();
    let answer = reqwest::Client::new()
        .post(webhook_url(&f.server.base_url, f.connection))
        .json(&late)
        .send()
        .await
        .expect("late webhook");
    assert_eq!(answer.status().as_u16(), 200);
    let bob = f.stage_changes(&lost_one).await;
    assert_eq!(bob.len(), 2, "the late webhook is stored");
    let late_row = bob.iter().find(|d| d.source == DeliverySource::Webhook).expect("webhook row");
    assert_eq!(late_row.status, DeliveryStatus::Ignored, "{late_row:?}");
    assert!(late_row.detail.as_deref().unwrap_or_default().contains("catch-up"), "{late_row:?}");
    assert_eq!(f.times_processed(&lost_one).await, 1, "the late webhook did nothing twice");

    // And catch-up once more after the late webhook: still nothing new.
    let before = deliveries(&f.server.db).await.len();
    assert_eq!(f.catch_up().await["status"], "DONE");
    assert_eq!(deliveries(&f.server.db).await.len(), before);
    for opportunity in [&delivered, &lost_one, &lost_two] {
        assert_eq!(f.times_processed(opportunity).await, 1, "{opportunity} still processed once");
    }

    // A new stay in the stage (moved out and back, both webhooks lost) is a
    // new stage change: caught up once more.
    f.world.sim.set_faults(Faults { drop_next_deliveries: 2, ..Faults::default() }).expect("faults");
    f.world.sim.move_candidate(&f.world.company_id, &lost_two, "applicant-new", None).expect("move out");
    tokio::time::sleep(Duration::from_millis(5)).await;
    f.move_to_trigger_stage(&lost_two);
    assert_eq!(f.catch_up().await["status"], "DONE");
    assert_eq!(f.times_processed(&lost_two).await, 2, "the second stay is processed too");
}

#[tokio::test]
async fn a_webhook_processed_first_leaves_catch_up_nothing_to_do() {
    let f = fixture().await;
    let opportunity = f.candidate("Eve");
    // The catch-up row may be stored before the webhook arrives; whichever
    // is processed first, the stage change is applied once.
    f.move_to_trigger_stage(&opportunity);
    let (job, _) = tokio::join!(f.catch_up(), async {
        eventually("Eve's webhook", Duration::from_secs(10), || async {
            let rows = f.stage_changes(&opportunity).await;
            rows.iter().any(|d| d.source == DeliverySource::Webhook).then_some(())
        })
        .await
    });
    assert_eq!(job["status"], "DONE");
    assert_eq!(f.times_processed(&opportunity).await, 1);
    assert_eq!(f.catch_up().await["status"], "DONE");
    assert_eq!(f.times_processed(&opportunity).await, 1);
}

#[tokio::test]
async fn catch_up_is_admin_only_and_tenant_scoped_and_pauses_when_revoked() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let member = server.user("Acme", "member@acme.test", Role::TeamMember).await;
    let other = server.user("Globex", "admin@globex.test", Role::SuperAdmin).await;
    let revoked = seed_connection(&server.db, admin.organization_id, ConnectionStatus::Revoked).await;
    let gql = server.graphql();

    let foreign = gql.run(Some(&other.token), CATCH_UP, json!({ "id": revoked })).await;
    assert_eq!(foreign.error_code(), Some("NOT_FOUND"), "{}", foreign.body);
    assert!(!foreign.body.to_string().contains(&revoked.to_string()), "reveals nothing");
    let forbidden = gql.run(Some(&member.token), CATCH_UP, json!({ "id": revoked })).await;
    assert_eq!(forbidden.error_code(), Some("FORBIDDEN"), "{}", forbidden.body);
    let unknown = gql.run(Some(&admin.token), CATCH_UP, json!({ "id": Uuid::new_v4() })).await;
    assert_eq!(unknown.error_code(), Some("NOT_FOUND"));

    let started = gql.run(Some(&admin.token), CATCH_UP, json!({ "id": revoked })).await;
    let id = started.data()["catchUp"]["id"].clone();
    let job = eventually("the job to pause", Duration::from_secs(10), || async {
        let job = gql.run(Some(&admin.token), JOB, json!({ "id": id })).await.data()["job"].clone();
        (job["status"] == "PAUSED").then_some(job)
    })
    .await;
    assert!(job["lastError"].as_str().unwrap_or_default().contains("reconnect"), "{job}");
    let peek = gql.run(Some(&other.token), JOB, json!({ "id": id })).await;
    assert_eq!(peek.error_code(), Some("NOT_FOUND"), "another company cannot read the job");
}

#[tokio::test]
async fn connected_connections_are_caught_up_periodically() {
    let server = TestServer::start_with(&["--catch-up-interval-secs", "1"]).await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let connected = seed_connection(&server.db, admin.organization_id, ConnectionStatus::Connected).await;
    let revoked = seed_connection(&server.db, admin.organization_id, ConnectionStatus::Revoked).await;
    let jobs = "query($c: UUID!) { jobs(connectionId: $c) { kind status } }";
    let done = eventually("a periodic catch-up to run", Duration::from_secs(10), || async {
        let answer = server.graphql().run(Some(&admin.token), jobs, json!({ "c": connected })).await;
        let list = answer.data()["jobs"].as_array().cloned().unwrap_or_default();
        list.iter().any(|j| j["kind"] == "lever.catch_up" && j["status"] == "DONE").then_some(list)
    })
    .await;
    assert!(!done.is_empty());
    let answer = server.graphql().run(Some(&admin.token), jobs, json!({ "c": revoked })).await;
    assert_eq!(answer.data()["jobs"], json!([]), "no catch-up is scheduled for a revoked connection");
}
