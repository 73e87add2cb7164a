//! OAuth `state` values in flight: single-use, short-lived, bound to the
//! admin who started the flow. Only a hash is stored.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OAuthStates::Table)
                    .if_not_exists()
                    .col(string_len(OAuthStates::StateHash, 64).primary_key())
                    .col(uuid(OAuthStates::OrganizationId))
                    .col(uuid(OAuthStates::UserId))
                    .col(string_len(OAuthStates::DataCentre, 16))
                    .col(timestamp_with_time_zone(OAuthStates::ExpiresAt))
                    .col(timestamp_with_time_zone_null(OAuthStates::UsedAt))
                    .col(timestamp_with_time_zone(OAuthStates::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(OAuthStates::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum OAuthStates {
    #[sea_orm(iden = "oauth_states")]
    Table,
    StateHash,
    OrganizationId,
    UserId,
    DataCentre,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}
