//! `POST /webhooks/lever/{connection_id}` over real HTTP: every fixture is
//! accepted and processed, bad input is refused and writes nothing,
//! duplicates are stored and processed once, late events do not override
//! newer ones, rotated tokens keep working, and the webhook log and job list
//! in GraphQL are admin-only and tenant-scoped.
use std::time::Duration;

use entity::lever_connection::ConnectionStatus;
use entity::lever_webhook_delivery::DeliveryStatus;
use entity::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;
use vouch::secrets::SecretStore;
use vouch_tests::lever_webhooks::{
    add_token, attach_api_key, deliveries, event, fixture, job_count, lever_for_seeded_connections, resign,
    secret_store, seed_connection, webhook_url, FIXTURE_SIGNING_TOKEN,
};
use vouch_tests::{eventually, TestServer, TestUser};

const TOKEN: &str = "whsec-vouch-test-1";
const KIND: &str = vouch::webhooks::JOB_KIND;
const FAN_OUT: &str = vouch::webhooks::fan_out::JOB_KIND;

struct Setup {
    _lever: vouch_tests::lever::LeverWorld,
    server: TestServer,
    admin: TestUser,
    secrets: SecretStore,
    connection: Uuid,
}

async fn setup() -> Setup {
    let (lever, key) = lever_for_seeded_connections().await;
    let server = TestServer::start_with_lever(&lever).await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let secrets = secret_store(&server.config.secret_key);
    let connection = seed_connection(&server.db, admin.organization_id, ConnectionStatus::Connected).await;
    attach_api_key(&server.db, &secrets, admin.organization_id, connection, &key).await;
    add_token(&server.db, &secrets, admin.organization_id, connection, None, TOKEN).await;
    Setup { _lever: lever, server, admin, secrets, connection }
}

async fn post(url: &str, body: &Value) -> (u16, Value) {
    post_raw(url, serde_json::to_vec(body).expect("serialise")).await
}

async fn post_raw(url: &str, body: Vec<u8>) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

/// Waits until no delivery is waiting for its processing job.
async fn all_settled(s: &Setup) -> Vec<entity::lever_webhook_delivery::Model> {
    eventually("every delivery to be processed", Duration::from_secs(20), || async {
        let rows = deliveries(&s.server.db).await;
        rows.iter().all(|d| d.status != DeliveryStatus::Received).then_some(rows)
    })
    .await
}

#[tokio::test]
async fn every_fixture_is_accepted_and_processed_once() {
    let s = setup().await;
    add_token(&s.server.db, &s.secrets, s.admin.organization_id, s.connection, None, FIXTURE_SIGNING_TOKEN)
        .await;
    let url = webhook_url(&s.server.base_url, s.connection);
    let names = [
        "webhook-applicationCreated.json",
        "webhook-candidateStageChange.json",
        "webhook-candidateStageChange-legacy.json",
        "webhook-candidateArchiveChange.json",
        "webhook-candidateHired.json",
        "webhook-candidateDeleted.json",
        "webhook-verify-ping.json",
    ];
    for name in names {
        // As signed in the fixture file, with no re-signing.
        let (status, body) = post(&url, &fixture(name)).await;
        assert_eq!(status, 200, "{name}: {body}");
    }
    let rows = all_settled(&s).await;
    assert_eq!(rows.len(), names.len());
    let ping = rows.iter().find(|d| d.opportunity_id.is_none()).expect("the verify ping is logged");
    assert_eq!(ping.status, DeliveryStatus::Ignored);
    assert_eq!(
        job_count(&s.server.db, KIND).await,
        6,
        "a job per delivery naming an opportunity, none for the ping"
    );
    for row in rows.iter().filter(|d| d.opportunity_id.is_some()) {
        assert_eq!(row.status, DeliveryStatus::Processed, "{}: {:?}", row.event, row.detail);
        assert_eq!(row.process_count, 1, "{}", row.event);
    }
}

