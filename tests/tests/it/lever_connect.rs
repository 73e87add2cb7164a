//! Connecting Lever (DESIGN.md flows 1, 2, 12) against the simulator:
//! OAuth through the consent page, API keys with a permission report,
//! catalogue refresh, revocation, reconnection and disconnection.
use entity::Role;
use lever_sim::{DataCentre, NewApiKey, NewPosting, NewStage};
use std::time::Duration;

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde_json::{json, Value};
use vouch_tests::lever::LeverWorld;
use vouch_tests::{TestServer, TestUser};

const CONNECTION: &str =
    "{ leverConnection { id status statusReason authMode dataCentre scopes lastSuccessAt webhookUrl } }";

async fn start_oauth(server: &TestServer, admin: &TestUser, dc: &str) -> String {
    let answer = server
        .graphql()
        .run(
            Some(&admin.token),
            "mutation($dc: LeverDataCentre!) { startLeverOAuth(dataCentre: $dc) }",
            json!({ "dc": dc }),
        )
        .await;
    answer.data()["startLeverOAuth"].as_str().expect("authorize URL").to_owned()
}

/// The `state` parameter of an authorize URL.
fn state_of(authorize_url: &str) -> String {
    url::Url::parse(authorize_url)
        .expect("url")
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .expect("state")
}

/// Sends Lever's redirect to Vouch's callback; answers where Vouch sends the browser.
async fn callback(server: &TestServer, query: &str) -> String {
    let http =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let answer =
        http.get(server.url(&format!("/oauth/lever/callback{query}"))).send().await.expect("callback");
    assert_eq!(answer.status().as_u16(), 303, "the callback redirects to the app");
    answer.headers()["location"].to_str().expect("location").to_owned()
}

fn query_of(url: &str) -> String {
    url.find('?').map(|i| url[i..].to_owned()).unwrap_or_default()
}

async fn connect_by_oauth(world: &LeverWorld, server: &TestServer, admin: &TestUser) -> Value {
    let authorize = start_oauth(server, admin, "US").await;
    let lever_redirect = world.consent(&authorize, true).await;
    assert!(lever_redirect.contains("/oauth/lever/callback?"), "{lever_redirect}");
    let landing = callback(server, &query_of(&lever_redirect)).await;
    assert!(landing.starts_with("/integrations?lever=connected"), "{landing}");
    server.graphql().run(Some(&admin.token), CONNECTION, json!({})).await.data()["leverConnection"].clone()
}

async fn finished_job(server: &TestServer, admin: &TestUser, id: &str) -> Value {
    server.graphql().finished_job(&admin.token, id).await
}

async fn refresh(server: &TestServer, admin: &TestUser, connection_id: &str) -> Value {
    let answer = server
        .graphql()
        .run(
            Some(&admin.token),
            "mutation($id: UUID!) { refreshLeverCatalogue(connectionId: $id) { id status } }",
            json!({ "id": connection_id }),
        )
        .await;
    let id = answer.data()["refreshLeverCatalogue"]["id"].as_str().expect("job id").to_owned();
    finished_job(server, admin, &id).await
}

async fn secrets_of(server: &TestServer, purpose: &str) -> usize {
    entity::secret::Entity::find()
        .all(&server.db)
        .await
        .expect("secrets")
        .iter()
        .filter(|s| s.purpose == purpose)
        .count()
}

/// Vouch's webhooks in the simulator that point at `url`.
fn lever_webhooks_at(world: &LeverWorld, url: &str) -> Vec<String> {
    let mut events: Vec<String> = world
        .sim
        .webhooks(&world.company_id)
        .expect("webhooks")
        .into_iter()
        .filter(|w| w.url == url)
        .map(|w| w.event)
        .collect();
    events.sort();
    events
}

/// Waits until Vouch's five webhooks exist in Lever and their signing tokens
/// are stored.
async fn webhooks_ready(server: &TestServer, admin: &TestUser, world: &LeverWorld, url: &str) {
    let query = "{ leverConnection { webhooks { tokenConfigured registeredByVouch } } }";
    vouch_tests::eventually(
        "the webhooks registered and their tokens stored",
        Duration::from_secs(30),
        || async {
            let answer = server.graphql().run(Some(&admin.token), query, json!({})).await;
            let hooks = answer.data()["leverConnection"]["webhooks"].as_array()?.clone();
            let stored = hooks.iter().all(|w| w["tokenConfigured"] == true && w["registeredByVouch"] == true);
            (stored && lever_webhooks_at(world, url).len() == 5).then_some(())
        },
    )
    .await;
}

