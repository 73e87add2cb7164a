//! One step of a template: a self-assessment or a reference check.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What the candidate (or their referees) are asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum StepKind {
    #[sea_orm(string_value = "SELF_ASSESSMENT")]
    SelfAssessment,
    #[sea_orm(string_value = "REFERENCE_CHECK")]
    ReferenceCheck,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "template_steps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub template_id: Uuid,
    /// 0-based order within the template.
    pub position: i32,
    pub kind: StepKind,
    /// Reference checks only: how many referees must answer (1 to 10).
    pub referees_required: Option<i32>,
    /// Reference checks only: a JSON array of `MANAGER`, `PEER`, `REPORT`, `OTHER`.
    pub relationship_kinds: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::template::Entity",
        from = "Column::TemplateId",
        to = "super::template::Column::Id",
        on_delete = "Cascade"
    )]
    Template,
}

impl Related<super::template::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Template.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
