//! The job queue as admins see it: what ran, what failed and why, and a
//! way to run a failed job again.
use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::job;
use entity::Role as DbRole;
use uuid::Uuid;

use super::{require_user, state, GqlResult, IntoGql};
use crate::auth::RoleGuard;
use crate::domain::tag_sync;
use crate::jobs::{self, JobFilter};

/// Where a job is in its life.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::job::JobStatus")]
pub enum JobStatus {
    /// Waiting to run (possibly until `runAfter`, after a failed attempt).
    Queued,
    Running,
    Done,
    /// Gave up: `lastError` says why. `retryJob` runs it again.
    Failed,
    /// Waiting for something outside, e.g. the Lever connection to be
    /// reconnected; resumes by itself then.
    Paused,
}

/// A unit of background work (a webhook to process, a sync...).
#[derive(SimpleObject)]
#[graphql(name = "Job")]
pub struct JobObject {
    pub id: Uuid,
    pub kind: String,
    pub status: JobStatus,
    pub connection_id: Option<Uuid>,
    /// Attempts made so far.
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: Option<String>,
    /// Steps done, for long jobs that report progress.
    pub progress_done: Option<i64>,
    pub progress_total: Option<i64>,
    /// Not run before this time.
    pub run_after: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// What a template-tag sync (`lever.sync_template_tags`) did and what
    /// is left to the admin; null for other kinds and until it is done.
    pub tag_sync: Option<TagSyncReport>,
}

/// What a template-tag sync did in Lever, and what the admin must finish.
#[derive(SimpleObject)]
pub struct TagSyncReport {
    /// The Lever opportunity that carries the template tags.
    pub carrier_opportunity_id: String,
    /// The tags Lever should list: one per active template.
    pub tags: Vec<String>,
    /// Tags added in this run.
    pub added: Vec<String>,
    /// Stale tags (renamed or archived templates) removed in this run.
    pub removed: Vec<String>,
    /// Postings still carrying a stale template tag. Vouch cannot edit
    /// postings through Lever's API: remove the tag in each posting's
    /// settings in Lever.
    pub affected_postings: Vec<TagSyncPosting>,
    /// Stale template tags Lever still lists, with how many things carry
    /// each.
    pub leftover_tags: Vec<TagSyncLeftover>,
}

/// A posting carrying stale template tags.
#[derive(SimpleObject)]
pub struct TagSyncPosting {
    pub posting_id: String,
    pub name: String,
    pub stale_tags: Vec<String>,
}

/// A stale template tag still in Lever's tag list.
#[derive(SimpleObject)]
pub struct TagSyncLeftover {
    pub text: String,
    pub count: Option<i64>,
}

impl From<tag_sync::TagSyncReport> for TagSyncReport {
    fn from(r: tag_sync::TagSyncReport) -> Self {
        Self {
            carrier_opportunity_id: r.carrier_opportunity_id,
            tags: r.tags,
            added: r.added,
            removed: r.removed,
            affected_postings: r
                .affected_postings
                .into_iter()
                .map(|p| TagSyncPosting { posting_id: p.posting_id, name: p.name, stale_tags: p.stale_tags })
                .collect(),
            leftover_tags: r
                .leftover_tags
                .into_iter()
                .map(|t| TagSyncLeftover { text: t.text, count: t.count })
                .collect(),
        }
    }
}

impl From<job::Model> for JobObject {
    fn from(m: job::Model) -> Self {
        let tag_sync = (m.kind == tag_sync::JOB_KIND)
            .then_some(m.result.as_ref())
            .flatten()
            .and_then(|r| serde_json::from_value::<tag_sync::TagSyncReport>(r.clone()).ok())
            .map(Into::into);
        Self {
            tag_sync,
            id: m.id,
            kind: m.kind,
            status: m.status.into(),
            connection_id: m.connection_id,
            attempts: m.attempts,
            max_attempts: m.max_attempts,
            last_error: m.last_error,
            progress_done: m.progress_done,
            progress_total: m.progress_total,
            run_after: m.run_after,
            created_at: m.created_at,
            updated_at: m.updated_at,
            finished_at: m.finished_at,
        }
    }
}

#[derive(Default)]
pub struct JobsQuery;

#[Object]
impl JobsQuery {
    /// The organization's jobs, newest first (at most `first`, default 50,
    /// up to 500).
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn jobs(
        &self,
        ctx: &Context<'_>,
        status: Option<JobStatus>,
        connection_id: Option<Uuid>,
        #[graphql(default = 50)] first: u32,
    ) -> GqlResult<Vec<JobObject>> {
        let me = require_user(ctx)?;
        let filter =
            JobFilter { status: status.map(Into::into), connection_id, kind: None, first: u64::from(first) };
        let list = jobs::list(&state(ctx).db, me.organization_id, filter).await.gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// One job of the organization (e.g. to follow a sync's progress).
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn job(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<JobObject> {
        let me = require_user(ctx)?;
        jobs::find(&state(ctx).db, me.organization_id, id).await.gql().map(Into::into)
    }
}

#[derive(Default)]
pub struct JobsMutation;

#[Object]
impl JobsMutation {
    /// Runs a FAILED job again now, with its attempts reset.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn retry_job(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<JobObject> {
        let me = require_user(ctx)?;
        let app = state(ctx);
        let job = jobs::retry_job(&app.db, me.organization_id, id).await.gql()?;
        app.jobs.wake();
        Ok(job.into())
    }

    /// Looks in Lever now for opportunities sitting in the trigger stages of
    /// the connection's enabled rules whose stage-change webhook never came,
    /// and processes those stage changes (never one twice). Answers the job:
    /// follow it with `job(id)` (`progressDone` of `progressTotal`
    /// opportunities).
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn catch_up(&self, ctx: &Context<'_>, connection_id: Uuid) -> GqlResult<JobObject> {
        let me = require_user(ctx)?;
        let job =
            crate::webhooks::catch_up::request(state(ctx), me.organization_id, connection_id).await.gql()?;
        Ok(job.into())
    }

    /// Makes Lever's tag list match the templates (one `Vouch Template:
    /// <name>` tag per active template; stale ones removed where Vouch can)
    /// in the background. Answers the job: poll `job(id)` for progress and,
    /// when DONE, `tagSync` for what changed and which postings the admin
    /// must fix in Lever.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn sync_template_tags(&self, ctx: &Context<'_>, connection_id: Uuid) -> GqlResult<JobObject> {
        let me = require_user(ctx)?;
        let app = state(ctx);
        let id = tag_sync::start(app, me.organization_id, connection_id).await.gql()?;
        Ok(jobs::find(&app.db, me.organization_id, id).await.gql()?.into())
    }
}
