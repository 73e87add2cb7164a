//! Catch-up: finding the stage changes whose webhooks were lost, and feeding
//! them through the same processing path as a delivered webhook.
//!
//! The job (`lever.catch_up`, one per connection at a time) reads the
//! connection's enabled rules, lists through Lever the opportunities sitting
//! in each rule's trigger stages (for the rule's postings), and for each
//! stay in a trigger stage that Vouch has no delivery for, writes a synthetic
//! inbox row: event `candidateStageChange`, source `CATCH_UP`, `triggered_at`
//! = the time Lever's `stageChanges` entry says the opportunity entered the
//! stage, and its processing job in the same transaction. It runs every
//! `--catch-up-interval-secs` for each CONNECTED connection, and on demand
//! (the `catchUp` mutation); progress (opportunities looked at / found) is
//! reported through the job.
//!
//! # Why nothing is done twice
//!
//! A stay is identified by (connection, opportunity, stage, entered-at).
//! Lever's webhook does not carry entered-at (only `triggeredAt`, which is
//! at or after it, and not guaranteed equal), so a derived idempotency key
//! cannot be shared by the webhook and catch-up. Instead:
//!
//! - the catch-up row's dedupe key is derived from the stay, so running
//!   catch-up any number of times stores it once, and its processing job's
//!   idempotency key (from the row id) is made once;
//! - catch-up writes no row when a webhook delivery into that stage at or
//!   after entered-at is already stored and not skipped: the webhook covers
//!   the stay (the opportunity has been in the stage continuously since
//!   entered-at, so any such delivery is about this stay);
//! - the processor skips (IGNORED, with the reason) a late webhook whose
//!   opportunity's latest earlier stage-change delivery is a catch-up row
//!   into the same stage, and a catch-up row when a webhook into the same
//!   stage at or after its time was already processed; strictly older
//!   events are already STALE through the ordering cursor. Jobs of one
//!   opportunity never run at once, so these checks do not race.
//!
//! The webhook's `toStageId` is unsigned; a forged one can at worst make a
//! stay look covered until a later catch-up, never make Vouch act: the
//! processor re-reads the opportunity before acting. A stay re-entered
//! after an unseen exit (the exit's webhook lost, the exit stage not a
//! trigger) can be taken for the earlier stay by the late webhook; the next
//! catch-up sees the newer entered-at and processes it then.
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use entity::job;
use entity::lever_connection::{self, ConnectionStatus};
use entity::lever_webhook_delivery::{self, DeliverySource, DeliveryStatus};
use futures::StreamExt;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::inbox::{self, Stored};
use crate::domain::connections::{clients, store};
use crate::domain::{resolution, DomainError, DomainResult};
use crate::jobs::{self, JobContext, JobError, JobHandler, JobOutcome, NewJob};
use crate::lever::{LeverError, OpportunityFilter};
use crate::AppState;

/// The job kind that catches up one connection.
pub const JOB_KIND: &str = "lever.catch_up";

/// The event name catch-up rows carry.
const STAGE_CHANGE: &str = "candidateStageChange";

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    connection_id: Uuid,
}

/// What one run found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CatchUpReport {
    /// Opportunities sitting in a trigger stage.
    pub seen: usize,
    /// Stays with no delivery, now stored with their processing job.
    pub created: usize,
}

fn job(organization_id: Uuid, connection_id: Uuid, key: String) -> NewJob {
    NewJob {
        organization_id: Some(organization_id),
        connection_id: Some(connection_id),
        // One catch-up of a connection at a time, on any process.
        concurrency_key: Some(format!("{JOB_KIND}:{connection_id}")),
        max_attempts: Some(5),
        ..NewJob::new(JOB_KIND, key, serde_json::json!(Payload { connection_id }))
    }
}

/// Enqueues a catch-up of the organization's connection now (an admin's
/// request) and answers the job. Another company's connection is NOT_FOUND.
pub async fn request(
    state: &AppState,
    organization_id: Uuid,
    connection_id: Uuid,
) -> DomainResult<job::Model> {
    let connection = store::find(&state.db, organization_id, connection_id).await?;
    if connection.status == ConnectionStatus::Disconnected {
        return Err(DomainError::conflict(
            "connectionId",
            "this Lever connection is disconnected: connect Lever again first",
        ));
    }
    let key = format!("{JOB_KIND}:{connection_id}:manual:{}", Uuid::new_v4());
    let id = jobs::enqueue(&state.db, job(organization_id, connection_id, key)).await?;
    state.jobs.wake();
    jobs::find(&state.db, organization_id, id).await
}

