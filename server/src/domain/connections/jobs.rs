//! The connection's background work, each a job (DESIGN.md: side effects go
//! through the queue, after the state change commits):
//!
//! - `lever.catalogue_sync`: postings, stages and users, with progress.
//! - `lever.setup_webhooks`: register Vouch's webhooks through Lever's API
//!   and store their signing tokens; when Lever refuses (no permission or
//!   scope), the connection switches to hand-made webhooks and says so.
//! - `lever.health_check`: credentials, webhooks and (API keys)
//!   permissions, stored as green/amber/red; runs hourly and on demand.
//! - `lever.refresh_tokens`: OAuth connections refresh weekly, because
//!   Lever's refresh tokens expire when unused.
//! - `lever.teardown`: after a disconnect, remove Vouch's webhooks from
//!   Lever where possible, then destroy the credentials.
//!
//! Periodic jobs reschedule themselves with an idempotency key naming the
//! next slot, so however often they run, each slot is queued once.
use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{Duration, Utc};
use entity::job;
use entity::lever_connection::{self, AuthMode, ConnectionStatus};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::{catalogue, clients, credentials, data_centre, store, webhook_setup};
use crate::domain::DomainResult;
use crate::jobs::{self, JobContext, JobError, JobHandler, JobOutcome, NewJob, Registry};
use crate::lever::{probe_permissions, LeverClient, LeverConnection, LeverError, NoTokenStore};
use crate::secrets::Redacted;
use crate::webhooks::tokens;
use crate::AppState;

pub const CATALOGUE_SYNC: &str = "lever.catalogue_sync";
pub const SETUP_WEBHOOKS: &str = "lever.setup_webhooks";
pub const HEALTH_CHECK: &str = "lever.health_check";
pub const REFRESH_TOKENS: &str = "lever.refresh_tokens";
pub const TEARDOWN: &str = "lever.teardown";

const HEALTH_INTERVAL: Duration = Duration::hours(1);
const REFRESH_INTERVAL: Duration = Duration::days(7);

/// Registers every connection job.
pub fn register(registry: &mut Registry, state: AppState) {
    let handler = Arc::new(ConnectionJobs { state });
    for kind in [CATALOGUE_SYNC, SETUP_WEBHOOKS, HEALTH_CHECK, REFRESH_TOKENS, TEARDOWN] {
        registry.register(kind, handler.clone());
    }
}

fn job_for(kind: &str, connection: &lever_connection::Model, key: String) -> NewJob {
    NewJob {
        organization_id: Some(connection.organization_id),
        connection_id: Some(connection.id),
        // One connection job at a time: a teardown must not race a webhook
        // registration that would store tokens after it.
        concurrency_key: Some(format!("lever-connection:{}", connection.id)),
        ..NewJob::new(kind, key, json!({ "connectionId": connection.id }))
    }
}

/// Queues what a fresh (re)connection needs, in the caller's transaction,
/// and resumes work that was paused while the connection was revoked.
pub async fn after_connect<C: ConnectionTrait>(
    db: &C,
    connection: &lever_connection::Model,
) -> DomainResult<()> {
    let stamp = Utc::now().timestamp_millis();
    enqueue_catalogue_sync(db, connection).await?;
    jobs::enqueue(
        db,
        job_for(SETUP_WEBHOOKS, connection, format!("{SETUP_WEBHOOKS}:{}:{stamp}", connection.id)),
    )
    .await?;
    schedule(db, connection, HEALTH_CHECK, Utc::now() + Duration::minutes(1)).await?;
    if connection.auth_mode == AuthMode::OAuth {
        schedule(db, connection, REFRESH_TOKENS, Utc::now() + REFRESH_INTERVAL).await?;
    }
    jobs::resume_paused_for_connection(db, connection.id).await?;
    Ok(())
}

/// Queues a catalogue read and answers its job id (for progress).
pub async fn enqueue_catalogue_sync<C: ConnectionTrait>(
    db: &C,
    connection: &lever_connection::Model,
) -> DomainResult<Uuid> {
    let key = format!("{CATALOGUE_SYNC}:{}:{}", connection.id, Uuid::new_v4());
    jobs::enqueue(db, job_for(CATALOGUE_SYNC, connection, key)).await
}

