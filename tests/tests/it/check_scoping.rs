//! Who sees which checks: a LIMITED_TEAM_MEMBER only the projects they were
//! given through project membership (as the Lever user who moved a
//! candidate, or a posting's owner); a TEAM_MEMBER every project of the
//! company; another company nothing, by any id (NOT_FOUND).
use entity::Role;
use lever_sim::{NewCandidate, NewPosting, NewUser};
use serde_json::{json, Value};
use vouch_tests::check_story::{gql, story, Story, WAIT};
use vouch_tests::{eventually, GraphqlAnswer, TestUser};

const CHECKS: &str = "query($p: UUID) { checks(filter: { projectId: $p }) { id projectId candidateName } }";

async fn as_user(s: &Story, who: &TestUser, query: &str, vars: Value) -> GraphqlAnswer {
    gql(&s.server, Some(&who.token), query, vars).await
}

fn ids(list: &Value) -> Vec<String> {
    let mut out: Vec<String> =
        list.as_array().into_iter().flatten().filter_map(|v| v["id"].as_str().map(str::to_owned)).collect();
    out.sort();
    out
}

/// A second posting owned by another Lever user, covered by its own rule.
async fn second_posting(s: &Story, owner: &str) -> String {
    let sim = &s.world.sim;
    let posting = sim
        .add_posting(
            &s.world.company_id,
            NewPosting {
                text: "Secret Project".into(),
                owner: Some(owner.to_owned()),
                ..NewPosting::default()
            },
        )
        .expect("posting")
        .id;
    let connection = s.run("{ leverConnection { id } }", json!({})).await;
    let refresh = s
        .run(
            "mutation($id: UUID!) { refreshLeverCatalogue(connectionId: $id) { id } }",
            json!({ "id": connection.data()["leverConnection"]["id"] }),
        )
        .await;
    let job = refresh.data()["refreshLeverCatalogue"]["id"].as_str().expect("job").to_owned();
    assert_eq!(s.server.graphql().finished_job(&s.admin.token, &job).await["status"], "DONE");
    let templates = s.run("{ templates { id name steps { id } } }", json!({})).await;
    let template = templates.data()["templates"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == "Self-assessment + references").cloned())
        .expect("default template");
    let rule = json!({
        "name": "Secret",
        "postingIds": [posting],
        "templateId": template["id"],
        "language": "EN",
        "steps": [
            { "stepId": template["steps"][0]["id"], "stageId": s.self_stage },
            { "stepId": template["steps"][1]["id"], "stageId": s.ref_stage },
        ],
    });
    s.run("mutation($i: RuleInput!) { createRule(input: $i) { id } }", json!({ "i": rule })).await.data();
    posting
}

/// Moves a new candidate of `posting` into the self-assessment stage as
/// Lever user `mover`; answers the check once it exists.
async fn check_for(s: &Story, name: &str, posting: &str, mover: &str) -> Value {
    let opp = s
        .world
        .sim
        .create_candidate(
            &s.world.company_id,
            NewCandidate {
                name: name.into(),
                emails: vec![format!("{}@cand.test", name.to_lowercase().replace(' ', "."))],
                posting: Some(posting.to_owned()),
                ..NewCandidate::default()
            },
        )
        .expect("candidate")
        .id;
    s.world.sim.move_candidate(&s.world.company_id, &opp, &s.self_stage, Some(mover)).expect("move");
    eventually(&format!("{name}'s check"), WAIT, || async {
        let a = s.run("{ checks { id projectId candidateName } }", json!({})).await;
        a.data()["checks"].as_array()?.iter().find(|c| c["candidateName"] == name).cloned()
    })
    .await
}

