//! Templates over GraphQL: the ready-made pair, create, rename, edit,
//! archive, delete (guarded by rules), bad input naming the field, roles
//! and tenant isolation.
use entity::Role;
use serde_json::{json, Value};
use vouch_tests::{GraphqlAnswer, SeededLever, TestServer, TestUser};

const FIELDS: &str = "id name tag archived missingLanguages usedByRules { name }
    steps { id position kind refereesRequired relationshipKinds languages missingLanguages
            questionnaires { language questions { prompt type options } } }";

fn create_query() -> String {
    format!("mutation($i: CreateTemplateInput!) {{ createTemplate(input: $i) {{ {FIELDS} }} }}")
}

fn update_query() -> String {
    format!("mutation($id: UUID!, $i: UpdateTemplateInput!) {{ updateTemplate(id: $id, input: $i) {{ {FIELDS} }} }}")
}

/// A two-step template input: a self-assessment (English + Swedish) and a
/// reference check (English), using every question type.
pub fn two_steps(name: &str) -> Value {
    json!({
        "name": name,
        "steps": [
            { "kind": "SELF_ASSESSMENT", "questionnaires": [
                { "language": "EN", "questions": [
                    { "prompt": "Tell us about a project", "type": "TEXT" },
                    { "prompt": "Rate your SQL", "type": "RATING_1_5" },
                    { "prompt": "Can you relocate?", "type": "YES_NO" },
                    { "prompt": "Preferred team", "type": "CHOICE", "options": ["Core", "Growth"] } ] },
                { "language": "SV", "questions": [ { "prompt": "Berätta om ett projekt", "type": "TEXT" } ] } ] },
            { "kind": "REFERENCE_CHECK", "refereesRequired": 3, "relationshipKinds": ["PEER", "MANAGER"],
              "questionnaires": [ { "language": "EN", "questions": [ { "prompt": "Strengths?", "type": "TEXT" } ] } ] }
        ]
    })
}

async fn create(server: &TestServer, user: &TestUser, input: Value) -> GraphqlAnswer {
    server.graphql().run(Some(&user.token), &create_query(), json!({ "i": input })).await
}

