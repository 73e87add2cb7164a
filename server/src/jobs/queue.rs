//! Writing jobs and the admin actions on them.
use chrono::{DateTime, Utc};
use entity::job::{self, JobStatus};
use sea_orm::sea_query::{Expr, InsertStatement, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
    TryInsertResult,
};
use uuid::Uuid;

use crate::domain::{DomainError, DomainResult};

/// Attempts a job gets unless it asks for another number.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 8;

/// A job to write. `kind` picks the [`super::JobHandler`]; `idempotency_key`
/// names the work, so the same work enqueued twice runs once.
#[derive(Debug, Clone, Default)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub idempotency_key: String,
    pub organization_id: Option<Uuid>,
    pub connection_id: Option<Uuid>,
    /// Not before this time; `None` means now.
    pub run_after: Option<DateTime<Utc>>,
    /// Jobs sharing a key never run at the same time (e.g. the events of one
    /// Lever opportunity), on any number of processes.
    pub concurrency_key: Option<String>,
    /// `None` means [`DEFAULT_MAX_ATTEMPTS`].
    pub max_attempts: Option<i32>,
}

impl NewJob {
    pub fn new(
        kind: impl Into<String>,
        idempotency_key: impl Into<String>,
        payload: serde_json::Value,
    ) -> Self {
        Self { kind: kind.into(), idempotency_key: idempotency_key.into(), payload, ..Self::default() }
    }
}

/// Writes `job` on `db` (a connection or a transaction) and answers its id;
/// when a job with the same idempotency key exists, writes nothing and
/// answers that job's id. Workers in this process pick it up at once if
/// told through [`JobSignal::wake`] after the commit; others within their
/// poll interval.
pub async fn enqueue<C: ConnectionTrait>(db: &C, job: NewJob) -> DomainResult<Uuid> {
    let id = Uuid::now_v7();
    let key = job.idempotency_key.clone();
    let row = row(id, job, Utc::now())?;
    // ON CONFLICT DO NOTHING rather than catching the violation: on
    // PostgreSQL a failed statement would abort the caller's transaction.
    let inserted = job::Entity::insert(row)
        .on_conflict_do_nothing_on([job::Column::IdempotencyKey])
        .exec_without_returning(db)
        .await?;
    if matches!(inserted, TryInsertResult::Inserted(n) if n > 0) {
        return Ok(id);
    }
    let existing = job::Entity::find()
        .select_only()
        .column(job::Column::Id)
        .filter(job::Column::IdempotencyKey.eq(key))
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    existing.ok_or_else(|| DomainError::internal("job insert conflicted but no job holds the key"))
}

/// Writes several jobs in one statement (the webhook committer's batch);
/// those whose idempotency key is taken are skipped, as [`enqueue`] does.
/// Answers how many were written. Errors are the database's own, so that the
/// caller can tell a busy database from a refused row
/// ([`crate::db::classify`]).
pub async fn enqueue_many<C: ConnectionTrait>(db: &C, jobs: Vec<NewJob>) -> Result<u64, DbErr> {
    let inserted = job::Entity::insert_many(rows(jobs)?)
        .on_conflict_do_nothing_on([job::Column::IdempotencyKey])
        .exec_without_returning(db)
        .await?;
    Ok(match inserted {
        TryInsertResult::Inserted(n) => n,
        TryInsertResult::Empty | TryInsertResult::Conflicted => 0,
    })
}

/// The statement [`enqueue_many`] runs (for callers that make it part of
/// a larger statement): one multi-row insert, a job whose idempotency key
/// is taken left out. `None` when there is nothing to insert.
pub fn enqueue_many_statement(jobs: Vec<NewJob>) -> Result<Option<InsertStatement>, DbErr> {
    if jobs.is_empty() {
        return Ok(None);
    }
    let mut insert = job::Entity::insert_many(rows(jobs)?).into_query();
    insert.on_conflict(OnConflict::column(job::Column::IdempotencyKey).do_nothing().to_owned());
    Ok(Some(insert))
}