#[tokio::test]
async fn limited_members_see_their_projects_team_members_all_other_companies_nothing() {
    let s = story().await;
    // Rita moves candidates in Lever; in Vouch she is a limited team member.
    let limited = s.server.user("Acme", "rita@acme.example", Role::LimitedTeamMember).await;
    let member = s.server.user("Acme", "tom@acme.test", Role::TeamMember).await;
    let stranger = s.server.user("Other Co", "boss@other.test", Role::SuperAdmin).await;
    let otto = s
        .world
        .sim
        .add_user(
            &s.world.company_id,
            NewUser {
                name: "Otto Owner".into(),
                email: "otto@acme.example".into(),
                access_role: Some("team member".into()),
                ..NewUser::default()
            },
        )
        .expect("Lever user")
        .id;
    let secret = second_posting(&s, &otto).await;

    let mine = check_for(&s, "Ana Visible", &s.posting, &s.world.lever_admin_id).await;
    let hidden = check_for(&s, "Ben Hidden", &secret, &otto).await;
    assert_ne!(mine["projectId"], hidden["projectId"], "one project per posting");

    // The limited member: only the project she was given.
    let a = as_user(&s, &limited, CHECKS, json!({})).await;
    assert_eq!(ids(&a.data()["checks"]), ids(&json!([mine])), "{}", a.body);
    let a = as_user(&s, &limited, "{ projects { id name } }", json!({})).await;
    assert_eq!(a.data()["projects"].as_array().map(Vec::len), Some(1), "{}", a.body);
    assert_eq!(a.data()["projects"][0]["id"], mine["projectId"]);
    let a =
        as_user(&s, &limited, "query($id: UUID!) { check(id: $id) { id } }", json!({ "id": hidden["id"] }))
            .await;
    assert_eq!(a.error_code(), Some("NOT_FOUND"), "{}", a.body);
    let a = as_user(&s, &limited, CHECKS, json!({ "p": hidden["projectId"] })).await;
    assert_eq!(a.data()["checks"], json!([]), "filtering by a project she lacks shows nothing");
    let a = as_user(
        &s,
        &limited,
        "query($id: UUID!) { check(id: $id) { id candidateName } }",
        json!({ "id": mine["id"] }),
    )
    .await;
    assert_eq!(a.data()["check"]["candidateName"], "Ana Visible");
    let cancel = "mutation($id: UUID!) { cancelCheck(id: $id, reason: \"no\") { status } }";
    let a = as_user(&s, &limited, cancel, json!({ "id": mine["id"] })).await;
    assert_eq!(a.error_code(), Some("FORBIDDEN"), "limited members read only: {}", a.body);
    let a = as_user(&s, &limited, "{ outbox { id } }", json!({})).await;
    assert_eq!(a.error_code(), Some("FORBIDDEN"));

    // A team member: every project of the company.
    let a = as_user(&s, &member, CHECKS, json!({})).await;
    assert_eq!(ids(&a.data()["checks"]), ids(&json!([mine, hidden])), "{}", a.body);
    let a =
        as_user(&s, &member, "query($id: UUID!) { check(id: $id) { id } }", json!({ "id": hidden["id"] }))
            .await;
    assert_eq!(a.data()["check"]["id"], hidden["id"]);
    let a = as_user(&s, &member, "{ projects { id } }", json!({})).await;
    assert_eq!(a.data()["projects"].as_array().map(Vec::len), Some(2));

    // Another company: nothing, by list or by id.
    let a = as_user(&s, &stranger, CHECKS, json!({})).await;
    assert_eq!(a.data()["checks"], json!([]));
    let a = as_user(&s, &stranger, "{ projects { id } }", json!({})).await;
    assert_eq!(a.data()["projects"], json!([]));
    for id in [&mine["id"], &hidden["id"]] {
        let a =
            as_user(&s, &stranger, "query($id: UUID!) { check(id: $id) { id } }", json!({ "id": id })).await;
        assert_eq!(a.error_code(), Some("NOT_FOUND"), "{}", a.body);
        let a = as_user(&s, &stranger, cancel, json!({ "id": id })).await;
        assert_eq!(a.error_code(), Some("NOT_FOUND"), "{}", a.body);
    }
    let a = as_user(&s, &stranger, CHECKS, json!({ "p": mine["projectId"] })).await;
    assert_eq!(a.data()["checks"], json!([]));

    // Rita moves a candidate of the secret posting: she is a member now,
    // and sees that project's checks too.
    let later = check_for(&s, "Cai Later", &secret, &s.world.lever_admin_id).await;
    let a = as_user(&s, &limited, CHECKS, json!({})).await;
    assert_eq!(ids(&a.data()["checks"]), ids(&json!([mine, hidden, later])), "{}", a.body);
    let a = as_user(&s, &limited, "{ projects { id } }", json!({})).await;
    assert_eq!(a.data()["projects"].as_array().map(Vec::len), Some(2));
}
