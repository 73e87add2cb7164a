//! The webhook processor: what Vouch does with each Lever event.
//!
//! `data` is unsigned, so every decision is made on the opportunity as Lever
//! answers it now. New applications and stage changes keep the posting's
//! project, the candidate and the members current; a stage change into a
//! mapped stage starts the step's check. Hired and archived cancel open
//! checks; deleted purges personal data once Lever confirms the candidate
//! is gone. Lever answering 404 for the opportunity ends the event with a
//! reason, never an error.
use std::sync::Arc;

use async_trait::async_trait;
use entity::lever_connection::{self, ConnectionStatus};

use super::{closing, start, store, timeline};
use crate::domain::connections::{clients, store as connections};
use crate::domain::resolution::{self, Outcome, Trigger};
use crate::domain::{catalogue, projects, DomainError};
use crate::jobs::{JobContext, JobError};
use crate::lever::models::Opportunity;
use crate::lever::LeverError;
use crate::webhooks::{EventProcessor, LeverEvent, LeverEventKind};
use crate::AppState;

/// The processor that runs checks.
pub struct CheckProcessor {
    state: AppState,
}

impl CheckProcessor {
    pub fn new(state: AppState) -> Arc<Self> {
        Arc::new(Self { state })
    }
}

/// A Lever failure as a job error: revoked → paused, transient → retried.
pub(crate) async fn lever_failure(
    state: &AppState,
    connection: &lever_connection::Model,
    err: LeverError,
) -> JobError {
    let transient = err.is_transient();
    let retry_after = match &err {
        LeverError::RateLimited { .. } => Some(std::time::Duration::from_secs(30)),
        _ => None,
    };
    let revoked = matches!(err, LeverError::Unauthorized);
    let message = match clients::observe(&state.db, state, connection, Err::<(), _>(err)).await {
        Err(e) => e.to_string(),
        Ok(()) => "Lever failed".to_owned(),
    };
    if revoked {
        JobError::paused(message)
    } else if transient {
        JobError::Retryable { message, retry_after }
    } else {
        JobError::permanent(message)
    }
}

/// The connection's client, or a paused job when it cannot work.
pub(crate) async fn client(
    state: &AppState,
    connection: &lever_connection::Model,
) -> Result<crate::lever::LeverClient, JobError> {
    clients::client_for(state, connection).await.map_err(|e| match e {
        DomainError::Lever(message) => JobError::paused(message),
        other => other.into(),
    })
}

#[async_trait]
impl EventProcessor for CheckProcessor {
    async fn process(&self, _ctx: &JobContext, event: &LeverEvent) -> Result<Option<String>, JobError> {
        let state = &self.state;
        let Some(connection) = connections::find_unscoped(&state.db, event.connection_id).await? else {
            return Ok(Some("the Lever connection no longer exists".into()));
        };
        if connection.status == ConnectionStatus::Disconnected {
            return Ok(Some("Lever is disconnected".into()));
        }
        let client = client(state, &connection).await?;
        let opportunity = match client.opportunity(&event.opportunity_id).await {
            Ok(o) => {
                let _ = connections::touch_success(&state.db, connection.id).await;
                Some(o)
            }
            Err(LeverError::NotFound { .. }) => None,
            Err(err) => return Err(lever_failure(state, &connection, err).await),
        };
        match (event.kind, opportunity) {
            (LeverEventKind::CandidateDeleted, Some(_)) => {
                Ok(Some("Lever still has the candidate; nothing purged".into()))
            }
            (LeverEventKind::CandidateDeleted, None) => {
                let txn = crate::db::begin_write(&state.db).await.map_err(JobError::from)?;
                closing::cancel_open(
                    &txn,
                    connection.id,
                    &event.opportunity_id,
                    "the candidate was deleted in Lever",
                    "vouch",
                )
                .await?;
                let purged =
                    closing::purge(&txn, event.organization_id, connection.id, &event.opportunity_id).await?;
                txn.commit().await.map_err(JobError::from)?;
                state.jobs.wake();
                Ok(Some(format!("personal data of {purged} candidate(s) purged")))
            }
            (_, None) => self.opportunity_gone(&connection, event).await,
            (LeverEventKind::CandidateHired | LeverEventKind::CandidateArchiveChange, Some(opp)) => {
                if opp.archived.is_none() {
                    return Ok(Some("the candidate is not archived in Lever; nothing to do".into()));
                }
                let reason = if event.kind == LeverEventKind::CandidateHired {
                    "the candidate was hired in Lever"
                } else {
                    "the candidate was archived in Lever"
                };
                let txn = crate::db::begin_write(&state.db).await.map_err(JobError::from)?;
                let n = closing::cancel_open(&txn, connection.id, &opp.id, reason, "vouch").await?;
                txn.commit().await.map_err(JobError::from)?;
                state.jobs.wake();
                Ok(Some(format!("{n} open check(s) cancelled: {reason}")))
            }
            (LeverEventKind::ApplicationCreated | LeverEventKind::CandidateStageChange, Some(opp)) => {
                self.candidate_event(&client, &connection, event, opp).await
            }
        }
    }
}

