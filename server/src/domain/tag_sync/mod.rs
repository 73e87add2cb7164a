//! Template-tag sync: makes Lever's tag list match Vouch's templates, so
//! recruiters can pick `Vouch Template: <name>` on a posting (DESIGN.md,
//! issue 6 item 5).
//!
//! # What Lever lets us do, and the calls chosen
//!
//! Lever has no call that creates a tag on its own: a tag is in Lever's tag
//! list (`GET /tags`, and the tag picker of a posting's settings) exactly
//! while something carries it. Postings are read-only through the API
//! (there is no posting write endpoint), but opportunities can carry tags
//! (`addTags` / `removeTags`). So each connection gets one **carrier
//! opportunity**:
//!
//! - created once by Vouch with `POST /opportunities` (named "Vouch template
//!   tags — do not delete", no posting so it sits in no pipeline and fires
//!   no `applicationCreated`, in the connection's default export stage when
//!   one is set), performed as the connection's fallback user;
//! - its Lever id is stored on the connection
//!   (`lever_connections.tag_carrier_opportunity_id`) the moment Lever
//!   answers, and every later sync reads it back with
//!   `GET /opportunities/:id`. A carrier deleted in Lever (404) is replaced.
//!   Creating is not idempotent in Lever: if the process dies between
//!   Lever's answer and the commit of the id, one orphan carrier is left
//!   (harmless, and named so that an admin can delete it);
//! - it carries one `Vouch Template: <name>` tag per active template
//!   (`addTags`, one tag per call so progress is meaningful and a retry
//!   resumes where the last run stopped), and loses every other
//!   `Vouch Template: …` tag (`removeTags`): a renamed template's old name, an
//!   archived or deleted template's name.
//!
//! What the carrier cannot do: a stale tag carried by a **posting** stays in
//! Lever's list, and Vouch cannot edit postings through the API. The sync
//! reads the postings again (`GET /postings`: nothing announces posting
//! changes) and reports each posting that still carries a stale template
//! tag, by name, so the admin removes (or replaces) it in Lever. It also
//! reports stale template tags still in Lever's list (`GET /tags`), e.g.
//! added by hand to candidates.
//!
//! # As a job
//!
//! [`start`] enqueues kind [`JOB_KIND`] (one idempotency key per request;
//! syncs of one connection never overlap through the concurrency key). Every
//! step converges: it compares Lever's current state with the wanted one and
//! writes only the difference, so a run that crashed or failed midway is
//! simply run again, and a second run writes nothing. Progress is reported
//! step by step; the [`TagSyncReport`] is stored as the job's result.
mod run;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::connections::store;
use super::DomainResult;
use crate::jobs::{self, NewJob};
use crate::AppState;

pub use run::SyncTemplateTags;

/// The job kind.
pub const JOB_KIND: &str = "lever.sync_template_tags";

/// The name of the carrier opportunity Vouch creates in Lever.
pub const CARRIER_NAME: &str = "Vouch template tags (do not delete)";

/// The job's payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payload {
    pub organization_id: Uuid,
    pub connection_id: Uuid,
}

/// What a sync did and what is left to the admin (the job's result).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TagSyncReport {
    /// The carrier opportunity's Lever id.
    pub carrier_opportunity_id: String,
    /// The template tags Lever should list (one per active template).
    pub tags: Vec<String>,
    /// Tags this run added to the carrier.
    pub added: Vec<String>,
    /// Stale tags this run removed from the carrier.
    pub removed: Vec<String>,
    /// Postings still carrying a stale template tag: Vouch cannot edit
    /// postings, so the admin removes the tag in Lever.
    pub affected_postings: Vec<AffectedPosting>,
    /// Stale template tags still in Lever's tag list, and how many things
    /// carry each.
    pub leftover_tags: Vec<LeftoverTag>,
}

/// A posting that carries stale template tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AffectedPosting {
    pub posting_id: String,
    pub name: String,
    pub stale_tags: Vec<String>,
}

/// A stale template tag Lever still lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeftoverTag {
    pub text: String,
    pub count: Option<i64>,
}

/// Enqueues a sync of the organization's template tags to `connection_id`
/// and answers the job's id. Another organization's connection is NOT_FOUND.
pub async fn start(state: &AppState, organization_id: Uuid, connection_id: Uuid) -> DomainResult<Uuid> {
    let connection = store::find(&state.db, organization_id, connection_id).await?;
    // Refuse at once what the job could not do (revoked, disconnected).
    super::connections::clients::client_for(state, &connection).await?;
    let payload = Payload { organization_id, connection_id };
    let job = NewJob {
        organization_id: Some(organization_id),
        connection_id: Some(connection_id),
        concurrency_key: Some(format!("{JOB_KIND}:{connection_id}")),
        ..NewJob::new(
            JOB_KIND,
            format!("{JOB_KIND}:{connection_id}:{}", Uuid::new_v4()),
            serde_json::to_value(&payload).map_err(|e| super::DomainError::internal(e.to_string()))?,
        )
    };
    let id = jobs::enqueue(&state.db, job).await?;
    state.jobs.wake();
    Ok(id)
}

/// Registers the sync's handler.
pub fn register_jobs(registry: &mut jobs::Registry, state: &AppState) {
    registry.register(JOB_KIND, std::sync::Arc::new(SyncTemplateTags::new(state.clone())));
}
