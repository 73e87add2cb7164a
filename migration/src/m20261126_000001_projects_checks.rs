//! Projects (one per Lever posting), their members and candidates, and the
//! checks run on candidates with their referees, single-purpose tokens and
//! timeline.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_organizations_users::Organizations;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Projects::Table)
                    .if_not_exists()
                    .col(uuid(Projects::Id).primary_key())
                    .col(uuid(Projects::OrganizationId))
                    .col(uuid(Projects::ConnectionId))
                    .col(string_len(Projects::LeverPostingId, 255))
                    .col(string_len(Projects::Name, 500))
                    .col(timestamp_with_time_zone(Projects::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_projects_organization",
                        (Projects::Table, Projects::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_projects_posting")
                    .table(Projects::Table)
                    .col(Projects::ConnectionId)
                    .col(Projects::LeverPostingId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProjectMembers::Table)
                    .if_not_exists()
                    .col(uuid(ProjectMembers::ProjectId))
                    .col(uuid(ProjectMembers::UserId))
                    .col(timestamp_with_time_zone(ProjectMembers::CreatedAt))
                    .primary_key(Index::create().col(ProjectMembers::ProjectId).col(ProjectMembers::UserId))
                    .foreign_key(&mut fk(
                        "fk_project_members_project",
                        (ProjectMembers::Table, ProjectMembers::ProjectId),
                        (Projects::Table, Projects::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Candidates::Table)
                    .if_not_exists()
                    .col(uuid(Candidates::Id).primary_key())
                    .col(uuid(Candidates::OrganizationId))
                    .col(uuid(Candidates::ConnectionId))
                    .col(uuid(Candidates::ProjectId))
                    .col(string_len(Candidates::LeverOpportunityId, 255))
                    .col(string_len(Candidates::Name, 500))
                    .col(json(Candidates::Emails))
                    .col(json(Candidates::Phones))
                    .col(timestamp_with_time_zone_null(Candidates::PurgedAt))
                    .col(timestamp_with_time_zone(Candidates::CreatedAt))
                    .col(timestamp_with_time_zone(Candidates::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_candidates_project",
                        (Candidates::Table, Candidates::ProjectId),
                        (Projects::Table, Projects::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_candidates_opportunity")
                    .table(Candidates::Table)
                    .col(Candidates::ProjectId)
                    .col(Candidates::LeverOpportunityId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Checks::Table)
                    .if_not_exists()
                    .col(uuid(Checks::Id).primary_key())
                    .col(uuid(Checks::OrganizationId))
                    .col(uuid(Checks::ConnectionId))
                    .col(uuid(Checks::ProjectId))
                    .col(uuid(Checks::CandidateId))
                    .col(string_len(Checks::LeverOpportunityId, 255))
                    .col(uuid(Checks::RuleId))
                    .col(uuid(Checks::TemplateId))
                    .col(uuid(Checks::StepId))
                    .col(string_len(Checks::StepKind, 32))
                    .col(string_len(Checks::Language, 8))
                    .col(string_len(Checks::Status, 32))
                    .col(string_len_null(Checks::StatusReason, 1000))
                    .col(integer(Checks::StatusVersion))
                    .col(integer(Checks::LeverWrittenVersion))
                    .col(string_len_null(Checks::LeverNoteId, 255))
                    .col(string_len_null(Checks::TriggeredByLeverUser, 255))
                    .col(json(Checks::Questions))
                    .col(integer_null(Checks::RefereesRequired))
                    .col(json_null(Checks::RelationshipKinds))
                    .col(uuid_null(Checks::SourceDeliveryId))
                    .col(json_null(Checks::Answers))
                    .col(timestamp_with_time_zone_null(Checks::SubmittedAt))
                    .col(timestamp_with_time_zone(Checks::ExpiresAt))
                    .col(timestamp_with_time_zone(Checks::CreatedAt))
                    .col(timestamp_with_time_zone(Checks::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_checks_candidate",
                        (Checks::Table, Checks::CandidateId),
                        (Candidates::Table, Candidates::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_checks_opportunity")
                    .table(Checks::Table)
                    .col(Checks::ConnectionId)
                    .col(Checks::LeverOpportunityId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_checks_organization_status")
                    .table(Checks::Table)
                    .col(Checks::OrganizationId)
                    .col(Checks::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Referees::Table)
                    .if_not_exists()
                    .col(uuid(Referees::Id).primary_key())
                    .col(uuid(Referees::CheckId))
                    .col(integer(Referees::Position))
                    .col(string_len(Referees::Name, 500))
                    .col(string_len(Referees::Email, 320))
                    .col(string_len_null(Referees::Phone, 64))
                    .col(string_len(Referees::Relationship, 32))
                    .col(json_null(Referees::Answers))
                    .col(timestamp_with_time_zone_null(Referees::SubmittedAt))
                    .col(timestamp_with_time_zone(Referees::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_referees_check",
                        (Referees::Table, Referees::CheckId),
                        (Checks::Table, Checks::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CheckTokens::Table)
                    .if_not_exists()
                    .col(uuid(CheckTokens::Id).primary_key())
                    .col(string_len(CheckTokens::TokenHash, 64).unique_key())
                    .col(string_len(CheckTokens::Purpose, 32))
                    .col(uuid(CheckTokens::CheckId))
                    .col(uuid_null(CheckTokens::RefereeId))
                    .col(timestamp_with_time_zone(CheckTokens::ExpiresAt))
                    .col(timestamp_with_time_zone(CheckTokens::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_check_tokens_check",
                        (CheckTokens::Table, CheckTokens::CheckId),
                        (Checks::Table, Checks::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CheckEvents::Table)
                    .if_not_exists()
                    .col(uuid(CheckEvents::Id).primary_key())
                    .col(uuid(CheckEvents::CheckId))
                    .col(string_len(CheckEvents::Kind, 64))
                    .col(string_len_null(CheckEvents::Status, 32))
                    .col(string_len_null(CheckEvents::Detail, 2000))
                    .col(string_len(CheckEvents::Actor, 255))
                    .col(timestamp_with_time_zone(CheckEvents::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_check_events_check",
                        (CheckEvents::Table, CheckEvents::CheckId),
                        (Checks::Table, Checks::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_check_events_check")
                    .table(CheckEvents::Table)
                    .col(CheckEvents::CheckId)
                    .col(CheckEvents::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CheckEvents::Table.into_iden(),
            CheckTokens::Table.into_iden(),
            Referees::Table.into_iden(),
            Checks::Table.into_iden(),
            Candidates::Table.into_iden(),
            ProjectMembers::Table.into_iden(),
            Projects::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Projects {
    Table,
    Id,
    OrganizationId,
    ConnectionId,
    LeverPostingId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProjectMembers {
    Table,
    ProjectId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Candidates {
    Table,
    Id,
    OrganizationId,
    ConnectionId,
    ProjectId,
    LeverOpportunityId,
    Name,
    Emails,
    Phones,
    PurgedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Checks {
    Table,
    Id,
    OrganizationId,
    ConnectionId,
    ProjectId,
    CandidateId,
    LeverOpportunityId,
    RuleId,
    TemplateId,
    StepId,
    StepKind,
    Language,
    Status,
    StatusReason,
    StatusVersion,
    LeverWrittenVersion,
    LeverNoteId,
    TriggeredByLeverUser,
    Questions,
    RefereesRequired,
    RelationshipKinds,
    SourceDeliveryId,
    Answers,
    SubmittedAt,
    ExpiresAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Referees {
    Table,
    Id,
    CheckId,
    Position,
    Name,
    Email,
    Phone,
    Relationship,
    Answers,
    SubmittedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CheckTokens {
    Table,
    Id,
    TokenHash,
    Purpose,
    CheckId,
    RefereeId,
    ExpiresAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CheckEvents {
    Table,
    Id,
    CheckId,
    Kind,
    Status,
    Detail,
    Actor,
    CreatedAt,
}
