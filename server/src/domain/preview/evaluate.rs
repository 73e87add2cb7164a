//! The pure part of the dry run.
use entity::{lever_posting, lever_stage};

use super::OpportunityRead;
use crate::domain::catalogue::posting_tags;
use crate::domain::resolution::{
    resolve, Decision, Note, Outcome, Resolution, Setup, TemplateSource, Trigger,
};

/// What the dry run looks at.
pub struct PreviewInput<'a> {
    pub posting_id: &'a str,
    pub stage_id: &'a str,
    /// The catalogue's row for the posting, if it has one.
    pub posting: Option<&'a lever_posting::Model>,
    pub stage: Option<&'a lever_stage::Model>,
    /// `None` when no opportunity was given.
    pub opportunity: Option<&'a OpportunityRead>,
}

/// Why something would (not) happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonCode {
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

/// One line of explanation. `blocking` reasons stop the step from starting
/// (or, for a missing e-mail, make it wait as "action needed").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub code: ReasonCode,
    pub blocking: bool,
    pub message: String,
}

/// The dry run's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// True when the step would start and reach the candidate now.
    pub will_start: bool,
    /// The rule, template, step and language that apply, when one does.
    pub decision: Option<Decision>,
    /// One sentence for the admin.
    pub summary: String,
    pub reasons: Vec<Reason>,
}

impl Preview {
    /// The answer when the organization has no Lever connection.
    pub fn no_connection() -> Self {
        Preview {
            will_start: false,
            decision: None,
            summary: "Nothing would happen: Lever is not connected.".into(),
            reasons: vec![reason(ReasonCode::NoConnection, true, "connect Lever first".into())],
        }
    }
}

fn reason(code: ReasonCode, blocking: bool, message: String) -> Reason {
    Reason { code, blocking, message }
}

/// Explains what resolution and the opportunity's data mean together.
pub fn evaluate(setup: &Setup, input: &PreviewInput<'_>) -> Preview {
    let mut reasons = catalogue_reasons(input);
    let fresh_tags = match input.opportunity {
        Some(OpportunityRead::Read(facts)) => facts.tags.clone(),
        _ => None,
    };
    let tags = fresh_tags.unwrap_or_else(|| input.posting.map(posting_tags).unwrap_or_default());
    let trigger = Trigger { posting_id: input.posting_id, stage_id: input.stage_id, posting_tags: &tags };
    let Resolution { outcome, notes } = resolve(setup, &trigger);
    reasons.extend(notes.iter().map(note_reason));
    let decision = match outcome {
        Outcome::Start(decision) => Some(decision),
        other => {
            reasons.push(outcome_reason(&other, input));
            None
        }
    };
    if decision.is_some() {
        reasons.extend(opportunity_reasons(input.opportunity));
    }
    let will_start = decision.is_some() && !reasons.iter().any(|r| r.blocking);
    let summary = summary(decision.as_ref(), will_start, &reasons);
    Preview { will_start, decision, summary, reasons }
}

fn catalogue_reasons(input: &PreviewInput<'_>) -> Vec<Reason> {
    let mut out = Vec::new();
    match input.posting {
        None => out.push(reason(
            ReasonCode::PostingUnknown,
            false,
            "the posting is not in the postings read from Lever; sync again if it is new".into(),
        )),
        Some(p) if p.gone_at.is_some() => out.push(reason(
            ReasonCode::PostingGone,
            false,
            format!("Lever no longer lists the posting {:?}", p.text),
        )),
        Some(_) => {}
    }
    match input.stage {
        None => out.push(reason(
            ReasonCode::StageUnknown,
            false,
            "the stage is not in the stages read from Lever; sync again if it is new".into(),
        )),
        Some(s) if s.gone_at.is_some() => out.push(reason(
            ReasonCode::StageGone,
            false,
            format!("Lever no longer lists the stage {:?}", s.text),
        )),
        Some(_) => {}
    }
    out
}

