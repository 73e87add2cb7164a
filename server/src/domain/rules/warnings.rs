//! What an admin should know about a saved rule: things that went stale
//! after it was saved (Lever dropped a posting or stage, the template
//! changed) and rules that overlap it. Computed on read, never stored.
use std::collections::HashMap;

use uuid::Uuid;

use super::FullRule;
use crate::domain::resolution::covers;
use crate::domain::{catalogue, templates, DomainResult};

/// Why a warning was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningCode {
    /// Lever no longer lists a posting the rule names.
    PostingGone,
    /// Lever no longer lists a stage the rule maps.
    StageGone,
    /// A template step has no stage (a step was added after the rule was saved).
    StepUnmapped,
    /// The template lacks the rule's language in some step.
    LanguageMissing,
    TemplateArchived,
    /// Another rule covers some of the same postings.
    Overlap,
    /// The rule belongs to a Lever connection that is no longer the active one.
    ConnectionInactive,
}

/// One warning, with the input field it is about when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
    pub field: Option<String>,
}

fn warn(code: WarningCode, field: Option<String>, message: String) -> Warning {
    Warning { code, message, field }
}

/// The warnings for one rule of the organization.
pub async fn warnings<C: sea_orm::ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    full: &FullRule,
) -> DomainResult<Vec<Warning>> {
    let mut out = Vec::new();
    let active = catalogue::active_connection(db, organization_id).await?;
    if active.as_ref().map(|c| c.id) != Some(full.rule.connection_id) {
        out.push(warn(
            WarningCode::ConnectionInactive,
            None,
            "this rule was made for a Lever connection that is no longer active; edit and save it to use the current one"
                .into(),
        ));
    }
    let connection_id = full.rule.connection_id;
    let postings: HashMap<String, _> =
        catalogue::postings(db, connection_id).await?.into_iter().map(|p| (p.lever_id.clone(), p)).collect();
    for (k, id) in full.view.posting_ids.iter().enumerate() {
        match postings.get(id) {
            Some(p) if p.gone_at.is_none() => {}
            found => out.push(warn(
                WarningCode::PostingGone,
                Some(format!("postingIds[{k}]")),
                format!(
                    "Lever no longer has the posting {:?}; remove it from the rule",
                    found.map_or(id.as_str(), |p| p.text.as_str())
                ),
            )),
        }
    }
    let stages: HashMap<String, _> =
        catalogue::stages(db, connection_id).await?.into_iter().map(|s| (s.lever_id.clone(), s)).collect();
    let template = templates::find(db, organization_id, full.rule.template_id).await?;
    if template.template.archived_at.is_some() {
        out.push(warn(
            WarningCode::TemplateArchived,
            Some("templateId".into()),
            format!("the template {:?} is archived; the rule still uses it", template.template.name),
        ));
    }
    for (i, step) in template.steps.iter().enumerate() {
        let field = Some(format!("steps[{i}].stageId"));
        match full.view.stages.get(&step.step.id) {
            None => out.push(warn(
                WarningCode::StepUnmapped,
                field,
                format!("{} has no Lever stage, so it never starts; choose one", step.describe()),
            )),
            Some(stage_id) => match stages.get(stage_id) {
                Some(s) if s.gone_at.is_none() => {}
                found => out.push(warn(
                    WarningCode::StageGone,
                    field,
                    format!(
                        "Lever no longer has the stage {:?} that starts {}; choose another",
                        found.map_or(stage_id.as_str(), |s| s.text.as_str()),
                        step.describe()
                    ),
                )),
            },
        }
        if !step.languages().contains(&full.rule.language) {
            out.push(warn(
                WarningCode::LanguageMissing,
                Some("language".into()),
                format!(
                    "{} of the template has no {} questionnaire; the company's default language is used",
                    step.describe(),
                    full.rule.language.english_name()
                ),
            ));
        }
    }
    out.extend(overlaps(db, organization_id, full, &postings).await?);
    Ok(out)
}

async fn overlaps<C: sea_orm::ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    full: &FullRule,
    postings: &HashMap<String, entity::lever_posting::Model>,
) -> DomainResult<Vec<Warning>> {
    let mut out = Vec::new();
    let others = super::list(db, organization_id).await?;
    let title = |id: &str| postings.get(id).map_or_else(|| id.to_owned(), |p| p.text.clone());
    for other in
        others.iter().filter(|o| o.rule.id != full.rule.id && o.rule.connection_id == full.rule.connection_id)
    {
        let state = if other.rule.enabled { "enabled" } else { "disabled" };
        let message = match (full.rule.all_postings, other.rule.all_postings) {
            (true, true) => Some(format!("the {state} rule {:?} also covers all postings", other.rule.name)),
            (false, false) => {
                let shared: Vec<String> = full
                    .view
                    .posting_ids
                    .iter()
                    .filter(|p| covers(&other.view, p))
                    .map(|p| format!("{:?}", title(p)))
                    .collect();
                (!shared.is_empty()).then(|| {
                    format!("the {state} rule {:?} also covers {}", other.rule.name, shared.join(", "))
                })
            }
            (true, false) => Some(format!(
                "the {state} rule {:?} names specific postings; for those it wins over this one",
                other.rule.name
            )),
            (false, true) => Some(format!(
                "the {state} rule {:?} covers all postings; this rule wins for its own postings",
                other.rule.name
            )),
        };
        if let Some(message) = message {
            out.push(warn(WarningCode::Overlap, None, message));
        }
    }
    Ok(out)
}
