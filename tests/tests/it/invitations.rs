//! `acceptInvitation`: a Lever user Vouch invited (a project member with no
//! password yet) sets a name and password through the e-mailed link and is
//! signed in, once; expired, reused and unknown links are refused clearly.
use chrono::{Duration, Utc};
use entity::{invitation, project, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;
use vouch::domain::{email, projects};
use vouch_tests::{TestServer, TestUser};

const ACCEPT: &str =
    "mutation($t: String!, $n: String!, $p: String!) { acceptInvitation(token: $t, name: $n, password: $p) \
                      { token user { email name role organization { name } } } }";
const PASSWORD: &str = "a long enough password";

struct Invited {
    server: TestServer,
    admin: TestUser,
    project_id: Uuid,
    user_id: Uuid,
    token: String,
}

/// Gives an unknown Lever user access to a project the way webhook
/// processing does, and takes the token from the invitation e-mail.
async fn invited() -> Invited {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::SuperAdmin).await;
    let project = project::ActiveModel {
        id: Set(Uuid::new_v4()),
        organization_id: Set(admin.organization_id),
        connection_id: Set(Uuid::new_v4()),
        lever_posting_id: Set("posting-1".into()),
        name: Set("Robot Whisperer".into()),
        created_at: Set(Utc::now()),
    }
    .insert(&server.db)
    .await
    .expect("project");
    let person = projects::LeverPerson {
        lever_id: "lever-user-1".into(),
        name: "Rita Recruiter".into(),
        email: Some("rita@acme.test".into()),
    };
    let user_id = projects::grant_access(&server.db, &server.config.public_url, &project, &person)
        .await
        .expect("access")
        .expect("an invited user");
    let mails = email::list(&server.db, admin.organization_id, 10).await.expect("outbox");
    let body = &mails.iter().find(|m| m.to_address == "rita@acme.test").expect("invitation e-mail").body;
    let start = body.find("/invitation/").expect("a link") + "/invitation/".len();
    let token = body[start..].split_whitespace().next().expect("token").to_owned();
    Invited { server, admin, project_id: project.id, user_id, token }
}

impl Invited {
    async fn accept(&self, token: &str, name: &str, password: &str) -> vouch_tests::GraphqlAnswer {
        self.server.graphql().run(None, ACCEPT, json!({ "t": token, "n": name, "p": password })).await
    }
}

fn field(answer: &vouch_tests::GraphqlAnswer) -> Option<&str> {
    answer.body["errors"][0]["extensions"]["field"].as_str()
}

#[tokio::test]
async fn accepting_sets_the_password_and_signs_in_with_project_access() {
    let i = invited().await;
    let shown = i
        .server
        .graphql()
        .run(
            None,
            "query($t: String!) { invitation(token: $t) { email name organizationName } }",
            json!({ "t": i.token }),
        )
        .await;
    assert_eq!(
        shown.data()["invitation"],
        json!({ "email": "rita@acme.test", "name": "Rita Recruiter", "organizationName": "Acme" })
    );
    // Before accepting, the address cannot sign in (and gets the usual answer, not an error).
    let early = i
        .server
        .graphql()
        .run(
            None,
            "mutation { login(email: \"rita@acme.test\", password: \"a long enough password\") { token } }",
            json!({}),
        )
        .await;
    assert_eq!(early.error_code(), Some("UNAUTHENTICATED"), "{}", early.body);

    let answer = i.accept(&i.token, "  Rita R. ", PASSWORD).await;
    let payload = &answer.data()["acceptInvitation"];
    assert_eq!(payload["user"]["email"], "rita@acme.test");
    assert_eq!(payload["user"]["name"], "Rita R.");
    assert_eq!(payload["user"]["role"], "TEAM_MEMBER");
    assert_eq!(payload["user"]["organization"]["name"], "Acme");
    let session = payload["token"].as_str().expect("a session");
    let me =
        i.server.graphql().run(Some(session), "{ me { id } projects { id memberIds } }", json!({})).await;
    assert_eq!(me.data()["me"]["id"], i.user_id.to_string());
    let projects = me.data()["projects"].as_array().expect("projects");
    assert!(
        projects.iter().any(|p| p["id"] == i.project_id.to_string()
            && p["memberIds"].as_array().is_some_and(|m| m.contains(&json!(i.user_id)))),
        "project access was granted with the invitation: {projects:?}"
    );
    // The password works for signing in from now on.
    i.server.graphql().login("rita@acme.test", PASSWORD).await;
    let audit = i.server.graphql().run(Some(&i.admin.token), "{ auditEvents { action } }", json!({})).await;
    assert!(audit.body.to_string().contains("user.invitation_accepted"), "{}", audit.body);
}