/// Queues a webhook re-registration (Repair) and answers its job id.
pub async fn enqueue_setup_webhooks<C: ConnectionTrait>(
    db: &C,
    connection: &lever_connection::Model,
) -> DomainResult<Uuid> {
    let key = format!("{SETUP_WEBHOOKS}:{}:{}", connection.id, Uuid::new_v4());
    jobs::enqueue(db, job_for(SETUP_WEBHOOKS, connection, key)).await
}

/// Queues the removal of Vouch's webhooks and credentials after a disconnect.
pub async fn enqueue_teardown<C: ConnectionTrait>(
    db: &C,
    connection: &lever_connection::Model,
) -> DomainResult<Uuid> {
    let mut job = job_for(TEARDOWN, connection, format!("{TEARDOWN}:{}:{}", connection.id, Uuid::new_v4()));
    job.max_attempts = Some(4);
    jobs::enqueue(db, job).await
}

/// Queues a periodic job for the slot at `at` (one per slot).
async fn schedule<C: ConnectionTrait>(
    db: &C,
    connection: &lever_connection::Model,
    kind: &str,
    at: chrono::DateTime<Utc>,
) -> DomainResult<Uuid> {
    let slot = at.format("%Y%m%d%H");
    let mut job = job_for(kind, connection, format!("{kind}:{}:{slot}", connection.id));
    job.run_after = Some(at);
    jobs::enqueue(db, job).await
}

struct ConnectionJobs {
    state: AppState,
}

#[async_trait]
impl JobHandler for ConnectionJobs {
    async fn run(&self, ctx: &JobContext, job: &job::Model) -> Result<JobOutcome, JobError> {
        let id = job.connection_id.ok_or_else(|| JobError::permanent("the job names no connection"))?;
        let Some(connection) = store::find_unscoped(&ctx.db, id).await? else {
            return Ok(JobOutcome::Done);
        };
        if job.kind == TEARDOWN {
            return teardown(&self.state, &connection).await;
        }
        match connection.status {
            ConnectionStatus::Disconnected => return Ok(JobOutcome::Done),
            ConnectionStatus::Revoked => {
                return Err(JobError::paused("Lever access is revoked: reconnect to resume"))
            }
            ConnectionStatus::Connected | ConnectionStatus::NeedsAttention => {}
        }
        let client = clients::client_for(&self.state, &connection).await?;
        let app = &self.state;
        match job.kind.as_str() {
            CATALOGUE_SYNC => {
                let db = ctx.db.clone();
                let job_id = ctx.job_id;
                let progress = move |done: u64| {
                    // Progress is advisory: written every 25 items, never fatal.
                    if done % 25 == 0 {
                        let db = db.clone();
                        tokio::spawn(async move { record_progress(&db, job_id, done).await });
                    }
                };
                match catalogue::sync(&ctx.db, &client, connection.id, &progress).await {
                    Ok(counts) => {
                        let total = counts.total() as i64;
                        ctx.report_progress(total, Some(total)).await?;
                        store::touch_success(&ctx.db, connection.id).await?;
                        Ok(JobOutcome::Done)
                    }
                    Err(catalogue::SyncError::Lever(e)) => Err(lever_failure(app, &connection, e).await),
                    Err(catalogue::SyncError::Domain(e)) => Err(e.into()),
                }
            }
            SETUP_WEBHOOKS => setup_webhooks(app, &connection, &client).await,
            HEALTH_CHECK => {
                check_health(app, &connection, &client).await?;
                schedule(&ctx.db, &connection, HEALTH_CHECK, Utc::now() + HEALTH_INTERVAL).await?;
                Ok(JobOutcome::Done)
            }
            REFRESH_TOKENS => {
                if connection.auth_mode == AuthMode::OAuth {
                    if let Err(e) = client.refresh_now().await {
                        return Err(lever_failure(app, &connection, e).await);
                    }
                    store::touch_success(&ctx.db, connection.id).await?;
                    schedule(&ctx.db, &connection, REFRESH_TOKENS, Utc::now() + REFRESH_INTERVAL).await?;
                }
                Ok(JobOutcome::Done)
            }
            other => Err(JobError::permanent(format!("not a connection job: {other}"))),
        }
    }
}

async fn record_progress(db: &sea_orm::DatabaseConnection, job_id: Uuid, done: u64) {
    let _ = job::Entity::update_many()
        .col_expr(job::Column::ProgressDone, sea_orm::sea_query::Expr::value(done as i64))
        .filter(sea_orm::ColumnTrait::eq(&job::Column::Id, job_id))
        .exec(db)
        .await;
}

