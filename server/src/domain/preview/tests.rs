//! The dry run's verdicts, one table row each.
use std::collections::HashMap;

use chrono::Utc;
use entity::template_step::StepKind;
use entity::{lever_posting, lever_stage, Language};
use uuid::Uuid;

use super::*;
use crate::domain::resolution::{RuleView, StepView, TemplateView};

fn setup(enabled: bool) -> Setup {
    let (template, step) = (Uuid::from_u128(1), Uuid::from_u128(2));
    Setup {
        rules: vec![RuleView {
            id: Uuid::from_u128(3),
            name: "Sales".into(),
            enabled,
            position: 0,
            all_postings: false,
            posting_ids: vec!["p1".into()],
            template_id: template,
            language: Language::En,
            stages: HashMap::from([(step, "s1".to_owned())]),
        }],
        templates: vec![TemplateView {
            id: template,
            name: "Standard".into(),
            archived: false,
            steps: vec![StepView { id: step, kind: StepKind::ReferenceCheck, languages: vec![Language::En] }],
        }],
        default_language: Language::En,
    }
}

fn posting(tags: &[&str]) -> lever_posting::Model {
    lever_posting::Model {
        id: Uuid::new_v4(),
        connection_id: Uuid::new_v4(),
        lever_id: "p1".into(),
        text: "Account Executive".into(),
        state: None,
        owner_id: None,
        hiring_manager_id: None,
        tags: Some(serde_json::json!(tags)),
        gone_at: None,
        synced_at: Utc::now(),
    }
}

fn stage(gone: bool) -> lever_stage::Model {
    lever_stage::Model {
        id: Uuid::new_v4(),
        connection_id: Uuid::new_v4(),
        lever_id: "s1".into(),
        text: "Reference check".into(),
        position: 3,
        gone_at: gone.then(Utc::now),
        synced_at: Utc::now(),
    }
}

fn read(emails: &[&str]) -> OpportunityRead {
    OpportunityRead::Read(OpportunityFacts {
        emails: emails.iter().map(|e| e.to_string()).collect(),
        tags: None,
    })
}

/// name, rule enabled, posting id, stage id, catalogue posting, catalogue
/// stage, opportunity, expected willStart, expected reason codes.
type Case<'a> = (
    &'a str,
    bool,
    &'a str,
    &'a str,
    Option<&'a lever_posting::Model>,
    Option<&'a lever_stage::Model>,
    Option<&'a OpportunityRead>,
    bool,
    Vec<ReasonCode>,
);

#[test]
fn verdicts() {
    let p = posting(&[]);
    let tagged = posting(&["Vouch Template: Missing"]);
    let (s, gone) = (stage(false), stage(true));
    let with_email = read(&["ada@example.com"]);
    let no_email = read(&[]);
    let not_checked =
        OpportunityRead::NotChecked("opportunity details not checked: no Lever connection".into());
    let not_found = OpportunityRead::NotFound;
    #[rustfmt::skip]
    let cases: Vec<Case<'_>> = vec![
        ("starts without an opportunity", true, "p1", "s1", Some(&p), Some(&s), None, true, vec![]),
        ("starts with an e-mail", true, "p1", "s1", Some(&p), Some(&s), Some(&with_email), true, vec![]),
        ("no e-mail stops it", true, "p1", "s1", Some(&p), Some(&s), Some(&no_email), false, vec![ReasonCode::NoEmail]),
        ("unknown opportunity stops it", true, "p1", "s1", Some(&p), Some(&s), Some(&not_found), false, vec![ReasonCode::OpportunityNotFound]),
        ("not checked is said, not blocking", true, "p1", "s1", Some(&p), Some(&s), Some(&not_checked), true, vec![ReasonCode::OpportunityNotChecked]),
        ("rule disabled", false, "p1", "s1", Some(&p), Some(&s), Some(&with_email), false, vec![ReasonCode::RuleDisabled]),
        ("stage not mapped", true, "p1", "s9", Some(&p), None, None, false, vec![ReasonCode::StageUnknown, ReasonCode::StageNotMapped]),
        ("no rule", true, "p2", "s1", None, Some(&s), None, false, vec![ReasonCode::PostingUnknown, ReasonCode::NoRule]),
        ("unknown template tag", true, "p1", "s1", Some(&tagged), Some(&s), None, true, vec![ReasonCode::TemplateTagUnknown]),
        ("gone stage still explained", true, "p1", "s1", Some(&p), Some(&gone), None, true, vec![ReasonCode::StageGone]),
    ];
    for (name, enabled, posting_id, stage_id, posting, stage, opportunity, will_start, codes) in cases {
        let preview =
            evaluate(&setup(enabled), &PreviewInput { posting_id, stage_id, posting, stage, opportunity });
        assert_eq!(preview.will_start, will_start, "{name}: {preview:?}");
        let got: Vec<ReasonCode> = preview.reasons.iter().map(|r| r.code).collect();
        assert_eq!(got, codes, "{name}");
        assert!(!preview.summary.is_empty(), "{name}");
        if will_start {
            assert!(preview.summary.starts_with("Vouch would start it"), "{name}: {}", preview.summary);
        }
    }
}

#[test]
fn no_connection() {
    let preview = Preview::no_connection();
    assert!(!preview.will_start);
    assert_eq!(preview.reasons[0].code, ReasonCode::NoConnection);
}
