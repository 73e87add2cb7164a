//! A candidate (a Lever opportunity) in a project. Personal data is blanked
//! when Lever deletes the candidate (`purged_at`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "candidates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub connection_id: Uuid,
    pub project_id: Uuid,
    pub lever_opportunity_id: String,
    pub name: String,
    /// JSON array of strings.
    pub emails: Json,
    /// JSON array of `{type, value}`.
    pub phones: Json,
    pub purged_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
