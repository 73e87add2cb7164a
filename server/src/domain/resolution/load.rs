//! Reading a connection's rules and the organization's templates into the
//! shape [`super::resolve`] takes.
use std::collections::HashMap;

use entity::{rule, rule_posting, rule_stage_mapping};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{RuleView, Setup, StepView, TemplateView};
use crate::domain::{organizations, templates, DomainResult};

/// Everything resolution needs for one connection of an organization.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    connection_id: Uuid,
) -> DomainResult<Setup> {
    let org = organizations::find(db, organization_id).await?;
    let rules = rule::Entity::find()
        .filter(rule::Column::OrganizationId.eq(organization_id))
        .filter(rule::Column::ConnectionId.eq(connection_id))
        .order_by_asc(rule::Column::Position)
        .all(db)
        .await?;
    let templates = templates::list(db, organization_id, true)
        .await?
        .into_iter()
        .map(|t| TemplateView {
            id: t.template.id,
            name: t.template.name.clone(),
            archived: t.template.archived_at.is_some(),
            steps: t
                .steps
                .iter()
                .map(|s| StepView { id: s.step.id, kind: s.step.kind, languages: s.languages() })
                .collect(),
        })
        .collect();
    Ok(Setup { rules: rule_views(db, rules).await?, templates, default_language: org.default_language })
}

/// Rules with their postings and stage mappings.
pub(crate) async fn rule_views<C: ConnectionTrait>(
    db: &C,
    rules: Vec<rule::Model>,
) -> DomainResult<Vec<RuleView>> {
    let ids: Vec<Uuid> = rules.iter().map(|r| r.id).collect();
    let mut postings: HashMap<Uuid, Vec<String>> = HashMap::new();
    for p in rule_posting::Entity::find()
        .filter(rule_posting::Column::RuleId.is_in(ids.clone()))
        .order_by_asc(rule_posting::Column::LeverPostingId)
        .all(db)
        .await?
    {
        postings.entry(p.rule_id).or_default().push(p.lever_posting_id);
    }
    let mut stages: HashMap<Uuid, HashMap<Uuid, String>> = HashMap::new();
    for m in rule_stage_mapping::Entity::find()
        .filter(rule_stage_mapping::Column::RuleId.is_in(ids))
        .all(db)
        .await?
    {
        stages.entry(m.rule_id).or_default().insert(m.step_id, m.lever_stage_id);
    }
    Ok(rules
        .into_iter()
        .map(|r| RuleView {
            posting_ids: postings.remove(&r.id).unwrap_or_default(),
            stages: stages.remove(&r.id).unwrap_or_default(),
            id: r.id,
            name: r.name,
            enabled: r.enabled,
            position: r.position,
            all_postings: r.all_postings,
            template_id: r.template_id,
            language: r.language,
        })
        .collect())
}
