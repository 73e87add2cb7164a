//! The caller's organization.
use async_graphql::{Context, Object};
use entity::Role as DbRole;

use super::types::OrganizationObject;
use super::{require_user, state, GqlResult, IntoGql};
use crate::auth::RoleGuard;
use crate::domain::organizations;

#[derive(Default)]
pub struct OrganizationQuery;

#[Object]
impl OrganizationQuery {
    /// The caller's organization.
    async fn organization(&self, ctx: &Context<'_>) -> GqlResult<OrganizationObject> {
        let me = require_user(ctx)?;
        organizations::find(&state(ctx).db, me.organization_id).await.gql().map(Into::into)
    }
}

#[derive(Default)]
pub struct OrganizationMutation;

#[Object]
impl OrganizationMutation {
    /// Renames the caller's organization. Super admins only.
    #[graphql(guard = "RoleGuard::new(DbRole::SuperAdmin)")]
    async fn rename_organization(&self, ctx: &Context<'_>, name: String) -> GqlResult<OrganizationObject> {
        let me = require_user(ctx)?;
        organizations::rename(&state(ctx).db, me.organization_id, &name).await.gql().map(Into::into)
    }
}
