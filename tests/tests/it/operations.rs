//! Health, readiness, metrics and the admin app's routes.
use serde_json::json;
use vouch_tests::TestServer;

#[tokio::test]
async fn health_and_readiness() {
    let server = TestServer::start().await;
    let health = reqwest::get(server.url("/healthz")).await.expect("healthz");
    assert_eq!(health.status().as_u16(), 200);
    let ready = reqwest::get(server.url("/readyz")).await.expect("readyz");
    assert_eq!(ready.status().as_u16(), 200);
    assert_eq!(ready.text().await.expect("body"), "ready");
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let server = TestServer::start().await;
    server.graphql().run(None, "{ __typename }", json!({})).await;
    let text = reqwest::get(server.url("/metrics")).await.expect("metrics").text().await.expect("body");
    assert!(text.contains("# TYPE http_requests_total counter"), "{text}");
    assert!(text.contains(r#"route="/graphql""#), "{text}");
    assert!(text.contains("http_request_duration_seconds_bucket"), "{text}");
}

#[tokio::test]
async fn the_admin_app_is_served_with_a_client_side_routing_fallback() {
    let server = TestServer::start().await;
    for path in ["/", "/rules", "/integrations/lever", "/login"] {
        let page = reqwest::get(server.url(path)).await.expect("page");
        assert_eq!(page.status().as_u16(), 200, "{path}");
        assert!(page.text().await.expect("html").contains("vouch-test-index"), "{path} serves index.html");
    }
    let asset = reqwest::get(server.url("/assets/app.js")).await.expect("asset");
    assert_eq!(asset.text().await.expect("js"), "console.log('vouch')");
}
