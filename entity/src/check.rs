//! A check: one template step (self-assessment or reference check) run for
//! one candidate. Status changes only through the server's
//! `checks::status::transition`.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::template_step::StepKind;
use crate::Language;

/// Where a check stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum CheckStatus {
    #[sea_orm(string_value = "SENT")]
    Sent,
    #[sea_orm(string_value = "AWAITING_REFEREES")]
    AwaitingReferees,
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
    #[sea_orm(string_value = "DECLINED")]
    Declined,
    #[sea_orm(string_value = "EXPIRED")]
    Expired,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
    #[sea_orm(string_value = "SUPERSEDED")]
    Superseded,
    #[sea_orm(string_value = "BLOCKED")]
    Blocked,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "checks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub connection_id: Uuid,
    pub project_id: Uuid,
    pub candidate_id: Uuid,
    pub lever_opportunity_id: String,
    pub rule_id: Uuid,
    pub template_id: Uuid,
    pub step_id: Uuid,
    pub step_kind: StepKind,
    pub language: Language,
    pub status: CheckStatus,
    /// Why (blocked, cancelled...).
    pub status_reason: Option<String>,
    /// Grows by one on every status change (optimistic concurrency, and the
    /// Lever write's idempotency).
    pub status_version: i32,
    /// The newest status version written into Lever.
    pub lever_written_version: i32,
    /// The check's current note in Lever.
    pub lever_note_id: Option<String>,
    /// The Lever user who moved the candidate into the trigger stage.
    pub triggered_by_lever_user: Option<String>,
    /// The questionnaire in the check's language, copied when the check
    /// started (later template edits do not change a running check).
    pub questions: Json,
    /// Reference checks: how many referees the candidate names.
    pub referees_required: Option<i32>,
    /// Reference checks: the relationship kinds offered (JSON array).
    pub relationship_kinds: Option<Json>,
    /// The webhook delivery that started it (a re-run job starts nothing new).
    pub source_delivery_id: Option<Uuid>,
    /// Self-assessments: the answers (draft until `submitted_at`).
    pub answers: Option<Json>,
    pub submitted_at: Option<DateTimeUtc>,
    pub expires_at: DateTimeUtc,
    /// The smallest reminder slot (hours before `expires_at`) already sent;
    /// `None` until the first reminder.
    pub reminded_hours_before: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
