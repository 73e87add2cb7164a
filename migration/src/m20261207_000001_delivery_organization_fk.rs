//! PostgreSQL: webhook deliveries no longer carry a foreign key to their
//! organization, only the one to their connection.
//!
//! On PostgreSQL a foreign key is a trigger per inserted row that runs a
//! query locking the parent row (`FOR KEY SHARE`). The webhook committer
//! wrote every delivery under two of them: on the ingest benchmark their
//! triggers were about a sixth of PostgreSQL's CPU, and with both switched
//! off (a measurement only) the rate rose by about a quarter. The
//! organization's key said nothing the connection's did not already: a
//! delivery's organization is its connection's (`inbox::row` and
//! `catch_up::record_stay` take it from the connection), and deleting an
//! organization still deletes its deliveries, through its connections
//! (each `ON DELETE CASCADE`). The connection's key stays: it is what
//! refuses a delivery whose connection was deleted after the route looked
//! it up (404).
//!
//! SQLite keeps the constraint: there a check is an index probe within the
//! insert, with no trigger and no row lock, and dropping a constraint means
//! rebuilding the table.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        // The constraint was created unnamed: find it by what it joins.
        manager
            .get_connection()
            .execute_unprepared(
                "DO $$
                 DECLARE name text;
                 BEGIN
                     SELECT conname INTO name FROM pg_constraint
                     WHERE contype = 'f'
                       AND conrelid = 'lever_webhook_deliveries'::regclass
                       AND confrelid = 'organizations'::regclass;
                     IF name IS NOT NULL THEN
                         EXECUTE format('ALTER TABLE lever_webhook_deliveries DROP CONSTRAINT %I', name);
                     END IF;
                 END $$",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager
            .create_foreign_key(
                ForeignKey::create()
                    .from(Deliveries::Table, Deliveries::OrganizationId)
                    .to(Organizations::Table, Organizations::Id)
                    .on_delete(ForeignKeyAction::Cascade)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Deliveries {
    #[sea_orm(iden = "lever_webhook_deliveries")]
    Table,
    OrganizationId,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
