//! Every fixture in `tests/fixtures/lever` parses into its type.

use super::*;
use crate::lever::test_support::{fixture, fixture_names};

fn one<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_str::<Envelope<T>>(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}")).data
}

fn page<T: serde::de::DeserializeOwned>(name: &str) -> Page<T> {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_api_fixture_has_a_type() {
    // Fixtures this module does not own: webhook deliveries (the webhook
    // route's), error and OAuth bodies (see `error` and `oauth` tests).
    let ours = [
        "api-webhook-created.json",
        "applications.json",
        "note-created-id.json",
        "note-created-noteId.json",
        "opportunity-no-email.json",
        "opportunity.json",
        "posting.json",
        "stages.json",
        "tags.json",
        "user.json",
        "users-page1.json",
        "users-page2.json",
    ];
    for name in fixture_names() {
        let elsewhere =
            name.starts_with("webhook-") || name.starts_with("error-") || name.starts_with("oauth-");
        assert!(elsewhere || ours.contains(&name.as_str()), "no type claims fixture {name}");
    }
}

#[test]
fn opportunity() {
    let o: Opportunity = one("opportunity.json");
    assert_eq!(o.id, "2f7c1d8e-4b1a-4f0e-9a43-5d1f0c8a9b21");
    assert_eq!(o.primary_email(), Some("mira.kovac@example.org"));
    assert_eq!(o.phones[0].kind.as_deref(), Some("mobile"));
    assert_eq!(o.stage_changes[1].updated_at, Some(1_763_900_000_100));
    assert_eq!(o.applications[0].id(), "71c0e9d8-2b3a-4c5d-8e9f-0a1b2c3d4e5f");
    assert_eq!(o.tags.len(), 2);
    assert!(o.archived.is_none());
    assert!(o.show_url().is_some_and(|u| u.ends_with(&o.id)));

    let o: Opportunity = one("opportunity-no-email.json");
    assert_eq!(o.primary_email(), None);
    assert_eq!(o.owner, None);
}

#[test]
fn expanded_applications() {
    let mut body: serde_json::Value = serde_json::from_str(&fixture("opportunity.json")).expect("json");
    let apps: serde_json::Value = serde_json::from_str(&fixture("applications.json")).expect("json");
    body["data"]["applications"] = apps["data"].clone();
    let o: Envelope<Opportunity> = serde_json::from_value(body).expect("expanded");
    let ApplicationRef::Expanded(app) = &o.data.applications[0] else {
        panic!("expected an expanded application");
    };
    assert_eq!(app.posting.as_deref(), Some("d3a4b5c6-7e8f-4a0b-9c1d-2e3f4a5b6c7d"));
}

#[test]
fn applications_posting_user_stages_tags() {
    let apps: Page<Application> = page("applications.json");
    assert_eq!(apps.data[0].posting_owner.as_deref(), Some("f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b"));
    assert_eq!(apps.next_offset(), None);

    let p: Posting = one("posting.json");
    assert_eq!(p.text.as_deref(), Some("Staff Platform Engineer"));
    assert_eq!(p.hiring_manager, None);
    assert_eq!(p.categories.as_ref().and_then(|c| c.team.as_deref()), Some("Platform"));

    let u: User = one("user.json");
    assert_eq!(u.access_role.as_deref(), Some("super admin"));
    assert!(u.is_active());

    let stages: Page<Stage> = page("stages.json");
    assert_eq!(stages.data[0].id, "lead-new");
    assert_eq!(stages.data.len(), 6);

    let tags: Page<Tag> = page("tags.json");
    assert_eq!(tags.data[1].text, "Vouch Template: Standard reference check");
    assert_eq!(tags.data[1].count, Some(3));
}

#[test]
fn users_pages_and_tokens() {
    let first: Page<User> = page("users-page1.json");
    assert_eq!(first.data.len(), 2);
    assert_eq!(first.next_offset(), Some("eyJvZmZzZXQiOiIxNzAwMDAwMDAxMDAwIn0"));
    let second: Page<User> = page("users-page2.json");
    assert_eq!(second.next_offset(), None);
    assert!(!second.data[0].is_active());

    // hasNext without a usable token ends the list.
    let odd: Page<User> = serde_json::from_str(r#"{"data":[],"hasNext":true,"next":""}"#).expect("page");
    assert_eq!(odd.next_offset(), None);
    let bare: Page<User> = serde_json::from_str(r#"{"data":[]}"#).expect("page");
    assert_eq!(bare.next_offset(), None);
}

#[test]
fn notes_accept_both_id_shapes() {
    let a: Note = one("note-created-id.json");
    assert_eq!(a.id, "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e");
    assert_eq!(a.created_at, Some(1_763_900_002_000));
    let b: Note = one("note-created-noteId.json");
    assert_eq!(b.id, "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
    let both: Note = serde_json::from_str(r#"{"id":"x","noteId":"y"}"#).expect("both");
    assert_eq!(both.id, "x");
    assert!(serde_json::from_str::<Note>(r#"{"text":"no id"}"#).is_err());
}

#[test]
fn created_webhook_keeps_its_token_secret() {
    let w: Webhook = one("api-webhook-created.json");
    assert_eq!(w.event, "candidateStageChange");
    let token = w.signature_token().expect("token");
    assert_eq!(token.expose(), "3f9a0c1b2d4e6f8091a2b3c4d5e6f708");
    assert!(!format!("{w:?}").contains("3f9a0c1b2d4e6f8091a2b3c4d5e6f708"));
}

#[test]
fn times_stay_exact_integers() {
    // 2^53 + 1 would be rounded by f64.
    let u: User = serde_json::from_str(r#"{"id":"u","createdAt":9007199254740993}"#).expect("user");
    assert_eq!(u.created_at, Some(9_007_199_254_740_993));
}

#[test]
fn new_opportunity_omits_empty_fields() {
    let body = NewOpportunity {
        name: "Ann".into(),
        emails: vec!["ann@example.org".into()],
        postings: vec!["p1".into()],
        ..NewOpportunity::default()
    };
    let json = serde_json::to_value(&body).expect("json");
    assert_eq!(json, serde_json::json!({"name":"Ann","emails":["ann@example.org"],"postings":["p1"]}));
}
