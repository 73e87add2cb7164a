//! Turning the call log into the figures, and printing them: the raw
//! numbers first, then a markdown table ready to paste into the README.
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

use crate::audit::Audit;
use crate::drive::Drained;
use crate::sim::Call;
use crate::{Options, MIN_CALLS_PER_CHECK, MIN_CRITICAL_PATH};

/// The settings a run used, for the printout.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub latency_ms: u64,
    pub bucket_rate: f64,
}

impl Settings {
    pub fn of(o: &Options) -> Self {
        Self { latency_ms: o.latency_ms, bucket_rate: o.bucket_rate }
    }
}

/// Lever calls per triggered check, by endpoint.
#[derive(Debug, Clone, Default)]
pub struct PerCheck {
    pub total: f64,
    pub by_endpoint: BTreeMap<String, f64>,
}

impl PerCheck {
    fn of(calls: &[Call], checks: usize) -> Self {
        let n = checks.max(1) as f64;
        let mut by_endpoint = BTreeMap::new();
        for call in calls {
            *by_endpoint.entry(call.label()).or_insert(0.0) += 1.0 / n;
        }
        Self { total: calls.len() as f64 / n, by_endpoint }
    }

    fn line(&self) -> String {
        let parts: Vec<String> = self.by_endpoint.iter().map(|(e, n)| format!("{e} {n:.2}")).collect();
        format!("{:.2} ({})", self.total, parts.join(", "))
    }
}

pub struct PhaseA {
    pub checks: usize,
    /// Stage changes per second.
    pub rate: f64,
    pub tagged: usize,
    pub latencies_ms: Vec<i64>,
    pub critical_path: usize,
    pub critical_endpoints: Vec<String>,
    pub ideal_ms: f64,
    pub per_check: PerCheck,
    pub throttled: usize,
    /// The slowest checks' timelines, slowest first.
    pub slowest: Vec<String>,
}

pub struct PhaseB {
    pub checks: usize,
    pub complete: bool,
    pub missing: usize,
    pub calls: usize,
    pub throttled: usize,
    pub span_s: f64,
    pub calls_per_s: f64,
    /// The rate after the bucket's initial burst (which goes at once).
    pub steady_per_s: f64,
    pub drain_s: f64,
    pub ideal_s: f64,
    pub per_check: PerCheck,
}

pub struct PhaseC {
    pub checks: usize,
    pub missing: usize,
    pub kill_after_s: f64,
    pub restart_ms: i64,
    pub drain_s: f64,
    pub complete: bool,
    pub calls: usize,
    pub audit: Audit,
}

#[derive(Default)]
pub struct Figures {
    pub options: Settings,
    pub a: Option<PhaseA>,
    pub b: Option<PhaseB>,
    pub c: Option<PhaseC>,
}

