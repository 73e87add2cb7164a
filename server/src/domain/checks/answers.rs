//! Answers to a questionnaire, validated against its question types:
//! ratings 1 to 5, yes/no, one of a choice's options, free text up to
//! [`MAX_TEXT_LEN`] characters.
use serde::{Deserialize, Serialize};

use crate::domain::questions::{Question, QuestionType};
use crate::domain::{DomainError, DomainResult};

/// Longest free-text answer, in characters.
pub const MAX_TEXT_LEN: usize = 20_000;

/// One answer: the question's 0-based index and the value as text
/// (`"1"`..`"5"`, `"yes"`/`"no"`, an option, or free text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub question: usize,
    pub value: String,
}

/// Checks `answers` against `questions`. A draft may leave questions out;
/// a final answer (`complete`) must answer every one.
pub fn validate(questions: &[Question], answers: Vec<Answer>, complete: bool) -> DomainResult<Vec<Answer>> {
    let mut out: Vec<Answer> = Vec::with_capacity(answers.len());
    for (i, answer) in answers.into_iter().enumerate() {
        let field = format!("answers[{i}]");
        let Some(question) = questions.get(answer.question) else {
            return Err(DomainError::invalid(
                format!("{field}.question"),
                format!(
                    "there are {} questions; use an index from 0 to {}",
                    questions.len(),
                    questions.len().saturating_sub(1)
                ),
            ));
        };
        if out.iter().any(|a| a.question == answer.question) {
            return Err(DomainError::invalid(format!("{field}.question"), "this question is answered twice"));
        }
        let value = value(&format!("{field}.value"), question, &answer.value)?;
        out.push(Answer { question: answer.question, value });
    }
    if complete {
        if let Some(missing) = (0..questions.len()).find(|q| !out.iter().any(|a| a.question == *q)) {
            return Err(DomainError::invalid(
                "answers",
                format!("question {} (\"{}\") is not answered", missing + 1, questions[missing].prompt),
            ));
        }
    }
    out.sort_by_key(|a| a.question);
    Ok(out)
}

fn value(field: &str, question: &Question, raw: &str) -> DomainResult<String> {
    let trimmed = raw.trim();
    let bad = |message: String| Err(DomainError::invalid(field.to_owned(), message));
    match question.kind {
        QuestionType::Rating1To5 => match trimmed.parse::<u8>() {
            Ok(n @ 1..=5) => Ok(n.to_string()),
            _ => bad("a rating from 1 to 5".into()),
        },
        QuestionType::YesNo => match trimmed.to_ascii_lowercase().as_str() {
            v @ ("yes" | "no") => Ok(v.to_owned()),
            _ => bad("\"yes\" or \"no\"".into()),
        },
        QuestionType::Choice => match question.options.iter().find(|o| o.eq_ignore_ascii_case(trimmed)) {
            Some(option) => Ok(option.clone()),
            None => bad(format!("one of: {}", question.options.join(", "))),
        },
        QuestionType::Text => {
            if trimmed.is_empty() {
                return bad("must not be empty".into());
            }
            if trimmed.chars().count() > MAX_TEXT_LEN {
                return bad(format!("at most {MAX_TEXT_LEN} characters"));
            }
            if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
                return bad("must not contain control characters".into());
            }
            Ok(trimmed.to_owned())
        }
    }
}

/// Answers as stored.
pub fn to_json(answers: &[Answer]) -> serde_json::Value {
    serde_json::to_value(answers).unwrap_or(serde_json::Value::Null)
}

/// Stored answers (none when never saved or purged).
pub fn from_json(value: Option<&serde_json::Value>) -> Vec<Answer> {
    value.and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions() -> Vec<Question> {
        let q = |kind, options: &[&str]| Question {
            prompt: "q".into(),
            kind,
            options: options.iter().map(|s| s.to_string()).collect(),
        };
        vec![
            q(QuestionType::Rating1To5, &[]),
            q(QuestionType::YesNo, &[]),
            q(QuestionType::Choice, &["Red", "Blue"]),
            q(QuestionType::Text, &[]),
        ]
    }

    fn a(question: usize, value: &str) -> Answer {
        Answer { question, value: value.into() }
    }

    #[test]
    fn accepts_and_normalises_each_type() {
        let ok = validate(&questions(), vec![a(3, " hi "), a(0, "5"), a(1, "YES"), a(2, "blue")], true)
            .expect("valid");
        assert_eq!(ok, vec![a(0, "5"), a(1, "yes"), a(2, "Blue"), a(3, "hi")]);
        assert!(validate(&questions(), vec![a(0, "3")], false).is_ok(), "drafts may be partial");
    }

    #[test]
    fn refuses_bad_answers_naming_the_field() {
        let long = "x".repeat(MAX_TEXT_LEN + 1);
        let cases = vec![
            (vec![a(0, "6")], "answers[0].value"),
            (vec![a(0, "0")], "answers[0].value"),
            (vec![a(1, "maybe")], "answers[0].value"),
            (vec![a(2, "Green")], "answers[0].value"),
            (vec![a(0, "1"), a(3, &long)], "answers[1].value"),
            (vec![a(9, "1")], "answers[0].question"),
            (vec![a(0, "1"), a(0, "2")], "answers[1].question"),
        ];
        for (answers, field) in cases {
            match validate(&questions(), answers, false) {
                Err(DomainError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("expected {field}, got {other:?}"),
            }
        }
        assert!(validate(&questions(), vec![a(0, "1")], true).is_err(), "final answers are complete");
    }
}
