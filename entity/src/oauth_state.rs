//! An OAuth `state` in flight (only its SHA-256 is stored).
use sea_orm::entity::prelude::*;

use crate::lever_connection::DataCentre;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oauth_states")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub state_hash: String,
    pub organization_id: Uuid,
    /// The admin who started the flow; the connection is made as them.
    pub user_id: Uuid,
    pub data_centre: DataCentre,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
