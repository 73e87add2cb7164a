//! Deadlines: reminders before a check's `expires_at`, and EXPIRED after it.
//!
//! One perpetual job (`checks.deadlines`, a single row made idempotent by
//! its key, so any number of processes and restarts share it) runs every
//! `VOUCH_DEADLINE_INTERVAL_SECS` and snoozes in between. Each run:
//!
//! - **expires** open checks (SENT, AWAITING_REFEREES, IN_PROGRESS) whose
//!   deadline has passed, through [`super::store::apply`] with
//!   [`CheckEvent::Expired`]: the timeline entry and the Lever write job come
//!   with the change, like every other status change. BLOCKED checks do not
//!   expire: their clock starts again when the e-mail address arrives.
//! - **reminds** whoever must act, once per check per slot of
//!   `VOUCH_REMINDER_HOURS` (e.g. 72 and 24 hours before): the candidate
//!   while a self-assessment is open or the referees are not named yet, the
//!   referees who have not answered once they are. The slot is claimed with
//!   a conditional update of `checks.reminded_hours_before` in the same
//!   transaction as the e-mails, so a slot is sent once even when two
//!   processes run the job at the same moment or a run is repeated after a
//!   crash. A check that enters several slots at once (it started late, or
//!   Vouch was down) gets one reminder, for the nearest slot.
//!
//! Link tokens are stored hashed, so a reminder carries a fresh token of the
//! same purpose and deadline; the earlier links keep working.
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use entity::check::{self, CheckStatus};
use entity::check_token::TokenPurpose;
use entity::job::{self, JobStatus};
use entity::template_step::StepKind;
use entity::{candidate, organization, project};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionSession,
    TransactionTrait,
};
use uuid::Uuid;

use super::public::referees_of;
use super::status::{is_open, CheckEvent};
use super::{links, store, timeline, tokens};
use crate::config::DeadlineOptions;
use crate::domain::email::{self, templates, EmailKind};
use crate::domain::{projects, DomainError, DomainResult};
use crate::jobs::{self, JobContext, JobError, JobHandler, JobOutcome, NewJob};
use crate::AppState;

/// The job kind (and its idempotency key: there is one such job).
pub const JOB_KIND: &str = "checks.deadlines";

/// Checks handled per query; a run continues until none are left.
const BATCH: u64 = 100;

/// Statuses in which someone still has to act before the deadline.
const WAITING: [CheckStatus; 3] = [CheckStatus::Sent, CheckStatus::AwaitingReferees, CheckStatus::InProgress];

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineReport {
    /// Checks moved to EXPIRED.
    pub expired: usize,
    /// Checks reminded (one slot each).
    pub reminded: usize,
}

/// Makes sure the perpetual job exists and will run (at start-up, on every
/// process: the key makes it one row). A job that ended (e.g. an admin's
/// database edit, or an older release that let it fail) is put back.
pub async fn ensure_scheduled<C: ConnectionTrait>(db: &C) -> DomainResult<()> {
    jobs::enqueue(db, NewJob::new(JOB_KIND, JOB_KIND, serde_json::json!({}))).await?;
    job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(JobStatus::Queued))
        .col_expr(job::Column::Attempts, Expr::value(0))
        .col_expr(job::Column::RunAfter, Expr::value(Utc::now()))
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(job::Column::IdempotencyKey.eq(JOB_KIND))
        .filter(job::Column::Status.is_in([JobStatus::Done, JobStatus::Failed]))
        .exec(db)
        .await?;
    Ok(())
}

/// Expires what is past its deadline, then sends the reminders due at `now`.
pub async fn run_once<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    public_url: &url::Url,
    options: &DeadlineOptions,
    now: DateTime<Utc>,
) -> DomainResult<DeadlineReport> {
    let expired = expire_due(db, now).await?;
    let reminded = remind_due(db, public_url, &options.reminder_hours, now).await?;
    Ok(DeadlineReport { expired, reminded })
}

