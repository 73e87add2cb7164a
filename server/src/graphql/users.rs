//! The organization's users.
use async_graphql::{Context, InputObject, Object};
use entity::Role as DbRole;
use uuid::Uuid;

use super::types::{Role, UserObject};
use super::{require_user, state, GqlResult, IntoGql};
use crate::auth::RoleGuard;
use crate::domain::users::{self, NewUser};
use crate::domain::DomainError;

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// At least 10 characters.
    pub password: String,
}

#[derive(Default)]
pub struct UsersQuery;

#[Object]
impl UsersQuery {
    /// Every user of the caller's organization.
    #[graphql(guard = "RoleGuard::new(DbRole::TeamMember)")]
    async fn users(&self, ctx: &Context<'_>) -> GqlResult<Vec<UserObject>> {
        let me = require_user(ctx)?;
        let list = users::list(&state(ctx).db, me.organization_id).await.gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// One user of the caller's organization; null when there is none.
    #[graphql(guard = "RoleGuard::new(DbRole::TeamMember)")]
    async fn user(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<Option<UserObject>> {
        let me = require_user(ctx)?;
        match users::find(&state(ctx).db, me.organization_id, id).await {
            Ok(user) => Ok(Some(user.into())),
            Err(DomainError::NotFound { .. }) => Ok(None),
            Err(other) => Err(other).gql(),
        }
    }
}

#[derive(Default)]
pub struct UsersMutation;

#[Object]
impl UsersMutation {
    /// Adds a user to the caller's organization. Admins and up; nobody
    /// creates a user more powerful than themselves.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> GqlResult<UserObject> {
        let me = require_user(ctx)?;
        let role: DbRole = input.role.into();
        if crate::auth::rank(role) > crate::auth::rank(me.role) {
            return Err(DomainError::Forbidden("only a super admin can create a super admin".into())).gql();
        }
        let new = NewUser { email: &input.email, name: Some(&input.name), role, password: &input.password };
        users::create(&state(ctx).db, me.organization_id, new).await.gql().map(Into::into)
    }

    /// Changes a colleague's role.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn set_user_role(&self, ctx: &Context<'_>, user_id: Uuid, role: Role) -> GqlResult<UserObject> {
        let me = require_user(ctx)?;
        users::set_role(&state(ctx).db, me, user_id, role.into()).await.gql().map(Into::into)
    }
}
