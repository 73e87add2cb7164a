//! Links on opportunities.

use serde::Serialize;

use crate::lever::{
    client::LeverClient, error::Result, http::ApiRequest, models::Opportunity, perform_as::Acted,
    permissions::Endpoint,
};

#[derive(Serialize)]
struct Links<'a> {
    links: &'a [String],
}

impl LeverClient {
    /// Adds links (URLs) to an opportunity; safe to repeat.
    pub async fn add_links(
        &self,
        opportunity_id: &str,
        links: &[String],
        perform_as: Option<&str>,
    ) -> Result<Acted<Option<Opportunity>>> {
        self.link_write(Endpoint::AddLinks, "addLinks", opportunity_id, links, perform_as).await
    }

    /// Removes links from an opportunity; safe to repeat.
    pub async fn remove_links(
        &self,
        opportunity_id: &str,
        links: &[String],
        perform_as: Option<&str>,
    ) -> Result<Acted<Option<Opportunity>>> {
        self.link_write(Endpoint::RemoveLinks, "removeLinks", opportunity_id, links, perform_as).await
    }

    async fn link_write(
        &self,
        endpoint: Endpoint,
        action: &str,
        opportunity_id: &str,
        links: &[String],
        perform_as: Option<&str>,
    ) -> Result<Acted<Option<Opportunity>>> {
        self.write_as(perform_as, |user| async move {
            let path = ["opportunities", opportunity_id, action];
            let mut request = ApiRequest::post(endpoint, &path).json(&Links { links });
            if let Some(user) = user {
                request = request.query("perform_as", user);
            }
            Ok(super::courtesy(self.transport().send(&request).await?))
        })
        .await
    }
}
