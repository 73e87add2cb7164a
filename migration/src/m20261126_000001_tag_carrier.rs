//! The opportunity that keeps a connection's template tags alive in Lever
//! (see `vouch::domain::tag_sync`): its Lever id, so every sync finds the
//! same one again instead of creating another.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000004_lever_connections::LeverConnections;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LeverConnections::Table)
                    .add_column(string_len_null(TagCarrier::TagCarrierOpportunityId, 128))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LeverConnections::Table)
                    .drop_column(TagCarrier::TagCarrierOpportunityId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum TagCarrier {
    TagCarrierOpportunityId,
}