/// Enqueues the periodic catch-up of every CONNECTED connection at each
/// multiple of `interval` (wall clock), until `shutdown`. The idempotency
/// key names the period, so several processes enqueue one job per period.
pub async fn schedule(state: AppState, interval: Duration, shutdown: CancellationToken) {
    let period = interval.as_secs().max(1);
    loop {
        let now = Utc::now().timestamp().max(0) as u64;
        let next = (now / period + 1) * period;
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(Duration::from_secs(next - now)) => {}
        }
        if let Err(err) = enqueue_period(&state, next / period).await {
            tracing::warn!(error = %err, "cannot enqueue the periodic catch-up; trying next period");
        }
    }
}

async fn enqueue_period(state: &AppState, slot: u64) -> DomainResult<()> {
    let connected = lever_connection::Entity::find()
        .filter(lever_connection::Column::Status.eq(ConnectionStatus::Connected))
        .all(&state.db)
        .await?;
    for connection in &connected {
        let key = format!("{JOB_KIND}:{}:period:{slot}", connection.id);
        jobs::enqueue(&state.db, job(connection.organization_id, connection.id, key)).await?;
    }
    if !connected.is_empty() {
        state.jobs.wake();
    }
    Ok(())
}

/// The [`JobHandler`] for [`JOB_KIND`].
pub struct CatchUpJob {
    state: AppState,
}

impl CatchUpJob {
    pub fn new(state: AppState) -> Arc<Self> {
        Arc::new(Self { state })
    }
}

#[async_trait]
impl JobHandler for CatchUpJob {
    async fn run(&self, ctx: &JobContext, job: &job::Model) -> Result<JobOutcome, JobError> {
        let payload: Payload = crate::jobs::payload(job)?;
        let organization_id = crate::jobs::organization(job)?;
        let report = run(&self.state, ctx, organization_id, payload.connection_id).await?;
        tracing::info!(connection = %payload.connection_id, seen = report.seen, created = report.created, "catch-up done");
        Ok(JobOutcome::Done)
    }
}

/// One catch-up of one connection.
pub async fn run(
    state: &AppState,
    ctx: &JobContext,
    organization_id: Uuid,
    connection_id: Uuid,
) -> Result<CatchUpReport, JobError> {
    let connection = store::find(&ctx.db, organization_id, connection_id).await?;
    match connection.status {
        ConnectionStatus::Disconnected => return Ok(CatchUpReport::default()),
        ConnectionStatus::Revoked => return Err(paused()),
        ConnectionStatus::Connected | ConnectionStatus::NeedsAttention => {}
    }
    let setup = resolution::load(&ctx.db, organization_id, connection_id).await?;
    let queries: Vec<OpportunityFilter> = setup
        .rules
        .iter()
        .filter(|rule| rule.enabled && !rule.stages.is_empty())
        .filter(|rule| rule.all_postings || !rule.posting_ids.is_empty())
        .map(|rule| OpportunityFilter {
            stage_ids: rule.stages.values().cloned().collect::<BTreeSet<_>>().into_iter().collect(),
            posting_ids: if rule.all_postings { Vec::new() } else { rule.posting_ids.clone() },
            expand_applications: false,
        })
        .collect();
    ctx.report_progress(0, None).await?;
    if queries.is_empty() {
        ctx.report_progress(0, Some(0)).await?;
        return Ok(CatchUpReport::default());
    }
    let client = clients::client_for(state, &connection).await.map_err(lever_failure)?;
    // Opportunity id → (stage, entered at): one stay per opportunity, however
    // many rules list it.
    let mut stays: HashMap<String, (String, i64)> = HashMap::new();
    for query in &queries {
        let mut pages = client.opportunities(query);
        while let Some(item) = pages.next().await {
            let opportunity = match item {
                Ok(opportunity) => opportunity,
                Err(err) => return Err(lever_call_failed(state, &ctx.db, &connection, err).await),
            };
            if opportunity.archived.is_some() {
                continue;
            }
            let Some(stage) = opportunity.stage.clone().filter(|s| query.stage_ids.contains(s)) else {
                continue;
            };
            // The latest entry into the stage it sits in; an opportunity
            // created straight into the stage entered it when created.
            let entered_at = opportunity
                .stage_changes
                .iter()
                .filter(|c| c.to_stage_id == stage)
                .filter_map(|c| c.updated_at)
                .max()
                .or(opportunity.created_at)
                .unwrap_or(0);
            stays.insert(opportunity.id.clone(), (stage, entered_at));
        }
    }
    clients::observe(&ctx.db, state, &connection, Ok(())).await.map_err(JobError::from)?;
    let total = stays.len();
    ctx.report_progress(0, Some(total as i64)).await?;
    let mut report = CatchUpReport { seen: total, created: 0 };
    let mut stays: Vec<_> = stays.into_iter().collect();
    stays.sort();
    for (done, (opportunity_id, (stage_id, entered_at))) in stays.into_iter().enumerate() {
        if record_stay(&ctx.db, organization_id, connection_id, &opportunity_id, &stage_id, entered_at)
            .await?
        {
            report.created += 1;
            state.jobs.wake();
        }
        if (done + 1) % 20 == 0 || done + 1 == total {
            ctx.report_progress((done + 1) as i64, Some(total as i64)).await?;
        }
    }
    Ok(report)
}

