//! Rules and the dry run over GraphQL: read by team members, written by
//! admins. Postings and stages are Lever's ids on the company's active
//! Lever connection.
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::Role as DbRole;
use uuid::Uuid;

use super::catalogue::{LeverPosting, LeverStage};
use super::templates::{Language, RuleRef, StepKind, TemplateObject, TemplateStepObject};
use super::{require_user, state, GqlResult, IntoGql};
use crate::auth::RoleGuard;
use crate::domain::connections::opportunity_reader::LeverOpportunityReader;
use crate::domain::preview::{self, OpportunityReader};
use crate::domain::rules::{self, FullRule, RuleInput as DomainInput, StepStage};
use crate::domain::{catalogue, templates, DomainError};

/// Why a rule needs attention.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::rules::warnings::WarningCode")]
pub enum RuleWarningCode {
    PostingGone,
    StageGone,
    StepUnmapped,
    LanguageMissing,
    TemplateArchived,
    Overlap,
    ConnectionInactive,
}

/// Something about a saved rule an admin should look at.
#[derive(SimpleObject)]
pub struct RuleWarning {
    pub code: RuleWarningCode,
    pub message: String,
    /// The input field it is about (e.g. `steps[1].stageId`), when one.
    pub field: Option<String>,
}

/// A template step and the Lever stage that starts it under a rule.
pub struct RuleStep {
    step: templates::FullStep,
    stage_id: Option<String>,
    stage: Option<entity::lever_stage::Model>,
}

#[Object]
impl RuleStep {
    async fn step(&self) -> TemplateStepObject {
        TemplateStepObject(self.step.clone())
    }
    /// Lever's stage id; null when the step has no stage yet.
    async fn stage_id(&self) -> Option<&str> {
        self.stage_id.as_deref()
    }
    /// The stage as last read from Lever; null when unknown.
    async fn stage(&self) -> Option<LeverStage> {
        self.stage.clone().map(Into::into)
    }
}

/// A rule: postings, template, language, and the stage for each step.
pub struct RuleObject(pub FullRule);

