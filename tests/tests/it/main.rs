//! End-to-end suites: the real server over HTTP and websockets, on the
//! engine `VOUCH_TEST_POSTGRES_URL` selects (SQLite when unset), and the
//! Lever client against the Lever simulator.
mod auth;
mod catch_up;
mod checks;
mod crash;
mod graphql_http;
mod jobs;
mod lever_client;
mod lever_connect;
mod operations;
mod rules;
mod subscriptions;
mod tag_sync;
mod templates;
mod tenancy;
mod webhook_commit;
mod webhooks;
