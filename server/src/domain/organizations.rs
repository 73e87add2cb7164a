//! Companies.
use chrono::Utc;
use entity::organization;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::{validate, DomainError, DomainResult};

pub async fn find<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<organization::Model> {
    organization::Entity::find_by_id(id).one(db).await?.ok_or_else(|| DomainError::not_found("organization"))
}

/// Finds the organization with exactly this name, or creates it.
pub async fn find_or_create<C: ConnectionTrait>(db: &C, raw_name: &str) -> DomainResult<organization::Model> {
    let name = validate::name("org", raw_name)?;
    let existing = organization::Entity::find().filter(organization::Column::Name.eq(&name)).all(db).await?;
    match existing.len() {
        0 => Ok(organization::ActiveModel {
            id: Set(Uuid::new_v4()),
            name: Set(name),
            created_at: Set(Utc::now()),
        }
        .insert(db)
        .await?),
        1 => Ok(existing.into_iter().next().ok_or_else(|| DomainError::internal("vanished"))?),
        _ => Err(DomainError::conflict("org", format!("several organizations are named {name:?}"))),
    }
}

pub async fn rename<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    raw_name: &str,
) -> DomainResult<organization::Model> {
    let name = validate::name("name", raw_name)?;
    let mut org: organization::ActiveModel = find(db, id).await?.into();
    org.name = Set(name);
    Ok(org.update(db).await?)
}
