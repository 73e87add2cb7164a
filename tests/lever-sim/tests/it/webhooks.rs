//! Webhooks: the API, signed deliveries, retries and delivery faults.

use crate::common::{err, eventually, Fixture, Receiver, TestResult};
use lever_sim::webhooks::DeliveryResult;
use lever_sim::{sign, Faults, NewApiKey};
use serde_json::{json, Value};

fn verify(body: &Value, signature_token: &str) -> bool {
    let (Some(token), Some(at), Some(sig)) =
        (body["token"].as_str(), body["triggeredAt"].as_i64(), body["signature"].as_str())
    else {
        return false;
    };
    sign(signature_token, token, at) == sig
}

#[tokio::test]
async fn webhooks_api_lists_only_own() -> TestResult {
    let f = Fixture::new().await?;
    let res = f
        .post(
            "/webhooks",
            json!({"event": "candidateStageChange", "url": "https://vouch.example/webhooks/lever/1"}),
        )
        .await?;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await?;
    let id = created["data"]["id"].as_str().expect("id").to_string();
    assert!(created["data"]["configuration"]["signatureToken"].is_string());
    f.sim.add_ui_webhook(&f.company, "candidateHired", "https://ui.example/hook", "ui-token").map_err(err)?;
    let other = f.sim.create_api_key(&f.company, NewApiKey::default()).map_err(err)?.key;
    let list: Value = f.get("/webhooks").await?.json().await?;
    assert_eq!(list["data"].as_array().map(Vec::len), Some(1));
    let res = f.http.get(f.url("/webhooks")).basic_auth(&other, Some("")).send().await?;
    let list: Value = res.json().await?;
    assert_eq!(list["data"].as_array().map(Vec::len), Some(0));
    let res = f.http.delete(f.url(&format!("/webhooks/{id}"))).basic_auth(&other, Some("")).send().await?;
    assert_eq!(res.status(), 404, "another key cannot delete it");
    let res = f.http.delete(f.url(&format!("/webhooks/{id}"))).basic_auth(&f.key, Some("")).send().await?;
    assert_eq!(res.status(), 204);
    assert_eq!(f.post("/webhooks", json!({"event": "nope", "url": "https://x"})).await?.status(), 400);
    Ok(())
}

#[tokio::test]
async fn signed_delivery_with_retries_after_500() -> TestResult {
    let f = Fixture::new().await?;
    let receiver = Receiver::default();
    let url = receiver.start().await?;
    if let Ok(mut s) = receiver.script.lock() {
        *s = vec![500, 500];
    }
    let created: Value =
        f.post("/webhooks", json!({"event": "candidateStageChange", "url": url})).await?.json().await?;
    let token = created["data"]["configuration"]["signatureToken"].as_str().expect("token").to_string();
    let opp = f.candidate("Mira", "mira@example.org")?;
    f.sim.move_candidate(&f.company, &opp, "offer", Some(&f.admin)).map_err(err)?;
    eventually("three attempts", || receiver.bodies().len() >= 3).await?;
    let bodies = receiver.bodies();
    for b in &bodies {
        assert!(verify(b, &token), "bad signature: {b}");
        assert_eq!(b["event"], json!("candidateStageChange"));
        assert_eq!(b["data"]["opportunityId"], json!(opp));
        assert_eq!(b["data"]["fromStageId"], json!("applicant-new"));
        assert_eq!(b["data"]["toStageId"], json!("offer"));
    }
    eventually("delivered", || f.sim.deliveries().iter().any(|d| d.result == DeliveryResult::Delivered))
        .await?;
    let d = f.sim.deliveries().into_iter().find(|d| d.event == "candidateStageChange").expect("log");
    let statuses: Vec<Option<u16>> = d.attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, vec![Some(500), Some(500), Some(200)]);
    // The stage change recorded who moved it.
    let o = f.sim.opportunity(&f.company, &opp).map_err(err)?;
    assert_eq!(o.stage_changes.last().and_then(|s| s.user_id.clone()), Some(f.admin.clone()));
    Ok(())
}

#[tokio::test]
async fn lifecycle_events_and_test_delivery() -> TestResult {
    let f = Fixture::new().await?;
    let receiver = Receiver::default();
    let url = receiver.start().await?;
    let mut hook_ids = Vec::new();
    for event in ["applicationCreated", "candidateHired", "candidateArchiveChange", "candidateDeleted"] {
        hook_ids.push(f.sim.add_ui_webhook(&f.company, event, &url, "ui-secret").map_err(err)?.id);
    }
    let opp = f.candidate("Mira", "mira@example.org")?;
    f.sim.hire_candidate(&f.company, &opp).map_err(err)?;
    f.sim.delete_candidate(&f.company, &opp, Some(&f.admin)).map_err(err)?;
    f.sim.send_test_delivery(&f.company, &hook_ids[0]).map_err(anyhow::Error::msg)?;
    eventually("five deliveries", || receiver.bodies().len() >= 5).await?;
    let bodies = receiver.bodies();
    assert!(bodies.iter().all(|b| verify(b, "ui-secret")));
    let events: Vec<&str> = bodies.iter().filter_map(|b| b["event"].as_str()).collect();
    for e in ["applicationCreated", "candidateHired", "candidateArchiveChange", "candidateDeleted"] {
        assert!(events.contains(&e), "{events:?}");
    }
    let archive = bodies.iter().find(|b| b["event"] == json!("candidateArchiveChange")).expect("archive");
    assert_eq!(archive["data"]["fromArchived"], Value::Null);
    assert!(archive["data"]["toArchived"]["archivedAt"].is_i64());
    let deleted = bodies.iter().find(|b| b["event"] == json!("candidateDeleted")).expect("deleted");
    assert_eq!(deleted["data"]["deletedBy"], json!(f.admin));
    assert!(bodies.iter().any(|b| b["data"] == json!({})), "the test delivery has no opportunityId");
    Ok(())
}

#[tokio::test]
async fn drop_duplicate_and_reorder() -> TestResult {
    let f = Fixture::new().await?;
    let receiver = Receiver::default();
    let url = receiver.start().await?;
    f.sim.add_ui_webhook(&f.company, "candidateStageChange", &url, "tok").map_err(err)?;
    let opp = f.candidate("Mira", "mira@example.org")?;

    f.sim.set_faults(Faults { drop_next_deliveries: 1, ..Faults::default() }).map_err(err)?;
    f.sim.move_candidate(&f.company, &opp, "offer", None).map_err(err)?;
    assert!(f.sim.deliveries().iter().any(|d| d.result == DeliveryResult::Dropped));

    f.sim.set_faults(Faults { duplicate_next_deliveries: 1, ..Faults::default() }).map_err(err)?;
    f.sim.move_candidate(&f.company, &opp, "phone-screen", None).map_err(err)?;
    eventually("the duplicate", || receiver.bodies().len() >= 2).await?;
    let bodies = receiver.bodies();
    assert_eq!(bodies[0], bodies[1], "a duplicate is the identical body");

    f.sim.set_faults(Faults { reorder_batch: 2, ..Faults::default() }).map_err(err)?;
    f.sim.move_candidate(&f.company, &opp, "on-site", None).map_err(err)?;
    f.sim.move_candidate(&f.company, &opp, "offer", None).map_err(err)?;
    eventually("the reordered pair", || receiver.bodies().len() >= 4).await?;
    let bodies = receiver.bodies();
    assert_eq!(bodies[2]["data"]["toStageId"], json!("offer"));
    assert_eq!(bodies[3]["data"]["toStageId"], json!("on-site"));
    Ok(())
}
