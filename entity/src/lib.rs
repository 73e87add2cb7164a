//! sea-orm entities: the shape of Vouch's tables and nothing else.
//!
//! Behaviour (validation, scoping by organization, state changes) lives in
//! the server's `domain` and `store` modules, so that these files stay a
//! plain mirror of the migrations.
#![forbid(unsafe_code)]

pub mod job;
pub mod lever_connection;
pub mod lever_opportunity_cursor;
pub mod lever_posting;
pub mod lever_stage;
pub mod lever_user;
pub mod lever_webhook_delivery;
pub mod lever_webhook_token;
pub mod login_failure;
pub mod organization;
pub mod role;
pub mod secret;
pub mod user;

pub use role::Role;
