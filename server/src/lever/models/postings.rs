//! Postings (jobs) and pipeline stages.

use serde::Deserialize;

use super::EpochMillis;

/// A Lever posting.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Posting {
    /// Posting id.
    pub id: String,
    /// The title.
    #[serde(default)]
    pub text: Option<String>,
    /// `published`, `internal`, `closed`, `draft`, `pending`, `rejected`...
    #[serde(default)]
    pub state: Option<String>,
    /// Owner's user id.
    #[serde(default)]
    pub owner: Option<String>,
    /// Hiring manager's user id.
    #[serde(default)]
    pub hiring_manager: Option<String>,
    /// Tags; `Vouch Template: <name>` picks a template.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Department, team, location...
    #[serde(default)]
    pub categories: Option<PostingCategories>,
    /// Public links.
    #[serde(default)]
    pub urls: Option<PostingUrls>,
    /// Created.
    #[serde(default)]
    pub created_at: Option<EpochMillis>,
    /// Last changed.
    #[serde(default)]
    pub updated_at: Option<EpochMillis>,
}

/// A posting's categories (all free text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostingCategories {
    /// e.g. `Full-time`.
    #[serde(default)]
    pub commitment: Option<String>,
    /// Department.
    #[serde(default)]
    pub department: Option<String>,
    /// Level.
    #[serde(default)]
    pub level: Option<String>,
    /// Main location.
    #[serde(default)]
    pub location: Option<String>,
    /// Team.
    #[serde(default)]
    pub team: Option<String>,
    /// Every location.
    #[serde(default)]
    pub all_locations: Vec<String>,
}

/// A posting's public links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PostingUrls {
    /// The job board.
    #[serde(default)]
    pub list: Option<String>,
    /// The posting.
    #[serde(default)]
    pub show: Option<String>,
    /// Its application form.
    #[serde(default)]
    pub apply: Option<String>,
}

/// A pipeline stage. Built-in ids are slugs (`lead-new`), custom ones UUIDs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Stage {
    /// Stage id, as webhooks carry it.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub text: String,
}