impl CheckProcessor {
    /// Lever answers 404 for the opportunity of an event other than a
    /// deletion: it was deleted after the event was sent (its own
    /// `candidateDeleted` purges), or Vouch's credentials can no longer see
    /// it (e.g. a confidential posting). Nothing is started and nothing is
    /// retried; open checks are left as they are (they expire at their
    /// deadline) with the fact on their timeline, and the delivery's detail
    /// says so in the webhook log.
    async fn opportunity_gone(
        &self,
        connection: &lever_connection::Model,
        event: &LeverEvent,
    ) -> Result<Option<String>, JobError> {
        let state = &self.state;
        let opp = event.opportunity_id.as_str();
        let txn = crate::db::begin_write(&state.db).await.map_err(JobError::from)?;
        let open = store::open_for_opportunity(&txn, connection.id, opp).await?;
        let note = "Lever answers 404 for the candidate (deleted in Lever, or no longer visible to Vouch's Lever access); the check is left as it is";
        for check in &open {
            timeline::record(&txn, check.id, "lever.not_found", None, Some(note), "vouch").await?;
        }
        txn.commit().await.map_err(JobError::from)?;
        let mut detail = format!(
            "Lever answers 404 for opportunity {opp} (deleted in Lever after the event, or no longer visible to Vouch's Lever access): nothing started, not retried"
        );
        if !open.is_empty() {
            detail.push_str(&format!("; {} open check(s) left as they are", open.len()));
        }
        Ok(Some(detail))
    }

