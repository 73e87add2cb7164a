//! A Lever posting a rule covers, by Lever's id (stable across catalogue syncs).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rule_postings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub rule_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub lever_posting_id: String,
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
}

impl ActiveModelBehavior for ActiveModel {}
