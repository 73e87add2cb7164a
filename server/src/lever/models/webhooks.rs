//! Webhooks registered through the API (Lever lists only the caller's own).

use serde::{Deserialize, Serialize};

use super::EpochMillis;
use crate::lever::secret::Secret;

/// A webhook as Lever returns it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// Webhook id.
    pub id: String,
    /// Event name, e.g. `candidateStageChange`.
    pub event: String,
    /// Where Lever delivers.
    pub url: String,
    /// Conditions and the signature token.
    #[serde(default)]
    pub configuration: Option<WebhookConfiguration>,
    /// Created.
    #[serde(default)]
    pub created_at: Option<EpochMillis>,
    /// Last changed.
    #[serde(default)]
    pub updated_at: Option<EpochMillis>,
}

impl Webhook {
    /// The token that signs this webhook's deliveries.
    pub fn signature_token(&self) -> Option<&Secret> {
        self.configuration.as_ref()?.signature_token.as_ref()
    }
}

/// A webhook's configuration.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookConfiguration {
    /// Delivery filters (e.g. origins), kept as Lever sent them.
    #[serde(default)]
    pub conditions: Option<serde_json::Value>,
    /// Signs deliveries; `Debug` prints `***`.
    #[serde(default)]
    pub signature_token: Option<Secret>,
}

/// Body of `POST /webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewWebhook {
    /// Where to deliver: Vouch's `/webhooks/lever/{connection_id}`.
    pub url: String,
    /// Event name.
    pub event: String,
}
