//! `bench-ingest`: the webhook ingest benchmark of issue 5 (see README.md).
//!
//! `bench-ingest` runs everything and prints the figures;
//! `bench-ingest baseline-server URL` is the baseline child process.
//! Everything binds 127.0.0.1 and the run is bounded (about three minutes
//! with the default 5 s per measurement).
mod baseline;
mod load;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use entity::lever_connection::ConnectionStatus;
use load::{Bodies, Outcome};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use vouch::secrets::SecretKey;
use vouch_tests::lever_webhooks::{add_token, event, secret_store, seed_connection, webhook_url};

const TOKEN: &str = "whsec-bench-ingest";
const ROUNDS: usize = 3;
/// Vouch's `--webhook-max-in-flight` (its default, passed explicitly):
/// past this many requests at once it sheds.
const VOUCH_IN_FLIGHT: usize = 512;
/// Connections of the overload run: twice what Vouch takes at once, so the
/// excess reaches its load shedding, but bounded, so the generator does not
/// overflow the listen backlog with thousands of connection set-ups at once
/// (which fails as transport errors, a figure of the loopback, not Vouch).
const OVERLOAD_CONNECTIONS: usize = 2 * VOUCH_IN_FLIGHT;

struct Options {
    seconds: u64,
    concurrency: usize,
    postgres: Option<String>,
    sqlite: bool,
    vouch: PathBuf,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("baseline-server") {
        return baseline::serve(args.get(2).context("baseline-server DATABASE_URL")?).await;
    }
    let mut options = Options {
        seconds: 5,
        concurrency: 64,
        postgres: std::env::var("VOUCH_TEST_POSTGRES_URL").ok(),
        sqlite: true,
        vouch: std::env::current_exe()?.with_file_name("vouch"),
    };
    let mut rest = args.iter().skip(1);
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().cloned().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--seconds" => options.seconds = value()?.parse()?,
            "--concurrency" => options.concurrency = value()?.parse()?,
            "--postgres" => options.postgres = Some(value()?),
            "--no-postgres" => options.postgres = None,
            "--no-sqlite" => options.sqlite = false,
            "--vouch" => options.vouch = PathBuf::from(value()?),
            other => bail!("unknown flag {other}; flags: --seconds N --concurrency N --postgres URL --no-postgres --no-sqlite --vouch PATH"),
        }
    }
    if !options.vouch.is_file() {
        bail!("{} is missing: build it with `cargo build --release -p vouch`", options.vouch.display());
    }
    let dir = tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| ".".into()))?;
    let machine = machine(dir.path());
    println!("{machine}");
    let fsync = fsync_times(dir.path())?;
    println!(
        "fsync (4 KiB write + fdatasync, same disk), first probe: p50 {:.3} ms, p99 {:.3} ms",
        load::quantile_ms(&fsync, 0.5),
        load::quantile_ms(&fsync, 0.99)
    );

    let mut reports = Vec::new();
    if options.sqlite {
        println!("\n== SQLite (WAL, synchronous=FULL)");
        let sqlite_vouch = format!("sqlite://{}?mode=rwc", dir.path().join("vouch.db").display());
        let sqlite_base = format!("sqlite://{}", dir.path().join("baseline.db").display());
        let report = engine("SQLite", &options, dir.path(), &sqlite_vouch, &sqlite_base, Some(fsync)).await;
        reports.push(report.inspect_err(|_| show_vouch_logs(dir.path()))?);
    }
    if let Some(pg) = options.postgres.clone() {
        let (vouch_url, base_url) = (fresh_pg(&pg, "vouch").await?, fresh_pg(&pg, "baseline").await?);
        let settings = pg_settings(&vouch_url).await?;
        println!("\n== PostgreSQL ({settings})");
        let report = engine("PostgreSQL", &options, dir.path(), &vouch_url, &base_url, None).await;
        // The servers have stopped: drop the bench's databases, whatever happened.
        for url in [&vouch_url, &base_url] {
            drop_pg(&pg, url).await;
        }
        reports.push(report.inspect_err(|_| show_vouch_logs(dir.path()))?);
    }
    markdown(&reports, &options, &machine);
    Ok(())
}

