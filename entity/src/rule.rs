//! A rule: which postings, which template and language, and which Lever
//! stage starts each of the template's steps.
use sea_orm::entity::prelude::*;

use crate::Language;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// The Lever connection whose postings and stages the rule names.
    pub connection_id: Uuid,
    pub name: String,
    pub enabled: bool,
    /// Order in the admin's list (0 first).
    pub position: i32,
    /// Covers every posting, except those a specific rule covers.
    pub all_postings: bool,
    pub template_id: Uuid,
    pub language: Language,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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
