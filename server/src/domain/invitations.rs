//! Accepting an invitation. When a Lever user unknown to Vouch gets access
//! to a project, [`super::projects`] creates them as a TEAM_MEMBER with no
//! usable password (project access already granted) and e-mails a
//! single-use link whose token is stored only as its SHA-256. Accepting sets
//! the person's name and password, marks the invitation used and answers
//! the user, whom the caller signs in.
//!
//! The token is checked before anything else (unknown: NOT_FOUND, expired:
//! EXPIRED, used: CONFLICT), then the name and password (BAD_USER_INPUT
//! naming the field; the invitation stays usable). Marking the invitation
//! used and setting the password happen in one write transaction, each
//! guarded by its "not yet" condition, so two concurrent acceptances cannot
//! both win.
use chrono::Utc;
use entity::{invitation, organization, user};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionSession, TransactionTrait};
use serde_json::json;

use super::audit::{self, Subject};
use super::checks::tokens;
use super::projects::NO_PASSWORD;
use super::{validate, DomainError, DomainResult};
use crate::auth::password;

/// Longest token text looked up (a real one is 43 characters).
const MAX_TOKEN_LEN: usize = 128;

/// What the invitation page shows before the person accepts.
#[derive(Debug, Clone)]
pub struct InvitationView {
    pub email: String,
    /// The name Lever had for the person (a suggestion).
    pub name: String,
    pub organization_name: String,
    pub expires_at: chrono::DateTime<Utc>,
}

/// The open invitation behind `token` and its user.
async fn open<C: ConnectionTrait>(db: &C, token: &str) -> DomainResult<(invitation::Model, user::Model)> {
    let token = token.trim();
    if token.is_empty() || token.len() > MAX_TOKEN_LEN {
        return Err(DomainError::not_found("invitation"));
    }
    let row = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(tokens::hash(token)))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("invitation"))?;
    if row.used_at.is_some() {
        return Err(used());
    }
    if row.expires_at <= Utc::now() {
        return Err(DomainError::Expired(format!(
            "this invitation expired on {}; ask an admin of your company in Vouch to invite you again",
            row.expires_at.format("%Y-%m-%d")
        )));
    }
    let user = user::Entity::find_by_id(row.user_id)
        .filter(user::Column::OrganizationId.eq(row.organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("invitation"))?;
    if user.password_hash != NO_PASSWORD {
        return Err(DomainError::conflict(
            "email",
            format!("{} already has a Vouch account; sign in with it instead", user.email),
        ));
    }
    Ok((row, user))
}

fn used() -> DomainError {
    DomainError::conflict(
        "token",
        "this invitation was already used; sign in with your e-mail address and password",
    )
}

/// The invitation as its page shows it.
pub async fn view<C: ConnectionTrait>(db: &C, token: &str) -> DomainResult<InvitationView> {
    let (row, user) = open(db, token).await?;
    let organization_name = organization::Entity::find_by_id(row.organization_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    Ok(InvitationView { email: user.email, name: user.name, organization_name, expires_at: row.expires_at })
}

/// Accepts the invitation: the user gets `name` and `password` and may sign
/// in from now on. Answers the user as stored.
pub async fn accept<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    token: &str,
    name: &str,
    new_password: &str,
) -> DomainResult<user::Model> {
    let (row, user) = open(db, token).await?;
    let name = validate::name("name", name)?;
    validate::new_password("password", new_password)?;
    // Hashing is slow on purpose: never inside the write transaction.
    let hash = password::hash(new_password).await?;
    let now = Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let marked = invitation::Entity::update_many()
        .col_expr(invitation::Column::UsedAt, Expr::value(now))
        .filter(invitation::Column::Id.eq(row.id))
        .filter(invitation::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if marked.rows_affected == 0 {
        return Err(used());
    }
    let set = user::Entity::update_many()
        .col_expr(user::Column::Name, Expr::value(name.clone()))
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user.id))
        .filter(user::Column::PasswordHash.eq(NO_PASSWORD))
        .exec(&txn)
        .await?;
    if set.rows_affected == 0 {
        return Err(used());
    }
    audit::record(
        &txn,
        row.organization_id,
        Some(user.id),
        "user.invitation_accepted",
        Subject { kind: "user", id: user.id },
        json!({ "email": user.email, "name": name }),
    )
    .await?;
    let user = user::Entity::find_by_id(user.id)
        .one(&txn)
        .await?
        .ok_or_else(|| DomainError::internal("invited user vanished while accepting"))?;
    txn.commit().await?;
    tracing::info!(user_id = %user.id, "invitation accepted");
    Ok(user)
}
