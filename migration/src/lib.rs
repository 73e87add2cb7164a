//! Every schema change, in order. Run from one place only (`vouch migrate`, or
//! `vouch serve` at start-up): sea-orm takes no lock across processes.
//! Keep each migration small: SQLite does not roll back DDL.
#![forbid(unsafe_code)]

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_organizations_users;
mod m20261123_000002_secrets;
mod m20261123_000003_login_failures;
mod m20261123_000004_lever_connections;
mod m20261124_000005_jobs;
mod m20261124_000006_lever_webhooks;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_organizations_users::Migration),
            Box::new(m20261123_000002_secrets::Migration),
            Box::new(m20261123_000003_login_failures::Migration),
            Box::new(m20261123_000004_lever_connections::Migration),
            Box::new(m20261124_000005_jobs::Migration),
            Box::new(m20261124_000006_lever_webhooks::Migration),
        ]
    }
}
