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
