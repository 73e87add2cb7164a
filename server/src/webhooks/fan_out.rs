//! The job that gives each delivery of a committed batch its processing
//! job, off the webhook route's commit path.
//!
//! A batch of deliveries commits with one `lever.webhook.fan_out` job per
//! connection in it (in the same transaction, so a 200 still means the work
//! it asks for is committed), instead of one processing job per delivery:
//! a processing job row is a row in eight B-trees (the table and its
//! indexes, one of them keyed by opportunity, so at a random place), and
//! writing those pages doubled what every batch wrote and fsynced while
//! Lever waited. The fan-out job, run by the workers once ingest pauses,
//! writes the processing jobs (`processing::job_for`, the same idempotency
//! keys as ever) of those deliveries that were stored and are still
//! waiting. A connection's fan-out jobs share a concurrency key, so they run
//! one at a time in commit order and the processing jobs of one opportunity
//! are created, and claimed, in the order their deliveries arrived. It is idempotent: run again, its inserts find the keys taken
//! and write nothing, so every delivery gets exactly one processing job.
use async_trait::async_trait;
use entity::job;
use entity::lever_webhook_delivery::{self, DeliveryStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::inbox;
use crate::jobs::{self, JobContext, JobError, JobHandler, JobOutcome, JobSignal, NewJob};

/// The job kind that enqueues a batch's processing jobs.
pub const JOB_KIND: &str = "lever.webhook.fan_out";

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    delivery_ids: Vec<Uuid>,
}

/// One connection's share of a batch: the deliveries that need processing
/// and the fan-out job that will enqueue their processing jobs.
pub(crate) struct Share {
    pub delivery_ids: Vec<Uuid>,
    pub job: NewJob,
}

/// The fan-out jobs of a batch: one per connection that has deliveries to
/// process (ignored deliveries need none), in the order the connections
/// first appear. Every delivery has a fresh id, so the first one names the
/// job uniquely.
pub(crate) fn shares(rows: &[lever_webhook_delivery::Model]) -> Vec<Share> {
    let mut groups: Vec<(Uuid, Uuid, Vec<Uuid>)> = Vec::new();
    for row in rows.iter().filter(|row| row.status == DeliveryStatus::Received) {
        match groups.iter_mut().find(|(_, connection, _)| *connection == row.connection_id) {
            Some((_, _, ids)) => ids.push(row.id),
            None => groups.push((row.organization_id, row.connection_id, vec![row.id])),
        }
    }
    groups
        .into_iter()
        .map(|(organization_id, connection_id, delivery_ids)| {
            let key = format!("{JOB_KIND}:{}", delivery_ids[0]);
            let payload = Payload { delivery_ids: delivery_ids.clone() };
            let job = NewJob {
                organization_id: Some(organization_id),
                connection_id: Some(connection_id),
                // One at a time per connection, in the order the batches
                // committed: processing jobs are then created, and claimed,
                // in the order their deliveries arrived.
                concurrency_key: Some(format!("{JOB_KIND}:{connection_id}")),
                ..NewJob::new(JOB_KIND, key, serde_json::to_value(payload).unwrap_or_default())
            };
            Share { delivery_ids, job }
        })
        .collect()
}

/// The [`JobHandler`] for [`JOB_KIND`]; it wakes idle workers for the
/// jobs it enqueues.
pub struct FanOut {
    pub signal: JobSignal,
}

#[async_trait]
impl JobHandler for FanOut {
    async fn run(&self, ctx: &JobContext, job: &job::Model) -> Result<JobOutcome, JobError> {
        let payload: Payload = crate::jobs::payload(job)?;
        let organization_id = crate::jobs::organization(job)?;
        // Still waiting: a delivery processed meanwhile (by a replay, say)
        // needs no job, and one whose batch was not stored does not exist.
        use lever_webhook_delivery::Column;
        let waiting = lever_webhook_delivery::Entity::find()
            .filter(Column::OrganizationId.eq(organization_id))
            .filter(Column::Id.is_in(payload.delivery_ids))
            .filter(Column::Status.eq(DeliveryStatus::Received))
            .all(&ctx.db)
            .await?;
        let processing: Vec<_> = waiting.iter().filter_map(inbox::job_for_row).collect();
        // One statement: all of them or none, and a key already taken (a
        // run before this one) is skipped.
        let enqueued = jobs::enqueue_many(&ctx.db, processing).await?;
        for _ in 0..enqueued.min(16) {
            self.signal.wake();
        }
        Ok(JobOutcome::Done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhooks::Delivery;

    fn row(connection: Uuid, event: &str, n: i64) -> lever_webhook_delivery::Model {
        let body = serde_json::json!({
            "event": event, "signature": "00", "token": format!("tok-{n}"),
            "triggeredAt": 1_763_900_000_000_i64 + n, "data": { "opportunityId": format!("opp-{n}") },
        });
        let delivery = Delivery::parse(&serde_json::to_vec(&body).expect("json")).expect("parses");
        inbox::row(Uuid::nil(), connection, &delivery)
    }

    #[test]
    fn a_batch_gets_one_fan_out_job_per_connection_for_the_deliveries_to_process() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let rows = vec![
            row(a, "candidateHired", 1),
            row(b, "candidateStageChange", 2),
            row(a, "somethingElse", 3),
            row(a, "candidateDeleted", 4),
        ];
        let shares = super::shares(&rows);
        assert_eq!(shares.len(), 2);
        assert_eq!(shares[0].delivery_ids, vec![rows[0].id, rows[3].id], "the ignored event needs no job");
        assert_eq!(shares[0].job.connection_id, Some(a));
        assert_eq!(shares[0].job.idempotency_key, format!("{JOB_KIND}:{}", rows[0].id));
        assert_eq!(shares[0].job.concurrency_key, Some(format!("{JOB_KIND}:{a}")), "in commit order");
        assert_eq!(shares[0].job.payload, serde_json::json!({ "delivery_ids": [rows[0].id, rows[3].id] }));
        assert_eq!(shares[1].delivery_ids, vec![rows[1].id]);
        assert_eq!(shares[1].job.connection_id, Some(b));
        assert!(super::shares(&rows[2..3]).is_empty(), "only ignored deliveries: no job");
    }
}
