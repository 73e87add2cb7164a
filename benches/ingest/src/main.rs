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

struct Options {
    seconds: u64,
    concurrency: usize,
    postgres: Option<String>,
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
            "--vouch" => options.vouch = PathBuf::from(value()?),
            other => bail!("unknown flag {other}; flags: --seconds N --concurrency N --postgres URL --no-postgres --vouch PATH"),
        }
    }
    if !options.vouch.is_file() {
        bail!("{} is missing: build it with `cargo build --release -p vouch`", options.vouch.display());
    }
    let dir = tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| ".".into()))?;
    machine(dir.path());
    let fsync = fsync_times(dir.path())?;
    println!(
        "fsync (4 KiB write + fdatasync, same disk): p50 {:.3} ms, p99 {:.3} ms",
        load::quantile_ms(&fsync, 0.5),
        load::quantile_ms(&fsync, 0.99)
    );
    let fsync_p50 = load::quantile_ms(&fsync, 0.5);
    let fsync_p99 = load::quantile_ms(&fsync, 0.99);

    println!("\n== SQLite (WAL, synchronous=FULL)");
    let sqlite_vouch = format!("sqlite://{}?mode=rwc", dir.path().join("vouch.db").display());
    let sqlite_base = format!("sqlite://{}", dir.path().join("baseline.db").display());
    engine(&options, dir.path(), &sqlite_vouch, &sqlite_base, Some((fsync_p50, fsync_p99))).await?;
    if let Some(pg) = options.postgres.clone() {
        println!("\n== PostgreSQL (synchronous_commit=on)");
        let (vouch_url, base_url) = (fresh_pg(&pg, "vouch").await?, fresh_pg(&pg, "baseline").await?);
        engine(&options, dir.path(), &vouch_url, &base_url, None).await?;
    }
    Ok(())
}

fn machine(dir: &Path) {
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
    println!("machine: nproc {nproc}, CPU {cpu}\ndisk (df -hT of the bench folder): {df}");
}

/// 200 times: write 4 KiB at the end of a file and `fdatasync` it.
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
        .args(["--catch-up-interval-secs", "0", "--data-dir"])
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

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
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

fn check(what: &str, stored: i64, expected: usize) -> anyhow::Result<()> {
    if stored != expected as i64 {
        bail!("{what}: {stored} rows stored but {expected} expected");
    }
    Ok(())
}

/// Three alternating rounds of bare / twin / Vouch, then, on SQLite, the
/// open-loop latency, refused and duplicate rates, and overload.
async fn engine(
    options: &Options,
    dir: &Path,
    vouch_url: &str,
    base_url: &str,
    fsync: Option<(f64, f64)>,
) -> anyhow::Result<()> {
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
    let (_vouch, vouch) = start_vouch(options, dir, vouch_url, &key).await?;
    let target = webhook_url(&vouch, connection);
    let client = load::client();
    let seconds = Duration::from_secs(options.seconds);
    let c = options.concurrency;
    let run = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();

    let (mut bare, mut twin, mut ingest) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        println!(" round {}", round + 1);
        let o =
            load::closed(&client, &format!("{base}/bare"), c, seconds, Arc::new(|_| b"{}".to_vec())).await;
        line("baseline bare POST", &o, 200);
        bare.push(o.rate(200));
        let prefix = format!("{run}-twin{round}");
        let o =
            load::closed(&client, &format!("{base}/insert"), c, seconds, signed(prefix.clone(), TOKEN)).await;
        line("baseline raw-sqlx insert", &o, 200);
        check("twin", count(&base_db, "bench_inbox", &prefix).await?, o.count(200))?;
        twin.push(o.rate(200));
        let prefix = format!("{run}-vouch{round}");
        let o = load::closed(&client, &target, c, seconds, signed(prefix.clone(), TOKEN)).await;
        line("vouch signed webhooks", &o, 200);
        check("vouch", count(&vouch_db, "lever_webhook_deliveries", &prefix).await?, o.count(200))?;
        ingest.push(o.rate(200));
    }
    let (bare_m, twin_m, ingest_m) = (median(&mut bare), median(&mut twin), median(&mut ingest));
    println!(" medians: bare {bare_m:.0} req/s, raw-sqlx twin {twin_m:.0} req/s, vouch {ingest_m:.0} req/s");
    println!(" (i)   vouch / bare POST            = {:.3}", ingest_m / bare_m);
    if let Some((p50, _)) = fsync {
        println!(" (ii)  vouch / (1 / fsync p50)      = {:.2} events per fsync", ingest_m * p50 / 1000.0);
    }
    println!(" (iii) vouch / raw-sqlx twin        = {:.3}", ingest_m / twin_m);
    let Some((_, fsync_p99)) = fsync else { return Ok(()) };

    let prefix = format!("{run}-half");
    let o = load::open(&client, &target, ingest_m / 2.0, seconds, signed(prefix.clone(), TOKEN)).await;
    line("vouch open loop at max/2", &o, 200);
    check("open loop", count(&vouch_db, "lever_webhook_deliveries", &prefix).await?, o.count(200))?;
    println!(" (iv)  p99 at max/2 / fsync p99     = {:.1}", o.quantile_ms(0.99) / fsync_p99);

    let prefix = format!("{run}-bad");
    let o = load::closed(&client, &target, c, seconds, signed(prefix.clone(), "not-the-signing-token")).await;
    line("vouch bad signatures (401)", &o, 401);
    let bad_rows = count(&vouch_db, "lever_webhook_deliveries", &prefix).await?;
    let prefix = format!("{run}-dup");
    let one = signed(prefix.clone(), TOKEN)(0);
    let o_dup = load::closed(&client, &target, c, seconds, Arc::new(move |_| one.clone())).await;
    line("vouch duplicates (200)", &o_dup, 200);
    let dup_rows = count(&vouch_db, "lever_webhook_deliveries", &prefix).await?;
    println!(
        " (v)   bad signature / bare POST    = {:.3} ({bad_rows} rows); duplicate / bare POST = {:.3} ({} rows beyond the first)",
        o.rate(401) / bare_m,
        o_dup.rate(200) / bare_m,
        dup_rows - 1
    );

    let prefix = format!("{run}-over");
    let o = load::open(&client, &target, ingest_m * 1.5, seconds, signed(prefix.clone(), TOKEN)).await;
    line("vouch overload at 1.5 x max", &o, 200);
    let stored = count(&vouch_db, "lever_webhook_deliveries", &prefix).await?;
    println!(
        " overload: {} x 200, {} x 503 ({} with Retry-After), other {:?}; stored {stored} (every 200 stored: {})",
        o.count(200),
        o.count(503),
        o.retry_after,
        o.statuses.iter().filter(|(s, _)| **s != 200 && **s != 503).collect::<Vec<_>>(),
        stored == o.count(200) as i64
    );
    Ok(())
}
