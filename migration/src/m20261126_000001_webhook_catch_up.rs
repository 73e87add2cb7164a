//! Catch-up: a delivery says where it came from (a Lever webhook, or the
//! catch-up job standing in for a lost one) and, for stage changes, the
//! stage moved into, so catch-up and late webhooks can find each other.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Deliveries::Table)
                    .add_column(string_len(Deliveries::Source, 16).default("WEBHOOK"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Deliveries::Table)
                    .add_column(string_len_null(Deliveries::StageId, 200))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_lever_webhook_deliveries_opportunity")
                    .table(Deliveries::Table)
                    .col(Deliveries::ConnectionId)
                    .col(Deliveries::OpportunityId)
                    .col(Deliveries::TriggeredAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_lever_webhook_deliveries_opportunity")
                    .table(Deliveries::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Deliveries::StageId, Deliveries::Source] {
            manager
                .alter_table(Table::alter().table(Deliveries::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Deliveries {
    #[sea_orm(iden = "lever_webhook_deliveries")]
    Table,
    Source,
    StageId,
    ConnectionId,
    OpportunityId,
    TriggeredAt,
}
