//! The simulator's answers carry every field of the fixtures in
//! `tests/fixtures/lever/` (same names, same JSON types).

use crate::common::{Fixture, TestResult};
use serde_json::{json, Value};
use std::path::PathBuf;

fn fixture(name: &str) -> anyhow::Result<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/lever").join(name);
    Ok(serde_json::from_str(&std::fs::read_to_string(&path)?)?)
}

/// Every key of `expected` (recursively through objects) is in `actual`,
/// with the same JSON type unless one of them is null.
fn same_shape(expected: &Value, actual: &Value, at: &str) -> Vec<String> {
    let mut problems = Vec::new();
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                match a.get(k) {
                    None => problems.push(format!("{at}.{k} missing")),
                    Some(av) => problems.extend(same_shape(v, av, &format!("{at}.{k}"))),
                }
            }
        }
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Array(_), Value::Array(_)) => {}
        (e, a) if std::mem::discriminant(e) == std::mem::discriminant(a) => {}
        (e, a) => problems.push(format!("{at}: expected like {e}, got {a}")),
    }
    problems
}

#[tokio::test]
async fn answers_match_fixture_shapes() -> TestResult {
    let f = Fixture::new().await?;
    let opp = f.candidate("Mira", "mira@example.org")?;
    let note_path = format!("/opportunities/{opp}/notes?perform_as={}", f.admin);
    let cases = [
        ("user.json", f.get(&format!("/users/{}", f.admin)).await?.json::<Value>().await?),
        ("posting.json", f.get(&format!("/postings/{}", f.posting)).await?.json().await?),
        ("opportunity.json", f.get(&format!("/opportunities/{opp}")).await?.json().await?),
        ("applications.json", f.get(&format!("/opportunities/{opp}/applications")).await?.json().await?),
        ("stages.json", f.get("/stages").await?.json().await?),
        ("tags.json", f.get("/tags").await?.json().await?),
        ("note-created-id.json", f.post(&note_path, json!({"value": "a"})).await?.json().await?),
        ("note-created-noteId.json", f.post(&note_path, json!({"value": "b"})).await?.json().await?),
        (
            "api-webhook-created.json",
            f.post(
                "/webhooks",
                json!({"event": "candidateStageChange", "url": "https://v.example/h",
                                        "configuration": {"conditions": {"origins": ["applied"]}}}),
            )
            .await?
            .json()
            .await?,
        ),
    ];
    let mut problems = Vec::new();
    for (name, actual) in &cases {
        let mut expected = fixture(name)?;
        // Lists: compare the first element's shape.
        if let (Some(e), Some(a)) = (expected["data"].as_array().cloned(), actual["data"].as_array()) {
            assert!(!a.is_empty(), "{name}: empty list");
            expected = json!({"data": e[0], "hasNext": false});
            problems.extend(same_shape(
                &expected,
                &json!({"data": a[0], "hasNext": actual["hasNext"]}),
                name,
            ));
        } else {
            problems.extend(same_shape(&expected, actual, name));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    Ok(())
}
