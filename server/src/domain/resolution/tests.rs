//! Every branch of [`resolve`], one table row each.
use std::collections::HashMap;

use entity::template_step::StepKind::{ReferenceCheck, SelfAssessment};
use entity::Language::{self, De, En, Sv};
use uuid::Uuid;

use super::*;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

// Templates: 10 "Standard" (one reference step 11, en+sv), 20 "Two step"
// (self 21 en, reference 22 en+de), 30 "Old" (archived, step 31),
// 40 "Short" (one self step 41, en only).
fn templates() -> Vec<TemplateView> {
    let step = |n, kind, languages: &[Language]| StepView { id: id(n), kind, languages: languages.to_vec() };
    vec![
        TemplateView {
            id: id(10),
            name: "Standard".into(),
            archived: false,
            steps: vec![step(11, ReferenceCheck, &[En, Sv])],
        },
        TemplateView {
            id: id(20),
            name: "Two step".into(),
            archived: false,
            steps: vec![step(21, SelfAssessment, &[En]), step(22, ReferenceCheck, &[En, De])],
        },
        TemplateView {
            id: id(30),
            name: "Old".into(),
            archived: true,
            steps: vec![step(31, SelfAssessment, &[En])],
        },
        TemplateView {
            id: id(40),
            name: "Short".into(),
            archived: false,
            steps: vec![step(41, SelfAssessment, &[En])],
        },
    ]
}

struct R {
    n: u128,
    enabled: bool,
    position: i32,
    all: bool,
    postings: &'static [&'static str],
    template: u128,
    language: Language,
    stages: &'static [(u128, &'static str)],
}

fn rule(r: R) -> RuleView {
    RuleView {
        id: id(r.n),
        name: format!("rule {}", r.n),
        enabled: r.enabled,
        position: r.position,
        all_postings: r.all,
        posting_ids: r.postings.iter().map(|s| s.to_string()).collect(),
        template_id: id(r.template),
        language: r.language,
        stages: r
            .stages
            .iter()
            .map(|(step, stage)| (id(*step), stage.to_string()))
            .collect::<HashMap<_, _>>(),
    }
}

/// Rule 100: specific, posting p1, "Two step", sv, stages s-self / s-ref.
fn specific(enabled: bool) -> RuleView {
    rule(R {
        n: 100,
        enabled,
        position: 1,
        all: false,
        postings: &["p1"],
        template: 20,
        language: Sv,
        stages: &[(21, "s-self"), (22, "s-ref")],
    })
}

/// Rule 200: all postings, "Standard", en, stage s-ref.
fn catch_all(enabled: bool) -> RuleView {
    rule(R {
        n: 200,
        enabled,
        position: 0,
        all: true,
        postings: &[],
        template: 10,
        language: En,
        stages: &[(11, "s-ref")],
    })
}

struct Case {
    name: &'static str,
    rules: Vec<RuleView>,
    posting: &'static str,
    stage: &'static str,
    tags: &'static [&'static str],
    expect: Expect,
    notes: Vec<Note>,
}

enum Expect {
    Start { rule: u128, template: u128, source: TemplateSource, step: u128, index: usize, language: Language },
    NoRule,
    Disabled(u128),
    NotMapped(u128),
    LacksStep(u128, u128),
    TemplateMissing(u128),
}

fn start(
    rule: u128,
    template: u128,
    source: TemplateSource,
    step: u128,
    index: usize,
    language: Language,
) -> Expect {
    Expect::Start { rule, template, source, step, index, language }
}

