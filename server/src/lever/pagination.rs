//! Lever's lists as `Stream`s.
//!
//! A list answers `{"data": [...], "hasNext": true, "next": "<token>"}`; the
//! next page is the same request with `offset=<token>`. The stream fetches a
//! page only when the previous one has been consumed, so at most one page is
//! held at a time however long the list. A server that hands back the same
//! token twice would loop us forever: that is reported as a decode error.

use futures::{stream::BoxStream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use super::{
    client::LeverClient,
    error::{LeverError, Result},
    http::ApiRequest,
    models::Page,
};

impl LeverClient {
    /// The pages of a list request.
    pub(crate) fn pages<T>(&self, request: ApiRequest) -> BoxStream<'static, Result<Page<T>>>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let client = self.clone();
        let request = request.query("limit", self.page_size().to_string());
        // State: `None` = done, `Some(None)` = first page, `Some(Some(t))` = page at t.
        futures::stream::try_unfold(Some(None::<String>), move |state| {
            let client = client.clone();
            let mut request = request.clone();
            async move {
                let Some(offset) = state else {
                    return Ok(None);
                };
                if let Some(token) = &offset {
                    request = request.query("offset", token.clone());
                }
                let page: Page<T> = client.transport().send(&request).await?.json()?;
                let next = page.next_offset().map(str::to_owned);
                if next.is_some() && next == offset {
                    return Err(LeverError::decode(request.endpoint, "the same `next` token twice"));
                }
                Ok(Some((page, next.map(Some))))
            }
        })
        .boxed()
    }

    /// The items of a list request, page after page.
    pub(crate) fn items<T>(&self, request: ApiRequest) -> BoxStream<'static, Result<T>>
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.pages(request)
            .map_ok(|page: Page<T>| futures::stream::iter(page.data.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}
