//! Bad input to the public pages' API (no sign-in, the token alone
//! authorises): expired, forged and misdirected tokens, malformed referee
//! nominations, over-long answers and double submissions. Each is refused
//! with a code and a field, and changes nothing.
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use vouch_tests::check_story::{full_answers, gql, public_page, story, Story};
use vouch_tests::GraphqlAnswer;

const VIEW: &str = "query($t: String!, $c: UUID) { publicCheck(token: $t, checkId: $c) { checkId status } }";
const SAVE: &str = "mutation($t: String!, $c: UUID, $a: [AnswerInput!]!) { saveAnswers(token: $t, checkId: $c, answers: $a) { status answers { question value } } }";
const SUBMIT: &str = "mutation($t: String!, $a: [AnswerInput!]!) { submitAnswers(token: $t, answers: $a) { status submitted answers { question value } } }";
const NOMINATE: &str =
    "mutation($t: String!, $r: [RefereeInput!]!) { nominateReferees(token: $t, referees: $r) { status } }";

fn field(a: &GraphqlAnswer) -> Option<String> {
    a.body["errors"][0]["extensions"]["field"].as_str().map(str::to_owned)
}

async fn page(s: &Story, token: &str) -> Value {
    public_page(&s.server, token).await
}

/// A check of `stage` for a new candidate, and the candidate's token.
async fn started(s: &Story, name: &str, email: &str, stage: &str, nth: usize) -> (Value, String) {
    let opp = s.candidate(name, &[email]);
    s.move_to(&opp, stage);
    let token = s.link_token(email, "CANDIDATE_LINK", 0).await;
    let checks = s.checks(nth).await;
    let id = page(s, &token).await["checkId"].clone();
    assert!(checks.iter().any(|c| c["id"] == id));
    (id, token)
}

