//! Inputs for creating simulated objects, shared by the control API, the
//! Rust handle and seed files. References to other objects (`owner`,
//! `posting`, `stage`, ...) accept an id or a human key (a user's e-mail, a
//! posting's or stage's text), so seed files can be written by hand.

use serde::{Deserialize, Serialize};

use crate::model::{DataCentre, Phone};

/// A company to create.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCompany {
    /// Fixed id (default: a fresh UUID).
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default, alias = "dc")]
    pub data_centre: DataCentre,
}

/// A user to create.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    pub email: String,
    /// One of `super admin`, `admin`, `team member`, `limited team member`,
    /// `interviewer` (default `team member`).
    #[serde(default)]
    pub access_role: Option<String>,
    #[serde(default)]
    pub deactivated: bool,
}

/// A posting to create.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPosting {
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
    /// Default `published`.
    #[serde(default)]
    pub state: Option<String>,
    /// User id or e-mail.
    #[serde(default)]
    pub owner: Option<String>,
    /// User id or e-mail.
    #[serde(default)]
    pub hiring_manager: Option<String>,
    /// User ids or e-mails.
    #[serde(default)]
    pub followers: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub categories: Option<serde_json::Value>,
}

/// A custom stage to create.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewStage {
    /// Fixed id (default: a fresh UUID).
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
}

/// A candidate (opportunity) to create; with a posting it gets an
/// application and fires `applicationCreated`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCandidate {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub headline: Option<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub phones: Vec<Phone>,
    /// One posting (id or text); merged with `postings`.
    #[serde(default)]
    pub posting: Option<String>,
    /// Posting ids or texts.
    #[serde(default)]
    pub postings: Vec<String>,
    /// Stage id or text (default `applicant-new` with a posting, else `lead-new`).
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Default `applied` with a posting, else `sourced`.
    #[serde(default)]
    pub origin: Option<String>,
    /// User id or e-mail.
    #[serde(default)]
    pub owner: Option<String>,
    /// Archive reason (id or text): create the candidate archived.
    #[serde(default)]
    pub archived_reason: Option<String>,
}

/// An API key to create.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewApiKey {
    /// Fixed key (default: a random one).
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    /// Permission names (see the README table); absent means all.
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
}
