//! The webhook inbox: one row per accepted Lever delivery (duplicates are
//! stored once, by `dedupe_key`).
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What became of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DeliveryStatus {
    /// Stored; its processing job has not finished yet.
    #[sea_orm(string_value = "RECEIVED")]
    Received,
    /// The event processor applied it.
    #[sea_orm(string_value = "PROCESSED")]
    Processed,
    /// Stored and deliberately not acted on (an event type Vouch does not
    /// use, or a test delivery without an opportunity).
    #[sea_orm(string_value = "IGNORED")]
    Ignored,
    /// Older than an event of the same kind already applied for its
    /// opportunity: skipped so that it cannot override the newer one.
    #[sea_orm(string_value = "STALE")]
    Stale,
    /// Processing failed for good (see the job's last error).
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

/// Where a delivery came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DeliverySource {
    /// POSTed by Lever to the webhook route.
    #[sea_orm(string_value = "WEBHOOK")]
    Webhook,
    /// Made by the catch-up job for an opportunity found sitting in a
    /// trigger stage with no delivery for its stay there (a lost webhook).
    #[sea_orm(string_value = "CATCH_UP")]
    CatchUp,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lever_webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub connection_id: Uuid,
    #[sea_orm(unique)]
    pub dedupe_key: String,
    pub event: String,
    pub token: String,
    pub triggered_at: i64,
    pub opportunity_id: Option<String>,
    /// Lever's unsigned `data` object: ids only, a hint to re-read from.
    pub data: Json,
    pub status: DeliveryStatus,
    pub detail: Option<String>,
    /// How many times the processor applied this delivery (1 at most unless
    /// replayed): the crash test's evidence of "processed exactly once".
    pub process_count: i32,
    pub received_at: DateTimeUtc,
    pub processed_at: Option<DateTimeUtc>,
    pub source: DeliverySource,
    /// For `candidateStageChange`: the stage moved into (`data.toStageId`
    /// for a webhook, a hint like all of `data`; read from Lever for a
    /// catch-up row). Lets catch-up and late webhooks recognise one stay.
    pub stage_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::lever_connection::Entity",
        from = "Column::ConnectionId",
        to = "super::lever_connection::Column::Id",
        on_delete = "Cascade"
    )]
    Connection,
}

impl ActiveModelBehavior for ActiveModel {}
