//! Every Lever call the client makes, and the one table that names it.
//!
//! A Lever API key is granted endpoint by endpoint, and a 403 means that
//! the key (or the OAuth grant) lacks the permission for that one call. The
//! admin fixes it in Lever's settings, where permissions carry the titles of
//! the sections of Lever's API reference, so [`Endpoint::name`] uses exactly
//! those words. The same table says which calls are safe to repeat.

use std::fmt;

use serde::Serialize;

/// One call of the Lever API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Endpoint {
    /// `GET /users`
    ListUsers,
    /// `GET /users/:id`
    RetrieveUser,
    /// `GET /postings`
    ListPostings,
    /// `GET /postings/:id`
    RetrievePosting,
    /// `GET /stages`
    ListStages,
    /// `GET /opportunities/:id`
    RetrieveOpportunity,
    /// `GET /opportunities`
    ListOpportunities,
    /// `GET /opportunities/:id/applications`
    ListApplications,
    /// `POST /opportunities`
    CreateOpportunity,
    /// `POST /opportunities/:id/addTags`
    AddTags,
    /// `POST /opportunities/:id/removeTags`
    RemoveTags,
    /// `GET /tags`
    ListTags,
    /// `GET /opportunities/:id/notes`
    ListNotes,
    /// `POST /opportunities/:id/notes`
    CreateNote,
    /// `DELETE /opportunities/:id/notes/:noteId`
    DeleteNote,
    /// `POST /opportunities/:id/addLinks`
    AddLinks,
    /// `POST /opportunities/:id/removeLinks`
    RemoveLinks,
    /// `GET /webhooks`
    ListWebhooks,
    /// `POST /webhooks`
    CreateWebhook,
    /// `DELETE /webhooks/:id`
    DeleteWebhook,
}

/// What repeating a call after an unclear outcome (timeout, 500) can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Reads, set-like writes (add/remove tags and links) and deletes: the
    /// second call leaves Lever as the first did.
    Safe,
    /// Creates: a repeat may make a duplicate, so the client repeats only
    /// when Lever provably did not process the first try.
    Duplicates,
}

impl Endpoint {
    /// Every endpoint, in the order of the table below.
    pub const ALL: [Endpoint; 20] = [
        Self::ListUsers,
        Self::RetrieveUser,
        Self::ListPostings,
        Self::RetrievePosting,
        Self::ListStages,
        Self::RetrieveOpportunity,
        Self::ListOpportunities,
        Self::ListApplications,
        Self::CreateOpportunity,
        Self::AddTags,
        Self::RemoveTags,
        Self::ListTags,
        Self::ListNotes,
        Self::CreateNote,
        Self::DeleteNote,
        Self::AddLinks,
        Self::RemoveLinks,
        Self::ListWebhooks,
        Self::CreateWebhook,
        Self::DeleteWebhook,
    ];

    /// The title of the call's section in Lever's API reference, which is
    /// also how the admin finds the permission in Lever.
    pub fn name(self) -> &'static str {
        self.row().0
    }

    /// Whether a repeat is harmless.
    pub fn repeat(self) -> Repeat {
        self.row().1
    }

    fn row(self) -> (&'static str, Repeat) {
        use Repeat::{Duplicates, Safe};
        match self {
            Self::ListUsers => ("Retrieve a list of users", Safe),
            Self::RetrieveUser => ("Retrieve a single user", Safe),
            Self::ListPostings => ("List all postings", Safe),
            Self::RetrievePosting => ("Retrieve a single posting", Safe),
            Self::ListStages => ("List all stages", Safe),
            Self::RetrieveOpportunity => ("Retrieve a single opportunity", Safe),
            Self::ListOpportunities => ("List all opportunities", Safe),
            Self::ListApplications => ("List all applications", Safe),
            // Lever de-duplicates the contact by e-mail but still makes a
            // second opportunity.
            Self::CreateOpportunity => ("Create an opportunity", Duplicates),
            Self::AddTags => ("Add tags", Safe),
            Self::RemoveTags => ("Remove tags", Safe),
            Self::ListTags => ("Retrieve all tags", Safe),
            Self::ListNotes => ("List all notes", Safe),
            Self::CreateNote => ("Create a note", Duplicates),
            // A repeated delete answers 404; callers take NotFound on a
            // delete as "already gone".
            Self::DeleteNote => ("Delete a note", Safe),
            Self::AddLinks => ("Add links", Safe),
            Self::RemoveLinks => ("Remove links", Safe),
            Self::ListWebhooks => ("List webhooks", Safe),
            // A duplicate webhook would deliver every event twice.
            Self::CreateWebhook => ("Create a webhook", Duplicates),
            Self::DeleteWebhook => ("Delete a webhook", Safe),
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A permission the connection lacks, as found by
/// [`probe_permissions`](super::probe::probe_permissions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MissingPermission {
    /// The refused call.
    pub endpoint: Endpoint,
    /// Its name in Lever's words, e.g. "Create a note".
    pub name: &'static str,
}

impl From<Endpoint> for MissingPermission {
    fn from(endpoint: Endpoint) -> Self {
        Self { endpoint, name: endpoint.name() }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn names_are_lever_section_titles_and_unique() {
        assert_eq!(Endpoint::CreateNote.name(), "Create a note");
        assert_eq!(Endpoint::ListOpportunities.to_string(), "List all opportunities");
        assert_eq!(Endpoint::ListTags.name(), "Retrieve all tags");
        assert_eq!(Endpoint::ListPostings.name(), "List all postings");
        assert_eq!(Endpoint::ListStages.name(), "List all stages");
        let names: HashSet<_> = Endpoint::ALL.iter().map(|e| e.name()).collect();
        assert_eq!(names.len(), Endpoint::ALL.len());
    }

    #[test]
    fn only_creates_may_duplicate() {
        let creates: Vec<_> =
            Endpoint::ALL.into_iter().filter(|e| e.repeat() == Repeat::Duplicates).collect();
        assert_eq!(creates, vec![Endpoint::CreateOpportunity, Endpoint::CreateNote, Endpoint::CreateWebhook]);
    }
}
