//! Processing a stored delivery, in the job queue.
//!
//! The job (`lever.webhook.process`) loads the delivery, drops it when an
//! event of the same family and a later `triggeredAt` was already applied to
//! its opportunity (so a late, older stage change never overrides a newer
//! one), hands it to the [`EventProcessor`], and marks it processed. The
//! processor gets ordering and exactly-once bookkeeping for free; what it
//! must do itself: treat `data` as an unsigned hint (re-read the opportunity
//! from Lever before acting) and be idempotent, since a job whose process
//! died is run again.
//!
//! Jobs of one opportunity share a concurrency key, so they never run at
//! the same time on any process.
use std::sync::Arc;

use async_trait::async_trait;
use chrono::Utc;
use entity::job;
use entity::lever_webhook_delivery::{self, DeliverySource, DeliveryStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder, Statement,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::jobs::{JobContext, JobError, JobHandler, JobOutcome, NewJob};

/// The job kind that processes one delivery.
pub const JOB_KIND: &str = "lever.webhook.process";

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    delivery_id: Uuid,
    /// An admin's replay: process even if processed before.
    #[serde(default)]
    replay: bool,
}

/// The job that processes a delivery; `replay` (a fresh id) makes a new job
/// for a delivery processed before.
pub(crate) fn job_for(
    organization_id: Uuid,
    connection_id: Uuid,
    delivery_id: Uuid,
    opportunity_id: Option<&str>,
    replay: Option<Uuid>,
) -> NewJob {
    let key = match replay {
        None => format!("{JOB_KIND}:{delivery_id}"),
        Some(replay) => format!("{JOB_KIND}:{delivery_id}:replay:{replay}"),
    };
    let payload = Payload { delivery_id, replay: replay.is_some() };
    NewJob {
        organization_id: Some(organization_id),
        connection_id: Some(connection_id),
        concurrency_key: opportunity_id.map(|o| format!("lever-opportunity:{connection_id}:{o}")),
        ..NewJob::new(JOB_KIND, key, serde_json::to_value(payload).unwrap_or_default())
    }
}

/// The Lever events Vouch acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeverEventKind {
    ApplicationCreated,
    CandidateStageChange,
    CandidateHired,
    CandidateArchiveChange,
    CandidateDeleted,
}

impl LeverEventKind {
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "applicationCreated" => Self::ApplicationCreated,
            "candidateStageChange" => Self::CandidateStageChange,
            "candidateHired" => Self::CandidateHired,
            "candidateArchiveChange" => Self::CandidateArchiveChange,
            "candidateDeleted" => Self::CandidateDeleted,
            _ => return None,
        })
    }

    /// Events of one family replace each other's effect, so only the newest
    /// may apply. New applications and deletion do not replace anything.
    /// Hiring and archiving share one: hired is an archive with a reason.
    pub fn family(self) -> Option<&'static str> {
        match self {
            Self::CandidateStageChange => Some("stage"),
            Self::CandidateHired | Self::CandidateArchiveChange => Some("archive"),
            Self::ApplicationCreated | Self::CandidateDeleted => None,
        }
    }
}

/// One delivery handed to the processor.
#[derive(Debug, Clone)]
pub struct LeverEvent {
    pub delivery_id: Uuid,
    pub organization_id: Uuid,
    pub connection_id: Uuid,
    pub kind: LeverEventKind,
    pub triggered_at: i64,
    pub opportunity_id: String,
    /// Lever's unsigned `data`: ids to re-read from, never facts to act on.
    pub data: serde_json::Value,
    /// An admin asked for this delivery to be processed again.
    pub replay: bool,
}

/// What Vouch does with a Lever event (rules, checks, people...). Answers
/// an optional note on what was done or why nothing was (stored as the
/// delivery's detail). Errors follow the job queue's rules: retryable,
/// permanent, or paused (e.g. [`JobError::paused`] when the connection is
/// revoked).
#[async_trait]
pub trait EventProcessor: Send + Sync {
    async fn process(&self, ctx: &JobContext, event: &LeverEvent) -> Result<Option<String>, JobError>;
}

/// The processor until the real one exists: accepts every event, so the
/// delivery is recorded as processed.
#[derive(Debug, Default)]
pub struct RecordOnly;

#[async_trait]
impl EventProcessor for RecordOnly {
    async fn process(&self, _ctx: &JobContext, event: &LeverEvent) -> Result<Option<String>, JobError> {
        tracing::debug!(delivery = %event.delivery_id, kind = ?event.kind, "event recorded");
        Ok(None)
    }
}

/// The [`JobHandler`] for [`JOB_KIND`].
pub struct ProcessDelivery {
    processor: Arc<dyn EventProcessor>,
}

impl ProcessDelivery {
    pub fn new(processor: Arc<dyn EventProcessor>) -> Self {
        Self { processor }
    }
}

