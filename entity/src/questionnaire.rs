//! A step's questions in one language. `questions` is a JSON array validated
//! by the server's domain before every write.
use sea_orm::entity::prelude::*;

use crate::Language;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "questionnaires")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub step_id: Uuid,
    pub language: Language,
    pub questions: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::template_step::Entity",
        from = "Column::StepId",
        to = "super::template_step::Column::Id",
        on_delete = "Cascade"
    )]
    Step,
}

impl ActiveModelBehavior for ActiveModel {}