/// What a Lever failure means for a job: revocation pauses (and marks the
/// connection), passing failures retry, the rest fail with the reason.
async fn lever_failure(app: &AppState, connection: &lever_connection::Model, err: LeverError) -> JobError {
    if matches!(err, LeverError::Unauthorized) {
        let _ = clients::observe::<(), _>(&app.db, app, connection, Err(LeverError::Unauthorized)).await;
        return JobError::paused("Lever access is revoked: reconnect to resume");
    }
    if err.is_transient() {
        return JobError::retryable(err.to_string());
    }
    JobError::permanent(clients::lever_error(err).to_string())
}

fn webhook_url(app: &AppState, connection: &lever_connection::Model) -> Result<String, JobError> {
    app.config
        .public_url
        .join(&format!("webhooks/lever/{}", connection.id))
        .map(|u| u.to_string())
        .map_err(|e| JobError::permanent(format!("VOUCH_PUBLIC_URL cannot form the webhook URL: {e}")))
}

const MANUAL_REASON: &str = "Vouch may not register webhooks in Lever (the key or grant lacks \"Create a webhook\"): add them in Lever by hand and paste each signature token on the Integrations page";

async fn setup_webhooks(
    app: &AppState,
    connection: &lever_connection::Model,
    client: &LeverClient,
) -> Result<JobOutcome, JobError> {
    let org = connection.organization_id;
    let stored = tokens::list_active(&app.db, org, connection.id).await?;
    let known: HashSet<String> = stored.iter().filter_map(|t| t.lever_webhook_id.clone()).collect();
    let url = webhook_url(app, connection)?;
    let reconciled = match webhook_setup::reconcile(client, &url, &known).await {
        Ok(reconciled) => reconciled,
        Err(LeverError::Forbidden { .. }) => {
            let mut row: lever_connection::ActiveModel = connection.clone().into();
            row.webhooks_manual = Set(true);
            row.status = Set(ConnectionStatus::NeedsAttention);
            row.status_reason = Set(Some(MANUAL_REASON.into()));
            row.updated_at = Set(Utc::now());
            row.update(&app.db).await.map_err(JobError::from)?;
            return Ok(JobOutcome::Done);
        }
        Err(e) => return Err(lever_failure(app, connection, e).await),
    };
    let active_ids: HashSet<&str> = reconciled.active.iter().map(|w| w.lever_webhook_id.as_str()).collect();
    for webhook in &reconciled.active {
        if let Some(token) = &webhook.new_token {
            tokens::add(
                &app.db,
                &app.secrets,
                org,
                connection.id,
                Some(&webhook.event),
                &Redacted::new(token.expose()),
                Some(&webhook.lever_webhook_id),
            )
            .await?;
        }
    }
    for token in stored {
        let gone = token.lever_webhook_id.as_deref().is_some_and(|id| !active_ids.contains(id));
        if gone {
            tokens::retire(&app.db, &app.secrets, org, token.id).await?;
        }
    }
    let mut row: lever_connection::ActiveModel = connection.clone().into();
    row.webhooks_manual = Set(false);
    if connection.status == ConnectionStatus::NeedsAttention && connection.webhooks_manual {
        row.status = Set(ConnectionStatus::Connected);
        row.status_reason = Set(None);
    }
    row.last_success_at = Set(Some(Utc::now()));
    row.updated_at = Set(Utc::now());
    row.update(&app.db).await.map_err(JobError::from)?;
    Ok(JobOutcome::Done)
}

/// Green, amber or red, with the reason in words an admin can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub level: &'static str,
    pub reason: String,
}

/// Checks credentials, webhooks and permissions, and stores the result.
pub async fn check_health(
    app: &AppState,
    connection: &lever_connection::Model,
    client: &LeverClient,
) -> Result<Health, JobError> {
    let health = assess(app, connection, client).await?;
    let mut row: lever_connection::ActiveModel = connection.clone().into();
    row.health_level = Set(Some(health.level.to_owned()));
    row.health_reason = Set(Some(health.reason.clone()));
    row.health_checked_at = Set(Some(Utc::now()));
    row.update(&app.db).await.map_err(JobError::from)?;
    Ok(health)
}

