//! The Lever connection: connect (OAuth or API key), settings, catalogue,
//! disconnect. Connecting and disconnecting are for super admins.
use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::lever_connection;
use entity::{lever_stage, lever_user, lever_webhook_delivery, Role as DbRole};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::jobs::JobObject;
use super::{require_user, state, GqlResult, IntoGql};
use crate::auth::RoleGuard;
use crate::domain::connections::{
    api_key, clients, disconnect, jobs, oauth, store, webhook_setup, webhook_test,
};
use crate::domain::DomainError;
use crate::secrets::Redacted;
use crate::webhooks::tokens;

/// Where a company's Lever account lives.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "entity::lever_connection::DataCentre")]
pub enum LeverDataCentre {
    Us,
    Eu,
    Sandbox,
}

/// How Vouch authenticates to Lever.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "entity::lever_connection::AuthMode")]
pub enum LeverAuthMode {
    #[graphql(name = "OAUTH")]
    OAuth,
    ApiKey,
}

/// Whether work for the connection runs.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "entity::lever_connection::ConnectionStatus")]
pub enum LeverConnectionStatus {
    Connected,
    NeedsAttention,
    Revoked,
    Disconnected,
}

/// A company's link to Lever. Credentials are never exposed.
pub struct LeverConnectionObject(lever_connection::Model);