/// "Send test" posts a signed delivery that the route accepts.
async fn assert_test_delivery_accepted(server: &TestServer, admin: &TestUser, connection_id: &str) {
    let test = server
        .graphql()
        .run(
            Some(&admin.token),
            "mutation($id: UUID!) { sendLeverTestWebhook(connectionId: $id) { ok message } }",
            json!({ "id": connection_id }),
        )
        .await;
    assert_eq!(test.data()["sendLeverTestWebhook"]["ok"], true, "{}", test.body);
}

async fn seed_catalogue(world: &LeverWorld) {
    let sim = &world.sim;
    sim.add_stage(&world.company_id, NewStage { id: None, text: "Reference check".into() }).expect("stage");
    for title in ["Robot Whisperer", "Gear Engineer"] {
        sim.add_posting(
            &world.company_id,
            NewPosting {
                text: title.into(),
                owner: Some(world.lever_admin_id.clone()),
                ..NewPosting::default()
            },
        )
        .expect("posting");
    }
}

#[tokio::test]
async fn oauth_connects_through_the_consent_page_and_reads_the_catalogue() {
    let world = LeverWorld::start(DataCentre::Us).await;
    seed_catalogue(&world).await;
    let server = TestServer::start_with_lever(&world).await;
    let admin = server.user("Acme", "ada@acme.test", Role::SuperAdmin).await;

    let authorize = start_oauth(&server, &admin, "US").await;
    for parameter in ["audience=", "prompt=consent", "response_type=code", "offline_access", "state="] {
        assert!(authorize.contains(parameter), "authorize URL has {parameter}: {authorize}");
    }
    let connection = connect_by_oauth(&world, &server, &admin).await;
    assert_eq!(connection["status"], "CONNECTED");
    assert_eq!(connection["authMode"], "OAUTH");
    assert!(connection["scopes"].as_array().is_some_and(|s| !s.is_empty()));
    let id = connection["id"].as_str().expect("id").to_owned();
    assert_eq!(connection["webhookUrl"], server.url(&format!("/webhooks/lever/{id}")));

    // Connecting queued the catalogue read and the webhook registration.
    let sync = "query($id: UUID!) { jobs(connectionId: $id) { kind status progressDone progressTotal } }";
    let synced = vouch_tests::eventually("the catalogue job", Duration::from_secs(30), || async {
        let answer = server.graphql().run(Some(&admin.token), sync, json!({ "id": id })).await;
        let jobs = answer.data()["jobs"].as_array()?.clone();
        jobs.into_iter().find(|j| j["kind"] == "lever.catalogue_sync" && j["status"] == "DONE")
    })
    .await;
    assert_eq!(synced["progressDone"], synced["progressTotal"], "progress reported to the end: {synced}");
    let postings = entity::lever_posting::Entity::find().all(&server.db).await.expect("postings");
    assert_eq!(postings.len(), 2);
    assert!(postings.iter().all(|p| p.gone_at.is_none()));
    let stages = entity::lever_stage::Entity::find().all(&server.db).await.expect("stages");
    assert!(stages.len() > 5, "the default pipeline plus ours");
    let users = server
        .graphql()
        .run(
            Some(&admin.token),
            "query($id: UUID!) { leverUsers(connectionId: $id) { name accessRole } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(users.data()["leverUsers"][0]["name"], "Rita Recruiter");

    let url = server.url(&format!("/webhooks/lever/{id}"));
    let registered = vouch_tests::eventually("the webhooks in Lever", Duration::from_secs(30), || async {
        let events = lever_webhooks_at(&world, &url);
        (events.len() == 5).then_some(events)
    })
    .await;
    assert_eq!(
        registered,
        vec![
            "applicationCreated",
            "candidateArchiveChange",
            "candidateDeleted",
            "candidateHired",
            "candidateStageChange"
        ]
    );
    let webhooks = vouch_tests::eventually("the signing tokens", Duration::from_secs(30), || async {
        let answer = server
            .graphql()
            .run(
                Some(&admin.token),
                "{ leverConnection { webhooksManual webhooks { event tokenConfigured registeredByVouch } } }",
                json!({}),
            )
            .await;
        let connection = answer.data()["leverConnection"].clone();
        let all = connection["webhooks"]
            .as_array()?
            .iter()
            .all(|w| w["tokenConfigured"] == true && w["registeredByVouch"] == true);
        all.then_some(connection)
    })
    .await;
    assert_eq!(webhooks["webhooksManual"], false);

    assert_test_delivery_accepted(&server, &admin, &id).await;

    // An event in Lever now reaches Vouch through the registered webhook.
    world
        .sim
        .create_candidate(
            &world.company_id,
            lever_sim::NewCandidate {
                name: "Cleo Candidate".into(),
                emails: vec!["cleo@example.com".into()],
                posting: Some(postings[0].lever_id.clone()),
                ..Default::default()
            },
        )
        .expect("candidate");
    vouch_tests::eventually("the delivery in Vouch's inbox", Duration::from_secs(30), || async {
        let rows = entity::lever_webhook_delivery::Entity::find().all(&server.db).await.ok()?;
        rows.iter().any(|d| d.event == "applicationCreated" && d.opportunity_id.is_some()).then_some(())
    })
    .await;
    let stats = server
        .graphql()
        .run(
            Some(&admin.token),
            "{ leverConnection { webhookStats { lastReceivedAt lastEvent lastDay { event count } } } }",
            json!({}),
        )
        .await;
    let stats = &stats.data()["leverConnection"]["webhookStats"];
    assert!(stats["lastReceivedAt"].is_string(), "{stats}");
    let created = stats["lastDay"]
        .as_array()
        .and_then(|l| l.iter().find(|e| e["event"] == "applicationCreated").cloned());
    // Two: the signed test delivery ("Send test" above signs as the first
    // event with a token) and the candidate's application.
    assert_eq!(created.map(|e| e["count"].clone()), Some(json!(2)), "{stats}");

    // The tokens are sealed: no stored byte sequence contains them.
    let rows = entity::secret::Entity::find().all(&server.db).await.expect("secrets");
    let tokens = rows.iter().find(|r| r.purpose == "lever_oauth_tokens").expect("sealed OAuth tokens");
    assert_eq!(world.sim.grants().len(), 1, "one grant in Lever");
    let sealed = &tokens.ciphertext;
    assert!(!sealed.windows(12).any(|w| w == b"access_token"), "the token set is not stored in clear");
}

#[tokio::test]
async fn a_posting_or_stage_that_disappears_from_lever_is_marked_gone() {
    let world = LeverWorld::start(DataCentre::Us).await;
    let server = TestServer::start_with_lever(&world).await;
    let admin = server.user("Acme", "ada@acme.test", Role::SuperAdmin).await;
    let connection = connect_by_oauth(&world, &server, &admin).await;
    let id = connection["id"].as_str().expect("id");
    // A posting Vouch saw earlier that Lever no longer lists.
    entity::lever_posting::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        connection_id: Set(id.parse().expect("uuid")),
        lever_id: Set("old-posting".into()),
        text: Set("Old job".into()),
        state: Set(None),
        owner_id: Set(None),
        hiring_manager_id: Set(None),
        tags: Set(None),
        gone_at: Set(None),
        synced_at: Set(chrono::Utc::now() - chrono::Duration::days(1)),
    }
    .insert(&server.db)
    .await
    .expect("an earlier posting");
    assert_eq!(refresh(&server, &admin, id).await["status"], "DONE");
    let postings = entity::lever_posting::Entity::find().all(&server.db).await.expect("postings");
    let old = postings.iter().find(|p| p.lever_id == "old-posting").expect("kept, not deleted");
    assert!(old.gone_at.is_some(), "marked gone");
    assert!(postings.iter().filter(|p| p.lever_id != "old-posting").all(|p| p.gone_at.is_none()));
}

