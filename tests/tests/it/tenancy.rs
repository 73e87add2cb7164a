//! Tenant isolation and role guards: nothing of company B is visible or
//! changeable from company A, and each role gets only what it may.
use entity::Role;
use serde_json::json;
use vouch_tests::{TestServer, TestUser};

struct TwoCompanies {
    server: TestServer,
    a_admin: TestUser,
    a_member: TestUser,
    b_admin: TestUser,
    b_member: TestUser,
}

async fn two_companies() -> TwoCompanies {
    let server = TestServer::start().await;
    let a_admin = server.user("Acme", "admin@acme.test", Role::SuperAdmin).await;
    let a_member = server.user("Acme", "member@acme.test", Role::TeamMember).await;
    let b_admin = server.user("Globex", "admin@globex.test", Role::SuperAdmin).await;
    let b_member = server.user("Globex", "member@globex.test", Role::TeamMember).await;
    TwoCompanies { server, a_admin, a_member, b_admin, b_member }
}

#[tokio::test]
async fn reads_never_cross_companies() {
    let t = two_companies().await;
    let gql = t.server.graphql();
    let users = gql.run(Some(&t.a_admin.token), "{ users { email } organization { name } }", json!({})).await;
    let emails: Vec<&str> =
        users.data()["users"].as_array().expect("list").iter().filter_map(|u| u["email"].as_str()).collect();
    assert_eq!(emails, vec!["admin@acme.test", "member@acme.test"]);
    assert_eq!(users.data()["organization"]["name"], "Acme");

    let foreign = gql
        .run(
            Some(&t.a_admin.token),
            "query($id: UUID!) { user(id: $id) { email } }",
            json!({ "id": t.b_member.id }),
        )
        .await;
    assert!(foreign.data()["user"].is_null(), "another company's user is simply not there");
}

#[tokio::test]
async fn writes_never_cross_companies() {
    let t = two_companies().await;
    let gql = t.server.graphql();
    let answer = gql
        .run(
            Some(&t.a_admin.token),
            "mutation($id: UUID!) { setUserRole(userId: $id, role: ADMIN) { email } }",
            json!({ "id": t.b_member.id }),
        )
        .await;
    assert_eq!(answer.error_code(), Some("NOT_FOUND"), "{}", answer.body);
    assert!(!answer.body.to_string().contains("globex"), "nothing about B is revealed");

    let b_view = gql.run(
        Some(&t.b_admin.token),
        "query($id: UUID!) { user(id: $id) { role } }",
        json!({ "id": t.b_member.id }),
    );
    assert_eq!(b_view.await.data()["user"]["role"], "TEAM_MEMBER", "B's user is unchanged");

    // A user created by A's admin lands in A, whatever it is called.
    let created = gql
        .run(
            Some(&t.a_admin.token),
            "mutation($i: CreateUserInput!) { createUser(input: $i) { organization { name } } }",
            json!({ "i": { "email": "new@acme.test", "name": "New", "role": "TEAM_MEMBER", "password": "long enough pass" } }),
        )
        .await;
    assert_eq!(created.data()["createUser"]["organization"]["name"], "Acme");
    let renamed = gql.run(
        Some(&t.a_admin.token),
        "mutation { renameOrganization(name: \"Acme AB\") { name } }",
        json!({}),
    );
    assert_eq!(renamed.await.data()["renameOrganization"]["name"], "Acme AB");
    let b_org = gql.run(Some(&t.b_admin.token), "{ organization { name } }", json!({})).await;
    assert_eq!(b_org.data()["organization"]["name"], "Globex");
}

#[tokio::test]
async fn roles_are_enforced_with_clear_messages() {
    let t = two_companies().await;
    let gql = t.server.graphql();
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { email } }";
    let input = json!({ "i": { "email": "x@acme.test", "name": "X", "role": "TEAM_MEMBER", "password": "long enough pass" } });
    let refused = gql.run(Some(&t.a_member.token), create, input.clone()).await;
    assert_eq!(refused.error_code(), Some("FORBIDDEN"));
    assert!(refused.error_message().unwrap_or_default().contains("needs an admin"), "{}", refused.body);

    let rename =
        gql.run(Some(&t.a_member.token), "mutation { renameOrganization(name: \"X\") { name } }", json!({}));
    assert_eq!(rename.await.error_code(), Some("FORBIDDEN"));

    let self_change = gql
        .run(
            Some(&t.a_admin.token),
            "mutation($id: UUID!) { setUserRole(userId: $id, role: ADMIN) { email } }",
            json!({ "id": t.a_admin.id }),
        )
        .await;
    assert_eq!(self_change.error_code(), Some("FORBIDDEN"));

    let anonymous = gql.run(None, create, input).await;
    assert_eq!(anonymous.error_code(), Some("UNAUTHENTICATED"));
    let _ = &t.b_member;
}

#[tokio::test]
async fn admins_cannot_create_super_admins_and_emails_are_unique() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { email } }";
    let gql = server.graphql();
    let answer = gql
        .run(
            Some(&admin.token),
            create,
            json!({ "i": { "email": "boss@acme.test", "name": "Boss", "role": "SUPER_ADMIN", "password": "long enough pass" } }),
        )
        .await;
    assert_eq!(answer.error_code(), Some("FORBIDDEN"));
    let duplicate = gql
        .run(
            Some(&admin.token),
            create,
            json!({ "i": { "email": "ADMIN@acme.test", "name": "Again", "role": "TEAM_MEMBER", "password": "long enough pass" } }),
        )
        .await;
    assert_eq!(duplicate.error_code(), Some("CONFLICT"));
    assert_eq!(duplicate.body["errors"][0]["extensions"]["field"], "email");
    let bad = gql
        .run(
            Some(&admin.token),
            create,
            json!({ "i": { "email": "ok@acme.test", "name": "x".repeat(10_000), "role": "TEAM_MEMBER", "password": "long enough pass" } }),
        )
        .await;
    assert_eq!(bad.error_code(), Some("BAD_USER_INPUT"));
    assert_eq!(bad.body["errors"][0]["extensions"]["field"], "name");
}
