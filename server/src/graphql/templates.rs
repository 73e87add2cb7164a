//! Templates over GraphQL: read by team members, written by admins.
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::Role as DbRole;
use uuid::Uuid;

use super::{require_user, state, GqlResult, IntoGql};
use crate::auth::RoleGuard;
use crate::domain::questions::Question;
use crate::domain::templates::{self, FullStep, FullTemplate, NewTemplate, TemplateChanges};
use crate::domain::DomainError;

/// A language questionnaires can be written in.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::Language")]
pub enum Language {
    /// English.
    En,
    /// Swedish.
    Sv,
    /// French.
    Fr,
    /// German.
    De,
    /// Spanish.
    Es,
}

/// What a step asks for.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::template_step::StepKind")]
pub enum StepKind {
    /// The candidate answers questions about themselves.
    SelfAssessment,
    /// The candidate names referees, who answer questions about them.
    ReferenceCheck,
}

/// Who a referee is to the candidate.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::templates::RelationshipKind")]
pub enum RelationshipKind {
    Manager,
    Peer,
    /// Someone who reported to the candidate.
    Report,
    Other,
}

/// How a question is answered.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::questions::QuestionType")]
pub enum QuestionType {
    /// Free text.
    Text,
    /// A rating from 1 to 5.
    #[graphql(name = "RATING_1_5")]
    Rating1To5,
    YesNo,
    /// One of the question's options.
    Choice,
}

/// One question of a questionnaire.
#[derive(SimpleObject)]
pub struct QuestionObject {
    pub prompt: String,
    #[graphql(name = "type")]
    pub kind: QuestionType,
    /// Choice questions only.
    pub options: Vec<String>,
}

/// A step's questions in one language.
#[derive(SimpleObject)]
pub struct Questionnaire {
    pub language: Language,
    pub questions: Vec<QuestionObject>,
}

/// One step of a template.
pub struct TemplateStepObject(pub FullStep);

#[Object(name = "TemplateStep")]
impl TemplateStepObject {
    async fn id(&self) -> Uuid {
        self.0.step.id
    }
    /// 0-based order in the template.
    async fn position(&self) -> i32 {
        self.0.step.position
    }
    async fn kind(&self) -> StepKind {
        self.0.step.kind.into()
    }
    /// Reference checks: how many referees must answer.
    async fn referees_required(&self) -> Option<i32> {
        self.0.step.referees_required
    }
    /// Reference checks: the kinds of referee asked for.
    async fn relationship_kinds(&self) -> Vec<RelationshipKind> {
        self.0.relationship_kinds.iter().map(|k| (*k).into()).collect()
    }
    async fn questionnaires(&self) -> Vec<Questionnaire> {
        self.0
            .questionnaires
            .iter()
            .map(|(language, qs)| Questionnaire {
                language: (*language).into(),
                questions: qs
                    .iter()
                    .map(|q| QuestionObject {
                        prompt: q.prompt.clone(),
                        kind: q.kind.into(),
                        options: q.options.clone(),
                    })
                    .collect(),
            })
            .collect()
    }
    /// The languages the step has a questionnaire in.
    async fn languages(&self) -> Vec<Language> {
        self.0.languages().into_iter().map(Into::into).collect()
    }
    /// Supported languages the step still lacks.
    async fn missing_languages(&self) -> Vec<Language> {
        self.0.missing_languages().into_iter().map(Into::into).collect()
    }
}

/// A rule, named, as other objects refer to it.
#[derive(SimpleObject)]
pub struct RuleRef {
    pub id: Uuid,
    pub name: String,
    pub enabled: bool,
}

/// A named sequence of steps.
pub struct TemplateObject(pub FullTemplate);

#[Object(name = "Template")]
impl TemplateObject {
    async fn id(&self) -> Uuid {
        self.0.template.id
    }
    async fn name(&self) -> &str {
        &self.0.template.name
    }
    /// The Lever tag that picks this template on a posting.
    async fn tag(&self) -> String {
        crate::domain::resolution::template_tag(&self.0.template.name)
    }
    async fn archived(&self) -> bool {
        self.0.template.archived_at.is_some()
    }
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.template.archived_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.template.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.template.updated_at
    }
    async fn steps(&self) -> Vec<TemplateStepObject> {
        self.0.steps.iter().cloned().map(TemplateStepObject).collect()
    }
    /// Supported languages some step lacks.
    async fn missing_languages(&self) -> Vec<Language> {
        entity::Language::ALL
            .into_iter()
            .filter(|l| self.0.steps.iter().any(|s| !s.languages().contains(l)))
            .map(Into::into)
            .collect()
    }
    /// The rules that use the template (they stop it from being deleted).
    async fn used_by_rules(&self, ctx: &Context<'_>) -> GqlResult<Vec<RuleRef>> {
        let t = &self.0.template;
        let rules = templates::rules_using(&state(ctx).db, t.organization_id, t.id).await.gql()?;
        Ok(rules.into_iter().map(|r| RuleRef { id: r.id, name: r.name, enabled: r.enabled }).collect())
    }
}