    async fn candidate_event(
        &self,
        client: &crate::lever::LeverClient,
        connection: &lever_connection::Model,
        event: &LeverEvent,
        opp: Opportunity,
    ) -> Result<Option<String>, JobError> {
        let state = &self.state;
        let Some(posting_id) = posting_of(&opp) else {
            return Ok(Some("the opportunity has no posting".into()));
        };
        let setup = resolution::load(&state.db, event.organization_id, connection.id).await?;
        if !setup.rules.iter().any(|r| r.enabled && resolution::covers(r, &posting_id)) {
            return Ok(Some(format!("no enabled rule covers posting {posting_id}")));
        }
        // The catalogue's posting (name, owner) is enough unless the
        // opportunity shows a `Vouch Template:` tag. Opportunities show their
        // posting's tags (LEVER.md), so without one the posting has none and
        // reading it would be a quarter of a check's Lever calls for nothing;
        // with one, only the posting says whether the tag is the posting's.
        let template_tagged = opp.tags.iter().any(|t| t.starts_with(resolution::TEMPLATE_TAG_PREFIX));
        let catalogued = if template_tagged {
            None
        } else {
            catalogue::live_posting(&state.db, connection.id, &posting_id).await?
        };
        let posting = match catalogued {
            Some(known) => PostingFacts { name: Some(known.text), owner: known.owner_id, tags: Vec::new() },
            None => match client.posting(&posting_id).await {
                Ok(p) => PostingFacts { name: p.text, owner: p.owner, tags: p.tags },
                Err(LeverError::NotFound { .. }) => {
                    return Ok(Some(format!("Lever answers 404 for posting {posting_id}")))
                }
                Err(err) => return Err(lever_failure(state, connection, err).await),
            },
        };
        // Who moved the candidate: the latest stage change into the current stage.
        let mover = opp
            .stage_changes
            .iter()
            .rev()
            .find(|c| Some(&c.to_stage_id) == opp.stage.as_ref())
            .and_then(|c| c.user_id.clone());
        let mut people = Vec::new();
        for lever_id in [mover.clone(), posting.owner.clone()].into_iter().flatten() {
            if people.iter().any(|p: &projects::LeverPerson| p.lever_id == lever_id) {
                continue;
            }
            let person = match projects::lever_person(&state.db, connection.id, &lever_id).await? {
                Some(p) if p.email.is_some() => Some(p),
                _ => match client.user(&lever_id).await {
                    Ok(u) => Some(projects::LeverPerson {
                        lever_id: u.id,
                        name: u.name.unwrap_or_default(),
                        email: u.email,
                    }),
                    Err(LeverError::NotFound { .. }) => None,
                    Err(err) => return Err(lever_failure(state, connection, err).await),
                },
            };
            people.extend(person);
        }
        // The delivery's `toStageId` is unsigned, so only the re-read decides;
        // but a change whose target is no longer the current stage (the
        // candidate moved on before this was processed) starts nothing: the
        // later change into the current stage has its own event (or catch-up).
        let claimed = event.data.get("toStageId").and_then(|v| v.as_str());
        let superseded_move = claimed.is_some_and(|to| Some(to) != opp.stage.as_deref());
        let decision = match (event.kind, opp.stage.as_deref()) {
            (LeverEventKind::CandidateStageChange, Some(_)) if superseded_move => None,
            (LeverEventKind::CandidateStageChange, Some(stage)) => {
                let trigger =
                    Trigger { posting_id: &posting_id, stage_id: stage, posting_tags: &posting.tags };
                match resolution::resolve(&setup, &trigger).outcome {
                    Outcome::Start(decision) => Some(decision),
                    _ => None,
                }
            }
            _ => None,
        };
        let public_url = &state.config.public_url;
        let txn = crate::db::begin_write(&state.db).await.map_err(JobError::from)?;
        let name = posting.name.clone().unwrap_or_else(|| posting_id.clone());
        let project =
            projects::ensure_project(&txn, event.organization_id, connection.id, &posting_id, &name).await?;
        let candidate = projects::ensure_candidate(&txn, &project, &opp).await?;
        for person in &people {
            projects::grant_access(&txn, public_url, &project, person).await?;
        }
        let detail = match &decision {
            Some(decision) => {
                let input = start::StartCheck {
                    project: &project,
                    candidate: &candidate,
                    decision,
                    triggered_by: mover,
                    delivery_id: Some(event.delivery_id),
                };
                match start::start(&txn, public_url, input).await? {
                    Some(check) => format!("check {} started ({:?})", check.id, check.status),
                    None => "this delivery already started its check".to_owned(),
                }
            }
            None if event.kind == LeverEventKind::CandidateStageChange => {
                "the stage starts no check; the candidate is in the project".to_owned()
            }
            None => "the candidate was added to the project".to_owned(),
        };
        txn.commit().await.map_err(JobError::from)?;
        state.jobs.wake();
        Ok(Some(detail))
    }
}

/// What a candidate event needs of the posting: its name (for a new
/// project), its owner (a project member) and its tags (only `Vouch
/// Template:` ones matter; empty when the opportunity shows none).
struct PostingFacts {
    name: Option<String>,
    owner: Option<String>,
    tags: Vec<String>,
}

/// The posting the opportunity applied to (its first application with one).
fn posting_of(opp: &Opportunity) -> Option<String> {
    opp.applications.iter().find_map(|a| match a {
        crate::lever::models::ApplicationRef::Expanded(app) => app.posting.clone(),
        crate::lever::models::ApplicationRef::Id(_) => None,
    })
}
