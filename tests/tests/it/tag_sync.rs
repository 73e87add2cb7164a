//! Template-tag sync against the Lever simulator: the tags appear in Lever's
//! tag list, renames and archives converge, postings Vouch cannot fix are
//! reported, a second run writes nothing, a run failing midway converges on
//! retry, and another company's connection is NOT_FOUND.
use std::time::Duration;

use entity::Role;
use lever_sim::{DataCentre, Faults, NewApiKey, NewPosting};
use serde_json::{json, Value};
use vouch_tests::lever::LeverWorld;
use vouch_tests::{eventually, GraphqlAnswer, TestServer, TestUser};

const JOB: &str = "id status attempts lastError progressDone progressTotal
    tagSync { carrierOpportunityId tags added removed
              affectedPostings { postingId name staleTags } leftoverTags { text count } }";

struct Fixture {
    world: LeverWorld,
    server: TestServer,
    admin: TestUser,
    key: String,
    /// The test's own key for reading Lever: its own rate-limit bucket, so
    /// Vouch's background calls on `key` never get the test a 429.
    reader_key: String,
    connection_id: String,
}

async fn fixture() -> Fixture {
    let world = LeverWorld::start(DataCentre::Us).await;
    let server = TestServer::start_with_lever(&world).await;
    let admin = server.user("Acme", "ada@acme.test", Role::SuperAdmin).await;
    let key = world.sim.create_api_key(&world.company_id, NewApiKey::default()).expect("API key").key;
    let reader_key = world.sim.create_api_key(&world.company_id, NewApiKey::default()).expect("API key").key;
    let answer = server
        .graphql()
        .run(
            Some(&admin.token),
            "mutation($k: String!) { connectLeverWithApiKey(dataCentre: US, apiKey: $k) { connection { id } missingPermissions } }",
            json!({ "k": key }),
        )
        .await;
    let connection_id =
        answer.data()["connectLeverWithApiKey"]["connection"]["id"].as_str().expect("connected").to_owned();
    let refresh = server
        .graphql()
        .run(
            Some(&admin.token),
            "mutation($c: UUID!) { refreshLeverCatalogue(connectionId: $c) { id } }",
            json!({ "c": connection_id }),
        )
        .await;
    let job = refresh.data()["refreshLeverCatalogue"]["id"].as_str().expect("job").to_owned();
    assert_eq!(server.graphql().finished_job(&admin.token, &job).await["status"], "DONE");
    let set = server
        .graphql()
        .run(
            Some(&admin.token),
            "mutation($c: UUID!, $u: String) { updateLeverConnection(connectionId: $c, fallbackUserId: $u) { id } }",
            json!({ "c": connection_id, "u": world.lever_admin_id }),
        )
        .await;
    set.data();
    Fixture { world, server, admin, key, reader_key, connection_id }
}

impl Fixture {
    async fn run(&self, query: &str, variables: Value) -> GraphqlAnswer {
        self.server.graphql().run(Some(&self.admin.token), query, variables).await
    }

    /// Starts a sync and waits for its job to finish; answers the job.
    async fn sync(&self) -> Value {
        let started = self
            .run(
                &format!("mutation($c: UUID!) {{ syncTemplateTags(connectionId: $c) {{ {JOB} }} }}"),
                json!({ "c": self.connection_id }),
            )
            .await;
        let id = started.data()["syncTemplateTags"]["id"].as_str().expect("job id").to_owned();
        self.finished(&id).await
    }

    async fn finished(&self, id: &str) -> Value {
        let job = eventually("the sync job to finish", Duration::from_secs(60), || async {
            let answer = self
                .run(&format!("query($id: UUID!) {{ job(id: $id) {{ {JOB} }} }}"), json!({ "id": id }))
                .await;
            let job = answer.data()["job"].clone();
            matches!(job["status"].as_str(), Some("DONE" | "FAILED")).then_some(job)
        })
        .await;
        assert_eq!(job["status"], "DONE", "{job}");
        assert_eq!(job["progressDone"], job["progressTotal"], "{job}");
        job
    }

