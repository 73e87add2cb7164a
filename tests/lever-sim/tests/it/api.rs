//! Data API: envelopes, pagination, permissions, data centres, tags, notes.

use crate::common::{err, Fixture, TestResult};
use lever_sim::{DataCentre, NewApiKey, NewCandidate};
use serde_json::{json, Value};
use std::collections::HashSet;

#[tokio::test]
async fn pagination_over_250_opportunities_with_opaque_tokens() -> TestResult {
    let f = Fixture::new().await?;
    for i in 0..250 {
        f.candidate(&format!("Cand {i}"), &format!("c{i}@example.org"))?;
    }
    let mut seen = HashSet::new();
    let mut pages = Vec::new();
    let mut path = "/opportunities?limit=100".to_string();
    loop {
        let res = f.get(&path).await?;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await?;
        let data = body["data"].as_array().expect("data is a list");
        pages.push(data.len());
        for o in data {
            seen.insert(o["id"].as_str().expect("id").to_string());
        }
        if body["hasNext"] == json!(true) {
            let next = body["next"].as_str().expect("next token when hasNext");
            assert!(next.parse::<u64>().is_err(), "token must not be a number: {next}");
            path = format!("/opportunities?limit=100&offset={next}");
        } else {
            assert!(body.get("next").is_none(), "no next on the last page");
            break;
        }
    }
    assert_eq!(pages, vec![100, 100, 50]);
    assert_eq!(seen.len(), 250);
    // Default limit is 100.
    let body: Value = f.get("/opportunities").await?.json().await?;
    assert_eq!(body["data"].as_array().map(Vec::len), Some(100));
    Ok(())
}

#[tokio::test]
async fn limit_and_offset_validation() -> TestResult {
    let f = Fixture::new().await?;
    for bad in ["limit=0", "limit=101", "limit=abc", "offset=not-a-token"] {
        let res = f.get(&format!("/users?{bad}")).await?;
        assert_eq!(res.status(), 400, "{bad}");
        let body: Value = res.json().await?;
        assert!(body["message"].is_string(), "{bad}: {body}");
    }
    assert_eq!(f.get("/users?limit=1").await?.status(), 200);
    assert_eq!(f.get("/users?limit=100").await?.status(), 200);
    Ok(())
}

#[tokio::test]
async fn single_envelope_and_expand_applications() -> TestResult {
    let f = Fixture::new().await?;
    let id = f.candidate("Mira", "mira@example.org")?;
    let body: Value = f.get(&format!("/opportunities/{id}")).await?.json().await?;
    let o = &body["data"];
    assert_eq!(o["id"], json!(id));
    assert!(o["applications"][0].is_string());
    assert_eq!(o["stage"], json!("applicant-new"));
    assert!(o["createdAt"].is_i64());
    assert!(o["urls"]["show"].as_str().is_some_and(|s| s.ends_with(&id)));
    let body: Value = f.get(&format!("/opportunities/{id}?expand=applications")).await?.json().await?;
    assert_eq!(body["data"]["applications"][0]["posting"], json!(f.posting));
    assert_eq!(body["data"]["applications"][0]["postingOwner"], json!(f.admin));
    let apps: Value = f.get(&format!("/opportunities/{id}/applications")).await?.json().await?;
    assert_eq!(apps["data"][0]["opportunityId"], json!(id));
    assert_eq!(f.get("/opportunities/nope").await?.status(), 404);
    // Filters.
    let list: Value = f
        .get(&format!("/opportunities?stage_id=applicant-new&posting_id={}", f.posting))
        .await?
        .json()
        .await?;
    assert_eq!(list["data"].as_array().map(Vec::len), Some(1));
    let list: Value = f.get("/opportunities?stage_id=offer").await?.json().await?;
    assert_eq!(list["data"].as_array().map(Vec::len), Some(0));
    Ok(())
}

#[tokio::test]
async fn api_key_auth_and_missing_permission_named() -> TestResult {
    let f = Fixture::new().await?;
    let limited = f
        .sim
        .create_api_key(
            &f.company,
            NewApiKey { permissions: Some(vec!["Retrieve a list of users".into()]), ..Default::default() },
        )
        .map_err(err)?
        .key;
    let url = f.url("/users");
    let res = f.http.get(&url).basic_auth(&limited, Some("")).send().await?;
    assert_eq!(res.status(), 200);
    let id = f.candidate("Mira", "mira@example.org")?;
    let res = f
        .http
        .post(f.url(&format!("/opportunities/{id}/notes?perform_as={}", f.admin)))
        .basic_auth(&limited, Some(""))
        .json(&json!({"value": "hi"}))
        .send()
        .await?;
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await?;
    assert!(body["message"].as_str().is_some_and(|m| m.contains("Create a note")), "{body}");
    // Removing a permission through the control API.
    let res = f
        .http
        .post(format!("{}/_sim/api-keys/{limited}/remove-permission", f.sim.base_url()))
        .json(&json!({"permission": "Retrieve a list of users"}))
        .send()
        .await?;
    assert_eq!(res.status(), 200);
    let res = f.http.get(&url).basic_auth(&limited, Some("")).send().await?;
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await?;
    assert!(body["message"].as_str().is_some_and(|m| m.contains("Retrieve a list of users")));
    // Unknown key and no credentials: 401.
    let res = f.http.get(&url).basic_auth("nope", Some("")).send().await?;
    assert_eq!(res.status(), 401);
    assert_eq!(f.http.get(&url).send().await?.status(), 401);
    Ok(())
}

