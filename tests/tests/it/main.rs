//! End-to-end suites: the real server over HTTP and websockets, on the
//! engine `VOUCH_TEST_POSTGRES_URL` selects (SQLite when unset).
mod auth;
mod crash;
mod graphql_http;
mod jobs;
mod operations;
mod subscriptions;
mod tenancy;
mod webhooks;
