//! The `/graphql` route's handling of bad requests and its limits.
use serde_json::json;
use vouch_tests::TestServer;

#[tokio::test]
async fn malformed_json_is_a_clear_400() {
    let server = TestServer::start().await;
    for body in ["{ not json", "", "[1, 2", "\"just a string\""] {
        let response = reqwest::Client::new()
            .post(server.url("/graphql"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 400, "body {body:?}");
        let answer: serde_json::Value = response.json().await.expect("json error body");
        assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_REQUEST");
        assert!(answer["errors"][0]["message"].as_str().unwrap_or_default().contains("must be JSON"));
    }
}

#[tokio::test]
async fn oversized_body_is_413() {
    let server = TestServer::start().await;
    let response = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .body(format!("{{\"query\": \"{}\"}}", " ".repeat(2 * 1024 * 1024)))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 413);
}

#[tokio::test]
async fn queries_past_the_depth_limit_are_refused() {
    let server = TestServer::start().await;
    let mut selection = "name".to_owned();
    for _ in 0..20 {
        selection = format!("ofType {{ {selection} }}");
    }
    let query = format!("{{ __schema {{ types {{ fields {{ type {{ {selection} }} }} }} }} }}");
    let answer = server.graphql().run(None, &query, json!({})).await;
    let message = answer.error_message().unwrap_or_default().to_lowercase();
    assert!(message.contains("nested too deep"), "expected a depth error, got {}", answer.body);

    // The standard introspection depth (what GraphiQL and codegen send) passes.
    let shallow =
        "{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }";
    let answer = server.graphql().run(None, shallow, json!({})).await;
    assert!(answer.data()["__schema"]["types"].is_array());
}

#[tokio::test]
async fn unknown_fields_and_bad_variables_are_reported() {
    let server = TestServer::start().await;
    let answer = server.graphql().run(None, "{ nothingHere }", json!({})).await;
    assert!(answer.error_message().unwrap_or_default().contains("nothingHere"), "{}", answer.body);
    let answer = server
        .graphql()
        .run(None, "mutation($e: String!) { login(email: $e, password: \"x\") { token } }", json!({ "e": 5 }))
        .await;
    assert!(answer.body["errors"].is_array(), "{}", answer.body);
}

#[tokio::test]
async fn graphiql_is_served_on_get() {
    let server = TestServer::start().await;
    let page = reqwest::get(server.url("/graphql")).await.expect("request");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(html.to_lowercase().contains("graphiql"));
    assert!(html.contains("/graphql/ws"));
}