#[tokio::test]
async fn the_callback_refuses_bad_answers_in_plain_words() {
    let world = LeverWorld::start(DataCentre::Us).await;
    let server = TestServer::start_with_lever(&world).await;
    let admin = server.user("Acme", "ada@acme.test", Role::SuperAdmin).await;

    assert!(callback(&server, "").await.contains("lever_error=wrong_state"));
    assert!(callback(&server, "?code=abc&state=forged-state").await.contains("lever_error=wrong_state"));

    let authorize = start_oauth(&server, &admin, "US").await;
    let state = state_of(&authorize);
    let no_code = callback(&server, &format!("?state={state}")).await;
    assert!(no_code.contains("lever_error=missing_code"), "{no_code}");
    let replayed = callback(&server, &format!("?code=abc&state={state}")).await;
    assert!(replayed.contains("lever_error=wrong_state"), "a used state is refused: {replayed}");

    let denied_start = start_oauth(&server, &admin, "US").await;
    let denied = callback(&server, &query_of(&world.consent(&denied_start, false).await)).await;
    assert!(denied.contains("lever_error=denied"), "{denied}");

    let expired_start = start_oauth(&server, &admin, "US").await;
    server
        .db
        .execute_unprepared(
            "UPDATE oauth_states SET expires_at = '2000-01-01T00:00:00+00:00' WHERE used_at IS NULL",
        )
        .await
        .expect("age the state");
    let expired = callback(&server, &query_of(&world.consent(&expired_start, true).await)).await;
    assert!(expired.contains("lever_error=expired_state"), "{expired}");

    let bad_code_start = start_oauth(&server, &admin, "US").await;
    let bad_state = state_of(&bad_code_start);
    let bad_code = callback(&server, &format!("?code=not-a-real-code&state={bad_state}")).await;
    assert!(bad_code.contains("lever_error=exchange_failed"), "{bad_code}");

    let none = server.graphql().run(Some(&admin.token), CONNECTION, json!({})).await;
    assert!(none.data()["leverConnection"].is_null(), "nothing was connected");
}

