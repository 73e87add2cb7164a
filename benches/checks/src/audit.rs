//! Phase (c)'s audit, per check, once the queue is idle: in Lever (the
//! simulator), the status tag and the notes ever created (deleted ones
//! included: a note written twice is a duplicate even if one was removed
//! later); in Vouch's database, the checks per opportunity and the
//! candidate-link e-mails in the outbox.
use std::collections::HashMap;

use futures::StreamExt;
use sqlx::Row;

use crate::sim::{SimClient, STATUS_TAG};

/// What the audit found (every count but `checks` should be 0).
#[derive(Debug, Clone, Default)]
pub struct Audit {
    /// Opportunities without a check in Vouch.
    pub no_check: usize,
    /// Checks beyond one per opportunity.
    pub duplicate_checks: usize,
    /// Opportunities without `Vouch Status: Sent` in Lever.
    pub no_tag: usize,
    /// Opportunities with more than one `Vouch Status: …` tag.
    pub extra_status_tags: usize,
    /// Notes created beyond one per opportunity (deleted ones counted).
    pub duplicate_notes: usize,
    /// Opportunities without exactly one current note.
    pub wrong_current_notes: usize,
    /// Candidate-link e-mails beyond one per candidate.
    pub duplicate_emails: usize,
    /// Candidates without a candidate-link e-mail.
    pub no_email: usize,
}

/// Audits the moved candidates `ids` (seeded so that the n-th candidate
/// overall has the address `candidate-<n>@bench.example`; the address is
/// found through Vouch's checks, so the numbering does not matter here).
pub async fn run(sim: &SimClient, database_url: &str, ids: &[String]) -> anyhow::Result<Audit> {
    let mut audit = Audit::default();
    let lever: Vec<anyhow::Result<(usize, usize, usize, usize)>> = futures::stream::iter(ids.iter().cloned())
        .map(|id| async move {
            let tags = sim.tags(&id).await?;
            let notes = sim.notes(&id).await?;
            let status_tags = tags.iter().filter(|t| t.text.starts_with("Vouch Status:")).count();
            let sent = tags.iter().filter(|t| t.text == STATUS_TAG).count();
            let current = notes.iter().filter(|n| n.deleted_at.is_none()).count();
            Ok((sent, status_tags, notes.len(), current))
        })
        .buffer_unordered(8)
        .collect()
        .await;
    for row in lever {
        let (sent, status_tags, created, current) = row?;
        audit.no_tag += usize::from(sent == 0);
        audit.extra_status_tags += usize::from(status_tags > 1);
        audit.duplicate_notes += created.saturating_sub(1);
        audit.wrong_current_notes += usize::from(current != 1);
    }

    let url = database_url.replace("?mode=rwc", "?mode=ro");
    let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect(&url).await?;
    let mut checks: HashMap<String, Vec<String>> = HashMap::new();
    for row in sqlx::query("SELECT lever_opportunity_id, id FROM checks").fetch_all(&pool).await? {
        let opportunity: String = row.try_get(0)?;
        let id: String = text_or_uuid(&row, 1)?;
        checks.entry(opportunity).or_default().push(id);
    }
    let mut emails: HashMap<String, usize> = HashMap::new();
    for row in
        sqlx::query("SELECT check_id FROM outbox WHERE kind = 'CANDIDATE_LINK' AND check_id IS NOT NULL")
            .fetch_all(&pool)
            .await?
    {
        *emails.entry(text_or_uuid(&row, 0)?).or_default() += 1;
    }
    pool.close().await;
    for id in ids {
        let of_opportunity = checks.get(id).cloned().unwrap_or_default();
        audit.no_check += usize::from(of_opportunity.is_empty());
        audit.duplicate_checks += of_opportunity.len().saturating_sub(1);
        let sent: usize = of_opportunity.iter().map(|c| emails.get(c).copied().unwrap_or(0)).sum();
        audit.no_email += usize::from(sent == 0);
        audit.duplicate_emails += sent.saturating_sub(1);
    }
    Ok(audit)
}

/// sea-orm stores UUIDs in SQLite as text or as 16-byte blobs depending on
/// the column; read either as the hyphenated text.
fn text_or_uuid(row: &sqlx::sqlite::SqliteRow, index: usize) -> anyhow::Result<String> {
    if let Ok(text) = row.try_get::<String, _>(index) {
        return Ok(text);
    }
    let bytes: Vec<u8> = row.try_get(index)?;
    Ok(uuid::Uuid::from_slice(&bytes)?.to_string())
}