#[Object(name = "Rule")]
impl RuleObject {
    async fn id(&self) -> Uuid {
        self.0.rule.id
    }
    async fn name(&self) -> &str {
        &self.0.rule.name
    }
    async fn enabled(&self) -> bool {
        self.0.rule.enabled
    }
    /// 0-based place in the list.
    async fn position(&self) -> i32 {
        self.0.rule.position
    }
    /// Covers every posting no enabled specific rule covers.
    async fn all_postings(&self) -> bool {
        self.0.rule.all_postings
    }
    /// Lever posting ids.
    async fn posting_ids(&self) -> &[String] {
        &self.0.view.posting_ids
    }
    /// The postings as last read from Lever (unknown ids are left out; see
    /// `warnings`).
    async fn postings(&self, ctx: &Context<'_>) -> GqlResult<Vec<LeverPosting>> {
        let all = catalogue::postings(&state(ctx).db, self.0.rule.connection_id).await.gql()?;
        Ok(all
            .into_iter()
            .filter(|p| self.0.view.posting_ids.contains(&p.lever_id))
            .map(Into::into)
            .collect())
    }
    async fn template(&self, ctx: &Context<'_>) -> GqlResult<TemplateObject> {
        let r = &self.0.rule;
        templates::find(&state(ctx).db, r.organization_id, r.template_id).await.gql().map(TemplateObject)
    }
    async fn language(&self) -> Language {
        self.0.rule.language.into()
    }
    /// Every step of the template, in order, with its stage.
    async fn steps(&self, ctx: &Context<'_>) -> GqlResult<Vec<RuleStep>> {
        let db = &state(ctx).db;
        let r = &self.0.rule;
        let template = templates::find(db, r.organization_id, r.template_id).await.gql()?;
        let stages = catalogue::stages(db, r.connection_id).await.gql()?;
        Ok(template
            .steps
            .into_iter()
            .map(|step| {
                let stage_id = self.0.view.stages.get(&step.step.id).cloned();
                let stage =
                    stage_id.as_ref().and_then(|id| stages.iter().find(|s| &s.lever_id == id).cloned());
                RuleStep { step, stage_id, stage }
            })
            .collect())
    }
    /// Overlapping rules, and postings or stages Lever no longer has.
    async fn warnings(&self, ctx: &Context<'_>) -> GqlResult<Vec<RuleWarning>> {
        let list = rules::warnings(&state(ctx).db, self.0.rule.organization_id, &self.0).await.gql()?;
        Ok(list
            .into_iter()
            .map(|w| RuleWarning { code: w.code.into(), message: w.message, field: w.field })
            .collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.rule.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.rule.updated_at
    }
}

/// The stage that starts one template step.
#[derive(InputObject)]
pub struct RuleStepInput {
    pub step_id: Uuid,
    /// Lever's stage id; every step needs one.
    pub stage_id: Option<String>,
}

/// A rule as sent, for create and update alike.
#[derive(InputObject)]
pub struct RuleInput {
    pub name: String,
    #[graphql(default = true)]
    pub enabled: bool,
    #[graphql(default)]
    pub all_postings: bool,
    /// Lever posting ids; leave empty with `allPostings`.
    #[graphql(default)]
    pub posting_ids: Vec<String>,
    pub template_id: Uuid,
    pub language: Language,
    /// One entry per template step.
    pub steps: Vec<RuleStepInput>,
}

impl From<RuleInput> for DomainInput {
    fn from(i: RuleInput) -> Self {
        DomainInput {
            name: i.name,
            enabled: i.enabled,
            all_postings: i.all_postings,
            posting_ids: i.posting_ids,
            template_id: i.template_id,
            language: i.language.into(),
            steps: i
                .steps
                .into_iter()
                .map(|s| StepStage { step_id: s.step_id, stage_id: s.stage_id })
                .collect(),
        }
    }
}

/// Where the applied template came from.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::resolution::TemplateSource")]
pub enum TemplateSource {
    Rule,
    /// The posting's `Vouch Template: <name>` tag.
    PostingTag,
}

/// Why the dry run answered as it did.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::preview::ReasonCode")]
pub enum PreviewReasonCode {
    NoConnection,
    PostingUnknown,
    PostingGone,
    StageUnknown,
    StageGone,
    NoRule,
    RuleDisabled,
    StageNotMapped,
    TemplateTagUnknown,
    TemplateTagArchived,
    TagTemplateLacksStep,
    TemplateMissing,
    LanguageFallback,
    SpecificRuleWins,
    NoEmail,
    OpportunityNotFound,
    OpportunityNotChecked,
}

/// One line of the dry run's explanation.
#[derive(SimpleObject)]
pub struct PreviewReason {
    pub code: PreviewReasonCode,
    /// True when it stops the step (or makes it wait for action).
    pub blocking: bool,
    pub message: String,
}

/// What Vouch would do; nothing was changed to answer it.
#[derive(SimpleObject)]
pub struct TriggerPreview {
    /// The step would start and reach the candidate.
    pub will_start: bool,
    pub summary: String,
    pub rule: Option<RuleRef>,
    pub template_id: Option<Uuid>,
    pub template_name: Option<String>,
    pub template_source: Option<TemplateSource>,
    pub step_id: Option<Uuid>,
    /// 0-based.
    pub step_index: Option<i32>,
    pub step_kind: Option<StepKind>,
    pub language: Option<Language>,
    pub reasons: Vec<PreviewReason>,
}

impl From<preview::Preview> for TriggerPreview {
    fn from(p: preview::Preview) -> Self {
        let d = p.decision;
        TriggerPreview {
            will_start: p.will_start,
            summary: p.summary,
            rule: d.as_ref().map(|d| RuleRef { id: d.rule_id, name: d.rule_name.clone(), enabled: true }),
            template_id: d.as_ref().map(|d| d.template_id),
            template_name: d.as_ref().map(|d| d.template_name.clone()),
            template_source: d.as_ref().map(|d| d.template_source.into()),
            step_id: d.as_ref().map(|d| d.step_id),
            step_index: d.as_ref().map(|d| i32::try_from(d.step_index).unwrap_or(i32::MAX)),
            step_kind: d.as_ref().map(|d| d.step_kind.into()),
            language: d.as_ref().map(|d| d.language.into()),
            reasons: p
                .reasons
                .into_iter()
                .map(|r| PreviewReason { code: r.code.into(), blocking: r.blocking, message: r.message })
                .collect(),
        }
    }
}

/// The Lever reader the dry run uses. The one place to change when Lever
/// clients can be built from stored connections.
fn opportunity_reader(ctx: &Context<'_>) -> Box<dyn OpportunityReader> {
    Box::new(LeverOpportunityReader { state: state(ctx).clone() })
}

#[derive(Default)]
pub struct RulesQuery;

#[Object]
impl RulesQuery {
    /// The organization's rules in list order.
    #[graphql(guard = "RoleGuard::new(DbRole::TeamMember)")]
    async fn rules(&self, ctx: &Context<'_>) -> GqlResult<Vec<RuleObject>> {
        let me = require_user(ctx)?;
        let list = rules::list(&state(ctx).db, me.organization_id).await.gql()?;
        Ok(list.into_iter().map(RuleObject).collect())
    }

