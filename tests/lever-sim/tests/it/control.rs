//! The `/_sim` control API over HTTP.

use crate::common::{eventually, Receiver, TestResult};
use lever_sim::{SimConfig, Simulator};
use serde_json::{json, Value};

async fn call(http: &reqwest::Client, url: String, body: Option<Value>) -> anyhow::Result<(u16, Value)> {
    let req = match body {
        Some(b) => http.post(url).json(&b),
        None => http.get(url),
    };
    let res = req.send().await?;
    let status = res.status().as_u16();
    Ok((status, res.json().await.unwrap_or(Value::Null)))
}

#[tokio::test]
async fn control_api_drives_a_company() -> TestResult {
    let sim = Simulator::start(SimConfig::for_tests()).await?;
    let http = reqwest::Client::new();
    let base = format!("{}/_sim", sim.base_url());
    let (s, c) =
        call(&http, format!("{base}/companies"), Some(json!({"name": "Ctl", "dataCentre": "eu"}))).await?;
    assert_eq!(s, 201);
    let cid = c["id"].as_str().expect("id").to_string();
    assert!(c["apiBase"].as_str().is_some_and(|b| b.ends_with("/eu/v1")));
    let (s, u) = call(
        &http,
        format!("{base}/companies/{cid}/users"),
        Some(json!({"name": "Rita", "email": "rita@x.example", "accessRole": "super admin"})),
    )
    .await?;
    assert_eq!(s, 200);
    let uid = u["id"].as_str().expect("user id").to_string();
    let (s, _) = call(
        &http,
        format!("{base}/companies/{cid}/users"),
        Some(json!({"name": "Bad", "email": "b@x.example", "accessRole": "boss"})),
    )
    .await?;
    assert_eq!(s, 400);
    let (s, stage) =
        call(&http, format!("{base}/companies/{cid}/stages"), Some(json!({"text": "Reference check"})))
            .await?;
    assert_eq!(s, 200);
    let (_, p) = call(
        &http,
        format!("{base}/companies/{cid}/postings"),
        Some(json!({"text": "Lead", "owner": "rita@x.example", "tags": ["T"]})),
    )
    .await?;
    let pid = p["id"].as_str().expect("posting id").to_string();
    let receiver = Receiver::default();
    let url = receiver.start().await?;
    let (s, _) = call(
        &http,
        format!("{base}/companies/{cid}/webhooks"),
        Some(json!({"event": "candidateStageChange", "url": url, "signatureToken": "tok"})),
    )
    .await?;
    assert_eq!(s, 201);
    let (s, o) = call(
        &http,
        format!("{base}/companies/{cid}/candidates"),
        Some(json!({"name": "Kat", "emails": ["kat@x.example"], "posting": pid})),
    )
    .await?;
    assert_eq!(s, 201);
    let oid = o["id"].as_str().expect("opp id").to_string();
    assert_eq!(o["tags"], json!(["T"]));
    let (s, moved) = call(
        &http,
        format!("{base}/companies/{cid}/candidates/{oid}/move"),
        Some(json!({"stageId": stage["id"], "userId": uid})),
    )
    .await?;
    assert_eq!(s, 200);
    assert_eq!(moved["stage"], stage["id"]);
    eventually("the stage change delivery", || !receiver.bodies().is_empty()).await?;
    let (_, log) = call(&http, format!("{base}/deliveries?event=candidateStageChange"), None).await?;
    assert_eq!(log.as_array().map(Vec::len), Some(1));
    let (s, _) =
        call(&http, format!("{base}/companies/{cid}/candidates/{oid}/emails"), Some(json!({"emails": []})))
            .await?;
    assert_eq!(s, 200);
    let (s, key) = call(
        &http,
        format!("{base}/companies/{cid}/api-keys"),
        Some(json!({"permissions": ["List all stages"]})),
    )
    .await?;
    assert_eq!(s, 201);
    assert_eq!(key["permissions"], json!(["List all stages"]));
    let (s, _) =
        call(&http, format!("{base}/companies/{cid}/api-keys"), Some(json!({"permissions": ["Fly"]})))
            .await?;
    assert_eq!(s, 400);
    let (s, settings) =
        call(&http, format!("{base}/settings"), Some(json!({"noteIdStyle": "noteId"}))).await?;
    assert_eq!(s, 200);
    assert_eq!(settings["noteIdStyle"], json!("noteId"));
    let (s, _) = call(&http, format!("{base}/settings"), Some(json!({"bogus": 1}))).await?;
    assert_eq!(s, 400);
    let (s, _) = call(&http, format!("{base}/oauth/token-lifetime"), Some(json!({"seconds": 2}))).await?;
    assert_eq!(s, 200);
    let (s, stats) = call(&http, format!("{base}/stats"), None).await?;
    assert_eq!(s, 200);
    assert!(stats["credentials"].is_array());
    let (s, perms) = call(&http, format!("{base}/permissions"), None).await?;
    assert_eq!(s, 200);
    assert!(perms.as_array().is_some_and(|p| p.iter().any(|x| x["name"] == json!("Create a note"))));
    let (s, _) =
        call(&http, format!("{base}/companies/{cid}/candidates/{oid}/hire"), Some(json!({}))).await?;
    assert_eq!(s, 200);
    let (s, _) =
        call(&http, format!("{base}/companies/{cid}/candidates/{oid}/delete"), Some(json!({"userId": uid})))
            .await?;
    assert_eq!(s, 200);
    let (s, _) = call(&http, format!("{base}/companies/{cid}/candidates/{oid}"), None).await?;
    assert_eq!(s, 404);
    let (s, _) = call(&http, format!("{base}/companies/nope"), None).await?;
    assert_eq!(s, 404);
    Ok(())
}
