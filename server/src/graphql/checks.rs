//! Checks over GraphQL: the public operations a candidate or referee does
//! with their link token (no sign-in; the token alone authorises), and the
//! admin side (list, one check with timeline and report, cancel, outbox,
//! projects).
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::Role as DbRole;
use sea_orm::EntityTrait;
use uuid::Uuid;

use super::templates::{Language, QuestionType, RelationshipKind, StepKind};
use super::{require_user, state, GqlResult, IntoGql};
use crate::auth::RoleGuard;
use crate::domain::checks::answers::Answer;
use crate::domain::checks::public::{self, NewReferee, PublicView};
use crate::domain::checks::{admin, recheck, timeline};
use crate::domain::connections::store as connections;
use crate::domain::questions::Question;
use crate::domain::{email, projects, DomainError};

/// Where a check stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::check::CheckStatus")]
pub enum CheckStatus {
    Sent,
    AwaitingReferees,
    InProgress,
    Completed,
    Declined,
    Expired,
    Cancelled,
    /// Replaced by a newer check of the same step (kept for the record).
    Superseded,
    /// Waiting for something outside Vouch (see statusReason), e.g. an e-mail address in Lever.
    Blocked,
}

/// What a link lets its holder do.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::check_token::TokenPurpose")]
pub enum TokenPurpose {
    CandidateSelfAssessment,
    CandidateNomination,
    Referee,
}

/// One question as the public page shows it.
#[derive(SimpleObject)]
pub struct PublicQuestion {
    /// 0-based; answers name it.
    pub index: i32,
    pub prompt: String,
    #[graphql(name = "type")]
    pub kind: QuestionType,
    pub options: Vec<String>,
}

/// One saved answer.
#[derive(SimpleObject)]
#[graphql(name = "Answer")]
pub struct AnswerObject {
    pub question: i32,
    pub value: String,
}

/// An answer to save: the question's index and the value as text
/// (`1`..`5`, `yes`/`no`, one of the options, or free text up to 20,000 characters).
#[derive(InputObject)]
pub struct AnswerInput {
    pub question: i32,
    pub value: String,
}

/// A referee as the candidate names them.
#[derive(InputObject)]
pub struct RefereeInput {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub relationship: RelationshipKind,
}

/// A named referee as the nomination page shows them.
#[derive(SimpleObject)]
pub struct PublicReferee {
    pub name: String,
    pub relationship: String,
    pub answered: bool,
}

/// What a candidate's or referee's page shows.
#[derive(SimpleObject)]
pub struct PublicCheck {
    pub check_id: Uuid,
    pub purpose: TokenPurpose,
    pub status: CheckStatus,
    pub step_kind: StepKind,
    pub language: Language,
    pub company_name: String,
    pub job_title: String,
    /// Whom the page is about.
    pub candidate_name: String,
    pub questions: Vec<PublicQuestion>,
    /// Saved answers (draft, or final once submitted).
    pub answers: Vec<AnswerObject>,
    pub submitted: bool,
    pub referees_required: Option<i32>,
    pub relationship_kinds: Vec<RelationshipKind>,
    pub referees: Vec<PublicReferee>,
    pub expires_at: DateTime<Utc>,
}

fn questions_out(list: Vec<Question>) -> Vec<PublicQuestion> {
    list.into_iter()
        .enumerate()
        .map(|(i, q)| PublicQuestion {
            index: i as i32,
            prompt: q.prompt,
            kind: q.kind.into(),
            options: q.options,
        })
        .collect()
}

fn answers_out(list: Vec<Answer>) -> Vec<AnswerObject> {
    list.into_iter().map(|a| AnswerObject { question: a.question as i32, value: a.value }).collect()
}

fn answers_in(list: Vec<AnswerInput>) -> Result<Vec<Answer>, DomainError> {
    list.into_iter()
        .enumerate()
        .map(|(i, a)| match usize::try_from(a.question) {
            Ok(q) => Ok(Answer { question: q, value: a.value }),
            Err(_) => Err(DomainError::invalid(format!("answers[{i}].question"), "a question index from 0")),
        })
        .collect()
}