#[tokio::test]
async fn wrong_data_centre_is_404() -> TestResult {
    let f = Fixture::new().await?;
    for dc in [DataCentre::Eu, DataCentre::Sandbox] {
        let res =
            f.http.get(format!("{}/users", f.sim.api_base(dc))).basic_auth(&f.key, Some("")).send().await?;
        assert_eq!(res.status(), 404, "{dc:?}");
    }
    assert_eq!(f.get("/users").await?.status(), 200);
    Ok(())
}

#[tokio::test]
async fn tags_inherited_added_removed_and_listed() -> TestResult {
    let f = Fixture::new().await?;
    let id = f.candidate("Mira", "mira@example.org")?;
    let body: Value = f.get(&format!("/opportunities/{id}")).await?.json().await?;
    let tags: Vec<&str> =
        body["data"]["tags"].as_array().expect("tags").iter().filter_map(Value::as_str).collect();
    assert!(tags.contains(&"Vouch Template: Standard"), "{tags:?}");

    let path = format!("/opportunities/{id}/addTags?perform_as={}", f.admin);
    let res = f.post(&path, json!({"tags": ["Vouch Status: Sent"]})).await?;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await?;
    assert!(body["data"]["tags"].as_array().is_some_and(|t| t.contains(&json!("Vouch Status: Sent"))));
    let views = f.sim.opportunity_tags(&f.company, &id).map_err(err)?;
    let sent = views.iter().find(|t| t.text == "Vouch Status: Sent").expect("tag");
    assert_eq!(sent.added_by.as_deref(), Some(f.admin.as_str()));
    assert!(views.iter().any(|t| t.text == "Remote OK" && t.inherited));

    let tags: Value = f.get("/tags").await?.json().await?;
    assert!(tags["data"].as_array().is_some_and(|l| l
        .iter()
        .any(|t| t["text"] == json!("Vouch Status: Sent") && t["count"] == json!(1))));

    // perform_as rules.
    let res = f.post(&format!("/opportunities/{id}/addTags"), json!({"tags": ["x"]})).await?;
    assert_eq!(res.status(), 400);
    for who in [&f.interviewer, &f.deactivated] {
        let res =
            f.post(&format!("/opportunities/{id}/addTags?perform_as={who}"), json!({"tags": ["x"]})).await?;
        assert_eq!(res.status(), 403);
        let body: Value = res.json().await?;
        assert!(body["message"].as_str().is_some_and(|m| m.contains("cannot perform")));
    }
    let res = f
        .post(
            &format!("/opportunities/{id}/removeTags?perform_as={}", f.admin),
            json!({"tags": ["Vouch Status: Sent"]}),
        )
        .await?;
    assert_eq!(res.status(), 200);
    let tags: Value = f.get("/tags").await?.json().await?;
    assert!(!tags["data"]
        .as_array()
        .is_some_and(|l| l.iter().any(|t| t["text"] == json!("Vouch Status: Sent"))));
    Ok(())
}

/// What template-tag sync relies on: an opportunity made with no posting
/// and its own tags puts them in `GET /tags` (counted with a posting that
/// carries the same tag), `removeTags` takes one away and the tag leaves the
/// list once nothing carries it; the stats count writes, not reads.
#[tokio::test]
async fn a_carrier_opportunity_keeps_tags_listed_and_writes_are_counted() -> TestResult {
    let f = Fixture::new().await?;
    let count = |list: &Value, text: &str| {
        list["data"]
            .as_array()
            .and_then(|l| l.iter().find(|t| t["text"] == json!(text)))
            .map(|t| t["count"].clone())
    };
    let res = f
        .post(
            &format!("/opportunities?perform_as={}", f.admin),
            json!({"name": "Vouch template tags", "tags": ["Vouch Template: Standard", "Vouch Template: New"]}),
        )
        .await?;
    assert_eq!(res.status(), 201);
    let carrier: Value = res.json().await?;
    let id = carrier["data"]["id"].as_str().expect("id").to_string();
    assert!(carrier["data"]["applications"].as_array().is_some_and(Vec::is_empty), "{carrier}");

    let tags: Value = f.get("/tags").await?.json().await?;
    assert_eq!(count(&tags, "Vouch Template: New"), Some(json!(1)));
    // The fixture's posting carries "Standard" too.
    assert_eq!(count(&tags, "Vouch Template: Standard"), Some(json!(2)));

    let path = format!("/opportunities/{id}/removeTags?perform_as={}", f.admin);
    let res = f.post(&path, json!({"tags": ["Vouch Template: New", "Vouch Template: Standard"]})).await?;
    assert_eq!(res.status(), 200);
    let tags: Value = f.get("/tags").await?.json().await?;
    assert_eq!(count(&tags, "Vouch Template: New"), None, "nothing carries it any more: {tags}");
    assert_eq!(count(&tags, "Vouch Template: Standard"), Some(json!(1)), "the posting still does");

    let stats = f.sim.stats();
    let mine = stats.credential(&format!("key:{}", f.key)).expect("the key's stats");
    assert_eq!(mine.writes, 2, "one create and one removeTags");
    assert_eq!(mine.requests, 4);
    Ok(())
}

