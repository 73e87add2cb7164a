//! The job that writes a check's status into Lever: the opportunity's
//! `Vouch Status: …` tag (the other status tags removed) and the check's
//! note (the previous one deleted, a new one created with the status, the
//! step and links).
//!
//! Lever calls are the scarce resource (10/s per key, Vouch keeps to 8/s),
//! so the job makes only the calls the change needs: a check's first status
//! on a candidate is one `addTags` and one note; `removeTags` and the note
//! delete come only when there is an old tag or note to remove.
//!
//! Creating a note is the one write that duplicates when repeated, and the
//! job can die (or Lever's answer can be lost) between Lever making the
//! note and Vouch storing its id. So the check's `lever_note_id` is set to
//! a pending marker, durably, before the create; a run that finds the
//! marker lists the opportunity's notes and adopts (or deletes) the ones
//! carrying this check's report link instead of writing blindly again.
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
        let payload: Payload = crate::jobs::payload(job)?;
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
            // Add first: Lever answers the opportunity as it is now, so the
            // other status tags are removed only when it still carries one
            // (a first status needs one call, not two). Without a readable
            // answer, remove them all, as that call is safe to repeat.
            let added = match client.add_tags(opp, std::slice::from_ref(&wanted), perform_as).await {
                Ok(acted) => acted,
                Err(e) if gone(&e) => return finish_gone(&ctx.db, &check).await,
                Err(e) => return Err(lever_failure(state, &connection, e).await),
            };
            acted_as = added.performed_as;
            let stale: Vec<String> = match &added.value {
                Some(now) => others.into_iter().filter(|t| now.tags.contains(t)).collect(),
                None => others,
            };
            if !stale.is_empty() {
                match client.remove_tags(opp, &stale, perform_as).await {
                    Ok(_) => {}
                    Err(e) if gone(&e) => return finish_gone(&ctx.db, &check).await,
                    Err(e) => return Err(lever_failure(state, &connection, e).await),
                }
            }
        }
        let text =
            (check.status != CheckStatus::Superseded).then(|| note_text(&state.config.public_url, &check));
        let mut note_id = None;
        match check.lever_note_id.as_deref() {
            Some(NOTE_PENDING) => {
                // An earlier run sent a note and died, or Lever's answer was
                // unclear, before its id was stored: look before writing again.
                match reconcile_note(&client, &check, &state.config.public_url, text.as_deref(), perform_as)
                    .await
                {
                    Ok(adopted) => note_id = adopted,
                    Err(e) if gone(&e) => return finish_gone(&ctx.db, &check).await,
                    Err(LeverError::Forbidden { .. }) => tracing::warn!(
                        check = %check.id,
                        "cannot list the opportunity's notes (\"List all notes\" not granted); \
                         a note from an interrupted write may stay twice"
                    ),
                    Err(e) => return Err(lever_failure(state, &connection, e).await),
                }
            }
            Some(note) => match client.delete_note(opp, note, perform_as).await {
                Ok(_) => {}
                Err(e) if gone(&e) => {}
                Err(e) => return Err(lever_failure(state, &connection, e).await),
            },
            None => {}
        }
        if let (Some(text), None) = (&text, &note_id) {
            set_note_id(&ctx.db, check.id, Some(NOTE_PENDING)).await?;
            match client.create_note(opp, text, perform_as).await {
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

/// What `lever_note_id` holds while a note is being created. A run that
/// finds it cannot know whether Lever made the note (the process died, or
/// the create timed out), so it lists the opportunity's notes first. Lever
/// note ids are UUIDs, so the marker never names a real note.
const NOTE_PENDING: &str = "pending";

async fn set_note_id<C: ConnectionTrait>(db: &C, check_id: Uuid, note: Option<&str>) -> Result<(), JobError> {
    check::Entity::update_many()
        .col_expr(check::Column::LeverNoteId, Expr::value(note.map(str::to_owned)))
        .filter(check::Column::Id.eq(check_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Finds this check's notes on the opportunity (they carry its report
/// link): keeps one whose text is `wanted` and answers its id, deletes the
/// rest. So a note created by an interrupted run is adopted, never left
/// beside a second one.
async fn reconcile_note(
    client: &crate::lever::LeverClient,
    check: &check::Model,
    public_url: &url::Url,
    wanted: Option<&str>,
    perform_as: Option<&str>,
) -> Result<Option<String>, LeverError> {
    use futures::TryStreamExt;
    let marker = links::report(public_url, check.id);
    let opp = check.lever_opportunity_id.as_str();
    let ours: Vec<_> = client
        .notes(opp)
        .try_filter(|n| std::future::ready(n.text.as_deref().is_some_and(|t| t.contains(&marker))))
        .try_collect()
        .await?;
    let mut kept = None;
    for note in ours {
        let same = wanted.is_some_and(|w| note.text.as_deref().map(str::trim) == Some(w.trim()));
        if same && kept.is_none() {
            kept = Some(note.id);
            continue;
        }
        match client.delete_note(opp, &note.id, perform_as).await {
            Ok(_) | Err(LeverError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(kept)
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
