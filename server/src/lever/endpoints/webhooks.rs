//! Webhooks registered through the API. Lever lists only the caller's own,
//! and webhooks made in Lever's UI cannot be changed from here. Webhook
//! calls configure the account rather than act on candidates, so they carry
//! no `perform_as`.

use futures::stream::BoxStream;

use crate::lever::{
    client::LeverClient,
    error::Result,
    http::ApiRequest,
    models::{NewWebhook, Webhook},
    permissions::Endpoint,
};

impl LeverClient {
    /// The webhooks this key or app registered.
    pub fn webhooks(&self) -> BoxStream<'static, Result<Webhook>> {
        self.items(ApiRequest::get(Endpoint::ListWebhooks, &["webhooks"]))
    }

    /// Registers a webhook; the answer carries its signature token.
    ///
    /// Not idempotent: a duplicate would deliver every event twice. Repeated
    /// only when Lever provably did not process it; otherwise the caller
    /// lists webhooks and registers only the missing events.
    pub async fn create_webhook(&self, new: &NewWebhook) -> Result<Webhook> {
        let request = ApiRequest::post(Endpoint::CreateWebhook, &["webhooks"]).json(new);
        super::data(self.transport().send(&request).await?)
    }

    /// Deletes a webhook (`NotFound` if already gone).
    pub async fn delete_webhook(&self, id: &str) -> Result<()> {
        let request = ApiRequest::delete(Endpoint::DeleteWebhook, &["webhooks", id]);
        self.transport().send(&request).await.map(drop)
    }
}
