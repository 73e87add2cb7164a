//! Resolution: for an opportunity in a posting entering a stage, which rule,
//! template, step and language apply.
//!
//! [`resolve`] is pure (no database, no clock), so every branch is a table
//! row in the tests; [`load`] reads what it needs for one connection. The
//! webhook processor calls `load(..)` once per event and then `resolve(..)`.
//!
//! How a rule is chosen for a posting: enabled rules naming the posting win
//! over an enabled "all postings" rule; validation keeps at most one of each,
//! and the lowest position breaks any tie that slips past it. A disabled rule
//! is only reported, never applied.
//!
//! The posting's `Vouch Template: <name>` tag replaces the rule's template
//! when it names an active template of the organization (ignoring case).
//! The rule's stage mapping then applies by step position: the stage that
//! starts the rule template's step N starts the tag template's step N. An
//! unknown or archived name leaves the rule's template in place, with a note.
//!
//! Language: the rule's, or, when the chosen step has no questionnaire in it
//! (possible with a tag template), the company's default language (which
//! every template has), with a note.
pub(crate) mod load;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use entity::template_step::StepKind;
use entity::Language;
use uuid::Uuid;

pub use load::load;

/// The tag prefix that picks a template on a Lever posting.
pub const TEMPLATE_TAG_PREFIX: &str = "Vouch Template:";

/// A rule, as resolution needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleView {
    pub id: Uuid,
    pub name: String,
    pub enabled: bool,
    pub position: i32,
    pub all_postings: bool,
    /// Lever posting ids (ignored when `all_postings`).
    pub posting_ids: Vec<String>,
    pub template_id: Uuid,
    pub language: Language,
    /// Template step id → Lever stage id.
    pub stages: HashMap<Uuid, String>,
}

/// A template, as resolution needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateView {
    pub id: Uuid,
    pub name: String,
    pub archived: bool,
    /// In order.
    pub steps: Vec<StepView>,
}

/// A template step, as resolution needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepView {
    pub id: Uuid,
    pub kind: StepKind,
    /// Languages it has a questionnaire in.
    pub languages: Vec<Language>,
}

/// Everything [`resolve`] reads, for one Lever connection.
#[derive(Debug, Clone)]
pub struct Setup {
    pub rules: Vec<RuleView>,
    /// Every template of the organization, archived ones included.
    pub templates: Vec<TemplateView>,
    pub default_language: Language,
}

/// What happened in Lever.
#[derive(Debug, Clone, Copy)]
pub struct Trigger<'a> {
    pub posting_id: &'a str,
    pub stage_id: &'a str,
    /// The posting's tags (from the catalogue, or fresher from Lever).
    pub posting_tags: &'a [String],
}

/// The answer: an outcome, plus notes worth showing an admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub outcome: Outcome,
    pub notes: Vec<Note>,
}

/// Whether a step starts, and if not, why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Start this step.
    Start(Decision),
    /// No rule covers the posting.
    NoRule,
    /// Only a disabled rule covers the posting.
    RuleDisabled { rule_id: Uuid, rule_name: String },
    /// The rule covers the posting but no step starts in this stage.
    StageNotMapped { rule_id: Uuid, rule_name: String, template_id: Uuid },
    /// The tag's template has no step at the position the stage starts.
    TagTemplateLacksStep {
        rule_id: Uuid,
        rule_name: String,
        template_id: Uuid,
        template_name: String,
        step_index: usize,
    },
    /// The rule's template is not among the organization's templates (a bug
    /// or a concurrent delete; never expected).
    TemplateMissing { rule_id: Uuid, rule_name: String },
}

/// What to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub rule_id: Uuid,
    pub rule_name: String,
    pub template_id: Uuid,
    pub template_name: String,
    pub template_source: TemplateSource,
    pub step_id: Uuid,
    /// 0-based.
    pub step_index: usize,
    pub step_kind: StepKind,
    pub language: Language,
}

/// Where the template came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateSource {
    Rule,
    /// The posting's `Vouch Template:` tag.
    PostingTag,
}

/// Something an admin may want to know, that did not stop resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A `Vouch Template:` tag names no template (the rule's template is used).
    UnknownTemplateTag { name: String },
    /// A `Vouch Template:` tag names an archived template (the rule's is used).
    ArchivedTemplateTag { name: String },
    /// The step has no questionnaire in the rule's language.
    LanguageFallback { wanted: Language, used: Language },
    /// A specific rule won over an "all postings" rule that also covers it.
    SpecificRuleWins { over_rule_id: Uuid, over_rule_name: String },
}

