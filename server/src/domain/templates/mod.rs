//! Templates: named sequences of steps (self-assessment or reference check),
//! each with questionnaires per language.
//!
//! Every write validates first ([`input`]), then runs in one transaction with
//! its audit event. Names are unique per organization ignoring case, because
//! each template becomes a `Vouch Template: <name>` tag in Lever. A template
//! in use can be archived but not deleted: [`delete_blockers`] says why.
mod defaults;
pub mod input;
mod store;

use std::collections::HashSet;

use chrono::Utc;
use entity::{rule, template, Language};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

pub use defaults::seed_defaults;
pub use input::{QuestionnaireInput, RelationshipKind, StepInput};
pub use store::{find, list, FullStep, FullTemplate};

use super::audit::{self, Subject};
use super::{organizations, DomainError, DomainResult};

/// A new template.
pub struct NewTemplate {
    pub name: String,
    pub steps: Vec<StepInput>,
}

/// Changes to a template; `None` leaves a part as it is. Steps, when given,
/// replace the list: steps sent with their id are kept (with their rule
/// mappings), others are added, and steps left out are removed.
pub struct TemplateChanges {
    pub name: Option<String>,
    pub steps: Option<Vec<StepInput>>,
}

/// Creates a template.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    organization_id: Uuid,
    actor: Option<Uuid>,
    new: NewTemplate,
) -> DomainResult<FullTemplate> {
    let name = input::name(&new.name)?;
    let org = organizations::find(db, organization_id).await?;
    let steps = input::steps(new.steps, org.default_language, &HashSet::new())?;
    let txn = crate::db::begin_write(db).await?;
    ensure_name_free(&txn, organization_id, &name, None).await?;
    let id = store::insert_template(&txn, organization_id, &name).await?;
    store::replace_steps(&txn, id, steps).await?;
    let full = find(&txn, organization_id, id).await?;
    audit::record(&txn, organization_id, actor, "template.created", subject(id), full.snapshot()).await?;
    txn.commit().await?;
    Ok(full)
}

/// Renames a template and/or replaces its steps.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    organization_id: Uuid,
    actor: Option<Uuid>,
    id: Uuid,
    changes: TemplateChanges,
) -> DomainResult<FullTemplate> {
    let name = changes.name.as_deref().map(input::name).transpose()?;
    let before = find(db, organization_id, id).await?;
    let steps = match changes.steps {
        Some(raw) => {
            let org = organizations::find(db, organization_id).await?;
            let existing: HashSet<Uuid> = before.steps.iter().map(|s| s.step.id).collect();
            Some(input::steps(raw, org.default_language, &existing)?)
        }
        None => None,
    };
    let txn = crate::db::begin_write(db).await?;
    if let Some(name) = &name {
        ensure_name_free(&txn, organization_id, name, Some(id)).await?;
    }
    let mut row: template::ActiveModel = before.template.clone().into();
    if let Some(name) = name {
        row.name_key = Set(input::name_key(&name));
        row.name = Set(name);
    }
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    if let Some(steps) = steps {
        store::replace_steps(&txn, id, steps).await?;
    }
    let after = find(&txn, organization_id, id).await?;
    let changes = audit::diff(&before.snapshot(), &after.snapshot());
    audit::record(&txn, organization_id, actor, "template.updated", subject(id), changes).await?;
    txn.commit().await?;
    Ok(after)
}

/// Archives (`true`) or restores (`false`) a template. Rules that use an
/// archived template keep working; it is offered for nothing new.
pub async fn set_archived<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    organization_id: Uuid,
    actor: Option<Uuid>,
    id: Uuid,
    archived: bool,
) -> DomainResult<FullTemplate> {
    let txn = crate::db::begin_write(db).await?;
    let before = find(&txn, organization_id, id).await?;
    if before.template.archived_at.is_some() != archived {
        let mut row: template::ActiveModel = before.template.into();
        let now = Utc::now();
        row.archived_at = Set(archived.then_some(now));
        row.updated_at = Set(now);
        row.update(&txn).await?;
        let action = if archived { "template.archived" } else { "template.unarchived" };
        audit::record(&txn, organization_id, actor, action, subject(id), json!({ "archived": archived }))
            .await?;
    }
    let after = find(&txn, organization_id, id).await?;
    txn.commit().await?;
    Ok(after)
}

/// Deletes a template nothing uses; otherwise CONFLICT naming what uses it.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    organization_id: Uuid,
    actor: Option<Uuid>,
    id: Uuid,
) -> DomainResult<()> {
    let txn = crate::db::begin_write(db).await?;
    let full = find(&txn, organization_id, id).await?;
    let blockers = delete_blockers(&txn, organization_id, id).await?;
    if !blockers.is_empty() {
        return Err(DomainError::conflict(
            "id",
            format!(
                "the template {:?} is used by {}; archive it instead, or change those first",
                full.template.name,
                blockers.join(", ")
            ),
        ));
    }
    let snapshot = full.snapshot();
    template::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(&txn, organization_id, actor, "template.deleted", subject(id), snapshot).await?;
    txn.commit().await?;
    Ok(())
}

/// What stops a template from being deleted, in words (e.g. `rule "Sales"`).
/// Today: the rules that use it. The checks module (issue 7) adds open
/// checks here.
pub async fn delete_blockers<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    template_id: Uuid,
) -> DomainResult<Vec<String>> {
    let mut blockers: Vec<String> = rules_using(db, organization_id, template_id)
        .await?
        .into_iter()
        .map(|r| format!("rule {:?}", r.name))
        .collect();
    let open_checks = entity::check::Entity::find()
        .filter(entity::check::Column::OrganizationId.eq(organization_id))
        .filter(entity::check::Column::TemplateId.eq(template_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|c| crate::domain::checks::status::is_open(c.status))
        .count();
    if open_checks > 0 {
        blockers.push(format!("{open_checks} open check{}", if open_checks == 1 { "" } else { "s" }));
    }
    Ok(blockers)
}

/// The organization's rules that use a template, in list order.
pub async fn rules_using<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    template_id: Uuid,
) -> DomainResult<Vec<rule::Model>> {
    Ok(rule::Entity::find()
        .filter(rule::Column::OrganizationId.eq(organization_id))
        .filter(rule::Column::TemplateId.eq(template_id))
        .order_by_asc(rule::Column::Position)
        .all(db)
        .await?)
}

/// Active (not archived) templates that lack a questionnaire in `language`
/// in some step, by name.
pub async fn names_lacking<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    language: Language,
) -> DomainResult<Vec<String>> {
    Ok(list(db, organization_id, false)
        .await?
        .into_iter()
        .filter(|t| t.steps.iter().any(|s| !s.languages().contains(&language)))
        .map(|t| t.template.name)
        .collect())
}

async fn ensure_name_free<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    name: &str,
    except: Option<Uuid>,
) -> DomainResult<()> {
    let clash = template::Entity::find()
        .filter(template::Column::OrganizationId.eq(organization_id))
        .filter(template::Column::NameKey.eq(input::name_key(name)))
        .one(db)
        .await?;
    match clash {
        Some(other) if Some(other.id) != except => Err(DomainError::conflict(
            "name",
            format!("a template named {:?} already exists; choose another name", other.name),
        )),
        _ => Ok(()),
    }
}

fn subject(id: Uuid) -> Subject<'static> {
    Subject { kind: "template", id }
}
