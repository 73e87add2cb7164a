//! Blocked checks start by themselves once Lever has an e-mail address:
//! [`recheck_blocked`] re-reads each blocked opportunity of a connection.
//! The job `checks.recheck_blocked` runs it per connection every
//! [`INTERVAL`], snoozing between runs (one perpetual job per connection,
//! enqueued when a check is blocked; it ends when the connection is
//! disconnected or gone).
use std::time::Duration;

use async_trait::async_trait;
use entity::check::{self, CheckStatus};
use entity::lever_connection::{self, ConnectionStatus};
use entity::{candidate, job};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::events::{client, lever_failure};
use super::start::send_candidate_link;
use super::status::CheckEvent;
use super::{store, LINK_DAYS};
use crate::domain::connections::store as connections;
use crate::domain::{DomainError, DomainResult};
use crate::jobs::{JobContext, JobError, JobHandler, JobOutcome, NewJob};
use crate::lever::LeverError;
use crate::AppState;

/// The job kind.
pub const JOB_KIND: &str = "checks.recheck_blocked";
/// How often blocked checks are re-read.
pub const INTERVAL: Duration = Duration::from_secs(180);

#[derive(Serialize, Deserialize)]
struct Payload {
    connection_id: Uuid,
}

/// The connection's perpetual recheck job.
pub fn job_for(organization_id: Uuid, connection_id: Uuid) -> NewJob {
    NewJob {
        organization_id: Some(organization_id),
        connection_id: Some(connection_id),
        run_after: Some(chrono::Utc::now() + chrono::Duration::from_std(INTERVAL).unwrap_or_default()),
        ..NewJob::new(
            JOB_KIND,
            format!("{JOB_KIND}:{connection_id}"),
            serde_json::to_value(Payload { connection_id }).unwrap_or_default(),
        )
    }
}

/// Re-reads the blocked opportunities of the connection and starts the
/// checks whose candidate has an e-mail address now. Answers how many started.
pub async fn recheck_blocked(
    state: &AppState,
    connection: &lever_connection::Model,
) -> Result<usize, JobError> {
    let blocked = check::Entity::find()
        .filter(check::Column::ConnectionId.eq(connection.id))
        .filter(check::Column::Status.eq(CheckStatus::Blocked))
        .all(&state.db)
        .await?;
    if blocked.is_empty() {
        return Ok(0);
    }
    let client = client(state, connection).await?;
    let mut started = 0;
    for check in blocked {
        let opp = match client.opportunity(&check.lever_opportunity_id).await {
            Ok(o) => o,
            Err(LeverError::NotFound { .. }) => continue,
            Err(e) => return Err(lever_failure(state, connection, e).await),
        };
        let Some(address) = opp.emails.first().cloned() else { continue };
        start_blocked(state, &check, &opp.emails, &address).await?;
        started += 1;
    }
    if started > 0 {
        state.jobs.wake();
    }
    Ok(started)
}

async fn start_blocked(
    state: &AppState,
    check: &check::Model,
    emails: &[String],
    address: &str,
) -> DomainResult<()> {
    let txn = crate::db::begin_write(&state.db).await?;
    let candidate = candidate::Entity::find_by_id(check.candidate_id)
        .one(&txn)
        .await?
        .ok_or_else(|| DomainError::not_found("candidate"))?;
    let mut row: candidate::ActiveModel = candidate.into();
    row.emails = Set(serde_json::json!(emails));
    row.updated_at = Set(chrono::Utc::now());
    let candidate = row.update(&txn).await?;
    let check = store::apply(&txn, check, CheckEvent::Unblocked, None, "vouch").await?;
    // The deadline counts from when the link goes out, not from when the
    // check started waiting for an address.
    let expires_at = chrono::Utc::now() + chrono::Duration::days(LINK_DAYS);
    check::Entity::update_many()
        .col_expr(check::Column::ExpiresAt, Expr::value(expires_at))
        .col_expr(check::Column::RemindedHoursBefore, Expr::value(Option::<i32>::None))
        .filter(check::Column::Id.eq(check.id))
        .exec(&txn)
        .await?;
    let check = check::Model { expires_at, reminded_hours_before: None, ..check };
    send_candidate_link(&txn, &state.config.public_url, &check, &candidate, address).await?;
    txn.commit().await?;
    Ok(())
}

/// The [`JOB_KIND`] handler.
pub struct RecheckBlocked {
    pub state: AppState,
}

#[async_trait]
impl JobHandler for RecheckBlocked {
    async fn run(&self, ctx: &JobContext, job: &job::Model) -> Result<JobOutcome, JobError> {
        let payload: Payload = crate::jobs::payload(job)?;
        let Some(connection) = connections::find_unscoped(&ctx.db, payload.connection_id).await? else {
            return Ok(JobOutcome::Done);
        };
        match connection.status {
            ConnectionStatus::Disconnected => return Ok(JobOutcome::Done),
            ConnectionStatus::Revoked => return Ok(JobOutcome::Snooze(INTERVAL)),
            _ => {}
        }
        match recheck_blocked(&self.state, &connection).await {
            Ok(_) | Err(JobError::Paused(_)) => Ok(JobOutcome::Snooze(INTERVAL)),
            Err(other) => Err(other),
        }
    }
}
