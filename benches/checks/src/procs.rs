//! The two processes under test: `lever-sim` and `vouch serve`, started
//! from the release binaries, logging into the bench folder, killed when
//! dropped. `vouch serve` can be SIGKILLed and started again on the same
//! database (phase c).
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context};

/// A child process killed (SIGKILL) when dropped.
pub struct Running {
    child: Child,
    pub name: &'static str,
}

impl Running {
    /// SIGKILL, then reap: the process gets no chance to finish anything.
    pub fn kill(&mut self) -> anyhow::Result<()> {
        self.child.kill().with_context(|| format!("SIGKILL {}", self.name))?;
        self.child.wait()?;
        Ok(())
    }

    fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port the kernel considers free right now.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Polls `url` until it answers 2xx (or the process exits, or 30 s pass).
async fn wait_ready(process: &mut Running, url: &str, log: &Path) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    for _ in 0..300 {
        if matches!(http.get(url).send().await, Ok(r) if r.status().is_success()) {
            return Ok(());
        }
        if process.exited() {
            bail!("{} exited during start-up; its log: {}", process.name, log.display());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("{} did not answer {url} within 30 s; its log: {}", process.name, log.display())
}

/// `lever-sim --port PORT --seed SEED`; answers the process and its base URL.
pub async fn start_sim(binary: &Path, dir: &Path, seed: &Path) -> anyhow::Result<(Running, String)> {
    let port = free_port()?;
    let log_path = dir.join("lever-sim.log");
    let log = std::fs::File::create(&log_path)?;
    let child = Command::new(binary)
        .arg("--port")
        .arg(port.to_string())
        .arg("--seed")
        .arg(seed)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let mut running = Running { child, name: "lever-sim" };
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&mut running, &format!("{base}/_sim/health"), &log_path).await?;
    Ok((running, base))
}

/// How to run `vouch` against the simulator.
pub struct Vouch {
    pub binary: PathBuf,
    pub dir: PathBuf,
    pub port: u16,
    pub sim_base: String,
    pub secret_key: String,
    /// `VOUCH_JOB_WORKERS`, when not the default.
    pub workers: Option<usize>,
    starts: usize,
}

impl Vouch {
    pub fn new(binary: PathBuf, dir: &Path, sim_base: &str, workers: Option<usize>) -> anyhow::Result<Self> {
        let secret_key = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
        Ok(Self {
            binary,
            dir: dir.to_owned(),
            port: free_port()?,
            sim_base: sim_base.to_owned(),
            secret_key,
            workers,
            starts: 0,
        })
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn database_url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.dir.join("vouch.db").display())
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .env("DATABASE_URL", self.database_url())
            .env("VOUCH_DATA_DIR", self.dir.join("data"))
            .env("VOUCH_WEB_DIR", self.dir.join("no-web"))
            .env("VOUCH_BIND", format!("127.0.0.1:{}", self.port))
            .env("VOUCH_PUBLIC_URL", self.base())
            .env("VOUCH_SECRET_KEY", &self.secret_key)
            .env("VOUCH_LEVER_US_API_BASE", format!("{}/us/v1", self.sim_base))
            .env("VOUCH_LEVER_US_AUTH_BASE", format!("{}/auth", self.sim_base))
            // The periodic catch-up runs on wall-clock quarters of an hour and
            // would land in the middle of a measurement; the bench needs none.
            .env("VOUCH_CATCH_UP_INTERVAL_SECS", "0")
            .env("RUST_LOG", "warn");
        if let Some(workers) = self.workers {
            command.env("VOUCH_JOB_WORKERS", workers.to_string());
        }
        command
    }

    /// `vouch create-admin` (applies the migrations too).
    pub fn create_admin(&self, org: &str, email: &str, password: &str) -> anyhow::Result<()> {
        let output = self
            .command()
            .args(["create-admin", "--org", org, "--email", email, "--password", password])
            .output()
            .context("running vouch create-admin")?;
        if !output.status.success() {
            bail!("vouch create-admin failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        Ok(())
    }

    /// `vouch serve`, once it answers `/readyz`.
    pub async fn serve(&mut self) -> anyhow::Result<Running> {
        self.starts += 1;
        let log_path = self.dir.join(format!("vouch-{}.log", self.starts));
        let log = std::fs::File::create(&log_path)?;
        let child = self
            .command()
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {}", self.binary.display()))?;
        let mut running = Running { child, name: "vouch serve" };
        wait_ready(&mut running, &format!("{}/readyz", self.base()), &log_path).await?;
        Ok(running)
    }
}