impl From<PublicView> for PublicCheck {
    fn from(v: PublicView) -> Self {
        Self {
            check_id: v.check.id,
            purpose: v.purpose.into(),
            status: v.check.status.into(),
            step_kind: v.check.step_kind.into(),
            language: v.check.language.into(),
            company_name: v.company,
            job_title: v.job,
            candidate_name: v.candidate_name,
            questions: questions_out(v.questions),
            answers: answers_out(v.answers),
            submitted: v.submitted,
            referees_required: v.referees_required,
            relationship_kinds: v.relationship_kinds.into_iter().map(Into::into).collect(),
            referees: v
                .referees
                .into_iter()
                .map(|r| PublicReferee {
                    name: r.name,
                    relationship: r.relationship,
                    answered: r.submitted_at.is_some(),
                })
                .collect(),
            expires_at: v.check.expires_at,
        }
    }
}

/// One entry of a check's timeline.
#[derive(SimpleObject)]
pub struct CheckEventObject {
    pub kind: String,
    pub status: Option<String>,
    pub detail: Option<String>,
    /// `lever:<id>`, `user:<id>`, `candidate`, `referee:<id>` or `vouch`.
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// One respondent's answer in the report.
#[derive(SimpleObject)]
pub struct ReportAnswer {
    /// "Candidate", or the referee's name.
    pub respondent: String,
    pub value: Option<String>,
}

/// One question of the report, answers side by side.
#[derive(SimpleObject)]
pub struct ReportQuestion {
    pub prompt: String,
    #[graphql(name = "type")]
    pub kind: QuestionType,
    pub answers: Vec<ReportAnswer>,
    /// Ratings only: the average of the answers.
    pub average: Option<f64>,
}

/// A referee as admins see them.
#[derive(SimpleObject)]
pub struct RefereeObject {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub relationship: String,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// A check as admins see it.
pub struct CheckObject(pub(super) entity::check::Model);

#[Object(name = "Check")]
impl CheckObject {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn project_id(&self) -> Uuid {
        self.0.project_id
    }
    async fn candidate_id(&self) -> Uuid {
        self.0.candidate_id
    }
    async fn lever_opportunity_id(&self) -> &str {
        &self.0.lever_opportunity_id
    }
    async fn status(&self) -> CheckStatus {
        self.0.status.into()
    }
    /// Why (blocked, cancelled...).
    async fn status_reason(&self) -> Option<&str> {
        self.0.status_reason.as_deref()
    }
    async fn step_kind(&self) -> StepKind {
        self.0.step_kind.into()
    }
    async fn step_id(&self) -> Uuid {
        self.0.step_id
    }
    async fn template_id(&self) -> Uuid {
        self.0.template_id
    }
    async fn rule_id(&self) -> Uuid {
        self.0.rule_id
    }
    async fn language(&self) -> Language {
        self.0.language.into()
    }
    /// Whether Lever shows the current status yet.
    async fn written_to_lever(&self) -> bool {
        self.0.lever_written_version >= self.0.status_version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
    /// The candidate's name (blank once purged).
    async fn candidate_name(&self, ctx: &Context<'_>) -> GqlResult<String> {
        let c = entity::candidate::Entity::find_by_id(self.0.candidate_id)
            .one(&state(ctx).db)
            .await
            .map_err(DomainError::from)
            .gql()?;
        Ok(c.map(|c| c.name).unwrap_or_default())
    }
    async fn referees(&self, ctx: &Context<'_>) -> GqlResult<Vec<RefereeObject>> {
        let list = public::referees_of(&state(ctx).db, self.0.id).await.gql()?;
        Ok(list
            .into_iter()
            .map(|r| RefereeObject {
                id: r.id,
                name: r.name,
                email: r.email,
                phone: r.phone,
                relationship: r.relationship,
                submitted_at: r.submitted_at,
            })
            .collect())
    }
    /// What happened, oldest first.
    async fn timeline(&self, ctx: &Context<'_>) -> GqlResult<Vec<CheckEventObject>> {
        let list = timeline::list(&state(ctx).db, self.0.id).await.gql()?;
        Ok(list
            .into_iter()
            .map(|e| CheckEventObject {
                kind: e.kind,
                status: e.status,
                detail: e.detail,
                actor: e.actor,
                at: e.created_at,
            })
            .collect())
    }
    /// Submitted answers per question, side by side; ratings averaged.
    async fn report(&self, ctx: &Context<'_>) -> GqlResult<Vec<ReportQuestion>> {
        let list = admin::report(&state(ctx).db, &self.0).await.gql()?;
        Ok(list
            .into_iter()
            .map(|q| ReportQuestion {
                prompt: q.prompt,
                kind: q.kind.into(),
                answers: q
                    .answers
                    .into_iter()
                    .map(|(respondent, value)| ReportAnswer { respondent, value })
                    .collect(),
                average: q.average,
            })
            .collect())
    }
}

/// Which checks to list.
#[derive(InputObject, Default)]
pub struct CheckFilterInput {
    pub project_id: Option<Uuid>,
    pub status: Option<CheckStatus>,
    pub step_kind: Option<StepKind>,
    /// Part of the candidate's name.
    pub search: Option<String>,
}

/// An e-mail Vouch sent (or, with no SMTP configured, put in the outbox).
#[derive(SimpleObject)]
pub struct OutboxEmail {
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// INVITATION, CANDIDATE_LINK, REFEREE_REQUEST, REMINDER.
    pub kind: String,
    pub check_id: Option<Uuid>,
    /// QUEUED, DELIVERED_TO_OUTBOX (no SMTP configured), SENT (the SMTP
    /// server accepted it), FAILED (refused, or retries ran out; see lastError).
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// SMTP attempts made.
    pub attempts: i32,
    /// Why the last SMTP attempt failed (the server's answer).
    pub last_error: Option<String>,
    /// The job that delivers it: `retryJob` sends a FAILED e-mail again.
    pub job_id: Option<Uuid>,
}

/// A project: one Lever posting's candidates.
#[derive(SimpleObject)]
pub struct Project {
    pub id: Uuid,
    pub name: String,
    pub lever_posting_id: String,
    /// Vouch users with access.
    pub member_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct ChecksQuery;

#[Object]
impl ChecksQuery {
    /// The page behind a candidate's or referee's link. No sign-in: the
    /// token authorises. An unknown token, or one for another check
    /// (`checkId`) or purpose, is NOT_FOUND; an expired one EXPIRED.
    async fn public_check(
        &self,
        ctx: &Context<'_>,
        token: String,
        check_id: Option<Uuid>,
    ) -> GqlResult<PublicCheck> {
        public::view(&state(ctx).db, &token, check_id).await.map(Into::into).gql()
    }

