//! `bench-checks`: the end-to-end checks benchmark of issue 7 item 8 (see
//! README.md). `vouch serve` (SQLite) against `lever-sim` with a fixed
//! latency on every Lever call and Lever's rate limit; stage moves made
//! through the simulator's control API reach Vouch as signed webhooks.
//!
//! (a) 2 stage changes a second for 60 s: webhook 200 → status tag stored,
//!     p50/p99 ÷ (Lever calls on the critical path × latency).
//! (b) 500 stage changes in one second: Lever calls/s during the drain ÷
//!     the client's bucket rate, 429s ÷ calls, drain time ÷ ideal.
//! (c) the same backlog, `vouch serve` SIGKILLed at a random point and
//!     started again: checks without their tag, duplicate notes, duplicate
//!     e-mails.
//!
//! Prints figures, never passes or fails.
mod audit;
mod drive;
mod procs;
mod report;
mod setup;
mod sim;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};
use rand::{Rng, SeedableRng};

use crate::drive::{drain, moves, only_vouch};
use crate::procs::{Running, Vouch};
use crate::report::{Figures, PhaseA, PhaseB, PhaseC};
use crate::setup::{now_ms, Graphql};
use crate::sim::{SimClient, API_KEY};

/// The fewest Lever calls one triggered check needs on a fresh
/// opportunity, and how many of them come before the status tag is
/// visible (README.md says why).
pub const MIN_CALLS_PER_CHECK: f64 = 3.0;
pub const MIN_CRITICAL_PATH: usize = 2;

pub struct Options {
    pub latency_ms: u64,
    pub rate: f64,
    pub seconds: u64,
    pub backlog: usize,
    pub bucket_rate: f64,
    pub bucket_burst: f64,
    pub phases: String,
    pub seed: u64,
    pub workers: Option<usize>,
    pub vouch: PathBuf,
    pub lever_sim: PathBuf,
    pub keep: bool,
}

const USAGE: &str = "flags: --latency-ms L (50) --rate N (2 stage changes/s in a) --seconds S (60, a) \
--backlog N (500, b and c) --bucket-rate R --bucket-burst B (8 and 16, Vouch's per-connection bucket) --phases abc \
--seed N (kill point of c) --workers N (VOUCH_JOB_WORKERS; default Vouch's) \
--vouch PATH --lever-sim PATH --keep (keep the bench folder)";

fn options() -> anyhow::Result<Options> {
    let here = std::env::current_exe()?;
    let mut o = Options {
        latency_ms: 50,
        rate: 2.0,
        seconds: 60,
        backlog: 500,
        bucket_rate: 8.0,
        bucket_burst: 16.0,
        phases: "abc".into(),
        seed: rand::random::<u32>() as u64,
        workers: None,
        vouch: here.with_file_name("vouch"),
        lever_sim: here.with_file_name("lever-sim"),
        keep: false,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().cloned().with_context(|| format!("{flag} needs a value; {USAGE}"));
        match flag.as_str() {
            "--latency-ms" => o.latency_ms = value()?.parse()?,
            "--rate" => o.rate = value()?.parse()?,
            "--seconds" => o.seconds = value()?.parse()?,
            "--backlog" => o.backlog = value()?.parse()?,
            "--bucket-rate" => o.bucket_rate = value()?.parse()?,
            "--bucket-burst" => o.bucket_burst = value()?.parse()?,
            "--phases" => o.phases = value()?,
            "--seed" => o.seed = value()?.parse()?,
            "--workers" => o.workers = Some(value()?.parse()?),
            "--vouch" => o.vouch = PathBuf::from(value()?),
            "--lever-sim" => o.lever_sim = PathBuf::from(value()?),
            "--keep" => o.keep = true,
            "-h" | "--help" => {
                println!("bench-checks: {USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown flag {other}; {USAGE}"),
        }
    }
    if o.phases.is_empty() || o.phases.chars().any(|c| !"abc".contains(c)) {
        bail!("--phases takes letters of abc, got {:?}", o.phases);
    }
    if o.rate <= 0.0 || o.bucket_rate <= 0.0 || o.backlog == 0 || o.seconds == 0 {
        bail!("--rate, --bucket-rate, --backlog and --seconds must be above 0");
    }
    for binary in [&o.vouch, &o.lever_sim] {
        if !binary.is_file() {
            bail!(
                "{} is missing: build it with `cargo build --release -p vouch -p lever-sim`",
                binary.display()
            );
        }
    }
    Ok(o)
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|_| uuid::Uuid::new_v4().to_string()).collect()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let o = options()?;
    let n_a = (o.rate * o.seconds as f64).round() as usize;
    let a_ids = if o.phases.contains('a') { ids(n_a) } else { Vec::new() };
    let b_ids = if o.phases.contains('b') { ids(o.backlog) } else { Vec::new() };
    let c_ids = if o.phases.contains('c') { ids(o.backlog) } else { Vec::new() };
    let all: Vec<String> = a_ids.iter().chain(&b_ids).chain(&c_ids).cloned().collect();

    let dir = tempfile::Builder::new()
        .prefix("bench-checks-")
        .tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| ".".into()))?;
    let dir_path = dir.path().to_owned();
    // Dropping the guard deletes the folder; --keep lets it stay.
    let _guard = if o.keep {
        let _ = dir.keep();
        None
    } else {
        Some(dir)
    };
    report::machine(&dir_path);
    let seed_path = dir_path.join("seed.json");
    std::fs::write(&seed_path, serde_json::to_vec_pretty(&sim::seed(&all))?)?;

    let (_sim_process, sim_base) = procs::start_sim(&o.lever_sim, &dir_path, &seed_path).await?;
    let sim = SimClient::new(&sim_base);
    let mut vouch = Vouch::new(o.vouch.clone(), &dir_path, &sim_base, o.workers)?;
    vouch.create_admin("Bench Company", setup::ADMIN_EMAIL, setup::ADMIN_PASSWORD)?;
    let mut server = vouch.serve().await?;
    let mut gql = Graphql::new(&vouch.base());
    let ready = setup::prepare(&mut gql).await.context("setting Vouch up")?;
    sim.set_latency(o.latency_ms).await?;
    println!(
        "set-up: lever-sim {sim_base} (latency {} ms per call, 10/s burst 20 per key), vouch serve {} (SQLite, synchronous=FULL, \
         workers {}), connection {}, one rule: stage \"{}\" → a self-assessment; bench folder {}",
        o.latency_ms,
        vouch.base(),
        o.workers.map_or_else(|| "default".to_owned(), |w| w.to_string()),
        ready.connection_id,
        sim::STAGE_TEXT,
        dir_path.display()
    );

    let mut figures = Figures { options: report::Settings::of(&o), ..Figures::default() };
    if !a_ids.is_empty() {
        figures.a = Some(phase_a(&o, &sim, &gql, &a_ids).await?);
    }
    if !b_ids.is_empty() {
        figures.b = Some(phase_b(&o, &sim, &gql, &b_ids).await?);
    }
    if !c_ids.is_empty() {
        figures.c = Some(phase_c(&o, &sim, &gql, &c_ids, &mut vouch, &mut server).await?);
    }
    figures.print();
    if o.keep {
        println!("\nbench folder kept: {}", dir_path.display());
    }
    Ok(())
}

