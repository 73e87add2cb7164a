//! Every schema change, in order. Run from one place only (`vouch migrate`, or
//! `vouch serve` at start-up): sea-orm takes no lock across processes.
//! Keep each migration small: SQLite does not roll back DDL.
#![forbid(unsafe_code)]

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_organizations_users;
mod m20261123_000002_secrets;
mod m20261123_000003_login_failures;
mod m20261123_000004_lever_connections;
mod m20261123_000005_oauth_states;
mod m20261124_000005_jobs;
mod m20261124_000006_lever_webhooks;
mod m20261125_000001_default_language;
mod m20261125_000002_templates;
mod m20261125_000003_rules;
mod m20261125_000004_audit_events;
mod m20261126_000001_connection_health;
mod m20261126_000001_projects_checks;
mod m20261126_000001_tag_carrier;
mod m20261126_000001_webhook_catch_up;
mod m20261126_000002_job_result;
mod m20261126_000002_outbox_invitations;
mod m20261127_000010_check_reminders;
mod m20261127_000011_outbox_delivery;
mod m20261128_000001_job_claim_order;
mod m20261206_000001_dedupe_key_order;
mod m20261207_000001_delivery_organization_fk;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_organizations_users::Migration),
            Box::new(m20261123_000002_secrets::Migration),
            Box::new(m20261123_000003_login_failures::Migration),
            Box::new(m20261123_000004_lever_connections::Migration),
            Box::new(m20261123_000005_oauth_states::Migration),
            Box::new(m20261125_000001_default_language::Migration),
            Box::new(m20261125_000002_templates::Migration),
            Box::new(m20261125_000003_rules::Migration),
            Box::new(m20261125_000004_audit_events::Migration),
            Box::new(m20261124_000005_jobs::Migration),
            Box::new(m20261124_000006_lever_webhooks::Migration),
            Box::new(m20261126_000001_connection_health::Migration),
            Box::new(m20261126_000001_webhook_catch_up::Migration),
            Box::new(m20261126_000001_tag_carrier::Migration),
            Box::new(m20261126_000002_job_result::Migration),
            Box::new(m20261126_000001_projects_checks::Migration),
            Box::new(m20261126_000002_outbox_invitations::Migration),
            Box::new(m20261127_000010_check_reminders::Migration),
            Box::new(m20261127_000011_outbox_delivery::Migration),
            Box::new(m20261128_000001_job_claim_order::Migration),
            Box::new(m20261206_000001_dedupe_key_order::Migration),
            Box::new(m20261207_000001_delivery_organization_fk::Migration),
        ]
    }
}