    /// Checks the caller may see, newest first (at most `first`, default 50, up to 500).
    #[graphql(guard = "RoleGuard::new(DbRole::LimitedTeamMember)")]
    async fn checks(
        &self,
        ctx: &Context<'_>,
        filter: Option<CheckFilterInput>,
        #[graphql(default = 50)] first: u32,
    ) -> GqlResult<Vec<CheckObject>> {
        let me = require_user(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = admin::CheckFilter {
            project_id: f.project_id,
            status: f.status.map(Into::into),
            step_kind: f.step_kind.map(Into::into),
            search: f.search,
        };
        let list = admin::list(&state(ctx).db, me, filter, u64::from(first)).await.gql()?;
        Ok(list.into_iter().map(CheckObject).collect())
    }

    /// One check the caller may see.
    #[graphql(guard = "RoleGuard::new(DbRole::LimitedTeamMember)")]
    async fn check(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<CheckObject> {
        let me = require_user(ctx)?;
        admin::find(&state(ctx).db, me, id).await.map(CheckObject).gql()
    }

    /// Projects the caller may see.
    #[graphql(guard = "RoleGuard::new(DbRole::LimitedTeamMember)")]
    async fn projects(&self, ctx: &Context<'_>) -> GqlResult<Vec<Project>> {
        let me = require_user(ctx)?;
        let list = projects::list(&state(ctx).db, me).await.gql()?;
        Ok(list
            .into_iter()
            .map(|(p, member_ids)| Project {
                id: p.id,
                name: p.name,
                lever_posting_id: p.lever_posting_id,
                member_ids,
                created_at: p.created_at,
            })
            .collect())
    }

    /// E-mails, newest first (at most `first`, default 50, up to 500).
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn outbox(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] first: u32,
    ) -> GqlResult<Vec<OutboxEmail>> {
        let me = require_user(ctx)?;
        let db = &state(ctx).db;
        let list = email::list(db, me.organization_id, u64::from(first)).await.gql()?;
        let ids: Vec<Uuid> = list.iter().map(|m| m.id).collect();
        let jobs = email::send_jobs(db, me.organization_id, &ids).await.gql()?;
        Ok(list
            .into_iter()
            .map(|m| OutboxEmail {
                id: m.id,
                to: m.to_address,
                subject: m.subject,
                body: m.body,
                kind: m.kind,
                check_id: m.check_id,
                status: m.status,
                created_at: m.created_at,
                sent_at: m.sent_at,
                attempts: m.attempts,
                last_error: m.last_error,
                job_id: jobs.get(&m.id).copied(),
            })
            .collect())
    }
}

#[derive(Default)]
pub struct ChecksMutation;

#[Object]
impl ChecksMutation {
    /// Saves draft answers (resumable). Token only.
    async fn save_answers(
        &self,
        ctx: &Context<'_>,
        token: String,
        check_id: Option<Uuid>,
        answers: Vec<AnswerInput>,
    ) -> GqlResult<PublicCheck> {
        let db = &state(ctx).db;
        let answers = answers_in(answers).gql()?;
        public::answer(db, &token, check_id, answers, false).await.gql()?;
        public::view(db, &token, check_id).await.map(Into::into).gql()
    }

