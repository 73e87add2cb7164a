//! A stage change whose opportunity Lever answers 404 for by the time it is
//! processed (deleted in Lever right after the move, its deletion webhook
//! lost): the delivery is handled once, with the reason in the webhook log;
//! nothing starts, nothing is retried, and an open check is left as it is
//! with the fact on its timeline.
use lever_sim::Faults;
use serde_json::{json, Value};
use vouch_tests::check_story::{story, WAIT};
use vouch_tests::eventually;

#[tokio::test]
async fn a_stage_change_lever_then_answers_404_for_is_handled_once_with_a_reason() {
    let s = story().await;
    let sim = &s.world.sim;
    let company = &s.world.company_id;
    // One candidate with an open check, one without.
    let open = s.candidate("Ola Open", &["ola@cand.test"]);
    s.move_to(&open, &s.self_stage);
    let check_id = s.checks(1).await[0]["id"].clone();
    s.status_of(&check_id, "SENT").await;
    let fresh = s.candidate("Fay Fresh", &["fay@cand.test"]);
    eventually("Fay's application processed", WAIT, || async {
        let a = s.run("{ webhookDeliveries { event opportunityId result } }", json!({})).await;
        a.data()["webhookDeliveries"]
            .as_array()?
            .iter()
            .any(|d| d["opportunityId"] == fresh.as_str() && d["result"] == "PROCESSED")
            .then_some(())
    })
    .await;

    // Hold the stage changes, delete both candidates in Lever with their
    // deletion webhooks lost, then let the stage changes through.
    sim.set_faults(Faults { reorder_batch: 100, ..Faults::default() }).expect("hold deliveries");
    s.move_to(&open, &s.ref_stage);
    s.move_to(&fresh, &s.ref_stage);
    sim.set_faults(Faults { reorder_batch: 100, drop_next_deliveries: 2, ..Faults::default() })
        .expect("drop");
    sim.delete_candidate(company, &open, None).expect("delete");
    sim.delete_candidate(company, &fresh, None).expect("delete");
    sim.set_faults(Faults::default()).expect("no faults");
    assert_eq!(sim.flush_held(), 2, "the two stage changes were held");

    let handled: Vec<Value> = eventually("both stage changes handled", WAIT, || async {
        let a =
            s.run("{ webhookDeliveries(first: 100) { event opportunityId result detail } }", json!({})).await;
        let list: Vec<Value> = a.data()["webhookDeliveries"]
            .as_array()?
            .iter()
            .filter(|d| {
                d["event"] == "candidateStageChange"
                    && d["detail"].as_str().is_some_and(|t| t.contains("404"))
            })
            .cloned()
            .collect();
        (list.len() == 2).then_some(list)
    })
    .await;
    for d in &handled {
        assert_eq!(d["result"], "PROCESSED", "handled, not failed: {d}");
        let detail = d["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("nothing started") && detail.contains("not retried"), "{detail}");
    }
    let about_open = handled.iter().find(|d| d["opportunityId"] == open.as_str()).expect("Ola's delivery");
    assert!(
        about_open["detail"].as_str().is_some_and(|t| t.contains("1 open check(s) left as they are")),
        "{about_open}"
    );

    // No check started; the open one is left as it was, with the fact recorded.
    let checks = s.run("{ checks { id status } }", json!({})).await;
    assert_eq!(checks.data()["checks"].as_array().map(Vec::len), Some(1), "{}", checks.body);
    let check = s
        .run(
            "query($id: UUID!) { check(id: $id) { status timeline { kind detail } } }",
            json!({ "id": check_id }),
        )
        .await;
    assert_eq!(check.data()["check"]["status"], "SENT");
    assert!(
        check.data()["check"]["timeline"]
            .as_array()
            .is_some_and(|t| t.iter().any(|e| e["kind"] == "lever.not_found")),
        "{}",
        check.body
    );
    // Nothing is left failing or retrying.
    let failed = s.run("{ jobs(status: FAILED) { kind lastError } }", json!({})).await;
    assert_eq!(failed.data()["jobs"], json!([]), "{}", failed.body);
}