/// After a failure, the end of each Vouch log (the bench folder is removed
/// on exit).
fn show_vouch_logs(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.flatten().map(|e| e.path()) {
        let is_log = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("vouch-"));
        if let (true, Ok(text)) = (is_log, std::fs::read_to_string(&path)) {
            let lines: Vec<_> = text.lines().collect();
            eprintln!("--- last lines of {}:", path.display());
            for line in &lines[lines.len().saturating_sub(30)..] {
                eprintln!("{line}");
            }
        }
    }
}

fn machine(dir: &Path) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let nproc = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let df = Command::new("df")
        .arg("-hT")
        .arg(dir)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().last().unwrap_or("").to_owned())
        .unwrap_or_default();
    let df = df.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    format!("machine: {nproc} cores ({cpu}), {}; disk of the bench folder: {df}", memory())
}

fn memory() -> String {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            let kib: f64 =
                s.lines().find(|l| l.starts_with("MemTotal"))?.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.0} GiB RAM", kib / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "RAM unknown".into())
}

/// 200 times: write 4 KiB at the end of a file and `fdatasync` it. Run at
/// the start and again before each round; the samples are pooled.
fn fsync_times(dir: &Path) -> anyhow::Result<Vec<Duration>> {
    let mut file = std::fs::File::create(dir.join("fsync.probe"))?;
    let block = vec![7u8; 4096];
    let mut times = Vec::new();
    for _ in 0..200 {
        let start = Instant::now();
        file.write_all(&block)?;
        file.sync_data()?;
        times.push(start.elapsed());
    }
    Ok(times)
}

/// The server's durability settings, refused unless they make a commit durable.
async fn pg_settings(url: &str) -> anyhow::Result<String> {
    let db = sea_orm::Database::connect(url).await?;
    let mut shown = Vec::new();
    for name in ["synchronous_commit", "fsync", "server_version"] {
        let row = db
            .query_one_raw(Statement::from_string(sea_orm::DatabaseBackend::Postgres, format!("SHOW {name}")))
            .await?
            .context("SHOW answers a row")?;
        shown.push((name, row.try_get_by_index::<String>(0)?));
    }
    if shown.iter().any(|(name, value)| (*name == "synchronous_commit" || *name == "fsync") && value != "on")
    {
        bail!("PostgreSQL must run with synchronous_commit=on and fsync=on for this bench: {shown:?}");
    }
    Ok(shown.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join(", "))
}

/// Drops a database `fresh_pg` made (best effort: a leftover is reported).
async fn drop_pg(admin_url: &str, url: &str) {
    let Some(name) = url.rsplit('/').next() else { return };
    let dropped = match sea_orm::Database::connect(admin_url).await {
        Ok(db) => {
            db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.map(|_| ())
        }
        Err(e) => Err(e),
    };
    if let Err(e) = dropped {
        eprintln!("could not drop the bench database {name}: {e}");
    }
}

async fn fresh_pg(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let db = sea_orm::Database::connect(admin_url).await?;
    let database = format!("bench_{name}_{}", uuid::Uuid::new_v4().simple());
    db.execute_unprepared(&format!("CREATE DATABASE {database}")).await?;
    let (base, _) = admin_url.rsplit_once('/').context("a PostgreSQL URL ends in /DATABASE")?;
    Ok(format!("{base}/{database}"))
}

/// A child process killed when dropped.
struct Running(Child);
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sends `SIG<name>` to a child (`kill -STOP`: pause, `kill -CONT`: resume).
fn signal(child: &Running, name: &str) -> anyhow::Result<()> {
    let status = Command::new("kill").arg(format!("-{name}")).arg(child.0.id().to_string()).status()?;
    if !status.success() {
        bail!("kill -{name} {} failed: {status}", child.0.id());
    }
    Ok(())
}