#[tokio::test]
async fn bad_input_is_refused_and_writes_nothing() {
    let s = setup().await;
    let url = webhook_url(&s.server.base_url, s.connection);
    let good = resign(fixture("webhook-candidateStageChange.json"), TOKEN);

    let other = seed_connection(&s.server.db, s.admin.organization_id, ConnectionStatus::Connected).await;
    add_token(&s.server.db, &s.secrets, s.admin.organization_id, other, None, "another-connections-token")
        .await;
    let disconnected =
        seed_connection(&s.server.db, s.admin.organization_id, ConnectionStatus::Disconnected).await;
    add_token(&s.server.db, &s.secrets, s.admin.organization_id, disconnected, None, TOKEN).await;

    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = good.clone();
        body.as_object_mut().expect("object").remove(field);
        body
    };
    let cases: Vec<(&str, String, Vec<u8>, u16)> = vec![
        ("wrong signature", url.clone(), bytes(&with("signature", json!("00".repeat(32)))), 401),
        ("signature not hex", url.clone(), bytes(&with("signature", json!("zz"))), 401),
        (
            "another connection's token",
            url.clone(),
            bytes(&resign(good.clone(), "another-connections-token")),
            401,
        ),
        ("missing signature", url.clone(), bytes(&without("signature")), 401),
        ("token changed after signing", url.clone(), bytes(&with("token", json!("forged"))), 401),
        ("missing token", url.clone(), bytes(&without("token")), 400),
        ("missing event", url.clone(), bytes(&without("event")), 400),
        ("missing triggeredAt", url.clone(), bytes(&without("triggeredAt")), 400),
        ("triggeredAt a float", url.clone(), bytes(&with("triggeredAt", json!(1763900000123.5))), 400),
        ("triggeredAt a string", url.clone(), bytes(&with("triggeredAt", json!("1763900000123"))), 400),
        ("data not an object", url.clone(), bytes(&with("data", json!([1, 2]))), 400),
        ("not JSON", url.clone(), b"event=candidateHired&token=x".to_vec(), 400),
        ("a JSON array", url.clone(), b"[]".to_vec(), 400),
        ("1 MB body", url.clone(), one_megabyte(&good), 413),
        ("unknown connection", webhook_url(&s.server.base_url, Uuid::new_v4()), bytes(&good), 404),
        ("malformed connection id", s.server.url("/webhooks/lever/not-a-uuid"), bytes(&good), 404),
        ("disconnected connection", webhook_url(&s.server.base_url, disconnected), bytes(&good), 404),
    ];
    for (what, url, body, expected) in cases {
        let (status, answer) = post_raw(&url, body).await;
        assert_eq!(status, expected, "{what}: {answer}");
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{what}: the answer says what was wrong: {answer}");
        if expected == 400 {
            assert!(message.contains(':'), "{what}: names the field: {message}");
        }
    }
    assert!(deliveries(&s.server.db).await.is_empty(), "nothing stored for a refused request");
    assert_eq!(job_count(&s.server.db, KIND).await, 0);

    let metrics = reqwest::get(s.server.url("/metrics")).await.expect("metrics").text().await.expect("text");
    for result in ["unauthorized", "bad_request", "too_large", "not_found"] {
        let wanted = format!("result=\"{result}\"");
        assert!(
            metrics.lines().any(|l| l.starts_with("lever_webhooks_received_total") && l.contains(&wanted)),
            "metrics count {result}"
        );
    }
    // And the good body itself is accepted.
    assert_eq!(post(&url, &good).await.0, 200);
}

fn bytes(body: &Value) -> Vec<u8> {
    serde_json::to_vec(body).expect("serialise")
}

fn one_megabyte(good: &Value) -> Vec<u8> {
    let mut body = good.clone();
    body["data"]["padding"] = json!("x".repeat(1024 * 1024));
    bytes(&body)
}

#[tokio::test]
async fn unknown_events_and_test_deliveries_are_stored_and_ignored() {
    let s = setup().await;
    let url = webhook_url(&s.server.base_url, s.connection);
    let interview = event(TOKEN, "interviewCreated", "opp-1", 1_763_900_000_000, "tok-interview");
    let (status, body) = post(&url, &interview).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ignored")));
    let ping = resign(fixture("webhook-verify-ping.json"), TOKEN);
    assert_eq!(post(&url, &ping).await.0, 200);
    let rows = deliveries(&s.server.db).await;
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|d| d.status == DeliveryStatus::Ignored && d.process_count == 0));
    assert_eq!(job_count(&s.server.db, KIND).await, 0, "nothing to process");
}

