//! Checks end to end (DESIGN.md flows 6–9, 11): the real server and the Lever
//! simulator over HTTP. A candidate moved into a mapped stage gets a check,
//! the link arrives in the outbox, the candidate answers with the token
//! alone, and the status comes back into Lever as a tag and one note.
use serde_json::{json, Value};
use vouch_tests::check_story::{full_answers, gql, public_page, story, WAIT};
use vouch_tests::eventually;

#[tokio::test]
async fn application_creates_the_project_the_candidate_and_members() {
    let s = story().await;
    s.candidate("Nina New", &["nina@cand.test"]);
    let projects = eventually("a project", WAIT, || async {
        let a = s.run("{ projects { name leverPostingId memberIds } }", json!({})).await;
        let list = a.data()["projects"].as_array().cloned().unwrap_or_default();
        (!list.is_empty()).then_some(list)
    })
    .await;
    assert_eq!(projects[0]["name"], "Robot Whisperer");
    assert_eq!(projects[0]["leverPostingId"], s.posting.as_str());
    // The posting owner (rita@acme.example) is unknown to Vouch: invited.
    assert_eq!(projects[0]["memberIds"].as_array().map(Vec::len), Some(1), "{projects:?}");
    let outbox = s.run("{ outbox { to kind } }", json!({})).await;
    assert!(outbox.data()["outbox"]
        .as_array()
        .expect("outbox")
        .iter()
        .any(|m| m["to"] == "rita@acme.example" && m["kind"] == "INVITATION"));
    let checks = s.run("{ checks { id } }", json!({})).await;
    assert_eq!(checks.data()["checks"], json!([]), "a new application starts no check");
}

#[tokio::test]
async fn self_assessment_story_from_stage_change_to_completed_in_lever() {
    let s = story().await;
    let opp = s.candidate("Sam Self", &["sam@cand.test"]);
    s.move_to(&opp, &s.self_stage);
    let checks = s.checks(1).await;
    let id = checks[0]["id"].clone();
    assert_eq!(checks[0]["stepKind"], "SELF_ASSESSMENT");
    s.status_of(&id, "SENT").await;
    assert_eq!(s.vouch_tags(&opp), vec!["Vouch Status: Sent"]);

    let token = s.link_token("sam@cand.test", "CANDIDATE_LINK", 0).await;
    let page = public_page(&s.server, &token).await;
    assert_eq!(page["purpose"], "CANDIDATE_SELF_ASSESSMENT");
    assert_eq!(page["checkId"], id);
    let answers = full_answers(&page);

    // Over-long text is refused naming the field; nothing changes.
    let text_q = page["questions"]
        .as_array()
        .expect("q")
        .iter()
        .find(|q| q["type"] == "TEXT")
        .expect("a text question")["index"]
        .clone();
    let long = gql(
        &s.server,
        None,
        "mutation($t: String!, $a: [AnswerInput!]!) { saveAnswers(token: $t, answers: $a) { status } }",
        json!({ "t": token, "a": [ { "question": text_q, "value": "x".repeat(20_001) } ] }),
    )
    .await;
    assert_eq!(long.error_code(), Some("BAD_USER_INPUT"));
    // A forged token is NOT_FOUND; the right token for another check id too.
    let forged = gql(
        &s.server,
        None,
        "query($t: String!) { publicCheck(token: $t) { status } }",
        json!({ "t": "forged-token" }),
    )
    .await;
    assert_eq!(forged.error_code(), Some("NOT_FOUND"));
    let other = gql(
        &s.server,
        None,
        "query($t: String!, $c: UUID) { publicCheck(token: $t, checkId: $c) { status } }",
        json!({ "t": token, "c": uuid::Uuid::new_v4() }),
    )
    .await;
    assert_eq!(other.error_code(), Some("NOT_FOUND"));
    // The wrong purpose: a self-assessment token cannot name referees.
    let wrong = gql(
        &s.server,
        None,
        "mutation($t: String!) { nominateReferees(token: $t, referees: []) { status } }",
        json!({ "t": token }),
    )
    .await;
    assert_eq!(wrong.error_code(), Some("NOT_FOUND"));

    // A draft is kept, then two submissions race: one wins, one is a CONFLICT.
    let draft = gql(&s.server, None, "mutation($t: String!, $a: [AnswerInput!]!) { saveAnswers(token: $t, answers: $a) { status answers { question } } }", json!({ "t": token, "a": [answers[0].clone()] })).await;
    assert_eq!(draft.data()["saveAnswers"]["status"], "IN_PROGRESS");
    let submit = "mutation($t: String!, $a: [AnswerInput!]!) { submitAnswers(token: $t, answers: $a) { status submitted } }";
    let vars = json!({ "t": token, "a": answers });
    let (a, b) =
        tokio::join!(gql(&s.server, None, submit, vars.clone()), gql(&s.server, None, submit, vars.clone()));
    let codes = [a.error_code(), b.error_code()];
    assert!(
        codes.contains(&None) && codes.contains(&Some("CONFLICT")),
        "one wins, one conflicts: {codes:?} {} {}",
        a.body,
        b.body
    );

    let check = s.status_of(&id, "COMPLETED").await;
    assert!(check["report"]
        .as_array()
        .is_some_and(|r| r.iter().any(|q| q["answers"][0]["respondent"] == "Candidate")));
    assert_eq!(s.vouch_tags(&opp), vec!["Vouch Status: Completed"]);
    let notes = s.live_notes(&opp);
    assert_eq!(notes.len(), 1, "exactly one current Vouch note: {notes:?}");
    assert!(
        notes[0].contains("Completed") && notes[0].contains(&format!("/checks/{}", id.as_str().expect("id")))
    );
    let all = s.world.sim.opportunity_notes(&s.world.company_id, &opp).expect("notes");
    assert!(
        all.iter().any(|n| n.deleted_at.is_some()),
        "earlier notes deleted (statuses written while Lever lagged coalesce into the latest)"
    );
}

