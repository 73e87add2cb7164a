//! Checks a rule against the catalogue, its template and the other rules.
//! Each refusal names the input field (`postingIds[2]`, `steps[1].stageId`)
//! and never echoes an id the caller sent, only names from their own data.
use std::collections::{HashMap, HashSet};

use entity::{lever_posting, lever_stage, rule};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{FullRule, RuleInput};
use crate::domain::resolution::load::rule_views;
use crate::domain::resolution::{covers, RuleView};
use crate::domain::{catalogue, templates, validate, DomainError, DomainResult};

/// Most postings one rule may name (a company with more uses "all postings").
pub const MAX_POSTINGS: usize = 1_000;

/// A rule that passed every check.
pub(super) struct ValidRule {
    pub name: String,
    pub enabled: bool,
    pub all_postings: bool,
    pub posting_ids: Vec<String>,
    pub template_id: Uuid,
    pub language: entity::Language,
    /// Step id → Lever stage id, one per template step.
    pub stages: Vec<(Uuid, String)>,
}

pub(super) async fn rule<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    connection_id: Uuid,
    before: Option<&FullRule>,
    input: RuleInput,
) -> DomainResult<ValidRule> {
    let name = validate::name("name", &input.name)?;
    let template = templates::find(db, organization_id, input.template_id).await?;
    let template_changed = before.is_none_or(|b| b.rule.template_id != input.template_id);
    if template.template.archived_at.is_some() && template_changed {
        return Err(DomainError::invalid(
            "templateId",
            format!("the template {:?} is archived; unarchive it or choose another", template.template.name),
        ));
    }
    if let Some(step) = template.steps.iter().find(|s| !s.languages().contains(&input.language)) {
        return Err(DomainError::invalid(
            "language",
            format!(
                "the template {:?} has no {} questionnaire in {}; add one or choose another language",
                template.template.name,
                input.language.english_name(),
                step.describe()
            ),
        ));
    }
    let postings = postings(db, connection_id, input.all_postings, input.posting_ids).await?;
    let stages = stages(db, connection_id, &template, input.steps).await?;
    let valid = ValidRule {
        name,
        enabled: input.enabled,
        all_postings: input.all_postings,
        posting_ids: postings,
        template_id: input.template_id,
        language: input.language,
        stages,
    };
    if valid.enabled {
        let view = RuleView {
            id: before.map_or_else(Uuid::nil, |b| b.rule.id),
            name: valid.name.clone(),
            enabled: true,
            position: 0,
            all_postings: valid.all_postings,
            posting_ids: valid.posting_ids.clone(),
            template_id: valid.template_id,
            language: valid.language,
            stages: HashMap::new(),
        };
        no_overlap_on(db, organization_id, connection_id, &view, before.map(|b| b.rule.id)).await?;
    }
    Ok(valid)
}

async fn postings<C: ConnectionTrait>(
    db: &C,
    connection_id: Uuid,
    all_postings: bool,
    ids: Vec<String>,
) -> DomainResult<Vec<String>> {
    if all_postings {
        if !ids.is_empty() {
            return Err(DomainError::invalid(
                "postingIds",
                "leave the postings empty when the rule covers all postings",
            ));
        }
        return Ok(Vec::new());
    }
    if ids.is_empty() {
        return Err(DomainError::invalid("postingIds", "choose at least one posting, or all postings"));
    }
    if ids.len() > MAX_POSTINGS {
        return Err(DomainError::invalid(
            "postingIds",
            format!("at most {MAX_POSTINGS} postings; use all postings instead"),
        ));
    }
    let catalogue: HashMap<String, lever_posting::Model> =
        catalogue::postings(db, connection_id).await?.into_iter().map(|p| (p.lever_id.clone(), p)).collect();
    let mut seen = HashSet::new();
    for (k, id) in ids.iter().enumerate() {
        let field = format!("postingIds[{k}]");
        let Some(posting) = catalogue.get(id) else {
            return Err(DomainError::invalid(
                field,
                "no such posting in your Lever account; choose one from the list",
            ));
        };
        if posting.gone_at.is_some() {
            return Err(DomainError::invalid(
                field,
                format!("Lever no longer has the posting {:?}; remove it from the rule", posting.text),
            ));
        }
        if !seen.insert(id.as_str()) {
            return Err(DomainError::invalid(
                field,
                format!("the posting {:?} is listed twice", posting.text),
            ));
        }
    }
    Ok(ids)
}

