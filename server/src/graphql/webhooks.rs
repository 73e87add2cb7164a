//! The webhook log: what Lever sent, and what became of it.
use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, TimeZone, Utc};
use entity::lever_webhook_delivery;
use entity::Role as DbRole;
use uuid::Uuid;

use super::jobs::JobObject;
use super::{require_user, state, GqlResult, IntoGql};
use crate::auth::RoleGuard;
use crate::webhooks::inbox;

/// What became of a webhook delivery.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::lever_webhook_delivery::DeliveryStatus")]
pub enum WebhookResult {
    /// Stored; waiting for its processing job.
    Received,
    Processed,
    /// Stored and not acted on (an event Vouch does not use, or a test delivery).
    Ignored,
    /// Older than an event of the same kind already applied to the candidate.
    Stale,
    /// Processing failed; see the job's last error.
    Failed,
}

/// One delivery from Lever.
#[derive(SimpleObject)]
#[graphql(name = "WebhookDelivery")]
pub struct WebhookDeliveryObject {
    pub id: Uuid,
    pub connection_id: Uuid,
    /// Lever's event type, e.g. candidateStageChange.
    pub event: String,
    pub opportunity_id: Option<String>,
    /// When Lever says the event happened.
    pub triggered_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
    pub result: WebhookResult,
    /// Why it was ignored, skipped or failed.
    pub detail: Option<String>,
}

impl From<lever_webhook_delivery::Model> for WebhookDeliveryObject {
    fn from(m: lever_webhook_delivery::Model) -> Self {
        Self {
            id: m.id,
            connection_id: m.connection_id,
            event: m.event,
            opportunity_id: m.opportunity_id,
            triggered_at: Utc.timestamp_millis_opt(m.triggered_at).single().unwrap_or_default(),
            received_at: m.received_at,
            processed_at: m.processed_at,
            result: m.status.into(),
            detail: m.detail,
        }
    }
}

#[derive(Default)]
pub struct WebhooksQuery;

#[Object]
impl WebhooksQuery {
    /// Lever deliveries received, newest first (at most `first`, default
    /// 50, up to 500), optionally for one connection.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        connection_id: Option<Uuid>,
        #[graphql(default = 50)] first: u32,
    ) -> GqlResult<Vec<WebhookDeliveryObject>> {
        let me = require_user(ctx)?;
        let list =
            inbox::list(&state(ctx).db, me.organization_id, connection_id, u64::from(first)).await.gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }
}

#[derive(Default)]
pub struct WebhooksMutation;

#[Object]
impl WebhooksMutation {
    /// Processes a delivery again (e.g. after fixing a rule); answers the
    /// new processing job.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn replay_webhook(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<JobObject> {
        let me = require_user(ctx)?;
        let app = state(ctx);
        let job_id = inbox::replay(&app.db, me.organization_id, id).await.gql()?;
        app.jobs.wake();
        crate::jobs::find(&app.db, me.organization_id, job_id).await.gql().map(Into::into)
    }
}
