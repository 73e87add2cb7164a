//! Making Lever's webhook list match what Vouch needs: one webhook per
//! handled event, pointing at this connection's route.
//!
//! Lever lists only the webhooks Vouch itself registered (with the same key
//! or OAuth app), so everything listed is ours to manage:
//! - a webhook for a needed event at our URL is kept when Vouch knows its
//!   signature token (stored earlier, or carried in the listing), otherwise
//!   it is replaced, since deliveries Vouch cannot verify are useless;
//! - webhooks at another URL (an old public URL, an old connection) or for
//!   events Vouch does not handle are deleted;
//! - missing events are registered, and their signature tokens returned for
//!   storing.
//!
//! Registering is not idempotent in Lever (a duplicate delivers twice), so
//! this always lists first and creates only what is missing; running it
//! again after a crash converges instead of duplicating.
use std::collections::HashSet;

use futures::TryStreamExt;

use crate::lever::models::{NewWebhook, Webhook};
use crate::lever::{LeverClient, LeverError, Secret};

/// The Lever events Vouch handles, each with its own webhook.
pub const EVENTS: [&str; 5] = [
    "applicationCreated",
    "candidateStageChange",
    "candidateArchiveChange",
    "candidateHired",
    "candidateDeleted",
];

/// A webhook Vouch can verify deliveries of.
#[derive(Debug, Clone)]
pub struct ActiveWebhook {
    pub event: String,
    pub lever_webhook_id: String,
    /// Present when newly learned (created, or carried in the listing);
    /// `None` when the token is already stored under this id.
    pub new_token: Option<Secret>,
}

/// What reconciling did.
#[derive(Debug, Default)]
pub struct Reconciled {
    pub active: Vec<ActiveWebhook>,
    /// Lever ids deleted (stale or unverifiable).
    pub deleted: Vec<String>,
}

/// Reconciles Lever's webhooks with `url`. `known_ids` are the Lever webhook
/// ids whose signature tokens Vouch already stores.
pub async fn reconcile(
    client: &LeverClient,
    url: &str,
    known_ids: &HashSet<String>,
) -> Result<Reconciled, LeverError> {
    let listed: Vec<Webhook> = client.webhooks().try_collect().await?;
    let mut outcome = Reconciled::default();
    let mut covered: HashSet<&str> = HashSet::new();
    for webhook in &listed {
        let wanted = webhook.url == url && EVENTS.contains(&webhook.event.as_str());
        let first_for_event = !covered.contains(webhook.event.as_str());
        let verifiable = known_ids.contains(&webhook.id) || webhook.signature_token().is_some();
        if wanted && first_for_event && verifiable {
            covered.insert(webhook.event.as_str());
            outcome.active.push(ActiveWebhook {
                event: webhook.event.clone(),
                lever_webhook_id: webhook.id.clone(),
                new_token: if known_ids.contains(&webhook.id) {
                    None
                } else {
                    webhook.signature_token().cloned()
                },
            });
        } else {
            match client.delete_webhook(&webhook.id).await {
                Ok(()) | Err(LeverError::NotFound { .. }) => outcome.deleted.push(webhook.id.clone()),
                Err(other) => return Err(other),
            }
        }
    }
    for event in EVENTS.iter().filter(|e| !covered.contains(**e)) {
        let created =
            client.create_webhook(&NewWebhook { url: url.to_owned(), event: (*event).to_owned() }).await?;
        let token = created.signature_token().cloned();
        if token.is_none() {
            tracing::warn!(
                event,
                "Lever created a webhook without a signature token; deliveries cannot be verified"
            );
        }
        outcome.active.push(ActiveWebhook {
            event: (*event).to_owned(),
            lever_webhook_id: created.id,
            new_token: token,
        });
    }
    Ok(outcome)
}

/// Deletes every webhook Vouch registered (disconnect). Gone ones count as
/// deleted; the first other failure stops and is returned.
pub async fn remove_all(client: &LeverClient) -> Result<usize, LeverError> {
    let listed: Vec<Webhook> = client.webhooks().try_collect().await?;
    let mut removed = 0;
    for webhook in listed {
        match client.delete_webhook(&webhook.id).await {
            Ok(()) | Err(LeverError::NotFound { .. }) => removed += 1,
            Err(other) => return Err(other),
        }
    }
    Ok(removed)
}
