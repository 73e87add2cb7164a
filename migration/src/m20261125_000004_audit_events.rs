//! The audit trail. Rows are only ever inserted.
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
                    .table(AuditEvents::Table)
                    .if_not_exists()
                    .col(uuid(AuditEvents::Id).primary_key())
                    .col(uuid(AuditEvents::OrganizationId))
                    .col(uuid_null(AuditEvents::ActorUserId))
                    .col(string_len(AuditEvents::Action, 64))
                    .col(string_len(AuditEvents::SubjectType, 32))
                    .col(uuid(AuditEvents::SubjectId))
                    .col(json(AuditEvents::Changes))
                    .col(timestamp_with_time_zone(AuditEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_events_organization")
                            .from(AuditEvents::Table, AuditEvents::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_events_subject")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::OrganizationId)
                    .col(AuditEvents::SubjectId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AuditEvents::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    OrganizationId,
    ActorUserId,
    Action,
    SubjectType,
    SubjectId,
    Changes,
    CreatedAt,
}
