//! Group commit of webhook deliveries, on the engine under test.
//!
//! The committer is driven directly (a real database, its real writer task)
//! where a test needs to know which deliveries shared a batch: another
//! connection holds the database's write lock while the first delivery's
//! batch waits for it, so everything submitted meanwhile queues up and is
//! committed as the next batch. The route is driven over HTTP for what a
//! caller sees: every delivery stored, 503 with `Retry-After` and nothing
//! stored while the database cannot commit, 404 for a connection deleted
//! while its delivery waited.
use std::time::Duration;

use entity::lever_connection::ConnectionStatus;
use entity::lever_webhook_delivery::DeliveryStatus;
use entity::Role;
use futures::StreamExt;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction};
use serde_json::Value;
use uuid::Uuid;
use vouch::webhooks::committer::{Committer, Refused};
use vouch::webhooks::inbox::Stored;
use vouch_tests::lever_webhooks::{
    add_token, deliveries, event, fanned_out, job_count, secret_store, seed_connection, webhook_url,
};
use vouch_tests::{eventually, TestDatabase, TestServer};

const TOKEN: &str = "whsec-commit-test";
const KIND: &str = vouch::webhooks::JOB_KIND;

/// A fresh, migrated database with one organization and one connection.
struct Db {
    _dir: tempfile::TempDir,
    database: TestDatabase,
    db: DatabaseConnection,
    org: Uuid,
    connection: Uuid,
}

async fn database() -> Db {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::create(&dir).await.expect("test database");
    let url = vouch::db::DatabaseUrl::parse(database.url()).expect("url");
    let db = vouch::db::connect(&url).await.expect("connect");
    vouch::db::migrate(&db, &url).await.expect("migrate");
    let org = vouch::domain::organizations::find_or_create(&db, "Acme").await.expect("org").id;
    let connection = seed_connection(&db, org, ConnectionStatus::Connected).await;
    Db { _dir: dir, database, db, org, connection }
}

/// The inbox row the route would hand the committer.
fn row(
    org: Uuid,
    connection: Uuid,
    opportunity: &str,
    triggered_at: i64,
) -> entity::lever_webhook_delivery::Model {
    let body = event(TOKEN, "candidateHired", opportunity, triggered_at, "tok");
    let delivery =
        vouch::webhooks::Delivery::parse(&serde_json::to_vec(&body).expect("serialise")).expect("parses");
    vouch::webhooks::inbox::row(org, connection, &delivery)
}

/// Takes the database's write lock on a connection of the test's own and
/// keeps it until the transaction is dropped or ended: SQLite `BEGIN
/// IMMEDIATE`; PostgreSQL a table lock on the inbox that blocks writers
/// (and, with `ACCESS EXCLUSIVE`, readers of that table too).
async fn hold_write_lock(db: &DatabaseConnection, mode: &str) -> DatabaseTransaction {
    let holder = vouch::db::begin_write(db).await.expect("begin");
    if holder.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        holder
            .execute_unprepared(&format!("LOCK TABLE lever_webhook_deliveries IN {mode} MODE"))
            .await
            .expect("lock the inbox");
    } else {
        // BEGIN IMMEDIATE takes SQLite's write lock at once; a write makes
        // sure of it.
        holder
            .execute_unprepared("UPDATE organizations SET name = name WHERE 1 = 0")
            .await
            .expect("take the write lock");
    }
    holder
}

/// Submits a first delivery and waits until the writer has taken it: its
/// batch is now stuck on the lock, so what is submitted next queues up.
async fn stuck_first_batch(
    committer: &Committer,
    first: entity::lever_webhook_delivery::Model,
) -> tokio::task::JoinHandle<Result<Stored, Refused>> {
    let task = {
        let committer = committer.clone();
        tokio::spawn(async move { committer.submit(first).await })
    };
    eventually("the writer to take the first delivery", Duration::from_secs(10), || async {
        (committer.stats().received == 1).then_some(())
    })
    .await;
    // Give the writer its moment to start waiting on the lock.
    tokio::time::sleep(Duration::from_millis(100)).await;
    task
}

