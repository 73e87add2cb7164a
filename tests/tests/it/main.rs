//! End-to-end suites: the real server over HTTP and websockets, on the
//! engine `VOUCH_TEST_POSTGRES_URL` selects (SQLite when unset), and the
//! Lever client against the Lever simulator.
mod auth;
mod candidates;
mod catch_up;
mod check_scoping;
mod checks;
mod crash;
mod deadlines;
mod demo;
mod email_smtp;
mod graphql_http;
mod invitations;
mod jobs;
mod lever_client;
mod lever_connect;
mod lever_gone;
mod operations;
mod public_bad_input;
mod rules;
mod subscriptions;
mod tag_sync;
mod templates;
mod tenancy;
mod webhook_commit;
mod webhooks;
