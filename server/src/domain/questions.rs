//! Questionnaire content: the questions of one step in one language, stored
//! as JSON and validated here before every write, so that what is stored can
//! always be rendered.
use serde::{Deserialize, Serialize};

use super::{DomainError, DomainResult};

/// Most questions in one questionnaire.
pub const MAX_QUESTIONS: usize = 50;
/// Longest question prompt, in characters.
pub const MAX_PROMPT_LEN: usize = 1_000;
/// Most options of a choice question.
pub const MAX_OPTIONS: usize = 20;
/// Longest option label, in characters.
pub const MAX_OPTION_LEN: usize = 200;

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QuestionType {
    /// Free text.
    Text,
    /// A rating from 1 to 5.
    #[serde(rename = "RATING_1_5")]
    Rating1To5,
    /// Yes or no.
    YesNo,
    /// One of `options`.
    Choice,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub prompt: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// Choice questions only; empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// Trims and checks a questionnaire. `field` is the input path of the
/// questionnaire (e.g. `steps[0].questionnaires[1]`), used in errors.
pub fn validate(field: &str, questions: Vec<Question>) -> DomainResult<Vec<Question>> {
    if questions.is_empty() {
        return Err(DomainError::invalid(format!("{field}.questions"), "add at least one question"));
    }
    if questions.len() > MAX_QUESTIONS {
        return Err(DomainError::invalid(
            format!("{field}.questions"),
            format!("at most {MAX_QUESTIONS} questions"),
        ));
    }
    questions
        .into_iter()
        .enumerate()
        .map(|(i, q)| validate_question(&format!("{field}.questions[{i}]"), q))
        .collect()
}

fn validate_question(field: &str, q: Question) -> DomainResult<Question> {
    let prompt = bounded_text(&format!("{field}.prompt"), &q.prompt, MAX_PROMPT_LEN)?;
    let options = match q.kind {
        QuestionType::Choice => {
            if q.options.len() < 2 || q.options.len() > MAX_OPTIONS {
                return Err(DomainError::invalid(
                    format!("{field}.options"),
                    format!("a choice question needs 2 to {MAX_OPTIONS} options"),
                ));
            }
            let mut seen = Vec::with_capacity(q.options.len());
            for (i, option) in q.options.iter().enumerate() {
                let option = bounded_text(&format!("{field}.options[{i}]"), option, MAX_OPTION_LEN)?;
                if seen.iter().any(|s: &String| s.eq_ignore_ascii_case(&option)) {
                    return Err(DomainError::invalid(
                        format!("{field}.options[{i}]"),
                        format!("the option {option:?} appears twice"),
                    ));
                }
                seen.push(option);
            }
            seen
        }
        _ if !q.options.is_empty() => {
            return Err(DomainError::invalid(
                format!("{field}.options"),
                "only choice questions have options; remove them or make the question a choice",
            ));
        }
        _ => Vec::new(),
    };
    Ok(Question { prompt, kind: q.kind, options })
}

/// Trimmed, non-empty, at most `max` characters, no control characters
/// other than line breaks.
fn bounded_text(field: &str, raw: &str, max: usize) -> DomainResult<String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(DomainError::invalid(field.to_owned(), "must not be empty"));
    }
    if text.chars().count() > max {
        return Err(DomainError::invalid(field.to_owned(), format!("at most {max} characters")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(DomainError::invalid(field.to_owned(), "must not contain control characters"));
    }
    Ok(text.to_owned())
}

/// Reads stored questions back (written by [`validate`], so a failure is a bug).
pub fn from_json(value: &serde_json::Value) -> DomainResult<Vec<Question>> {
    serde_json::from_value(value.clone()).map_err(|e| DomainError::internal(format!("stored questions: {e}")))
}

/// Questions as stored.
pub fn to_json(questions: &[Question]) -> serde_json::Value {
    serde_json::to_value(questions).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(prompt: &str, kind: QuestionType, options: &[&str]) -> Question {
        Question { prompt: prompt.into(), kind, options: options.iter().map(|s| s.to_string()).collect() }
    }

    fn field_of(err: DomainError) -> String {
        match err {
            DomainError::Invalid { field, .. } => field.into_owned(),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn accepts_every_type_and_trims() {
        let ok = validate(
            "q",
            vec![
                q("  How?  ", QuestionType::Text, &[]),
                q("Rate", QuestionType::Rating1To5, &[]),
                q("Again?", QuestionType::YesNo, &[]),
                q("Which", QuestionType::Choice, &["A", " B "]),
            ],
        )
        .expect("valid");
        assert_eq!(ok[0].prompt, "How?");
        assert_eq!(ok[3].options, vec!["A", "B"]);
        let json = to_json(&ok);
        assert_eq!(json[1]["type"], "RATING_1_5");
        assert_eq!(from_json(&json).expect("round trip"), ok);
    }

    #[test]
    fn refuses_bad_questions_naming_the_field() {
        let cases: Vec<(Vec<Question>, &str)> = vec![
            (vec![], "q.questions"),
            (vec![q(" ", QuestionType::Text, &[])], "q.questions[0].prompt"),
            (vec![q(&"x".repeat(10_000), QuestionType::Text, &[])], "q.questions[0].prompt"),
            (
                vec![q("ok", QuestionType::Text, &[]), q("c", QuestionType::Choice, &["one"])],
                "q.questions[1].options",
            ),
            (vec![q("c", QuestionType::Choice, &["a", "A"])], "q.questions[0].options[1]"),
            (vec![q("c", QuestionType::Choice, &["a", ""])], "q.questions[0].options[1]"),
            (vec![q("y", QuestionType::YesNo, &["a"])], "q.questions[0].options"),
            ((0..=MAX_QUESTIONS).map(|_| q("x", QuestionType::Text, &[])).collect(), "q.questions"),
        ];
        for (questions, field) in cases {
            assert_eq!(field_of(validate("q", questions).expect_err("refused")), field);
        }
    }
}
