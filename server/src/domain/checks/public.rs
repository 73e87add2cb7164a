//! What token holders may do without signing in: read the page, save a
//! draft, submit, decline, name referees. The token alone authorises, for
//! one check, one purpose and (referees) one referee.
use chrono::Utc;
use entity::check::{self, CheckStatus};
use entity::check_token::{self, TokenPurpose};
use entity::{candidate, organization, project, referee};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use super::answers::{self, Answer};
use super::status::{is_open, CheckEvent};
use super::{links, store, timeline, tokens};
use crate::domain::email::{self, templates, EmailKind};
use crate::domain::questions::{self, Question};
use crate::domain::templates::RelationshipKind;
use crate::domain::{projects, validate, DomainError, DomainResult};

/// What the public page shows.
pub struct PublicView {
    pub check: check::Model,
    pub purpose: TokenPurpose,
    pub company: String,
    pub job: String,
    /// The candidate's name (for referees: whom they speak about).
    pub candidate_name: String,
    pub questions: Vec<Question>,
    /// Saved answers (draft or final) of this token's holder.
    pub answers: Vec<Answer>,
    pub submitted: bool,
    pub referees_required: Option<i32>,
    pub relationship_kinds: Vec<RelationshipKind>,
    /// Referees already named (nomination tokens).
    pub referees: Vec<referee::Model>,
}

/// A referee as the candidate names them.
#[derive(Debug, Clone)]
pub struct NewReferee {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub relationship: RelationshipKind,
}

async fn open_token<C: ConnectionTrait>(
    db: &C,
    token: &str,
    purposes: &[TokenPurpose],
    check_id: Option<Uuid>,
) -> DomainResult<(check_token::Model, check::Model)> {
    let row = tokens::resolve(db, token, purposes, check_id).await?;
    let check = store::find_unscoped(db, row.check_id).await?;
    // The check's deadline is the link's, whether or not the deadline job
    // has run yet: past it, every page says EXPIRED, not "try again".
    let past_deadline = is_open(check.status) && check.expires_at <= Utc::now();
    if check.status == CheckStatus::Expired || past_deadline {
        return Err(DomainError::Expired(format!(
            "this link expired on {}; ask the company that sent it for a new one",
            super::deadlines::deadline_text(check.expires_at)
        )));
    }
    Ok((row, check))
}

fn require_open(check: &check::Model) -> DomainResult<()> {
    if is_open(check.status) {
        return Ok(());
    }
    Err(DomainError::conflict(
        "token",
        format!(
            "this check is {} and takes no more answers",
            super::status::label(check.status).to_lowercase()
        ),
    ))
}

/// The page behind a token.
pub async fn view<C: ConnectionTrait>(
    db: &C,
    token: &str,
    check_id: Option<Uuid>,
) -> DomainResult<PublicView> {
    let all =
        [TokenPurpose::CandidateSelfAssessment, TokenPurpose::CandidateNomination, TokenPurpose::Referee];
    let (row, check) = open_token(db, token, &all, check_id).await?;
    let org = organization::Entity::find_by_id(check.organization_id).one(db).await?;
    let project = project::Entity::find_by_id(check.project_id).one(db).await?;
    let candidate = candidate::Entity::find_by_id(check.candidate_id).one(db).await?;
    let (answers, submitted, questions) = match row.purpose {
        TokenPurpose::CandidateSelfAssessment => (
            answers::from_json(check.answers.as_ref()),
            check.submitted_at.is_some(),
            questions::from_json(&check.questions)?,
        ),
        TokenPurpose::Referee => {
            let referee = referee_of(db, &row).await?;
            (
                answers::from_json(referee.answers.as_ref()),
                referee.submitted_at.is_some(),
                questions::from_json(&check.questions)?,
            )
        }
        TokenPurpose::CandidateNomination => (Vec::new(), false, Vec::new()),
    };
    let referees = if row.purpose == TokenPurpose::CandidateNomination {
        referees_of(db, check.id).await?
    } else {
        Vec::new()
    };
    Ok(PublicView {
        purpose: row.purpose,
        company: org.map(|o| o.name).unwrap_or_default(),
        job: project.map(|p| p.name).unwrap_or_default(),
        candidate_name: candidate.map(|c| c.name).unwrap_or_default(),
        questions,
        answers,
        submitted,
        referees_required: check.referees_required,
        relationship_kinds: relationship_kinds(&check),
        referees,
        check,
    })
}

fn relationship_kinds(check: &check::Model) -> Vec<RelationshipKind> {
    check.relationship_kinds.as_ref().and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default()
}