#[tokio::test]
async fn notes_create_alternating_ids_and_delete() -> TestResult {
    let f = Fixture::new().await?;
    let id = f.candidate("Mira", "mira@example.org")?;
    let path = format!("/opportunities/{id}/notes?perform_as={}", f.admin);
    let first: Value = f.post(&path, json!({"value": "one"})).await?.json().await?;
    let second: Value = f.post(&path, json!({"value": "two"})).await?.json().await?;
    let first_id = first["data"]["id"].as_str().expect("first note answers id").to_string();
    let second_id = second["data"]["noteId"].as_str().expect("second answers noteId").to_string();
    let notes = f.sim.opportunity_notes(&f.company, &id).map_err(err)?;
    assert_eq!(notes.len(), 2);
    assert!(notes.iter().all(|n| n.author.as_deref() == Some(f.admin.as_str())));
    let res = f
        .http
        .delete(f.url(&format!("/opportunities/{id}/notes/{first_id}")))
        .basic_auth(&f.key, Some(""))
        .send()
        .await?;
    assert_eq!(res.status(), 204);
    let notes = f.sim.opportunity_notes(&f.company, &id).map_err(err)?;
    assert!(notes.iter().any(|n| n.id == first_id && n.deleted_at.is_some()));
    assert!(notes.iter().any(|n| n.id == second_id && n.deleted_at.is_none()));
    // Without perform_as: 400; empty value: 400.
    let res = f.post(&format!("/opportunities/{id}/notes"), json!({"value": "x"})).await?;
    assert_eq!(res.status(), 400);
    assert_eq!(f.post(&path, json!({})).await?.status(), 400);
    assert_eq!(f.post(&path, json!("not an object")).await?.status(), 400);
    Ok(())
}

#[tokio::test]
async fn create_opportunity_dedups_contacts() -> TestResult {
    let f = Fixture::new().await?;
    let existing = f
        .sim
        .create_candidate(
            &f.company,
            NewCandidate {
                name: "Mira".into(),
                emails: vec!["mira@example.org".into()],
                ..Default::default()
            },
        )
        .map_err(err)?;
    let path = format!("/opportunities?perform_as={}", f.admin);
    let res = f
        .post(
            &path,
            json!({"name": "Mira K", "emails": ["MIRA@example.org"], "phones": [{"type": "mobile", "value": "+1"}],
                   "tags": ["t1"], "origin": "sourced", "postings": [f.posting]}),
        )
        .await?;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await?;
    assert_eq!(body["data"]["contact"], json!(existing.contact));
    assert_eq!(body["data"]["phones"][0]["type"], json!("mobile"));
    assert_eq!(f.post(&path, json!({"emails": []})).await?.status(), 400);
    assert_eq!(f.post(&path, json!({"name": "X", "postings": ["nope"]})).await?.status(), 400);
    Ok(())
}

#[tokio::test]
async fn demo_seed_loads() -> TestResult {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/demo.json");
    let seed = lever_sim::Seed::from_file(&path)?;
    let sim = lever_sim::Simulator::start(lever_sim::SimConfig {
        seed: Some(seed),
        ..lever_sim::SimConfig::for_tests()
    })
    .await?;
    let companies = sim.companies();
    let acme = companies.iter().find(|c| c.name == "Acme Robotics").expect("acme");
    assert_eq!(acme.opportunity_count, 10);
    assert!(acme.stages.iter().any(|s| s.text == "Reference check"));
    let http = reqwest::Client::new();
    let body: Value = http
        .get(format!("{}/opportunities", sim.api_base(DataCentre::Us)))
        .basic_auth("demo-us-api-key", Some(""))
        .send()
        .await?
        .json()
        .await?;
    let opps = body["data"].as_array().expect("list");
    assert!(opps.iter().any(|o| o["emails"] == json!([])));
    let res = http
        .get(format!("{}/users", sim.api_base(DataCentre::Eu)))
        .basic_auth("demo-eu-api-key", Some(""))
        .send()
        .await?;
    assert_eq!(res.status(), 200);
    Ok(())
}