#[tokio::test]
async fn a_used_invitation_is_refused() {
    let i = invited().await;
    i.accept(&i.token, "Rita", PASSWORD).await.data();
    let again = i.accept(&i.token, "Mallory", "another long password").await;
    assert_eq!(again.error_code(), Some("CONFLICT"), "{}", again.body);
    assert!(again.error_message().unwrap_or_default().contains("already used"), "{}", again.body);
    // The first password still signs in; the second never took.
    i.server.graphql().login("rita@acme.test", PASSWORD).await;
    let shown = i
        .server
        .graphql()
        .run(None, "query($t: String!) { invitation(token: $t) { email } }", json!({ "t": i.token }))
        .await;
    assert_eq!(shown.error_code(), Some("CONFLICT"));
}

#[tokio::test]
async fn an_expired_invitation_is_refused() {
    let i = invited().await;
    invitation::Entity::update_many()
        .col_expr(invitation::Column::ExpiresAt, Expr::value(Utc::now() - Duration::minutes(1)))
        .filter(invitation::Column::UserId.eq(i.user_id))
        .exec(&i.server.db)
        .await
        .expect("expire");
    let answer = i.accept(&i.token, "Rita", PASSWORD).await;
    assert_eq!(answer.error_code(), Some("EXPIRED"), "{}", answer.body);
    assert!(answer.error_message().unwrap_or_default().contains("invite you again"), "{}", answer.body);
}

#[tokio::test]
async fn bad_name_or_password_names_the_field_and_keeps_the_invitation() {
    let i = invited().await;
    let short = i.accept(&i.token, "Rita", "short").await;
    assert_eq!(short.error_code(), Some("BAD_USER_INPUT"), "{}", short.body);
    assert_eq!(field(&short), Some("password"));
    let huge = i.accept(&i.token, "Rita", &"p".repeat(5_000)).await;
    assert_eq!(field(&huge), Some("password"), "{}", huge.body);
    let blank = i.accept(&i.token, "   ", PASSWORD).await;
    assert_eq!(field(&blank), Some("name"), "{}", blank.body);
    // Nothing was used up: the right input still works.
    i.accept(&i.token, "Rita", PASSWORD).await.data();
}

#[tokio::test]
async fn unknown_tokens_are_not_found() {
    let i = invited().await;
    for token in ["", "forged-token", &"x".repeat(10_000), &format!("{}x", i.token)] {
        let answer = i.accept(token, "Rita", PASSWORD).await;
        assert_eq!(answer.error_code(), Some("NOT_FOUND"), "{token:.20}: {}", answer.body);
    }
}

#[tokio::test]
async fn an_address_that_already_has_an_account_is_refused() {
    let i = invited().await;
    // The person set a password some other way (e.g. an admin reset) before using the link.
    let hash = vouch::auth::password::hash("set elsewhere, long").await.expect("hash");
    entity::user::Entity::update_many()
        .col_expr(entity::user::Column::PasswordHash, Expr::value(hash))
        .filter(entity::user::Column::Id.eq(i.user_id))
        .exec(&i.server.db)
        .await
        .expect("password set");
    let answer = i.accept(&i.token, "Rita", PASSWORD).await;
    assert_eq!(answer.error_code(), Some("CONFLICT"), "{}", answer.body);
    assert_eq!(field(&answer), Some("email"));
    assert!(answer.error_message().unwrap_or_default().contains("already has a Vouch account"));
    i.server.graphql().login("rita@acme.test", "set elsewhere, long").await;
}
