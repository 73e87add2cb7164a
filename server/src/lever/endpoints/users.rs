//! `GET /users`, `GET /users/:id`.

use futures::stream::BoxStream;

use crate::lever::{
    client::LeverClient, error::Result, http::ApiRequest, models::User, permissions::Endpoint,
};

impl LeverClient {
    /// Every active user, page by page. Lever leaves deactivated users out
    /// unless asked (`includeDeactivated=true`), and they can no longer act
    /// (`perform_as`), so they are not offered as anyone's user.
    pub fn users(&self) -> BoxStream<'static, Result<User>> {
        self.items(ApiRequest::get(Endpoint::ListUsers, &["users"]))
    }

    /// One user.
    pub async fn user(&self, id: &str) -> Result<User> {
        let request = ApiRequest::get(Endpoint::RetrieveUser, &["users", id]);
        super::data(self.transport().send(&request).await?)
    }
}