async fn referee_of<C: ConnectionTrait>(db: &C, row: &check_token::Model) -> DomainResult<referee::Model> {
    let id = row.referee_id.ok_or_else(|| DomainError::not_found("link"))?;
    referee::Entity::find_by_id(id)
        .filter(referee::Column::CheckId.eq(row.check_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("link"))
}

/// The referees of a check, in the order named.
pub async fn referees_of<C: ConnectionTrait>(db: &C, check_id: Uuid) -> DomainResult<Vec<referee::Model>> {
    Ok(referee::Entity::find()
        .filter(referee::Column::CheckId.eq(check_id))
        .order_by_asc(referee::Column::Position)
        .all(db)
        .await?)
}

/// Saves (`final_answer` false: a draft, resumable) or submits answers.
/// Submitted answers never change; a second submission is a CONFLICT.
pub async fn answer<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    token: &str,
    check_id: Option<Uuid>,
    raw: Vec<Answer>,
    final_answer: bool,
) -> DomainResult<check::Model> {
    let purposes = [TokenPurpose::CandidateSelfAssessment, TokenPurpose::Referee];
    let (row, check) = open_token(db, token, &purposes, check_id).await?;
    require_open(&check)?;
    let questions = questions::from_json(&check.questions)?;
    let valid = answers::validate(&questions, raw, final_answer)?;
    let txn = crate::db::begin_write(db).await?;
    let now = Utc::now();
    let check = match row.purpose {
        TokenPurpose::Referee => {
            let referee = referee_of(&txn, &row).await?;
            let mut update = referee::Entity::update_many()
                .col_expr(referee::Column::Answers, Expr::value(answers::to_json(&valid)))
                .filter(referee::Column::Id.eq(referee.id))
                .filter(referee::Column::SubmittedAt.is_null());
            if final_answer {
                update = update.col_expr(referee::Column::SubmittedAt, Expr::value(now));
            }
            if update.exec(&txn).await?.rows_affected == 0 {
                return Err(already_submitted());
            }
            let actor = format!("referee:{}", referee.id);
            if final_answer {
                let all = referees_of(&txn, check.id).await?;
                let event = if all.iter().all(|r| r.submitted_at.is_some()) {
                    CheckEvent::AllRefereesAnswered
                } else {
                    CheckEvent::RefereeAnswered
                };
                if event == CheckEvent::RefereeAnswered && check.status == CheckStatus::InProgress {
                    timeline::record(
                        &txn,
                        check.id,
                        "referee.answered",
                        None,
                        Some("a referee answered"),
                        &actor,
                    )
                    .await?;
                    check
                } else {
                    store::apply(&txn, &check, event, None, &actor).await?
                }
            } else {
                check
            }
        }
        _ => {
            if check.submitted_at.is_some() {
                return Err(already_submitted());
            }
            let event =
                if final_answer { CheckEvent::SelfAssessmentSubmitted } else { CheckEvent::DraftSaved };
            let check = if event == CheckEvent::DraftSaved && check.status == CheckStatus::InProgress {
                check
            } else {
                store::apply(&txn, &check, event, None, "candidate").await.map_err(|e| match e {
                    DomainError::Conflict { .. } if final_answer => already_submitted(),
                    other => other,
                })?
            };
            let mut update = check::Entity::update_many()
                .col_expr(check::Column::Answers, Expr::value(answers::to_json(&valid)))
                .filter(check::Column::Id.eq(check.id))
                .filter(check::Column::SubmittedAt.is_null());
            if final_answer {
                update = update.col_expr(check::Column::SubmittedAt, Expr::value(now));
            }
            if update.exec(&txn).await?.rows_affected == 0 {
                return Err(already_submitted());
            }
            store::find_unscoped(&txn, check.id).await?
        }
    };
    txn.commit().await?;
    Ok(check)
}

fn already_submitted() -> DomainError {
    DomainError::conflict("answers", "these answers were already submitted and can no longer change")
}

/// The candidate declines the check.
pub async fn decline<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    token: &str,
    check_id: Option<Uuid>,
) -> DomainResult<check::Model> {
    let purposes = [TokenPurpose::CandidateSelfAssessment, TokenPurpose::CandidateNomination];
    let (_, check) = open_token(db, token, &purposes, check_id).await?;
    require_open(&check)?;
    let txn = crate::db::begin_write(db).await?;
    let check =
        store::apply(&txn, &check, CheckEvent::Declined, Some("the candidate declined"), "candidate").await?;
    txn.commit().await?;
    Ok(check)
}

