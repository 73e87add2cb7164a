//! Lever's JSON bodies as Rust types.
//!
//! Lever adds fields over time, so every type ignores unknown fields and
//! everything Lever may leave out or null is an `Option` or defaults to
//! empty. Times are epoch milliseconds kept as `i64` (never through `f64`,
//! which would round them). Ids are strings: built-in stage ids are slugs
//! such as `lead-new`, so not all ids are UUIDs.

mod envelope;
mod opportunities;
mod postings;
mod users;
mod webhooks;

pub use envelope::{Envelope, Page};
pub use opportunities::{
    Application, ApplicationRef, Archived, NewOpportunity, Note, Opportunity, OpportunityUrls, Phone,
    StageChange, Tag,
};
pub use postings::{Posting, PostingCategories, PostingUrls, Stage};
pub use users::User;
pub use webhooks::{NewWebhook, Webhook, WebhookConfiguration};

/// Epoch milliseconds, as Lever sends every time.
pub type EpochMillis = i64;

#[cfg(test)]
mod tests;