/// Nearest-rank quantile of sorted values.
fn quantile(sorted: &[i64], q: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// (a): per check, the webhook's 200 and the tag's time; the calls in
/// between that are this check's (its opportunity's calls, and reads that
/// name no opportunity) are its critical path. Overlapping checks can add
/// a stray read to a window, so the most common count is taken.
pub fn analyse_a(
    o: &Options,
    checks: usize,
    drained: &Drained,
    tagged: &[(String, Option<i64>, Option<i64>)],
) -> PhaseA {
    let mut latencies = Vec::new();
    let mut path_counts: HashMap<usize, (usize, Vec<String>)> = HashMap::new();
    let mut timelines = Vec::new();
    for (n, (id, ok_at, tag_at)) in tagged.iter().enumerate() {
        let (Some(ok_at), Some(tag_at)) = (ok_at, tag_at) else { continue };
        latencies.push(tag_at - ok_at);
        // The job can send its first call a hair before the simulator has
        // read the 200 (the 200 is sent after the commit that wakes it).
        let path: Vec<&Call> = drained
            .calls
            .iter()
            .filter(|c| c.at >= ok_at - 20 && c.at <= *tag_at)
            .filter(|c| c.opportunity_id.as_deref().is_none_or(|o| o == id))
            .collect();
        let entry =
            path_counts.entry(path.len()).or_insert_with(|| (0, path.iter().map(|c| c.label()).collect()));
        entry.0 += 1;
        timelines
            .push((tag_at - ok_at, format!("stage change #{}, {}", n + 1, timeline(*ok_at, *tag_at, &path))));
    }
    timelines.sort_by_key(|(latency, _)| std::cmp::Reverse(*latency));
    latencies.sort_unstable();
    let (critical_path, critical_endpoints) = path_counts
        .into_iter()
        .max_by_key(|(len, (count, _))| (*count, usize::MAX - len))
        .map(|(len, (_, labels))| (len, labels))
        .unwrap_or_default();
    PhaseA {
        checks,
        rate: o.rate,
        tagged: latencies.len(),
        ideal_ms: critical_path as f64 * o.latency_ms as f64,
        latencies_ms: latencies,
        critical_path,
        critical_endpoints,
        per_check: PerCheck::of(&drained.calls, checks),
        throttled: drained.calls.iter().filter(|c| c.status == 429).count(),
        slowest: timelines.into_iter().take(3).map(|(_, t)| t).collect(),
    }
}

/// One check's way from the 200 to the tag: the gaps Vouch spent (before,
/// between and after the calls) and each call's time in Lever.
fn timeline(ok_at: i64, tag_at: i64, path: &[&Call]) -> String {
    let mut parts = vec![format!("{} ms:", tag_at - ok_at)];
    let mut last = ok_at;
    for call in path {
        let name = call.endpoint.rsplit('/').next().unwrap_or_default();
        let name = if name == "{id}" { "opportunity" } else { name };
        parts.push(format!("Vouch {} ms,", call.at - last));
        parts.push(format!("{name} {} ms,", call.done - call.at));
        last = call.done;
    }
    parts.push(format!("tag stored {} ms before the answer", last - tag_at));
    parts.join(" ")
}

/// (b): the drain runs from the first stage change to the last note.
pub fn analyse_b(o: &Options, checks: usize, first_move: i64, drained: &Drained) -> PhaseB {
    let calls = &drained.calls;
    let first = calls.iter().map(|c| c.at).min().unwrap_or(first_move);
    let last = calls.iter().map(|c| c.at).max().unwrap_or(first);
    let span_s = (last - first) as f64 / 1000.0;
    let end = calls.iter().filter(|c| c.is_note_created()).map(|c| c.done).max().unwrap_or(last);
    PhaseB {
        checks,
        complete: drained.complete,
        missing: drained.missing,
        calls: calls.len(),
        throttled: calls.iter().filter(|c| c.status == 429).count(),
        span_s,
        calls_per_s: if span_s > 0.0 { (calls.len().saturating_sub(1)) as f64 / span_s } else { 0.0 },
        steady_per_s: if span_s > 0.0 {
            (calls.len() as f64 - o.bucket_burst).max(0.0) / span_s
        } else {
            0.0
        },
        drain_s: (end - first_move) as f64 / 1000.0,
        ideal_s: MIN_CALLS_PER_CHECK * checks as f64 / o.bucket_rate,
        per_check: PerCheck::of(calls, checks),
    }
}

/// The machine, for the record: CPUs, load, disk.
pub fn machine(dir: &Path) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let nproc = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let df = Command::new("df")
        .arg("-hT")
        .arg(dir)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().last().unwrap_or("").to_owned())
        .unwrap_or_default();
    println!(
        "machine: nproc {nproc}, CPU {cpu}, load average {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    println!("disk (df -hT of the bench folder): {df}");
}

fn ratio(x: f64, y: f64) -> String {
    if y > 0.0 {
        format!("{:.2}", x / y)
    } else {
        "n/a".into()
    }
}

