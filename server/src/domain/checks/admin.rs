//! The admin side: listing checks, one check with its timeline and report,
//! cancelling. Tenant scoped; a LIMITED_TEAM_MEMBER sees only the projects
//! they are a member of (anything else is NOT_FOUND).
use entity::check::{self, CheckStatus};
use entity::template_step::StepKind;
use entity::{candidate, user};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionSession,
    TransactionTrait,
};
use uuid::Uuid;

use super::answers;
use super::public::referees_of;
use super::status::CheckEvent;
use super::store;
use crate::domain::questions::{self, QuestionType};
use crate::domain::{projects, DomainError, DomainResult};

/// Which checks to list.
#[derive(Debug, Clone, Default)]
pub struct CheckFilter {
    pub project_id: Option<Uuid>,
    pub status: Option<CheckStatus>,
    pub step_kind: Option<StepKind>,
    /// Part of the candidate's name, any case.
    pub search: Option<String>,
}

/// Checks the viewer may see, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    viewer: &user::Model,
    filter: CheckFilter,
    first: u64,
) -> DomainResult<Vec<check::Model>> {
    let mut query = check::Entity::find()
        .filter(check::Column::OrganizationId.eq(viewer.organization_id))
        .order_by_desc(check::Column::CreatedAt)
        .limit(first.clamp(1, 500));
    if let Some(ids) = projects::visible_project_ids(db, viewer).await? {
        query = query.filter(check::Column::ProjectId.is_in(ids));
    }
    if let Some(p) = filter.project_id {
        query = query.filter(check::Column::ProjectId.eq(p));
    }
    if let Some(s) = filter.status {
        query = query.filter(check::Column::Status.eq(s));
    }
    if let Some(k) = filter.step_kind {
        query = query.filter(check::Column::StepKind.eq(k));
    }
    if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if search.chars().count() > 200 {
            return Err(DomainError::invalid("filter.search", "at most 200 characters"));
        }
        let needle = search.to_lowercase();
        let ids: Vec<Uuid> = candidate::Entity::find()
            .filter(candidate::Column::OrganizationId.eq(viewer.organization_id))
            .all(db)
            .await?
            .into_iter()
            .filter(|c| c.name.to_lowercase().contains(&needle))
            .map(|c| c.id)
            .collect();
        query = query.filter(check::Column::CandidateId.is_in(ids));
    }
    Ok(query.all(db).await?)
}

/// One check the viewer may see.
pub async fn find<C: ConnectionTrait>(db: &C, viewer: &user::Model, id: Uuid) -> DomainResult<check::Model> {
    let check = store::find(db, viewer.organization_id, id).await?;
    if let Some(ids) = projects::visible_project_ids(db, viewer).await? {
        if !ids.contains(&check.project_id) {
            return Err(DomainError::not_found("check"));
        }
    }
    Ok(check)
}

/// Cancels an open check.
pub async fn cancel<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    viewer: &user::Model,
    id: Uuid,
    reason: &str,
) -> DomainResult<check::Model> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(DomainError::invalid("reason", "say why in 1 to 500 characters"));
    }
    let check = find(db, viewer, id).await?;
    let txn = crate::db::begin_write(db).await?;
    let check =
        store::apply(&txn, &check, CheckEvent::Cancelled, Some(reason), &format!("user:{}", viewer.id))
            .await?;
    txn.commit().await?;
    Ok(check)
}

/// One question of the report: every respondent's answer side by side and,
/// for ratings, the average.
#[derive(Debug, Clone)]
pub struct ReportQuestion {
    pub prompt: String,
    pub kind: QuestionType,
    /// (respondent, answer), respondent being "Candidate" or the referee's name.
    pub answers: Vec<(String, Option<String>)>,
    pub average: Option<f64>,
}

/// The report: submitted answers only.
pub async fn report<C: ConnectionTrait>(db: &C, check: &check::Model) -> DomainResult<Vec<ReportQuestion>> {
    let questions = questions::from_json(&check.questions)?;
    let mut respondents: Vec<(String, Vec<answers::Answer>)> = Vec::new();
    match check.step_kind {
        StepKind::SelfAssessment => {
            if check.submitted_at.is_some() {
                respondents.push(("Candidate".into(), answers::from_json(check.answers.as_ref())));
            }
        }
        StepKind::ReferenceCheck => {
            for r in referees_of(db, check.id).await? {
                if r.submitted_at.is_some() {
                    respondents.push((r.name.clone(), answers::from_json(r.answers.as_ref())));
                }
            }
        }
    }
    Ok(questions
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            let answers: Vec<(String, Option<String>)> = respondents
                .iter()
                .map(|(who, list)| {
                    (who.clone(), list.iter().find(|a| a.question == i).map(|a| a.value.clone()))
                })
                .collect();
            let ratings: Vec<f64> =
                answers.iter().filter_map(|(_, v)| v.as_deref()?.parse::<f64>().ok()).collect();
            let average = (q.kind == QuestionType::Rating1To5 && !ratings.is_empty())
                .then(|| ratings.iter().sum::<f64>() / ratings.len() as f64);
            ReportQuestion { prompt: q.prompt, kind: q.kind, answers, average }
        })
        .collect())
}