/// Moves open checks past their deadline to EXPIRED. Answers how many.
pub async fn expire_due<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> DomainResult<usize> {
    let mut done = 0;
    // Checks that could not move (they changed under us) are not fetched
    // again in this run; the others no longer match once expired.
    let mut skipped: Vec<Uuid> = Vec::new();
    loop {
        let due = check::Entity::find()
            .filter(check::Column::Status.is_in(WAITING))
            .filter(check::Column::ExpiresAt.lte(now))
            .filter(check::Column::Id.is_not_in(skipped.clone()))
            .order_by_asc(check::Column::ExpiresAt)
            .limit(BATCH)
            .all(db)
            .await?;
        if due.is_empty() {
            return Ok(done);
        }
        for found in due {
            let txn = crate::db::begin_write(db).await?;
            // Read again under the write lock: the candidate may have
            // submitted a moment ago.
            let current = store::find_unscoped(&txn, found.id).await?;
            if !is_open(current.status) || current.expires_at > now {
                skipped.push(found.id);
                continue;
            }
            let reason = format!("no answer before the deadline ({})", deadline_text(current.expires_at));
            match store::apply(&txn, &current, CheckEvent::Expired, Some(&reason), "vouch").await {
                Ok(_) => {
                    txn.commit().await?;
                    done += 1;
                }
                // BLOCKED never expires; anything else refused means someone
                // acted at this very moment, and their change stands.
                Err(DomainError::Conflict { .. }) => skipped.push(found.id),
                Err(other) => return Err(other),
            }
        }
    }
}

/// Sends the reminders due at `now` for `hours` (the slots, any order).
/// Answers how many checks were reminded.
pub async fn remind_due<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    public_url: &url::Url,
    hours: &[u32],
    now: DateTime<Utc>,
) -> DomainResult<usize> {
    let mut slots: Vec<u32> = hours.to_vec();
    // Nearest slot first: a check inside several slots is claimed by the
    // nearest, and the wider ones then see it already reminded.
    slots.sort_unstable();
    slots.dedup();
    let mut done = 0;
    for slot in slots {
        // Checks whose slot could not be claimed (they changed under us);
        // the others no longer match once reminded.
        let mut skipped: Vec<Uuid> = Vec::new();
        loop {
            let due = check::Entity::find()
                .filter(check::Column::Status.is_in(WAITING))
                .filter(check::Column::ExpiresAt.gt(now))
                .filter(check::Column::ExpiresAt.lte(now + Duration::hours(i64::from(slot))))
                .filter(not_reminded_for(slot))
                .filter(check::Column::Id.is_not_in(skipped.clone()))
                .order_by_asc(check::Column::ExpiresAt)
                .limit(BATCH)
                .all(db)
                .await?;
            if due.is_empty() {
                break;
            }
            for found in due {
                if remind(db, public_url, &found, slot).await? {
                    done += 1;
                } else {
                    skipped.push(found.id);
                }
            }
        }
    }
    Ok(done)
}

/// Not yet reminded for `slot` or a nearer one.
fn not_reminded_for(slot: u32) -> Condition {
    let slot = i32::try_from(slot).unwrap_or(i32::MAX);
    Condition::any()
        .add(check::Column::RemindedHoursBefore.is_null())
        .add(check::Column::RemindedHoursBefore.gt(slot))
}

/// Claims the slot for the check and e-mails whoever must act, in one
/// transaction. Answers false when the slot was taken (another run) or
/// the check changed since it was read.
async fn remind<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    public_url: &url::Url,
    found: &check::Model,
    slot: u32,
) -> DomainResult<bool> {
    let txn = crate::db::begin_write(db).await?;
    let claimed = check::Entity::update_many()
        .col_expr(check::Column::RemindedHoursBefore, Expr::value(i32::try_from(slot).unwrap_or(i32::MAX)))
        .filter(check::Column::Id.eq(found.id))
        .filter(check::Column::StatusVersion.eq(found.status_version))
        .filter(not_reminded_for(slot))
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(false);
    }
    let sent_to = send_reminders(&txn, public_url, found).await?;
    let detail = if sent_to.is_empty() {
        format!("reminder due {slot} h before the deadline, but nobody to remind has an e-mail address")
    } else {
        format!("reminder ({slot} h before the deadline) e-mailed to {}", sent_to.join(", "))
    };
    timeline::record(&txn, found.id, "reminder.queued", None, Some(&detail), "vouch").await?;
    txn.commit().await?;
    Ok(true)
}