async fn stages<C: ConnectionTrait>(
    db: &C,
    connection_id: Uuid,
    template: &templates::FullTemplate,
    input: Vec<StepStageInput>,
) -> DomainResult<Vec<(Uuid, String)>> {
    let catalogue: HashMap<String, lever_stage::Model> =
        catalogue::stages(db, connection_id).await?.into_iter().map(|s| (s.lever_id.clone(), s)).collect();
    if input.len() > template.steps.len() {
        return Err(DomainError::invalid(
            "steps",
            format!("the template has {} steps; send one stage per step", template.steps.len()),
        ));
    }
    let mut chosen: Vec<(Uuid, String)> = Vec::new();
    let mut stage_owner: HashMap<String, usize> = HashMap::new();
    for (i, entry) in input.into_iter().enumerate() {
        let Some(step) = template.steps.iter().find(|s| s.step.id == entry.step_id) else {
            return Err(DomainError::invalid(
                format!("steps[{i}].stepId"),
                "not a step of the rule's template",
            ));
        };
        if chosen.iter().any(|(id, _)| *id == entry.step_id) {
            return Err(DomainError::invalid(
                format!("steps[{i}].stepId"),
                format!("{} is listed twice", step.describe()),
            ));
        }
        let field = format!("steps[{i}].stageId");
        let Some(stage_id) = entry.stage_id.filter(|s| !s.trim().is_empty()) else {
            return Err(DomainError::invalid(
                field,
                format!("choose the Lever stage that starts {}", step.describe()),
            ));
        };
        let Some(stage) = catalogue.get(&stage_id) else {
            return Err(DomainError::invalid(
                field,
                "no such stage in your Lever account; choose one from the list",
            ));
        };
        if stage.gone_at.is_some() {
            return Err(DomainError::invalid(
                field,
                format!("Lever no longer has the stage {:?}; choose another", stage.text),
            ));
        }
        if let Some(other) = stage_owner.get(&stage_id) {
            return Err(DomainError::invalid(
                field,
                format!(
                    "the stage {:?} already starts step {}; each stage can start one step",
                    stage.text,
                    other + 1
                ),
            ));
        }
        stage_owner.insert(stage_id.clone(), step.step.position as usize);
        chosen.push((entry.step_id, stage_id));
    }
    if let Some(missing) = template.steps.iter().find(|s| !chosen.iter().any(|(id, _)| *id == s.step.id)) {
        return Err(DomainError::invalid(
            format!("steps[{}].stageId", missing.step.position),
            format!("choose the Lever stage that starts {}", missing.describe()),
        ));
    }
    Ok(chosen)
}

type StepStageInput = super::StepStage;

/// Refuses when another enabled rule of the connection claims a posting
/// this (enabled) rule covers. A specific rule and an "all postings" rule
/// may coexist: the specific one wins.
pub(super) async fn no_overlap<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    full: &FullRule,
) -> DomainResult<()> {
    no_overlap_on(db, organization_id, full.rule.connection_id, &full.view, Some(full.rule.id)).await
}

async fn no_overlap_on<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    connection_id: Uuid,
    view: &RuleView,
    except: Option<Uuid>,
) -> DomainResult<()> {
    let others = rule::Entity::find()
        .filter(rule::Column::OrganizationId.eq(organization_id))
        .filter(rule::Column::ConnectionId.eq(connection_id))
        .filter(rule::Column::Enabled.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|r| Some(r.id) != except)
        .collect();
    let others = rule_views(db, others).await?;
    if view.all_postings {
        if let Some(other) = others.iter().find(|o| o.all_postings) {
            return Err(DomainError::conflict(
                "allPostings",
                format!(
                    "the enabled rule {:?} already covers all postings; disable it or choose postings",
                    other.name
                ),
            ));
        }
        return Ok(());
    }
    let titles: HashMap<String, String> =
        catalogue::postings(db, connection_id).await?.into_iter().map(|p| (p.lever_id, p.text)).collect();
    for (k, posting) in view.posting_ids.iter().enumerate() {
        if let Some(other) = others.iter().find(|o| !o.all_postings && covers(o, posting)) {
            let title = titles.get(posting).map_or("this posting", String::as_str);
            return Err(DomainError::conflict(
                format!("postingIds[{k}]"),
                format!(
                    "{title:?} is already covered by the enabled rule {:?}; a posting can have one rule",
                    other.name
                ),
            ));
        }
    }
    Ok(())
}
