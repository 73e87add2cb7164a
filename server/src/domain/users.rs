//! People who sign in. E-mail addresses are unique across the deployment
//! (one sign-in per address), everything else is scoped to an organization.
use chrono::Utc;
use entity::{user, Role};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::{validate, DomainError, DomainResult};
use crate::auth::{password, rank};

/// What is needed to add a user.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: Option<&'a str>,
    pub role: Role,
    pub password: &'a str,
}

/// Validates, hashes the password and inserts. The e-mail must be free.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    new: NewUser<'_>,
) -> DomainResult<user::Model> {
    let email = validate::email("email", new.email)?;
    let name = match new.name {
        Some(name) => validate::name("name", name)?,
        None => email.split('@').next().unwrap_or_default().to_owned(),
    };
    validate::new_password("password", new.password)?;
    if find_by_email(db, &email).await?.is_some() {
        return Err(DomainError::conflict(
            "email",
            format!("a user with the e-mail address {email} already exists"),
        ));
    }
    let password_hash = password::hash(new.password).await?;
    let now = Utc::now();
    Ok(user::ActiveModel {
        id: Set(Uuid::new_v4()),
        organization_id: Set(organization_id),
        email: Set(email),
        name: Set(name),
        password_hash: Set(password_hash),
        role: Set(new.role),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// Any organization's user with this (normalised) address; for sign-in only.
pub async fn find_by_email<C: ConnectionTrait>(db: &C, email: &str) -> DomainResult<Option<user::Model>> {
    Ok(user::Entity::find().filter(user::Column::Email.eq(email)).one(db).await?)
}

/// A user by id, in any organization: only for resolving a verified session.
pub async fn find_by_id_unscoped<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<user::Model>> {
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

/// A user of this organization.
pub async fn find<C: ConnectionTrait>(db: &C, organization_id: Uuid, id: Uuid) -> DomainResult<user::Model> {
    user::Entity::find_by_id(id)
        .filter(user::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("user"))
}

/// Every user of this organization, by e-mail.
pub async fn list<C: ConnectionTrait>(db: &C, organization_id: Uuid) -> DomainResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::OrganizationId.eq(organization_id))
        .order_by_asc(user::Column::Email)
        .all(db)
        .await?)
}

/// Changes a colleague's role. Nobody grants more than they hold, changes
/// someone above them, or changes their own role (so an organization cannot
/// lose its last super admin by accident).
pub async fn set_role<C: ConnectionTrait>(
    db: &C,
    actor: &user::Model,
    target_id: Uuid,
    role: Role,
) -> DomainResult<user::Model> {
    let target = find(db, actor.organization_id, target_id).await?;
    if target.id == actor.id {
        return Err(DomainError::Forbidden("you cannot change your own role; ask another admin".into()));
    }
    if rank(role) > rank(actor.role) || rank(target.role) > rank(actor.role) {
        return Err(DomainError::Forbidden(
            "only a super admin can grant or change the super admin role".into(),
        ));
    }
    let mut active: user::ActiveModel = target.into();
    active.role = Set(role);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}