fn submit_all(
    committer: &Committer,
    rows: Vec<entity::lever_webhook_delivery::Model>,
) -> Vec<tokio::task::JoinHandle<Result<Stored, Refused>>> {
    rows.into_iter()
        .map(|row| {
            let committer = committer.clone();
            tokio::spawn(async move { committer.submit(row).await })
        })
        .collect()
}

async fn answers(
    tasks: Vec<tokio::task::JoinHandle<Result<Stored, Refused>>>,
) -> Vec<Result<Stored, Refused>> {
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.expect("submit task"));
    }
    out
}

async fn wait_queued(committer: &Committer, n: usize) {
    eventually("the deliveries to queue up", Duration::from_secs(10), || async {
        (committer.queued() == n).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_delivery_queued_ten_times_is_one_row_and_ten_answers_from_one_commit() {
    let d = database().await;
    let committer = Committer::spawn(d.db.clone(), vouch::jobs::JobSignal::new(), 64);
    let holder = hold_write_lock(&d.db, "EXCLUSIVE").await;
    let first = stuck_first_batch(&committer, row(d.org, d.connection, "opp-first", 1)).await;
    let copies = (0..10).map(|_| row(d.org, d.connection, "opp-same", 2)).collect::<Vec<_>>();
    let tasks = submit_all(&committer, copies);
    wait_queued(&committer, 10).await;
    holder.rollback().await.expect("release the lock");

    assert!(matches!(first.await.expect("task"), Ok(Stored::New { .. })));
    let answers = answers(tasks).await;
    let stored = answers.iter().filter(|a| matches!(a, Ok(Stored::New { .. }))).count();
    let duplicate = answers.iter().filter(|a| matches!(a, Ok(Stored::Duplicate))).count();
    assert_eq!((stored, duplicate), (1, 9), "{answers:?}");
    let stats = committer.stats();
    assert_eq!((stats.commits, stats.largest_batch, stats.answered), (2, 10, 11), "{stats:?}");
    let rows = deliveries(&d.db).await;
    assert_eq!(rows.iter().filter(|r| r.opportunity_id.as_deref() == Some("opp-same")).count(), 1);
    assert_eq!(fanned_out(&d.db).await.len(), 2, "one job per stored delivery");

    // Across batches too: the same delivery again is a duplicate, answered
    // from the keys this committer saw committed, without queueing.
    let again = committer.submit(row(d.org, d.connection, "opp-same", 2)).await;
    assert_eq!(again, Ok(Stored::Duplicate));
    let stats = committer.stats();
    assert_eq!((stats.recent_duplicates, stats.received), (1, 11), "{stats:?}");
    // A committer that never saw it (another process, a restart) finds
    // the stored row in the database instead.
    let fresh = Committer::spawn(d.db.clone(), vouch::jobs::JobSignal::new(), 64);
    assert_eq!(fresh.submit(row(d.org, d.connection, "opp-same", 2)).await, Ok(Stored::Duplicate));
    assert_eq!((fresh.stats().recent_duplicates, fresh.stats().commits), (0, 1));
    assert_eq!(deliveries(&d.db).await.len(), 2);
    assert_eq!(fanned_out(&d.db).await.len(), 2);
}

#[tokio::test]
async fn job_workers_are_held_back_while_a_burst_is_being_committed() {
    let d = database().await;
    let signal = vouch::jobs::JobSignal::new();
    let committer = Committer::spawn(d.db.clone(), signal.clone(), 64);
    assert!(!signal.in_foreground(), "nothing to commit yet");
    let holder = hold_write_lock(&d.db, "EXCLUSIVE").await;
    let first = stuck_first_batch(&committer, row(d.org, d.connection, "opp-first", 1)).await;
    assert!(signal.in_foreground(), "a batch waits to commit: workers must hold back");
    holder.rollback().await.expect("release the lock");
    assert!(matches!(first.await.expect("task"), Ok(Stored::New { .. })));
    // Once the queue has been quiet for a moment the workers may go on.
    eventually("the burst to end", Duration::from_secs(10), || async {
        (!signal.in_foreground()).then_some(())
    })
    .await;
}

/// The route's committer: connections of its own and, on PostgreSQL,
/// several writer tasks. Once a burst is answered, whichever writers wait
/// for their turn at the queue, the workers are let go.
#[tokio::test]
async fn the_routes_committer_lets_the_workers_go_once_a_burst_is_answered() {
    let d = database().await;
    let url = vouch::db::DatabaseUrl::parse(d.database.url()).expect("url");
    let signal = vouch::jobs::JobSignal::new();
    let committer = Committer::spawn_dedicated(url, d.db.clone(), signal.clone(), 512);
    let rows = (0..100).map(|n| row(d.org, d.connection, &format!("opp-{n}"), 10 + n)).collect::<Vec<_>>();
    for answer in answers(submit_all(&committer, rows)).await {
        assert!(matches!(answer, Ok(Stored::New { .. })), "{answer:?}");
    }
    eventually("the burst to end", Duration::from_secs(10), || async {
        (!signal.in_foreground()).then_some(())
    })
    .await;
    assert_eq!(deliveries(&d.db).await.len(), 100);
    assert_eq!(fanned_out(&d.db).await.len(), 100);
}

/// The route's committer (on PostgreSQL one statement per batch): a
/// delivery stored before, unknown to this committer, gets no second row
/// and no second job, while the new ones of the same batches get both, and
/// an ignored event gets its row and no job.
#[tokio::test]
async fn the_routes_committer_writes_jobs_only_for_the_deliveries_it_stored() {
    let d = database().await;
    let url = vouch::db::DatabaseUrl::parse(d.database.url()).expect("url");
    let first = Committer::spawn_dedicated(url.clone(), d.db.clone(), vouch::jobs::JobSignal::new(), 64);
    let before = (0..3).map(|n| row(d.org, d.connection, &format!("opp-{n}"), 100 + n)).collect::<Vec<_>>();
    for answer in answers(submit_all(&first, before)).await {
        assert!(matches!(answer, Ok(Stored::New { .. })), "{answer:?}");
    }
    // Another process (or this one after a restart): nothing remembered.
    let fresh = Committer::spawn_dedicated(url, d.db.clone(), vouch::jobs::JobSignal::new(), 64);
    let ignored = {
        let body = event(TOKEN, "someFutureEvent", "opp-ignored", 300, "tok");
        let delivery =
            vouch::webhooks::Delivery::parse(&serde_json::to_vec(&body).expect("json")).expect("parses");
        vouch::webhooks::inbox::row(d.org, d.connection, &delivery)
    };
    let mut mixed =
        (0..6).map(|n| row(d.org, d.connection, &format!("opp-{n}"), 100 + n)).collect::<Vec<_>>();
    mixed.push(ignored);
    let answers = answers(submit_all(&fresh, mixed)).await;
    let new = answers.iter().filter(|a| matches!(a, Ok(Stored::New { .. }))).count();
    let duplicate = answers.iter().filter(|a| matches!(a, Ok(Stored::Duplicate))).count();
    assert_eq!((new, duplicate), (4, 3), "{answers:?}");
    assert_eq!(deliveries(&d.db).await.len(), 7);
    assert_eq!(fanned_out(&d.db).await.len(), 6, "one job per stored delivery, none for the ignored one");
    let ignored_rows =
        deliveries(&d.db).await.into_iter().filter(|r| r.status == DeliveryStatus::Ignored).count();
    assert_eq!(ignored_rows, 1);
}

#[tokio::test]
async fn distinct_deliveries_queued_together_are_all_stored_in_one_commit() {
    let d = database().await;
    let committer = Committer::spawn(d.db.clone(), vouch::jobs::JobSignal::new(), 512);
    let holder = hold_write_lock(&d.db, "EXCLUSIVE").await;
    let first = stuck_first_batch(&committer, row(d.org, d.connection, "opp-first", 1)).await;
    let rows = (0..200).map(|n| row(d.org, d.connection, &format!("opp-{n}"), 10 + n)).collect::<Vec<_>>();
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let tasks = submit_all(&committer, rows);
    wait_queued(&committer, 200).await;
    holder.rollback().await.expect("release the lock");

    assert!(matches!(first.await.expect("task"), Ok(Stored::New { .. })));
    for (answer, id) in answers(tasks).await.into_iter().zip(ids) {
        assert_eq!(answer, Ok(Stored::New { delivery_id: id, status: DeliveryStatus::Received }));
    }
    let stats = committer.stats();
    assert_eq!((stats.commits, stats.largest_batch), (2, 200), "{stats:?}");
    assert_eq!(deliveries(&d.db).await.len(), 201);
    assert_eq!(fanned_out(&d.db).await.len(), 201);
}

#[tokio::test]
async fn a_batch_with_a_row_the_database_refuses_loses_none_of_the_others() {
    let d = database().await;
    let committer = Committer::spawn(d.db.clone(), vouch::jobs::JobSignal::new(), 64);
    let holder = hold_write_lock(&d.db, "EXCLUSIVE").await;
    let first = stuck_first_batch(&committer, row(d.org, d.connection, "opp-first", 1)).await;
    // The fifth names a connection that does not exist: a foreign key
    // violation that fails the batch's multi-row insert.
    let rows = (0..10)
        .map(|n| {
            let connection = if n == 4 { Uuid::new_v4() } else { d.connection };
            row(d.org, connection, &format!("opp-{n}"), 10 + n)
        })
        .collect::<Vec<_>>();
    let tasks = submit_all(&committer, rows);
    wait_queued(&committer, 10).await;
    holder.rollback().await.expect("release the lock");

    assert!(matches!(first.await.expect("task"), Ok(Stored::New { .. })));
    let answers = answers(tasks).await;
    for (n, answer) in answers.iter().enumerate() {
        if n == 4 {
            assert_eq!(*answer, Err(Refused::ConnectionGone));
        } else {
            assert!(matches!(answer, Ok(Stored::New { .. })), "{n}: {answer:?}");
        }
    }
    assert_eq!(committer.stats().split_batches, 1, "{:?}", committer.stats());
    assert_eq!(deliveries(&d.db).await.len(), 10, "the first and nine of the batch");
    // The first batch's delivery through its fan-out job; the nine, each
    // written alone, with their processing jobs at once.
    assert_eq!(fanned_out(&d.db).await.len(), 1);
    assert_eq!(job_count(&d.db, KIND).await, 9);
}

async fn post(client: &reqwest::Client, url: &str, body: &Value) -> reqwest::Response {
    client.post(url).json(body).send().await.expect("request")
}

#[tokio::test]
async fn many_concurrent_deliveries_over_http_are_all_stored_and_answered_200() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let secrets = secret_store(&server.config.secret_key);
    let connection = seed_connection(&server.db, admin.organization_id, ConnectionStatus::Connected).await;
    add_token(&server.db, &secrets, admin.organization_id, connection, None, TOKEN).await;
    let url = webhook_url(&server.base_url, connection);
    let client = reqwest::Client::new();
    const N: i64 = 300;
    // Every tenth is sent twice: duplicates share batches with new ones.
    let bodies: Vec<Value> = (0..N)
        .flat_map(|n| {
            let body = event(TOKEN, "candidateHired", &format!("opp-{n}"), 1_763_900_000_000 + n, "t");
            if n % 10 == 0 {
                vec![body.clone(), body]
            } else {
                vec![body]
            }
        })
        .collect();
    let sent = bodies.len();
    let statuses: Vec<u16> = futures::stream::iter(bodies)
        .map(|body| {
            let (client, url) = (client.clone(), url.clone());
            async move { post(&client, &url, &body).await.status().as_u16() }
        })
        .buffer_unordered(64)
        .collect()
        .await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), sent, "{statuses:?}");
    assert_eq!(deliveries(&server.db).await.len(), N as usize);
    assert_eq!(fanned_out(&server.db).await.len(), N as usize);
}

