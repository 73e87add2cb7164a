//! `vouch demo` (the README's first command) really starts: Vouch connected
//! to a seeded simulator, with the catalogue read, announced on stdout.
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

#[tokio::test]
async fn the_demo_starts_connected_and_signs_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (port, sim_port) = (free_port(), free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch-demo"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("VOUCH_BIND", format!("127.0.0.1:{port}"))
        .env("LEVER_SIM_PORT", sim_port.to_string())
        .env("VOUCH_DATA_DIR", dir.path().join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the demo starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let announced = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(line) = lines.next_line().await.expect("stdout readable") {
            if line.contains("Vouch demo is running") {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(announced, Ok(true), "the demo announces itself once connected and synced");

    let url = format!("http://127.0.0.1:{port}");
    let gql = vouch_tests::GraphqlClient::new(format!("{url}/graphql"));
    let token = gql.login("admin@demo.vouch.test", "vouch-demo-password").await;
    let answer = gql
        .run(Some(&token), "{ leverConnection { status } leverPostings { id } }", serde_json::json!({}))
        .await;
    assert_eq!(answer.data()["leverConnection"]["status"], "CONNECTED", "{}", answer.body);
    let postings = answer.data()["leverPostings"].as_array().map(Vec::len).unwrap_or_default();
    assert!(postings > 0, "the seeded postings are read: {}", answer.body);
    child.kill().await.expect("stop the demo");
}