#[tokio::test]
async fn a_token_endpoint_answering_500_or_junk_is_reported_not_stored() {
    for (status, body) in [(500u16, "oops"), (200, "<html>not json</html>")] {
        let fake = start_broken_token_endpoint(status, body).await;
        let world = LeverWorld::start(DataCentre::Us).await;
        let mut flags = world.server_flags();
        let at = flags.iter().position(|f| f == "--lever-us-auth-base").expect("flag") + 1;
        flags[at] = fake.clone();
        let args: Vec<&str> = flags.iter().map(String::as_str).collect();
        let server = TestServer::start_with(&args).await;
        let admin = server.user("Acme", "ada@acme.test", Role::SuperAdmin).await;
        let authorize = start_oauth(&server, &admin, "US").await;
        let state = state_of(&authorize);
        let landing = callback(&server, &format!("?code=abc&state={state}")).await;
        assert!(landing.contains("lever_error=exchange_failed"), "{status}: {landing}");
        let stored = entity::secret::Entity::find().all(&server.db).await.expect("secrets");
        assert!(stored.is_empty(), "nothing stored after a failed exchange");
    }
}

/// A stand-in for a broken Lever token endpoint (fault injection).
async fn start_broken_token_endpoint(status: u16, body: &'static str) -> String {
    let app = axum_router(status, body);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum_serve(listener, app).await });
    format!("http://{address}")
}

fn axum_router(status: u16, body: &'static str) -> axum::Router {
    let status = axum::http::StatusCode::from_u16(status).expect("status");
    axum::Router::new().fallback(move || async move { (status, body) })
}

async fn axum_serve(listener: tokio::net::TcpListener, app: axum::Router) {
    let _ = axum::serve(listener, app).await;
}

