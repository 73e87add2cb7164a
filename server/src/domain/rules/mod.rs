//! Rules: which Lever postings, which template and language, and for each
//! template step the Lever stage that starts it.
//!
//! Every write validates against the catalogue of the organization's active
//! Lever connection and the other rules ([`validate`]), then runs in one
//! transaction with its audit event. Warnings about things that went stale
//! after saving (Lever dropped a stage, the template changed) are computed on
//! read by [`warnings`].
mod validate;
pub mod warnings;

use chrono::Utc;
use entity::{rule, rule_posting, rule_stage_mapping, Language};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde_json::{json, Value};
use uuid::Uuid;

pub use warnings::{warnings, Warning};

use super::audit::{self, Subject};
use super::resolution::load::rule_views;
use super::resolution::RuleView;
use super::{catalogue, DomainError, DomainResult};

/// A rule as an admin sends it (create and full update alike).
#[derive(Debug, Clone)]
pub struct RuleInput {
    pub name: String,
    pub enabled: bool,
    pub all_postings: bool,
    /// Lever posting ids; empty when `all_postings`.
    pub posting_ids: Vec<String>,
    pub template_id: Uuid,
    pub language: Language,
    /// One entry per template step.
    pub steps: Vec<StepStage>,
}

/// The Lever stage (Lever's id) that starts a template step.
#[derive(Debug, Clone)]
pub struct StepStage {
    pub step_id: Uuid,
    pub stage_id: Option<String>,
}

/// A rule with its postings and stage mappings.
#[derive(Debug, Clone)]
pub struct FullRule {
    pub rule: rule::Model,
    pub view: RuleView,
}

impl FullRule {
    fn snapshot(&self) -> Value {
        let stages: serde_json::Map<String, Value> =
            self.view.stages.iter().map(|(step, stage)| (step.to_string(), json!(stage))).collect();
        json!({
            "name": self.rule.name,
            "enabled": self.rule.enabled,
            "position": self.rule.position,
            "allPostings": self.rule.all_postings,
            "postingIds": self.view.posting_ids,
            "templateId": self.rule.template_id,
            "language": self.rule.language,
            "stages": stages,
        })
    }
}

/// The organization's rules, in list order.
pub async fn list<C: ConnectionTrait>(db: &C, organization_id: Uuid) -> DomainResult<Vec<FullRule>> {
    let rows = rule::Entity::find()
        .filter(rule::Column::OrganizationId.eq(organization_id))
        .order_by_asc(rule::Column::Position)
        .order_by_asc(rule::Column::CreatedAt)
        .all(db)
        .await?;
    let views = rule_views(db, rows.clone()).await?;
    Ok(rows.into_iter().zip(views).map(|(rule, view)| FullRule { rule, view }).collect())
}

/// One rule of the organization.
pub async fn find<C: ConnectionTrait>(db: &C, organization_id: Uuid, id: Uuid) -> DomainResult<FullRule> {
    let row = rule::Entity::find_by_id(id)
        .filter(rule::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("rule"))?;
    let view = rule_views(db, vec![row.clone()])
        .await?
        .pop()
        .ok_or_else(|| DomainError::internal("rule vanished"))?;
    Ok(FullRule { rule: row, view })
}

/// Creates a rule at the end of the list.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    organization_id: Uuid,
    actor: Option<Uuid>,
    input: RuleInput,
) -> DomainResult<FullRule> {
    let txn = crate::db::begin_write(db).await?;
    let connection = catalogue::require_connection(&txn, organization_id).await?;
    let valid = validate::rule(&txn, organization_id, connection.id, None, input).await?;
    let position = rule::Entity::find()
        .filter(rule::Column::OrganizationId.eq(organization_id))
        .order_by_desc(rule::Column::Position)
        .one(&txn)
        .await?
        .map_or(0, |r| r.position + 1);
    let now = Utc::now();
    let id = Uuid::new_v4();
    rule::ActiveModel {
        id: Set(id),
        organization_id: Set(organization_id),
        connection_id: Set(connection.id),
        name: Set(valid.name.clone()),
        enabled: Set(valid.enabled),
        position: Set(position),
        all_postings: Set(valid.all_postings),
        template_id: Set(valid.template_id),
        language: Set(valid.language),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    write_children(&txn, id, &valid).await?;
    let full = find(&txn, organization_id, id).await?;
    audit::record(&txn, organization_id, actor, "rule.created", subject(id), full.snapshot()).await?;
    txn.commit().await?;
    Ok(full)
}

/// Replaces a rule's settings (its place in the list stays).
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    organization_id: Uuid,
    actor: Option<Uuid>,
    id: Uuid,
    input: RuleInput,
) -> DomainResult<FullRule> {
    let txn = crate::db::begin_write(db).await?;
    let before = find(&txn, organization_id, id).await?;
    let connection = catalogue::require_connection(&txn, organization_id).await?;
    let valid = validate::rule(&txn, organization_id, connection.id, Some(&before), input).await?;
    let mut row: rule::ActiveModel = before.rule.clone().into();
    row.connection_id = Set(connection.id);
    row.name = Set(valid.name.clone());
    row.enabled = Set(valid.enabled);
    row.all_postings = Set(valid.all_postings);
    row.template_id = Set(valid.template_id);
    row.language = Set(valid.language);
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    rule_posting::Entity::delete_many().filter(rule_posting::Column::RuleId.eq(id)).exec(&txn).await?;
    rule_stage_mapping::Entity::delete_many()
        .filter(rule_stage_mapping::Column::RuleId.eq(id))
        .exec(&txn)
        .await?;
    write_children(&txn, id, &valid).await?;
    let after = find(&txn, organization_id, id).await?;
    let changes = audit::diff(&before.snapshot(), &after.snapshot());
    audit::record(&txn, organization_id, actor, "rule.updated", subject(id), changes).await?;
    txn.commit().await?;
    Ok(after)
}

