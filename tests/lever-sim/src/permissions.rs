//! The one table of endpoint permissions.
//!
//! Lever grants API keys endpoint by endpoint; OAuth tokens carry scopes.
//! Each [`Permission`] has a human name in the words of Lever's API reference
//! section titles (used in 403 messages, so a permission probe can report
//! what is missing) and the OAuth scope that covers it.

use serde::Serialize;

/// One permission per endpoint the simulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Permission {
    ListUsers,
    GetUser,
    ListPostings,
    GetPosting,
    ListStages,
    ListArchiveReasons,
    GetOpportunity,
    ListOpportunities,
    ListApplications,
    CreateOpportunity,
    AddTags,
    RemoveTags,
    ListTags,
    ListNotes,
    CreateNote,
    DeleteNote,
    AddLinks,
    RemoveLinks,
    ListWebhooks,
    CreateWebhook,
    DeleteWebhook,
}

/// `(permission, human name, OAuth scope, method and path)`.
pub const TABLE: [(Permission, &str, &str, &str); 21] = [
    (Permission::ListUsers, "Retrieve a list of users", "users:read:admin", "GET /users"),
    (Permission::GetUser, "Retrieve a single user", "users:read:admin", "GET /users/:id"),
    (Permission::ListPostings, "List all postings", "postings:read:admin", "GET /postings"),
    (Permission::GetPosting, "Retrieve a single posting", "postings:read:admin", "GET /postings/:id"),
    (Permission::ListStages, "List all stages", "stages:read:admin", "GET /stages"),
    (
        Permission::ListArchiveReasons,
        "List all archive reasons",
        "archive_reasons:read:admin",
        "GET /archive_reasons",
    ),
    (
        Permission::GetOpportunity,
        "Retrieve a single opportunity",
        "opportunities:read:admin",
        "GET /opportunities/:id",
    ),
    (
        Permission::ListOpportunities,
        "List all opportunities",
        "opportunities:read:admin",
        "GET /opportunities",
    ),
    (
        Permission::ListApplications,
        "List all applications",
        "opportunities:read:admin",
        "GET /opportunities/:id/applications",
    ),
    (
        Permission::CreateOpportunity,
        "Create an opportunity",
        "opportunities:write:admin",
        "POST /opportunities",
    ),
    (Permission::AddTags, "Add tags", "opportunities:write:admin", "POST /opportunities/:id/addTags"),
    (
        Permission::RemoveTags,
        "Remove tags",
        "opportunities:write:admin",
        "POST /opportunities/:id/removeTags",
    ),
    (Permission::ListTags, "Retrieve all tags", "tags:read:admin", "GET /tags"),
    (Permission::ListNotes, "List all notes", "notes:read:admin", "GET /opportunities/:id/notes"),
    (Permission::CreateNote, "Create a note", "notes:write:admin", "POST /opportunities/:id/notes"),
    (Permission::DeleteNote, "Delete a note", "notes:write:admin", "DELETE /opportunities/:id/notes/:noteId"),
    (Permission::AddLinks, "Add links", "opportunities:write:admin", "POST /opportunities/:id/addLinks"),
    (
        Permission::RemoveLinks,
        "Remove links",
        "opportunities:write:admin",
        "POST /opportunities/:id/removeLinks",
    ),
    (Permission::ListWebhooks, "List webhooks", "webhooks:read:admin", "GET /webhooks"),
    (Permission::CreateWebhook, "Create a webhook", "webhooks:write:admin", "POST /webhooks"),
    (Permission::DeleteWebhook, "Delete a webhook", "webhooks:write:admin", "DELETE /webhooks/:id"),
];

impl Permission {
    fn row(self) -> &'static (Permission, &'static str, &'static str, &'static str) {
        TABLE.iter().find(|row| row.0 == self).unwrap_or(&TABLE[0])
    }

    /// The human name (Lever's API reference section title).
    pub fn name(self) -> &'static str {
        self.row().1
    }

    /// The OAuth scope that grants it (a write scope also grants the read).
    pub fn scope(self) -> &'static str {
        self.row().2
    }

    /// Every permission.
    pub fn all() -> Vec<Permission> {
        TABLE.iter().map(|row| row.0).collect()
    }

    /// Looks a permission up by its human name (case-insensitive) or its
    /// Rust variant name.
    pub fn from_name(name: &str) -> Option<Permission> {
        TABLE
            .iter()
            .find(|row| row.1.eq_ignore_ascii_case(name) || format!("{:?}", row.0).eq_ignore_ascii_case(name))
            .map(|row| row.0)
    }
}

/// Whether the granted scopes cover `needed` (`x:write:admin` covers `x:read:admin`).
pub fn scopes_cover(granted: &[String], needed: &str) -> bool {
    if granted.iter().any(|s| s == needed) {
        return true;
    }
    match needed.strip_suffix(":read:admin") {
        Some(resource) => {
            let write = format!("{resource}:write:admin");
            granted.contains(&write)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_permission_is_in_the_table_once() {
        for p in Permission::all() {
            assert_eq!(TABLE.iter().filter(|r| r.0 == p).count(), 1, "{p:?}");
            assert_eq!(Permission::from_name(p.name()), Some(p));
        }
    }

    #[test]
    fn write_scope_implies_read() {
        let granted = vec!["notes:write:admin".to_string()];
        assert!(scopes_cover(&granted, "notes:read:admin"));
        assert!(scopes_cover(&granted, "notes:write:admin"));
        assert!(!scopes_cover(&granted, "tags:read:admin"));
    }
}
