//! Encrypted values: OAuth tokens, API keys, webhook signing tokens.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_organizations_users::Organizations;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Secrets::Table)
                    .if_not_exists()
                    .col(uuid(Secrets::Id).primary_key())
                    .col(uuid(Secrets::OrganizationId))
                    .col(string_len(Secrets::Purpose, 64))
                    .col(blob(Secrets::Ciphertext))
                    .col(timestamp_with_time_zone(Secrets::CreatedAt))
                    .col(timestamp_with_time_zone(Secrets::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_secrets_organization")
                            .from(Secrets::Table, Secrets::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Secrets::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Secrets {
    Table,
    Id,
    OrganizationId,
    Purpose,
    Ciphertext,
    CreatedAt,
    UpdatedAt,
}
