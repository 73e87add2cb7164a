//! Reading and writing template rows: a template with its steps and their
//! questionnaires is always loaded whole (templates are small).
use std::collections::HashMap;

use chrono::Utc;
use entity::template_step::{self, StepKind};
use entity::{questionnaire, template, Language};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{json, Value};
use uuid::Uuid;

use super::input::{name_key, RelationshipKind, ValidStep};
use crate::domain::questions::{self, Question};
use crate::domain::{DomainError, DomainResult};

/// A template with its steps in order.
#[derive(Debug, Clone)]
pub struct FullTemplate {
    pub template: template::Model,
    pub steps: Vec<FullStep>,
}

/// A step with its questionnaires (in [`Language::ALL`] order).
#[derive(Debug, Clone)]
pub struct FullStep {
    pub step: template_step::Model,
    pub relationship_kinds: Vec<RelationshipKind>,
    pub questionnaires: Vec<(Language, Vec<Question>)>,
}

impl FullStep {
    /// The languages the step has a questionnaire in.
    pub fn languages(&self) -> Vec<Language> {
        self.questionnaires.iter().map(|(l, _)| *l).collect()
    }

    /// Supported languages the step has no questionnaire in.
    pub fn missing_languages(&self) -> Vec<Language> {
        let have = self.languages();
        Language::ALL.into_iter().filter(|l| !have.contains(l)).collect()
    }

    /// "step 2 (reference check)", for messages.
    pub fn describe(&self) -> String {
        let kind = match self.step.kind {
            StepKind::SelfAssessment => "self-assessment",
            StepKind::ReferenceCheck => "reference check",
        };
        format!("step {} ({kind})", self.step.position + 1)
    }
}

impl FullTemplate {
    /// What the audit trail keeps of a template: its shape, not the full
    /// question texts (which can be long).
    pub fn snapshot(&self) -> Value {
        let steps: Vec<Value> = self
            .steps
            .iter()
            .map(|s| {
                json!({
                    "id": s.step.id,
                    "kind": s.step.kind,
                    "refereesRequired": s.step.referees_required,
                    "relationshipKinds": s.relationship_kinds,
                    "questions": s.questionnaires.iter().map(|(l, q)| (l.to_value(), q.len())).collect::<HashMap<_, _>>(),
                })
            })
            .collect();
        json!({ "name": self.template.name, "archived": self.template.archived_at.is_some(), "steps": steps })
    }
}

trait LanguageCode {
    fn to_value(&self) -> String;
}

impl LanguageCode for Language {
    fn to_value(&self) -> String {
        sea_orm::ActiveEnum::to_value(self)
    }
}

/// One template of the organization.
pub async fn find<C: ConnectionTrait>(db: &C, organization_id: Uuid, id: Uuid) -> DomainResult<FullTemplate> {
    let row = template::Entity::find_by_id(id)
        .filter(template::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("template"))?;
    load(db, vec![row]).await?.pop().ok_or_else(|| DomainError::internal("template vanished"))
}

/// The organization's templates by name, archived ones only when asked.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    include_archived: bool,
) -> DomainResult<Vec<FullTemplate>> {
    let mut query = template::Entity::find().filter(template::Column::OrganizationId.eq(organization_id));
    if !include_archived {
        query = query.filter(template::Column::ArchivedAt.is_null());
    }
    let rows = query.order_by_asc(template::Column::NameKey).all(db).await?;
    load(db, rows).await
}

async fn load<C: ConnectionTrait>(db: &C, rows: Vec<template::Model>) -> DomainResult<Vec<FullTemplate>> {
    let ids: Vec<Uuid> = rows.iter().map(|t| t.id).collect();
    let steps = template_step::Entity::find()
        .filter(template_step::Column::TemplateId.is_in(ids))
        .order_by_asc(template_step::Column::Position)
        .all(db)
        .await?;
    let step_ids: Vec<Uuid> = steps.iter().map(|s| s.id).collect();
    let mut by_step: HashMap<Uuid, Vec<(Language, Vec<Question>)>> = HashMap::new();
    for q in
        questionnaire::Entity::find().filter(questionnaire::Column::StepId.is_in(step_ids)).all(db).await?
    {
        by_step.entry(q.step_id).or_default().push((q.language, questions::from_json(&q.questions)?));
    }
    let mut by_template: HashMap<Uuid, Vec<FullStep>> = HashMap::new();
    for step in steps {
        let mut questionnaires = by_step.remove(&step.id).unwrap_or_default();
        questionnaires.sort_by_key(|(l, _)| *l);
        let relationship_kinds = match &step.relationship_kinds {
            Some(v) => serde_json::from_value(v.clone())
                .map_err(|e| DomainError::internal(format!("stored relationship kinds: {e}")))?,
            None => Vec::new(),
        };
        by_template.entry(step.template_id).or_default().push(FullStep {
            step,
            relationship_kinds,
            questionnaires,
        });
    }
    Ok(rows
        .into_iter()
        .map(|template| {
            let steps = by_template.remove(&template.id).unwrap_or_default();
            FullTemplate { template, steps }
        })
        .collect())
}

/// Inserts the template row (steps follow through [`replace_steps`]).
pub(super) async fn insert_template<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    name: &str,
) -> DomainResult<Uuid> {
    let now = Utc::now();
    let id = Uuid::new_v4();
    template::ActiveModel {
        id: Set(id),
        organization_id: Set(organization_id),
        name: Set(name.to_owned()),
        name_key: Set(name_key(name)),
        archived_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Makes the template's steps exactly `steps`: kept steps (with an id) are
/// updated in place, so rule mappings to them survive; new ones inserted;
/// the rest deleted (their mappings with them).
pub(super) async fn replace_steps<C: ConnectionTrait>(
    db: &C,
    template_id: Uuid,
    steps: Vec<ValidStep>,
) -> DomainResult<()> {
    let kept: Vec<Uuid> = steps.iter().filter_map(|s| s.id).collect();
    template_step::Entity::delete_many()
        .filter(template_step::Column::TemplateId.eq(template_id))
        .filter(template_step::Column::Id.is_not_in(kept))
        .exec(db)
        .await?;
    let now = Utc::now();
    for (position, step) in steps.into_iter().enumerate() {
        let kinds = (step.kind == StepKind::ReferenceCheck).then(|| json!(step.relationship_kinds));
        let mut row = template_step::ActiveModel {
            id: Set(step.id.unwrap_or_else(Uuid::new_v4)),
            template_id: Set(template_id),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            kind: Set(step.kind),
            referees_required: Set(step.referees_required),
            relationship_kinds: Set(kinds),
            created_at: Set(now),
            updated_at: Set(now),
        };
        let step_id = match step.id {
            Some(id) => {
                row.created_at = sea_orm::ActiveValue::NotSet;
                row.update(db).await?;
                questionnaire::Entity::delete_many()
                    .filter(questionnaire::Column::StepId.eq(id))
                    .exec(db)
                    .await?;
                id
            }
            None => row.insert(db).await?.id,
        };
        for (language, questions) in step.questionnaires {
            questionnaire::ActiveModel {
                id: Set(Uuid::new_v4()),
                step_id: Set(step_id),
                language: Set(language),
                questions: Set(questions::to_json(&questions)),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}
