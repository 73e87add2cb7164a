//! The real server, started in-process through `vouch::run`.
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use entity::Role;
use sea_orm::DatabaseConnection;
use tempfile::TempDir;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use vouch::config::Settings;
use vouch::domain::{organizations, users};

use crate::{GraphqlClient, TestDatabase};

/// The password every test user gets.
pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Parser)]
struct ServeArgs {
    #[command(flatten)]
    settings: Settings,
}

/// A running server with its own database and data folder.
pub struct TestServer {
    pub address: SocketAddr,
    pub base_url: String,
    pub database: TestDatabase,
    /// A connection of the test's own, for seeding and for checking what
    /// the server stored.
    pub db: DatabaseConnection,
    pub config: vouch::Config,
    shutdown: CancellationToken,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    _dir: TempDir,
}

/// A user made for a test, with a session token.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: uuid::Uuid,
    pub organization_id: uuid::Uuid,
    pub email: String,
    pub token: String,
}

impl TestServer {
    /// Starts a server with default settings.
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Starts a server whose Lever hosts are the simulator's.
    pub async fn start_with_lever(world: &crate::lever::LeverWorld) -> Self {
        Self::start_with_lever_and(world, &[]).await
    }

    /// Starts a server whose Lever hosts are the simulator's, with `extra` flags.
    pub async fn start_with_lever_and(world: &crate::lever::LeverWorld, extra: &[&str]) -> Self {
        let flags = world.server_flags();
        let mut args: Vec<&str> = flags.iter().map(String::as_str).collect();
        args.extend_from_slice(extra);
        Self::start_with(&args).await
    }

    /// Starts a server; `args` are extra `vouch serve` flags.
    pub async fn start_with(args: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = TestDatabase::create(&dir).await.expect("test database");
        let data_dir = dir.path().join("data");
        let web_dir = web_dir_with_index(&dir);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let mut argv: Vec<String> = vec![
            "vouch".into(),
            "--bind".into(),
            "127.0.0.1:0".into(),
            "--database-url".into(),
            database.url().into(),
            "--data-dir".into(),
            data_dir.display().to_string(),
            "--web-dir".into(),
            web_dir.display().to_string(),
            "--public-url".into(),
            format!("http://{address}"),
        ];
        argv.extend(args.iter().map(|a| a.to_string()));
        let settings = ServeArgs::try_parse_from(argv).expect("valid test flags").settings;
        let config = settings.validate().expect("valid test configuration");
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(vouch::run(config.clone(), listener, shutdown.clone()));
        let server_ready =
            crate::eventually("the server to answer /readyz", std::time::Duration::from_secs(30), || {
                let url = format!("http://{address}/readyz");
                async move { reqwest::get(&url).await.ok().filter(|r| r.status().is_success()).map(|_| ()) }
            });
        server_ready.await;
        let db = vouch::db::connect(&config.database_url).await.expect("test connection");
        Self {
            address,
            base_url: format!("http://{address}"),
            database,
            db,
            config,
            shutdown,
            task: Some(task),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    pub fn ws_url(&self, path: &str) -> String {
        format!("ws://{}{}", self.address, path)
    }

    pub fn graphql(&self) -> GraphqlClient {
        GraphqlClient::new(self.url("/graphql"))
    }

    /// Creates a user (and its organization, by name) and signs it in
    /// through the `login` mutation.
    pub async fn user(&self, org: &str, email: &str, role: Role) -> TestUser {
        let organization = organizations::find_or_create(&self.db, org).await.expect("organization");
        let new = users::NewUser { email, name: None, role, password: PASSWORD };
        let user = users::create(&self.db, organization.id, new).await.expect("user");
        let token = self.graphql().login(email, PASSWORD).await;
        TestUser { id: user.id, organization_id: organization.id, email: user.email, token }
    }

    /// Shuts the server down and waits for it to drain.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        match self.task.take() {
            Some(task) => task.await?,
            None => Ok(()),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// A built-app stand-in, so the SPA routes serve something recognisable.
fn web_dir_with_index(dir: &TempDir) -> PathBuf {
    let web = dir.path().join("web");
    std::fs::create_dir_all(web.join("assets")).expect("web dir");
    std::fs::write(web.join("index.html"), "<!doctype html><div id=\"root\">vouch-test-index</div>")
        .expect("index.html");
    std::fs::write(web.join("assets/app.js"), "console.log('vouch')").expect("asset");
    web
}
