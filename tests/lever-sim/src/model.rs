//! The simulated Lever data model: companies and what they hold.
//!
//! Everything here is plain data. Rendering to Lever's JSON shapes lives in
//! [`crate::render`], behaviour (mutations that fire webhooks) in
//! [`crate::world`].

use serde::{Deserialize, Serialize};

/// Current time in epoch milliseconds, as Lever reports every time.
pub fn now_ms() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}

/// A fresh UUID-like id (v4), as Lever uses for most objects.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// One of Lever's environments; a company lives in exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DataCentre {
    /// Production, US data centre (`api.lever.co`).
    #[default]
    Us,
    /// Production, EU data centre (`api.eu.lever.co`).
    Eu,
    /// Sandbox (`api.sandbox.lever.co`).
    Sandbox,
}

impl DataCentre {
    /// All environments, in path order.
    pub const ALL: [DataCentre; 3] = [DataCentre::Us, DataCentre::Eu, DataCentre::Sandbox];

    /// The path segment that serves this environment (`us`, `eu`, `sandbox`).
    pub fn segment(self) -> &'static str {
        match self {
            DataCentre::Us => "us",
            DataCentre::Eu => "eu",
            DataCentre::Sandbox => "sandbox",
        }
    }

    /// Parses `us`, `eu` or `sandbox`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "us" => Some(DataCentre::Us),
            "eu" => Some(DataCentre::Eu),
            "sandbox" => Some(DataCentre::Sandbox),
            _ => None,
        }
    }

    /// Which authorization server serves this environment.
    pub fn auth_server(self) -> AuthServer {
        match self {
            DataCentre::Us | DataCentre::Eu => AuthServer::Production,
            DataCentre::Sandbox => AuthServer::Sandbox,
        }
    }
}

/// Lever's two authorization servers: production (US and EU) and sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthServer {
    /// `/auth/...`, shared by US and EU.
    Production,
    /// `/sandbox-auth/...`.
    Sandbox,
}

impl AuthServer {
    /// The path prefix of this server (`/auth` or `/sandbox-auth`).
    pub fn prefix(self) -> &'static str {
        match self {
            AuthServer::Production => "/auth",
            AuthServer::Sandbox => "/sandbox-auth",
        }
    }

    /// The data centres whose companies this server authorizes.
    pub fn data_centres(self) -> &'static [DataCentre] {
        match self {
            AuthServer::Production => &[DataCentre::Us, DataCentre::Eu],
            AuthServer::Sandbox => &[DataCentre::Sandbox],
        }
    }
}

/// Lever's access roles.
pub const ACCESS_ROLES: [&str; 5] =
    ["super admin", "admin", "team member", "limited team member", "interviewer"];

/// A Lever user.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub name: String,
    pub email: String,
    pub access_role: String,
    pub created_at: i64,
    pub deactivated_at: Option<i64>,
}

/// A posting (job).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Posting {
    pub id: String,
    pub text: String,
    pub state: String,
    pub owner: Option<String>,
    pub hiring_manager: Option<String>,
    pub followers: Vec<String>,
    pub tags: Vec<String>,
    pub categories: serde_json::Value,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A pipeline stage.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub id: String,
    pub text: String,
}

/// An archive reason; `hired` marks the reason used when hiring.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveReason {
    pub id: String,
    pub text: String,
    pub status: String,
}

/// One entry of an opportunity's stage history.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageChange {
    pub to_stage_id: String,
    pub to_stage_index: usize,
    pub updated_at: i64,
    pub user_id: Option<String>,
}

/// `archived` of an opportunity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Archived {
    pub archived_at: i64,
    pub reason: String,
}

/// A phone number.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Phone {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    pub value: String,
}

/// A tag the opportunity carries itself (inherited posting tags are not stored).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnTag {
    pub text: String,
    /// The user the tag was added as (`perform_as`), if known.
    pub added_by: Option<String>,
    pub added_at: i64,
}

/// A note on an opportunity.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: String,
    pub value: String,
    /// The author (`perform_as` user id).
    pub author: Option<String>,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
}

/// An application of an opportunity to a posting.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub id: String,
    pub opportunity_id: String,
    pub posting: String,
    pub created_at: i64,
}

/// An opportunity (a candidacy).
#[derive(Debug, Clone)]
pub struct Opportunity {
    pub id: String,
    pub name: String,
    pub headline: String,
    pub contact: String,
    pub emails: Vec<String>,
    pub phones: Vec<Phone>,
    pub stage: String,
    pub stage_changes: Vec<StageChange>,
    pub owner: Option<String>,
    pub tags: Vec<OwnTag>,
    pub applications: Vec<Application>,
    pub archived: Option<Archived>,
    pub origin: String,
    pub links: Vec<String>,
    pub notes: Vec<Note>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Who made a webhook, which decides who may see and delete it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "id")]
