//! One entry of a check's timeline.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "check_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub check_id: Uuid,
    /// e.g. `check.created`, `status.changed`, `email.sent`, `lever.written`.
    pub kind: String,
    /// The status after the event, when it changed one.
    pub status: Option<String>,
    /// What happened, in words (never personal data).
    pub detail: Option<String>,
    /// Who: `lever:<user id>`, `user:<id>`, `candidate`, `referee:<id>`, `vouch`.
    pub actor: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
