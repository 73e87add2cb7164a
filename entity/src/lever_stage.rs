//! A Lever pipeline stage as last read from Lever.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lever_stages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub connection_id: Uuid,
    /// A slug such as `lead-new` for built-in stages, a UUID for custom ones.
    pub lever_id: String,
    pub text: String,
    /// Order in Lever's pipeline.
    pub position: i32,
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