/// The rows for new, queued jobs, created now.
fn rows(jobs: Vec<NewJob>) -> Result<Vec<job::ActiveModel>, DbErr> {
    let now = Utc::now();
    jobs.into_iter()
        .map(|job| row(Uuid::now_v7(), job, now).map_err(|e| DbErr::Custom(e.to_string())))
        .collect()
}

/// The row for a new, queued job.
fn row(id: Uuid, job: NewJob, now: DateTime<Utc>) -> DomainResult<job::ActiveModel> {
    if job.kind.is_empty() || job.idempotency_key.is_empty() {
        return Err(DomainError::internal("a job needs a kind and an idempotency key"));
    }
    Ok(job::ActiveModel {
        id: Set(id),
        kind: Set(job.kind),
        payload: Set(job.payload),
        idempotency_key: Set(job.idempotency_key),
        concurrency_key: Set(job.concurrency_key),
        organization_id: Set(job.organization_id),
        connection_id: Set(job.connection_id),
        status: Set(JobStatus::Queued),
        attempts: Set(0),
        max_attempts: Set(job.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS).max(1)),
        run_after: Set(job.run_after.unwrap_or(now)),
        lease_owner: Set(None),
        lease_expires_at: Set(None),
        last_error: Set(None),
        progress_done: Set(None),
        progress_total: Set(None),
        result: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
    })
}

/// Which jobs to list.
#[derive(Debug, Clone, Default)]
pub struct JobFilter {
    pub status: Option<JobStatus>,
    pub connection_id: Option<Uuid>,
    pub kind: Option<String>,
    /// At most this many, newest first (clamped to 1..=500).
    pub first: u64,
}

/// The organization's jobs, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    filter: JobFilter,
) -> DomainResult<Vec<job::Model>> {
    let mut query = job::Entity::find().filter(job::Column::OrganizationId.eq(organization_id));
    if let Some(status) = filter.status {
        query = query.filter(job::Column::Status.eq(status));
    }
    if let Some(connection_id) = filter.connection_id {
        query = query.filter(job::Column::ConnectionId.eq(connection_id));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(job::Column::Kind.eq(kind));
    }
    Ok(query
        .order_by_desc(job::Column::CreatedAt)
        .order_by_desc(job::Column::Id)
        .limit(filter.first.clamp(1, 500))
        .all(db)
        .await?)
}

/// One job of the organization.
pub async fn find<C: ConnectionTrait>(db: &C, organization_id: Uuid, id: Uuid) -> DomainResult<job::Model> {
    job::Entity::find_by_id(id)
        .filter(job::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("job"))
}

/// Puts a FAILED job of the organization back in the queue to run now, with
/// its attempts reset. Other statuses are refused with a conflict naming the
/// current one.
pub async fn retry_job<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    id: Uuid,
) -> DomainResult<job::Model> {
    let current = find(db, organization_id, id).await?;
    let now = Utc::now();
    let updated = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(JobStatus::Queued))
        .col_expr(job::Column::Attempts, Expr::value(0))
        .col_expr(job::Column::RunAfter, Expr::value(now))
        .col_expr(job::Column::FinishedAt, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::OrganizationId.eq(organization_id))
        .filter(job::Column::Status.eq(JobStatus::Failed))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(DomainError::conflict(
            "id",
            format!("only a FAILED job can be retried; this one is {}", status_name(current.status)),
        ));
    }
    find(db, organization_id, id).await
}

/// Sets the connection's PAUSED jobs back to QUEUED (to run now), e.g. once
/// a revoked Lever connection is reconnected. Answers how many.
pub async fn resume_paused_for_connection<C: ConnectionTrait>(
    db: &C,
    connection_id: Uuid,
) -> DomainResult<u64> {
    let now = Utc::now();
    let updated = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(JobStatus::Queued))
        .col_expr(job::Column::RunAfter, Expr::value(now))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::ConnectionId.eq(connection_id))
        .filter(job::Column::Status.eq(JobStatus::Paused))
        .exec(db)
        .await?;
    Ok(updated.rows_affected)
}

fn status_name(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Queued => "QUEUED",
        JobStatus::Running => "RUNNING",
        JobStatus::Done => "DONE",
        JobStatus::Failed => "FAILED",
        JobStatus::Paused => "PAUSED",
    }
}
