//! Sign-in, sessions and their refusals.
use chrono::{Duration, Utc};
use entity::Role;
use serde_json::json;
use vouch::auth::JwtKeys;
use vouch_tests::{TestServer, PASSWORD};

const ME: &str = "{ me { email role organization { name } } }";
const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt user { email } } }";

#[tokio::test]
async fn login_returns_a_session_that_me_accepts() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "Ada@Acme.test", Role::SuperAdmin).await;
    let answer = server.graphql().run(Some(&admin.token), ME, json!({})).await;
    assert_eq!(answer.data()["me"]["email"], "ada@acme.test", "stored lower-cased");
    assert_eq!(answer.data()["me"]["role"], "SUPER_ADMIN");
    assert_eq!(answer.data()["me"]["organization"]["name"], "Acme");
}

#[tokio::test]
async fn wrong_email_and_wrong_password_get_the_same_error() {
    let server = TestServer::start().await;
    server.user("Acme", "ada@acme.test", Role::Admin).await;
    let gql = server.graphql();
    let wrong_password = gql.run(None, LOGIN, json!({ "e": "ada@acme.test", "p": "not the password" })).await;
    let wrong_email = gql.run(None, LOGIN, json!({ "e": "bob@acme.test", "p": "not the password" })).await;
    assert_eq!(wrong_password.error_code(), Some("UNAUTHENTICATED"));
    assert_eq!(wrong_password.body["errors"], wrong_email.body["errors"]);
    assert!(wrong_password.body["data"].is_null());
}

#[tokio::test]
async fn repeated_failures_lock_the_address_even_for_the_right_password() {
    let server = TestServer::start().await;
    server.user("Acme", "ada@acme.test", Role::Admin).await;
    let gql = server.graphql();
    for _ in 0..5 {
        let answer = gql.run(None, LOGIN, json!({ "e": "ada@acme.test", "p": "guess guess guess" })).await;
        assert_eq!(answer.error_code(), Some("UNAUTHENTICATED"));
    }
    let locked = gql.run(None, LOGIN, json!({ "e": "ada@acme.test", "p": PASSWORD })).await;
    assert_eq!(locked.error_code(), Some("TOO_MANY_ATTEMPTS"), "{}", locked.body);
    assert!(locked.body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64().unwrap_or(0) > 0);
    // Unknown addresses are locked the same way, so locking reveals nothing.
    for _ in 0..5 {
        gql.run(None, LOGIN, json!({ "e": "nobody@acme.test", "p": "guess guess guess" })).await;
    }
    let unknown = gql.run(None, LOGIN, json!({ "e": "nobody@acme.test", "p": "guess guess guess" })).await;
    assert_eq!(unknown.error_code(), Some("TOO_MANY_ATTEMPTS"));
}

#[tokio::test]
async fn login_input_is_validated() {
    let server = TestServer::start().await;
    let gql = server.graphql();
    let empty = gql.run(None, LOGIN, json!({ "e": "ada@acme.test", "p": "" })).await;
    assert_eq!(empty.error_code(), Some("BAD_USER_INPUT"));
    assert_eq!(empty.body["errors"][0]["extensions"]["field"], "password");

    let long = gql.run(None, LOGIN, json!({ "e": "ada@acme.test", "p": "p".repeat(100_000) })).await;
    assert_eq!(long.error_code(), Some("BAD_USER_INPUT"));
    assert!(long.error_message().unwrap_or_default().contains("at most 1024"), "{}", long.body);

    let bad_email = gql.run(None, LOGIN, json!({ "e": "not-an-address", "p": "whatever" })).await;
    assert_eq!(bad_email.body["errors"][0]["extensions"]["field"], "email");

    // 10 MB is refused by the body limit before anything is parsed.
    let huge = reqwest::Client::new()
        .post(server.url("/graphql"))
        .json(&json!({ "query": LOGIN, "variables": { "e": "ada@acme.test", "p": "p".repeat(10 * 1024 * 1024) } }))
        .send()
        .await
        .expect("request");
    assert_eq!(huge.status().as_u16(), 413);
}

#[tokio::test]
async fn tampered_expired_unsigned_and_foreign_tokens_are_refused() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "ada@acme.test", Role::SuperAdmin).await;
    let keys = JwtKeys::new(&server.config.secret_key);
    let expired = keys.issue_at(
        admin.id,
        admin.organization_id,
        Utc::now() - Duration::hours(13),
        Utc::now() - Duration::seconds(5),
    );
    let parts: Vec<&str> = admin.token.split('.').collect();
    let mut payload = parts[1].to_owned();
    let flipped = if payload.ends_with('A') { 'B' } else { 'A' };
    payload.pop();
    payload.push(flipped);
    let tampered = format!("{}.{}.{}", parts[0], payload, parts[2]);
    let unsigned = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", parts[1]);
    let other_key = JwtKeys::new(&vouch::secrets::SecretKey::generate()).issue(
        admin.id,
        admin.organization_id,
        Role::SuperAdmin,
    );
    for (what, token) in
        [("expired", expired), ("tampered", tampered), ("unsigned", unsigned), ("other key", other_key.0)]
    {
        let answer = server.graphql().run(Some(&token), ME, json!({})).await;
        assert_eq!(answer.status, 401, "{what} token must be refused: {}", answer.body);
        assert_eq!(answer.error_code(), Some("UNAUTHENTICATED"), "{what}");
    }
    // No token at all is not an error in itself; `me` then says to sign in.
    let anonymous = server.graphql().run(None, ME, json!({})).await;
    assert_eq!(anonymous.status, 200);
    assert_eq!(anonymous.error_code(), Some("UNAUTHENTICATED"));
}