    /// Submits the final answers (every question answered; no change after). Token only.
    async fn submit_answers(
        &self,
        ctx: &Context<'_>,
        token: String,
        check_id: Option<Uuid>,
        answers: Vec<AnswerInput>,
    ) -> GqlResult<PublicCheck> {
        let st = state(ctx);
        let answers = answers_in(answers).gql()?;
        public::answer(&st.db, &token, check_id, answers, true).await.gql()?;
        st.jobs.wake();
        public::view(&st.db, &token, check_id).await.map(Into::into).gql()
    }

    /// The candidate declines. Token only.
    async fn decline_check(
        &self,
        ctx: &Context<'_>,
        token: String,
        check_id: Option<Uuid>,
    ) -> GqlResult<PublicCheck> {
        let st = state(ctx);
        public::decline(&st.db, &token, check_id).await.gql()?;
        st.jobs.wake();
        public::view(&st.db, &token, check_id).await.map(Into::into).gql()
    }

    /// The candidate names exactly the referees the step asks for. Token only.
    async fn nominate_referees(
        &self,
        ctx: &Context<'_>,
        token: String,
        check_id: Option<Uuid>,
        referees: Vec<RefereeInput>,
    ) -> GqlResult<PublicCheck> {
        let st = state(ctx);
        let referees = referees
            .into_iter()
            .map(|r| NewReferee {
                name: r.name,
                email: r.email,
                phone: r.phone,
                relationship: r.relationship.into(),
            })
            .collect();
        public::nominate(&st.db, &st.config.public_url, &token, check_id, referees).await.gql()?;
        st.jobs.wake();
        public::view(&st.db, &token, check_id).await.map(Into::into).gql()
    }

    /// Cancels an open check, saying why.
    #[graphql(guard = "RoleGuard::new(DbRole::TeamMember)")]
    async fn cancel_check(&self, ctx: &Context<'_>, id: Uuid, reason: String) -> GqlResult<CheckObject> {
        let me = require_user(ctx)?;
        let st = state(ctx);
        let check = admin::cancel(&st.db, me, id, &reason).await.gql()?;
        st.jobs.wake();
        Ok(CheckObject(check))
    }

    /// Re-reads the connection's blocked candidates in Lever now and starts
    /// the checks that have an e-mail address; answers how many started.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn recheck_blocked_checks(&self, ctx: &Context<'_>, connection_id: Uuid) -> GqlResult<i32> {
        let me = require_user(ctx)?;
        let st = state(ctx);
        let connection = connections::find(&st.db, me.organization_id, connection_id).await.gql()?;
        match recheck::recheck_blocked(st, &connection).await {
            Ok(n) => Ok(n as i32),
            Err(e) => Err(DomainError::Lever(e.to_string())).gql(),
        }
    }
}
