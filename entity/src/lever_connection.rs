//! A company's link to its Lever account.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Which Lever environment the company lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DataCentre {
    #[sea_orm(string_value = "US")]
    Us,
    #[sea_orm(string_value = "EU")]
    Eu,
    #[sea_orm(string_value = "SANDBOX")]
    Sandbox,
}

/// How Vouch authenticates to Lever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AuthMode {
    #[sea_orm(string_value = "OAUTH")]
    OAuth,
    #[sea_orm(string_value = "API_KEY")]
    ApiKey,
}

/// Whether work for the connection can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ConnectionStatus {
    #[sea_orm(string_value = "CONNECTED")]
    Connected,
    /// Works, but something needs an admin (`status_reason` says what).
    #[sea_orm(string_value = "NEEDS_ATTENTION")]
    NeedsAttention,
    /// Lever refused the credentials: work pauses until reconnected.
    #[sea_orm(string_value = "REVOKED")]
    Revoked,
    /// An admin disconnected; credentials are destroyed, history kept.
    #[sea_orm(string_value = "DISCONNECTED")]
    Disconnected,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lever_connections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub data_centre: DataCentre,
    pub auth_mode: AuthMode,
    pub status: ConnectionStatus,
    pub status_reason: Option<String>,
    /// The `secrets` row holding the API key or the OAuth token set.
    pub credentials_secret_id: Option<Uuid>,
    /// OAuth scopes granted, space separated.
    pub scopes: Option<String>,
    pub fallback_lever_user_id: Option<String>,
    pub default_export_stage_id: Option<String>,
    /// The Lever opportunity Vouch made to carry the template tags (so they
    /// exist in Lever's tag list); found again by this id on every sync.
    pub tag_carrier_opportunity_id: Option<String>,
    pub last_success_at: Option<DateTimeUtc>,
    pub connected_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// GREEN, AMBER or RED after the last health check.
    pub health_level: Option<String>,
    pub health_reason: Option<String>,
    pub health_checked_at: Option<DateTimeUtc>,
    /// The admin set the webhooks up in Lever by hand (Vouch could not
    /// register them through the API), pasting their signature tokens.
    pub webhooks_manual: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id",
        on_delete = "Cascade"
    )]
    Organization,
}

impl ActiveModelBehavior for ActiveModel {}