pub enum WebhookOwner {
    /// Made through the API with an API key.
    ApiKey(String),
    /// Made through the API with an OAuth client's token.
    OAuthClient(String),
    /// Made in Lever's UI (through the control API here).
    Ui,
}

/// A webhook subscription of a company.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub id: String,
    pub event: String,
    pub url: String,
    pub signature_token: String,
    pub conditions: Option<serde_json::Value>,
    pub owner: WebhookOwner,
    pub created_at: i64,
}

/// Webhook events the simulator knows.
pub const WEBHOOK_EVENTS: [&str; 5] = [
    "applicationCreated",
    "candidateStageChange",
    "candidateArchiveChange",
    "candidateHired",
    "candidateDeleted",
];

/// A Lever account (customer) and everything in it.
#[derive(Debug, Clone)]
pub struct Company {
    pub id: String,
    pub name: String,
    pub data_centre: DataCentre,
    pub users: Vec<User>,
    pub postings: Vec<Posting>,
    pub stages: Vec<Stage>,
    pub archive_reasons: Vec<ArchiveReason>,
    pub opportunities: Vec<Opportunity>,
    /// Contact id by lower-cased e-mail, for de-duplication.
    pub contacts: std::collections::HashMap<String, String>,
    pub webhooks: Vec<Webhook>,
}

/// Lever's default pipeline (built-in stages have slug ids).
pub const DEFAULT_STAGES: [(&str, &str); 9] = [
    ("lead-new", "New lead"),
    ("lead-reached-out", "Reached out"),
    ("lead-responded", "Responded"),
    ("applicant-new", "New applicant"),
    ("applicant-screen", "Recruiter screen"),
    ("phone-screen", "Phone screen"),
    ("on-site", "On-site interview"),
    ("offer", "Offer"),
    ("hired", "Hired"),
];

impl Company {
    /// A new company with the default pipeline and archive reasons.
    pub fn new(name: &str, data_centre: DataCentre) -> Self {
        let stages = DEFAULT_STAGES
            .iter()
            .map(|(id, text)| Stage { id: (*id).to_string(), text: (*text).to_string() })
            .collect();
        let archive_reasons = [
            ("Hired", "hired"),
            ("Withdrew", "non-hired"),
            ("Underqualified", "non-hired"),
            ("Position filled", "non-hired"),
        ]
        .iter()
        .map(|(text, status)| ArchiveReason {
            id: new_id(),
            text: (*text).to_string(),
            status: (*status).to_string(),
        })
        .collect();
        Company {
            id: new_id(),
            name: name.to_string(),
            data_centre,
            users: Vec::new(),
            postings: Vec::new(),
            stages,
            archive_reasons,
            opportunities: Vec::new(),
            contacts: Default::default(),
            webhooks: Vec::new(),
        }
    }

    /// A user by id.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// A posting by id.
    pub fn posting(&self, id: &str) -> Option<&Posting> {
        self.postings.iter().find(|p| p.id == id)
    }

    /// A stage by id.
    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.id == id)
    }

    /// An opportunity by id.
    pub fn opportunity(&self, id: &str) -> Option<&Opportunity> {
        self.opportunities.iter().find(|o| o.id == id)
    }

    /// An opportunity by id, mutable.
    pub fn opportunity_mut(&mut self, id: &str) -> Option<&mut Opportunity> {
        self.opportunities.iter_mut().find(|o| o.id == id)
    }

    /// The reason used when a candidate is hired.
    pub fn hired_reason(&self) -> Option<&ArchiveReason> {
        self.archive_reasons.iter().find(|r| r.status == "hired")
    }

    /// The tags an opportunity shows: its own plus its postings' (inherited).
    pub fn effective_tags(&self, opp: &Opportunity) -> Vec<String> {
        let mut tags: Vec<String> = opp.tags.iter().map(|t| t.text.clone()).collect();
        for app in &opp.applications {
            if let Some(p) = self.posting(&app.posting) {
                for t in &p.tags {
                    if !tags.contains(t) {
                        tags.push(t.clone());
                    }
                }
            }
        }
        tags
    }

    /// The postings an opportunity applied to.
    pub fn postings_of(&self, opp: &Opportunity) -> Vec<&Posting> {
        opp.applications.iter().filter_map(|a| self.posting(&a.posting)).collect()
    }
}
