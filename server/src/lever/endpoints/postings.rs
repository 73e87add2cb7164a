//! `GET /postings`, `GET /postings/:id`, `GET /stages`.

use futures::stream::BoxStream;

use crate::lever::{
    client::LeverClient,
    error::Result,
    http::ApiRequest,
    models::{Posting, Stage},
    permissions::Endpoint,
};

impl LeverClient {
    /// Every posting, page by page.
    pub fn postings(&self) -> BoxStream<'static, Result<Posting>> {
        self.items(ApiRequest::get(Endpoint::ListPostings, &["postings"]))
    }

    /// One posting (read again when its tags matter: nothing announces a
    /// change).
    pub async fn posting(&self, id: &str) -> Result<Posting> {
        let request = ApiRequest::get(Endpoint::RetrievePosting, &["postings", id]);
        super::data(self.transport().send(&request).await?)
    }

    /// Every pipeline stage.
    pub fn stages(&self) -> BoxStream<'static, Result<Stage>> {
        self.items(ApiRequest::get(Endpoint::ListStages, &["stages"]))
    }
}
