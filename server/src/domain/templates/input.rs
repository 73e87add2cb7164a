//! What an admin sends to create or change a template, and its validation
//! (pure: no database), each error naming the input path.
use std::collections::HashSet;

use entity::template_step::StepKind;
use entity::Language;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::questions::{self, Question};
use crate::domain::{validate, DomainError, DomainResult};

/// Most steps in one template.
pub const MAX_STEPS: usize = 10;
/// Referees a reference check may ask for.
pub const REFEREES: std::ops::RangeInclusive<i32> = 1..=10;

/// Who a referee is to the candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RelationshipKind {
    Manager,
    Peer,
    Report,
    Other,
}

/// One step as sent.
#[derive(Debug, Clone)]
pub struct StepInput {
    /// An existing step of the template to keep (its rule mappings stay);
    /// `None` adds a step.
    pub id: Option<Uuid>,
    pub kind: StepKind,
    pub referees_required: Option<i32>,
    pub relationship_kinds: Vec<RelationshipKind>,
    pub questionnaires: Vec<QuestionnaireInput>,
}

/// One questionnaire as sent.
#[derive(Debug, Clone)]
pub struct QuestionnaireInput {
    pub language: Language,
    pub questions: Vec<Question>,
}

/// A step after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidStep {
    pub id: Option<Uuid>,
    pub kind: StepKind,
    pub referees_required: Option<i32>,
    pub relationship_kinds: Vec<RelationshipKind>,
    /// In [`Language::ALL`] order.
    pub questionnaires: Vec<(Language, Vec<Question>)>,
}

/// A template name: as a user name, and usable inside a Lever tag.
pub fn name(raw: &str) -> DomainResult<String> {
    let name = validate::name("name", raw)?;
    if name.contains(',') {
        // Lever's tag filters split on commas.
        return Err(DomainError::invalid("name", "must not contain a comma (Lever tags cannot hold one)"));
    }
    Ok(name)
}

/// The key template names are unique by.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// Checks every step; `existing` are the ids of the template's steps today
/// (empty for a new template).
pub fn steps(
    raw: Vec<StepInput>,
    default_language: Language,
    existing: &HashSet<Uuid>,
) -> DomainResult<Vec<ValidStep>> {
    if raw.is_empty() {
        return Err(DomainError::invalid("steps", "add at least one step"));
    }
    if raw.len() > MAX_STEPS {
        return Err(DomainError::invalid("steps", format!("at most {MAX_STEPS} steps")));
    }
    let mut seen_ids = HashSet::new();
    raw.into_iter()
        .enumerate()
        .map(|(i, step)| {
            let field = format!("steps[{i}]");
            if let Some(id) = step.id {
                if !existing.contains(&id) || !seen_ids.insert(id) {
                    return Err(DomainError::invalid(
                        format!("{field}.id"),
                        "not a step of this template; leave the id out to add a step",
                    ));
                }
            }
            one_step(&field, step, default_language)
        })
        .collect()
}

