//! Connection rows: finding them (always by organization), and recording
//! what happened to them.
use chrono::{Duration, Utc};
use entity::lever_connection::{self, AuthMode, ConnectionStatus, DataCentre};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::domain::{DomainError, DomainResult};

/// The organization's connection that is not disconnected, if any.
pub async fn find_active<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
) -> DomainResult<Option<lever_connection::Model>> {
    Ok(lever_connection::Entity::find()
        .filter(lever_connection::Column::OrganizationId.eq(organization_id))
        .filter(lever_connection::Column::Status.ne(ConnectionStatus::Disconnected))
        .order_by_desc(lever_connection::Column::CreatedAt)
        .one(db)
        .await?)
}

/// A connection of this organization (any status).
pub async fn find<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    id: Uuid,
) -> DomainResult<lever_connection::Model> {
    lever_connection::Entity::find_by_id(id)
        .filter(lever_connection::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("Lever connection"))
}

/// A connection by id alone: for jobs and webhooks, which carry the id.
pub async fn find_unscoped<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> DomainResult<Option<lever_connection::Model>> {
    Ok(lever_connection::Entity::find_by_id(id).one(db).await?)
}

/// What a (re)connection stores.
pub struct Attach {
    pub organization_id: Uuid,
    pub user_id: Uuid,
    pub data_centre: DataCentre,
    pub auth_mode: AuthMode,
    pub credentials_secret_id: Uuid,
    pub scopes: Option<String>,
}

/// Attaches fresh credentials: to the organization's active connection when
/// there is one (same id, so paused work resumes), else to a new one. Answers
/// the row and the secret id it replaced (to be destroyed by the caller).
pub async fn attach<C: ConnectionTrait>(
    db: &C,
    attach: Attach,
) -> DomainResult<(lever_connection::Model, Option<Uuid>)> {
    let now = Utc::now();
    match find_active(db, attach.organization_id).await? {
        Some(existing) => {
            let replaced = existing.credentials_secret_id;
            let mut row: lever_connection::ActiveModel = existing.into();
            row.data_centre = Set(attach.data_centre);
            row.auth_mode = Set(attach.auth_mode);
            row.status = Set(ConnectionStatus::Connected);
            row.status_reason = Set(None);
            row.credentials_secret_id = Set(Some(attach.credentials_secret_id));
            row.scopes = Set(attach.scopes);
            row.connected_by = Set(Some(attach.user_id));
            row.last_success_at = Set(Some(now));
            row.updated_at = Set(now);
            Ok((row.update(db).await?, replaced.filter(|id| *id != attach.credentials_secret_id)))
        }
        None => {
            let row = lever_connection::ActiveModel {
                id: Set(Uuid::new_v4()),
                organization_id: Set(attach.organization_id),
                data_centre: Set(attach.data_centre),
                auth_mode: Set(attach.auth_mode),
                status: Set(ConnectionStatus::Connected),
                status_reason: Set(None),
                credentials_secret_id: Set(Some(attach.credentials_secret_id)),
                scopes: Set(attach.scopes),
                fallback_lever_user_id: Set(None),
                default_export_stage_id: Set(None),
                tag_carrier_opportunity_id: Set(None),
                last_success_at: Set(Some(now)),
                connected_by: Set(Some(attach.user_id)),
                created_at: Set(now),
                updated_at: Set(now),
                webhooks_manual: Set(false),
                ..Default::default()
            };
            Ok((row.insert(db).await?, None))
        }
    }
}

/// Sets the status and its reason.
pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    status: ConnectionStatus,
    reason: Option<String>,
) -> DomainResult<()> {
    lever_connection::Entity::update_many()
        .col_expr(lever_connection::Column::Status, sea_orm::sea_query::Expr::value(status))
        .col_expr(lever_connection::Column::StatusReason, sea_orm::sea_query::Expr::value(reason))
        .col_expr(lever_connection::Column::UpdatedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(lever_connection::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a successful Lever call, at most once a minute per connection
/// (this runs on every call; the column answers "when did Lever last work").
pub async fn touch_success<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<()> {
    let now = Utc::now();
    lever_connection::Entity::update_many()
        .col_expr(lever_connection::Column::LastSuccessAt, sea_orm::sea_query::Expr::value(now))
        .filter(lever_connection::Column::Id.eq(id))
        .filter(
            sea_orm::Condition::any()
                .add(lever_connection::Column::LastSuccessAt.is_null())
                .add(lever_connection::Column::LastSuccessAt.lt(now - Duration::seconds(60))),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Sets the settings an admin picks after connecting.
pub async fn update_settings<C: ConnectionTrait>(
    db: &C,
    connection: lever_connection::Model,
    fallback_lever_user_id: Option<Option<String>>,
    default_export_stage_id: Option<Option<String>>,
) -> DomainResult<lever_connection::Model> {
    let mut row: lever_connection::ActiveModel = connection.into();
    if let Some(user) = fallback_lever_user_id {
        row.fallback_lever_user_id = Set(user);
    }
    if let Some(stage) = default_export_stage_id {
        row.default_export_stage_id = Set(stage);
    }
    row.updated_at = Set(Utc::now());
    Ok(row.update(db).await?)
}
