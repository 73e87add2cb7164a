//! One candidate for the admin app's candidate page (`/candidates/{id}`,
//! linked from Lever notes): their details and all their checks. Visible
//! exactly where their checks are (see [`crate::domain::candidates`]).
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::Role as DbRole;
use uuid::Uuid;

use super::checks::CheckObject;
use super::{require_user, state, GqlResult, IntoGql};
use crate::auth::RoleGuard;
use crate::domain::candidates::{self, CandidateView};

/// A phone number as Lever has it.
#[derive(SimpleObject)]
pub struct CandidatePhone {
    /// `mobile`, `home`, `work`... when Lever says.
    #[graphql(name = "type")]
    pub kind: Option<String>,
    pub value: String,
}

/// A candidate: one Lever opportunity in a project.
pub struct CandidateObject(CandidateView);

#[Object]
impl CandidateObject {
    async fn id(&self) -> Uuid {
        self.0.candidate.id
    }
    /// `(deleted)` once purged.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Empty once purged.
    async fn emails(&self) -> &[String] {
        &self.0.emails
    }
    /// Empty once purged.
    async fn phones(&self) -> Vec<CandidatePhone> {
        self.0
            .phones
            .iter()
            .map(|p| CandidatePhone { kind: p.kind.clone(), value: p.value.clone() })
            .collect()
    }
    async fn project_id(&self) -> Uuid {
        self.0.candidate.project_id
    }
    /// The project's name (the Lever posting's title).
    async fn project_name(&self) -> String {
        self.0.project.as_ref().map(|p| p.name.clone()).unwrap_or_default()
    }
    async fn lever_opportunity_id(&self) -> &str {
        &self.0.candidate.lever_opportunity_id
    }
    /// When Lever deleted the candidate and Vouch purged their personal data.
    async fn purged_at(&self) -> Option<DateTime<Utc>> {
        self.0.candidate.purged_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.candidate.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.candidate.updated_at
    }
    /// Every check run on the candidate, newest first.
    async fn checks(&self, ctx: &Context<'_>) -> GqlResult<Vec<CheckObject>> {
        let list = candidates::checks(&state(ctx).db, &self.0.candidate).await.gql()?;
        Ok(list.into_iter().map(CheckObject).collect())
    }
}

#[derive(Default)]
pub struct CandidatesQuery;

#[Object]
impl CandidatesQuery {
    /// One candidate the caller may see (the same rules as `check(id)`).
    #[graphql(guard = "RoleGuard::new(DbRole::LimitedTeamMember)")]
    async fn candidate(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<CandidateObject> {
        let me = require_user(ctx)?;
        candidates::find(&state(ctx).db, me, id).await.map(CandidateObject).gql()
    }
}