#[tokio::test]
async fn api_keys_are_probed_and_missing_permissions_named() {
    let world = LeverWorld::start(DataCentre::Eu).await;
    let server = TestServer::start_with_lever(&world).await;
    let admin = server.user("Europa", "eva@europa.test", Role::SuperAdmin).await;
    let connect = "mutation($dc: LeverDataCentre!, $key: String!) { connectLeverWithApiKey(dataCentre: $dc, apiKey: $key) { connection { id status authMode dataCentre } missingPermissions } }";

    let all = world.sim.create_api_key(&world.company_id, NewApiKey::default()).expect("key");
    let mut partial = world.sim.create_api_key(&world.company_id, NewApiKey::default()).expect("key");
    partial = world.sim.set_key_permission(&partial.key, "Create a note", false).expect("revoke one");
    partial = world.sim.set_key_permission(&partial.key, "Add tags", false).expect("revoke another");

    let lacking =
        server.graphql().run(Some(&admin.token), connect, json!({ "dc": "EU", "key": partial.key })).await;
    let payload = &lacking.data()["connectLeverWithApiKey"];
    assert!(payload["connection"].is_null(), "nothing stored");
    let missing: Vec<&str> =
        payload["missingPermissions"].as_array().expect("list").iter().filter_map(Value::as_str).collect();
    assert_eq!(missing.len(), 2, "exactly the two removed: {missing:?}");
    assert!(missing.contains(&"Create a note") && missing.contains(&"Add tags"), "{missing:?}");
    assert!(entity::secret::Entity::find().all(&server.db).await.expect("secrets").is_empty());

    // Without the webhook permissions the key still connects; the webhooks
    // are then set up by hand and their tokens pasted.
    let no_webhooks = world.sim.create_api_key(&world.company_id, NewApiKey::default()).expect("key");
    for permission in ["Create a webhook", "List webhooks", "Delete a webhook"] {
        world.sim.set_key_permission(&no_webhooks.key, permission, false).expect("revoke");
    }
    let manual = server
        .graphql()
        .run(Some(&admin.token), connect, json!({ "dc": "EU", "key": no_webhooks.key }))
        .await;
    let payload = &manual.data()["connectLeverWithApiKey"];
    assert_eq!(payload["connection"]["status"], "CONNECTED");
    assert!(payload["missingPermissions"]
        .as_array()
        .is_some_and(|m| m.iter().any(|p| p == "Create a webhook")));
    let connection_id = payload["connection"]["id"].as_str().expect("id").to_owned();
    let state =
        "{ leverConnection { status statusReason webhooksManual webhooks { event tokenConfigured } } }";
    let attention = vouch_tests::eventually("manual webhooks mode", Duration::from_secs(30), || async {
        let answer = server.graphql().run(Some(&admin.token), state, json!({})).await;
        let connection = answer.data()["leverConnection"].clone();
        (connection["webhooksManual"] == true).then_some(connection)
    })
    .await;
    assert_eq!(attention["status"], "NEEDS_ATTENTION");
    assert!(attention["statusReason"].as_str().unwrap_or_default().contains("by hand"));
    let paste = "mutation($id: UUID!, $event: String, $token: String!) { setLeverWebhookToken(connectionId: $id, event: $event, token: $token) { webhooks { tokenConfigured } } }";
    let bad = server
        .graphql()
        .run(
            Some(&admin.token),
            paste,
            json!({ "id": connection_id, "event": "candidateStageChange", "token": "has spaces in it" }),
        )
        .await;
    assert_eq!(bad.error_code(), Some("BAD_USER_INPUT"));
    let unknown_event = server
        .graphql()
        .run(
            Some(&admin.token),
            paste,
            json!({ "id": connection_id, "event": "somethingElse", "token": "tok123" }),
        )
        .await;
    assert_eq!(unknown_event.body["errors"][0]["extensions"]["field"], "event");
    let pasted = server
        .graphql()
        .run(
            Some(&admin.token),
            paste,
            json!({ "id": connection_id, "event": null, "token": "whsec-pasted-123" }),
        )
        .await;
    assert!(pasted.data()["setLeverWebhookToken"]["webhooks"]
        .as_array()
        .is_some_and(|w| w.iter().all(|e| e["tokenConfigured"] == true)));
    assert_test_delivery_accepted(&server, &admin, &connection_id).await;
    server
        .graphql()
        .run(
            Some(&admin.token),
            "mutation($id: UUID!) { disconnectLever(connectionId: $id) { status } }",
            json!({ "id": connection_id }),
        )
        .await
        .data();
    vouch_tests::eventually("the manual connection's secrets destroyed", Duration::from_secs(30), || async {
        entity::secret::Entity::find().all(&server.db).await.ok()?.is_empty().then_some(())
    })
    .await;

    let wrong_dc =
        server.graphql().run(Some(&admin.token), connect, json!({ "dc": "US", "key": all.key })).await;
    assert_eq!(wrong_dc.body["errors"][0]["extensions"]["field"], "dataCentre", "{}", wrong_dc.body);
    let unknown =
        server.graphql().run(Some(&admin.token), connect, json!({ "dc": "EU", "key": "no-such-key" })).await;
    assert_eq!(unknown.body["errors"][0]["extensions"]["field"], "apiKey");
    for bad in ["k".repeat(10 * 1024), "abc\ndef".to_owned(), String::new()] {
        let answer =
            server.graphql().run(Some(&admin.token), connect, json!({ "dc": "EU", "key": bad })).await;
        assert_eq!(answer.error_code(), Some("BAD_USER_INPUT"), "{}", answer.body);
        assert!(!answer.body.to_string().contains("kkkkkkkkkk"), "the key is not echoed");
    }

    let ok = server.graphql().run(Some(&admin.token), connect, json!({ "dc": "EU", "key": all.key })).await;
    let connection = &ok.data()["connectLeverWithApiKey"]["connection"];
    assert_eq!(connection["status"], "CONNECTED");
    assert_eq!(connection["authMode"], "API_KEY");
    assert_eq!(connection["dataCentre"], "EU");
    assert!(!ok.body.to_string().contains(&all.key), "the key never comes back");
}

