//! Rules over GraphQL against a seeded Lever catalogue: create, edit,
//! enable, reorder, delete, the audit trail, validation naming the field,
//! warnings after a sync, the dry run and tenant isolation.
use entity::Role;
use serde_json::{json, Value};
use vouch_tests::{GraphqlAnswer, SeededLever, TestServer, TestUser};

const RULE: &str = "id name enabled position allPostings postingIds language
    template { id name } postings { id text }
    steps { step { id kind } stageId stage { text gone } }
    warnings { code field message }";

struct Fixture {
    server: TestServer,
    admin: TestUser,
    lever: SeededLever,
    /// "Self-assessment + references": id and its two step ids.
    two_step: (Value, Value, Value),
    /// "Standard reference check": id and its step id.
    standard: (Value, Value),
}

async fn fixture() -> Fixture {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let lever = SeededLever::connect(&server.db, admin.organization_id).await;
    lever.posting(&server.db, "p-eng", "Backend Engineer", &[]).await;
    lever
        .posting(
            &server.db,
            "p-sales",
            "Account Executive",
            &["Remote", "Vouch Template: Standard reference check"],
        )
        .await;
    lever.posting(&server.db, "p-ops", "Operations Lead", &["Vouch Template: No such template"]).await;
    lever.stage(&server.db, "lead-new", "New lead", 0).await;
    lever.stage(&server.db, "s-self", "Self-assessment", 1).await;
    lever.stage(&server.db, "s-ref", "Reference check", 2).await;
    let t =
        server.graphql().run(Some(&admin.token), "{ templates { id name steps { id } } }", json!({})).await;
    let list = t.data()["templates"].as_array().expect("templates").clone();
    let two = list.iter().find(|t| t["name"] == "Self-assessment + references").expect("two-step").clone();
    let std = list.iter().find(|t| t["name"] == "Standard reference check").expect("standard").clone();
    Fixture {
        two_step: (two["id"].clone(), two["steps"][0]["id"].clone(), two["steps"][1]["id"].clone()),
        standard: (std["id"].clone(), std["steps"][0]["id"].clone()),
        server,
        admin,
        lever,
    }
}

impl Fixture {
    /// A valid rule input for the two-step template on `p-eng`.
    fn input(&self, name: &str) -> Value {
        json!({
            "name": name,
            "postingIds": ["p-eng"],
            "templateId": self.two_step.0,
            "language": "EN",
            "steps": [ { "stepId": self.two_step.1, "stageId": "s-self" }, { "stepId": self.two_step.2, "stageId": "s-ref" } ],
        })
    }

    async fn run(&self, query: &str, variables: Value) -> GraphqlAnswer {
        self.server.graphql().run(Some(&self.admin.token), query, variables).await
    }

    async fn create(&self, input: Value) -> GraphqlAnswer {
        self.run(
            &format!("mutation($i: RuleInput!) {{ createRule(input: $i) {{ {RULE} }} }}"),
            json!({ "i": input }),
        )
        .await
    }

    async fn update(&self, id: &Value, input: Value) -> GraphqlAnswer {
        self.run(
            &format!(
                "mutation($id: UUID!, $i: RuleInput!) {{ updateRule(id: $id, input: $i) {{ {RULE} }} }}"
            ),
            json!({ "id": id, "i": input }),
        )
        .await
    }

    async fn preview(&self, posting: &str, stage: &str, opportunity: Option<&str>) -> Value {
        let q = "query($p: String!, $s: String!, $o: String) { previewTrigger(postingId: $p, stageId: $s, opportunityId: $o) {
            willStart summary rule { name } templateName templateSource stepIndex stepKind language reasons { code blocking message } } }";
        self.run(q, json!({ "p": posting, "s": stage, "o": opportunity })).await.data()["previewTrigger"]
            .clone()
    }
}

fn field(answer: &GraphqlAnswer) -> &str {
    answer.body["errors"][0]["extensions"]["field"].as_str().unwrap_or_default()
}

