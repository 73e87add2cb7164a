//! Output types shared by several areas.
use async_graphql::{ComplexObject, Context, Enum, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{organization, user};
use uuid::Uuid;

use super::{state, GqlResult, IntoGql};
use crate::domain::organizations;

/// What a user may do, from most to least powerful.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::Role")]
pub enum Role {
    /// Everything, including connecting Lever and managing admins.
    SuperAdmin,
    /// Rules, templates and users; not the Lever connection.
    Admin,
    /// The projects and checks they were invited to, and more.
    TeamMember,
    /// Only the projects and checks they were invited to.
    LimitedTeamMember,
}

/// A company using Vouch.
#[derive(SimpleObject)]
#[graphql(name = "Organization")]
pub struct OrganizationObject {
    pub id: Uuid,
    pub name: String,
    /// Every template needs questionnaires in this language.
    pub default_language: super::templates::Language,
    pub created_at: DateTime<Utc>,
}

impl From<organization::Model> for OrganizationObject {
    fn from(m: organization::Model) -> Self {
        Self { id: m.id, name: m.name, default_language: m.default_language.into(), created_at: m.created_at }
    }
}

/// A person who signs in to Vouch.
#[derive(SimpleObject)]
#[graphql(name = "User", complex)]
pub struct UserObject {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    #[graphql(skip)]
    pub organization_id: Uuid,
}

#[ComplexObject]
impl UserObject {
    /// The organization the user belongs to.
    async fn organization(&self, ctx: &Context<'_>) -> GqlResult<OrganizationObject> {
        organizations::find(&state(ctx).db, self.organization_id).await.gql().map(Into::into)
    }
}

impl From<user::Model> for UserObject {
    fn from(m: user::Model) -> Self {
        Self {
            id: m.id,
            email: m.email,
            name: m.name,
            role: m.role.into(),
            created_at: m.created_at,
            organization_id: m.organization_id,
        }
    }
}
