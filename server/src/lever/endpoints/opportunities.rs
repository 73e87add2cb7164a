//! Opportunities: read one, list by stage and posting, applications, create.

use futures::stream::BoxStream;

use crate::lever::{
    client::LeverClient,
    error::Result,
    http::ApiRequest,
    models::{Application, NewOpportunity, Opportunity},
    perform_as::Acted,
    permissions::Endpoint,
};

/// Filters of `GET /opportunities` (the catch-up job's query).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpportunityFilter {
    /// Only opportunities in these stages (`stage_id`, repeatable).
    pub stage_ids: Vec<String>,
    /// Only opportunities applied to these postings (`posting_id`, repeatable).
    pub posting_ids: Vec<String>,
    /// Inline the applications (`expand=applications`).
    pub expand_applications: bool,
}

impl LeverClient {
    /// One opportunity with its applications inlined.
    pub async fn opportunity(&self, id: &str) -> Result<Opportunity> {
        let request = ApiRequest::get(Endpoint::RetrieveOpportunity, &["opportunities", id])
            .query("expand", "applications");
        super::data(self.transport().send(&request).await?)
    }

    /// Opportunities matching `filter`, page by page.
    pub fn opportunities(&self, filter: &OpportunityFilter) -> BoxStream<'static, Result<Opportunity>> {
        let mut request = ApiRequest::get(Endpoint::ListOpportunities, &["opportunities"]);
        for stage in &filter.stage_ids {
            request = request.query("stage_id", stage.clone());
        }
        for posting in &filter.posting_ids {
            request = request.query("posting_id", posting.clone());
        }
        if filter.expand_applications {
            request = request.query("expand", "applications");
        }
        self.items(request)
    }

    /// An opportunity's applications.
    pub fn applications(&self, opportunity_id: &str) -> BoxStream<'static, Result<Application>> {
        let path = ["opportunities", opportunity_id, "applications"];
        self.items(ApiRequest::get(Endpoint::ListApplications, &path))
    }

    /// Creates an opportunity (Lever merges the contact by e-mail).
    ///
    /// Not idempotent: a repeat makes a second opportunity. The client
    /// repeats it only when Lever provably did not process it (connect
    /// error, 429, 503); after a timeout or a 500 the error comes back, and
    /// the caller searches by e-mail (`opportunities` of the posting) before
    /// trying again.
    pub async fn create_opportunity(
        &self,
        new: &NewOpportunity,
        perform_as: Option<&str>,
    ) -> Result<Acted<Opportunity>> {
        self.write_as(perform_as, |user| async move {
            let mut request = ApiRequest::post(Endpoint::CreateOpportunity, &["opportunities"]).json(new);
            if let Some(user) = user {
                request = request.query("perform_as", user);
            }
            super::data(self.transport().send(&request).await?)
        })
        .await
    }
}
