//! Lever connections and the catalogue read from Lever (postings, stages,
//! users). Catalogue rows are never deleted when Lever drops them: `gone_at`
//! marks them, so rules that point at them can show an error.
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
                    .table(LeverConnections::Table)
                    .if_not_exists()
                    .col(uuid(LeverConnections::Id).primary_key())
                    .col(uuid(LeverConnections::OrganizationId))
                    .col(string_len(LeverConnections::DataCentre, 16))
                    .col(string_len(LeverConnections::AuthMode, 16))
                    .col(string_len(LeverConnections::Status, 32))
                    .col(text_null(LeverConnections::StatusReason))
                    .col(uuid_null(LeverConnections::CredentialsSecretId))
                    .col(text_null(LeverConnections::Scopes))
                    .col(string_len_null(LeverConnections::FallbackLeverUserId, 64))
                    .col(string_len_null(LeverConnections::DefaultExportStageId, 64))
                    .col(timestamp_with_time_zone_null(LeverConnections::LastSuccessAt))
                    .col(uuid_null(LeverConnections::ConnectedBy))
                    .col(timestamp_with_time_zone(LeverConnections::CreatedAt))
                    .col(timestamp_with_time_zone(LeverConnections::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lever_connections_organization")
                            .from(LeverConnections::Table, LeverConnections::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lever_connections_organization")
                    .table(LeverConnections::Table)
                    .col(LeverConnections::OrganizationId)
                    .to_owned(),
            )
            .await?;
        for table in [Catalogue::LeverPostings, Catalogue::LeverStages, Catalogue::LeverUsers] {
            create_catalogue_table(manager, table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [Catalogue::LeverPostings, Catalogue::LeverStages, Catalogue::LeverUsers] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(LeverConnections::Table).to_owned()).await
    }
}

/// The columns every catalogue table shares, plus its own.
async fn create_catalogue_table(manager: &SchemaManager<'_>, table: Catalogue) -> Result<(), DbErr> {
    let mut create = Table::create();
    create
        .table(table)
        .if_not_exists()
        .col(uuid(Catalogue::Id).primary_key())
        .col(uuid(Catalogue::ConnectionId))
        .col(string_len(Catalogue::LeverId, 64))
        .col(string_len(Catalogue::Text, 500));
    match table {
        Catalogue::LeverPostings => {
            create
                .col(string_len_null(Catalogue::State, 32))
                .col(string_len_null(Catalogue::OwnerId, 64))
                .col(string_len_null(Catalogue::HiringManagerId, 64))
                .col(json_null(Catalogue::Tags));
        }
        Catalogue::LeverStages => {
            create.col(integer(Catalogue::Position));
        }
        Catalogue::LeverUsers => {
            create
                .col(string_len_null(Catalogue::Email, 320))
                .col(string_len_null(Catalogue::AccessRole, 32))
                .col(timestamp_with_time_zone_null(Catalogue::DeactivatedAt));
        }
        _ => {}
    }
    create
        .col(timestamp_with_time_zone_null(Catalogue::GoneAt))
        .col(timestamp_with_time_zone(Catalogue::SyncedAt))
        .foreign_key(
            ForeignKey::create()
                .from(table, Catalogue::ConnectionId)
                .to(LeverConnections::Table, LeverConnections::Id)
                .on_delete(ForeignKeyAction::Cascade),
        );
    manager.create_table(create.to_owned()).await?;
    let name = format!("uq_{}_connection_lever_id", table.to_string());
    manager
        .create_index(
            Index::create()
                .name(name)
                .table(table)
                .col(Catalogue::ConnectionId)
                .col(Catalogue::LeverId)
                .unique()
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden)]
pub(crate) enum LeverConnections {
    Table,
    Id,
    OrganizationId,
    DataCentre,
    AuthMode,
    Status,
    StatusReason,
    CredentialsSecretId,
    Scopes,
    FallbackLeverUserId,
    DefaultExportStageId,
    LastSuccessAt,
    ConnectedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Catalogue {
    LeverPostings,
    LeverStages,
    LeverUsers,
    Id,
    ConnectionId,
    LeverId,
    Text,
    State,
    OwnerId,
    HiringManagerId,
    Tags,
    Position,
    Email,
    AccessRole,
    DeactivatedAt,
    GoneAt,
    SyncedAt,
}