/// Enables or disables a rule. Enabling checks overlaps like a save does.
pub async fn set_enabled<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    organization_id: Uuid,
    actor: Option<Uuid>,
    id: Uuid,
    enabled: bool,
) -> DomainResult<FullRule> {
    let txn = crate::db::begin_write(db).await?;
    let before = find(&txn, organization_id, id).await?;
    if before.rule.enabled == enabled {
        return Ok(before);
    }
    if enabled {
        validate::no_overlap(&txn, organization_id, &before).await?;
    }
    let mut row: rule::ActiveModel = before.rule.clone().into();
    row.enabled = Set(enabled);
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    let action = if enabled { "rule.enabled" } else { "rule.disabled" };
    audit::record(
        &txn,
        organization_id,
        actor,
        action,
        subject(id),
        json!({ "enabled": { "from": !enabled, "to": enabled } }),
    )
    .await?;
    let after = find(&txn, organization_id, id).await?;
    txn.commit().await?;
    Ok(after)
}

/// Puts the organization's rules in this order; `ids` must name each of
/// them exactly once.
pub async fn reorder<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    organization_id: Uuid,
    actor: Option<Uuid>,
    ids: &[Uuid],
) -> DomainResult<Vec<FullRule>> {
    let txn = crate::db::begin_write(db).await?;
    let rules = list(&txn, organization_id).await?;
    let mut wanted = ids.to_vec();
    wanted.sort();
    wanted.dedup();
    let mut have: Vec<Uuid> = rules.iter().map(|r| r.rule.id).collect();
    have.sort();
    if wanted.len() != ids.len() || wanted != have {
        return Err(DomainError::invalid(
            "ids",
            format!("list each of your {} rules exactly once, in the new order", rules.len()),
        ));
    }
    let before: Vec<Uuid> = rules.iter().map(|r| r.rule.id).collect();
    for (position, id) in ids.iter().enumerate() {
        let Some(current) = rules.iter().find(|r| r.rule.id == *id) else { continue };
        let position = i32::try_from(position).unwrap_or(i32::MAX);
        if current.rule.position != position {
            let mut row: rule::ActiveModel = current.rule.clone().into();
            row.position = Set(position);
            row.updated_at = Set(Utc::now());
            row.update(&txn).await?;
        }
    }
    if before != ids {
        audit::record(
            &txn,
            organization_id,
            actor,
            "rule.reordered",
            Subject { kind: "organization", id: organization_id },
            json!({ "order": { "from": before, "to": ids } }),
        )
        .await?;
    }
    let after = list(&txn, organization_id).await?;
    txn.commit().await?;
    Ok(after)
}

/// Deletes a rule.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    organization_id: Uuid,
    actor: Option<Uuid>,
    id: Uuid,
) -> DomainResult<()> {
    let txn = crate::db::begin_write(db).await?;
    let before = find(&txn, organization_id, id).await?;
    rule::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(&txn, organization_id, actor, "rule.deleted", subject(id), before.snapshot()).await?;
    txn.commit().await?;
    Ok(())
}

async fn write_children<C: ConnectionTrait>(
    db: &C,
    rule_id: Uuid,
    valid: &validate::ValidRule,
) -> DomainResult<()> {
    for posting in &valid.posting_ids {
        rule_posting::ActiveModel { rule_id: Set(rule_id), lever_posting_id: Set(posting.clone()) }
            .insert(db)
            .await?;
    }
    for (step_id, stage_id) in &valid.stages {
        rule_stage_mapping::ActiveModel {
            rule_id: Set(rule_id),
            step_id: Set(*step_id),
            lever_stage_id: Set(stage_id.clone()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn subject(id: Uuid) -> Subject<'static> {
    Subject { kind: "rule", id }
}
