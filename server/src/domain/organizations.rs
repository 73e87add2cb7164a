//! Companies.
use chrono::Utc;
use entity::{organization, Language};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{self, Subject};
use super::{templates, validate, DomainError, DomainResult};

pub async fn find<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<organization::Model> {
    organization::Entity::find_by_id(id).one(db).await?.ok_or_else(|| DomainError::not_found("organization"))
}

/// Finds the organization with exactly this name, or creates it together
/// with its ready-made templates (in one transaction: a company never
/// exists without them).
pub async fn find_or_create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    raw_name: &str,
) -> DomainResult<organization::Model> {
    let name = validate::name("org", raw_name)?;
    let existing = organization::Entity::find().filter(organization::Column::Name.eq(&name)).all(db).await?;
    match existing.len() {
        0 => {
            let txn = crate::db::begin_write(db).await?;
            let org = organization::ActiveModel {
                id: Set(Uuid::new_v4()),
                name: Set(name),
                default_language: Set(Language::En),
                created_at: Set(Utc::now()),
            }
            .insert(&txn)
            .await?;
            templates::seed_defaults(&txn, org.id).await?;
            txn.commit().await?;
            Ok(org)
        }
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

/// Changes the language every template must have. Refused while an active
/// template lacks a questionnaire in it (the message names them), so the
/// rule "every template speaks the default language" always holds.
pub async fn set_default_language<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    id: Uuid,
    actor: Option<Uuid>,
    language: Language,
) -> DomainResult<organization::Model> {
    let txn = crate::db::begin_write(db).await?;
    let org = find(&txn, id).await?;
    if org.default_language == language {
        return Ok(org);
    }
    let lacking = templates::names_lacking(&txn, id, language).await?;
    if !lacking.is_empty() {
        return Err(DomainError::conflict(
            "language",
            format!(
                "these templates have steps without a {} questionnaire: {}; add them (or archive those templates) first",
                language.english_name(),
                lacking.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let before = org.default_language;
    let mut row: organization::ActiveModel = org.into();
    row.default_language = Set(language);
    let org = row.update(&txn).await?;
    let changes = json!({ "defaultLanguage": { "from": before, "to": language } });
    audit::record(
        &txn,
        id,
        actor,
        "organization.default_language_changed",
        Subject { kind: "organization", id },
        changes,
    )
    .await?;
    txn.commit().await?;
    Ok(org)
}
