//! The two templates every new company starts with, so that a rule can be
//! written the minute Lever is connected. Questions in English (the default
//! language of a new company); admins translate or replace them.
use entity::template_step::StepKind;
use entity::Language;
use sea_orm::{ConnectionTrait, TransactionTrait};
use uuid::Uuid;

use super::input::{QuestionnaireInput, RelationshipKind, StepInput};
use super::{create, NewTemplate};
use crate::domain::questions::{Question, QuestionType};
use crate::domain::DomainResult;

/// Name of the ready-made reference check.
pub const STANDARD_REFERENCE_CHECK: &str = "Standard reference check";
/// Name of the ready-made two-step template.
pub const SELF_ASSESSMENT_AND_REFERENCES: &str = "Self-assessment + references";

/// Creates the ready-made templates for a new organization (whose default
/// language is English). Called in the organization's creating transaction.
pub async fn seed_defaults<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    organization_id: Uuid,
) -> DomainResult<()> {
    create(
        db,
        organization_id,
        None,
        NewTemplate { name: STANDARD_REFERENCE_CHECK.into(), steps: vec![reference_step()] },
    )
    .await?;
    create(
        db,
        organization_id,
        None,
        NewTemplate {
            name: SELF_ASSESSMENT_AND_REFERENCES.into(),
            steps: vec![self_assessment_step(), reference_step()],
        },
    )
    .await?;
    Ok(())
}

fn reference_step() -> StepInput {
    StepInput {
        id: None,
        kind: StepKind::ReferenceCheck,
        referees_required: Some(2),
        relationship_kinds: vec![RelationshipKind::Manager, RelationshipKind::Peer],
        questionnaires: vec![english(&[
            ("How do you know the candidate, and for how long?", QuestionType::Text),
            ("How would you rate the quality of their work?", QuestionType::Rating1To5),
            ("How would you rate their collaboration with others?", QuestionType::Rating1To5),
            ("What are their greatest strengths?", QuestionType::Text),
            ("Where could they grow?", QuestionType::Text),
            ("Would you work with them again?", QuestionType::YesNo),
        ])],
    }
}

fn self_assessment_step() -> StepInput {
    StepInput {
        id: None,
        kind: StepKind::SelfAssessment,
        referees_required: None,
        relationship_kinds: Vec::new(),
        questionnaires: vec![english(&[
            ("What achievement from your recent work are you proudest of?", QuestionType::Text),
            (
                "How would you rate your experience with the core skills of this role?",
                QuestionType::Rating1To5,
            ),
            ("What kind of support helps you do your best work?", QuestionType::Text),
            ("Are you open to us contacting your references?", QuestionType::YesNo),
        ])],
    }
}

fn english(questions: &[(&str, QuestionType)]) -> QuestionnaireInput {
    QuestionnaireInput {
        language: Language::En,
        questions: questions
            .iter()
            .map(|(prompt, kind)| Question { prompt: (*prompt).into(), kind: *kind, options: Vec::new() })
            .collect(),
    }
}
