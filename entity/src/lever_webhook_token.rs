//! A Lever webhook signing token of a connection. The token itself lives in
//! `secrets`; `event` null means it is valid for every event type.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lever_webhook_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub connection_id: Uuid,
    pub event: Option<String>,
    pub secret_id: Uuid,
    /// Lever's id of the webhook when Vouch registered it through the API.
    pub lever_webhook_id: Option<String>,
    pub created_at: DateTimeUtc,
    /// Set when the token is rotated out; retired tokens verify nothing.
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::lever_connection::Entity",
        from = "Column::ConnectionId",
        to = "super::lever_connection::Column::Id",
        on_delete = "Cascade"
    )]
    Connection,
}

impl ActiveModelBehavior for ActiveModel {}
