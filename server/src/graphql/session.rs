//! Signing in, and who am I.
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::types::UserObject;
use super::{require_user, state, GqlResult, IntoGql};
use crate::auth;

/// A session: send `token` as `Authorization: Bearer <token>`.
#[derive(SimpleObject)]
pub struct LoginPayload {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserObject,
}

#[derive(Default)]
pub struct SessionQuery;

#[Object]
impl SessionQuery {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> GqlResult<UserObject> {
        Ok(require_user(ctx)?.0.clone().into())
    }
}

#[derive(Default)]
pub struct SessionMutation;

#[Object]
impl SessionMutation {
    /// Signs in. A wrong e-mail and a wrong password get the same error;
    /// repeated failures for one address are locked out for a while.
    async fn login(&self, ctx: &Context<'_>, email: String, password: String) -> GqlResult<LoginPayload> {
        let app = state(ctx);
        let outcome = auth::login(&app.db, &app.jwt, &email, &password).await.gql()?;
        Ok(LoginPayload { token: outcome.token, expires_at: outcome.expires_at, user: outcome.user.into() })
    }
}
