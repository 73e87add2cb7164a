//! Seeding Lever connections and signing tokens directly in a database, and
//! signing webhook bodies the way Lever does, for the webhook suites.
use chrono::Utc;
use entity::lever_connection::{self, AuthMode, ConnectionStatus, DataCentre};
use entity::lever_webhook_delivery;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde_json::Value;
use uuid::Uuid;
use vouch::secrets::{Cipher, Redacted, SecretKey, SecretStore};

/// The signing token the fixtures in `tests/fixtures/lever` were signed with.
pub const FIXTURE_SIGNING_TOKEN: &str = "sigtok-fixture-7f3a9c";

/// The secret store of a server using `key`.
pub fn secret_store(key: &SecretKey) -> SecretStore {
    SecretStore::new(Cipher::new(key))
}

/// Inserts a Lever connection row for the organization.
pub async fn seed_connection(
    db: &DatabaseConnection,
    organization_id: Uuid,
    status: ConnectionStatus,
) -> Uuid {
    let now = Utc::now();
    let id = Uuid::new_v4();
    lever_connection::ActiveModel {
        id: Set(id),
        organization_id: Set(organization_id),
        data_centre: Set(DataCentre::Eu),
        auth_mode: Set(AuthMode::ApiKey),
        status: Set(status),
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
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("seed a Lever connection");
    id
}

/// Gives a seeded connection a sealed API key (as connecting with a key
/// does), so processing can read opportunities through the Lever client.
pub async fn attach_api_key(
    db: &DatabaseConnection,
    secrets: &SecretStore,
    organization_id: Uuid,
    connection_id: Uuid,
    api_key: &str,
) {
    use sea_orm::{ActiveModelTrait, EntityTrait};
    let credentials = vouch::lever::Credentials::ApiKey(vouch::lever::Secret::new(api_key));
    let secret_id = vouch::domain::connections::credentials::save(db, secrets, organization_id, &credentials)
        .await
        .expect("seal the API key");
    let row = lever_connection::Entity::find_by_id(connection_id)
        .one(db)
        .await
        .expect("read the connection")
        .expect("the connection exists");
    let mut row: lever_connection::ActiveModel = row.into();
    row.credentials_secret_id = Set(Some(secret_id));
    row.update(db).await.expect("attach the key");
}

/// A simulator with an EU company (seeded connections are EU) and an API
/// key with every permission; processing's re-reads answer 404 for the
/// fixtures' opportunity ids, which ends each event with a reason.
pub async fn lever_for_seeded_connections() -> (crate::lever::LeverWorld, String) {
    let world = crate::lever::LeverWorld::start(lever_sim::DataCentre::Eu).await;
    let key =
        world.sim.create_api_key(&world.company_id, lever_sim::NewApiKey::default()).expect("API key").key;
    (world, key)
}

/// Adds a signing token through the public API the connection flows use.
pub async fn add_token(
    db: &DatabaseConnection,
    secrets: &SecretStore,
    organization_id: Uuid,
    connection_id: Uuid,
    event: Option<&str>,
    token: &str,
) -> Uuid {
    vouch::webhooks::tokens::add(
        db,
        secrets,
        organization_id,
        connection_id,
        event,
        &Redacted::new(token),
        None,
    )
    .await
    .expect("add a signing token")
}

/// A body from `tests/fixtures/lever/`.
pub fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lever").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// `body` with its signature recomputed with `signing_token`.
pub fn resign(mut body: Value, signing_token: &str) -> Value {
    let token = body["token"].as_str().expect("body has a token").to_owned();
    let triggered_at = body["triggeredAt"].as_i64().expect("body has an integer triggeredAt");
    body["signature"] = Value::String(vouch::webhooks::sign(signing_token, &token, triggered_at));
    body
}

/// A signed delivery of `event` for `opportunity_id` at `triggered_at`.
pub fn event(
    signing_token: &str,
    event: &str,
    opportunity_id: &str,
    triggered_at: i64,
    token: &str,
) -> Value {
    let body = serde_json::json!({
        "triggeredAt": triggered_at,
        "event": event,
        "token": token,
        "signature": "",
        "data": { "opportunityId": opportunity_id, "contactId": "contact-1", "toStageId": format!("stage-{triggered_at}") },
    });
    resign(body, signing_token)
}

/// The webhook URL of a connection on a server at `base_url`.
pub fn webhook_url(base_url: &str, connection_id: Uuid) -> String {
    format!("{base_url}/webhooks/lever/{connection_id}")
}

/// Every stored delivery.
pub async fn deliveries(db: &DatabaseConnection) -> Vec<lever_webhook_delivery::Model> {
    lever_webhook_delivery::Entity::find().all(db).await.expect("read deliveries")
}

/// The stored deliveries that the committer's fan-out jobs name (once per
/// naming, so a delivery named twice shows twice): those whose processing
/// job is enqueued, or will be once the workers run the fan-out jobs.
pub async fn fanned_out(db: &DatabaseConnection) -> Vec<Uuid> {
    let stored: std::collections::HashSet<Uuid> = deliveries(db).await.into_iter().map(|d| d.id).collect();
    let jobs = entity::job::Entity::find()
        .filter(entity::job::Column::Kind.eq(vouch::webhooks::fan_out::JOB_KIND))
        .all(db)
        .await
        .expect("read jobs");
    jobs.iter()
        .flat_map(|job| job.payload["delivery_ids"].as_array().cloned().unwrap_or_default())
        .filter_map(|id| id.as_str().and_then(|id| Uuid::parse_str(id).ok()))
        .filter(|id| stored.contains(id))
        .collect()
}

/// How many jobs of `kind` exist.
pub async fn job_count(db: &DatabaseConnection, kind: &str) -> u64 {
    entity::job::Entity::find()
        .filter(entity::job::Column::Kind.eq(kind))
        .count(db)
        .await
        .expect("count jobs")
}
