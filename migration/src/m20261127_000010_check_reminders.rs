//! Reminders before a check's deadline: the smallest "hours before expiry"
//! slot already reminded, so each slot is sent once per check (however
//! often, and on however many processes, the deadline job runs).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Checks::Table)
                    .add_column(integer_null(Checks::RemindedHoursBefore))
                    .to_owned(),
            )
            .await?;
        // The deadline job looks for open checks by expiry.
        manager
            .create_index(
                Index::create()
                    .name("idx_checks_status_expires_at")
                    .table(Checks::Table)
                    .col(Checks::Status)
                    .col(Checks::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_checks_status_expires_at").table(Checks::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table(Checks::Table).drop_column(Checks::RemindedHoursBefore).to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Checks {
    Table,
    Status,
    ExpiresAt,
    RemindedHoursBefore,
}
