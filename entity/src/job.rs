//! One unit of durable background work (DESIGN.md section 3: jobs).
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum JobStatus {
    /// Waiting for `run_after`, then for a worker.
    #[sea_orm(string_value = "QUEUED")]
    Queued,
    /// Claimed by `lease_owner` until `lease_expires_at`.
    #[sea_orm(string_value = "RUNNING")]
    Running,
    #[sea_orm(string_value = "DONE")]
    Done,
    /// Out of attempts or failed for good; `last_error` says why.
    #[sea_orm(string_value = "FAILED")]
    Failed,
    /// Parked until something outside changes (e.g. a revoked Lever
    /// connection is reconnected).
    #[sea_orm(string_value = "PAUSED")]
    Paused,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub payload: Json,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub concurrency_key: Option<String>,
    pub organization_id: Option<Uuid>,
    pub connection_id: Option<Uuid>,
    pub status: JobStatus,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_after: DateTimeUtc,
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub progress_done: Option<i64>,
    pub progress_total: Option<i64>,
    /// What the run found, for the app to show; the kind owns the shape.
    pub result: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
