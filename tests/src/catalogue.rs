//! Seeding a Lever connection and its catalogue straight into the database,
//! for suites that need postings and stages without running a sync.
use chrono::Utc;
use entity::lever_connection::{self, AuthMode, ConnectionStatus, DataCentre};
use entity::{lever_posting, lever_stage};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

/// A seeded connection of one organization.
#[derive(Debug, Clone, Copy)]
pub struct SeededLever {
    pub connection_id: Uuid,
}

impl SeededLever {
    /// Inserts a CONNECTED API-key connection for the organization.
    pub async fn connect(db: &DatabaseConnection, organization_id: Uuid) -> Self {
        let now = Utc::now();
        let id = Uuid::new_v4();
        lever_connection::ActiveModel {
            id: Set(id),
            organization_id: Set(organization_id),
            data_centre: Set(DataCentre::Sandbox),
            auth_mode: Set(AuthMode::ApiKey),
            status: Set(ConnectionStatus::Connected),
            status_reason: Set(None),
            credentials_secret_id: Set(None),
            scopes: Set(None),
            fallback_lever_user_id: Set(None),
            default_export_stage_id: Set(None),
            tag_carrier_opportunity_id: Set(None),
            last_success_at: Set(None),
            connected_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await
        .expect("seed connection");
        Self { connection_id: id }
    }

    /// Adds a posting (Lever id, title, tags).
    pub async fn posting(&self, db: &DatabaseConnection, lever_id: &str, text: &str, tags: &[&str]) {
        lever_posting::ActiveModel {
            id: Set(Uuid::new_v4()),
            connection_id: Set(self.connection_id),
            lever_id: Set(lever_id.into()),
            text: Set(text.into()),
            state: Set(Some("published".into())),
            owner_id: Set(None),
            hiring_manager_id: Set(None),
            tags: Set(Some(serde_json::json!(tags))),
            gone_at: Set(None),
            synced_at: Set(Utc::now()),
        }
        .insert(db)
        .await
        .expect("seed posting");
    }

    /// Adds a stage (Lever id, name, pipeline position).
    pub async fn stage(&self, db: &DatabaseConnection, lever_id: &str, text: &str, position: i32) {
        lever_stage::ActiveModel {
            id: Set(Uuid::new_v4()),
            connection_id: Set(self.connection_id),
            lever_id: Set(lever_id.into()),
            text: Set(text.into()),
            position: Set(position),
            gone_at: Set(None),
            synced_at: Set(Utc::now()),
        }
        .insert(db)
        .await
        .expect("seed stage");
    }

    /// Marks a stage as no longer listed by Lever, as a sync would.
    pub async fn stage_gone(&self, db: &DatabaseConnection, lever_id: &str) {
        lever_stage::Entity::update_many()
            .col_expr(lever_stage::Column::GoneAt, sea_orm::sea_query::Expr::value(Utc::now()))
            .filter(lever_stage::Column::ConnectionId.eq(self.connection_id))
            .filter(lever_stage::Column::LeverId.eq(lever_id))
            .exec(db)
            .await
            .expect("mark stage gone");
    }

    /// Marks a posting as no longer listed by Lever.
    pub async fn posting_gone(&self, db: &DatabaseConnection, lever_id: &str) {
        lever_posting::Entity::update_many()
            .col_expr(lever_posting::Column::GoneAt, sea_orm::sea_query::Expr::value(Utc::now()))
            .filter(lever_posting::Column::ConnectionId.eq(self.connection_id))
            .filter(lever_posting::Column::LeverId.eq(lever_id))
            .exec(db)
            .await
            .expect("mark posting gone");
    }
}
