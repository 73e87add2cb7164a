//! sea-orm entities: the shape of Vouch's tables and nothing else.
//!
//! Behaviour (validation, scoping by organization, state changes) lives in
//! the server's `domain` and `store` modules, so that these files stay a
//! plain mirror of the migrations.
#![forbid(unsafe_code)]

pub mod audit_event;
pub mod candidate;
pub mod check;
pub mod check_event;
pub mod check_token;
pub mod invitation;
pub mod job;
pub mod language;
pub mod lever_connection;
pub mod lever_opportunity_cursor;
pub mod lever_posting;
pub mod lever_stage;
pub mod lever_user;
pub mod lever_webhook_delivery;
pub mod lever_webhook_token;
pub mod login_failure;
pub mod oauth_state;
pub mod organization;
pub mod outbox_email;
pub mod project;
pub mod project_member;
pub mod questionnaire;
pub mod referee;
pub mod role;
pub mod rule;
pub mod rule_posting;
pub mod rule_stage_mapping;
pub mod secret;
pub mod template;
pub mod template_step;
pub mod user;

pub use language::Language;
pub use role::Role;