#[tokio::test]
async fn while_the_database_cannot_commit_a_delivery_gets_503_and_nothing_is_stored() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let secrets = secret_store(&server.config.secret_key);
    let connection = seed_connection(&server.db, admin.organization_id, ConnectionStatus::Connected).await;
    add_token(&server.db, &secrets, admin.organization_id, connection, None, TOKEN).await;
    let url = webhook_url(&server.base_url, connection);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client");
    let body = event(TOKEN, "candidateHired", "opp-1", 1_763_900_000_000, "t");

    // Another session holds the write lock longer than Vouch waits for it
    // (SQLite's busy_timeout, PostgreSQL's lock_timeout).
    let holder = hold_write_lock(&server.db, "ACCESS EXCLUSIVE").await;
    let started = std::time::Instant::now();
    let answer = post(&client, &url, &body).await;
    let waited = started.elapsed();
    assert_eq!(answer.status().as_u16(), 503, "{:?}", answer.text().await);
    let retry_after = answer.headers().get("retry-after").expect("Retry-After").to_str().expect("ascii");
    assert!(retry_after.parse::<u64>().is_ok_and(|s| s > 0), "Retry-After: {retry_after}");
    assert!(waited >= vouch::db::WRITE_LOCK_WAIT / 2, "it waited for the lock first: {waited:?}");
    let message =
        answer.json::<Value>().await.expect("JSON")["error"].as_str().unwrap_or_default().to_owned();
    assert!(message.contains("again"), "{message}");
    holder.rollback().await.expect("release the lock");
    assert!(deliveries(&server.db).await.is_empty(), "a 503 stored nothing");
    assert_eq!(fanned_out(&server.db).await.len(), 0);

    // Lever retries once the database is back.
    let answer = post(&client, &url, &body).await;
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(answer.json::<Value>().await.expect("JSON")["status"], "stored");
    assert_eq!(deliveries(&server.db).await.len(), 1);
    assert_eq!(fanned_out(&server.db).await.len(), 1);
}

