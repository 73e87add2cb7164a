//! Invitations over GraphQL: the page behind an invitation link
//! (`/invitation/{token}`) reads it and accepts it. No sign-in: the token
//! authorises; accepting answers a session like `login`.
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::session::LoginPayload;
use super::{state, GqlResult, IntoGql};
use crate::domain::invitations;

/// What an invitation link offers, before it is accepted.
#[derive(SimpleObject)]
pub struct Invitation {
    /// The address the account is for (it signs in with it).
    pub email: String,
    /// The name Lever had for the person; they may change it.
    pub name: String,
    pub organization_name: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct InvitationsQuery;

#[Object]
impl InvitationsQuery {
    /// The invitation behind a link. Token only. Unknown: NOT_FOUND;
    /// expired: EXPIRED; already used: CONFLICT.
    async fn invitation(&self, ctx: &Context<'_>, token: String) -> GqlResult<Invitation> {
        let v = invitations::view(&state(ctx).db, &token).await.gql()?;
        Ok(Invitation {
            email: v.email,
            name: v.name,
            organization_name: v.organization_name,
            expires_at: v.expires_at,
        })
    }
}

#[derive(Default)]
pub struct InvitationsMutation;

#[Object]
impl InvitationsMutation {
    /// Accepts an invitation: sets the invited person's name and password
    /// (at least 10 characters) and signs them in. Single use. Unknown
    /// token: NOT_FOUND; expired: EXPIRED; already used, or the address
    /// already has an account: CONFLICT; a bad name or password:
    /// BAD_USER_INPUT naming the field.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        token: String,
        name: String,
        password: String,
    ) -> GqlResult<LoginPayload> {
        let app = state(ctx);
        let user = invitations::accept(&app.db, &token, &name, &password).await.gql()?;
        let (token, expires_at) = app.jwt.issue(user.id, user.organization_id, user.role);
        Ok(LoginPayload { token, expires_at, user: user.into() })
    }
}
