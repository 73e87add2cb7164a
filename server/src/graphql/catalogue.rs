//! The Lever catalogue (postings and stages last read from Lever), the
//! audit trail, and the company's default language.
use async_graphql::{Context, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{audit_event, lever_posting, lever_stage, Role as DbRole};
use uuid::Uuid;

use super::templates::Language;
use super::types::OrganizationObject;
use super::{require_user, state, GqlResult, IntoGql};
use crate::auth::RoleGuard;
use crate::domain::{audit, catalogue, organizations};

/// A Lever posting (job), by Lever's id.
#[derive(SimpleObject)]
pub struct LeverPosting {
    /// Lever's posting id.
    pub id: String,
    pub text: String,
    pub state: Option<String>,
    pub tags: Vec<String>,
    /// Lever no longer lists it.
    pub gone: bool,
}

impl From<lever_posting::Model> for LeverPosting {
    fn from(p: lever_posting::Model) -> Self {
        Self {
            tags: catalogue::posting_tags(&p),
            id: p.lever_id,
            text: p.text,
            state: p.state,
            gone: p.gone_at.is_some(),
        }
    }
}

/// A Lever pipeline stage, by Lever's id.
#[derive(SimpleObject)]
pub struct LeverStage {
    /// Lever's stage id.
    pub id: String,
    pub text: String,
    /// Order in Lever's pipeline.
    pub position: i32,
    /// Lever no longer lists it.
    pub gone: bool,
}

impl From<lever_stage::Model> for LeverStage {
    fn from(s: lever_stage::Model) -> Self {
        Self { id: s.lever_id, text: s.text, position: s.position, gone: s.gone_at.is_some() }
    }
}

/// One entry of the audit trail.
#[derive(SimpleObject)]
pub struct AuditEvent {
    pub id: Uuid,
    /// Null when Vouch itself acted.
    pub actor_user_id: Option<Uuid>,
    /// e.g. `rule.updated`.
    pub action: String,
    /// e.g. `rule`.
    pub subject_type: String,
    pub subject_id: Uuid,
    /// For updates `{field: {from, to}}`; otherwise what was created or deleted.
    pub changes: Json<serde_json::Value>,
    pub created_at: DateTime<Utc>,
}

impl From<audit_event::Model> for AuditEvent {
    fn from(e: audit_event::Model) -> Self {
        Self {
            id: e.id,
            actor_user_id: e.actor_user_id,
            action: e.action,
            subject_type: e.subject_type,
            subject_id: e.subject_id,
            changes: Json(e.changes),
            created_at: e.created_at,
        }
    }
}

#[derive(Default)]
pub struct CatalogueQuery;

#[Object]
impl CatalogueQuery {
    /// Postings of the active Lever connection whose title contains
    /// `search` (or whose id is `search`); at most 200. Gone ones included,
    /// flagged.
    #[graphql(guard = "RoleGuard::new(DbRole::TeamMember)")]
    async fn lever_postings(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
    ) -> GqlResult<Vec<LeverPosting>> {
        let me = require_user(ctx)?;
        let list =
            catalogue::search_postings(&state(ctx).db, me.organization_id, search.as_deref()).await.gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// Stages of the active Lever connection in pipeline order.
    #[graphql(guard = "RoleGuard::new(DbRole::TeamMember)")]
    async fn lever_stages(&self, ctx: &Context<'_>) -> GqlResult<Vec<LeverStage>> {
        let me = require_user(ctx)?;
        let list = catalogue::org_stages(&state(ctx).db, me.organization_id).await.gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// The audit trail, newest first; about one subject when given.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        subject_id: Option<Uuid>,
        #[graphql(default = 50)] first: i32,
    ) -> GqlResult<Vec<AuditEvent>> {
        let me = require_user(ctx)?;
        let first = u64::try_from(first.max(1)).unwrap_or(1);
        let list = audit::list(&state(ctx).db, me.organization_id, subject_id, first).await.gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }
}

#[derive(Default)]
pub struct CatalogueMutation;

#[Object]
impl CatalogueMutation {
    /// Sets the language every template must have. Refused (CONFLICT, naming
    /// them) while an active template lacks it.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn set_default_language(
        &self,
        ctx: &Context<'_>,
        language: Language,
    ) -> GqlResult<OrganizationObject> {
        let me = require_user(ctx)?;
        organizations::set_default_language(&state(ctx).db, me.organization_id, Some(me.id), language.into())
            .await
            .gql()
            .map(Into::into)
    }
}
