//! Helpers shared by the end-to-end suites: a real `vouch` server on
//! `127.0.0.1:0` with a fresh database per test, and a small GraphQL client.
//!
//! The database is an SQLite file in a temporary folder, or, when
//! `VOUCH_TEST_POSTGRES_URL` names a PostgreSQL server (any database the
//! role can connect to; the role needs CREATEDB), a fresh PostgreSQL database
//! made for the test and dropped after it. Running the suites once without
//! and once with that variable covers both engines.
#![forbid(unsafe_code)]

mod catalogue;
pub mod check_story;
mod database;
mod graphql_client;
pub mod lever;
pub mod lever_webhooks;
mod server;
pub mod smtp_sink;

pub use catalogue::SeededLever;
pub use database::TestDatabase;
pub use graphql_client::{GraphqlAnswer, GraphqlClient};
pub use server::{TestServer, TestUser, PASSWORD};
pub use smtp_sink::{ReceivedMail, SmtpSink};

/// Polls `check` until it answers `Some`, for outcomes that arrive eventually.
pub async fn eventually<T, F, Fut>(what: &str, timeout: std::time::Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out after {timeout:?} waiting for {what}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
