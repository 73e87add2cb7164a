//! A crash loses no accepted webhook: the real `vouch serve` runs as a child
//! process, takes a burst of signed deliveries, is killed with SIGKILL at a
//! random moment, and is started again on the same database. Every delivery
//! that got a 200 is then stored exactly once and processed exactly once.
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;

use entity::lever_connection::ConnectionStatus;
use entity::lever_webhook_delivery::DeliveryStatus;
use rand::Rng;
use serde_json::Value;
use vouch::secrets::SecretKey;
use vouch_tests::lever_webhooks::{
    add_token, attach_api_key, deliveries, event, lever_for_seeded_connections, secret_store,
    seed_connection, webhook_url,
};
use vouch_tests::{eventually, TestDatabase};

const TOKEN: &str = "whsec-crash-test";
const EVENTS: usize = 120;

/// `target/debug/vouch`, built next to this test's `deps/` folder.
fn vouch_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let binary = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|debug| debug.join("vouch"))
        .expect("the test executable lives in target/debug/deps");
    assert!(binary.is_file(), "{} is missing: run `cargo build -p vouch` first", binary.display());
    binary
}

struct Serve {
    child: Child,
    base_url: String,
}

/// Starts `vouch serve` and waits for the address it announces.
fn serve(database_url: &str, dir: &std::path::Path, key: &str, lever_flags: &[String]) -> Serve {
    let mut child = Command::new(vouch_binary())
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", database_url, "--secret-key", key])
        .args(lever_flags)
        .args(["--job-lease-secs", "2", "--data-dir"])
        .arg(dir.join("data"))
        .arg("--web-dir")
        .arg(dir.join("web"))
        .env("VOUCH_LOG_FORMAT", "json")
        .env("RUST_LOG", "info,sqlx=warn,sea_orm=warn")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("vouch serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    // Keep draining stderr so the child never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let Ok(event) = serde_json::from_str::<Value>(&line) else { continue };
            if let (Some(address), Some(sender)) = (event["fields"]["address"].as_str(), tx.as_ref()) {
                let _ = sender.send(address.to_owned());
                tx = None;
            }
        }
    });
    let address = rx.recv_timeout(Duration::from_secs(60)).expect("the server announces its address");
    Serve { child, base_url: format!("http://{address}") }
}

async fn send(client: &reqwest::Client, url: &str, body: &Value) -> bool {
    matches!(client.post(url).json(body).send().await, Ok(r) if r.status().as_u16() == 200)
}

#[tokio::test]
async fn a_killed_server_loses_no_accepted_webhook_and_processes_each_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::create(&dir).await.expect("test database");
    let url = vouch::db::DatabaseUrl::parse(database.url()).expect("url");
    let db = vouch::db::connect(&url).await.expect("connect");
    vouch::db::migrate(&db, &url).await.expect("migrate");
    let key = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    let secrets = secret_store(&SecretKey::parse(&key).expect("hex key"));
    let org = vouch::domain::organizations::find_or_create(&db, "Acme").await.expect("org").id;
    let connection = seed_connection(&db, org, ConnectionStatus::Connected).await;
    let (lever, api_key) = lever_for_seeded_connections().await;
    attach_api_key(&db, &secrets, org, connection, &api_key).await;
    add_token(&db, &secrets, org, connection, None, TOKEN).await;
    let lever_flags = lever.server_flags();

    // Events with no ordering family, so every one must be processed.
    let bodies: Vec<Value> = (0..EVENTS)
        .map(|n| {
            let kind = if n % 2 == 0 { "applicationCreated" } else { "candidateDeleted" };
            event(
                TOKEN,
                kind,
                &format!("opp-{}", n % 13),
                1_763_900_000_000 + n as i64,
                &format!("crash-{n}"),
            )
        })
        .collect();

    let first = serve(database.url(), dir.path(), &key, &lever_flags);
    let target = webhook_url(&first.base_url, connection);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let ok_count = Arc::new(AtomicUsize::new(0));
    // Sixteen in flight at a time, so the burst lasts while the kill comes.
    let burst = {
        let (client, target, ok_count) = (client.clone(), target.clone(), ok_count.clone());
        let bodies = bodies.clone();
        tokio::spawn(async move {
            futures::stream::iter(bodies.into_iter().enumerate())
                .map(|(n, body)| {
                    let (client, target, ok_count) = (client.clone(), target.clone(), ok_count.clone());
                    async move {
                        let ok = send(&client, &target, &body).await;
                        if ok {
                            ok_count.fetch_add(1, Ordering::SeqCst);
                        }
                        (n, ok)
                    }
                })
                .buffer_unordered(16)
                .collect::<Vec<_>>()
                .await
        })
    };
    // The kill comes after a random number of 200s plus a random delay: in
    // the middle of storing and processing.
    let (threshold, extra) = {
        let mut rng = rand::thread_rng();
        (rng.gen_range(1..EVENTS * 2 / 3), Duration::from_millis(rng.gen_range(0..30)))
    };
    let mut child = first.child;
    eventually("some deliveries to be accepted", Duration::from_secs(60), || {
        let ok_count = ok_count.clone();
        async move { (ok_count.load(Ordering::SeqCst) >= threshold).then_some(()) }
    })
    .await;
    tokio::time::sleep(extra).await;
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let kill_after = format!("{threshold} answers + {extra:?}");
    let mut accepted = HashSet::new();
    for (n, ok) in burst.await.expect("sender") {
        if ok {
            accepted.insert(format!("crash-{n}"));
        }
    }
    eprintln!("killed after {kill_after}; {} of {EVENTS} deliveries got a 200", accepted.len());
    for token in &accepted {
        let stored = deliveries(&db).await.into_iter().filter(|d| &d.token == token).count();
        assert_eq!(stored, 1, "{token} got a 200 before the crash, so it is stored");
    }

    // Restart on the same database; Lever sends everything again.
    let mut second = serve(database.url(), dir.path(), &key, &lever_flags);
    let target = webhook_url(&second.base_url, connection);
    for body in &bodies {
        assert!(send(&client, &target, body).await, "the restarted server accepts {}", body["token"]);
    }
    let rows = eventually("every delivery to be processed", Duration::from_secs(60), || async {
        let rows = deliveries(&db).await;
        rows.iter().all(|d| d.status == DeliveryStatus::Processed).then_some(rows)
    })
    .await;
    second.child.kill().expect("stop the server");
    let _ = second.child.wait();

    assert_eq!(rows.len(), EVENTS, "each delivery stored exactly once");
    let tokens: HashSet<_> = rows.iter().map(|d| d.token.clone()).collect();
    assert_eq!(tokens.len(), EVENTS);
    assert!(accepted.is_subset(&tokens));
    for row in &rows {
        assert_eq!(row.process_count, 1, "{} processed exactly once", row.token);
    }
    let jobs = vouch_tests::lever_webhooks::job_count(&db, vouch::webhooks::JOB_KIND).await;
    assert_eq!(jobs, EVENTS as u64, "one processing job per delivery");
}