#[tokio::test]
async fn a_connection_deleted_while_its_delivery_waits_gets_404_and_its_batch_is_stored() {
    let server = TestServer::start().await;
    let admin = server.user("Acme", "admin@acme.test", Role::Admin).await;
    let secrets = secret_store(&server.config.secret_key);
    let org = admin.organization_id;
    let kept = seed_connection(&server.db, org, ConnectionStatus::Connected).await;
    let doomed = seed_connection(&server.db, org, ConnectionStatus::Connected).await;
    for connection in [kept, doomed] {
        add_token(&server.db, &secrets, org, connection, None, TOKEN).await;
    }
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client");
    let send = |connection: Uuid, n: i64| {
        let (client, url) = (client.clone(), webhook_url(&server.base_url, connection));
        let body = event(TOKEN, "candidateHired", &format!("opp-{n}"), 1_763_900_000_000 + n, "t");
        tokio::spawn(async move { post(&client, &url, &body).await.status().as_u16() })
    };

    // While the lock is held, the deliveries pass verification (the
    // connection still exists) and wait for the committer.
    let holder = hold_write_lock(&server.db, "EXCLUSIVE").await;
    let first = send(kept, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut waiting: Vec<_> = (1..=5).map(|n| send(kept, n)).collect();
    waiting.push(send(doomed, 6));
    tokio::time::sleep(Duration::from_millis(500)).await;
    delete_connection(&holder, doomed).await;
    holder.commit().await.expect("commit the deletion, releasing the lock");

    assert_eq!(first.await.expect("task"), 200);
    let doomed_answer = waiting.pop().expect("the doomed one").await.expect("task");
    assert_eq!(doomed_answer, 404, "its connection is gone");
    for task in waiting {
        assert_eq!(task.await.expect("task"), 200);
    }
    let rows = deliveries(&server.db).await;
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r.connection_id == kept));
}

