//! Starting a check when a candidate enters a trigger stage: supersede the
//! open check of the same step (kept, marked SUPERSEDED), copy the step's
//! questionnaire in the chosen language, and either e-mail the candidate a
//! link (SENT) or, with no address in Lever, wait as BLOCKED with a reason.
use chrono::{Duration, Utc};
use entity::check::{self, CheckStatus};
use entity::check_token::TokenPurpose;
use entity::template_step::StepKind;
use entity::{candidate, organization, project};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::status::CheckEvent;
use super::{links, store, timeline, tokens, LINK_DAYS};
use crate::domain::email::{self, templates, EmailKind};
use crate::domain::projects;
use crate::domain::questions;
use crate::domain::resolution::Decision;
use crate::domain::templates as template_store;
use crate::domain::{DomainError, DomainResult};

/// Why a check waits for an e-mail address.
pub const NO_EMAIL_REASON: &str = "no e-mail address in Lever";

/// What starts a check.
pub struct StartCheck<'a> {
    pub project: &'a project::Model,
    pub candidate: &'a candidate::Model,
    pub decision: &'a Decision,
    /// The Lever user who moved the candidate, when known.
    pub triggered_by: Option<String>,
    /// The delivery that triggered it (a re-run starts nothing new).
    pub delivery_id: Option<Uuid>,
}

/// Starts the check (call inside a transaction). Answers `None` when the
/// delivery already started one.
pub async fn start<C: ConnectionTrait>(
    db: &C,
    public_url: &url::Url,
    input: StartCheck<'_>,
) -> DomainResult<Option<check::Model>> {
    let candidate = input.candidate;
    if let Some(delivery) = input.delivery_id {
        let done = check::Entity::find().filter(check::Column::SourceDeliveryId.eq(delivery)).one(db).await?;
        if done.is_some() {
            return Ok(None);
        }
    }
    let actor = input.triggered_by.as_deref().map_or_else(|| "vouch".to_owned(), |u| format!("lever:{u}"));
    for open in
        store::open_for_opportunity(db, candidate.connection_id, &candidate.lever_opportunity_id).await?
    {
        if open.step_id == input.decision.step_id {
            store::apply(
                db,
                &open,
                CheckEvent::Superseded,
                Some("the candidate entered the stage again; a new check was sent"),
                &actor,
            )
            .await?;
        }
    }
    let template = template_store::find(db, candidate.organization_id, input.decision.template_id).await?;
    let step = template
        .steps
        .iter()
        .find(|s| s.step.id == input.decision.step_id)
        .ok_or_else(|| DomainError::internal("the decided step is not in its template"))?;
    let questions = step
        .questionnaires
        .iter()
        .find(|(l, _)| *l == input.decision.language)
        .or_else(|| step.questionnaires.first())
        .map(|(_, q)| q.clone())
        .unwrap_or_default();
    let email = projects::emails_of(candidate).into_iter().next();
    let now = Utc::now();
    let (status, reason) = match &email {
        Some(_) => (CheckStatus::Sent, None),
        None => (CheckStatus::Blocked, Some(NO_EMAIL_REASON.to_owned())),
    };
    let row = check::ActiveModel {
        id: Set(Uuid::new_v4()),
        organization_id: Set(candidate.organization_id),
        connection_id: Set(candidate.connection_id),
        project_id: Set(input.project.id),
        candidate_id: Set(candidate.id),
        lever_opportunity_id: Set(candidate.lever_opportunity_id.clone()),
        rule_id: Set(input.decision.rule_id),
        template_id: Set(input.decision.template_id),
        step_id: Set(input.decision.step_id),
        step_kind: Set(input.decision.step_kind),
        language: Set(input.decision.language),
        status: Set(status),
        status_reason: Set(reason.clone()),
        status_version: Set(1),
        lever_written_version: Set(0),
        lever_note_id: Set(None),
        triggered_by_lever_user: Set(input.triggered_by.clone()),
        questions: Set(questions::to_json(&questions)),
        referees_required: Set(step.step.referees_required),
        relationship_kinds: Set(Some(serde_json::to_value(&step.relationship_kinds).unwrap_or_default())),
        source_delivery_id: Set(input.delivery_id),
        answers: Set(None),
        submitted_at: Set(None),
        expires_at: Set(now + Duration::days(LINK_DAYS)),
        reminded_hours_before: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    let detail = format!(
        "{} started by rule \"{}\" (template \"{}\", step {}, language {})",
        kind_label(row.step_kind),
        input.decision.rule_name,
        input.decision.template_name,
        input.decision.step_index + 1,
        row.language.english_name()
    );
    timeline::record(db, row.id, "check.created", Some(store::status_code(status)), Some(&detail), &actor)
        .await?;
    match email {
        Some(address) => send_candidate_link(db, public_url, &row, candidate, &address).await?,
        None => {
            timeline::record(db, row.id, "check.blocked", None, Some(NO_EMAIL_REASON), "vouch").await?;
            crate::jobs::enqueue(db, super::recheck::job_for(row.organization_id, row.connection_id)).await?;
        }
    }
    store::enqueue_lever_write(db, &row).await?;
    Ok(Some(row))
}

/// Issues the candidate's token and queues the e-mail with the link.
pub async fn send_candidate_link<C: ConnectionTrait>(
    db: &C,
    public_url: &url::Url,
    check: &check::Model,
    candidate: &candidate::Model,
    address: &str,
) -> DomainResult<()> {
    let purpose = match check.step_kind {
        StepKind::SelfAssessment => TokenPurpose::CandidateSelfAssessment,
        StepKind::ReferenceCheck => TokenPurpose::CandidateNomination,
    };
    let token = tokens::issue(db, purpose, check.id, None, check.expires_at).await?;
    let org = organization::Entity::find_by_id(check.organization_id)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("organization"))?;
    let project = project::Entity::find_by_id(check.project_id).one(db).await?;
    let job = project.map(|p| p.name).unwrap_or_default();
    let link = links::respond(public_url, &token);
    let values = templates::Values {
        name: &candidate.name,
        company: &org.name,
        job: &job,
        link: &link,
        candidate: "",
    };
    let message = templates::render(EmailKind::CandidateLink, check.language, &values);
    email::queue(db, check.organization_id, address, EmailKind::CandidateLink, message, Some(check.id))
        .await?;
    timeline::record(db, check.id, "email.queued", None, Some("link e-mailed to the candidate"), "vouch")
        .await?;
    Ok(())
}

/// The step kind in words.
pub fn kind_label(kind: StepKind) -> &'static str {
    match kind {
        StepKind::SelfAssessment => "Self-assessment",
        StepKind::ReferenceCheck => "Reference check",
    }
}
