//! E-mail over a real SMTP conversation (the sink in `vouch_tests`): the
//! candidate's link arrives with the right recipient, sender, subject and
//! link; a refusal (5xx) fails the e-mail at once with the server's answer
//! on the outbox row, the job and the check's timeline, and an admin's
//! retry sends it; a deferral (4xx) is retried with backoff until accepted.
use std::time::Duration;

use serde_json::{json, Value};
use vouch_tests::check_story::{story_with, Story, WAIT};
use vouch_tests::{eventually, ReceivedMail, SmtpSink};

const PASSWORD: &str = "s3cret-smtp-pw";
const OUTBOX: &str =
    "{ outbox(first: 100) { id to kind subject body status attempts lastError checkId sentAt jobId } }";

async fn smtp_story(sink: &SmtpSink) -> Story {
    let url = sink.url_with_credentials("mailer", PASSWORD);
    story_with(&["--smtp-url", &url, "--mail-from", "Acme Hiring <hiring@acme.test>"]).await
}

/// The outbox row to `to` of `kind` once `ready` holds for it.
async fn outbox_row(
    s: &Story,
    to: &str,
    kind: &str,
    wait: Duration,
    ready: impl Fn(&Value) -> bool,
) -> Value {
    eventually(&format!("the {kind} e-mail to {to}"), wait, || async {
        let a = s.run(OUTBOX, json!({})).await;
        let rows = a.data()["outbox"].as_array().cloned().unwrap_or_default();
        rows.into_iter().find(|m| m["to"] == to && m["kind"] == kind && ready(m))
    })
    .await
}

async fn received(sink: &SmtpSink, to: &str) -> ReceivedMail {
    eventually(&format!("a message to {to} at the SMTP server"), WAIT, || async {
        sink.messages().into_iter().find(|m| m.rcpt_to.iter().any(|r| r == to))
    })
    .await
}

async fn timeline(s: &Story, check_id: &Value) -> Vec<(String, String)> {
    let a = s
        .run("query($id: UUID!) { check(id: $id) { timeline { kind detail } } }", json!({ "id": check_id }))
        .await;
    a.data()["check"]["timeline"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or_default().to_owned(),
                e["detail"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_candidates_link_arrives_by_smtp() {
    let sink = SmtpSink::start().await;
    let s = smtp_story(&sink).await;
    let opp = s.candidate("Sid Smtp", &["sid@cand.test"]);
    s.move_to(&opp, &s.self_stage);
    let mail = received(&sink, "sid@cand.test").await;
    assert_eq!(mail.rcpt_to, vec!["sid@cand.test".to_owned()]);
    assert_eq!(mail.mail_from, "hiring@acme.test");
    assert_eq!(mail.auth_user.as_deref(), Some("mailer"), "signed in with the URL's credentials");
    assert_eq!(mail.header("Subject").as_deref(), Some("Acme: the next step of your application"));
    assert!(mail.header("From").is_some_and(|f| f.contains("hiring@acme.test")));
    assert!(mail.header("Message-ID").is_some_and(|id| id.contains('@')));

    let row = outbox_row(&s, "sid@cand.test", "CANDIDATE_LINK", WAIT, |m| m["status"] == "SENT").await;
    assert_eq!(row["attempts"], 1);
    assert!(row["sentAt"].is_string() && row["lastError"].is_null());
    // The link in the message is the one the outbox shows, and it opens the page.
    let body = row["body"].as_str().expect("body");
    let start = body.find("/respond/").expect("a link") + "/respond/".len();
    let token = body[start..].split_whitespace().next().expect("token");
    assert!(mail.body().contains(&format!("/respond/{token}")), "{}", mail.data);
    let page =
        s.run("query($t: String!) { publicCheck(token: $t) { checkId } }", json!({ "t": token })).await;
    assert_eq!(page.data()["publicCheck"]["checkId"], row["checkId"]);
    let entries = timeline(&s, &row["checkId"]).await;
    assert!(
        entries
            .iter()
            .any(|(k, d)| k == "email.sent" && d.contains("sid@cand.test") && d.contains("accepted")),
        "{entries:?}"
    );
    assert!(sink.passwords().contains(&PASSWORD.to_owned()), "AUTH used the password");
    let jobs = s.run("{ jobs(first: 200) { kind lastError } }", json!({})).await;
    assert!(!jobs.body.to_string().contains(PASSWORD), "the SMTP password never shows");
}

#[tokio::test]
async fn a_refusing_server_fails_the_email_with_its_answer_and_a_retry_sends_it() {
    let sink = SmtpSink::start().await;
    sink.refuse("refused@cand.test", None, 550, "5.1.1 mailbox unavailable");
    let s = smtp_story(&sink).await;
    let opp = s.candidate("Ray Refused", &["refused@cand.test"]);
    s.move_to(&opp, &s.self_stage);
    let row = outbox_row(&s, "refused@cand.test", "CANDIDATE_LINK", WAIT, |m| m["status"] == "FAILED").await;
    let error = row["lastError"].as_str().expect("the reason");
    assert!(error.contains("550") && error.contains("mailbox unavailable"), "{error}");
    assert_eq!(row["attempts"], 1, "a 5xx is final: not retried");
    let entries = timeline(&s, &row["checkId"]).await;
    assert!(
        entries.iter().any(|(k, d)| k == "email.failed" && d.contains("mailbox unavailable")),
        "{entries:?}"
    );
    let failed = s.run("{ jobs(status: FAILED) { id kind lastError } }", json!({})).await;
    let job = failed.data()["jobs"]
        .as_array()
        .and_then(|jobs| jobs.iter().find(|j| j["kind"] == "email.send").cloned())
        .expect("the e-mail job is FAILED");
    assert!(job["lastError"].as_str().is_some_and(|e| e.contains("550")), "{job}");
    assert_eq!(row["jobId"], job["id"], "the outbox names the job that delivers it");
    assert!(!sink.messages().iter().any(|m| m.rcpt_to.contains(&"refused@cand.test".to_owned())));

    // The mailbox is fixed; the admin retries the job.
    sink.accept();
    s.run("mutation($id: UUID!) { retryJob(id: $id) { id } }", json!({ "id": job["id"] })).await.data();
    received(&sink, "refused@cand.test").await;
    let row = outbox_row(&s, "refused@cand.test", "CANDIDATE_LINK", WAIT, |m| m["status"] == "SENT").await;
    assert_eq!(row["attempts"], 2);
}

#[tokio::test]
async fn a_deferring_server_is_retried_with_backoff_until_it_accepts() {
    let sink = SmtpSink::start().await;
    sink.refuse("later@cand.test", Some(2), 451, "4.7.1 greylisted, try again later");
    let s = smtp_story(&sink).await;
    let opp = s.candidate("Lee Later", &["later@cand.test"]);
    s.move_to(&opp, &s.self_stage);
    let row = outbox_row(&s, "later@cand.test", "CANDIDATE_LINK", Duration::from_secs(60), |m| {
        m["status"] == "SENT"
    })
    .await;
    assert_eq!(row["attempts"], 3, "two deferrals, then accepted");
    received(&sink, "later@cand.test").await;
    let entries = timeline(&s, &row["checkId"]).await;
    let retries: Vec<&(String, String)> = entries.iter().filter(|(k, _)| k == "email.retrying").collect();
    assert_eq!(retries.len(), 2, "{entries:?}");
    assert!(retries[0].1.contains("greylisted"), "{retries:?}");
    assert!(entries.iter().any(|(k, _)| k == "email.sent"));
}
