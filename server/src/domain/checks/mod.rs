//! Checks: a template step (self-assessment or reference check) run for one
//! candidate, from the Lever stage change that starts it to the report.
//!
//! - [`status`]: the statuses and the one pure `transition` function.
//! - [`store`]: reading checks by organization; `apply` is the only writer
//!   of a status (optimistic concurrency, timeline, Lever write job, all in
//!   the caller's transaction).
//! - [`start`]: a new check from a resolution decision (supersedes the open
//!   one of the same step; BLOCKED without an e-mail address).
//! - [`events`]: the webhook [`crate::webhooks::EventProcessor`]: re-reads
//!   the opportunity from Lever, keeps projects and members current, starts,
//!   cancels, purges.
//! - [`public`]: what token holders (candidates, referees) may do, without
//!   signing in; [`tokens`] are single-purpose and stored hashed.
//! - [`admin`]: listing, the report, cancelling.
//! - [`lever_write`]: the job that writes the CURRENT status into Lever (a
//!   tag and the check's note), so a late run never writes an older status.
//! - [`recheck`]: blocked checks start once Lever has an address.
//! - [`deadlines`]: reminders before `expires_at`, EXPIRED after it.
pub mod admin;
pub mod answers;
pub mod closing;
pub mod deadlines;
pub mod events;
pub mod lever_write;
pub mod public;
pub mod recheck;
pub mod start;
pub mod status;
pub mod store;
pub mod timeline;
pub mod tokens;

/// How long a check's links work.
pub const LINK_DAYS: i64 = 14;

/// Links Vouch puts in e-mails and Lever notes.
pub mod links {
    use uuid::Uuid;

    /// The public page a token opens.
    pub fn respond(public_url: &url::Url, token: &str) -> String {
        join(public_url, &format!("respond/{token}"))
    }

    /// The admin report of a check.
    pub fn report(public_url: &url::Url, check_id: Uuid) -> String {
        join(public_url, &format!("checks/{check_id}"))
    }

    /// The admin page of a candidate.
    pub fn candidate(public_url: &url::Url, candidate_id: Uuid) -> String {
        join(public_url, &format!("candidates/{candidate_id}"))
    }

    fn join(base: &url::Url, path: &str) -> String {
        base.join(path).map(|u| u.to_string()).unwrap_or_else(|_| format!("{base}{path}"))
    }
}
