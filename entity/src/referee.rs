//! A referee named by a candidate, with their answers.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "referees")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub check_id: Uuid,
    /// 0-based order as nominated.
    pub position: i32,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// `MANAGER`, `PEER`, `REPORT`, `OTHER`.
    pub relationship: String,
    /// Draft until `submitted_at`.
    pub answers: Option<Json>,
    pub submitted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