async fn assess(
    app: &AppState,
    connection: &lever_connection::Model,
    client: &LeverClient,
) -> Result<Health, JobError> {
    let red = |reason: String| Ok(Health { level: "RED", reason });
    let amber = |reason: String| Ok(Health { level: "AMBER", reason });
    if connection.auth_mode == AuthMode::ApiKey {
        match probe_permissions(client).await {
            Ok(missing) if !missing.is_empty() => {
                let names: Vec<&str> = missing.iter().map(|m| m.name).collect();
                return red(format!("the API key lacks: {}", names.join(", ")));
            }
            Ok(_) => {}
            Err(LeverError::Unauthorized) => {
                let _ = lever_failure(app, connection, LeverError::Unauthorized).await;
                return red("Lever refused the credentials: reconnect".into());
            }
            Err(e) if e.is_transient() => return Err(JobError::retryable(e.to_string())),
            Err(e) => return red(clients::lever_error(e).to_string()),
        }
    } else {
        use futures::StreamExt;
        match client.stages().next().await {
            Some(Err(LeverError::Unauthorized)) => {
                let _ = lever_failure(app, connection, LeverError::Unauthorized).await;
                return red("Lever refused the credentials: reconnect".into());
            }
            Some(Err(e)) if e.is_transient() => return Err(JobError::retryable(e.to_string())),
            Some(Err(e)) => return red(clients::lever_error(e).to_string()),
            _ => {}
        }
    }
    let stored = tokens::list_active(&app.db, connection.organization_id, connection.id).await?;
    let covered = |event: &str| stored.iter().any(|t| t.event.as_deref().is_none_or(|e| e == event));
    let unsigned: Vec<&str> = webhook_setup::EVENTS.iter().copied().filter(|e| !covered(e)).collect();
    if connection.webhooks_manual {
        if !unsigned.is_empty() {
            return amber(format!(
                "no signature token pasted for: {}; add the webhooks in Lever and paste their tokens",
                unsigned.join(", ")
            ));
        }
    } else {
        use futures::TryStreamExt;
        let url = webhook_url(app, connection)?;
        let listed: Vec<_> = match client.webhooks().try_collect().await {
            Ok(listed) => listed,
            Err(e) if e.is_transient() => return Err(JobError::retryable(e.to_string())),
            Err(e) => return red(clients::lever_error(e).to_string()),
        };
        let missing: Vec<&str> = webhook_setup::EVENTS
            .iter()
            .copied()
            .filter(|event| !listed.iter().any(|w| w.url == url && w.event == *event))
            .collect();
        if !missing.is_empty() {
            return amber(format!(
                "Vouch's webhooks are missing in Lever for: {}; use Repair",
                missing.join(", ")
            ));
        }
        if !unsigned.is_empty() {
            return amber(format!("no signing token stored for: {}; use Repair", unsigned.join(", ")));
        }
    }
    Ok(Health { level: "GREEN", reason: "credentials, permissions and webhooks are in order".into() })
}

/// Removes Vouch's webhooks from Lever (best effort, with the stored
/// credentials even though the connection is disconnected), then destroys
/// the credentials and signing tokens.
async fn teardown(app: &AppState, connection: &lever_connection::Model) -> Result<JobOutcome, JobError> {
    if let (Some(_), false) = (connection.credentials_secret_id, connection.webhooks_manual) {
        if let Ok(credentials) = credentials::load(&app.db, &app.secrets, connection).await {
            let lever_connection = LeverConnection {
                id: connection.id,
                data_centre: data_centre(connection.data_centre),
                credentials,
                fallback_user: None,
            };
            // A one-off client: the registry's belongs to live connections.
            if let Ok(client) = LeverClient::new(app.lever.config(), lever_connection, Arc::new(NoTokenStore))
            {
                match webhook_setup::remove_all(&client).await {
                    Ok(removed) => {
                        tracing::info!(connection_id = %connection.id, removed, "removed Vouch's webhooks from Lever")
                    }
                    Err(e) if e.is_transient() => return Err(JobError::retryable(e.to_string())),
                    Err(e) => {
                        tracing::warn!(connection_id = %connection.id, error = %e, "could not remove webhooks from Lever; destroying credentials anyway")
                    }
                }
            }
        }
    }
    tokens::retire_all(&app.db, &app.secrets, connection.organization_id, connection.id).await?;
    if let Some(secret_id) = connection.credentials_secret_id {
        app.secrets.delete(&app.db, connection.organization_id, secret_id).await?;
    }
    let mut row: lever_connection::ActiveModel = connection.clone().into();
    row.credentials_secret_id = Set(None);
    row.updated_at = Set(Utc::now());
    row.update(&app.db).await.map_err(JobError::from)?;
    app.lever.remove(connection.id);
    Ok(JobOutcome::Done)
}
