//! Tags on opportunities, and Lever's tag list.

use futures::stream::BoxStream;
use serde::Serialize;

use crate::lever::{
    client::LeverClient,
    error::Result,
    http::ApiRequest,
    models::{Opportunity, Tag},
    perform_as::Acted,
    permissions::Endpoint,
};

#[derive(Serialize)]
struct Tags<'a> {
    tags: &'a [String],
}

impl LeverClient {
    /// Adds tags (a set operation, safe to repeat). Answers the updated
    /// opportunity when Lever's answer has the expected shape.
    pub async fn add_tags(
        &self,
        opportunity_id: &str,
        tags: &[String],
        perform_as: Option<&str>,
    ) -> Result<Acted<Option<Opportunity>>> {
        self.tag_write(Endpoint::AddTags, "addTags", opportunity_id, tags, perform_as).await
    }

    /// Removes tags (safe to repeat).
    pub async fn remove_tags(
        &self,
        opportunity_id: &str,
        tags: &[String],
        perform_as: Option<&str>,
    ) -> Result<Acted<Option<Opportunity>>> {
        self.tag_write(Endpoint::RemoveTags, "removeTags", opportunity_id, tags, perform_as).await
    }

    /// Every tag in use in the account.
    pub fn tags(&self) -> BoxStream<'static, Result<Tag>> {
        self.items(ApiRequest::get(Endpoint::ListTags, &["tags"]))
    }

    async fn tag_write(
        &self,
        endpoint: Endpoint,
        action: &str,
        opportunity_id: &str,
        tags: &[String],
        perform_as: Option<&str>,
    ) -> Result<Acted<Option<Opportunity>>> {
        self.write_as(perform_as, |user| async move {
            let path = ["opportunities", opportunity_id, action];
            let mut request = ApiRequest::post(endpoint, &path).json(&Tags { tags });
            if let Some(user) = user {
                request = request.query("perform_as", user);
            }
            Ok(super::courtesy(self.transport().send(&request).await?))
        })
        .await
    }
}
