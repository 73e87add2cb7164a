//! Rate limit and fault injection.

use crate::common::{Fixture, TestResult};
use lever_sim::Faults;
use std::time::{Duration, Instant};

#[tokio::test]
async fn burst_of_40_gets_429s_and_stats_show_them() -> TestResult {
    let f = Fixture::new().await?;
    let mut ok = 0;
    let mut limited = 0;
    let mut retry_after_seen = false;
    for _ in 0..40 {
        let res = f.get("/stages").await?;
        match res.status().as_u16() {
            200 => ok += 1,
            429 => {
                limited += 1;
                retry_after_seen |= res.headers().get("retry-after").is_some();
                let body: serde_json::Value = res.json().await?;
                assert!(body["message"].is_string());
            }
            other => anyhow::bail!("unexpected {other}"),
        }
    }
    assert!(limited > 0, "ok {ok}, limited {limited}");
    assert!(ok >= 20, "the burst of 20 passes: {ok}");
    assert!(retry_after_seen, "Retry-After is sent by default");
    let stats = f.sim.stats();
    let cred = stats.credential(&format!("key:{}", f.key)).expect("stats of the key");
    assert_eq!(cred.requests, 40);
    assert_eq!(cred.throttled, limited);
    assert_eq!(cred.timestamps.len(), 40);
    assert!(cred.max_requests_in_1s >= cred.max_accepted_in_1s);
    // Never more than the burst plus one second of refill in any 1-s window.
    assert!(cred.max_accepted_in_1s <= 31, "{}", cred.max_accepted_in_1s);
    // Without Retry-After when configured so.
    let mut settings = f.sim.settings();
    settings.send_retry_after = false;
    f.sim.set_settings(settings).map_err(crate::common::err)?;
    let res = f.get("/stages").await?;
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_none());
    Ok(())
}

#[tokio::test]
async fn fail_next_and_latency() -> TestResult {
    let f = Fixture::new().await?;
    f.sim
        .set_faults(Faults { fail_next: 2, error_status: Some(503), ..Faults::default() })
        .map_err(crate::common::err)?;
    assert_eq!(f.get("/users").await?.status(), 503);
    assert_eq!(f.get("/users").await?.status(), 503);
    assert_eq!(f.get("/users").await?.status(), 200);
    f.sim.set_faults(Faults { latency_ms: 150, ..Faults::default() }).map_err(crate::common::err)?;
    let start = Instant::now();
    assert_eq!(f.get("/users").await?.status(), 200);
    assert!(start.elapsed() >= Duration::from_millis(150));
    // Through the control API: error rate 1.0 fails everything.
    let res = f
        .http
        .post(format!("{}/_sim/faults", f.sim.base_url()))
        .json(&serde_json::json!({"latencyMs": 0, "errorRate": 1.0}))
        .send()
        .await?;
    assert_eq!(res.status(), 200);
    assert_eq!(f.get("/users").await?.status(), 500);
    let res = f
        .http
        .post(format!("{}/_sim/faults", f.sim.base_url()))
        .json(&serde_json::json!({"errorRate": 2.0}))
        .send()
        .await?;
    assert_eq!(res.status(), 400);
    Ok(())
}

#[tokio::test]
async fn the_call_log_names_each_call_and_its_answer() -> TestResult {
    let f = Fixture::new().await?;
    let opp = f.candidate("Cal Logged", "cal@example.com")?;
    f.sim.reset_stats();
    let added = f
        .post(
            &format!("/opportunities/{opp}/addTags?perform_as={}", f.admin),
            serde_json::json!({"tags": ["x"]}),
        )
        .await?;
    assert_eq!(added.status(), 200);
    let refused =
        f.post(&format!("/opportunities/{opp}/notes"), serde_json::json!({"value": "no perform_as"})).await?;
    assert_eq!(refused.status(), 400);
    let anonymous = f.http.get(f.url("/stages")).send().await?;
    assert_eq!(anonymous.status(), 401);
    let res = f.http.get(format!("{}/_sim/calls", f.sim.base_url())).send().await?;
    assert_eq!(res.status(), 200);
    let log: serde_json::Value = res.json().await?;
    let calls = log["calls"].as_array().cloned().unwrap_or_default();
    assert_eq!(calls.len(), 3, "{log}");
    assert_eq!(calls[0]["method"], "POST");
    assert_eq!(calls[0]["endpoint"], "/opportunities/{id}/addTags");
    assert_eq!(calls[0]["opportunityId"], opp.as_str());
    assert_eq!(calls[0]["status"], 200);
    assert_eq!(calls[0]["credential"], format!("key:{}", f.key));
    assert!(calls[0]["done"].as_i64() >= calls[0]["at"].as_i64());
    assert_eq!(calls[1]["endpoint"], "/opportunities/{id}/notes");
    assert_eq!(calls[1]["status"], 400);
    assert_eq!(calls[2]["endpoint"], "/stages");
    assert_eq!(calls[2]["status"], 401);
    assert!(calls[2]["credential"].is_null());
    // Polling from the last seq answers only what is new.
    let last = log["lastSeq"].as_u64().unwrap_or_default();
    assert_eq!(f.get("/stages").await?.status(), 200);
    let newer = f.sim.calls(last);
    assert_eq!(newer.calls.len(), 1);
    assert_eq!(newer.calls[0].seq, last + 1);
    assert_eq!(f.sim.calls(0).calls.len(), 4);
    let bad = f.http.get(format!("{}/_sim/calls?after=soon", f.sim.base_url())).send().await?;
    assert_eq!(bad.status(), 400);
    f.sim.reset_stats();
    assert!(f.sim.calls(0).calls.is_empty(), "a stats reset clears the log");
    Ok(())
}