    /// Lever's tag list as `(text, count)`, read with the test's own key.
    async fn lever_tags(&self) -> Vec<(String, i64)> {
        let url = format!("{}/tags", self.world.sim.api_base(DataCentre::Us));
        let body: Value = reqwest::Client::new()
            .get(url)
            .basic_auth(&self.reader_key, Some(""))
            .send()
            .await
            .expect("GET /tags")
            .json()
            .await
            .expect("tags JSON");
        body["data"]
            .as_array()
            .expect("tag list")
            .iter()
            .map(|t| (t["text"].as_str().expect("text").to_owned(), t["count"].as_i64().expect("count")))
            .collect()
    }

    async fn template_tags(&self) -> Vec<String> {
        self.lever_tags()
            .await
            .into_iter()
            .map(|(t, _)| t)
            .filter(|t| t.starts_with("Vouch Template:"))
            .collect()
    }

    async fn template_id(&self, name: &str) -> String {
        let answer = self.run("{ templates(includeArchived: true) { id name } }", json!({})).await;
        let list = answer.data()["templates"].as_array().expect("templates").clone();
        let found = list.iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("template {name}"));
        found["id"].as_str().expect("id").to_owned()
    }

    async fn rename(&self, from: &str, to: &str) {
        let id = self.template_id(from).await;
        self.run(
            "mutation($id: UUID!, $n: String!) { updateTemplate(id: $id, input: { name: $n }) { id } }",
            json!({ "id": id, "n": to }),
        )
        .await
        .data();
    }

    async fn archive(&self, name: &str) {
        let id = self.template_id(name).await;
        self.run("mutation($id: UUID!) { archiveTemplate(id: $id) { id } }", json!({ "id": id }))
            .await
            .data();
    }

    fn writes(&self) -> u64 {
        let stats = self.world.sim.stats();
        stats.credential(&format!("key:{}", self.key)).map_or(0, |c| c.writes)
    }

    async fn active_template_tags(&self) -> Vec<String> {
        let answer = self.run("{ templates { name } }", json!({})).await;
        let mut tags: Vec<String> = answer.data()["templates"]
            .as_array()
            .expect("templates")
            .iter()
            .map(|t| format!("Vouch Template: {}", t["name"].as_str().expect("name")))
            .collect();
        tags.sort();
        tags
    }
}

#[tokio::test]
async fn sync_makes_tags_exist_follows_renames_and_archives_and_reports_postings() {
    let f = fixture().await;
    let wanted = f.active_template_tags().await;
    assert!(wanted.len() >= 2, "the default templates: {wanted:?}");
    assert!(f.template_tags().await.is_empty(), "Lever lists no template tag yet");

    let first = f.sync().await;
    assert_eq!(f.template_tags().await, wanted, "GET /tags lists one tag per active template");
    let report = &first["tagSync"];
    assert_eq!(report["tags"], json!(wanted));
    assert_eq!(report["added"], json!(wanted));
    let carrier = report["carrierOpportunityId"].as_str().expect("carrier").to_owned();
    let own = f.world.sim.opportunity_tags(&f.world.company_id, &carrier).expect("carrier tags");
    assert!(own.iter().all(|t| !t.inherited), "the carrier is on no posting");

    // A posting that picked the standard template in Lever.
    f.world
        .sim
        .add_posting(
            &f.world.company_id,
            NewPosting {
                text: "Robot Whisperer".into(),
                tags: vec!["Vouch Template: Standard reference check".into(), "Remote".into()],
                ..NewPosting::default()
            },
        )
        .expect("posting");

    // Rename a template no posting carries; archive the one the posting carries.
    f.rename("Self-assessment + references", "Self-assessment then references").await;
    f.archive("Standard reference check").await;
    let second = f.sync().await;
    let report = &second["tagSync"];
    assert_eq!(report["carrierOpportunityId"], json!(carrier), "the same carrier is found again");
    assert_eq!(report["added"], json!(["Vouch Template: Self-assessment then references"]));
    let mut removed: Vec<String> = serde_json::from_value(report["removed"].clone()).expect("removed");
    removed.sort();
    assert_eq!(
        removed,
        vec!["Vouch Template: Self-assessment + references", "Vouch Template: Standard reference check"]
    );
    let affected = report["affectedPostings"].as_array().expect("affected");
    assert_eq!(affected.len(), 1, "{affected:?}");
    assert_eq!(affected[0]["name"], "Robot Whisperer");
    assert_eq!(affected[0]["staleTags"], json!(["Vouch Template: Standard reference check"]));
    assert_eq!(
        report["leftoverTags"],
        json!([{ "text": "Vouch Template: Standard reference check", "count": 1 }])
    );

    let listed = f.template_tags().await;
    assert!(listed.contains(&"Vouch Template: Self-assessment then references".to_owned()), "{listed:?}");
    assert!(
        !listed.contains(&"Vouch Template: Self-assessment + references".to_owned()),
        "old name gone: {listed:?}"
    );
    assert!(
        listed.contains(&"Vouch Template: Standard reference check".to_owned()),
        "the posting still carries the archived tag, as reported: {listed:?}"
    );

    // Nothing changed since: the third run reads but writes nothing.
    f.world.sim.reset_stats();
    let third = f.sync().await;
    assert_eq!(f.writes(), 0, "a second run is a no-op in Lever");
    assert_eq!(third["tagSync"]["added"], json!([]));
    assert_eq!(third["tagSync"]["removed"], json!([]));
    assert_eq!(third["tagSync"]["affectedPostings"], second["tagSync"]["affectedPostings"]);
}