/// Stores the catch-up row for a stay unless a delivery already covers it;
/// answers whether a row (and its processing job) was written now.
pub async fn record_stay(
    db: &sea_orm::DatabaseConnection,
    organization_id: Uuid,
    connection_id: Uuid,
    opportunity_id: &str,
    stage_id: &str,
    entered_at: i64,
) -> Result<bool, JobError> {
    let covered = lever_webhook_delivery::Entity::find()
        .filter(lever_webhook_delivery::Column::ConnectionId.eq(connection_id))
        .filter(lever_webhook_delivery::Column::OpportunityId.eq(opportunity_id))
        .filter(lever_webhook_delivery::Column::Event.eq(STAGE_CHANGE))
        .filter(lever_webhook_delivery::Column::StageId.eq(stage_id))
        .filter(lever_webhook_delivery::Column::TriggeredAt.gte(entered_at))
        .filter(
            lever_webhook_delivery::Column::Status
                .is_in([DeliveryStatus::Received, DeliveryStatus::Processed]),
        )
        .count(db)
        .await?;
    if covered > 0 {
        return Ok(false);
    }
    let row = lever_webhook_delivery::Model {
        id: Uuid::now_v7(),
        organization_id,
        connection_id,
        dedupe_key: stay_key(connection_id, opportunity_id, stage_id, entered_at),
        event: STAGE_CHANGE.to_owned(),
        token: "catch-up".to_owned(),
        triggered_at: entered_at,
        opportunity_id: Some(opportunity_id.to_owned()),
        data: serde_json::json!({ "opportunityId": opportunity_id, "toStageId": stage_id, "catchUp": true }),
        status: DeliveryStatus::Received,
        detail: Some("no webhook was received for this stage change; found by catch-up".to_owned()),
        process_count: 0,
        received_at: Utc::now(),
        processed_at: None,
        source: DeliverySource::CatchUp,
        stage_id: Some(stage_id.to_owned()),
    };
    Ok(matches!(inbox::insert_with_job(db, row).await?, Stored::New { .. }))
}

/// The dedupe key of a stay: (connection, opportunity, stage, entered at),
/// in a namespace no Lever delivery's key can take.
pub fn stay_key(connection_id: Uuid, opportunity_id: &str, stage_id: &str, entered_at: i64) -> String {
    let mut hash = Sha256::new();
    for part in ["catch-up", &connection_id.to_string(), opportunity_id, stage_id, &entered_at.to_string()] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    format!("catch-up:{}", hex::encode(hash.finalize()))
}

fn paused() -> JobError {
    JobError::paused("Lever revoked Vouch's access: catch-up resumes once Lever is reconnected")
}

/// A Lever call failed: a 401 turns the connection REVOKED (and the job
/// PAUSED); other failures are retried.
async fn lever_call_failed<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    connection: &lever_connection::Model,
    err: LeverError,
) -> JobError {
    let unauthorized = matches!(err, LeverError::Unauthorized);
    match clients::observe::<(), _>(db, state, connection, Err(err)).await {
        Err(_) if unauthorized => paused(),
        Err(DomainError::Lever(message)) => JobError::retryable(message),
        Err(other) => JobError::from(other),
        Ok(()) => JobError::retryable("Lever call failed"),
    }
}

fn lever_failure(err: DomainError) -> JobError {
    match err {
        DomainError::Lever(message) => JobError::retryable(message),
        other => JobError::from(other),
    }
}
