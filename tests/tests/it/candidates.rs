//! `candidate(id)`: the candidate page's query. Visible to the company's
//! users (limited team members only in projects they belong to), NOT_FOUND
//! for everyone else, and blank personal data once Lever deleted the
//! candidate and Vouch purged them.
use chrono::{Duration, Utc};
use entity::check::CheckStatus;
use entity::template_step::StepKind;
use entity::{candidate, check, project, project_member, Language, Role};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::json;
use uuid::Uuid;
use vouch_tests::{TestServer, TestUser};

const QUERY: &str =
    "query($id: UUID!) { candidate(id: $id) { id name emails phones { type value } projectId \
                     projectName leverOpportunityId purgedAt checks { id status stepKind candidateName } } }";

struct Seeded {
    connection_id: Uuid,
    project_id: Uuid,
    candidate_id: Uuid,
    check_id: Uuid,
}

/// A project, a candidate with an e-mail and a phone, and one check, as the
/// webhook processing would have stored them (the Lever side is not needed
/// to read them back).
async fn seed(server: &TestServer, admin: &TestUser) -> Seeded {
    let db = &server.db;
    let now = Utc::now();
    let connection_id = Uuid::new_v4();
    let project = project::ActiveModel {
        id: Set(Uuid::new_v4()),
        organization_id: Set(admin.organization_id),
        connection_id: Set(connection_id),
        lever_posting_id: Set("posting-1".into()),
        name: Set("Robot Whisperer".into()),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .expect("project");
    let candidate = candidate::ActiveModel {
        id: Set(Uuid::new_v4()),
        organization_id: Set(admin.organization_id),
        connection_id: Set(connection_id),
        project_id: Set(project.id),
        lever_opportunity_id: Set("opp-1".into()),
        name: Set("Cora Candidate".into()),
        emails: Set(json!(["cora@cand.test"])),
        phones: Set(json!([{ "type": "mobile", "value": "+46 70 123 45 67" }])),
        purged_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .expect("candidate");
    let check = check::ActiveModel {
        id: Set(Uuid::new_v4()),
        organization_id: Set(admin.organization_id),
        connection_id: Set(connection_id),
        project_id: Set(project.id),
        candidate_id: Set(candidate.id),
        lever_opportunity_id: Set("opp-1".into()),
        rule_id: Set(Uuid::new_v4()),
        template_id: Set(Uuid::new_v4()),
        step_id: Set(Uuid::new_v4()),
        step_kind: Set(StepKind::SelfAssessment),
        language: Set(Language::En),
        status: Set(CheckStatus::Sent),
        status_reason: Set(None),
        status_version: Set(1),
        lever_written_version: Set(1),
        lever_note_id: Set(None),
        triggered_by_lever_user: Set(None),
        questions: Set(json!([])),
        referees_required: Set(None),
        relationship_kinds: Set(None),
        source_delivery_id: Set(None),
        reminded_hours_before: Set(None),
        answers: Set(None),
        submitted_at: Set(None),
        expires_at: Set(now + Duration::days(14)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .expect("check");
    Seeded { connection_id, project_id: project.id, candidate_id: candidate.id, check_id: check.id }
}

#[tokio::test]
async fn the_company_sees_the_candidate_with_their_checks() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let s = seed(&server, &admin).await;
    for role_user in [admin.clone(), server.user("Acme", "member@acme.test", Role::TeamMember).await] {
        let answer =
            server.graphql().run(Some(&role_user.token), QUERY, json!({ "id": s.candidate_id })).await;
        let c = &answer.data()["candidate"];
        assert_eq!(c["name"], "Cora Candidate");
        assert_eq!(c["emails"], json!(["cora@cand.test"]));
        assert_eq!(c["phones"], json!([{ "type": "mobile", "value": "+46 70 123 45 67" }]));
        assert_eq!(c["projectId"], s.project_id.to_string());
        assert_eq!(c["projectName"], "Robot Whisperer");
        assert_eq!(c["leverOpportunityId"], "opp-1");
        assert!(c["purgedAt"].is_null());
        assert_eq!(
            c["checks"],
            json!([{ "id": s.check_id, "status": "SENT", "stepKind": "SELF_ASSESSMENT", "candidateName": "Cora Candidate" }])
        );
    }
}

#[tokio::test]
async fn another_company_and_unknown_ids_are_not_found() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::SuperAdmin).await;
    let outsider = server.user("Globex", "admin@globex.test", Role::SuperAdmin).await;
    let s = seed(&server, &admin).await;
    for id in [s.candidate_id, Uuid::new_v4()] {
        let answer = server.graphql().run(Some(&outsider.token), QUERY, json!({ "id": id })).await;
        assert_eq!(answer.error_code(), Some("NOT_FOUND"), "{}", answer.body);
        assert!(!answer.body.to_string().contains("Cora"), "nothing about Acme's candidate: {}", answer.body);
    }
    let anonymous = server.graphql().run(None, QUERY, json!({ "id": s.candidate_id })).await;
    assert_eq!(anonymous.error_code(), Some("UNAUTHENTICATED"), "{}", anonymous.body);
}

#[tokio::test]
async fn a_limited_member_sees_only_projects_they_belong_to() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::SuperAdmin).await;
    let limited = server.user("Acme", "limited@acme.test", Role::LimitedTeamMember).await;
    let s = seed(&server, &admin).await;
    let refused = server.graphql().run(Some(&limited.token), QUERY, json!({ "id": s.candidate_id })).await;
    assert_eq!(refused.error_code(), Some("NOT_FOUND"), "{}", refused.body);
    assert!(!refused.body.to_string().contains("Cora"));

    project_member::ActiveModel {
        project_id: Set(s.project_id),
        user_id: Set(limited.id),
        created_at: Set(Utc::now()),
    }
    .insert(&server.db)
    .await
    .expect("membership");
    let allowed = server.graphql().run(Some(&limited.token), QUERY, json!({ "id": s.candidate_id })).await;
    assert_eq!(allowed.data()["candidate"]["name"], "Cora Candidate");
}

#[tokio::test]
async fn a_purged_candidate_shows_no_personal_data() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::SuperAdmin).await;
    let s = seed(&server, &admin).await;
    let purged =
        vouch::domain::checks::closing::purge(&server.db, admin.organization_id, s.connection_id, "opp-1")
            .await
            .expect("purge");
    assert_eq!(purged, 1);
    let answer = server.graphql().run(Some(&admin.token), QUERY, json!({ "id": s.candidate_id })).await;
    let c = &answer.data()["candidate"];
    assert_eq!(c["name"], "(deleted)");
    assert_eq!(c["emails"], json!([]));
    assert_eq!(c["phones"], json!([]));
    assert!(c["purgedAt"].is_string(), "{c}");
    assert_eq!(c["checks"][0]["id"], s.check_id.to_string(), "the anonymous check stays");
    let body = answer.body.to_string();
    assert!(!body.contains("Cora") && !body.contains("cora@") && !body.contains("+46"), "{body}");
}
