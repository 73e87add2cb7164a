//! `GET /users`, `GET /users/:id`.

use futures::stream::BoxStream;

use crate::lever::{
    client::LeverClient, error::Result, http::ApiRequest, models::User, permissions::Endpoint,
};

impl LeverClient {
    /// Every user, page by page (deactivated ones included).
    pub fn users(&self) -> BoxStream<'static, Result<User>> {
        self.items(ApiRequest::get(Endpoint::ListUsers, &["users"]))
    }

    /// One user.
    pub async fn user(&self, id: &str) -> Result<User> {
        let request = ApiRequest::get(Endpoint::RetrieveUser, &["users", id]);
        super::data(self.transport().send(&request).await?)
    }
}