#[tokio::test]
async fn reference_check_with_two_referees_until_completed() {
    let s = story().await;
    let opp = s.candidate("Rae Ref", &["rae@cand.test"]);
    s.move_to(&opp, &s.ref_stage);
    let checks = s.checks(1).await;
    let id = checks[0]["id"].clone();
    assert_eq!(checks[0]["stepKind"], "REFERENCE_CHECK");
    let token = s.link_token("rae@cand.test", "CANDIDATE_LINK", 0).await;
    let page = public_page(&s.server, &token).await;
    assert_eq!(page["purpose"], "CANDIDATE_NOMINATION");
    let n = page["refereesRequired"].as_i64().expect("referees required") as usize;
    let kind = page["relationshipKinds"][0].clone();
    let referee =
        |i: usize, email: &str| json!({ "name": format!("Ref {i}"), "email": email, "relationship": kind });
    let nominate = "mutation($t: String!, $r: [RefereeInput!]!) { nominateReferees(token: $t, referees: $r) { status } }";
    let mut good: Vec<Value> = (0..n).map(|i| referee(i, &format!("ref{i}@refs.test"))).collect();
    let field = |a: &vouch_tests::GraphqlAnswer| {
        a.body["errors"][0]["extensions"]["field"].as_str().map(str::to_owned)
    };
    // Bad input names the field.
    let mut own = good.clone();
    own[0]["email"] = json!("RAE@cand.test");
    let a = gql(&s.server, None, nominate, json!({ "t": token, "r": own })).await;
    assert_eq!(field(&a).as_deref(), Some("referees[0].email"), "{}", a.body);
    let mut bad = good.clone();
    bad[n - 1]["email"] = json!("not-an-address");
    let a = gql(&s.server, None, nominate, json!({ "t": token, "r": bad })).await;
    assert_eq!(field(&a), Some(format!("referees[{}].email", n - 1)));
    if n > 1 {
        let mut dup = good.clone();
        dup[1]["email"] = dup[0]["email"].clone();
        let a = gql(&s.server, None, nominate, json!({ "t": token, "r": dup })).await;
        assert_eq!(field(&a).as_deref(), Some("referees[1].email"));
    }
    let a = gql(&s.server, None, nominate, json!({ "t": token, "r": good[..n - 1] })).await;
    assert_eq!(field(&a).as_deref(), Some("referees"));
    good.truncate(n);
    let a = gql(&s.server, None, nominate, json!({ "t": token, "r": good })).await;
    assert_eq!(a.data()["nominateReferees"]["status"], "AWAITING_REFEREES");
    for i in 0..n {
        let t = s.link_token(&format!("ref{i}@refs.test"), "REFEREE_REQUEST", 0).await;
        let page = public_page(&s.server, &t).await;
        assert_eq!(page["purpose"], "REFEREE");
        let answered = gql(&s.server, None, "mutation($t: String!, $a: [AnswerInput!]!) { submitAnswers(token: $t, answers: $a) { submitted } }", json!({ "t": t, "a": full_answers(&page) })).await;
        assert_eq!(answered.data()["submitAnswers"]["submitted"], true);
    }
    let check = s.status_of(&id, "COMPLETED").await;
    let report = check["report"].as_array().expect("report");
    assert!(
        report.iter().all(|q| q["answers"].as_array().map(Vec::len) == Some(n)),
        "side by side: {report:?}"
    );
    assert_eq!(s.vouch_tags(&opp), vec!["Vouch Status: Completed"]);
}

