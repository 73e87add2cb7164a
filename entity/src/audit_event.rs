//! The audit trail: who changed what, when.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// Null when the system acted (a job, a webhook).
    pub actor_user_id: Option<Uuid>,
    /// e.g. `rule.created`, `template.archived`.
    pub action: String,
    /// e.g. `rule`, `template`, `organization`.
    pub subject_type: String,
    pub subject_id: Uuid,
    /// What changed: `{field: {from, to}}` for updates, a snapshot otherwise.
    pub changes: Json,
    pub created_at: DateTimeUtc,
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
