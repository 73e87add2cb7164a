//! The job queue: one table of durable work, claimed with a lease.
//!
//! `idempotency_key` is unique so that enqueueing the same work twice is a
//! no-op; `concurrency_key` (nullable) keeps jobs that must not overlap
//! (events of one opportunity) from running at the same time. The claim
//! index serves the workers' "next runnable job" query.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .if_not_exists()
                    .col(uuid(Jobs::Id).primary_key())
                    .col(string_len(Jobs::Kind, 100))
                    .col(json(Jobs::Payload))
                    .col(string_len_uniq(Jobs::IdempotencyKey, 300))
                    .col(string_len_null(Jobs::ConcurrencyKey, 300))
                    .col(uuid_null(Jobs::OrganizationId))
                    .col(uuid_null(Jobs::ConnectionId))
                    .col(string_len(Jobs::Status, 16))
                    .col(integer(Jobs::Attempts))
                    .col(integer(Jobs::MaxAttempts))
                    .col(timestamp_with_time_zone(Jobs::RunAfter))
                    .col(string_len_null(Jobs::LeaseOwner, 64))
                    .col(timestamp_with_time_zone_null(Jobs::LeaseExpiresAt))
                    .col(text_null(Jobs::LastError))
                    .col(big_integer_null(Jobs::ProgressDone))
                    .col(big_integer_null(Jobs::ProgressTotal))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
        let indexes = [
            ("idx_jobs_claim", vec![Jobs::Status, Jobs::RunAfter]),
            ("idx_jobs_concurrency_key", vec![Jobs::ConcurrencyKey, Jobs::Status]),
            ("idx_jobs_organization", vec![Jobs::OrganizationId, Jobs::CreatedAt]),
            ("idx_jobs_connection", vec![Jobs::ConnectionId, Jobs::Status]),
        ];
        for (name, cols) in indexes {
            let mut index = Index::create();
            index.name(name).table(Jobs::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Jobs::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    IdempotencyKey,
    ConcurrencyKey,
    OrganizationId,
    ConnectionId,
    Status,
    Attempts,
    MaxAttempts,
    RunAfter,
    LeaseOwner,
    LeaseExpiresAt,
    LastError,
    ProgressDone,
    ProgressTotal,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}
