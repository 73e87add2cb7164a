//! The baseline server: the same workspace, the same Tokio runtime and
//! axum, and (for the twin route) the same durable write Vouch's webhook
//! route makes (one inbox row with a unique dedupe key plus one job row, in
//! one transaction, committed before the 200) with raw sqlx and the same
//! connection settings Vouch uses (SQLite: WAL, `synchronous=FULL`,
//! `busy_timeout` 10 s, 8 connections; PostgreSQL: 16 connections,
//! `synchronous_commit` left at its default, `on`).
use std::str::FromStr;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

#[derive(Clone)]
enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

const SCHEMA: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS bench_inbox (id TEXT PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE,
        event TEXT NOT NULL, token TEXT NOT NULL, triggered_at BIGINT NOT NULL, opportunity_id TEXT,
        data TEXT NOT NULL, received_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bench_jobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE, status TEXT NOT NULL, run_after TEXT NOT NULL, created_at TEXT NOT NULL)",
];
const INSERT_INBOX: &str =
    "INSERT INTO bench_inbox (id, dedupe_key, event, token, triggered_at, opportunity_id, data, received_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING";
const INSERT_JOB: &str =
    "INSERT INTO bench_jobs (id, kind, payload, idempotency_key, status, run_after, created_at)
    VALUES ($1, 'bench', $2, $3, 'QUEUED', $4, $4) ON CONFLICT (idempotency_key) DO NOTHING";

/// Serves `POST /bare` (200, nothing else) and `POST /insert` (the durable
/// twin) on 127.0.0.1, printing `listening ADDR` once ready.
pub async fn serve(database_url: &str) -> anyhow::Result<()> {
    let store = if let Some(path) = database_url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        Store::Sqlite(SqlitePoolOptions::new().max_connections(8).connect_with(options).await?)
    } else {
        Store::Postgres(PgPoolOptions::new().max_connections(16).connect(database_url).await?)
    };
    for statement in SCHEMA {
        match &store {
            Store::Sqlite(pool) => {
                sqlx::query(statement).execute(pool).await?;
            }
            Store::Postgres(pool) => {
                sqlx::query(statement).execute(pool).await?;
            }
        }
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("listening {}", listener.local_addr()?);
    let app = Router::new()
        .route("/bare", post(|| async { StatusCode::OK }))
        .route("/insert", post(insert))
        .with_state(store);
    axum::serve(listener, app).await?;
    Ok(())
}

async fn insert(State(store): State<Store>, body: Bytes) -> StatusCode {
    let Ok(value) = serde_json::from_slice::<Value>(&body) else { return StatusCode::BAD_REQUEST };
    let text = |k: &str| value[k].as_str().unwrap_or_default().to_owned();
    let (event, token) = (text("event"), text("token"));
    let triggered_at = value["triggeredAt"].as_i64().unwrap_or_default();
    let opportunity = value["data"]["opportunityId"].as_str().map(str::to_owned);
    let dedupe = format!("{event}:{token}:{triggered_at}:{}", opportunity.as_deref().unwrap_or(""));
    let id = uuid::Uuid::new_v4().to_string();
    let now = format!("{:?}", std::time::SystemTime::now());
    let data = value["data"].to_string();
    let result = match &store {
        Store::Sqlite(pool) => {
            let sql = |s: &str| sqlx::AssertSqlSafe(s.replace('$', "?"));
            async {
                let mut tx = pool.begin().await?;
                let inserted = sqlx::query(sql(INSERT_INBOX))
                    .bind(&id)
                    .bind(&dedupe)
                    .bind(&event)
                    .bind(&token)
                    .bind(triggered_at)
                    .bind(&opportunity)
                    .bind(&data)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                if inserted.rows_affected() > 0 {
                    sqlx::query(sql(INSERT_JOB))
                        .bind(&id)
                        .bind(&id)
                        .bind(&id)
                        .bind(&now)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await
            }
            .await
        }
        Store::Postgres(pool) => {
            async {
                let mut tx = pool.begin().await?;
                let inserted = sqlx::query(INSERT_INBOX)
                    .bind(&id)
                    .bind(&dedupe)
                    .bind(&event)
                    .bind(&token)
                    .bind(triggered_at)
                    .bind(&opportunity)
                    .bind(&data)
                    .bind(&now)
                    .execute(&mut *tx)
                    .await?;
                if inserted.rows_affected() > 0 {
                    sqlx::query(INSERT_JOB)
                        .bind(&id)
                        .bind(&id)
                        .bind(&id)
                        .bind(&now)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await
            }
            .await
        }
    };
    match result {
        Ok(()) => StatusCode::OK,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}