/// Deletes a connection row (its tokens and deliveries go with it) inside
/// the lock holder's transaction.
async fn delete_connection(holder: &DatabaseTransaction, connection: Uuid) {
    use sea_orm::EntityTrait;
    entity::lever_connection::Entity::delete_by_id(connection)
        .exec(holder)
        .await
        .expect("delete the connection");
}

/// Migration m20261206_000001 gives stored webhook rows the key form the
/// route now computes (`triggeredAt:` and the digest's first half), so a
/// late retry of a delivery stored before the upgrade is still a duplicate;
/// catch-up rows keep their keys.
#[tokio::test]
async fn keys_stored_before_the_key_change_still_catch_repeats() {
    use migration::MigratorTrait;
    use sea_orm::{ActiveModelTrait, EntityTrait};
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::create(&dir).await.expect("test database");
    let url = vouch::db::DatabaseUrl::parse(database.url()).expect("url");
    let db = vouch::db::connect(&url).await.expect("connect");
    let before = migration::Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261206_000001_dedupe_key_order")
        .expect("the key change is a migration");
    migration::Migrator::up(&db, Some(before as u32)).await.expect("migrate to just before the change");
    let org = vouch::domain::organizations::find_or_create(&db, "Acme").await.expect("org").id;
    let connection = seed_connection(&db, org, ConnectionStatus::Connected).await;

    // A webhook row as the earlier code stored it: the whole SHA-256, whose
    // first half is the digest part of today's key.
    let mut old = row(org, connection, "opp-old", 1_763_900_000_123);
    let today = old.dedupe_key.clone();
    let (_, half) = today.split_once(':').expect("today's key has a colon");
    old.dedupe_key = format!("{half}{}", "f".repeat(32));
    let mut caught_up = row(org, connection, "opp-caught-up", 7);
    caught_up.source = entity::lever_webhook_delivery::DeliverySource::CatchUp;
    caught_up.dedupe_key = format!("catch-up:{}", "a".repeat(64));
    for model in [old.clone(), caught_up.clone()] {
        entity::lever_webhook_delivery::ActiveModel::from(model)
            .reset_all()
            .insert(&db)
            .await
            .expect("insert");
    }

    migration::Migrator::up(&db, None).await.expect("migrate the rest");
    let key = |id| {
        let db = db.clone();
        async move {
            entity::lever_webhook_delivery::Entity::find_by_id(id)
                .one(&db)
                .await
                .expect("read")
                .expect("the row")
                .dedupe_key
        }
    };
    assert_eq!(key(old.id).await, today);
    assert_eq!(key(caught_up.id).await, caught_up.dedupe_key);

    let committer = Committer::spawn(db.clone(), vouch::jobs::JobSignal::new(), 8);
    let retry = committer.submit(row(org, connection, "opp-old", 1_763_900_000_123)).await;
    assert_eq!(retry, Ok(Stored::Duplicate));
    assert_eq!(deliveries(&db).await.len(), 2);
}

