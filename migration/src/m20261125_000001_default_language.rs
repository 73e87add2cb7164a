//! A company's default language: every template needs questionnaires in it.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_organizations_users::Organizations;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(string_len(DefaultLanguage::DefaultLanguage, 8).default("en"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .drop_column(DefaultLanguage::DefaultLanguage)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum DefaultLanguage {
    DefaultLanguage,
}