fn field(answer: &GraphqlAnswer) -> &str {
    answer.body["errors"][0]["extensions"]["field"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_new_company_starts_with_two_ready_templates() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let answer = server
        .graphql()
        .run(
            Some(&admin.token),
            &format!("{{ templates {{ {FIELDS} }} organization {{ defaultLanguage }} }}"),
            json!({}),
        )
        .await;
    let templates = answer.data()["templates"].as_array().expect("list").clone();
    let names: Vec<&str> = templates.iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names, vec!["Self-assessment + references", "Standard reference check"]);
    assert_eq!(templates[0]["steps"][0]["kind"], "SELF_ASSESSMENT");
    assert_eq!(templates[0]["steps"][1]["kind"], "REFERENCE_CHECK");
    assert_eq!(templates[1]["tag"], "Vouch Template: Standard reference check");
    assert_eq!(templates[1]["steps"][0]["refereesRequired"], 2);
    assert_eq!(templates[1]["missingLanguages"], json!(["SV", "FR", "DE", "ES"]));
    assert_eq!(answer.data()["organization"]["defaultLanguage"], "EN");
    // A second user of the same company does not get a second pair.
    let _other = server.user("Acme", "other@acme.test", Role::TeamMember).await;
    let again = server.graphql().run(Some(&admin.token), "{ templates { name } }", json!({})).await;
    assert_eq!(again.data()["templates"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn create_rename_edit_archive_and_delete() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let gql = server.graphql();
    let created = create(&server, &admin, two_steps("Engineering")).await;
    let t = created.data()["createTemplate"].clone();
    assert_eq!(t["steps"][0]["languages"], json!(["EN", "SV"]));
    assert_eq!(t["steps"][0]["missingLanguages"], json!(["FR", "DE", "ES"]));
    assert_eq!(t["steps"][0]["questionnaires"][0]["questions"][1]["type"], "RATING_1_5");
    assert_eq!(t["steps"][0]["questionnaires"][0]["questions"][3]["options"], json!(["Core", "Growth"]));
    assert_eq!(t["steps"][1]["relationshipKinds"], json!(["MANAGER", "PEER"]));
    let id = t["id"].as_str().expect("id").to_owned();
    let kept_step = t["steps"][1]["id"].clone();

    // Rename, and replace the steps keeping the reference check by its id.
    let edit = json!({ "name": "Engineering v2", "steps": [
        { "id": kept_step, "kind": "REFERENCE_CHECK", "refereesRequired": 1, "relationshipKinds": ["OTHER"],
          "questionnaires": [ { "language": "EN", "questions": [ { "prompt": "Anything else?", "type": "TEXT" } ] } ] } ] });
    let updated = gql.run(Some(&admin.token), &update_query(), json!({ "id": id, "i": edit })).await;
    let u = &updated.data()["updateTemplate"];
    assert_eq!(u["name"], "Engineering v2");
    assert_eq!(u["steps"].as_array().map(Vec::len), Some(1));
    assert_eq!(u["steps"][0]["id"], kept_step, "a step sent with its id is kept");
    assert_eq!(u["steps"][0]["refereesRequired"], 1);

    let archived = gql
        .run(
            Some(&admin.token),
            "mutation($id: UUID!) { archiveTemplate(id: $id) { archived } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(archived.data()["archiveTemplate"]["archived"], true);
    let listed = gql
        .run(
            Some(&admin.token),
            "{ templates { name } all: templates(includeArchived: true) { name } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed.data()["templates"].as_array().map(Vec::len),
        Some(2),
        "archived ones are hidden by default"
    );
    assert_eq!(listed.data()["all"].as_array().map(Vec::len), Some(3));
    let restored = gql
        .run(
            Some(&admin.token),
            "mutation($id: UUID!) { unarchiveTemplate(id: $id) { archived } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(restored.data()["unarchiveTemplate"]["archived"], false);

    let deleted = gql
        .run(Some(&admin.token), "mutation($id: UUID!) { deleteTemplate(id: $id) }", json!({ "id": id }))
        .await;
    assert_eq!(deleted.data()["deleteTemplate"], json!(id));
    let gone = gql
        .run(Some(&admin.token), "query($id: UUID!) { template(id: $id) { name } }", json!({ "id": id }))
        .await;
    assert!(gone.data()["template"].is_null());

    let trail = gql
        .run(
            Some(&admin.token),
            "query($id: UUID) { auditEvents(subjectId: $id) { action actorUserId changes } }",
            json!({ "id": id }),
        )
        .await;
    let actions: Vec<&str> = trail.data()["auditEvents"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in [
        "template.created",
        "template.updated",
        "template.archived",
        "template.unarchived",
        "template.deleted",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    let update = trail.data()["auditEvents"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["action"] == "template.updated")
        .cloned()
        .expect("update event");
    assert_eq!(update["actorUserId"], json!(admin.id));
    assert_eq!(update["changes"]["name"], json!({ "from": "Engineering", "to": "Engineering v2" }));
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let mut cases: Vec<(Value, &str, &str)> = Vec::new();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = two_steps("Fine");
        f(&mut v);
        v
    };
    cases.push((with(&|v| v["name"] = json!("   ")), "BAD_USER_INPUT", "name"));
    cases.push((with(&|v| v["name"] = json!("n".repeat(10_000))), "BAD_USER_INPUT", "name"));
    cases.push((with(&|v| v["name"] = json!("standard REFERENCE check")), "CONFLICT", "name"));
    cases.push((with(&|v| v["steps"] = json!([])), "BAD_USER_INPUT", "steps"));
    cases.push((
        with(&|v| v["steps"][1]["refereesRequired"] = json!(11)),
        "BAD_USER_INPUT",
        "steps[1].refereesRequired",
    ));
    cases.push((
        with(&|v| v["steps"][1]["relationshipKinds"] = json!([])),
        "BAD_USER_INPUT",
        "steps[1].relationshipKinds",
    ));
    cases.push((
        with(&|v| {
            v["steps"][0]["questionnaires"] =
                json!([{ "language": "SV", "questions": [{ "prompt": "Hej", "type": "TEXT" }] }])
        }),
        "BAD_USER_INPUT",
        "steps[0].questionnaires",
    ));
    cases.push((
        with(&|v| v["steps"][0]["questionnaires"][0]["questions"][3]["options"] = json!(["Only one"])),
        "BAD_USER_INPUT",
        "steps[0].questionnaires[0].questions[3].options",
    ));
    cases.push((
        with(&|v| v["steps"][0]["questionnaires"][0]["questions"][0]["prompt"] = json!("")),
        "BAD_USER_INPUT",
        "steps[0].questionnaires[0].questions[0].prompt",
    ));
    cases.push((
        with(&|v| v["steps"][0]["questionnaires"][0]["questions"][0]["prompt"] = json!("p".repeat(10_000))),
        "BAD_USER_INPUT",
        "steps[0].questionnaires[0].questions[0].prompt",
    ));
    for (input, code, expected_field) in cases {
        let answer = create(&server, &admin, input).await;
        assert_eq!(answer.error_code(), Some(code), "{expected_field}: {}", answer.body);
        assert_eq!(field(&answer), expected_field, "{}", answer.body);
    }
    let templates = server.graphql().run(Some(&admin.token), "{ templates { name } }", json!({})).await;
    assert_eq!(templates.data()["templates"].as_array().map(Vec::len), Some(2), "nothing was created");

    // Renaming onto another template's name is a conflict too.
    let created = create(&server, &admin, two_steps("Unique")).await;
    let id = created.data()["createTemplate"]["id"].clone();
    let rename = server
        .graphql()
        .run(
            Some(&admin.token),
            &update_query(),
            json!({ "id": id, "i": { "name": "Standard Reference Check" } }),
        )
        .await;
    assert_eq!(rename.error_code(), Some("CONFLICT"));
    assert_eq!(field(&rename), "name");
    // Renaming to itself in other case is fine.
    let same = server
        .graphql()
        .run(Some(&admin.token), &update_query(), json!({ "id": id, "i": { "name": "UNIQUE" } }))
        .await;
    assert_eq!(same.data()["updateTemplate"]["name"], "UNIQUE");
}

#[tokio::test]
async fn a_template_used_by_a_rule_can_be_archived_not_deleted() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let lever = SeededLever::connect(&server.db, admin.organization_id).await;
    lever.posting(&server.db, "post-1", "Backend Engineer", &[]).await;
    lever.stage(&server.db, "stage-ref", "Reference check", 1).await;
    let gql = server.graphql();
    let t = gql.run(Some(&admin.token), "{ templates { id name steps { id } } }", json!({})).await;
    let standard = t.data()["templates"][1].clone();
    assert_eq!(standard["name"], "Standard reference check");
    let rule = gql
        .run(
            Some(&admin.token),
            "mutation($i: RuleInput!) { createRule(input: $i) { id } }",
            json!({ "i": { "name": "Engineering hires", "postingIds": ["post-1"], "templateId": standard["id"], "language": "EN",
                           "steps": [{ "stepId": standard["steps"][0]["id"], "stageId": "stage-ref" }] } }),
        )
        .await;
    rule.data();
    let refused = gql
        .run(
            Some(&admin.token),
            "mutation($id: UUID!) { deleteTemplate(id: $id) }",
            json!({ "id": standard["id"] }),
        )
        .await;
    assert_eq!(refused.error_code(), Some("CONFLICT"), "{}", refused.body);
    let message = refused.error_message().unwrap_or_default();
    assert!(message.contains("Engineering hires") && message.contains("archive"), "{message}");
    let used = gql
        .run(
            Some(&admin.token),
            "query($id: UUID!) { template(id: $id) { usedByRules { name } } }",
            json!({ "id": standard["id"] }),
        )
        .await;
    assert_eq!(used.data()["template"]["usedByRules"], json!([{ "name": "Engineering hires" }]));
    let archived = gql
        .run(
            Some(&admin.token),
            "mutation($id: UUID!) { archiveTemplate(id: $id) { archived } }",
            json!({ "id": standard["id"] }),
        )
        .await;
    assert_eq!(archived.data()["archiveTemplate"]["archived"], true);
}

#[tokio::test]
async fn default_language_changes_only_when_templates_have_it() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let member = server.user("Acme", "member@acme.test", Role::TeamMember).await;
    let gql = server.graphql();
    let set = "mutation($l: Language!) { setDefaultLanguage(language: $l) { defaultLanguage } }";
    let forbidden = gql.run(Some(&member.token), set, json!({ "l": "SV" })).await;
    assert_eq!(forbidden.error_code(), Some("FORBIDDEN"));
    let refused = gql.run(Some(&admin.token), set, json!({ "l": "SV" })).await;
    assert_eq!(refused.error_code(), Some("CONFLICT"));
    assert!(
        refused.error_message().unwrap_or_default().contains("Standard reference check"),
        "{}",
        refused.body
    );
    for t in gql.run(Some(&admin.token), "{ templates { id } }", json!({})).await.data()["templates"]
        .as_array()
        .expect("list")
    {
        gql.run(
            Some(&admin.token),
            "mutation($id: UUID!) { archiveTemplate(id: $id) { id } }",
            json!({ "id": t["id"] }),
        )
        .await
        .data();
    }
    let accepted = gql.run(Some(&admin.token), set, json!({ "l": "SV" })).await;
    assert_eq!(accepted.data()["setDefaultLanguage"]["defaultLanguage"], "SV");
    // Now every new template needs Swedish.
    let refused = create(&server, &admin, json!({ "name": "English only", "steps": [
        { "kind": "SELF_ASSESSMENT", "questionnaires": [ { "language": "EN", "questions": [ { "prompt": "Hi", "type": "TEXT" } ] } ] } ] })).await;
    assert_eq!(field(&refused), "steps[0].questionnaires");
    assert!(refused.error_message().unwrap_or_default().contains("Swedish"));
}

#[tokio::test]
async fn roles_and_tenant_isolation() {
    let server = TestServer::start().await;
    let a_admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let a_member = server.user("Acme", "member@acme.test", Role::TeamMember).await;
    let b_admin = server.user("Globex", "admin@globex.test", Role::SuperAdmin).await;
    let gql = server.graphql();
    let secret = create(&server, &b_admin, two_steps("Globex secret plan")).await;
    let b_id = secret.data()["createTemplate"]["id"].clone();

    let read = gql
        .run(Some(&a_admin.token), "query($id: UUID!) { template(id: $id) { name } }", json!({ "id": b_id }))
        .await;
    assert!(read.data()["template"].is_null());
    let list =
        gql.run(Some(&a_admin.token), "{ templates(includeArchived: true) { name } }", json!({})).await;
    assert!(!list.body.to_string().contains("Globex"), "{}", list.body);
    for mutation in [
        "mutation($id: UUID!) { archiveTemplate(id: $id) { id } }",
        "mutation($id: UUID!) { unarchiveTemplate(id: $id) { id } }",
        "mutation($id: UUID!) { deleteTemplate(id: $id) }",
        "mutation($id: UUID!) { updateTemplate(id: $id, input: { name: \"Mine now\" }) { id } }",
    ] {
        let answer = gql.run(Some(&a_admin.token), mutation, json!({ "id": b_id })).await;
        assert_eq!(answer.error_code(), Some("NOT_FOUND"), "{mutation}: {}", answer.body);
        assert!(!answer.body.to_string().contains("Globex"), "{}", answer.body);
    }
    let still = gql
        .run(
            Some(&b_admin.token),
            "query($id: UUID!) { template(id: $id) { name archived } }",
            json!({ "id": b_id }),
        )
        .await;
    assert_eq!(still.data()["template"], json!({ "name": "Globex secret plan", "archived": false }));
    // Both companies can use the same name.
    create(&server, &a_admin, two_steps("Globex secret plan")).await.data();

    let member_read = gql.run(Some(&a_member.token), "{ templates { name } }", json!({})).await;
    assert_eq!(member_read.data()["templates"].as_array().map(Vec::len), Some(3));
    let member_write = create(&server, &a_member, two_steps("Nope")).await;
    assert_eq!(member_write.error_code(), Some("FORBIDDEN"));
    let anonymous = gql.run(None, "{ templates { name } }", json!({})).await;
    assert_eq!(anonymous.error_code(), Some("UNAUTHENTICATED"));
}
