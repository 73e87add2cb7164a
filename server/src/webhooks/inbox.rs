//! The inbox: accepted deliveries, each stored once, with the job that
//! processes it written in the same transaction (a true outbox: a 200 means
//! both the delivery and the work it asks for are committed). A delivery
//! stored alone gets its processing job at once; a batch from the webhook
//! committer gets a fan-out job that enqueues them (see `fan_out`).
use chrono::Utc;
use entity::lever_webhook_delivery::{self, DeliverySource, DeliveryStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TryInsertResult,
};
use uuid::Uuid;

use super::payload::Delivery;
use super::processing;
use crate::domain::{DomainError, DomainResult};
use crate::jobs;

/// What storing a delivery did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Stored now, with a processing job when the event is acted on.
    New { delivery_id: Uuid, status: DeliveryStatus },
    /// The same delivery was stored before: nothing written.
    Duplicate,
}

/// Stores a verified delivery for the connection, and its processing job,
/// in a transaction of its own. The webhook route goes through the
/// [`super::committer::Committer`] instead, which shares one transaction
/// among concurrent deliveries.
pub async fn store(
    db: &DatabaseConnection,
    organization_id: Uuid,
    connection_id: Uuid,
    delivery: &Delivery,
) -> Result<Stored, DbErr> {
    insert_with_job(db, row(organization_id, connection_id, delivery)).await
}

/// The inbox row for a verified delivery, with a fresh id: `RECEIVED` when
/// Vouch acts on it, `IGNORED` (with the reason) otherwise.
pub fn row(organization_id: Uuid, connection_id: Uuid, delivery: &Delivery) -> lever_webhook_delivery::Model {
    let (status, detail) = match (&delivery.opportunity_id, delivery.is_handled()) {
        (_, false) => {
            (DeliveryStatus::Ignored, Some(format!("event type {} is not used by Vouch", delivery.event)))
        }
        (None, true) => (DeliveryStatus::Ignored, Some("test delivery: no opportunity named".to_owned())),
        (Some(_), true) => (DeliveryStatus::Received, None),
    };
    lever_webhook_delivery::Model {
        id: Uuid::now_v7(),
        organization_id,
        connection_id,
        dedupe_key: delivery.dedupe_key(connection_id),
        event: delivery.event.clone(),
        token: delivery.token.clone(),
        triggered_at: delivery.triggered_at,
        opportunity_id: delivery.opportunity_id.clone(),
        data: delivery.data.clone(),
        status,
        detail,
        process_count: 0,
        received_at: Utc::now(),
        processed_at: None,
        source: DeliverySource::Webhook,
        stage_id: delivery.stage_hint().map(str::to_owned),
    }
}

/// The processing job a stored row needs, if any (ignored rows need none).
pub(crate) fn job_for_row(row: &lever_webhook_delivery::Model) -> Option<jobs::NewJob> {
    (row.status == DeliveryStatus::Received).then(|| {
        processing::job_for(
            row.organization_id,
            row.connection_id,
            row.id,
            row.opportunity_id.as_deref(),
            None,
        )
    })
}

/// Inserts a delivery row unless its dedupe key is taken, with its
/// processing job when it is to be processed, in one transaction.
pub(crate) async fn insert_with_job(
    db: &DatabaseConnection,
    model: lever_webhook_delivery::Model,
) -> Result<Stored, DbErr> {
    let (id, status) = (model.id, model.status);
    let job = job_for_row(&model);
    // Every column set, so the insert writes them all.
    let row = lever_webhook_delivery::ActiveModel::from(model).reset_all();
    let txn = crate::db::begin_write(db).await?;
    // DO NOTHING on the unique key: concurrent duplicates wait for the first
    // insert to commit, then write nothing, and get their 200 too.
    let inserted = lever_webhook_delivery::Entity::insert(row)
        .on_conflict_do_nothing_on([lever_webhook_delivery::Column::DedupeKey])
        .exec_without_returning(&txn)
        .await?;
    if !matches!(inserted, TryInsertResult::Inserted(n) if n > 0) {
        txn.rollback().await?;
        return Ok(Stored::Duplicate);
    }
    if let Some(job) = job {
        jobs::enqueue(&txn, job).await.map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    txn.commit().await?;
    Ok(Stored::New { delivery_id: id, status })
}

/// The organization's deliveries, newest first, optionally for one connection.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    connection_id: Option<Uuid>,
    first: u64,
) -> DomainResult<Vec<lever_webhook_delivery::Model>> {
    let mut query = lever_webhook_delivery::Entity::find()
        .filter(lever_webhook_delivery::Column::OrganizationId.eq(organization_id));
    if let Some(connection_id) = connection_id {
        query = query.filter(lever_webhook_delivery::Column::ConnectionId.eq(connection_id));
    }
    Ok(query
        .order_by_desc(lever_webhook_delivery::Column::ReceivedAt)
        .order_by_desc(lever_webhook_delivery::Column::Id)
        .limit(first.clamp(1, 500))
        .all(db)
        .await?)
}

/// One delivery of the organization.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    id: Uuid,
) -> DomainResult<lever_webhook_delivery::Model> {
    lever_webhook_delivery::Entity::find_by_id(id)
        .filter(lever_webhook_delivery::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("webhook delivery"))
}

/// Processes a delivery again (an admin's replay): a new job with a new
/// idempotency key. Deliveries that name no opportunity or an event Vouch
/// does not use have nothing to replay. Answers the job's id.
pub async fn replay(db: &DatabaseConnection, organization_id: Uuid, id: Uuid) -> DomainResult<Uuid> {
    let delivery = find(db, organization_id, id).await?;
    let Some(opportunity_id) = delivery.opportunity_id.as_deref() else {
        return Err(DomainError::invalid(
            "id",
            "this delivery names no opportunity: there is nothing to replay",
        ));
    };
    if !super::payload::HANDLED_EVENTS.contains(&delivery.event.as_str()) {
        return Err(DomainError::invalid(
            "id",
            format!("event type {} is not used by Vouch: there is nothing to replay", delivery.event),
        ));
    }
    let replay_key = Uuid::new_v4();
    let job = processing::job_for(
        organization_id,
        delivery.connection_id,
        id,
        Some(opportunity_id),
        Some(replay_key),
    );
    jobs::enqueue(db, job).await
}