#[Object(name = "LeverConnection")]
impl LeverConnectionObject {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn data_centre(&self) -> LeverDataCentre {
        self.0.data_centre.into()
    }
    async fn auth_mode(&self) -> LeverAuthMode {
        self.0.auth_mode.into()
    }
    async fn status(&self) -> LeverConnectionStatus {
        self.0.status.into()
    }
    /// Why the status is not CONNECTED, in words an admin can act on.
    async fn status_reason(&self) -> Option<&str> {
        self.0.status_reason.as_deref()
    }
    /// OAuth scopes Lever granted (empty for API keys).
    async fn scopes(&self) -> Vec<String> {
        self.0.scopes.as_deref().unwrap_or_default().split_whitespace().map(str::to_owned).collect()
    }
    /// Lever user that notes and tags are written as when the acting user cannot be.
    async fn fallback_user_id(&self) -> Option<&str> {
        self.0.fallback_lever_user_id.as_deref()
    }
    /// Lever stage that exported candidates are created in.
    async fn default_export_stage_id(&self) -> Option<&str> {
        self.0.default_export_stage_id.as_deref()
    }
    /// When a Lever call last succeeded.
    async fn last_success_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_success_at
    }
    /// The URL Lever must send webhooks to.
    async fn webhook_url(&self, ctx: &Context<'_>) -> GqlResult<String> {
        let base = &state(ctx).config.public_url;
        base.join(&format!("webhooks/lever/{}", self.0.id))
            .map(|u| u.to_string())
            .map_err(|e| DomainError::internal(e.to_string()))
            .gql()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// True when the admin set the webhooks up in Lever by hand (Vouch may
    /// not register them) and pastes their signature tokens here.
    async fn webhooks_manual(&self) -> bool {
        self.0.webhooks_manual
    }
    /// Per handled event: whether Vouch can verify its deliveries.
    async fn webhooks(&self, ctx: &Context<'_>) -> GqlResult<Vec<LeverWebhookStatus>> {
        let stored = tokens::list_active(&state(ctx).db, self.0.organization_id, self.0.id).await.gql()?;
        Ok(webhook_setup::EVENTS
            .iter()
            .map(|event| {
                let mine: Vec<_> =
                    stored.iter().filter(|t| t.event.as_deref().is_none_or(|e| e == *event)).collect();
                LeverWebhookStatus {
                    event: (*event).to_owned(),
                    token_configured: !mine.is_empty(),
                    registered_by_vouch: mine.iter().any(|t| t.lever_webhook_id.is_some()),
                }
            })
            .collect())
    }
    /// Webhook traffic: when the last delivery arrived and how many of each
    /// event came in the last 24 hours.
    async fn webhook_stats(&self, ctx: &Context<'_>) -> GqlResult<WebhookStats> {
        use sea_orm::{FromQueryResult, QuerySelect};
        #[derive(FromQueryResult)]
        struct Count {
            event: String,
            count: i64,
        }
        let db = &state(ctx).db;
        let deliveries = || {
            lever_webhook_delivery::Entity::find()
                .filter(lever_webhook_delivery::Column::OrganizationId.eq(self.0.organization_id))
                .filter(lever_webhook_delivery::Column::ConnectionId.eq(self.0.id))
        };
        let last = deliveries()
            .order_by_desc(lever_webhook_delivery::Column::ReceivedAt)
            .one(db)
            .await
            .map_err(DomainError::from)
            .gql()?;
        let since = Utc::now() - chrono::Duration::hours(24);
        let counts = deliveries()
            .filter(lever_webhook_delivery::Column::ReceivedAt.gte(since))
            .select_only()
            .column(lever_webhook_delivery::Column::Event)
            .column_as(lever_webhook_delivery::Column::Id.count(), "count")
            .group_by(lever_webhook_delivery::Column::Event)
            .into_model::<Count>()
            .all(db)
            .await
            .map_err(DomainError::from)
            .gql()?;
        Ok(WebhookStats {
            last_received_at: last.as_ref().map(|d| d.received_at),
            last_event: last.map(|d| d.event),
            last_day: counts.into_iter().map(|c| EventCount { event: c.event, count: c.count }).collect(),
        })
    }
    /// The last health check (null before the first).
    async fn health(&self) -> Option<LeverHealth> {
        Some(LeverHealth {
            level: self.0.health_level.clone()?,
            reason: self.0.health_reason.clone().unwrap_or_default(),
            checked_at: self.0.health_checked_at?,
        })
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// The answer to an API-key connection attempt.
#[derive(SimpleObject)]
pub struct ApiKeyConnectPayload {
    /// Set when connected; null when permissions are missing (nothing stored).
    connection: Option<LeverConnectionObject>,
    /// The permissions the key lacks, in the words of Lever's API key screen.
    missing_permissions: Vec<String>,
}

/// A Lever user from the catalogue.
#[derive(SimpleObject)]
pub struct LeverUser {
    lever_id: String,
    name: String,
    email: Option<String>,
    access_role: Option<String>,
    deactivated: bool,
    /// Lever no longer lists this user.
    gone: bool,
}

/// Whether deliveries of one Lever event can be verified.
#[derive(SimpleObject)]
pub struct LeverWebhookStatus {
    event: String,
    /// A signature token is stored for it.
    token_configured: bool,
    /// Vouch registered the webhook through Lever's API.
    registered_by_vouch: bool,
}

/// The connection's health: GREEN, AMBER or RED, and why.
#[derive(SimpleObject)]
pub struct LeverHealth {
    level: String,
    reason: String,
    checked_at: DateTime<Utc>,
}

/// Webhook traffic of a connection.
#[derive(SimpleObject)]
pub struct WebhookStats {
    last_received_at: Option<DateTime<Utc>>,
    last_event: Option<String>,
    /// Deliveries per event type in the last 24 hours.
    last_day: Vec<EventCount>,
}

#[derive(SimpleObject)]
pub struct EventCount {
    event: String,
    count: i64,
}

/// What "Send test" found.
#[derive(SimpleObject)]
pub struct WebhookTestResult {
    ok: bool,
    message: String,
}

#[derive(Default)]
pub struct LeverQuery;

#[Object]
impl LeverQuery {
    /// The organization's Lever connection (null when never connected or disconnected).
    #[graphql(guard = "RoleGuard::new(DbRole::TeamMember)")]
    async fn lever_connection(&self, ctx: &Context<'_>) -> GqlResult<Option<LeverConnectionObject>> {
        let me = require_user(ctx)?;
        Ok(store::find_active(&state(ctx).db, me.organization_id).await.gql()?.map(LeverConnectionObject))
    }

    /// Lever users of the connection (for the fallback user picker).
    #[graphql(guard = "RoleGuard::new(DbRole::TeamMember)")]
    async fn lever_users(&self, ctx: &Context<'_>, connection_id: Uuid) -> GqlResult<Vec<LeverUser>> {
        let me = require_user(ctx)?;
        let app = state(ctx);
        let connection = store::find(&app.db, me.organization_id, connection_id).await.gql()?;
        let rows = lever_user::Entity::find()
            .filter(lever_user::Column::ConnectionId.eq(connection.id))
            .order_by_asc(lever_user::Column::Text)
            .all(&app.db)
            .await
            .map_err(DomainError::from)
            .gql()?;
        Ok(rows
            .into_iter()
            .map(|u| LeverUser {
                lever_id: u.lever_id,
                name: u.text,
                email: u.email,
                access_role: u.access_role,
                deactivated: u.deactivated_at.is_some(),
                gone: u.gone_at.is_some(),
            })
            .collect())
    }
}

/// The organization's connection, refusing disconnected ones.
async fn usable(
    app: &crate::AppState,
    organization_id: Uuid,
    connection_id: Uuid,
) -> Result<lever_connection::Model, DomainError> {
    let connection = store::find(&app.db, organization_id, connection_id).await?;
    if connection.status == entity::lever_connection::ConnectionStatus::Disconnected {
        return Err(DomainError::conflict(
            "connectionId",
            "this Lever connection is disconnected: connect Lever again",
        ));
    }
    Ok(connection)
}

#[derive(Default)]
pub struct LeverMutation;

#[Object]
impl LeverMutation {
    /// Starts connecting by OAuth (US or sandbox): answers Lever's authorize
    /// URL to send the admin to. The state expires in 10 minutes.
    #[graphql(guard = "RoleGuard::new(DbRole::SuperAdmin)")]
    async fn start_lever_o_auth(&self, ctx: &Context<'_>, data_centre: LeverDataCentre) -> GqlResult<String> {
        let me = require_user(ctx)?;
        oauth::start(state(ctx), me, data_centre.into()).await.gql()
    }

    /// Connects with an API key after probing every permission Vouch needs.
    #[graphql(guard = "RoleGuard::new(DbRole::SuperAdmin)")]
    async fn connect_lever_with_api_key(
        &self,
        ctx: &Context<'_>,
        data_centre: LeverDataCentre,
        api_key: String,
    ) -> GqlResult<ApiKeyConnectPayload> {
        let me = require_user(ctx)?;
        let outcome = api_key::connect(state(ctx), me, data_centre.into(), &api_key).await.gql()?;
        Ok(ApiKeyConnectPayload {
            connection: outcome.connection.map(LeverConnectionObject),
            missing_permissions: outcome.missing_permissions.into_iter().map(str::to_owned).collect(),
        })
    }

    /// Sets the fallback "perform as" Lever user and the default export stage.
    /// Pass an empty string to clear one; leave it out to keep it.
    #[graphql(guard = "RoleGuard::new(DbRole::SuperAdmin)")]
    async fn update_lever_connection(
        &self,
        ctx: &Context<'_>,
        connection_id: Uuid,
        fallback_user_id: Option<String>,
        default_export_stage_id: Option<String>,
    ) -> GqlResult<LeverConnectionObject> {
        let me = require_user(ctx)?;
        let app = state(ctx);
        let connection = store::find(&app.db, me.organization_id, connection_id).await.gql()?;
        let fallback = match fallback_user_id.map(|s| s.trim().to_owned()) {
            Some(id) if id.is_empty() => Some(None),
            Some(id) => {
                let known = lever_user::Entity::find()
                    .filter(lever_user::Column::ConnectionId.eq(connection.id))
                    .filter(lever_user::Column::LeverId.eq(&id))
                    .one(&app.db)
                    .await
                    .map_err(DomainError::from)
                    .gql()?;
                match known {
                    Some(u) if u.gone_at.is_none() && u.deactivated_at.is_none() => Some(Some(id)),
                    _ => {
                        return Err(DomainError::invalid(
                            "fallbackUserId",
                            "not an active Lever user of this account: refresh from Lever and pick one from the list",
                        ))
                        .gql()
                    }
                }
            }
            None => None,
        };
        let stage = match default_export_stage_id.map(|s| s.trim().to_owned()) {
            Some(id) if id.is_empty() => Some(None),
            Some(id) => {
                let known = lever_stage::Entity::find()
                    .filter(lever_stage::Column::ConnectionId.eq(connection.id))
                    .filter(lever_stage::Column::LeverId.eq(&id))
                    .filter(lever_stage::Column::GoneAt.is_null())
                    .one(&app.db)
                    .await
                    .map_err(DomainError::from)
                    .gql()?;
                if known.is_none() {
                    return Err(DomainError::invalid(
                        "defaultExportStageId",
                        "not a stage of this Lever account: refresh from Lever and pick one from the list",
                    ))
                    .gql();
                }
                Some(Some(id))
            }
            None => None,
        };
        let updated = store::update_settings(&app.db, connection, fallback, stage).await.gql()?;
        app.lever.remove(updated.id);
        Ok(LeverConnectionObject(updated))
    }

    /// Reads postings, stages and users from Lever again, as a job: poll
    /// `job(id)` for its progress.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn refresh_lever_catalogue(&self, ctx: &Context<'_>, connection_id: Uuid) -> GqlResult<JobObject> {
        let me = require_user(ctx)?;
        let app = state(ctx);
        let connection = usable(app, me.organization_id, connection_id).await.gql()?;
        let id = jobs::enqueue_catalogue_sync(&app.db, &connection).await.gql()?;
        app.jobs.wake();
        crate::jobs::find(&app.db, me.organization_id, id).await.gql().map(Into::into)
    }

    /// Stores a webhook signature token pasted from Lever (for webhooks made
    /// in Lever's UI). `event` null means the token signs every event.
    #[graphql(guard = "RoleGuard::new(DbRole::SuperAdmin)")]
    async fn set_lever_webhook_token(
        &self,
        ctx: &Context<'_>,
        connection_id: Uuid,
        event: Option<String>,
        token: String,
    ) -> GqlResult<LeverConnectionObject> {
        let me = require_user(ctx)?;
        let app = state(ctx);
        let connection = usable(app, me.organization_id, connection_id).await.gql()?;
        if let Some(event) = &event {
            if !webhook_setup::EVENTS.contains(&event.as_str()) {
                return Err(DomainError::invalid(
                    "event",
                    format!("expected one of {}", webhook_setup::EVENTS.join(", ")),
                ))
                .gql();
            }
        }
        tokens::add(
            &app.db,
            &app.secrets,
            me.organization_id,
            connection.id,
            event.as_deref(),
            &Redacted::new(token),
            None,
        )
        .await
        .gql()?;
        store::find(&app.db, me.organization_id, connection.id).await.gql().map(LeverConnectionObject)
    }

    /// Posts a signed test delivery to the connection's webhook URL.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn send_lever_test_webhook(
        &self,
        ctx: &Context<'_>,
        connection_id: Uuid,
    ) -> GqlResult<WebhookTestResult> {
        let me = require_user(ctx)?;
        let app = state(ctx);
        let connection = usable(app, me.organization_id, connection_id).await.gql()?;
        let outcome = webhook_test::send(app, &connection).await.gql()?;
        Ok(WebhookTestResult { ok: outcome.ok, message: outcome.message })
    }

    /// Checks the connection now (credentials, webhooks, permissions) and
    /// answers it with its fresh health.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn check_lever_connection(
        &self,
        ctx: &Context<'_>,
        connection_id: Uuid,
    ) -> GqlResult<LeverConnectionObject> {
        let me = require_user(ctx)?;
        let app = state(ctx);
        let connection = usable(app, me.organization_id, connection_id).await.gql()?;
        if connection.status != entity::lever_connection::ConnectionStatus::Revoked {
            let client = clients::client_for(app, &connection).await.gql()?;
            jobs::check_health(app, &connection, &client)
                .await
                .map_err(|e| DomainError::Lever(e.to_string()))
                .gql()?;
        }
        store::find(&app.db, me.organization_id, connection.id).await.gql().map(LeverConnectionObject)
    }

    /// Fixes what can be fixed in place: re-registers missing webhooks
    /// (same connection id, so rules and queued work stay attached). Answers
    /// the job; an OAuth grant that no longer works is repaired by
    /// reconnecting through `startLeverOAuth`.
    #[graphql(guard = "RoleGuard::new(DbRole::SuperAdmin)")]
    async fn repair_lever_connection(&self, ctx: &Context<'_>, connection_id: Uuid) -> GqlResult<JobObject> {
        let me = require_user(ctx)?;
        let app = state(ctx);
        let connection = usable(app, me.organization_id, connection_id).await.gql()?;
        let id = jobs::enqueue_setup_webhooks(&app.db, &connection).await.gql()?;
        app.jobs.wake();
        crate::jobs::find(&app.db, me.organization_id, id).await.gql().map(Into::into)
    }

    /// Disconnects Lever: credentials destroyed, history kept.
    #[graphql(guard = "RoleGuard::new(DbRole::SuperAdmin)")]
    async fn disconnect_lever(
        &self,
        ctx: &Context<'_>,
        connection_id: Uuid,
    ) -> GqlResult<LeverConnectionObject> {
        let me = require_user(ctx)?;
        disconnect::disconnect(state(ctx), me, connection_id).await.gql().map(LeverConnectionObject)
    }
}
