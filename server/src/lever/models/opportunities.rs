//! Opportunities (a candidate in a pipeline), their applications, tags and
//! notes.

use serde::{Deserialize, Serialize};

use super::EpochMillis;

/// A Lever opportunity.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Opportunity {
    /// Opportunity id (what webhooks call `opportunityId`).
    pub id: String,
    /// Candidate's name.
    #[serde(default)]
    pub name: Option<String>,
    /// Contact id (one person across opportunities).
    #[serde(default)]
    pub contact: Option<String>,
    /// E-mail addresses; may be empty.
    #[serde(default)]
    pub emails: Vec<String>,
    /// Phone numbers.
    #[serde(default)]
    pub phones: Vec<Phone>,
    /// Current stage id.
    #[serde(default)]
    pub stage: Option<String>,
    /// Stage history.
    #[serde(default)]
    pub stage_changes: Vec<StageChange>,
    /// Application ids, or whole applications with `expand=applications`.
    #[serde(default)]
    pub applications: Vec<ApplicationRef>,
    /// Tags, including those inherited from the posting.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Owner's user id.
    #[serde(default)]
    pub owner: Option<String>,
    /// `null` unless archived.
    #[serde(default)]
    pub archived: Option<Archived>,
    /// Links into Lever's UI.
    #[serde(default)]
    pub urls: Option<OpportunityUrls>,
    /// Created.
    #[serde(default)]
    pub created_at: Option<EpochMillis>,
    /// Last changed.
    #[serde(default)]
    pub updated_at: Option<EpochMillis>,
}

impl Opportunity {
    /// The candidate's page in Lever, if given.
    pub fn show_url(&self) -> Option<&str> {
        self.urls.as_ref()?.show.as_deref()
    }

    /// The first e-mail address, if any.
    pub fn primary_email(&self) -> Option<&str> {
        self.emails.first().map(String::as_str)
    }
}

/// A phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    /// `mobile`, `home`, `work`, `skype`, `other`...
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The number as typed.
    pub value: String,
}

/// One move between stages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageChange {
    /// The stage moved into.
    pub to_stage_id: String,
    /// Its position in the pipeline.
    #[serde(default)]
    pub to_stage_index: Option<i64>,
    /// When.
    #[serde(default)]
    pub updated_at: Option<EpochMillis>,
    /// Who moved it (null for automatic moves).
    #[serde(default)]
    pub user_id: Option<String>,
}

/// Why and when an opportunity was archived.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Archived {
    /// When.
    #[serde(default)]
    pub archived_at: Option<EpochMillis>,
    /// Archive reason id (one of them means hired).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Links of an opportunity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct OpportunityUrls {
    /// The candidate list.
    #[serde(default)]
    pub list: Option<String>,
    /// The candidate's page.
    #[serde(default)]
    pub show: Option<String>,
}

/// An entry of `applications`: an id, or the object when expanded.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum ApplicationRef {
    /// Not expanded.
    Id(String),
    /// With `expand=applications`.
    Expanded(Box<Application>),
}

impl ApplicationRef {
    /// The application's id either way.
    pub fn id(&self) -> &str {
        match self {
            Self::Id(id) => id,
            Self::Expanded(application) => &application.id,
        }
    }
}

/// An application of an opportunity to a posting.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// Application id.
    pub id: String,
    /// The opportunity.
    #[serde(default)]
    pub opportunity_id: Option<String>,
    /// `posting`, `user`, `referral`...
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The posting applied to (null for a general application).
    #[serde(default)]
    pub posting: Option<String>,
    /// The posting's owner then.
    #[serde(default)]
    pub posting_owner: Option<String>,
    /// The posting's hiring manager then.
    #[serde(default)]
    pub posting_hiring_manager: Option<String>,
    /// Created.
    #[serde(default)]
    pub created_at: Option<EpochMillis>,
}

/// Body of `POST /opportunities`. Lever de-duplicates the contact by e-mail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOpportunity {
    /// Candidate's name (a pseudonym when exporting anonymously).
    pub name: String,
    /// E-mail addresses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    /// Phone numbers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
    /// Tags to set.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// `applied`, `sourced`, `referred`...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// Stage id to put it in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Posting ids to apply it to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub postings: Vec<String>,
}

/// An entry of `GET /tags` (shape unconfirmed: only `text` is relied on).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Tag {
    /// The tag.
    pub text: String,
    /// How many things carry it.
    #[serde(default)]
    pub count: Option<i64>,
}

/// A created note. Lever has been seen answering its id as `id` and as
/// `noteId`; both are accepted (and a body with both takes `id`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawNote")]
pub struct Note {
    /// Note id, needed to delete (notes cannot be edited).
    pub id: String,
    /// The author.
    pub user: Option<String>,
    /// Created.
    pub created_at: Option<EpochMillis>,
    /// The note's text, when Lever includes it (listings do).
    pub text: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawNote {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    note_id: Option<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    created_at: Option<EpochMillis>,
    #[serde(default)]
    text: Option<String>,
}

impl TryFrom<RawNote> for Note {
    type Error = &'static str;

    fn try_from(raw: RawNote) -> Result<Self, Self::Error> {
        let id = raw.id.or(raw.note_id).ok_or("note has neither `id` nor `noteId`")?;
        Ok(Self { id, user: raw.user, created_at: raw.created_at, text: raw.text })
    }
}
