//! What a finished job found, for the app to show (e.g. the postings a
//! template-tag sync could not clean up). JSON whose shape the job kind owns.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Jobs::Table).add_column(json_null(Jobs::Result)).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Jobs::Table).drop_column(Jobs::Result).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Result,
}