#[tokio::test]
async fn a_run_failing_midway_is_retried_and_converges() {
    let f = fixture().await;
    f.sync().await;
    f.rename("Self-assessment + references", "Two steps").await;
    f.rename("Standard reference check", "References").await;
    let wanted = f.active_template_tags().await;

    // Slow Lever down so that the run is caught between its writes, then
    // make the next call fail on every one of the client's own attempts.
    f.world.sim.set_faults(Faults { latency_ms: 250, ..Faults::default() }).expect("latency");
    let started = f
        .run(
            &format!("mutation($c: UUID!) {{ syncTemplateTags(connectionId: $c) {{ {JOB} }} }}"),
            json!({ "c": f.connection_id }),
        )
        .await;
    let id = started.data()["syncTemplateTags"]["id"].as_str().expect("job id").to_owned();
    eventually("the sync to be midway", Duration::from_secs(30), || async {
        let answer = f.run("query($id: UUID!) { job(id: $id) { progressDone } }", json!({ "id": id })).await;
        (answer.data()["job"]["progressDone"].as_i64().unwrap_or(0) >= 2).then_some(())
    })
    .await;
    f.world
        .sim
        .set_faults(Faults { latency_ms: 250, fail_next: 5, error_status: Some(500), ..Faults::default() })
        .expect("failures");
    let job = f.finished(&id).await;
    assert!(job["attempts"].as_i64().expect("attempts") >= 2, "the job was run again: {job}");
    f.world.sim.set_faults(Faults::default()).expect("no faults");
    assert_eq!(f.template_tags().await, wanted, "converged to one tag per active template");

    f.world.sim.reset_stats();
    f.sync().await;
    assert_eq!(f.writes(), 0, "nothing left to do after the retried run");
}

#[tokio::test]
async fn another_company_cannot_sync_or_see_the_job() {
    let f = fixture().await;
    let job = f.sync().await;
    let other = f.server.user("Globex", "hank@globex.test", Role::Admin).await;
    let answer = f
        .server
        .graphql()
        .run(
            Some(&other.token),
            "mutation($c: UUID!) { syncTemplateTags(connectionId: $c) { id } }",
            json!({ "c": f.connection_id }),
        )
        .await;
    assert_eq!(answer.error_code(), Some("NOT_FOUND"), "{:?}", answer.body);
    let answer = f
        .server
        .graphql()
        .run(Some(&other.token), "query($id: UUID!) { job(id: $id) { id } }", json!({ "id": job["id"] }))
        .await;
    assert_eq!(answer.error_code(), Some("NOT_FOUND"), "{:?}", answer.body);
    let answer = f
        .server
        .graphql()
        .run(
            Some(&f.admin.token),
            "mutation { syncTemplateTags(connectionId: \"00000000-0000-4000-8000-000000000000\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(answer.error_code(), Some("NOT_FOUND"));
}
