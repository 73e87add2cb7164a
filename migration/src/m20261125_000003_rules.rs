//! Rules, the postings they cover and the stage that starts each step.
//! Postings and stages are kept by Lever's id, so a catalogue re-sync does not
//! break them; a rule pointing at something Lever dropped shows a warning.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_organizations_users::Organizations;
use crate::m20261123_000004_lever_connections::LeverConnections;
use crate::m20261125_000002_templates::{TemplateSteps, Templates};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Rules::Table)
                    .if_not_exists()
                    .col(uuid(Rules::Id).primary_key())
                    .col(uuid(Rules::OrganizationId))
                    .col(uuid(Rules::ConnectionId))
                    .col(string_len(Rules::Name, 200))
                    .col(boolean(Rules::Enabled))
                    .col(integer(Rules::Position))
                    .col(boolean(Rules::AllPostings))
                    .col(uuid(Rules::TemplateId))
                    .col(string_len(Rules::Language, 8))
                    .col(timestamp_with_time_zone(Rules::CreatedAt))
                    .col(timestamp_with_time_zone(Rules::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rules_organization")
                            .from(Rules::Table, Rules::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rules_connection")
                            .from(Rules::Table, Rules::ConnectionId)
                            .to(LeverConnections::Table, LeverConnections::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    // A template in use cannot be deleted: the domain says
                    // which rules use it; this is the backstop.
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rules_template")
                            .from(Rules::Table, Rules::TemplateId)
                            .to(Templates::Table, Templates::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_rules_organization")
                    .table(Rules::Table)
                    .col(Rules::OrganizationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RulePostings::Table)
                    .if_not_exists()
                    .col(uuid(RulePostings::RuleId))
                    .col(string_len(RulePostings::LeverPostingId, 64))
                    .primary_key(Index::create().col(RulePostings::RuleId).col(RulePostings::LeverPostingId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rule_postings_rule")
                            .from(RulePostings::Table, RulePostings::RuleId)
                            .to(Rules::Table, Rules::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RuleStageMappings::Table)
                    .if_not_exists()
                    .col(uuid(RuleStageMappings::RuleId))
                    .col(uuid(RuleStageMappings::StepId))
                    .col(string_len(RuleStageMappings::LeverStageId, 64))
                    .primary_key(
                        Index::create().col(RuleStageMappings::RuleId).col(RuleStageMappings::StepId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rule_stage_mappings_rule")
                            .from(RuleStageMappings::Table, RuleStageMappings::RuleId)
                            .to(Rules::Table, Rules::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rule_stage_mappings_step")
                            .from(RuleStageMappings::Table, RuleStageMappings::StepId)
                            .to(TemplateSteps::Table, TemplateSteps::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(RuleStageMappings::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RulePostings::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Rules::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Rules {
    Table,
    Id,
    OrganizationId,
    ConnectionId,
    Name,
    Enabled,
    Position,
    AllPostings,
    TemplateId,
    Language,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RulePostings {
    Table,
    RuleId,
    LeverPostingId,
}

#[derive(DeriveIden)]
enum RuleStageMappings {
    Table,
    RuleId,
    StepId,
    LeverStageId,
}