#[test]
fn resolution_table() {
    use TemplateSource::{PostingTag, Rule as FromRule};
    let cases = vec![
        Case {
            name: "no rules at all",
            rules: vec![],
            posting: "p1",
            stage: "s-ref",
            tags: &[],
            expect: Expect::NoRule,
            notes: vec![],
        },
        Case {
            name: "specific rule for another posting",
            rules: vec![specific(true)],
            posting: "p2",
            stage: "s-ref",
            tags: &[],
            expect: Expect::NoRule,
            notes: vec![],
        },
        Case {
            name: "specific rule, first step; no Swedish questionnaire there, so the default language",
            rules: vec![specific(true)],
            posting: "p1",
            stage: "s-self",
            tags: &[],
            expect: start(100, 20, FromRule, 21, 0, En),
            notes: vec![Note::LanguageFallback { wanted: Sv, used: En }],
        },
        Case {
            name: "all postings rule covers any posting, language present",
            rules: vec![rule(R {
                language: Sv,
                ..R {
                    n: 200,
                    enabled: true,
                    position: 0,
                    all: true,
                    postings: &[],
                    template: 10,
                    language: En,
                    stages: &[(11, "s-ref")],
                }
            })],
            posting: "anything",
            stage: "s-ref",
            tags: &[],
            expect: start(200, 10, FromRule, 11, 0, Sv),
            notes: vec![],
        },
        Case {
            name: "disabled rule is reported, not applied",
            rules: vec![specific(false)],
            posting: "p1",
            stage: "s-ref",
            tags: &[],
            expect: Expect::Disabled(100),
            notes: vec![],
        },
        Case {
            name: "disabled specific rule falls back to the enabled all-postings rule",
            rules: vec![specific(false), catch_all(true)],
            posting: "p1",
            stage: "s-ref",
            tags: &[],
            expect: start(200, 10, FromRule, 11, 0, En),
            notes: vec![],
        },
        Case {
            name: "stage not mapped",
            rules: vec![specific(true)],
            posting: "p1",
            stage: "s-other",
            tags: &[],
            expect: Expect::NotMapped(100),
            notes: vec![],
        },
        Case {
            name: "specific rule wins over all postings",
            rules: vec![catch_all(true), specific(true)],
            posting: "p1",
            stage: "s-ref",
            tags: &[],
            expect: start(100, 20, FromRule, 22, 1, En),
            notes: vec![
                Note::SpecificRuleWins { over_rule_id: id(200), over_rule_name: "rule 200".into() },
                Note::LanguageFallback { wanted: Sv, used: En },
            ],
        },
        Case {
            name: "all postings still covers other postings",
            rules: vec![catch_all(true), specific(true)],
            posting: "p9",
            stage: "s-ref",
            tags: &[],
            expect: start(200, 10, FromRule, 11, 0, En),
            notes: vec![],
        },
        Case {
            name: "tag names an active template (ignoring case): it replaces the rule's, by step position",
            rules: vec![catch_all(true)],
            posting: "p1",
            stage: "s-ref",
            tags: &["other", "vouch template:  two STEP "],
            expect: start(200, 20, PostingTag, 21, 0, En),
            notes: vec![],
        },
        Case {
            name: "tag names an unknown template: rule's template, noted",
            rules: vec![catch_all(true)],
            posting: "p1",
            stage: "s-ref",
            tags: &["Vouch Template: Nope"],
            expect: start(200, 10, FromRule, 11, 0, En),
            notes: vec![Note::UnknownTemplateTag { name: "Nope".into() }],
        },
        Case {
            name: "tag names an archived template: rule's template, noted",
            rules: vec![catch_all(true)],
            posting: "p1",
            stage: "s-ref",
            tags: &["Vouch Template: Old"],
            expect: start(200, 10, FromRule, 11, 0, En),
            notes: vec![Note::ArchivedTemplateTag { name: "Old".into() }],
        },
        Case {
            name: "first usable tag wins after unknown ones",
            rules: vec![catch_all(true)],
            posting: "p1",
            stage: "s-ref",
            tags: &["Vouch Template: Nope", "Vouch Template: Short", "Vouch Template: Standard"],
            expect: start(200, 40, PostingTag, 41, 0, En),
            notes: vec![Note::UnknownTemplateTag { name: "Nope".into() }],
        },
        Case {
            name: "tag template too short for the mapped step",
            rules: vec![specific(true)],
            posting: "p1",
            stage: "s-ref",
            tags: &["Vouch Template: Short"],
            expect: Expect::LacksStep(100, 40),
            notes: vec![],
        },
        Case {
            name: "tag on a posting without a rule changes nothing",
            rules: vec![],
            posting: "p1",
            stage: "s-ref",
            tags: &["Vouch Template: Standard"],
            expect: Expect::NoRule,
            notes: vec![],
        },
        Case {
            name: "empty tag name is not a template tag",
            rules: vec![catch_all(true)],
            posting: "p1",
            stage: "s-ref",
            tags: &["Vouch Template:   "],
            expect: start(200, 10, FromRule, 11, 0, En),
            notes: vec![],
        },
        Case {
            name: "lowest position wins among overlapping enabled specific rules",
            rules: vec![
                rule(R {
                    n: 300,
                    enabled: true,
                    position: 5,
                    all: false,
                    postings: &["p1"],
                    template: 10,
                    language: En,
                    stages: &[(11, "s-ref")],
                }),
                rule(R {
                    n: 301,
                    enabled: true,
                    position: 2,
                    all: false,
                    postings: &["p1"],
                    template: 10,
                    language: En,
                    stages: &[(11, "s-ref")],
                }),
            ],
            posting: "p1",
            stage: "s-ref",
            tags: &[],
            expect: start(301, 10, FromRule, 11, 0, En),
            notes: vec![],
        },
        Case {
            name: "rule whose template is missing",
            rules: vec![rule(R {
                n: 400,
                enabled: true,
                position: 0,
                all: true,
                postings: &[],
                template: 99,
                language: En,
                stages: &[],
            })],
            posting: "p1",
            stage: "s-ref",
            tags: &[],
            expect: Expect::TemplateMissing(400),
            notes: vec![],
        },
    ];
    for case in cases {
        let setup = Setup { rules: case.rules, templates: templates(), default_language: En };
        let tags: Vec<String> = case.tags.iter().map(|t| t.to_string()).collect();
        let got =
            resolve(&setup, &Trigger { posting_id: case.posting, stage_id: case.stage, posting_tags: &tags });
        let ok = match (&case.expect, &got.outcome) {
            (Expect::Start { rule, template, source, step, index, language }, Outcome::Start(d)) => {
                d.rule_id == id(*rule)
                    && d.template_id == id(*template)
                    && d.template_source == *source
                    && d.step_id == id(*step)
                    && d.step_index == *index
                    && d.language == *language
            }
            (Expect::NoRule, Outcome::NoRule) => true,
            (Expect::Disabled(r), Outcome::RuleDisabled { rule_id, .. }) => *rule_id == id(*r),
            (Expect::NotMapped(r), Outcome::StageNotMapped { rule_id, .. }) => *rule_id == id(*r),
            (
                Expect::LacksStep(r, t),
                Outcome::TagTemplateLacksStep { rule_id, template_id, step_index, .. },
            ) => *rule_id == id(*r) && *template_id == id(*t) && *step_index == 1,
            (Expect::TemplateMissing(r), Outcome::TemplateMissing { rule_id, .. }) => *rule_id == id(*r),
            _ => false,
        };
        assert!(ok, "{}: got {:?}", case.name, got.outcome);
        assert_eq!(got.notes, case.notes, "{}: notes", case.name);
    }
}

#[test]
fn template_tags() {
    assert_eq!(template_tag_name("Vouch Template: Standard"), Some("Standard"));
    assert_eq!(template_tag_name("VOUCH TEMPLATE:X"), Some("X"));
    assert_eq!(template_tag_name("Vouch Status: Sent"), None);
    assert_eq!(template_tag_name("Vouch"), None);
    assert_eq!(template_tag_name("Vouch Template:"), None);
    assert_eq!(template_tag_name("Vouch Templaté: x"), None, "non-ASCII near the prefix must not panic");
    assert_eq!(template_tag("Standard"), "Vouch Template: Standard");
}
