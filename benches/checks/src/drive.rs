//! Driving a phase: stage moves on a schedule, then following the
//! simulator's call log until every moved candidate has its status tag and
//! its note and Vouch's queue is idle (or nothing happens for too long).
use std::collections::HashSet;
use std::time::{Duration, Instant};

use anyhow::bail;

use crate::setup::{now_ms, Graphql};
use crate::sim::{Call, SimClient};

/// Sends the moves, the n-th at `start + n × spacing`, each on its own task
/// (a move is one short control call). Answers the epoch ms of the first.
pub async fn moves(sim: &SimClient, opportunities: &[String], spacing: Duration) -> anyhow::Result<i64> {
    let start = tokio::time::Instant::now();
    let first = now_ms();
    let mut tasks = Vec::with_capacity(opportunities.len());
    for (n, opportunity) in opportunities.iter().enumerate() {
        let sim = sim.clone();
        let opportunity = opportunity.clone();
        let at = start + spacing * n as u32;
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(at).await;
            sim.move_to_trigger(&opportunity).await
        }));
    }
    for task in futures::future::join_all(tasks).await {
        task??;
    }
    Ok(first)
}

/// What the call log showed once the phase drained.
pub struct Drained {
    pub calls: Vec<Call>,
    /// Every opportunity got its note (and Vouch's queue went idle).
    pub complete: bool,
    /// Opportunities that never got a note.
    pub missing: usize,
}

/// Follows the call log from `after` until each of `opportunities` has a
/// created note, then until Vouch has no job running or due. Gives up when
/// the log shows nothing new for `stall`.
pub async fn drain(
    sim: &SimClient,
    gql: &Graphql,
    opportunities: &[String],
    after: u64,
    stall: Duration,
) -> anyhow::Result<Drained> {
    let wanted: HashSet<&str> = opportunities.iter().map(String::as_str).collect();
    let mut noted: HashSet<String> = HashSet::new();
    let mut calls = Vec::new();
    let mut last = after;
    let mut quiet_since = Instant::now();
    let mut progress = Instant::now();
    loop {
        let (new, seq) = sim.calls_after(last).await?;
        last = seq;
        if !new.is_empty() {
            quiet_since = Instant::now();
        }
        for call in &new {
            if call.is_note_created() {
                if let Some(o) = call.opportunity_id.as_deref().filter(|o| wanted.contains(o)) {
                    noted.insert(o.to_owned());
                }
            }
        }
        calls.extend(new);
        let all_noted = noted.len() == wanted.len();
        // Vouch may be down for a moment (phase c); that is "busy".
        if all_noted && gql.busy_jobs().await.unwrap_or(1) == 0 {
            // One last read: the final answers may have landed meanwhile.
            let (new, _) = sim.calls_after(last).await?;
            calls.extend(new);
            return Ok(Drained { calls, complete: true, missing: 0 });
        }
        if quiet_since.elapsed() > stall {
            let missing = wanted.len() - noted.len();
            eprintln!(
                "  gave up: nothing happened in Lever for {} s; {missing} candidate(s) without a note",
                stall.as_secs()
            );
            return Ok(Drained { calls, complete: false, missing });
        }
        if progress.elapsed() > Duration::from_secs(15) {
            progress = Instant::now();
            eprintln!(
                "  … {}/{} notes written, {} Lever calls so far",
                noted.len(),
                wanted.len(),
                calls.len()
            );
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Stops the bench when the phase's calls show something other than Vouch.
pub fn only_vouch(calls: &[Call], credential: &str) -> anyhow::Result<()> {
    if let Some(other) = calls.iter().find(|c| c.credential.as_deref().is_some_and(|c| c != credential)) {
        bail!("a call by another credential ({:?}) reached lever-sim during the bench", other.credential);
    }
    Ok(())
}