fn one_step(field: &str, step: StepInput, default_language: Language) -> DomainResult<ValidStep> {
    let (referees_required, relationship_kinds) = match step.kind {
        StepKind::ReferenceCheck => {
            let count = step.referees_required.ok_or_else(|| {
                DomainError::invalid(format!("{field}.refereesRequired"), "say how many referees (1 to 10)")
            })?;
            if !REFEREES.contains(&count) {
                return Err(DomainError::invalid(format!("{field}.refereesRequired"), "between 1 and 10"));
            }
            let mut kinds = step.relationship_kinds;
            kinds.sort();
            kinds.dedup();
            if kinds.is_empty() {
                return Err(DomainError::invalid(
                    format!("{field}.relationshipKinds"),
                    "choose at least one kind of referee (manager, peer, report, other)",
                ));
            }
            (Some(count), kinds)
        }
        StepKind::SelfAssessment => {
            if step.referees_required.is_some() || !step.relationship_kinds.is_empty() {
                return Err(DomainError::invalid(
                    format!("{field}.refereesRequired"),
                    "a self-assessment has no referees; remove the referee settings",
                ));
            }
            (None, Vec::new())
        }
    };
    let mut questionnaires: Vec<(Language, Vec<Question>)> = Vec::new();
    for (j, q) in step.questionnaires.into_iter().enumerate() {
        let qfield = format!("{field}.questionnaires[{j}]");
        if questionnaires.iter().any(|(l, _)| *l == q.language) {
            return Err(DomainError::invalid(
                format!("{qfield}.language"),
                format!("a second {} questionnaire; keep one per language", q.language.english_name()),
            ));
        }
        questionnaires.push((q.language, questions::validate(&qfield, q.questions)?));
    }
    if !questionnaires.iter().any(|(l, _)| *l == default_language) {
        return Err(DomainError::invalid(
            format!("{field}.questionnaires"),
            format!(
                "add a questionnaire in {} (the company's default language)",
                default_language.english_name()
            ),
        ));
    }
    questionnaires.sort_by_key(|(l, _)| *l);
    Ok(ValidStep { id: step.id, kind: step.kind, referees_required, relationship_kinds, questionnaires })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questions::QuestionType;

    fn questionnaire(language: Language) -> QuestionnaireInput {
        QuestionnaireInput {
            language,
            questions: vec![Question { prompt: "Why?".into(), kind: QuestionType::Text, options: vec![] }],
        }
    }

    fn reference(count: Option<i32>, kinds: Vec<RelationshipKind>) -> StepInput {
        StepInput {
            id: None,
            kind: StepKind::ReferenceCheck,
            referees_required: count,
            relationship_kinds: kinds,
            questionnaires: vec![questionnaire(Language::En)],
        }
    }

    fn field(result: DomainResult<Vec<ValidStep>>) -> String {
        match result {
            Err(DomainError::Invalid { field, .. }) => field.into_owned(),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn refusals_name_the_field() {
        let none = HashSet::new();
        let en = Language::En;
        assert_eq!(field(steps(vec![], en, &none)), "steps");
        assert_eq!(
            field(steps(vec![reference(None, vec![RelationshipKind::Peer])], en, &none)),
            "steps[0].refereesRequired"
        );
        assert_eq!(
            field(steps(vec![reference(Some(11), vec![RelationshipKind::Peer])], en, &none)),
            "steps[0].refereesRequired"
        );
        assert_eq!(
            field(steps(vec![reference(Some(0), vec![RelationshipKind::Peer])], en, &none)),
            "steps[0].refereesRequired"
        );
        assert_eq!(field(steps(vec![reference(Some(2), vec![])], en, &none)), "steps[0].relationshipKinds");
        assert_eq!(
            field(steps(vec![reference(Some(2), vec![RelationshipKind::Peer])], Language::Sv, &none)),
            "steps[0].questionnaires"
        );
        let mut twice = reference(Some(2), vec![RelationshipKind::Peer]);
        twice.questionnaires.push(questionnaire(Language::En));
        assert_eq!(field(steps(vec![twice], en, &none)), "steps[0].questionnaires[1].language");
        let mut foreign = reference(Some(2), vec![RelationshipKind::Peer]);
        foreign.id = Some(Uuid::new_v4());
        assert_eq!(field(steps(vec![foreign], en, &none)), "steps[0].id");
        let self_with_referees = StepInput { kind: StepKind::SelfAssessment, ..reference(Some(2), vec![]) };
        assert_eq!(field(steps(vec![self_with_referees], en, &none)), "steps[0].refereesRequired");
        let too_many = (0..=MAX_STEPS).map(|_| reference(Some(1), vec![RelationshipKind::Other])).collect();
        assert_eq!(field(steps(too_many, en, &none)), "steps");
    }

    #[test]
    fn names() {
        assert!(name("").is_err());
        assert!(name(&"n".repeat(10_000)).is_err());
        assert!(name("a, b").is_err());
        assert_eq!(name("  Standard check ").expect("valid"), "Standard check");
        assert_eq!(name_key("Standard CHECK"), "standard check");
    }

    #[test]
    fn dedups_kinds_and_orders_languages() {
        let mut step = reference(
            Some(3),
            vec![RelationshipKind::Peer, RelationshipKind::Manager, RelationshipKind::Peer],
        );
        step.questionnaires.insert(0, questionnaire(Language::De));
        let valid = steps(vec![step], Language::En, &HashSet::new()).expect("valid");
        assert_eq!(valid[0].relationship_kinds, vec![RelationshipKind::Manager, RelationshipKind::Peer]);
        let languages: Vec<Language> = valid[0].questionnaires.iter().map(|(l, _)| *l).collect();
        assert_eq!(languages, vec![Language::En, Language::De]);
    }
}