#[tokio::test]
async fn revocation_turns_the_connection_revoked_and_reconnecting_keeps_its_id() {
    let world = LeverWorld::start(DataCentre::Us).await;
    let server = TestServer::start_with_lever(&world).await;
    let admin = server.user("Acme", "ada@acme.test", Role::SuperAdmin).await;
    let first = connect_by_oauth(&world, &server, &admin).await;
    let id = first["id"].as_str().expect("id").to_owned();

    assert!(world.sim.revoke_grant(&world.company_id, vouch_tests::lever::CLIENT_ID));
    let paused = refresh(&server, &admin, &id).await;
    assert_eq!(paused["status"], "PAUSED", "work for a revoked connection pauses: {paused}");
    let revoked = server.graphql().run(Some(&admin.token), CONNECTION, json!({})).await;
    assert_eq!(revoked.data()["leverConnection"]["status"], "REVOKED");
    assert!(revoked.data()["leverConnection"]["statusReason"]
        .as_str()
        .unwrap_or_default()
        .contains("reconnect"));
    let calls_before = world.sim.stats().unauthorized;
    let again = refresh(&server, &admin, &id).await;
    assert_eq!(again["status"], "PAUSED", "no hot loop against Lever while revoked");
    assert_eq!(world.sim.stats().unauthorized, calls_before, "paused work does not call Lever");

    let second = connect_by_oauth(&world, &server, &admin).await;
    assert_eq!(second["id"], id.as_str(), "reconnecting keeps the connection id");
    assert_eq!(second["status"], "CONNECTED");
    let jobs = "query($id: UUID!) { jobs(connectionId: $id, first: 100) { kind status } }";
    vouch_tests::eventually("paused work to resume and finish", Duration::from_secs(30), || async {
        let answer = server.graphql().run(Some(&admin.token), jobs, json!({ "id": id })).await;
        let list = answer.data()["jobs"].as_array()?.clone();
        let syncs: Vec<_> = list.iter().filter(|j| j["kind"] == "lever.catalogue_sync").collect();
        (syncs.len() >= 3 && syncs.iter().all(|j| j["status"] == "DONE")).then_some(())
    })
    .await;
    assert_eq!(secrets_of(&server, "lever_oauth_tokens").await, 1, "the old tokens were destroyed");
}

