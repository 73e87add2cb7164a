//! The Lever connection: connect (OAuth or API key), settings, catalogue,
//! disconnect. Connecting and disconnecting are for super admins.
use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::lever_connection;
use entity::{lever_stage, lever_user, Role as DbRole};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{require_user, state, GqlResult, IntoGql};
use crate::auth::RoleGuard;
use crate::domain::connections::{api_key, catalogue, clients, disconnect, oauth, store};
use crate::domain::DomainError;

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

/// How much a catalogue refresh read.
#[derive(SimpleObject)]
pub struct CatalogueCounts {
    users: u64,
    postings: u64,
    stages: u64,
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

    /// Reads postings, stages and users from Lever again.
    #[graphql(guard = "RoleGuard::new(DbRole::Admin)")]
    async fn refresh_lever_catalogue(
        &self,
        ctx: &Context<'_>,
        connection_id: Uuid,
    ) -> GqlResult<CatalogueCounts> {
        let me = require_user(ctx)?;
        let app = state(ctx);
        let connection = store::find(&app.db, me.organization_id, connection_id).await.gql()?;
        let client = clients::client_for(app, &connection).await.gql()?;
        let outcome = match catalogue::sync(&app.db, &client, connection.id, &|_| {}).await {
            Ok(counts) => Ok(counts),
            Err(catalogue::SyncError::Lever(e)) => Err(e),
            Err(catalogue::SyncError::Domain(e)) => return Err(e).gql(),
        };
        let counts = clients::observe(&app.db, app, &connection, outcome).await.gql()?;
        Ok(CatalogueCounts { users: counts.users, postings: counts.postings, stages: counts.stages })
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
