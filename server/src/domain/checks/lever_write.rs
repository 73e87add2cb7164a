//! The job that writes a check's status into Lever: the opportunity's
//! `Vouch Status: …` tag (the other status tags removed) and the check's
//! note (the previous one deleted, a new one created with the status, the
//! step and links).
//!
//! The job writes the check's CURRENT status when it runs, not the one that
//! enqueued it, and records the version written: a change made while Lever
//! failed or the connection was revoked is written once Lever answers, only
//! the latest, and never an older one over a newer one. Jobs of one
//! opportunity share a concurrency key. Only the opportunity's newest check
//! owns the tag; an older (e.g. superseded) check just removes its note.
use async_trait::async_trait;
use entity::check::{self, CheckStatus};
use entity::job;
use entity::lever_connection::ConnectionStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::events::{client, lever_failure};
use super::start::kind_label;
use super::status::{self, ALL_STATUSES};
use super::{links, store, timeline};
use crate::domain::connections::store as connections;
use crate::jobs::{JobContext, JobError, JobHandler, JobOutcome, NewJob};
use crate::lever::LeverError;
use crate::AppState;

/// The job kind.
pub const JOB_KIND: &str = "lever.write_status";

#[derive(Serialize, Deserialize)]
struct Payload {
    check_id: Uuid,
}

/// The job for the check's current status version.
pub fn job_for(check: &check::Model) -> NewJob {
    NewJob {
        organization_id: Some(check.organization_id),
        connection_id: Some(check.connection_id),
        concurrency_key: Some(format!("lever-write:{}:{}", check.connection_id, check.lever_opportunity_id)),
        max_attempts: Some(20),
        ..NewJob::new(
            JOB_KIND,
            format!("{JOB_KIND}:{}:{}", check.id, check.status_version),
            serde_json::to_value(Payload { check_id: check.id }).unwrap_or_default(),
        )
    }
}

/// The note Vouch keeps on the opportunity for a check.
pub fn note_text(public_url: &url::Url, check: &check::Model) -> String {
    let mut text = format!("Vouch: {} — {}", kind_label(check.step_kind), status::label(check.status));
    if let Some(reason) = &check.status_reason {
        text.push_str(&format!("\n{reason}"));
    }
    if check.status == CheckStatus::Blocked {
        text.push_str("\nTo fix: add the candidate's e-mail address in Lever; Vouch sends the check by itself once it is there.");
    }
    text.push_str(&format!("\nReport: {}", links::report(public_url, check.id)));
    text.push_str(&format!("\nCandidate: {}", links::candidate(public_url, check.candidate_id)));
    text
}

/// The [`JOB_KIND`] handler.
pub struct WriteStatus {
    pub state: AppState,
}

#[async_trait]
impl JobHandler for WriteStatus {
    async fn run(&self, ctx: &JobContext, job: &job::Model) -> Result<JobOutcome, JobError> {
        let payload: Payload = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::permanent(format!("malformed payload: {e}")))?;
        let Ok(check) = store::find_unscoped(&ctx.db, payload.check_id).await else {
            return Ok(JobOutcome::Done);
        };
        if check.lever_written_version >= check.status_version {
            return Ok(JobOutcome::Done);
        }
        let Some(connection) = connections::find_unscoped(&ctx.db, check.connection_id).await? else {
            return Ok(JobOutcome::Done);
        };
        if connection.status == ConnectionStatus::Disconnected {
            return Ok(JobOutcome::Done);
        }
        let state = &self.state;
        let client = client(state, &connection).await?;
        let opp = check.lever_opportunity_id.as_str();
        let perform_as = check.triggered_by_lever_user.as_deref();
        let newest = check::Entity::find()
            .filter(check::Column::ConnectionId.eq(check.connection_id))
            .filter(check::Column::LeverOpportunityId.eq(opp))
            .order_by_desc(check::Column::CreatedAt)
            .one(&ctx.db)
            .await?;
        let owns_tag = newest.is_none_or(|n| n.id == check.id);
        let gone = |e: &LeverError| matches!(e, LeverError::NotFound { .. });
        let mut acted_as = None;
        if owns_tag {
            let wanted = status::tag(check.status);
            let others: Vec<String> =
                ALL_STATUSES.iter().map(|s| status::tag(*s)).filter(|t| *t != wanted).collect();
            match client.remove_tags(opp, &others, perform_as).await {
                Ok(_) => {}
                Err(e) if gone(&e) => return finish_gone(&ctx.db, &check).await,
                Err(e) => return Err(lever_failure(state, &connection, e).await),
            }
            match client.add_tags(opp, &[wanted], perform_as).await {
                Ok(acted) => acted_as = acted.performed_as,
                Err(e) if gone(&e) => return finish_gone(&ctx.db, &check).await,
                Err(e) => return Err(lever_failure(state, &connection, e).await),
            }
        }
        if let Some(note) = &check.lever_note_id {
            match client.delete_note(opp, note, perform_as).await {
                Ok(_) => {}
                Err(e) if gone(&e) => {}
                Err(e) => return Err(lever_failure(state, &connection, e).await),
            }
            check::Entity::update_many()
                .col_expr(check::Column::LeverNoteId, Expr::value(Option::<String>::None))
                .filter(check::Column::Id.eq(check.id))
                .exec(&ctx.db)
                .await?;
        }
        let mut note_id = None;
        if check.status != CheckStatus::Superseded {
            let text = note_text(&state.config.public_url, &check);
            match client.create_note(opp, &text, perform_as).await {
                Ok(acted) => {
                    acted_as = acted.performed_as.or(acted_as);
                    note_id = Some(acted.value.id);
                }
                Err(e) if gone(&e) => return finish_gone(&ctx.db, &check).await,
                Err(e) => return Err(lever_failure(state, &connection, e).await),
            }
        }
        let _ = connections::touch_success(&ctx.db, connection.id).await;
        check::Entity::update_many()
            .col_expr(check::Column::LeverNoteId, Expr::value(note_id))
            .col_expr(check::Column::LeverWrittenVersion, Expr::value(check.status_version))
            .filter(check::Column::Id.eq(check.id))
            .filter(check::Column::LeverWrittenVersion.lt(check.status_version))
            .exec(&ctx.db)
            .await?;
        let detail = format!(
            "status \"{}\" written into Lever{}",
            status::label(check.status),
            acted_as.map(|u| format!(" as Lever user {u}")).unwrap_or_default()
        );
        timeline::record(&ctx.db, check.id, "lever.written", None, Some(&detail), "vouch").await?;
        Ok(JobOutcome::Done)
    }
}

/// The opportunity is gone from Lever: nothing to write, ever.
async fn finish_gone<C: ConnectionTrait>(db: &C, check: &check::Model) -> Result<JobOutcome, JobError> {
    check::Entity::update_many()
        .col_expr(check::Column::LeverWrittenVersion, Expr::value(check.status_version))
        .filter(check::Column::Id.eq(check.id))
        .exec(db)
        .await?;
    timeline::record(
        db,
        check.id,
        "lever.skipped",
        None,
        Some("the opportunity is gone from Lever"),
        "vouch",
    )
    .await?;
    Ok(JobOutcome::Done)
}
