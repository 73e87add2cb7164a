//! Connection health (the Integrations page's green/amber/red panel) and
//! whether Vouch manages the connection's webhooks through Lever's API or
//! the admin set them up by hand.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        let columns = [
            ColumnDef::new(LeverConnections::HealthLevel).string_len(16).null().to_owned(),
            ColumnDef::new(LeverConnections::HealthReason).text().null().to_owned(),
            timestamp_with_time_zone_null(LeverConnections::HealthCheckedAt),
            boolean(LeverConnections::WebhooksManual).default(false).to_owned(),
        ];
        for column in columns {
            manager
                .alter_table(Table::alter().table(LeverConnections::Table).add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            LeverConnections::HealthLevel,
            LeverConnections::HealthReason,
            LeverConnections::HealthCheckedAt,
            LeverConnections::WebhooksManual,
        ] {
            manager
                .alter_table(Table::alter().table(LeverConnections::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum LeverConnections {
    Table,
    HealthLevel,
    HealthReason,
    HealthCheckedAt,
    WebhooksManual,
}
