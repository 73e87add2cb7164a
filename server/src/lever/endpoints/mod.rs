//! One file per area of Lever's API, each adding methods to
//! [`LeverClient`](super::LeverClient). Reads return typed values or
//! streams; writes take `perform_as` and return [`Acted`](super::Acted).

mod links;
mod notes;
mod opportunities;
mod postings;
mod tags;
mod users;
mod webhooks;

pub use opportunities::OpportunityFilter;

use super::{error::Result, http::ApiResponse, models::Envelope};

/// Reads `{"data": ...}` of a required answer.
fn data<T: serde::de::DeserializeOwned>(response: ApiResponse) -> Result<T> {
    response.json::<Envelope<T>>().map(|e| e.data)
}

/// Reads `{"data": ...}` when the write already happened and the answer is
/// only a courtesy: a shape we do not know must not turn success into an
/// error (and a retry).
fn courtesy<T: serde::de::DeserializeOwned>(response: ApiResponse) -> Option<T> {
    match response.json::<Envelope<T>>() {
        Ok(envelope) => Some(envelope.data),
        Err(error) => {
            tracing::debug!(%error, "ignoring an unexpected answer to a completed write");
            None
        }
    }
}