/// Answers which rule, template, step and language apply. Pure.
pub fn resolve(setup: &Setup, trigger: &Trigger<'_>) -> Resolution {
    let mut notes = Vec::new();
    let Some(rule) = pick_rule(&setup.rules, trigger.posting_id, &mut notes) else {
        return Resolution { outcome: Outcome::NoRule, notes };
    };
    if !rule.enabled {
        let outcome = Outcome::RuleDisabled { rule_id: rule.id, rule_name: rule.name.clone() };
        return Resolution { outcome, notes };
    }
    let Some(rule_template) = setup.templates.iter().find(|t| t.id == rule.template_id) else {
        let outcome = Outcome::TemplateMissing { rule_id: rule.id, rule_name: rule.name.clone() };
        return Resolution { outcome, notes };
    };
    let (template, source) = match tag_template(&setup.templates, trigger.posting_tags, &mut notes) {
        Some(t) => (t, TemplateSource::PostingTag),
        None => (rule_template, TemplateSource::Rule),
    };
    let step_index = rule_template
        .steps
        .iter()
        .position(|s| rule.stages.get(&s.id).map(String::as_str) == Some(trigger.stage_id));
    let Some(step_index) = step_index else {
        let outcome = Outcome::StageNotMapped {
            rule_id: rule.id,
            rule_name: rule.name.clone(),
            template_id: template.id,
        };
        return Resolution { outcome, notes };
    };
    let Some(step) = template.steps.get(step_index) else {
        let outcome = Outcome::TagTemplateLacksStep {
            rule_id: rule.id,
            rule_name: rule.name.clone(),
            template_id: template.id,
            template_name: template.name.clone(),
            step_index,
        };
        return Resolution { outcome, notes };
    };
    let language = pick_language(step, rule.language, setup.default_language, &mut notes);
    let decision = Decision {
        rule_id: rule.id,
        rule_name: rule.name.clone(),
        template_id: template.id,
        template_name: template.name.clone(),
        template_source: source,
        step_id: step.id,
        step_index,
        step_kind: step.kind,
        language,
    };
    Resolution { outcome: Outcome::Start(decision), notes }
}

/// Whether a rule covers a posting (enabled or not).
pub fn covers(rule: &RuleView, posting_id: &str) -> bool {
    rule.all_postings || rule.posting_ids.iter().any(|p| p == posting_id)
}

fn pick_rule<'a>(rules: &'a [RuleView], posting_id: &str, notes: &mut Vec<Note>) -> Option<&'a RuleView> {
    let best = |enabled: bool, all: bool| {
        rules
            .iter()
            .filter(|r| r.enabled == enabled && r.all_postings == all && covers(r, posting_id))
            .min_by_key(|r| r.position)
    };
    let specific = best(true, false);
    let catch_all = best(true, true);
    if let (Some(_), Some(all)) = (specific, catch_all) {
        notes.push(Note::SpecificRuleWins { over_rule_id: all.id, over_rule_name: all.name.clone() });
    }
    specific.or(catch_all).or_else(|| best(false, false)).or_else(|| best(false, true))
}

/// The template named by the posting's first `Vouch Template:` tag that names
/// an active template; notes the others.
fn tag_template<'a>(
    templates: &'a [TemplateView],
    tags: &[String],
    notes: &mut Vec<Note>,
) -> Option<&'a TemplateView> {
    for name in tags.iter().filter_map(|t| template_tag_name(t)) {
        match templates.iter().find(|t| t.name.to_lowercase() == name.to_lowercase()) {
            Some(t) if !t.archived => return Some(t),
            Some(_) => notes.push(Note::ArchivedTemplateTag { name: name.to_owned() }),
            None => notes.push(Note::UnknownTemplateTag { name: name.to_owned() }),
        }
    }
    None
}

/// The template name in a `Vouch Template: <name>` tag, if it is one.
pub fn template_tag_name(tag: &str) -> Option<&str> {
    let head = tag.get(..TEMPLATE_TAG_PREFIX.len())?;
    if !head.eq_ignore_ascii_case(TEMPLATE_TAG_PREFIX) {
        return None;
    }
    let name = tag[TEMPLATE_TAG_PREFIX.len()..].trim();
    (!name.is_empty()).then_some(name)
}

/// The tag that names a template.
pub fn template_tag(name: &str) -> String {
    format!("{TEMPLATE_TAG_PREFIX} {name}")
}

fn pick_language(step: &StepView, wanted: Language, default: Language, notes: &mut Vec<Note>) -> Language {
    if step.languages.contains(&wanted) {
        return wanted;
    }
    let used = if step.languages.contains(&default) {
        default
    } else {
        step.languages.first().copied().unwrap_or(default)
    };
    notes.push(Note::LanguageFallback { wanted, used });
    used
}