#[tokio::test]
async fn a_delivery_sent_ten_times_at_once_is_stored_and_processed_once() {
    let s = setup().await;
    let url = webhook_url(&s.server.base_url, s.connection);
    let body = resign(fixture("webhook-candidateHired.json"), TOKEN);
    let sends = (0..10).map(|_| post(&url, &body));
    let answers = futures::future::join_all(sends).await;
    assert!(answers.iter().all(|(status, _)| *status == 200), "{answers:?}");
    let stored = answers.iter().filter(|(_, b)| b["status"] == "stored").count();
    assert_eq!(stored, 1, "exactly one request stored it: {answers:?}");
    let rows = all_settled(&s).await;
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].status, rows[0].process_count), (DeliveryStatus::Processed, 1));
    assert_eq!(job_count(&s.server.db, KIND).await, 1);
    // Repeats in a later batch found the key taken: no fan-out job for them.
    assert_eq!(job_count(&s.server.db, FAN_OUT).await, 1);
}

#[tokio::test]
async fn a_fan_out_job_run_again_enqueues_no_processing_job_twice() {
    let s = setup().await;
    let url = webhook_url(&s.server.base_url, s.connection);
    let sends = (0..3).map(|n| {
        let body = event(TOKEN, "candidateHired", &format!("opp-{n}"), 1_000 + n, &format!("tok-{n}"));
        let url = url.clone();
        async move { post(&url, &body).await.0 }
    });
    assert!(futures::future::join_all(sends).await.iter().all(|status| *status == 200));
    all_settled(&s).await;
    assert_eq!(job_count(&s.server.db, KIND).await, 3);
    let fan_outs = entity::job::Entity::find()
        .filter(entity::job::Column::Kind.eq(FAN_OUT))
        .all(&s.server.db)
        .await
        .expect("read jobs");
    assert!(!fan_outs.is_empty());
    // As if each had died after its insert and run again (a new key, so the
    // queue takes it; the payload names the same deliveries).
    for job in &fan_outs {
        let again = vouch::jobs::NewJob {
            organization_id: job.organization_id,
            connection_id: job.connection_id,
            ..vouch::jobs::NewJob::new(FAN_OUT, format!("{}:again", job.idempotency_key), job.payload.clone())
        };
        vouch::jobs::enqueue(&s.server.db, again).await.expect("enqueue");
    }
    eventually("the fan-out jobs to run again", Duration::from_secs(20), || async {
        let jobs = entity::job::Entity::find()
            .filter(entity::job::Column::Kind.eq(FAN_OUT))
            .all(&s.server.db)
            .await
            .expect("read jobs");
        (jobs.len() == 2 * fan_outs.len() && jobs.iter().all(|j| j.status == entity::job::JobStatus::Done))
            .then_some(())
    })
    .await;
    assert_eq!(job_count(&s.server.db, KIND).await, 3, "no delivery got a second processing job");
    let rows = deliveries(&s.server.db).await;
    assert!(rows.iter().all(|d| d.process_count == 1), "{rows:?}");
}

