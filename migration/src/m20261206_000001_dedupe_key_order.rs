//! Webhook dedupe keys lead with `triggeredAt`.
//!
//! A key was the 64 hex digits of a SHA-256 over (connection, `event`,
//! `token`, `triggeredAt`, `opportunityId`): random, so every new delivery
//! went to a random page of the unique index, and a batch of deliveries
//! dirtied (and wrote to the WAL) one index page each. Keys are now
//! `<triggeredAt>:<first 32 hex digits of that digest>`, which land in
//! time order at the index's right edge (see `Delivery::dedupe_key`).
//!
//! Stored webhook rows get the same form, so a late retry of a delivery
//! stored before the upgrade is still recognised as a duplicate. Catch-up
//! rows (`catch-up:<digest>`) keep their keys: nothing recomputes them from
//! a delivery. There is no way back (the digest's second half is gone);
//! `down` leaves the keys as they are, which the old code reads as unknown
//! keys, costing at most a repeat delivery stored twice and processed
//! idempotently.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let cast = match manager.get_database_backend() {
            DatabaseBackend::Postgres => "triggered_at::text",
            _ => "CAST(triggered_at AS TEXT)",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "UPDATE lever_webhook_deliveries
                 SET dedupe_key = {cast} || ':' || substr(dedupe_key, 1, 32)
                 WHERE source = 'WEBHOOK' AND length(dedupe_key) = 64"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