/// Queues the reminder e-mails; answers whom they went to, in words.
async fn send_reminders<C: ConnectionTrait>(
    db: &C,
    public_url: &url::Url,
    check: &check::Model,
) -> DomainResult<Vec<String>> {
    let org = organization::Entity::find_by_id(check.organization_id)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("organization"))?;
    let job =
        project::Entity::find_by_id(check.project_id).one(db).await?.map(|p| p.name).unwrap_or_default();
    let candidate = candidate::Entity::find_by_id(check.candidate_id).one(db).await?;
    let candidate_name = candidate.as_ref().map(|c| c.name.clone()).unwrap_or_default();
    let deadline = deadline_text(check.expires_at);
    // (address, greeting, token purpose, referee, who in words)
    let mut recipients: Vec<(String, String, TokenPurpose, Option<Uuid>, String)> = Vec::new();
    match (check.step_kind, check.status) {
        (StepKind::ReferenceCheck, CheckStatus::AwaitingReferees | CheckStatus::InProgress) => {
            for r in referees_of(db, check.id).await?.into_iter().filter(|r| r.submitted_at.is_none()) {
                if !r.email.is_empty() {
                    let who = format!("referee {}", r.name);
                    recipients.push((r.email, r.name, TokenPurpose::Referee, Some(r.id), who));
                }
            }
        }
        (kind, _) => {
            let purpose = match kind {
                StepKind::SelfAssessment => TokenPurpose::CandidateSelfAssessment,
                StepKind::ReferenceCheck => TokenPurpose::CandidateNomination,
            };
            if let Some(address) = candidate.as_ref().and_then(|c| projects::emails_of(c).into_iter().next())
            {
                recipients.push((address, candidate_name.clone(), purpose, None, "the candidate".to_owned()));
            }
        }
    }
    let mut sent_to = Vec::with_capacity(recipients.len());
    for (address, name, purpose, referee_id, who) in recipients {
        let token = tokens::issue(db, purpose, check.id, referee_id, check.expires_at).await?;
        let link = links::respond(public_url, &token);
        let about = if referee_id.is_some() { candidate_name.as_str() } else { "" };
        let values =
            templates::Values { name: &name, company: &org.name, candidate: about, job: &job, link: &link };
        let message = templates::reminder(check.language, &values, Some(&deadline));
        email::queue(db, check.organization_id, &address, EmailKind::Reminder, message, Some(check.id))
            .await?;
        sent_to.push(who);
    }
    Ok(sent_to)
}

/// A deadline as e-mails and reasons write it.
pub fn deadline_text(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The [`JOB_KIND`] handler: one run, then snooze for the interval. A failed
/// run is logged and tried again at the next interval (the job never ends).
pub struct Deadlines {
    pub state: AppState,
}

#[async_trait]
impl JobHandler for Deadlines {
    async fn run(&self, ctx: &JobContext, _job: &job::Model) -> Result<JobOutcome, JobError> {
        let options = &self.state.config.deadlines;
        let interval: StdDuration = options.interval;
        match run_once(&ctx.db, &self.state.config.public_url, options, Utc::now()).await {
            Ok(report) => {
                if report != DeadlineReport::default() {
                    tracing::info!(expired = report.expired, reminded = report.reminded, "deadlines handled");
                    self.state.jobs.wake();
                }
                let _ = ctx
                    .set_result(serde_json::json!({ "expired": report.expired, "reminded": report.reminded }))
                    .await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "the deadline run failed; trying again at the next interval");
                let _ = ctx.set_result(serde_json::json!({ "error": err.to_string() })).await;
            }
        }
        Ok(JobOutcome::Snooze(interval))
    }
}