#[tokio::test]
async fn a_late_older_stage_change_does_not_override_a_newer_one() {
    let s = setup().await;
    let url = webhook_url(&s.server.base_url, s.connection);
    let newer = event(TOKEN, "candidateStageChange", "opp-7", 2_000, "tok-newer");
    let older = event(TOKEN, "candidateStageChange", "opp-7", 1_000, "tok-older");
    let other_opportunity = event(TOKEN, "candidateStageChange", "opp-8", 500, "tok-other");
    assert_eq!(post(&url, &newer).await.0, 200);
    all_settled(&s).await;
    assert_eq!(post(&url, &older).await.0, 200);
    assert_eq!(post(&url, &other_opportunity).await.0, 200);
    // An older archive change is a different family: it still applies.
    let archive = event(TOKEN, "candidateArchiveChange", "opp-7", 1_500, "tok-archive");
    assert_eq!(post(&url, &archive).await.0, 200);
    let rows = all_settled(&s).await;
    let by_token = |t: &str| rows.iter().find(|d| d.token == t).expect("stored");
    assert_eq!(by_token("tok-newer").status, DeliveryStatus::Processed);
    let stale = by_token("tok-older");
    assert_eq!((stale.status, stale.process_count), (DeliveryStatus::Stale, 0), "{:?}", stale.detail);
    assert_eq!(by_token("tok-other").status, DeliveryStatus::Processed);
    assert_eq!(by_token("tok-archive").status, DeliveryStatus::Processed);
}

#[tokio::test]
async fn rotated_tokens_both_verify_until_the_old_one_is_retired() {
    let s = setup().await;
    let org = s.admin.organization_id;
    let url = webhook_url(&s.server.base_url, s.connection);
    let hired_only =
        add_token(&s.server.db, &s.secrets, org, s.connection, Some("candidateHired"), "hired-token").await;
    let active = vouch::webhooks::tokens::list_active(&s.server.db, org, s.connection).await.expect("list");
    assert_eq!(active.len(), 2);

    // A per-event token verifies its event only.
    assert_eq!(post(&url, &event("hired-token", "candidateHired", "o1", 1, "a")).await.0, 200);
    assert_eq!(post(&url, &event("hired-token", "candidateStageChange", "o1", 2, "b")).await.0, 401);

    // Rotation: the new token and the old one both verify...
    let rotated =
        add_token(&s.server.db, &s.secrets, org, s.connection, Some("candidateHired"), "hired-token-2").await;
    assert_eq!(post(&url, &event("hired-token-2", "candidateHired", "o1", 3, "c")).await.0, 200);
    assert_eq!(post(&url, &event("hired-token", "candidateHired", "o1", 4, "d")).await.0, 200);
    // ...until the old one is retired.
    vouch::webhooks::tokens::retire(&s.server.db, &s.secrets, org, hired_only).await.expect("retire");
    assert_eq!(post(&url, &event("hired-token", "candidateHired", "o1", 5, "e")).await.0, 401);
    assert_eq!(post(&url, &event("hired-token-2", "candidateHired", "o1", 6, "f")).await.0, 200);
    let active = vouch::webhooks::tokens::list_active(&s.server.db, org, s.connection).await.expect("list");
    assert!(active.iter().any(|t| t.id == rotated) && !active.iter().any(|t| t.id == hired_only));

    // Tokens are refused for another organization's connection.
    let stranger = s.server.user("Globex", "admin@globex.test", Role::Admin).await;
    let err = vouch::webhooks::tokens::add(
        &s.server.db,
        &s.secrets,
        stranger.organization_id,
        s.connection,
        None,
        &vouch::secrets::Redacted::new("x"),
        None,
    )
    .await
    .expect_err("another company's connection");
    assert!(matches!(err, vouch::domain::DomainError::NotFound { .. }), "{err:?}");
}

const LOG: &str = "query($c: UUID) {
    webhookDeliveries(connectionId: $c) { id event opportunityId triggeredAt result detail }
    jobs { id kind status attempts lastError progressDone progressTotal createdAt finishedAt }
}";