fn note_reason(note: &Note) -> Reason {
    match note {
        Note::UnknownTemplateTag { name } => reason(
            ReasonCode::TemplateTagUnknown,
            false,
            format!("the posting's tag names the template {name:?}, which does not exist; the rule's template is used instead"),
        ),
        Note::ArchivedTemplateTag { name } => reason(
            ReasonCode::TemplateTagArchived,
            false,
            format!("the posting's tag names the archived template {name:?}; the rule's template is used instead"),
        ),
        Note::LanguageFallback { wanted, used } => reason(
            ReasonCode::LanguageFallback,
            false,
            format!(
                "the step has no {} questionnaire, so it is sent in {}",
                wanted.english_name(),
                used.english_name()
            ),
        ),
        Note::SpecificRuleWins { over_rule_name, .. } => reason(
            ReasonCode::SpecificRuleWins,
            false,
            format!("the \"all postings\" rule {over_rule_name:?} also covers the posting; the specific rule wins"),
        ),
    }
}

fn outcome_reason(outcome: &Outcome, input: &PreviewInput<'_>) -> Reason {
    let stage = input.stage.map_or_else(|| "this stage".to_owned(), |s| format!("{:?}", s.text));
    match outcome {
        // Not called for a start; kept total so a new outcome cannot be missed.
        Outcome::Start(_) => reason(ReasonCode::NoRule, false, "a step starts".into()),
        Outcome::NoRule => reason(ReasonCode::NoRule, true, "no rule covers this posting".into()),
        Outcome::RuleDisabled { rule_name, .. } => reason(
            ReasonCode::RuleDisabled,
            true,
            format!("the rule {rule_name:?} covers this posting but is disabled"),
        ),
        Outcome::StageNotMapped { rule_name, .. } => reason(
            ReasonCode::StageNotMapped,
            true,
            format!("the rule {rule_name:?} starts no step in {stage}"),
        ),
        Outcome::TagTemplateLacksStep { template_name, step_index, .. } => reason(
            ReasonCode::TagTemplateLacksStep,
            true,
            format!(
                "the posting's tag picks the template {template_name:?}, which has no step {}",
                step_index + 1
            ),
        ),
        Outcome::TemplateMissing { rule_name, .. } => {
            reason(ReasonCode::TemplateMissing, true, format!("the rule {rule_name:?} has no template"))
        }
    }
}

fn opportunity_reasons(opportunity: Option<&OpportunityRead>) -> Vec<Reason> {
    match opportunity {
        None => Vec::new(),
        Some(OpportunityRead::Read(facts)) if facts.emails.iter().all(|e| e.trim().is_empty()) => vec![reason(
            ReasonCode::NoEmail,
            true,
            "the candidate has no e-mail address in Lever: the check would wait as \"action needed\" until one is added"
                .into(),
        )],
        Some(OpportunityRead::Read(_)) => Vec::new(),
        Some(OpportunityRead::NotFound) => {
            vec![reason(ReasonCode::OpportunityNotFound, true, "Lever has no such opportunity".into())]
        }
        Some(OpportunityRead::NotChecked(why)) => vec![reason(ReasonCode::OpportunityNotChecked, false, why.clone())],
    }
}

fn summary(decision: Option<&Decision>, will_start: bool, reasons: &[Reason]) -> String {
    let Some(d) = decision else {
        let why = reasons.iter().find(|r| r.blocking).map_or("", |r| r.message.as_str());
        return format!("Nothing would happen: {why}.");
    };
    let source = match d.template_source {
        TemplateSource::Rule => "the rule's template",
        TemplateSource::PostingTag => "chosen by the posting's tag",
    };
    let what = format!(
        "rule {:?} starts step {} of {:?} ({source}) in {}",
        d.rule_name,
        d.step_index + 1,
        d.template_name,
        d.language.english_name()
    );
    if will_start {
        format!("Vouch would start it: {what}.")
    } else {
        let why = reasons.iter().find(|r| r.blocking).map_or("", |r| r.message.as_str());
        format!("It would not go out yet: {what}, but {why}.")
    }
}