impl Figures {
    pub fn print(&self) {
        let l = self.options.latency_ms;
        let r = self.options.bucket_rate;
        let mut rows: Vec<[String; 3]> = Vec::new();
        println!("\n== raw figures (L = {l} ms per Lever call, Vouch's bucket {r}/s)");
        if let Some(a) = &self.a {
            let p50 = quantile(&a.latencies_ms, 0.5);
            let p99 = quantile(&a.latencies_ms, 0.99);
            println!(
                "(a) checks tagged {}/{}; webhook 200 → status tag: p50 {p50} ms, p99 {p99} ms, max {} ms",
                a.tagged,
                a.checks,
                a.latencies_ms.last().copied().unwrap_or(0)
            );
            println!(
                "    critical path: {} Lever calls ({}), ideal {:.0} ms; minimum the flow needs: {MIN_CRITICAL_PATH}",
                a.critical_path,
                a.critical_endpoints.join(" → "),
                a.ideal_ms
            );
            println!(
                "    p50 ÷ ideal {}, p99 ÷ ideal {}; 429s {}",
                ratio(p50 as f64, a.ideal_ms),
                ratio(p99 as f64, a.ideal_ms),
                a.throttled
            );
            for slow in &a.slowest {
                println!("    slow: {slow}");
            }
            println!("    Lever calls per triggered check: {}", a.per_check.line());
            println!(
                "    Lever calls asked for: {} stage changes/s × {:.2} = {:.2}/s against Vouch's bucket of {r}/s (at or above it, checks queue)",
                a.rate,
                a.per_check.total,
                a.rate * a.per_check.total
            );
            let path = format!("{} calls × {l} ms", a.critical_path);
            rows.push([
                format!("(a) webhook 200 → status tag, p50 ÷ ideal ({path})"),
                format!("{} ({p50} ms)", ratio(p50 as f64, a.ideal_ms)),
                "≤ 1.3".into(),
            ]);
            rows.push([
                format!("(a) p99 ÷ ideal ({path})"),
                format!("{} ({p99} ms)", ratio(p99 as f64, a.ideal_ms)),
                "≤ 1.5".into(),
            ]);
        }
        if let Some(b) = &self.b {
            println!(
                "(b) {} checks{}: {} Lever calls over {:.1} s = {:.2}/s ({:.2}/s after the bucket's initial burst); 429s {}; drain (first stage change → last note) {:.1} s, ideal {:.1} s ({} calls ÷ {r}/s)",
                b.checks,
                if b.complete { String::new() } else { format!(" (INCOMPLETE: {} without a note)", b.missing) },
                b.calls,
                b.span_s,
                b.calls_per_s,
                b.steady_per_s,
                b.throttled,
                b.drain_s,
                b.ideal_s,
                MIN_CALLS_PER_CHECK * b.checks as f64
            );
            println!("    Lever calls per triggered check: {}", b.per_check.line());
            rows.push([
                "(b) Lever calls/s during the drain ÷ bucket rate".into(),
                format!("{} ({:.2}/s ÷ {r}/s)", ratio(b.calls_per_s, r), b.calls_per_s),
                "≥ 0.97".into(),
            ]);
            rows.push([
                "(b) 429s ÷ all calls".into(),
                format!("{} ({} of {})", ratio(b.throttled as f64, b.calls as f64), b.throttled, b.calls),
                "0".into(),
            ]);
            rows.push([
                "(b) drain time ÷ ideal (calls needed ÷ bucket rate)".into(),
                format!("{} ({:.1} s ÷ {:.1} s)", ratio(b.drain_s, b.ideal_s), b.drain_s, b.ideal_s),
                "≤ 1.05".into(),
            ]);
        }
        if let Some(c) = &self.c {
            let a = &c.audit;
            println!(
                "(c) {} checks{}; SIGKILL at +{:.1} s, serving again after {} ms; drained at +{:.1} s with {} Lever calls",
                c.checks,
                if c.complete { String::new() } else { format!(" (INCOMPLETE: {} without a note)", c.missing) },
                c.kill_after_s,
                c.restart_ms,
                c.drain_s,
                c.calls
            );
            println!(
                "    no check {}, duplicate checks {}, no status tag {}, extra status tags {}, duplicate notes {}, not exactly one current note {}, no e-mail {}, duplicate e-mails {}",
                a.no_check, a.duplicate_checks, a.no_tag, a.extra_status_tags, a.duplicate_notes, a.wrong_current_notes, a.no_email, a.duplicate_emails
            );
            rows.push([
                format!("(c) checks that never got their tag (SIGKILL at +{:.1} s)", c.kill_after_s),
                format!("{} of {}", a.no_tag, c.checks),
                "0".into(),
            ]);
            rows.push([
                "(c) duplicate notes / duplicate e-mails".into(),
                format!("{} / {}", a.duplicate_notes, a.duplicate_emails),
                "0 / 0".into(),
            ]);
        }
        let per_check =
            self.a.as_ref().map(|a| a.per_check.total).or(self.b.as_ref().map(|b| b.per_check.total));
        if let Some(per_check) = per_check {
            rows.push([
                "Lever calls per triggered check".into(),
                format!("{per_check:.2}"),
                format!("minimum {MIN_CALLS_PER_CHECK:.0}"),
            ]);
        }
        println!("\n| measure | figure | target |\n|---|---|---|");
        for [m, f, t] in rows {
            println!("| {m} | {f} | {t} |");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn nearest_rank() {
        let v: Vec<i64> = (1..=100).collect();
        assert_eq!(quantile(&v, 0.5), 50);
        assert_eq!(quantile(&v, 0.99), 99);
        assert_eq!(quantile(&[7], 0.99), 7);
        assert_eq!(quantile(&[], 0.5), 0);
    }
}