/// One question as sent.
#[derive(InputObject)]
pub struct QuestionInput {
    pub prompt: String,
    #[graphql(name = "type")]
    pub kind: QuestionType,
    /// Choice questions only: 2 to 20 options.
    #[graphql(default)]
    pub options: Vec<String>,
}

/// A step's questions in one language.
#[derive(InputObject)]
pub struct QuestionnaireInput {
    pub language: Language,
    pub questions: Vec<QuestionInput>,
}

/// One step as sent. In `updateTemplate`, send an existing step's `id` to
/// keep it (rules keep their stage for it); leave it out to add a step.
#[derive(InputObject)]
pub struct TemplateStepInput {
    pub id: Option<Uuid>,
    pub kind: StepKind,
    /// Reference checks: 1 to 10.
    pub referees_required: Option<i32>,
    /// Reference checks: at least one.
    #[graphql(default)]
    pub relationship_kinds: Vec<RelationshipKind>,
    /// One per language; the company's default language is required.
    pub questionnaires: Vec<QuestionnaireInput>,
}

#[derive(InputObject)]
pub struct CreateTemplateInput {
    pub name: String,
    pub steps: Vec<TemplateStepInput>,
}

/// Leave a field out to keep it. `steps` replaces the whole list.
#[derive(InputObject)]
pub struct UpdateTemplateInput {
    pub name: Option<String>,
    pub steps: Option<Vec<TemplateStepInput>>,
}

fn steps_in(steps: Vec<TemplateStepInput>) -> Vec<templates::StepInput> {
    steps
        .into_iter()
        .map(|s| templates::StepInput {
            id: s.id,
            kind: s.kind.into(),
            referees_required: s.referees_required,
            relationship_kinds: s.relationship_kinds.into_iter().map(Into::into).collect(),
            questionnaires: s
                .questionnaires
                .into_iter()
                .map(|q| templates::QuestionnaireInput {
                    language: q.language.into(),
                    questions: q
                        .questions
                        .into_iter()
                        .map(|q| Question { prompt: q.prompt, kind: q.kind.into(), options: q.options })
                        .collect::<Vec<_>>(),
                })
                .collect(),
        })
        .collect()
}

#[derive(Default)]
pub struct TemplatesQuery;

#[Object]
impl TemplatesQuery {
    /// The organization's templates by name; archived ones when asked.
    #[graphql(guard = "RoleGuard::new(DbRole::TeamMember)")]
    async fn templates(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] include_archived: bool,
    ) -> GqlResult<Vec<TemplateObject>> {
        let me = require_user(ctx)?;
        let list = templates::list(&state(ctx).db, me.organization_id, include_archived).await.gql()?;
        Ok(list.into_iter().map(TemplateObject).collect())
    }

    /// One template; null when the organization has none with this id.
    #[graphql(guard = "RoleGuard::new(DbRole::TeamMember)")]
    async fn template(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<Option<TemplateObject>> {
        let me = require_user(ctx)?;
        match templates::find(&state(ctx).db, me.organization_id, id).await {
            Ok(t) => Ok(Some(TemplateObject(t))),
            Err(DomainError::NotFound { .. }) => Ok(None),
            Err(other) => Err(other).gql(),
        }
    }
}

#[derive(Default)]
pub struct TemplatesMutation;

#[Object]
impl TemplatesMutation {
    /// Creates a template. Names are unique in the company, ignoring case.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn create_template(
        &self,
        ctx: &Context<'_>,
        input: CreateTemplateInput,
    ) -> GqlResult<TemplateObject> {
        let me = require_user(ctx)?;
        let new = NewTemplate { name: input.name, steps: steps_in(input.steps) };
        templates::create(&state(ctx).db, me.organization_id, Some(me.id), new)
            .await
            .gql()
            .map(TemplateObject)
    }

    /// Renames a template and/or replaces its steps and questionnaires.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn update_template(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: UpdateTemplateInput,
    ) -> GqlResult<TemplateObject> {
        let me = require_user(ctx)?;
        let changes = TemplateChanges { name: input.name, steps: input.steps.map(steps_in) };
        templates::update(&state(ctx).db, me.organization_id, Some(me.id), id, changes)
            .await
            .gql()
            .map(TemplateObject)
    }

    /// Archives a template: rules using it keep working; it is offered for
    /// nothing new.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn archive_template(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<TemplateObject> {
        let me = require_user(ctx)?;
        templates::set_archived(&state(ctx).db, me.organization_id, Some(me.id), id, true)
            .await
            .gql()
            .map(TemplateObject)
    }

    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn unarchive_template(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<TemplateObject> {
        let me = require_user(ctx)?;
        templates::set_archived(&state(ctx).db, me.organization_id, Some(me.id), id, false)
            .await
            .gql()
            .map(TemplateObject)
    }

    /// Deletes a template nothing uses; CONFLICT naming the rules otherwise.
    /// Answers the deleted id.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn delete_template(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<Uuid> {
        let me = require_user(ctx)?;
        templates::delete(&state(ctx).db, me.organization_id, Some(me.id), id).await.gql().map(|()| id)
    }
}
