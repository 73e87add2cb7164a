//! Lever webhooks: the signing tokens per connection, the inbox of accepted
//! deliveries, and the per-opportunity cursors that keep late events from
//! overriding newer ones.
//!
//! The inbox's `dedupe_key` is unique: Lever may deliver the same event
//! twice, and the route stores it once (LEVER.md: the key is `event`,
//! `token`, `triggeredAt`, `opportunityId`).
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_organizations_users::Organizations;
use crate::m20261123_000004_lever_connections::LeverConnections;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LeverWebhookTokens::Table)
                    .if_not_exists()
                    .col(uuid(LeverWebhookTokens::Id).primary_key())
                    .col(uuid(LeverWebhookTokens::OrganizationId))
                    .col(uuid(LeverWebhookTokens::ConnectionId))
                    .col(string_len_null(LeverWebhookTokens::Event, 64))
                    .col(uuid(LeverWebhookTokens::SecretId))
                    .col(string_len_null(LeverWebhookTokens::LeverWebhookId, 100))
                    .col(timestamp_with_time_zone(LeverWebhookTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(LeverWebhookTokens::RetiredAt))
                    .foreign_key(&mut organization_fk(
                        LeverWebhookTokens::Table,
                        LeverWebhookTokens::OrganizationId,
                    ))
                    .foreign_key(&mut connection_fk(
                        LeverWebhookTokens::Table,
                        LeverWebhookTokens::ConnectionId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lever_webhook_tokens_connection")
                    .table(LeverWebhookTokens::Table)
                    .col(LeverWebhookTokens::ConnectionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LeverWebhookDeliveries::Table)
                    .if_not_exists()
                    .col(uuid(LeverWebhookDeliveries::Id).primary_key())
                    .col(uuid(LeverWebhookDeliveries::OrganizationId))
                    .col(uuid(LeverWebhookDeliveries::ConnectionId))
                    .col(string_len_uniq(LeverWebhookDeliveries::DedupeKey, 128))
                    .col(string_len(LeverWebhookDeliveries::Event, 64))
                    .col(string_len(LeverWebhookDeliveries::Token, 200))
                    .col(big_integer(LeverWebhookDeliveries::TriggeredAt))
                    .col(string_len_null(LeverWebhookDeliveries::OpportunityId, 100))
                    .col(json(LeverWebhookDeliveries::Data))
                    .col(string_len(LeverWebhookDeliveries::Status, 16))
                    .col(text_null(LeverWebhookDeliveries::Detail))
                    .col(integer(LeverWebhookDeliveries::ProcessCount))
                    .col(timestamp_with_time_zone(LeverWebhookDeliveries::ReceivedAt))
                    .col(timestamp_with_time_zone_null(LeverWebhookDeliveries::ProcessedAt))
                    .foreign_key(&mut organization_fk(
                        LeverWebhookDeliveries::Table,
                        LeverWebhookDeliveries::OrganizationId,
                    ))
                    .foreign_key(&mut connection_fk(
                        LeverWebhookDeliveries::Table,
                        LeverWebhookDeliveries::ConnectionId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lever_webhook_deliveries_connection")
                    .table(LeverWebhookDeliveries::Table)
                    .col(LeverWebhookDeliveries::ConnectionId)
                    .col(LeverWebhookDeliveries::ReceivedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LeverOpportunityCursors::Table)
                    .if_not_exists()
                    .col(uuid(LeverOpportunityCursors::ConnectionId))
                    .col(string_len(LeverOpportunityCursors::OpportunityId, 100))
                    .col(string_len(LeverOpportunityCursors::Family, 32))
                    .col(big_integer(LeverOpportunityCursors::LastTriggeredAt))
                    .col(timestamp_with_time_zone(LeverOpportunityCursors::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(LeverOpportunityCursors::ConnectionId)
                            .col(LeverOpportunityCursors::OpportunityId)
                            .col(LeverOpportunityCursors::Family),
                    )
                    .foreign_key(&mut connection_fk(
                        LeverOpportunityCursors::Table,
                        LeverOpportunityCursors::ConnectionId,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(LeverOpportunityCursors::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(LeverWebhookDeliveries::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(LeverWebhookTokens::Table).to_owned()).await
    }
}

fn organization_fk<T: IntoIden + 'static, C: IntoIden + 'static>(
    table: T,
    col: C,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Organizations::Table, Organizations::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn connection_fk<T: IntoIden + 'static, C: IntoIden + 'static>(
    table: T,
    col: C,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(LeverConnections::Table, LeverConnections::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[derive(DeriveIden)]
enum LeverWebhookTokens {
    Table,
    Id,
    OrganizationId,
    ConnectionId,
    Event,
    SecretId,
    LeverWebhookId,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum LeverWebhookDeliveries {
    Table,
    Id,
    OrganizationId,
    ConnectionId,
    DedupeKey,
    Event,
    Token,
    TriggeredAt,
    OpportunityId,
    Data,
    Status,
    Detail,
    ProcessCount,
    ReceivedAt,
    ProcessedAt,
}

#[derive(DeriveIden)]
enum LeverOpportunityCursors {
    Table,
    ConnectionId,
    OpportunityId,
    Family,
    LastTriggeredAt,
    UpdatedAt,
}