#[tokio::test]
async fn no_email_blocks_then_recheck_starts_the_check() {
    let s = story().await;
    let opp = s.candidate("Nora Nomail", &[]);
    s.move_to(&opp, &s.self_stage);
    let checks = s.checks(1).await;
    let id = checks[0]["id"].clone();
    let check = s.status_of(&id, "BLOCKED").await;
    assert_eq!(check["statusReason"], "no e-mail address in Lever");
    assert_eq!(s.vouch_tags(&opp), vec!["Vouch Status: Action needed"]);
    let notes = s.live_notes(&opp);
    assert!(notes.len() == 1 && notes[0].contains("e-mail address in Lever"), "{notes:?}");
    s.world
        .sim
        .set_candidate_emails(&s.world.company_id, &opp, vec!["nora@cand.test".into()])
        .expect("emails");
    let connection = s.run("{ leverConnection { id } }", json!({})).await;
    let started = s
        .run(
            "mutation($id: UUID!) { recheckBlockedChecks(connectionId: $id) }",
            json!({ "id": connection.data()["leverConnection"]["id"] }),
        )
        .await;
    assert_eq!(started.data()["recheckBlockedChecks"], 1);
    s.status_of(&id, "SENT").await;
    s.link_token("nora@cand.test", "CANDIDATE_LINK", 0).await;
    assert_eq!(s.vouch_tags(&opp), vec!["Vouch Status: Sent"]);
}

#[tokio::test]
async fn moving_back_and_in_again_supersedes_and_hired_cancels() {
    let s = story().await;
    let opp = s.candidate("Max Mover", &["max@cand.test"]);
    s.move_to(&opp, &s.self_stage);
    let first = s.checks(1).await[0]["id"].clone();
    s.status_of(&first, "SENT").await;
    s.move_to(&opp, "applicant-new");
    s.move_to(&opp, &s.self_stage);
    let checks = s.checks(2).await;
    let second = checks.iter().find(|c| c["id"] != first).expect("a new check")["id"].clone();
    s.status_of(&first, "SUPERSEDED").await;
    s.status_of(&second, "SENT").await;
    assert_eq!(s.live_notes(&opp).len(), 1, "only the new check's note");
    s.world.sim.hire_candidate(&s.world.company_id, &opp).expect("hire");
    let check = s.status_of(&second, "CANCELLED").await;
    assert_eq!(check["statusReason"], "the candidate was hired in Lever");
    assert_eq!(s.vouch_tags(&opp), vec!["Vouch Status: Cancelled"]);
}