/// The candidate names exactly the referees the step asks for; each gets an
/// e-mail with their own link.
pub async fn nominate<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    public_url: &url::Url,
    token: &str,
    check_id: Option<Uuid>,
    raw: Vec<NewReferee>,
) -> DomainResult<check::Model> {
    let (_, check) = open_token(db, token, &[TokenPurpose::CandidateNomination], check_id).await?;
    require_open(&check)?;
    if check.status != CheckStatus::Sent {
        return Err(DomainError::conflict("referees", "the referees were already named"));
    }
    let candidate = candidate::Entity::find_by_id(check.candidate_id)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("candidate"))?;
    let valid = validate_referees(&check, &projects::emails_of(&candidate), raw)?;
    let org = organization::Entity::find_by_id(check.organization_id)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("organization"))?;
    let job =
        project::Entity::find_by_id(check.project_id).one(db).await?.map(|p| p.name).unwrap_or_default();
    let txn = crate::db::begin_write(db).await?;
    let check = store::apply(&txn, &check, CheckEvent::RefereesNominated, None, "candidate").await?;
    for (i, r) in valid.iter().enumerate() {
        let referee = referee::ActiveModel {
            id: Set(Uuid::new_v4()),
            check_id: Set(check.id),
            position: Set(i as i32),
            name: Set(r.name.clone()),
            email: Set(r.email.clone()),
            phone: Set(r.phone.clone()),
            relationship: Set(relationship_code(r.relationship).to_owned()),
            answers: Set(None),
            submitted_at: Set(None),
            created_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await?;
        let token =
            tokens::issue(&txn, TokenPurpose::Referee, check.id, Some(referee.id), check.expires_at).await?;
        let link = links::respond(public_url, &token);
        let values = templates::Values {
            name: &r.name,
            company: &org.name,
            candidate: &candidate.name,
            job: &job,
            link: &link,
        };
        let message = templates::render(EmailKind::RefereeRequest, check.language, &values);
        email::queue(
            &txn,
            check.organization_id,
            &r.email,
            EmailKind::RefereeRequest,
            message,
            Some(check.id),
        )
        .await?;
    }
    timeline::record(
        &txn,
        check.id,
        "referees.nominated",
        None,
        Some(&format!("{} referee(s) named and e-mailed", valid.len())),
        "candidate",
    )
    .await?;
    txn.commit().await?;
    Ok(check)
}

fn relationship_code(kind: RelationshipKind) -> &'static str {
    match kind {
        RelationshipKind::Manager => "MANAGER",
        RelationshipKind::Peer => "PEER",
        RelationshipKind::Report => "REPORT",
        RelationshipKind::Other => "OTHER",
    }
}

fn validate_referees(
    check: &check::Model,
    own: &[String],
    raw: Vec<NewReferee>,
) -> DomainResult<Vec<NewReferee>> {
    let required = check.referees_required.unwrap_or(1).max(1) as usize;
    if raw.len() != required {
        return Err(DomainError::invalid(
            "referees",
            format!("name exactly {required} referee(s); {} given", raw.len()),
        ));
    }
    let kinds = relationship_kinds(check);
    let own: Vec<String> = own.iter().map(|e| e.trim().to_lowercase()).collect();
    let mut out: Vec<NewReferee> = Vec::with_capacity(raw.len());
    for (i, r) in raw.into_iter().enumerate() {
        let at = |f: &str| format!("referees[{i}].{f}");
        let rename = |f: String| {
            move |e: DomainError| match e {
                DomainError::Invalid { message, .. } => DomainError::invalid(f.clone(), message),
                other => other,
            }
        };
        let name = validate::name("name", &r.name).map_err(rename(at("name")))?;
        let email = validate::email("email", &r.email).map_err(rename(at("email")))?;
        if own.contains(&email) {
            return Err(DomainError::invalid(
                at("email"),
                "this is your own address; name someone who can speak about your work",
            ));
        }
        if out.iter().any(|o| o.email == email) {
            return Err(DomainError::invalid(
                at("email"),
                "this referee is named twice; each referee needs their own address",
            ));
        }
        let phone = match r.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p)
                if p.chars().count() > 40
                    || !p.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c)) =>
            {
                return Err(DomainError::invalid(at("phone"), "a phone number such as +46 70 123 45 67"));
            }
            other => other.map(str::to_owned),
        };
        if !kinds.is_empty() && !kinds.contains(&r.relationship) {
            return Err(DomainError::invalid(
                at("relationship"),
                "this relationship is not one the company asks for",
            ));
        }
        out.push(NewReferee { name, email, phone, relationship: r.relationship });
    }
    Ok(out)
}