#[tokio::test]
async fn expired_forged_and_misdirected_tokens() {
    let s = story().await;
    let (first, token) = started(&s, "Tia Token", "tia@cand.test", &s.self_stage, 1).await;
    let (second, _) = started(&s, "Uma Other", "uma@cand.test", &s.self_stage, 2).await;
    assert_ne!(first, second);

    // Forged or unknown tokens: NOT_FOUND, saying nothing more.
    let random = "A".repeat(43);
    let huge = "x".repeat(10_000);
    for forged in ["", "forged", random.as_str(), huge.as_str(), "../../etc/passwd", "' OR 1=1 --"] {
        let a = gql(&s.server, None, VIEW, json!({ "t": forged })).await;
        assert_eq!(a.error_code(), Some("NOT_FOUND"), "{forged:.20}: {}", a.body);
        let a = gql(&s.server, None, SAVE, json!({ "t": forged, "a": [] })).await;
        assert_eq!(a.error_code(), Some("NOT_FOUND"));
    }
    // The right token with another (real) check's id: NOT_FOUND, nothing saved.
    let a = gql(&s.server, None, VIEW, json!({ "t": token, "c": second })).await;
    assert_eq!(a.error_code(), Some("NOT_FOUND"), "{}", a.body);
    let a = gql(
        &s.server,
        None,
        SAVE,
        json!({ "t": token, "c": second, "a": [{ "question": 1, "value": "3" }] }),
    )
    .await;
    assert_eq!(a.error_code(), Some("NOT_FOUND"));
    let a = gql(&s.server, None, VIEW, json!({ "t": token, "c": first })).await;
    assert_eq!(a.data()["publicCheck"]["status"], "SENT", "its own id works, and nothing was saved");

    // The token's time is over: EXPIRED, with what to do.
    entity::check_token::Entity::update_many()
        .col_expr(
            entity::check_token::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .filter(entity::check_token::Column::TokenHash.eq(vouch::domain::checks::tokens::hash(&token)))
        .exec(&s.server.db)
        .await
        .expect("expire the token");
    let a = gql(&s.server, None, VIEW, json!({ "t": token })).await;
    assert_eq!(a.error_code(), Some("EXPIRED"), "{}", a.body);
    assert!(a.error_message().unwrap_or_default().contains("ask the company"), "{}", a.body);
    let a = gql(&s.server, None, SAVE, json!({ "t": token, "a": [{ "question": 1, "value": "3" }] })).await;
    assert_eq!(a.error_code(), Some("EXPIRED"));
    let check = s.run("query($id: UUID!) { check(id: $id) { status } }", json!({ "id": first })).await;
    assert_eq!(check.data()["check"]["status"], "SENT", "nothing changed");
}

#[tokio::test]
async fn malformed_nominations_are_refused_by_field_and_store_nothing() {
    let s = story().await;
    let (id, token) = started(&s, "Nico Nominee", "nico@cand.test", &s.ref_stage, 1).await;
    let p = page(&s, &token).await;
    let n = p["refereesRequired"].as_u64().expect("referees required") as usize;
    assert_eq!(n, 2, "the default reference step asks for two");
    let kind = p["relationshipKinds"][0].clone();
    let r = |name: &str, email: &str| json!({ "name": name, "email": email, "relationship": kind });
    let good = vec![r("Ann Ref", "ann@refs.test"), r("Bob Ref", "bob@refs.test")];
    let cases: Vec<(Vec<Value>, &str)> = vec![
        (vec![r("Ann Ref", "ann@refs.test"), r("Ann Again", " ANN@refs.test ")], "referees[1].email"),
        (vec![r("Ann Ref", "ann@refs.test"), r("Bob Ref", "bob(at)refs")], "referees[1].email"),
        (vec![r("Ann Ref", "not an address"), r("Bob Ref", "bob@refs.test")], "referees[0].email"),
        (vec![r("Me Myself", "Nico@Cand.test"), r("Bob Ref", "bob@refs.test")], "referees[0].email"),
        (vec![r("", "ann@refs.test"), r("Bob Ref", "bob@refs.test")], "referees[0].name"),
        (vec![r("Ann Ref", "ann@refs.test")], "referees"),
        (vec![r("A", "a@refs.test"), r("B", "b@refs.test"), r("C", "c@refs.test")], "referees"),
        (Vec::new(), "referees"),
    ];
    for (referees, want) in cases {
        let a = gql(&s.server, None, NOMINATE, json!({ "t": token, "r": referees })).await;
        assert_eq!(a.error_code(), Some("BAD_USER_INPUT"), "{want}: {}", a.body);
        assert_eq!(field(&a).as_deref(), Some(want), "{}", a.body);
    }
    // A phone that is not one, and a relationship the step does not offer.
    let mut bad_phone = good.clone();
    bad_phone[0]["phone"] = json!("call me maybe");
    let a = gql(&s.server, None, NOMINATE, json!({ "t": token, "r": bad_phone })).await;
    assert_eq!(field(&a).as_deref(), Some("referees[0].phone"));
    let mut bad_kind = good.clone();
    bad_kind[1]["relationship"] = json!("REPORT");
    let a = gql(&s.server, None, NOMINATE, json!({ "t": token, "r": bad_kind })).await;
    assert_eq!(field(&a).as_deref(), Some("referees[1].relationship"));

    // Nothing was stored: no referee, no e-mail, the status unchanged.
    let check =
        s.run("query($id: UUID!) { check(id: $id) { status referees { id } } }", json!({ "id": id })).await;
    assert_eq!(check.data()["check"]["status"], "SENT");
    assert_eq!(check.data()["check"]["referees"], json!([]));
    let outbox = s.run("{ outbox { kind } }", json!({})).await;
    assert!(!outbox.body.to_string().contains("REFEREE_REQUEST"));

    // Two tabs nominate at once: one wins, the other is told, the referees are named once.
    let (a, b) = tokio::join!(
        gql(&s.server, None, NOMINATE, json!({ "t": token, "r": good })),
        gql(&s.server, None, NOMINATE, json!({ "t": token, "r": good }))
    );
    let codes = [a.error_code(), b.error_code()];
    assert!(codes.contains(&None) && codes.contains(&Some("CONFLICT")), "{codes:?} {} {}", a.body, b.body);
    let check = s
        .run("query($id: UUID!) { check(id: $id) { status referees { email } } }", json!({ "id": id }))
        .await;
    assert_eq!(check.data()["check"]["status"], "AWAITING_REFEREES");
    assert_eq!(check.data()["check"]["referees"].as_array().map(Vec::len), Some(2));

    // A referee submits from two tabs at once: one wins, one is told.
    let referee = s.link_token("ann@refs.test", "REFEREE_REQUEST", 0).await;
    let answers = full_answers(&page(&s, &referee).await);
    let (a, b) = tokio::join!(
        gql(&s.server, None, SUBMIT, json!({ "t": referee, "a": answers })),
        gql(&s.server, None, SUBMIT, json!({ "t": referee, "a": answers }))
    );
    let codes = [a.error_code(), b.error_code()];
    assert!(codes.contains(&None) && codes.contains(&Some("CONFLICT")), "{codes:?} {} {}", a.body, b.body);
    let check = s
        .run("query($id: UUID!) { check(id: $id) { status referees { submittedAt } } }", json!({ "id": id }))
        .await;
    assert_eq!(check.data()["check"]["status"], "IN_PROGRESS", "one answer counted once: {}", check.body);
}

#[tokio::test]
async fn long_answers_and_double_submissions_change_nothing() {
    let s = story().await;
    let (id, token) = started(&s, "Lou Long", "lou@cand.test", &s.self_stage, 1).await;
    let p = page(&s, &token).await;
    let text_q = p["questions"]
        .as_array()
        .and_then(|q| q.iter().find(|q| q["type"] == "TEXT"))
        .expect("a text question")["index"]
        .clone();
    let rating_q = p["questions"]
        .as_array()
        .and_then(|q| q.iter().find(|q| q["type"] == "RATING_1_5"))
        .expect("a rating question")["index"]
        .clone();

    // One character over the limit is refused naming the answer; at the limit it is kept.
    let over = gql(&s.server, None, SAVE, json!({ "t": token, "a": [ { "question": rating_q, "value": "4" }, { "question": text_q, "value": "é".repeat(20_001) } ] })).await;
    assert_eq!(over.error_code(), Some("BAD_USER_INPUT"), "{}", over.body);
    assert_eq!(field(&over).as_deref(), Some("answers[1].value"));
    assert!(over.error_message().unwrap_or_default().contains("20000"), "{}", over.body);
    assert_eq!(page(&s, &token).await["answers"], json!([]), "nothing saved");
    let at_limit = gql(
        &s.server,
        None,
        SAVE,
        json!({ "t": token, "a": [ { "question": text_q, "value": "é".repeat(20_000) } ] }),
    )
    .await;
    assert_eq!(at_limit.data()["saveAnswers"]["status"], "IN_PROGRESS");
    // Other malformed answers name their field too.
    for (answers, want) in [
        (json!([{ "question": -1, "value": "x" }]), "answers[0].question"),
        (json!([{ "question": 99, "value": "x" }]), "answers[0].question"),
        (json!([{ "question": text_q, "value": "a\u{0}b" }]), "answers[0].value"),
    ] {
        let a = gql(&s.server, None, SAVE, json!({ "t": token, "a": answers })).await;
        assert_eq!(field(&a).as_deref(), Some(want), "{}", a.body);
    }
    let incomplete = gql(
        &s.server,
        None,
        SUBMIT,
        json!({ "t": token, "a": [ { "question": text_q, "value": "only this" } ] }),
    )
    .await;
    assert_eq!(field(&incomplete).as_deref(), Some("answers"), "a final answer answers everything");

    // Two tabs submit different answers at once: one wins, the other gets
    // CONFLICT, and the stored answers are the winner's.
    let full = full_answers(&p);
    let mut other = full.clone();
    for a in other.as_array_mut().expect("answers") {
        if a["question"] == text_q {
            a["value"] = json!("the second tab's text");
        }
    }
    let (a, b) = tokio::join!(
        gql(&s.server, None, SUBMIT, json!({ "t": token, "a": full })),
        gql(&s.server, None, SUBMIT, json!({ "t": token, "a": other }))
    );
    let (winner, loser, sent) = match (a.error_code(), b.error_code()) {
        (None, Some(_)) => (a, b, full),
        (Some(_), None) => (b, a, other),
        codes => panic!("exactly one submission wins: {codes:?} {} {}", a.body, b.body),
    };
    assert_eq!(loser.error_code(), Some("CONFLICT"), "{}", loser.body);
    // Depending on how far the winner got when the loser read the check,
    // the loser hears that the answers were submitted or that the check
    // (a self-assessment completes on submission) takes no more answers.
    let message = loser.error_message().unwrap_or_default();
    assert!(
        message.contains("already submitted") || message.contains("takes no more answers"),
        "{}",
        loser.body
    );
    assert_eq!(winner.data()["submitAnswers"]["submitted"], true);
    let stored = page(&s, &token).await["answers"].clone();
    let value_of = |list: &Value, q: &Value| {
        list.as_array().and_then(|l| l.iter().find(|a| a["question"] == *q)).map(|a| a["value"].clone())
    };
    assert_eq!(value_of(&stored, &text_q), value_of(&sent, &text_q), "the winner's answers are kept");
    // And afterwards neither a draft nor a submission changes them.
    let again = gql(
        &s.server,
        None,
        SAVE,
        json!({ "t": token, "a": [ { "question": text_q, "value": "edited later" } ] }),
    )
    .await;
    assert_eq!(again.error_code(), Some("CONFLICT"));
    assert_eq!(page(&s, &token).await["answers"], stored);
    s.status_of(&id, "COMPLETED").await;
}