#[tokio::test]
async fn a_template_with_open_checks_cannot_be_deleted() {
    let s = story().await;
    let opp = s.candidate("Olga Open", &["olga@cand.test"]);
    s.move_to(&opp, &s.self_stage);
    let id = s.checks(1).await[0]["id"].clone();
    s.status_of(&id, "SENT").await;
    let rules = s.run("{ rules { id } templates { id name } }", json!({})).await;
    let rule = rules.data()["rules"][0]["id"].clone();
    s.run("mutation($id: UUID!) { deleteRule(id: $id) }", json!({ "id": rule })).await.data();
    let template = rules.data()["templates"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == "Self-assessment + references").cloned())
        .expect("the rule's template");
    let refused =
        s.run("mutation($id: UUID!) { deleteTemplate(id: $id) }", json!({ "id": template["id"] })).await;
    assert_eq!(refused.error_code(), Some("CONFLICT"), "{}", refused.body);
    assert!(refused.error_message().unwrap_or_default().contains("1 open check"), "{}", refused.body);
}

#[tokio::test]
async fn deleted_candidate_is_purged_and_audited() {
    let s = story().await;
    let opp = s.candidate("Dee Deleted", &["dee@cand.test"]);
    s.move_to(&opp, &s.self_stage);
    let id = s.checks(1).await[0]["id"].clone();
    s.status_of(&id, "SENT").await;
    s.world.sim.delete_candidate(&s.world.company_id, &opp, None).expect("delete");
    let check = eventually("purged", WAIT, || async {
        let a =
            s.run("query($id: UUID!) { check(id: $id) { status candidateName } }", json!({ "id": id })).await;
        let c = a.data()["check"].clone();
        // Purging and cancelling are separate steps; wait for both.
        (c["candidateName"] == "(deleted)" && c["status"] == "CANCELLED").then_some(c)
    })
    .await;
    assert_eq!(check["status"], "CANCELLED");
    let outbox = s.run("{ outbox { to body } }", json!({})).await;
    assert!(!outbox.body.to_string().contains("dee@cand.test"), "no address left");
    let audit = entity::audit_event::Entity::find().all(&s.server.db).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "candidate.purged"));
}