fn start_baseline(url: &str) -> anyhow::Result<(Running, String)> {
    let mut child = Command::new(std::env::current_exe()?)
        .args(["baseline-server", url])
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().context("stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let address =
        line.trim().strip_prefix("listening ").context("the baseline announces its address")?.to_owned();
    Ok((Running(child), format!("http://{address}")))
}

async fn start_vouch(
    options: &Options,
    dir: &Path,
    url: &str,
    key: &str,
) -> anyhow::Result<(Running, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let log = std::fs::File::create(dir.join(format!("vouch-{port}.log")))?;
    let child = Command::new(&options.vouch)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--database-url", url, "--secret-key", key])
        .args(["--catch-up-interval-secs", "0"])
        .args(["--webhook-max-in-flight", &VOUCH_IN_FLIGHT.to_string(), "--data-dir"])
        .arg(dir.join("data"))
        .arg("--web-dir")
        .arg(dir.join("web"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()?;
    let running = Running(child);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if matches!(client.get(format!("{base}/healthz")).send().await, Ok(r) if r.status().is_success()) {
            return Ok((running, base));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("vouch serve did not answer /healthz within 30 s (see {})", dir.display())
}

async fn count(db: &DatabaseConnection, table: &str, prefix: &str) -> anyhow::Result<i64> {
    let backend = db.get_database_backend();
    let marker = if backend == sea_orm::DatabaseBackend::Postgres { "$1" } else { "?" };
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE token LIKE {marker}");
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [format!("{prefix}%").into()]))
        .await?
        .context("a count")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// Waits (at most 60 s) until the WAL the earlier phases left has been
/// copied back into the SQLite database file, by Vouch's background
/// checkpoint or this one, and says how long that took (nothing on
/// PostgreSQL). While another checkpoint is under way SQLite answers -1
/// (see `checkpoint::run_once`): it is asked again shortly.
async fn settle(db: &DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
        return Ok(());
    }
    let started = Instant::now();
    let mut attempts = 0;
    let last = loop {
        attempts += 1;
        let done = vouch::db::checkpoint::run_once(db).await?;
        if matches!(done, Some(d) if d.copied == d.frames) || started.elapsed() > Duration::from_secs(60) {
            break done;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let state = last.map(|d| format!("{} of {} WAL pages copied", d.copied, d.frames));
    println!(
        "  WAL checkpointed in {:.1} s ({attempts} attempts; {})",
        started.elapsed().as_secs_f64(),
        state.as_deref().unwrap_or("a checkpoint still under way")
    );
    Ok(())
}

/// The bare POST's body: nothing to parse.
fn bare_bodies() -> Bodies {
    Arc::new(|_| b"{}".to_vec())
}

fn signed(prefix: String, signing_token: &'static str) -> Bodies {
    Arc::new(move |n| {
        let body = event(
            signing_token,
            "candidateHired",
            &format!("opp-{n}"),
            1_763_900_000_000 + n as i64,
            &format!("{prefix}-{n}"),
        );
        serde_json::to_vec(&body).unwrap_or_default()
    })
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    sorted[sorted.len() / 2]
}

fn line(name: &str, outcome: &Outcome, status: u16) {
    println!(
        "  {name:<28} {:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  statuses {:?}{}",
        outcome.rate(status),
        outcome.quantile_ms(0.5),
        outcome.quantile_ms(0.99),
        outcome.statuses,
        if outcome.errors > 0 { format!("  transport errors {}", outcome.errors) } else { String::new() }
    );
}

/// Every response was `status`, or a 503 with `Retry-After` (load shed or
/// the database could not commit: a figure, not a failure); no transport
/// error.
fn answered(what: &str, outcome: &Outcome, status: u16) -> anyhow::Result<()> {
    if outcome.errors > 0 || outcome.statuses.keys().any(|s| *s != status && *s != 503) {
        bail!(
            "{what}: expected {status} (or 503), got {:?} and {} transport errors",
            outcome.statuses,
            outcome.errors
        );
    }
    if outcome.retry_after != outcome.count(503) {
        bail!(
            "{what}: {} of {} 503s lacked Retry-After",
            outcome.count(503) - outcome.retry_after,
            outcome.count(503)
        );
    }
    Ok(())
}

fn check(what: &str, stored: i64, expected: usize) -> anyhow::Result<()> {
    if stored != expected as i64 {
        bail!("{what}: {stored} rows stored but {expected} expected");
    }
    Ok(())
}

/// One measured figure: rate (of the counted status), p50, p99, and the
/// 503s among the answers.
#[derive(Clone, Copy)]
struct Figure {
    rate: f64,
    p50: f64,
    p99: f64,
    shed: usize,
}

impl Figure {
    fn of(outcome: &Outcome, status: u16) -> Self {
        Self {
            rate: outcome.rate(status),
            p50: outcome.quantile_ms(0.5),
            p99: outcome.quantile_ms(0.99),
            shed: outcome.count(503),
        }
    }

    /// The median of each part over the rounds.
    fn median(rounds: &[Figure]) -> Self {
        let part = |f: fn(&Figure) -> f64| median(&rounds.iter().map(f).collect::<Vec<_>>());
        Self {
            rate: part(|f| f.rate),
            p50: part(|f| f.p50),
            p99: part(|f| f.p99),
            shed: rounds.iter().map(|f| f.shed).sum(),
        }
    }
}

/// What one engine's run measured, for the closing tables.
struct EngineReport {
    engine: &'static str,
    bare: Figure,
    twin: Figure,
    vouch: Figure,
    /// Deliveries per committed batch and the mean time a batch took to
    /// write and commit (ms), from Vouch's own metrics.
    per_commit: Option<(f64, f64)>,
    sqlite: Option<SqliteExtras>,
}

struct SqliteExtras {
    fsync_p50: f64,
    fsync_p99: f64,
    half: Figure,
    half_rate: f64,
    bare_half: Figure,
    bad: Figure,
    bad_rows: i64,
    duplicate: Figure,
    duplicate_rows: i64,
    overload_rate: f64,
    overload_200: usize,
    overload_503: usize,
    overload_retry_after: usize,
    overload_missing: i64,
}

/// Deliveries per commit, from Vouch's `/metrics` (counters since start).
async fn per_commit(client: &reqwest::Client, base: &str) -> Option<(f64, f64)> {
    let text = client.get(format!("{base}/metrics")).send().await.ok()?.text().await.ok()?;
    let sum = |name: &str| -> f64 {
        text.lines()
            .filter(|l| l.starts_with(name))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    };
    let commits = sum("lever_webhook_commits_total");
    let answered = sum("lever_webhook_commit_batch_size_sum");
    // Every batch, committed or not, is timed.
    let (seconds, timed) =
        (sum("lever_webhook_commit_seconds_sum"), sum("lever_webhook_commit_seconds_count"));
    (commits > 0.0 && answered > 0.0 && timed > 0.0).then(|| (answered / commits, seconds * 1000.0 / timed))
}

/// Three alternating rounds of bare / twin / Vouch, then, on SQLite, the
/// open-loop latency, refused and duplicate rates, and overload.
async fn engine(
    engine: &'static str,
    options: &Options,
    dir: &Path,
    vouch_url: &str,
    base_url: &str,
    mut fsync: Option<Vec<Duration>>,
) -> anyhow::Result<EngineReport> {
    let parsed = vouch::db::DatabaseUrl::parse(vouch_url).map_err(|e| anyhow::anyhow!("{e}"))?;
    let vouch_db = vouch::db::connect(&parsed).await?;
    vouch::db::migrate(&vouch_db, &parsed).await?;
    let key = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    let secrets = secret_store(&SecretKey::parse(&key).map_err(|e| anyhow::anyhow!("{e}"))?);
    let org = vouch::domain::organizations::find_or_create(&vouch_db, "Bench")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .id;
    let connection = seed_connection(&vouch_db, org, ConnectionStatus::Connected).await;
    add_token(&vouch_db, &secrets, org, connection, None, TOKEN).await;

    let (_baseline, base) = start_baseline(base_url)?;
    let base_db = sea_orm::Database::connect(base_url).await?;
    let (vouch_process, vouch) = start_vouch(options, dir, vouch_url, &key).await?;
    let target = webhook_url(&vouch, connection);
    let client = reqwest::Client::new();
    let seconds = Duration::from_secs(options.seconds);
    let c = options.concurrency;
    let run = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();

    let (mut bare, mut twin, mut ingest) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        println!(" round {}", round + 1);
        // Vouch's job workers work off the deliveries of the round before
        // (as deployed); stopped while the baselines run, so that work is
        // not charged to them.
        signal(&vouch_process, "STOP")?;
        // The disk's fsync time drifts over a run: it is probed again each
        // round (nothing else running), and (ii) and (iv) use all samples.
        if let Some(samples) = fsync.as_mut() {
            samples.extend(fsync_times(dir)?);
        }
        let o = load::closed(&format!("{base}/bare"), c, seconds, bare_bodies()).await;
        line("baseline bare POST", &o, 200);
        answered("bare POST", &o, 200)?;
        bare.push(Figure::of(&o, 200));
        let prefix = format!("{run}-twin{round}");
        let o = load::closed(&format!("{base}/insert"), c, seconds, signed(prefix.clone(), TOKEN)).await;
        line("baseline raw-sqlx insert", &o, 200);
        answered("raw-sqlx twin", &o, 200)?;
        check("twin", count(&base_db, "bench_inbox", &prefix).await?, o.count(200))?;
        twin.push(Figure::of(&o, 200));
        signal(&vouch_process, "CONT")?;
        let prefix = format!("{run}-vouch{round}");
        let o = load::closed(&target, c, seconds, signed(prefix.clone(), TOKEN)).await;
        line("vouch signed webhooks", &o, 200);
        answered("vouch ingest", &o, 200)?;
        check("vouch", count(&vouch_db, "lever_webhook_deliveries", &prefix).await?, o.count(200))?;
        ingest.push(Figure::of(&o, 200));
    }
    let (bare, twin, vouch_fig) = (Figure::median(&bare), Figure::median(&twin), Figure::median(&ingest));
    let per_commit = per_commit(&client, &vouch).await;
    println!(
        " medians: bare {:.0} req/s, raw-sqlx twin {:.0} req/s, vouch {:.0} req/s; {}",
        bare.rate,
        twin.rate,
        vouch_fig.rate,
        per_commit
            .map(|(n, ms)| format!("{n:.1} deliveries per commit, {ms:.2} ms per batch"))
            .unwrap_or_else(|| "? deliveries per commit".into())
    );
    let fsync = fsync.map(|samples| {
        let (p50, p99) = (load::quantile_ms(&samples, 0.5), load::quantile_ms(&samples, 0.99));
        println!(" fsync over the run ({} samples): p50 {p50:.3} ms, p99 {p99:.3} ms", samples.len());
        (p50, p99)
    });
    println!(" (i)   vouch / bare POST            = {:.3}", vouch_fig.rate / bare.rate);
    if let Some((p50, _)) = fsync {
        println!(
            " (ii)  vouch / (1 / fsync p50)      = {:.2} events per fsync",
            vouch_fig.rate * p50 / 1000.0
        );
    }
    println!(" (iii) vouch / raw-sqlx twin        = {:.3}", vouch_fig.rate / twin.rate);
    let mut report = EngineReport { engine, bare, twin, vouch: vouch_fig, per_commit, sqlite: None };
    let Some((fsync_p50, fsync_p99)) = fsync else { return Ok(report) };

    let prefix = format!("{run}-half");
    let half_rate = vouch_fig.rate / 2.0;
    // Both open loops run over as many connections as the closed loop used
    // (wrk2's and oha's model): on two cores shared with the server, a
    // generator that opens a new connection for every request due while the
    // others are busy turns a few milliseconds' hiccup into a storm of
    // connection set-ups that it then charges to the server. First the
    // floor: the same open loop against the bare POST (Vouch stopped, as
    // for the rounds), i.e. what the generator, the loopback and the
    // runtime add on their own.
    signal(&vouch_process, "STOP")?;
    let o = load::open(&format!("{base}/bare"), half_rate, seconds, bare_bodies(), c).await;
    signal(&vouch_process, "CONT")?;
    line("baseline bare POST, same open loop", &o, 200);
    answered("bare POST open loop", &o, 200)?;
    let bare_half = Figure::of(&o, 200);
    // The rounds at the highest rate leave hundreds of megabytes of WAL
    // that Vouch would have copied back in the pauses between them, had it
    // not been stopped there. (iv) measures latency at half that rate, so
    // that backlog is copied first, not charged to it (the checkpoints its
    // own load needs still run during it, as in service).
    settle(&vouch_db).await?;
    let o = load::open(&target, half_rate, seconds, signed(prefix.clone(), TOKEN), c).await;
    line(&format!("vouch open loop at max/2, {c} conns"), &o, 200);
    answered("open loop at max/2", &o, 200)?;
    check("open loop", count(&vouch_db, "lever_webhook_deliveries", &prefix).await?, o.count(200))?;
    let half = Figure::of(&o, 200);
    println!(
        " (iv)  p99 at max/2 / fsync p99     = {:.1} (the bare POST's p99 in the same loop alone: {:.1})",
        half.p99 / fsync_p99,
        bare_half.p99 / fsync_p99
    );

    // Likewise before (v), which measures what refusing costs.
    settle(&vouch_db).await?;
    let prefix = format!("{run}-bad");
    let o = load::closed(&target, c, seconds, signed(prefix.clone(), "not-the-signing-token")).await;
    line("vouch bad signatures (401)", &o, 401);
    answered("bad signatures", &o, 401)?;
    let bad = Figure::of(&o, 401);
    let bad_rows = count(&vouch_db, "lever_webhook_deliveries", &prefix).await?;
    let prefix = format!("{run}-dup");
    let one = signed(prefix.clone(), TOKEN)(0);
    // The first copy is stored; every later one is a duplicate (200, no row).
    let o_dup = load::closed(&target, c, seconds, Arc::new(move |_| one.clone())).await;
    line("vouch duplicates (200)", &o_dup, 200);
    answered("duplicates", &o_dup, 200)?;
    let duplicate = Figure::of(&o_dup, 200);
    let duplicate_rows = count(&vouch_db, "lever_webhook_deliveries", &prefix).await? - 1;
    println!(
        " (v)   bad signature / bare POST    = {:.3} ({bad_rows} rows); duplicate / bare POST = {:.3} ({duplicate_rows} rows beyond the first)",
        bad.rate / bare.rate,
        duplicate.rate / bare.rate,
    );
    check("bad signatures", bad_rows, 0)?;
    check("duplicates beyond the first", duplicate_rows, 0)?;

    let prefix = format!("{run}-over");
    let overload_rate = vouch_fig.rate * 1.5;
    let o = load::open(&target, overload_rate, seconds, signed(prefix.clone(), TOKEN), OVERLOAD_CONNECTIONS)
        .await;
    line("vouch overload at 1.5 x max", &o, 200);
    let stored = count(&vouch_db, "lever_webhook_deliveries", &prefix).await?;
    println!(
        " overload: {} x 200, {} x 503 ({} with Retry-After), transport errors {}; stored {stored}",
        o.count(200),
        o.count(503),
        o.retry_after,
        o.errors,
    );
    answered("overload", &o, 200)?;
    // The committer answers only after its commit, and a 503 means nothing
    // was written: the rows are exactly the 200s.
    check("overload", stored, o.count(200))?;
    report.sqlite = Some(SqliteExtras {
        fsync_p50,
        fsync_p99,
        half,
        half_rate,
        bare_half,
        bad,
        bad_rows,
        duplicate,
        duplicate_rows,
        overload_rate,
        overload_200: o.count(200),
        overload_503: o.count(503),
        overload_retry_after: o.retry_after,
        overload_missing: (o.count(200) as i64 - stored).max(0),
    });
    Ok(report)
}

/// The closing markdown tables, ready to paste into README.md.
fn markdown(reports: &[EngineReport], options: &Options, machine: &str) {
    let verdict = |ok: bool| if ok { "met" } else { "**missed**" };
    println!("\n---- markdown (paste into README.md) ----\n");
    println!(
        "{machine}. {} s per measurement, {} requests in flight (closed loop), medians of {ROUNDS} alternating rounds.\n",
        options.seconds, options.concurrency
    );
    println!("| engine | measurement | req/s | p50 ms | p99 ms | 503s |");
    println!("|---|---|---:|---:|---:|---:|");
    let row = |engine: &str, what: &str, f: &Figure| {
        println!("| {engine} | {what} | {:.0} | {:.2} | {:.2} | {} |", f.rate, f.p50, f.p99, f.shed);
    };
    for r in reports {
        row(r.engine, "baseline: bare `POST` → 200", &r.bare);
        row(r.engine, "baseline: raw-sqlx durable insert (twin)", &r.twin);
        row(r.engine, "Vouch: signed webhooks, durable", &r.vouch);
        if let Some(x) = &r.sqlite {
            println!(
                "| {} | fsync (4 KiB + fdatasync; 4 probes of 200 over the run) | | {:.3} | {:.3} | |",
                r.engine, x.fsync_p50, x.fsync_p99
            );
            row(
                r.engine,
                &format!(
                    "Vouch: open loop at max/2 ({:.0}/s, {} connections)",
                    x.half_rate, options.concurrency
                ),
                &x.half,
            );
            row(r.engine, "baseline: bare `POST`, the same open loop (the floor)", &x.bare_half);
            row(r.engine, "Vouch: bad signatures (401)", &x.bad);
            row(r.engine, "Vouch: duplicate deliveries (200)", &x.duplicate);
        }
    }
    println!("\n| ratio | target | {} |", reports.iter().map(|r| r.engine).collect::<Vec<_>>().join(" | "));
    println!("|---|---|{}", "---:|".repeat(reports.len()));
    let ratio = |name: &str, target: &str, values: Vec<String>| {
        println!("| {name} | {target} | {} |", values.join(" | "));
    };
    let each = |f: &dyn Fn(&EngineReport) -> Option<String>| {
        reports.iter().map(|r| f(r).unwrap_or_else(|| "—".into())).collect::<Vec<_>>()
    };
    ratio(
        "(i) Vouch ÷ bare POST",
        "≥ 0.15",
        each(&|r| {
            let v = r.vouch.rate / r.bare.rate;
            Some(format!("{v:.3} ({})", verdict(v >= 0.15)))
        }),
    );
    ratio(
        "(ii) Vouch ÷ (1 / fsync p50): events per fsync",
        "≥ 4",
        each(&|r| {
            let x = r.sqlite.as_ref()?;
            let v = r.vouch.rate * x.fsync_p50 / 1000.0;
            Some(format!("{v:.2} ({})", verdict(v >= 4.0)))
        }),
    );
    ratio(
        "deliveries per commit (Vouch's counters)",
        "",
        each(&|r| r.per_commit.map(|(n, _)| format!("{n:.1}"))),
    );
    ratio(
        "mean time to write and commit a batch, ms (Vouch's histogram)",
        "",
        each(&|r| r.per_commit.map(|(_, ms)| format!("{ms:.2}"))),
    );
    ratio(
        "(iii) Vouch ÷ raw-sqlx twin",
        "≥ 0.8",
        each(&|r| {
            let v = r.vouch.rate / r.twin.rate;
            Some(format!("{v:.3} ({})", verdict(v >= 0.8)))
        }),
    );
    ratio(
        "(iv) p99 at max/2, open loop ÷ fsync p99",
        "≤ 20",
        each(&|r| {
            let x = r.sqlite.as_ref()?;
            let v = x.half.p99 / x.fsync_p99;
            let floor = x.bare_half.p99 / x.fsync_p99;
            Some(format!("{v:.1} ({}; the bare POST alone: {floor:.1})", verdict(v <= 20.0)))
        }),
    );
    ratio(
        "(v) bad signatures ÷ bare POST (rows written)",
        "≥ 0.5, 0 rows",
        each(&|r| {
            let x = r.sqlite.as_ref()?;
            let v = x.bad.rate / r.bare.rate;
            Some(format!("{v:.3} ({} rows; {})", x.bad_rows, verdict(v >= 0.5 && x.bad_rows == 0)))
        }),
    );
    ratio(
        "(v) duplicates ÷ bare POST (rows written)",
        "≥ 0.5, 0 rows",
        each(&|r| {
            let x = r.sqlite.as_ref()?;
            let v = x.duplicate.rate / r.bare.rate;
            Some(format!(
                "{v:.3} ({} rows; {})",
                x.duplicate_rows,
                verdict(v >= 0.5 && x.duplicate_rows == 0)
            ))
        }),
    );
    ratio(
        "overload at 150 % of max, open loop",
        "excess → 503 + Retry-After, no 200 missing",
        each(&|r| {
            let x = r.sqlite.as_ref()?;
            Some(format!(
                "{:.0}/s offered: {} × 200, {} × 503 ({} with Retry-After), {} missing",
                x.overload_rate, x.overload_200, x.overload_503, x.overload_retry_after, x.overload_missing
            ))
        }),
    );
}