async fn phase_a(o: &Options, sim: &SimClient, gql: &Graphql, ids: &[String]) -> anyhow::Result<PhaseA> {
    println!("\n== (a) {} stage changes, {}/s for {} s", ids.len(), o.rate, o.seconds);
    sim.reset_stats().await?;
    moves(sim, ids, Duration::from_secs_f64(1.0 / o.rate)).await?;
    let drained = drain(sim, gql, ids, 0, Duration::from_secs(120)).await?;
    only_vouch(&drained.calls, &format!("key:{API_KEY}"))?;
    let delivered = sim.stage_change_200s().await?;
    let mut tagged = Vec::new();
    for id in ids {
        let at = sim.tags(id).await?.into_iter().find(|t| t.text == sim::STATUS_TAG).and_then(|t| t.added_at);
        tagged.push((id.clone(), delivered.get(id).map(|d| d.0), at));
    }
    Ok(report::analyse_a(o, ids.len(), &drained, &tagged))
}

async fn phase_b(o: &Options, sim: &SimClient, gql: &Graphql, ids: &[String]) -> anyhow::Result<PhaseB> {
    println!("\n== (b) backlog: {} stage changes in one second", ids.len());
    sim.reset_stats().await?;
    let first_move = moves(sim, ids, Duration::from_secs(1) / ids.len() as u32).await?;
    let drained = drain(sim, gql, ids, 0, Duration::from_secs(120)).await?;
    only_vouch(&drained.calls, &format!("key:{API_KEY}"))?;
    Ok(report::analyse_b(o, ids.len(), first_move, &drained))
}

async fn phase_c(
    o: &Options,
    sim: &SimClient,
    gql: &Graphql,
    ids: &[String],
    vouch: &mut Vouch,
    server: &mut Running,
) -> anyhow::Result<PhaseC> {
    println!("\n== (c) backlog of {} with SIGKILL and restart", ids.len());
    sim.reset_stats().await?;
    let expected = MIN_CALLS_PER_CHECK * ids.len() as f64 / o.bucket_rate;
    let mut rng = rand::rngs::StdRng::seed_from_u64(o.seed);
    let kill_after = rng.gen_range(1.0..(0.9 * expected).max(1.5));
    println!(
        "  SIGKILL {kill_after:.1} s after the first stage change (--seed {}; ideal drain {expected:.0} s)",
        o.seed
    );
    let spacing = Duration::from_secs(1) / ids.len() as u32;
    let first_move = moves(sim, ids, spacing).await?;
    let kill_at = first_move + (kill_after * 1000.0) as i64;
    tokio::time::sleep(Duration::from_millis(u64::try_from(kill_at - now_ms()).unwrap_or(0))).await;
    server.kill()?;
    let killed = now_ms();
    *server = vouch.serve().await?;
    let restarted = now_ms();
    println!(
        "  killed at +{:.1} s, serving again {} ms later",
        (killed - first_move) as f64 / 1000.0,
        restarted - killed
    );
    let drained = drain(sim, gql, ids, 0, Duration::from_secs(150)).await?;
    only_vouch(&drained.calls, &format!("key:{API_KEY}"))?;
    let audit = audit::run(sim, &vouch.database_url(), ids).await?;
    Ok(PhaseC {
        checks: ids.len(),
        missing: drained.missing,
        kill_after_s: (killed - first_move) as f64 / 1000.0,
        restart_ms: restarted - killed,
        drain_s: drained.calls.iter().map(|c| c.done).max().map_or(0.0, |d| (d - first_move) as f64 / 1000.0),
        complete: drained.complete,
        calls: drained.calls.len(),
        audit,
    })
}