/// A first status costs one `addTags` (no `removeTags`: Lever's answer
/// shows no other status tag), a later one removes the old tag; and a note
/// whose create was interrupted (the process died, or Lever's answer was
/// lost, after Lever made it) is adopted when the write runs again, never
/// written a second time.
#[tokio::test]
async fn status_writes_make_only_the_calls_needed_and_never_double_a_note() {
    let s = story().await;
    let opp = s.candidate("Ivo Interrupted", &["ivo@cand.test"]);
    s.move_to(&opp, &s.self_stage);
    let id = s.checks(1).await[0]["id"].clone();
    s.status_of(&id, "SENT").await;
    let writes = |endpoint: &str| {
        let log = s.world.sim.calls(0).calls;
        log.iter()
            .filter(|c| c.endpoint == endpoint && c.opportunity_id.as_deref() == Some(opp.as_str()))
            .count()
    };
    assert_eq!(writes("/opportunities/{id}/addTags"), 1);
    assert_eq!(writes("/opportunities/{id}/removeTags"), 0, "nothing to remove on a first status");
    assert_eq!(writes("/opportunities/{id}/notes"), 1);
    let posting_reads = s.world.sim.calls(0).calls.iter().filter(|c| c.endpoint == "/postings/{id}").count();
    assert_eq!(posting_reads, 0, "no template tag on the opportunity: the catalogue's posting is enough");
    let notes = s.world.sim.opportunity_notes(&s.world.company_id, &opp).expect("notes");
    assert_eq!(notes.len(), 1);

    // The state a crash after Lever made the note leaves behind: the note is
    // in Lever, Vouch holds only the pending mark and the status unwritten.
    let check_id: uuid::Uuid = serde_json::from_value(id.clone()).expect("a check id");
    entity::check::Entity::update_many()
        .col_expr(entity::check::Column::LeverNoteId, Expr::value("pending"))
        .col_expr(entity::check::Column::LeverWrittenVersion, Expr::value(0))
        .filter(entity::check::Column::Id.eq(check_id))
        .exec(&s.server.db)
        .await
        .expect("mark the note pending");
    entity::job::Entity::update_many()
        .col_expr(entity::job::Column::Status, Expr::value(entity::job::JobStatus::Queued))
        .col_expr(entity::job::Column::RunAfter, Expr::value(chrono::Utc::now()))
        .filter(entity::job::Column::IdempotencyKey.eq(format!("lever.write_status:{check_id}:1")))
        .exec(&s.server.db)
        .await
        .expect("run the write again");
    s.status_of(&id, "SENT").await;
    let notes = s.world.sim.opportunity_notes(&s.world.company_id, &opp).expect("notes");
    assert_eq!(notes.len(), 1, "the note was adopted, not written again: {notes:?}");
    let stored =
        entity::check::Entity::find_by_id(check_id).one(&s.server.db).await.expect("read").expect("check");
    assert_eq!(stored.lever_note_id.as_deref(), Some(notes[0].id.as_str()), "its id is stored");

    // The same mark with a newer status to write: the stray note goes and one
    // new note carries the new status; the old status tag is removed.
    entity::check::Entity::update_many()
        .col_expr(entity::check::Column::LeverNoteId, Expr::value("pending"))
        .filter(entity::check::Column::Id.eq(check_id))
        .exec(&s.server.db)
        .await
        .expect("mark the note pending");
    let token = s.link_token("ivo@cand.test", "CANDIDATE_LINK", 0).await;
    let page = public_page(&s.server, &token).await;
    let answers = full_answers(&page);
    let draft = gql(
        &s.server,
        None,
        "mutation($t: String!, $a: [AnswerInput!]!) { saveAnswers(token: $t, answers: $a) { status } }",
        json!({ "t": token, "a": [answers[0].clone()] }),
    )
    .await;
    assert_eq!(draft.data()["saveAnswers"]["status"], "IN_PROGRESS");
    s.status_of(&id, "IN_PROGRESS").await;
    assert_eq!(s.vouch_tags(&opp), vec!["Vouch Status: In progress"]);
    assert_eq!(writes("/opportunities/{id}/removeTags"), 1, "the old status tag removed");
    let live = s.live_notes(&opp);
    assert_eq!(live.len(), 1, "one current note: {live:?}");
    assert!(live[0].contains("In progress"), "{live:?}");
}

/// A `Vouch Template:` tag put on the posting after Vouch read its
/// catalogue still picks the template: the opportunity shows the tag, so the
/// posting is read from Lever before deciding.
#[tokio::test]
async fn a_template_tag_added_to_the_posting_later_still_picks_the_template() {
    let s = story().await;
    s.world
        .sim
        .set_posting_tags(
            &s.world.company_id,
            &s.posting,
            vec!["Vouch Template: Standard reference check".into()],
        )
        .expect("tag the posting");
    let opp = s.candidate("Tess Tagged", &["tess@cand.test"]);
    s.move_to(&opp, &s.self_stage);
    let checks = s.checks(1).await;
    assert_eq!(checks[0]["stepKind"], "REFERENCE_CHECK", "the tag's template, first step: {checks:?}");
    let posting_reads = s.world.sim.calls(0).calls.iter().filter(|c| c.endpoint == "/postings/{id}").count();
    assert!(posting_reads >= 1, "the posting was read to see whose tag it is");
}

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
