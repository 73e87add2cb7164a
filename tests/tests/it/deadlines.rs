//! Deadlines end to end: reminders before a check's `expires_at` (once per
//! slot, to whoever must act, even when runs race), and EXPIRED after it,
//! written into Lever like every status change. Time is moved by setting
//! `expires_at` in the database; runs are driven directly (racing on
//! purpose) or by the server's own job with a one-second interval.
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;
use vouch::config::DeadlineOptions;
use vouch::domain::checks::deadlines;
use vouch_tests::check_story::{full_answers, gql, public_page, story, story_with, Story, WAIT};
use vouch_tests::eventually;

const SUBMIT: &str =
    "mutation($t: String!, $a: [AnswerInput!]!) { submitAnswers(token: $t, answers: $a) { status submitted } }";

fn check_id(v: &Value) -> Uuid {
    v.as_str().and_then(|s| s.parse().ok()).expect("a check id")
}

async fn set_deadline(s: &Story, id: &Value, at: DateTime<Utc>) {
    entity::check::Entity::update_many()
        .col_expr(entity::check::Column::ExpiresAt, Expr::value(at))
        .filter(entity::check::Column::Id.eq(check_id(id)))
        .exec(&s.server.db)
        .await
        .expect("move the deadline");
}

/// Four deadline runs at once, as from four processes; answers the total.
async fn racing_runs(s: &Story) -> deadlines::DeadlineReport {
    let options = DeadlineOptions::default();
    let url = s.server.config.public_url.clone();
    let run = || deadlines::run_once(&s.server.db, &url, &options, Utc::now());
    let (a, b, c, d) = tokio::join!(run(), run(), run(), run());
    let mut total = deadlines::DeadlineReport::default();
    for report in [a, b, c, d] {
        let report = report.expect("a deadline run");
        total.expired += report.expired;
        total.reminded += report.reminded;
    }
    total
}

/// The outbox's reminders (newest first): (to, subject, body).
async fn reminders(s: &Story) -> Vec<(String, String, String)> {
    let a = s.run("{ outbox(first: 200) { to kind subject body } }", json!({})).await;
    a.data()["outbox"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m["kind"] == "REMINDER")
        .map(|m| {
            let field = |k: &str| m[k].as_str().unwrap_or_default().to_owned();
            (field("to"), field("subject"), field("body"))
        })
        .collect()
}

fn token_in(body: &str) -> String {
    let start = body.find("/respond/").expect("a link") + "/respond/".len();
    body[start..].split_whitespace().next().expect("a token").to_owned()
}

