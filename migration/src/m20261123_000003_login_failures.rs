//! Failed sign-ins per e-mail, to slow down password guessing.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .if_not_exists()
                    .col(string_len(LoginFailures::Email, 320).primary_key())
                    .col(integer(LoginFailures::Failures))
                    .col(timestamp_with_time_zone_null(LoginFailures::LockedUntil))
                    .col(timestamp_with_time_zone(LoginFailures::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(LoginFailures::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Email,
    Failures,
    LockedUntil,
    UpdatedAt,
}