#[tokio::test]
async fn admins_see_the_webhook_log_and_replay_deliveries_in_their_own_company_only() {
    let s = setup().await;
    let url = webhook_url(&s.server.base_url, s.connection);
    assert_eq!(post(&url, &resign(fixture("webhook-candidateHired.json"), TOKEN)).await.0, 200);
    all_settled(&s).await;
    let gql = s.server.graphql();

    let answer = gql.run(Some(&s.admin.token), LOG, json!({ "c": s.connection })).await;
    let data = answer.data();
    let delivery = &data["webhookDeliveries"][0];
    assert_eq!(delivery["event"], "candidateHired");
    assert_eq!(delivery["result"], "PROCESSED");
    assert_eq!(delivery["triggeredAt"], "2025-11-23T12:13:20.999+00:00", "{delivery}");
    assert_eq!(data["jobs"][0]["status"], "DONE");
    assert_eq!(data["jobs"][0]["kind"], KIND);
    let delivery_id = delivery["id"].as_str().expect("id").to_owned();

    // Replay: a new job, and the delivery is processed a second time.
    let replay = "mutation($id: UUID!) { replayWebhook(id: $id) { id kind status } }";
    let answer = gql.run(Some(&s.admin.token), replay, json!({ "id": delivery_id })).await;
    assert_eq!(answer.data()["replayWebhook"]["kind"], KIND, "{:?}", answer.body);
    eventually("the replay to run", Duration::from_secs(20), || async {
        let rows = deliveries(&s.server.db).await;
        (rows[0].process_count == 2).then_some(())
    })
    .await;
    assert_eq!(job_count(&s.server.db, KIND).await, 2);

    // Only FAILED jobs are retried.
    let job_id = data["jobs"][0]["id"].as_str().expect("job id");
    let retry = "mutation($id: UUID!) { retryJob(id: $id) { id status } }";
    let answer = gql.run(Some(&s.admin.token), retry, json!({ "id": job_id })).await;
    assert_eq!(answer.error_code(), Some("CONFLICT"), "{:?}", answer.body);

    // Another company sees nothing and can touch nothing.
    let stranger = s.server.user("Globex", "admin@globex.test", Role::Admin).await;
    let answer = gql.run(Some(&stranger.token), LOG, json!({ "c": s.connection })).await;
    assert_eq!(answer.data()["webhookDeliveries"], json!([]));
    assert_eq!(answer.data()["jobs"], json!([]));
    let answer = gql.run(Some(&stranger.token), replay, json!({ "id": delivery_id })).await;
    assert_eq!(answer.error_code(), Some("NOT_FOUND"));
    let answer = gql.run(Some(&stranger.token), retry, json!({ "id": job_id })).await;
    assert_eq!(answer.error_code(), Some("NOT_FOUND"));

    // Team members are not admins.
    let member = s.server.user("Acme", "member@acme.test", Role::TeamMember).await;
    let answer = gql.run(Some(&member.token), LOG, json!({ "c": s.connection })).await;
    assert_eq!(answer.error_code(), Some("FORBIDDEN"));
    let answer = gql.run(Some(&member.token), replay, json!({ "id": delivery_id })).await;
    assert_eq!(answer.error_code(), Some("FORBIDDEN"));
}

#[tokio::test]
async fn over_the_in_flight_limit_requests_are_shed_with_503_and_every_200_is_stored() {
    let server = TestServer::start_with(&["--webhook-max-in-flight", "1"]).await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let secrets = secret_store(&server.config.secret_key);
    let connection = seed_connection(&server.db, admin.organization_id, ConnectionStatus::Connected).await;
    add_token(&server.db, &secrets, admin.organization_id, connection, None, TOKEN).await;
    let url = webhook_url(&server.base_url, connection);
    let http = reqwest::Client::new();
    let (mut accepted, mut shed) = (0usize, 0usize);
    for round in 0..5 {
        let sends = (0..60).map(|n| {
            let body =
                event(TOKEN, "candidateHired", &format!("opp-{round}-{n}"), 1_717_000_000_000 + n, "t");
            let (http, url) = (http.clone(), url.clone());
            async move { http.post(url).json(&body).send().await.expect("request") }
        });
        for answer in futures::future::join_all(sends).await {
            match answer.status().as_u16() {
                200 => accepted += 1,
                503 => {
                    assert_eq!(answer.headers()["retry-after"], "1", "a shed request says when to retry");
                    shed += 1;
                }
                other => panic!("unexpected status {other}"),
            }
        }
        if shed > 0 {
            break;
        }
    }
    assert!(shed > 0, "with one request at a time, a burst of 60 must shed some");
    assert!(accepted > 0, "and accept some");
    assert_eq!(deliveries(&server.db).await.len(), accepted, "every 200 is stored, nothing else");
}