/// A delivery goes with its organization, through its connection, on both
/// engines (PostgreSQL has no key from deliveries to organizations since
/// m20261207_000001, SQLite still has one), and on both a delivery still
/// needs its connection to exist (see the refused-row test above).
#[tokio::test]
async fn deleting_an_organization_deletes_its_deliveries() {
    use sea_orm::{DatabaseBackend, EntityTrait, Statement};
    let d = database().await;
    if d.db.get_database_backend() == DatabaseBackend::Postgres {
        let keys = "SELECT count(*) AS n FROM pg_constraint WHERE contype = 'f' \
                    AND conrelid = 'lever_webhook_deliveries'::regclass AND confrelid = $1::regclass";
        for (parent, expected) in [("organizations", 0_i64), ("lever_connections", 1)] {
            let statement = Statement::from_sql_and_values(DatabaseBackend::Postgres, keys, [parent.into()]);
            let row = d.db.query_one_raw(statement).await.expect("query").expect("a row");
            assert_eq!(row.try_get::<i64>("", "n").expect("count"), expected, "keys to {parent}");
        }
    }
    let committer = Committer::spawn(d.db.clone(), vouch::jobs::JobSignal::new(), 8);
    let stored = committer.submit(row(d.org, d.connection, "opp-1", 1)).await;
    assert!(matches!(stored, Ok(Stored::New { .. })), "{stored:?}");
    assert_eq!(deliveries(&d.db).await.len(), 1);
    entity::organization::Entity::delete_by_id(d.org).exec(&d.db).await.expect("delete the organization");
    assert!(entity::lever_connection::Entity::find_by_id(d.connection)
        .one(&d.db)
        .await
        .expect("read")
        .is_none());
    assert!(deliveries(&d.db).await.is_empty(), "its deliveries went with its connection");
}
