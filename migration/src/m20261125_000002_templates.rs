//! Templates, their steps, and each step's questionnaires per language.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_organizations_users::Organizations;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Templates::Table)
                    .if_not_exists()
                    .col(uuid(Templates::Id).primary_key())
                    .col(uuid(Templates::OrganizationId))
                    .col(string_len(Templates::Name, 200))
                    .col(string_len(Templates::NameKey, 200))
                    .col(timestamp_with_time_zone_null(Templates::ArchivedAt))
                    .col(timestamp_with_time_zone(Templates::CreatedAt))
                    .col(timestamp_with_time_zone(Templates::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_templates_organization")
                            .from(Templates::Table, Templates::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_templates_organization_name_key")
                    .table(Templates::Table)
                    .col(Templates::OrganizationId)
                    .col(Templates::NameKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TemplateSteps::Table)
                    .if_not_exists()
                    .col(uuid(TemplateSteps::Id).primary_key())
                    .col(uuid(TemplateSteps::TemplateId))
                    .col(integer(TemplateSteps::Position))
                    .col(string_len(TemplateSteps::Kind, 32))
                    .col(integer_null(TemplateSteps::RefereesRequired))
                    .col(json_null(TemplateSteps::RelationshipKinds))
                    .col(timestamp_with_time_zone(TemplateSteps::CreatedAt))
                    .col(timestamp_with_time_zone(TemplateSteps::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_template_steps_template")
                            .from(TemplateSteps::Table, TemplateSteps::TemplateId)
                            .to(Templates::Table, Templates::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_template_steps_template")
                    .table(TemplateSteps::Table)
                    .col(TemplateSteps::TemplateId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Questionnaires::Table)
                    .if_not_exists()
                    .col(uuid(Questionnaires::Id).primary_key())
                    .col(uuid(Questionnaires::StepId))
                    .col(string_len(Questionnaires::Language, 8))
                    .col(json(Questionnaires::Questions))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_questionnaires_step")
                            .from(Questionnaires::Table, Questionnaires::StepId)
                            .to(TemplateSteps::Table, TemplateSteps::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_questionnaires_step_language")
                    .table(Questionnaires::Table)
                    .col(Questionnaires::StepId)
                    .col(Questionnaires::Language)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Questionnaires::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(TemplateSteps::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Templates::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Templates {
    Table,
    Id,
    OrganizationId,
    Name,
    NameKey,
    ArchivedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub(crate) enum TemplateSteps {
    Table,
    Id,
    TemplateId,
    Position,
    Kind,
    RefereesRequired,
    RelationshipKinds,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Questionnaires {
    Table,
    Id,
    StepId,
    Language,
    Questions,
}
