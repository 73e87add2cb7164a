//! The Lever stage (by Lever's id) that starts one template step under a rule.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rule_stage_mappings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub rule_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub step_id: Uuid,
    pub lever_stage_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::rule::Entity",
        from = "Column::RuleId",
        to = "super::rule::Column::Id",
        on_delete = "Cascade"
    )]
    Rule,
    #[sea_orm(
        belongs_to = "super::template_step::Entity",
        from = "Column::StepId",
        to = "super::template_step::Column::Id",
        on_delete = "Cascade"
    )]
    Step,
}

impl ActiveModelBehavior for ActiveModel {}
