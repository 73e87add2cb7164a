//! A Lever posting (job) as last read from Lever.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lever_postings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub connection_id: Uuid,
    pub lever_id: String,
    /// The posting's title.
    pub text: String,
    pub state: Option<String>,
    pub owner_id: Option<String>,
    pub hiring_manager_id: Option<String>,
    /// The posting's tags, a JSON array of strings.
    pub tags: Option<Json>,
    /// Set when Lever no longer lists it.
    pub gone_at: Option<DateTimeUtc>,
    pub synced_at: DateTimeUtc,
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