async fn timeline_kinds(s: &Story, id: &Value) -> Vec<String> {
    let a = s.run("query($id: UUID!) { check(id: $id) { timeline { kind } } }", json!({ "id": id })).await;
    a.data()["check"]["timeline"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e["kind"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn each_reminder_slot_is_sent_once_even_when_runs_race() {
    let s = story().await;
    let opp = s.candidate("Rita Remind", &["rita.r@cand.test"]);
    s.move_to(&opp, &s.self_stage);
    let id = s.checks(1).await[0]["id"].clone();
    s.status_of(&id, "SENT").await;

    // Far from the deadline: nothing to do.
    assert_eq!(racing_runs(&s).await, deadlines::DeadlineReport::default());

    // 50 hours before: inside the 72-hour slot. One reminder, however many runs.
    let deadline = Utc::now() + Duration::hours(50);
    set_deadline(&s, &id, deadline).await;
    assert_eq!(racing_runs(&s).await.reminded, 1, "four racing runs remind once");
    assert_eq!(racing_runs(&s).await.reminded, 0, "the slot is spent");
    let sent = reminders(&s).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    let (to, subject, body) = &sent[0];
    assert_eq!(to, "rita.r@cand.test");
    assert!(subject.starts_with("Reminder:"), "{subject}");
    assert!(body.contains(&deadlines::deadline_text(deadline)), "names the deadline: {body}");
    // The reminder's link is a fresh token for the same page.
    let page = gql(
        &s.server,
        None,
        "query($t: String!) { publicCheck(token: $t) { checkId purpose } }",
        json!({ "t": token_in(body) }),
    )
    .await;
    assert_eq!(page.data()["publicCheck"]["checkId"], id);
    assert_eq!(page.data()["publicCheck"]["purpose"], "CANDIDATE_SELF_ASSESSMENT");

    // 10 hours before: the 24-hour slot, once.
    set_deadline(&s, &id, Utc::now() + Duration::hours(10)).await;
    assert_eq!(racing_runs(&s).await.reminded, 1);
    assert_eq!(racing_runs(&s).await.reminded, 0);
    assert_eq!(reminders(&s).await.len(), 2);
    let kinds = timeline_kinds(&s, &id).await;
    assert_eq!(kinds.iter().filter(|k| *k == "reminder.queued").count(), 2, "{kinds:?}");
    // Both went out through the e-mail job (the outbox, without SMTP).
    eventually("reminders delivered to the outbox", WAIT, || async {
        let a = s.run("{ outbox(first: 200) { kind status } }", json!({})).await;
        let list = a.data()["outbox"].as_array().cloned().unwrap_or_default();
        list.iter()
            .filter(|m| m["kind"] == "REMINDER")
            .all(|m| m["status"] == "DELIVERED_TO_OUTBOX")
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn the_deadline_job_reminds_then_expires_and_lever_shows_expired() {
    let s = story_with(&["--deadline-interval-secs", "1"]).await;
    let opp = s.candidate("Ed Expire", &["ed@cand.test"]);
    s.move_to(&opp, &s.self_stage);
    let id = s.checks(1).await[0]["id"].clone();
    s.status_of(&id, "SENT").await;
    let token = s.link_token("ed@cand.test", "CANDIDATE_LINK", 0).await;

    // The server's own job finds the reminder due.
    set_deadline(&s, &id, Utc::now() + Duration::hours(20)).await;
    eventually("the job's reminder", WAIT, || async { (reminders(&s).await.len() == 1).then_some(()) }).await;

    // Past the deadline: EXPIRED through the state machine, into Lever.
    set_deadline(&s, &id, Utc::now() - Duration::minutes(1)).await;
    let check = s.status_of(&id, "EXPIRED").await;
    assert!(
        check["statusReason"].as_str().is_some_and(|r| r.starts_with("no answer before the deadline")),
        "{check}"
    );
    assert!(check["timeline"].as_array().expect("timeline").iter().any(
        |e| e["kind"] == "status.changed" && e["detail"].as_str().is_some_and(|d| d.contains("Expired"))
    ));
    eventually("Lever shows Expired", WAIT, || async {
        (s.vouch_tags(&opp) == vec!["Vouch Status: Expired".to_owned()]).then_some(())
    })
    .await;
    let notes = s.live_notes(&opp);
    assert!(notes.len() == 1 && notes[0].contains("Expired"), "{notes:?}");

    // The candidate's link now says EXPIRED, and answers change nothing.
    let page = gql(
        &s.server,
        None,
        "query($t: String!) { publicCheck(token: $t) { status } }",
        json!({ "t": token }),
    )
    .await;
    assert_eq!(page.error_code(), Some("EXPIRED"), "{}", page.body);
    let late = gql(&s.server, None, SUBMIT, json!({ "t": token, "a": [] })).await;
    assert_eq!(late.error_code(), Some("EXPIRED"), "{}", late.body);
    assert_eq!(reminders(&s).await.len(), 1, "an expired check is not reminded");
}

#[tokio::test]
async fn only_those_who_must_act_are_reminded() {
    let s = story().await;
    // A reference check where one of two referees has answered.
    let ref_opp = s.candidate("Nell Nominee", &["nell@cand.test"]);
    s.move_to(&ref_opp, &s.ref_stage);
    let ref_id = s.checks(1).await[0]["id"].clone();
    let token = s.link_token("nell@cand.test", "CANDIDATE_LINK", 0).await;
    let page = public_page(&s.server, &token).await;
    let n = page["refereesRequired"].as_u64().expect("referees required") as usize;
    assert!(n >= 2, "the default reference step asks for two referees");
    let kind = page["relationshipKinds"][0].clone();
    let referees: Vec<Value> = (0..n)
        .map(|i| json!({ "name": format!("Ref {i}"), "email": format!("ref{i}@refs.test"), "relationship": kind }))
        .collect();
    let nominated = gql(
        &s.server,
        None,
        "mutation($t: String!, $r: [RefereeInput!]!) { nominateReferees(token: $t, referees: $r) { status } }",
        json!({ "t": token, "r": referees }),
    )
    .await;
    assert_eq!(nominated.data()["nominateReferees"]["status"], "AWAITING_REFEREES");
    let first = s.link_token("ref0@refs.test", "REFEREE_REQUEST", 0).await;
    let ref_page = public_page(&s.server, &first).await;
    let answers = full_answers(&ref_page);
    gql(&s.server, None, SUBMIT, json!({ "t": first, "a": answers })).await.data();
    s.status_of(&ref_id, "IN_PROGRESS").await;

    // A self-assessment that was answered.
    let done_opp = s.candidate("Dana Done", &["dana@cand.test"]);
    s.move_to(&done_opp, &s.self_stage);
    let done_id = eventually("the second check", WAIT, || async {
        let list = s.checks(2).await;
        list.iter().find(|c| c["id"] != ref_id).map(|c| c["id"].clone())
    })
    .await;
    let done_token = s.link_token("dana@cand.test", "CANDIDATE_LINK", 0).await;
    let done_page = public_page(&s.server, &done_token).await;
    let done_answers = full_answers(&done_page);
    gql(&s.server, None, SUBMIT, json!({ "t": done_token, "a": done_answers })).await.data();
    s.status_of(&done_id, "COMPLETED").await;

    let soon = Utc::now() + Duration::hours(10);
    set_deadline(&s, &ref_id, soon).await;
    set_deadline(&s, &done_id, soon).await;
    assert_eq!(racing_runs(&s).await.reminded, 1, "only the open check");
    let sent = reminders(&s).await;
    let to: Vec<&str> = sent.iter().map(|(to, _, _)| to.as_str()).collect();
    let waiting: Vec<String> = (1..n).map(|i| format!("ref{i}@refs.test")).collect();
    assert_eq!(to.len(), waiting.len(), "the referees who have not answered: {to:?}");
    for address in &waiting {
        assert!(to.contains(&address.as_str()), "{address} reminded: {to:?}");
    }
    for (_, subject, body) in &sent {
        assert!(subject.contains("Nell Nominee") && body.contains("Nell Nominee"), "names the candidate");
        let page = gql(
            &s.server,
            None,
            "query($t: String!) { publicCheck(token: $t) { purpose } }",
            json!({ "t": token_in(body) }),
        )
        .await;
        assert_eq!(page.data()["publicCheck"]["purpose"], "REFEREE");
    }
    assert!(timeline_kinds(&s, &done_id).await.iter().all(|k| k != "reminder.queued"));
}
