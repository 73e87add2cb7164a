//! Notes on opportunities. Notes cannot be edited: delete and create again.

use futures::stream::BoxStream;
use serde::Serialize;

use crate::lever::{
    client::LeverClient, error::Result, http::ApiRequest, models::Note, perform_as::Acted,
    permissions::Endpoint,
};

#[derive(Serialize)]
struct NewNote<'a> {
    value: &'a str,
}

impl LeverClient {
    /// An opportunity's notes, a page at a time. Vouch reads them only to
    /// find a note whose create had an unclear outcome (the permission
    /// "List all notes" is not required to connect).
    pub fn notes(&self, opportunity_id: &str) -> BoxStream<'static, Result<Note>> {
        self.items(ApiRequest::get(Endpoint::ListNotes, &["opportunities", opportunity_id, "notes"]))
    }

    /// Creates a note and answers its id (Lever's `id` or `noteId`).
    ///
    /// Not idempotent: a repeat leaves two notes. The client repeats it only
    /// when Lever provably did not process it (connect error, 429, 503).
    /// After a timeout or a 500 the error comes back and the caller, which
    /// knows the note it meant to write, reconciles before trying again
    /// (the status write marks the note pending before the create and, when
    /// it finds the mark, looks through [`LeverClient::notes`] first).
    pub async fn create_note(
        &self,
        opportunity_id: &str,
        value: &str,
        perform_as: Option<&str>,
    ) -> Result<Acted<Note>> {
        self.write_as(perform_as, |user| async move {
            let path = ["opportunities", opportunity_id, "notes"];
            let mut request = ApiRequest::post(Endpoint::CreateNote, &path).json(&NewNote { value });
            if let Some(user) = user {
                request = request.query("perform_as", user);
            }
            super::data(self.transport().send(&request).await?)
        })
        .await
    }

    /// Deletes a note. Safe to repeat; a repeat (or a note deleted in
    /// Lever) answers `NotFound`, which callers take as "already gone".
    pub async fn delete_note(
        &self,
        opportunity_id: &str,
        note_id: &str,
        perform_as: Option<&str>,
    ) -> Result<Acted<()>> {
        self.write_as(perform_as, |user| async move {
            let path = ["opportunities", opportunity_id, "notes", note_id];
            let mut request = ApiRequest::delete(Endpoint::DeleteNote, &path);
            if let Some(user) = user {
                request = request.query("perform_as", user);
            }
            self.transport().send(&request).await.map(drop)
        })
        .await
    }
}