    /// One rule; null when the organization has none with this id.
    #[graphql(guard = "RoleGuard::new(DbRole::TeamMember)")]
    async fn rule(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<Option<RuleObject>> {
        let me = require_user(ctx)?;
        match rules::find(&state(ctx).db, me.organization_id, id).await {
            Ok(r) => Ok(Some(RuleObject(r))),
            Err(DomainError::NotFound { .. }) => Ok(None),
            Err(other) => Err(other).gql(),
        }
    }

    /// Dry run ("What happens if…"): which rule, template, step and language
    /// would apply if an opportunity in this posting entered this stage, and
    /// what would stop it. Changes nothing. Lever ids throughout.
    #[graphql(guard = "RoleGuard::new(DbRole::TeamMember)")]
    async fn preview_trigger(
        &self,
        ctx: &Context<'_>,
        posting_id: String,
        stage_id: String,
        opportunity_id: Option<String>,
    ) -> GqlResult<TriggerPreview> {
        let me = require_user(ctx)?;
        let reader = opportunity_reader(ctx);
        preview::preview(
            &state(ctx).db,
            me.organization_id,
            reader.as_ref(),
            &posting_id,
            &stage_id,
            opportunity_id.as_deref(),
        )
        .await
        .gql()
        .map(Into::into)
    }
}

#[derive(Default)]
pub struct RulesMutation;

#[Object]
impl RulesMutation {
    /// Creates a rule at the end of the list, on the active Lever connection.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn create_rule(&self, ctx: &Context<'_>, input: RuleInput) -> GqlResult<RuleObject> {
        let me = require_user(ctx)?;
        rules::create(&state(ctx).db, me.organization_id, Some(me.id), input.into())
            .await
            .gql()
            .map(RuleObject)
    }

    /// Replaces a rule's settings.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn update_rule(&self, ctx: &Context<'_>, id: Uuid, input: RuleInput) -> GqlResult<RuleObject> {
        let me = require_user(ctx)?;
        rules::update(&state(ctx).db, me.organization_id, Some(me.id), id, input.into())
            .await
            .gql()
            .map(RuleObject)
    }

    /// Enables or disables a rule; enabling is refused when another enabled
    /// rule covers the same postings.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn set_rule_enabled(&self, ctx: &Context<'_>, id: Uuid, enabled: bool) -> GqlResult<RuleObject> {
        let me = require_user(ctx)?;
        rules::set_enabled(&state(ctx).db, me.organization_id, Some(me.id), id, enabled)
            .await
            .gql()
            .map(RuleObject)
    }

    /// Puts every rule of the organization in this order.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn reorder_rules(&self, ctx: &Context<'_>, ids: Vec<Uuid>) -> GqlResult<Vec<RuleObject>> {
        let me = require_user(ctx)?;
        let list = rules::reorder(&state(ctx).db, me.organization_id, Some(me.id), &ids).await.gql()?;
        Ok(list.into_iter().map(RuleObject).collect())
    }

    /// Deletes a rule; answers its id.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn delete_rule(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<Uuid> {
        let me = require_user(ctx)?;
        rules::delete(&state(ctx).db, me.organization_id, Some(me.id), id).await.gql().map(|()| id)
    }
}