fn codes(preview: &Value) -> Vec<String> {
    preview["reasons"]
        .as_array()
        .map(|r| r.iter().filter_map(|r| r["code"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn create_edit_enable_reorder_delete_with_an_audit_trail() {
    let f = fixture().await;
    let created = f.create(f.input("Engineering")).await;
    let rule = created.data()["createRule"].clone();
    assert_eq!(rule["enabled"], true);
    assert_eq!(rule["position"], 0);
    assert_eq!(rule["template"]["name"], "Self-assessment + references");
    assert_eq!(rule["postings"], json!([{ "id": "p-eng", "text": "Backend Engineer" }]));
    assert_eq!(rule["steps"][0]["stageId"], "s-self");
    assert_eq!(rule["steps"][1]["stage"]["text"], "Reference check");
    assert_eq!(rule["warnings"], json!([]));
    let id = rule["id"].clone();

    let mut edit = f.input("Engineering and sales");
    edit["postingIds"] = json!(["p-eng", "p-sales"]);
    let updated = f.update(&id, edit).await;
    assert_eq!(updated.data()["updateRule"]["postingIds"], json!(["p-eng", "p-sales"]));

    let second = f.create(json!({ "name": "Everything else", "allPostings": true, "templateId": f.standard.0, "language": "EN",
        "steps": [{ "stepId": f.standard.1, "stageId": "s-ref" }] })).await;
    let second_id = second.data()["createRule"]["id"].clone();
    assert_eq!(second.data()["createRule"]["position"], 1);

    let reordered = f
        .run(
            "mutation($ids: [UUID!]!) { reorderRules(ids: $ids) { name position } }",
            json!({ "ids": [second_id, id] }),
        )
        .await;
    assert_eq!(
        reordered.data()["reorderRules"],
        json!([{ "name": "Everything else", "position": 0 }, { "name": "Engineering and sales", "position": 1 }])
    );
    let bad_order = f
        .run("mutation($ids: [UUID!]!) { reorderRules(ids: $ids) { name } }", json!({ "ids": [id, id] }))
        .await;
    assert_eq!(bad_order.error_code(), Some("BAD_USER_INPUT"));
    assert_eq!(field(&bad_order), "ids");

    let disabled = f
        .run(
            "mutation($id: UUID!) { setRuleEnabled(id: $id, enabled: false) { enabled } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(disabled.data()["setRuleEnabled"]["enabled"], false);

    let trail = f
        .run(
            "query($id: UUID) { auditEvents(subjectId: $id) { action actorUserId changes createdAt } }",
            json!({ "id": id }),
        )
        .await;
    let events = trail.data()["auditEvents"].as_array().expect("events").clone();
    let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(
        actions.contains(&"rule.created")
            && actions.contains(&"rule.updated")
            && actions.contains(&"rule.disabled"),
        "{actions:?}"
    );
    let update = events.iter().find(|e| e["action"] == "rule.updated").expect("update");
    assert_eq!(update["actorUserId"], json!(f.admin.id));
    assert_eq!(update["changes"]["name"], json!({ "from": "Engineering", "to": "Engineering and sales" }));
    assert_eq!(update["changes"]["postingIds"]["to"], json!(["p-eng", "p-sales"]));
    assert!(update["changes"].get("language").is_none(), "only what changed: {}", update["changes"]);

    let deleted = f.run("mutation($id: UUID!) { deleteRule(id: $id) }", json!({ "id": id })).await;
    assert_eq!(deleted.data()["deleteRule"], id);
    let rules = f.run("{ rules { name } }", json!({})).await;
    assert_eq!(rules.data()["rules"], json!([{ "name": "Everything else" }]));
    let all = f.run("{ auditEvents { action } }", json!({})).await;
    assert!(all.body.to_string().contains("rule.deleted") && all.body.to_string().contains("rule.reordered"));
}

#[tokio::test]
async fn bad_rules_are_refused_naming_the_field() {
    let f = fixture().await;
    f.create(f.input("Engineering")).await.data();
    let with = |change: &dyn Fn(&mut Value)| {
        let mut v = f.input("Another");
        v["postingIds"] = json!(["p-sales"]);
        change(&mut v);
        v
    };
    f.lever.stage(&f.server.db, "s-old", "Old stage", 9).await;
    f.lever.stage_gone(&f.server.db, "s-old").await;
    f.lever.posting(&f.server.db, "p-closed", "Closed job", &[]).await;
    f.lever.posting_gone(&f.server.db, "p-closed").await;
    let cases: Vec<(Value, &str, &str, &str)> = vec![
        (with(&|v| v["name"] = json!("")), "BAD_USER_INPUT", "name", "empty"),
        (with(&|v| v["name"] = json!("r".repeat(10_000))), "BAD_USER_INPUT", "name", "at most"),
        (with(&|v| v["steps"][1]["stageId"] = Value::Null), "BAD_USER_INPUT", "steps[1].stageId", "step 2"),
        (
            with(&|v| v["steps"] = json!([v["steps"][0].clone()])),
            "BAD_USER_INPUT",
            "steps[1].stageId",
            "step 2",
        ),
        (
            with(&|v| v["steps"][1]["stageId"] = json!("s-self")),
            "BAD_USER_INPUT",
            "steps[1].stageId",
            "already starts step 1",
        ),
        (
            with(&|v| v["steps"][0]["stageId"] = json!("never-in-lever")),
            "BAD_USER_INPUT",
            "steps[0].stageId",
            "no such stage",
        ),
        (
            with(&|v| v["steps"][0]["stageId"] = json!("s".repeat(10_000))),
            "BAD_USER_INPUT",
            "steps[0].stageId",
            "no such stage",
        ),
        (
            with(&|v| v["steps"][0]["stageId"] = json!("s-old")),
            "BAD_USER_INPUT",
            "steps[0].stageId",
            "no longer has the stage \"Old stage\"",
        ),
        (
            with(&|v| v["postingIds"] = json!(["p-closed"])),
            "BAD_USER_INPUT",
            "postingIds[0]",
            "no longer has the posting \"Closed job\"",
        ),
        (
            with(&|v| v["postingIds"] = json!(["p-sales", "nope"])),
            "BAD_USER_INPUT",
            "postingIds[1]",
            "no such posting",
        ),
        (with(&|v| v["postingIds"] = json!([])), "BAD_USER_INPUT", "postingIds", "at least one"),
        (
            with(&|v| v["postingIds"] = json!(["p-sales", "p-eng"])),
            "CONFLICT",
            "postingIds[1]",
            "enabled rule \"Engineering\"",
        ),
        (with(&|v| v["language"] = json!("FR")), "BAD_USER_INPUT", "language", "no French questionnaire"),
        (
            with(&|v| v["steps"][0]["stepId"] = f.standard.1.clone()),
            "BAD_USER_INPUT",
            "steps[0].stepId",
            "not a step",
        ),
    ];
    for (input, code, expected_field, words) in cases {
        let answer = f.create(input).await;
        assert_eq!(answer.error_code(), Some(code), "{expected_field}: {}", answer.body);
        assert_eq!(field(&answer), expected_field, "{}", answer.body);
        let message = answer.error_message().unwrap_or_default();
        assert!(message.contains(words), "{expected_field}: {message:?} should say {words:?}");
        assert!(message.len() < 400, "messages never echo long input: {message}");
    }
    // A disabled rule may overlap; enabling it then is refused, naming the rule.
    let mut overlapping = with(&|v| v["postingIds"] = json!(["p-eng"]));
    overlapping["enabled"] = json!(false);
    let saved = f.create(overlapping).await;
    let rule = saved.data()["createRule"].clone();
    assert!(rule["warnings"].to_string().contains("OVERLAP"), "{}", rule["warnings"]);
    let enable = f
        .run(
            "mutation($id: UUID!) { setRuleEnabled(id: $id, enabled: true) { id } }",
            json!({ "id": rule["id"] }),
        )
        .await;
    assert_eq!(enable.error_code(), Some("CONFLICT"));
    assert!(enable.error_message().unwrap_or_default().contains("\"Engineering\""), "{}", enable.body);
    // Two "all postings" rules cannot both be enabled.
    let all = |name: &str| json!({ "name": name, "allPostings": true, "templateId": f.standard.0, "language": "EN", "steps": [{ "stepId": f.standard.1, "stageId": "s-ref" }] });
    f.create(all("All one")).await.data();
    let second_all = f.create(all("All two")).await;
    assert_eq!(second_all.error_code(), Some("CONFLICT"));
    assert_eq!(field(&second_all), "allPostings");
    let rules = f.run("{ rules { name } }", json!({})).await;
    assert_eq!(rules.data()["rules"].as_array().map(Vec::len), Some(3), "refused rules were not saved");
}

#[tokio::test]
async fn warnings_show_what_lever_dropped_after_a_sync() {
    let f = fixture().await;
    let rule = f.create(f.input("Engineering")).await.data()["createRule"].clone();
    f.lever.stage_gone(&f.server.db, "s-ref").await;
    f.lever.posting_gone(&f.server.db, "p-eng").await;
    let read = f
        .run(&format!("query($id: UUID!) {{ rule(id: $id) {{ {RULE} }} }}"), json!({ "id": rule["id"] }))
        .await;
    let r = &read.data()["rule"];
    let warnings = r["warnings"].as_array().expect("warnings");
    let find = |code: &str| warnings.iter().find(|w| w["code"] == code).cloned();
    let stage = find("STAGE_GONE").expect("stage warning");
    assert_eq!(stage["field"], "steps[1].stageId");
    assert!(stage["message"].as_str().unwrap_or_default().contains("Reference check"));
    assert_eq!(find("POSTING_GONE").expect("posting warning")["field"], "postingIds[0]");
    assert_eq!(r["steps"][1]["stage"]["gone"], true);
    let stages =
        f.run("{ leverStages { id gone } leverPostings(search: \"engineer\") { id gone } }", json!({})).await;
    assert!(stages.data()["leverStages"]
        .as_array()
        .expect("stages")
        .contains(&json!({ "id": "s-ref", "gone": true })));
    assert_eq!(stages.data()["leverPostings"], json!([{ "id": "p-eng", "gone": true }]));
    // Saving again now refuses the gone stage.
    let again = f.update(&rule["id"], f.input("Engineering")).await;
    assert_eq!(field(&again), "postingIds[0]");
}

#[tokio::test]
async fn the_dry_run_explains_every_verdict_without_changing_anything() {
    let f = fixture().await;
    let eng = f.create(f.input("Engineering")).await.data()["createRule"].clone();
    let p = f.preview("p-eng", "s-ref", None).await;
    assert_eq!(p["willStart"], true, "{p}");
    assert_eq!(p["rule"]["name"], "Engineering");
    assert_eq!(p["templateSource"], "RULE");
    assert_eq!(p["stepIndex"], 1);
    assert_eq!(p["stepKind"], "REFERENCE_CHECK");
    assert_eq!(p["language"], "EN");

    let not_mapped = f.preview("p-eng", "lead-new", None).await;
    assert_eq!(not_mapped["willStart"], false);
    assert_eq!(codes(&not_mapped), vec!["STAGE_NOT_MAPPED"]);
    assert!(not_mapped["summary"].as_str().unwrap_or_default().contains("New lead"), "{not_mapped}");

    let no_rule = f.preview("p-ops", "s-ref", None).await;
    assert_eq!(codes(&no_rule), vec!["NO_RULE"]);

    let with_opportunity = f.preview("p-eng", "s-ref", Some("opp-1")).await;
    let reason = &with_opportunity["reasons"][0];
    assert_eq!(reason["code"], "OPPORTUNITY_NOT_CHECKED");
    assert!(
        reason["message"].as_str().unwrap_or_default().starts_with("opportunity details not checked"),
        "the seeded connection has no credentials: {reason}"
    );
    assert_eq!(reason["blocking"], false);

    // An "all postings" rule: the specific one still wins on p-eng; the tag
    // on p-sales picks the standard template; an unknown tag is explained.
    f.create(json!({ "name": "Everyone", "allPostings": true, "templateId": f.two_step.0, "language": "EN",
        "steps": [{ "stepId": f.two_step.1, "stageId": "s-self" }, { "stepId": f.two_step.2, "stageId": "s-ref" }] })).await.data();
    let specific = f.preview("p-eng", "s-ref", None).await;
    assert_eq!(specific["rule"]["name"], "Engineering");
    assert_eq!(codes(&specific), vec!["SPECIFIC_RULE_WINS"]);
    let tagged = f.preview("p-sales", "s-self", None).await;
    assert_eq!(tagged["rule"]["name"], "Everyone");
    assert_eq!(tagged["templateSource"], "POSTING_TAG");
    assert_eq!(tagged["templateName"], "Standard reference check");
    assert_eq!(tagged["stepKind"], "REFERENCE_CHECK");
    let too_short = f.preview("p-sales", "s-ref", None).await;
    assert_eq!(codes(&too_short), vec!["TAG_TEMPLATE_LACKS_STEP"]);
    let unknown_tag = f.preview("p-ops", "s-self", None).await;
    assert_eq!(unknown_tag["willStart"], true);
    assert_eq!(unknown_tag["templateName"], "Self-assessment + references");
    assert_eq!(codes(&unknown_tag), vec!["TEMPLATE_TAG_UNKNOWN"]);

    f.run(
        "mutation($id: UUID!) { setRuleEnabled(id: $id, enabled: false) { id } }",
        json!({ "id": eng["id"] }),
    )
    .await
    .data();
    let disabled = f.preview("p-eng", "s-ref", None).await;
    assert_eq!(disabled["rule"]["name"], "Everyone", "the disabled rule gives way to the all-postings rule");

    let unknown_stage = f.preview("p-eng", "never-in-lever", None).await;
    assert_eq!(codes(&unknown_stage), vec!["STAGE_UNKNOWN", "STAGE_NOT_MAPPED"]);
    let too_long = f
        .run(
            "query($p: String!) { previewTrigger(postingId: $p, stageId: \"s\") { willStart } }",
            json!({ "p": "x".repeat(10_000) }),
        )
        .await;
    assert_eq!(field(&too_long), "postingId");

    let trail = f.run("{ auditEvents { action } }", json!({})).await;
    let previews = trail.body.to_string().matches("preview").count();
    assert_eq!(previews, 0, "the dry run records nothing");
}

#[tokio::test]
async fn dry_run_without_lever_and_a_disabled_only_rule() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let q = "{ previewTrigger(postingId: \"p\", stageId: \"s\") { willStart reasons { code } } leverStages { id } }";
    let answer = server.graphql().run(Some(&admin.token), q, json!({})).await;
    assert_eq!(answer.data()["previewTrigger"]["reasons"], json!([{ "code": "NO_CONNECTION" }]));
    assert_eq!(answer.data()["leverStages"], json!([]));
    let f = fixture().await;
    let mut input = f.input("Paused");
    input["enabled"] = json!(false);
    f.create(input).await.data();
    assert_eq!(codes(&f.preview("p-eng", "s-ref", None).await), vec!["RULE_DISABLED"]);
}

#[tokio::test]
async fn another_companys_templates_and_catalogue_are_refused_and_not_revealed() {
    let f = fixture().await;
    let b_admin = f.server.user("Globex", "admin@globex.test", Role::SuperAdmin).await;
    let b_lever = SeededLever::connect(&f.server.db, b_admin.organization_id).await;
    b_lever.posting(&f.server.db, "p-globex", "Globex Secret Role", &[]).await;
    b_lever.stage(&f.server.db, "s-globex", "Globex Secret Stage", 0).await;
    let gql = f.server.graphql();
    let b_templates =
        gql.run(Some(&b_admin.token), "{ templates { id name steps { id } } }", json!({})).await;
    let b_template = b_templates.data()["templates"][1].clone();
    let rename = gql
        .run(Some(&b_admin.token), "mutation($id: UUID!) { updateTemplate(id: $id, input: { name: \"Globex Confidential\" }) { id } }", json!({ "id": b_template["id"] }))
        .await;
    rename.data();

    let mut input = f.input("Steal");
    input["templateId"] = b_template["id"].clone();
    input["steps"] = json!([{ "stepId": b_template["steps"][0]["id"], "stageId": "s-ref" }]);
    let refused = f.create(input).await;
    assert_eq!(refused.error_code(), Some("NOT_FOUND"), "{}", refused.body);
    assert!(!refused.body.to_string().contains("Globex"), "{}", refused.body);

    let mut foreign_posting = f.input("Foreign posting");
    foreign_posting["postingIds"] = json!(["p-globex"]);
    let refused = f.create(foreign_posting).await;
    assert_eq!(field(&refused), "postingIds[0]");
    assert!(!refused.body.to_string().contains("Globex"), "{}", refused.body);

    let mut foreign_stage = f.input("Foreign stage");
    foreign_stage["steps"][0]["stageId"] = json!("s-globex");
    let refused = f.create(foreign_stage).await;
    assert_eq!(field(&refused), "steps[0].stageId");
    assert!(!refused.body.to_string().contains("Globex"), "{}", refused.body);

    // B's rule is invisible and untouchable from A.
    let b_rule = gql
        .run(
            Some(&b_admin.token),
            "mutation($i: RuleInput!) { createRule(input: $i) { id } }",
            json!({ "i": { "name": "Globex rule", "postingIds": ["p-globex"], "templateId": b_template["id"], "language": "EN",
                           "steps": [{ "stepId": b_template["steps"][0]["id"], "stageId": "s-globex" }] } }),
        )
        .await;
    let b_rule_id = b_rule.data()["createRule"]["id"].clone();
    let read = f.run("query($id: UUID!) { rule(id: $id) { name } }", json!({ "id": b_rule_id })).await;
    assert!(read.data()["rule"].is_null());
    for mutation in [
        "mutation($id: UUID!) { setRuleEnabled(id: $id, enabled: false) { id } }",
        "mutation($id: UUID!) { deleteRule(id: $id) }",
    ] {
        let answer = f.run(mutation, json!({ "id": b_rule_id })).await;
        assert_eq!(answer.error_code(), Some("NOT_FOUND"), "{}", answer.body);
    }
    let update = f.update(&b_rule_id, f.input("Mine")).await;
    assert_eq!(update.error_code(), Some("NOT_FOUND"));
    let reorder = f
        .run("mutation($ids: [UUID!]!) { reorderRules(ids: $ids) { id } }", json!({ "ids": [b_rule_id] }))
        .await;
    assert_eq!(field(&reorder), "ids");
    let everything = f.run("{ rules { name } leverPostings { text } leverStages { text } auditEvents(first: 200) { changes } }", json!({})).await;
    assert!(!everything.body.to_string().contains("Globex"), "{}", everything.body);
    let preview = f.preview("p-globex", "s-globex", None).await;
    assert!(!preview.to_string().contains("Globex"), "{preview}");
    let b_view = gql
        .run(
            Some(&b_admin.token),
            "query($id: UUID!) { rule(id: $id) { name enabled } }",
            json!({ "id": b_rule_id }),
        )
        .await;
    assert_eq!(b_view.data()["rule"], json!({ "name": "Globex rule", "enabled": true }));

    // Team members read but do not write.
    let member = f.server.user("Acme", "member@acme.test", Role::TeamMember).await;
    let read = gql.run(Some(&member.token), "{ rules { name } }", json!({})).await;
    read.data();
    let write = gql
        .run(
            Some(&member.token),
            "mutation($i: RuleInput!) { createRule(input: $i) { id } }",
            json!({ "i": f.input("x") }),
        )
        .await;
    assert_eq!(write.error_code(), Some("FORBIDDEN"));
}