#[async_trait]
impl JobHandler for ProcessDelivery {
    async fn run(&self, ctx: &JobContext, job: &job::Model) -> Result<JobOutcome, JobError> {
        let payload: Payload = crate::jobs::payload(job)?;
        let organization_id = crate::jobs::organization(job)?;
        let delivery = super::inbox::find(&ctx.db, organization_id, payload.delivery_id).await?;
        if !payload.replay && delivery.status != DeliveryStatus::Received {
            // Run again after its process died: the work is already done.
            return Ok(JobOutcome::Done);
        }
        let (Some(kind), Some(opportunity_id)) =
            (LeverEventKind::from_name(&delivery.event), delivery.opportunity_id.clone())
        else {
            mark(&ctx.db, &delivery, DeliveryStatus::Ignored, Some("nothing to process"), payload.replay)
                .await?;
            return Ok(JobOutcome::Done);
        };
        if kind == LeverEventKind::CandidateStageChange && !payload.replay {
            if let Some(reason) = same_stay_handled(&ctx.db, &delivery, &opportunity_id).await? {
                mark(&ctx.db, &delivery, DeliveryStatus::Ignored, Some(reason), false).await?;
                return Ok(JobOutcome::Done);
            }
        }
        if let Some(family) = kind.family() {
            if !advance_cursor(
                &ctx.db,
                delivery.connection_id,
                &opportunity_id,
                family,
                delivery.triggered_at,
            )
            .await?
            {
                let detail = "a later event of this kind was already applied to the opportunity";
                mark(&ctx.db, &delivery, DeliveryStatus::Stale, Some(detail), payload.replay).await?;
                return Ok(JobOutcome::Done);
            }
        }
        let event = LeverEvent {
            delivery_id: delivery.id,
            organization_id,
            connection_id: delivery.connection_id,
            kind,
            triggered_at: delivery.triggered_at,
            opportunity_id,
            data: delivery.data.clone(),
            replay: payload.replay,
        };
        let detail = match self.processor.process(ctx, &event).await {
            Ok(detail) => detail,
            Err(err) => {
                let final_failure = match &err {
                    JobError::Permanent(_) => true,
                    JobError::Retryable { .. } => job.attempts >= job.max_attempts,
                    JobError::Paused(_) => false,
                };
                if final_failure {
                    mark(&ctx.db, &delivery, DeliveryStatus::Failed, Some(&err.to_string()), true).await?;
                }
                return Err(err);
            }
        };
        mark(&ctx.db, &delivery, DeliveryStatus::Processed, detail.as_deref(), payload.replay).await?;
        Ok(JobOutcome::Done)
    }
}

/// Whether another delivery already stands for the same stay of the
/// opportunity in the stage (see `catch_up` for why this is the rule):
/// a webhook after a catch-up row into the same stage, or a catch-up row
/// after a processed webhook into that stage at or after its time.
async fn same_stay_handled<C: ConnectionTrait>(
    db: &C,
    delivery: &lever_webhook_delivery::Model,
    opportunity_id: &str,
) -> Result<Option<&'static str>, DbErr> {
    use lever_webhook_delivery::Column;
    let Some(stage_id) = delivery.stage_id.as_deref() else { return Ok(None) };
    let same_opportunity = lever_webhook_delivery::Entity::find()
        .filter(Column::ConnectionId.eq(delivery.connection_id))
        .filter(Column::OpportunityId.eq(opportunity_id))
        .filter(Column::Event.eq(delivery.event.as_str()))
        .filter(Column::Id.ne(delivery.id));
    match delivery.source {
        DeliverySource::Webhook => {
            let latest_before = same_opportunity
                .filter(Column::TriggeredAt.lte(delivery.triggered_at))
                .filter(Column::Status.is_in([DeliveryStatus::Received, DeliveryStatus::Processed]))
                .order_by_desc(Column::TriggeredAt)
                .order_by_desc(Column::ReceivedAt)
                .one(db)
                .await?;
            Ok(latest_before
                .filter(|d| d.source == DeliverySource::CatchUp && d.stage_id.as_deref() == Some(stage_id))
                .map(|_| "catch-up already stood in for this stage change (its webhook came late)"))
        }
        DeliverySource::CatchUp => {
            let applied = same_opportunity
                .filter(Column::StageId.eq(stage_id))
                .filter(Column::TriggeredAt.gte(delivery.triggered_at))
                .filter(Column::Status.eq(DeliveryStatus::Processed))
                .one(db)
                .await?;
            Ok(applied.map(|_| "the webhook for this stage change was processed meanwhile"))
        }
    }
}

/// Records what became of a delivery. Only the first processing of a
/// delivery counts (unless replayed), so a job run twice records once.
async fn mark<C: ConnectionTrait>(
    db: &C,
    delivery: &lever_webhook_delivery::Model,
    status: DeliveryStatus,
    detail: Option<&str>,
    any_status: bool,
) -> Result<(), DbErr> {
    use lever_webhook_delivery::Column;
    let mut update = lever_webhook_delivery::Entity::update_many()
        .col_expr(Column::Status, Expr::value(status))
        .col_expr(Column::Detail, Expr::value(detail.map(str::to_owned)))
        .col_expr(Column::ProcessedAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(delivery.id));
    if status == DeliveryStatus::Processed {
        update = update.col_expr(Column::ProcessCount, Expr::col(Column::ProcessCount).add(1));
    }
    if !any_status {
        update = update.filter(Column::Status.eq(DeliveryStatus::Received));
    }
    update.exec(db).await?;
    Ok(())
}

/// Moves the opportunity's cursor for `family` to `triggered_at` unless a
/// later event was applied; answers false when this one is older (stale).
/// Equal times pass, so a retried event applies again.
async fn advance_cursor<C: ConnectionTrait>(
    db: &C,
    connection_id: Uuid,
    opportunity_id: &str,
    family: &str,
    triggered_at: i64,
) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let sql = "INSERT INTO lever_opportunity_cursors
            (connection_id, opportunity_id, family, last_triggered_at, updated_at)
        VALUES (#1, #2, #3, #4, #5)
        ON CONFLICT (connection_id, opportunity_id, family) DO UPDATE
            SET last_triggered_at = excluded.last_triggered_at, updated_at = excluded.updated_at
            WHERE lever_opportunity_cursors.last_triggered_at <= excluded.last_triggered_at";
    let marker = if backend == DatabaseBackend::Postgres { "$" } else { "?" };
    let sql = sql.replace('#', marker);
    let values =
        [connection_id.into(), opportunity_id.into(), family.into(), triggered_at.into(), Utc::now().into()];
    let result = db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    Ok(result.rows_affected() > 0)
}