#[tokio::test]
async fn disconnect_destroys_credentials_and_keeps_history() {
    let world = LeverWorld::start(DataCentre::Us).await;
    let server = TestServer::start_with_lever(&world).await;
    let admin = server.user("Acme", "ada@acme.test", Role::SuperAdmin).await;
    let connection = connect_by_oauth(&world, &server, &admin).await;
    let id = connection["id"].as_str().expect("id");
    let url = server.url(&format!("/webhooks/lever/{id}"));
    webhooks_ready(&server, &admin, &world, &url).await;
    let answer = server
        .graphql()
        .run(
            Some(&admin.token),
            "mutation($id: UUID!) { disconnectLever(connectionId: $id) { status } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(answer.data()["disconnectLever"]["status"], "DISCONNECTED");
    vouch_tests::eventually(
        "credentials destroyed and webhooks removed",
        Duration::from_secs(30),
        || async {
            let secrets = entity::secret::Entity::find().all(&server.db).await.ok()?;
            (secrets.is_empty() && lever_webhooks_at(&world, &url).is_empty()).then_some(())
        },
    )
    .await;
    let delivery =
        json!({ "triggeredAt": 1, "event": "candidateHired", "token": "t", "signature": "00", "data": {} });
    let refused = reqwest::Client::new().post(&url).json(&delivery).send().await.expect("post");
    assert_eq!(refused.status().as_u16(), 404, "a disconnected connection's route is gone");
    let row = entity::lever_connection::Entity::find().all(&server.db).await.expect("connections");
    assert_eq!(row.len(), 1, "the connection row (history) is kept");
    let none = server.graphql().run(Some(&admin.token), CONNECTION, json!({})).await;
    assert!(none.data()["leverConnection"].is_null());
}

#[tokio::test]
async fn only_super_admins_connect_and_other_companies_ids_are_not_found() {
    let world = LeverWorld::start(DataCentre::Us).await;
    let server = TestServer::start_with_lever(&world).await;
    let owner = server.user("Acme", "ada@acme.test", Role::SuperAdmin).await;
    let admin = server.user("Acme", "bob@acme.test", Role::Admin).await;
    let stranger = server.user("Globex", "gus@globex.test", Role::SuperAdmin).await;
    let connection = connect_by_oauth(&world, &server, &owner).await;
    let id = connection["id"].as_str().expect("id");

    let by_id = [
        "mutation($id: UUID!) { disconnectLever(connectionId: $id) { status } }",
        "mutation($id: UUID!) { updateLeverConnection(connectionId: $id, fallbackUserId: \"\") { status } }",
        "mutation($id: UUID!) { refreshLeverCatalogue(connectionId: $id) { id } }",
        "query($id: UUID!) { leverUsers(connectionId: $id) { name } }",
        "mutation($id: UUID!) { checkLeverConnection(connectionId: $id) { id } }",
        "mutation($id: UUID!) { sendLeverTestWebhook(connectionId: $id) { ok } }",
        "mutation($id: UUID!) { repairLeverConnection(connectionId: $id) { id } }",
        "mutation($id: UUID!) { setLeverWebhookToken(connectionId: $id, token: \"abc\") { id } }",
    ];
    for query in by_id {
        let answer = server.graphql().run(Some(&stranger.token), query, json!({ "id": id })).await;
        assert_eq!(answer.error_code(), Some("NOT_FOUND"), "{query}: {}", answer.body);
        assert!(!answer.body.to_string().contains("Acme"), "nothing revealed");
    }
    let super_only = [
        ("mutation { startLeverOAuth(dataCentre: US) }", json!({})),
        (
            "mutation { connectLeverWithApiKey(dataCentre: EU, apiKey: \"abc\") { missingPermissions } }",
            json!({}),
        ),
        (by_id[0], json!({ "id": id })),
        (by_id[1], json!({ "id": id })),
        (by_id[6], json!({ "id": id })),
        (by_id[7], json!({ "id": id })),
    ];
    for (query, variables) in super_only {
        let answer = server.graphql().run(Some(&admin.token), query, variables).await;
        assert_eq!(answer.error_code(), Some("FORBIDDEN"), "{query}: {}", answer.body);
    }
    let member = server.user("Acme", "tim@acme.test", Role::TeamMember).await;
    for query in &by_id[2..] {
        if query.starts_with("mutation") {
            let answer = server.graphql().run(Some(&member.token), query, json!({ "id": id })).await;
            assert_eq!(answer.error_code(), Some("FORBIDDEN"), "a team member: {query}: {}", answer.body);
        }
    }
    let eu_oauth = server
        .graphql()
        .run(Some(&owner.token), "mutation { startLeverOAuth(dataCentre: EU) }", json!({}))
        .await;
    assert_eq!(eu_oauth.body["errors"][0]["extensions"]["field"], "dataCentre");
    let unknown_user = server
        .graphql()
        .run(Some(&owner.token), "mutation($id: UUID!) { updateLeverConnection(connectionId: $id, fallbackUserId: \"nobody\") { status } }", json!({ "id": id }))
        .await;
    assert_eq!(unknown_user.body["errors"][0]["extensions"]["field"], "fallbackUserId");
}

#[tokio::test]
async fn health_check_finds_a_deleted_webhook_and_repair_puts_it_back() {
    let world = LeverWorld::start(DataCentre::Us).await;
    let server = TestServer::start_with_lever(&world).await;
    let admin = server.user("Acme", "ada@acme.test", Role::SuperAdmin).await;
    let connection = connect_by_oauth(&world, &server, &admin).await;
    let id = connection["id"].as_str().expect("id").to_owned();
    let url = server.url(&format!("/webhooks/lever/{id}"));
    webhooks_ready(&server, &admin, &world, &url).await;
    let check = "mutation($id: UUID!) { checkLeverConnection(connectionId: $id) { id health { level reason checkedAt } } }";
    let green = server.graphql().run(Some(&admin.token), check, json!({ "id": id })).await;
    assert_eq!(green.data()["checkLeverConnection"]["health"]["level"], "GREEN", "{}", green.body);

    // A Lever admin deletes one of Vouch's webhooks.
    let stage_hook = world
        .sim
        .webhooks(&world.company_id)
        .expect("webhooks")
        .into_iter()
        .find(|w| w.event == "candidateStageChange")
        .expect("stage change webhook");
    assert!(world.sim.remove_webhook(&world.company_id, &stage_hook.id).expect("removed"));
    let amber = server.graphql().run(Some(&admin.token), check, json!({ "id": id })).await;
    let health = &amber.data()["checkLeverConnection"]["health"];
    assert_eq!(health["level"], "AMBER");
    assert!(health["reason"].as_str().unwrap_or_default().contains("candidateStageChange"), "{health}");

    let repair = server
        .graphql()
        .run(
            Some(&admin.token),
            "mutation($id: UUID!) { repairLeverConnection(connectionId: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    let job = repair.data()["repairLeverConnection"]["id"].as_str().expect("job").to_owned();
    assert_eq!(finished_job(&server, &admin, &job).await["status"], "DONE");
    assert_eq!(lever_webhooks_at(&world, &url).len(), 5, "re-registered, nothing duplicated");
    let again = server.graphql().run(Some(&admin.token), check, json!({ "id": id })).await;
    assert_eq!(again.data()["checkLeverConnection"]["health"]["level"], "GREEN");
    assert_eq!(again.data()["checkLeverConnection"]["id"], id.as_str(), "the same connection");
}

#[tokio::test]
async fn the_dry_run_reads_the_opportunity_from_lever() {
    let world = LeverWorld::start(DataCentre::Us).await;
    seed_catalogue(&world).await;
    let server = TestServer::start_with_lever(&world).await;
    let admin = server.user("Acme", "ada@acme.test", Role::SuperAdmin).await;
    let connection = connect_by_oauth(&world, &server, &admin).await;
    let id = connection["id"].as_str().expect("id").to_owned();
    let postings = vouch_tests::eventually("the catalogue", Duration::from_secs(30), || async {
        let rows = entity::lever_posting::Entity::find().all(&server.db).await.ok()?;
        let stages = entity::lever_stage::Entity::find().all(&server.db).await.ok()?;
        (rows.len() == 2 && stages.iter().any(|s| s.text == "Reference check")).then_some(rows)
    })
    .await;
    let stage = entity::lever_stage::Entity::find()
        .all(&server.db)
        .await
        .expect("stages")
        .into_iter()
        .find(|s| s.text == "Reference check")
        .expect("reference check stage");
    let templates =
        server.graphql().run(Some(&admin.token), "{ templates { id name steps { id } } }", json!({})).await;
    let standard = templates.data()["templates"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == "Standard reference check").cloned())
        .expect("the ready-made template");
    let rule = server
        .graphql()
        .run(
            Some(&admin.token),
            "mutation($i: RuleInput!) { createRule(input: $i) { id } }",
            json!({ "i": {
                "name": "Robots", "postingIds": [postings[0].lever_id], "templateId": standard["id"], "language": "EN",
                "steps": [{ "stepId": standard["steps"][0]["id"], "stageId": stage.lever_id }]
            } }),
        )
        .await;
    rule.data();
    let no_email = world
        .sim
        .create_candidate(
            &world.company_id,
            lever_sim::NewCandidate {
                name: "Noel Noemail".into(),
                posting: Some(postings[0].lever_id.clone()),
                ..Default::default()
            },
        )
        .expect("candidate");
    let preview = "query($p: String!, $s: String!, $o: String) { previewTrigger(postingId: $p, stageId: $s, opportunityId: $o) { willStart reasons { code blocking } } }";
    let answer = server
        .graphql()
        .run(
            Some(&admin.token),
            preview,
            json!({ "p": postings[0].lever_id, "s": stage.lever_id, "o": no_email.id }),
        )
        .await;
    let verdict = &answer.data()["previewTrigger"];
    assert_eq!(verdict["willStart"], false, "{verdict}");
    assert!(
        verdict["reasons"]
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x["code"] == "NO_EMAIL" && x["blocking"] == true)),
        "{verdict}"
    );
    let unknown = server
        .graphql()
        .run(
            Some(&admin.token),
            preview,
            json!({ "p": postings[0].lever_id, "s": stage.lever_id, "o": "no-such-opportunity" }),
        )
        .await;
    assert!(unknown.data()["previewTrigger"]["reasons"]
        .as_array()
        .is_some_and(|r| r.iter().any(|x| x["code"] == "OPPORTUNITY_NOT_FOUND")));
    let _ = id;
}
