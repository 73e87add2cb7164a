//! SMTP delivery of outbox e-mails: how many attempts were made and why the
//! last one failed, for the admin's outbox view.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(integer(Outbox::Attempts).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Outbox::Table).add_column(text_null(Outbox::LastError)).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Outbox::Table).drop_column(Outbox::LastError).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Outbox::Table).drop_column(Outbox::Attempts).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Attempts,
    LastError,
}
