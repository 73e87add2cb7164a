//! A Lever user as last read from Lever.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lever_users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub connection_id: Uuid,
    pub lever_id: String,
    /// The user's name.
    pub text: String,
    pub email: Option<String>,
    /// `super admin`, `admin`, `team member`, `limited team member`, `interviewer`.
    pub access_role: Option<String>,
    pub deactivated_at: Option<DateTimeUtc>,
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
