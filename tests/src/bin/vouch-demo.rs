//! `vouch-demo`: Vouch with a seeded Lever simulator, ready to click through.
//!
//! Starts the simulator (the demo seed: Acme Robotics in the US data centre),
//! `vouch serve` on SQLite under `./data`, a demo company and admin, and
//! connects the two through the simulator's OAuth consent page, so a
//! newcomer signs in and sees a connected Lever with its postings, stages
//! and users. Ctrl-C stops both.
#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use entity::Role;
use lever_sim::{Seed, SimConfig, Simulator};
use serde_json::json;
use tokio_util::sync::CancellationToken;
use vouch::domain::{organizations, users};
use vouch_tests::lever::{lever_flags, LeverWorld};
use vouch_tests::GraphqlClient;

const SEED: &str = include_str!("../../lever-sim/seeds/demo.json");
const DEMO_COMPANY: &str = "a1c0e000-0000-4000-8000-000000000001";
const DEMO_LEVER_ADMIN: &str = "a1c0e000-0000-4000-8000-0000000000a1";
const CLIENT_ID: &str = "vouch-demo";
const CLIENT_SECRET: &str = "vouch-demo-secret";

#[derive(Parser)]
#[command(name = "vouch-demo", about = "Vouch with a seeded Lever simulator")]
struct Args {
    /// Where Vouch listens.
    #[arg(long, env = "VOUCH_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Where the Lever simulator listens.
    #[arg(long, env = "LEVER_SIM_PORT", default_value_t = 9400)]
    sim_port: u16,
    /// Vouch's data folder (SQLite file and secret key).
    #[arg(long, env = "VOUCH_DATA_DIR", default_value = "./data")]
    data_dir: String,
    /// The built admin app.
    #[arg(long, env = "VOUCH_WEB_DIR", default_value = "web/dist")]
    web_dir: String,
    /// The demo admin's e-mail.
    #[arg(long, default_value = "admin@demo.vouch.test")]
    email: String,
    /// The demo admin's password.
    #[arg(long, default_value = "vouch-demo-password")]
    password: String,
}

#[derive(Parser)]
struct ServeArgs {
    #[command(flatten)]
    settings: vouch::config::Settings,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    // Held to the end: dropping it stops the log writer.
    let _logs = vouch::telemetry::init(vouch::telemetry::LogFormat::Text);

    let seed: Seed = serde_json::from_str(SEED)?;
    let sim = Simulator::start(SimConfig {
        bind: SocketAddr::from(([127, 0, 0, 1], args.sim_port)),
        seed: Some(seed),
        ..SimConfig::default()
    })
    .await?;

    let public_url = format!("http://{}", args.bind);
    // The seed allows the default address; allow the one actually used.
    sim.register_client(lever_sim::ClientSeed {
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        name: Some("Vouch (demo)".into()),
        redirect_uris: vec![format!("{public_url}/oauth/lever/callback")],
    })
    .map_err(|e| anyhow::anyhow!("registering the demo OAuth client: {e:?}"))?;
    let mut argv = vec![
        "vouch".to_owned(),
        "--bind".into(),
        args.bind.to_string(),
        "--data-dir".into(),
        args.data_dir.clone(),
        "--web-dir".into(),
        args.web_dir.clone(),
        "--public-url".into(),
        public_url.clone(),
    ];
    argv.extend(lever_flags(&sim, CLIENT_ID, CLIENT_SECRET));
    let config = ServeArgs::try_parse_from(argv)?.settings.validate()?;
    let database = vouch::db::connect(&config.database_url).await?;
    vouch::db::migrate(&database, &config.database_url).await?;
    let org = organizations::find_or_create(&database, "Demo Company").await?;
    if users::find_by_email(&database, &args.email).await?.is_none() {
        let new = users::NewUser {
            email: &args.email,
            name: Some("Demo Admin"),
            role: Role::SuperAdmin,
            password: &args.password,
        };
        users::create(&database, org.id, new).await?;
    }

    let listener = tokio::net::TcpListener::bind(args.bind).await?;
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(vouch::run(config, listener, shutdown.clone()));
    wait_ready(&public_url).await?;

    // The simulator starts empty of grants on every run, so (re)connect
    // through its consent page each time; reconnecting keeps the connection id.
    let gql = GraphqlClient::new(format!("{public_url}/graphql"));
    let token = gql.login(&args.email, &args.password).await;
    let started = gql.run(Some(&token), "mutation { startLeverOAuth(dataCentre: US) }", json!({})).await;
    let authorize = started.data()["startLeverOAuth"].as_str().unwrap_or_default().to_owned();
    let world = LeverWorld { sim, company_id: DEMO_COMPANY.into(), lever_admin_id: DEMO_LEVER_ADMIN.into() };
    let redirect = world.consent(&authorize, true).await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let landing = http.get(&redirect).send().await?;
    let landed =
        landing.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned();
    anyhow::ensure!(
        landed.contains("lever=connected"),
        "connecting the demo to the simulator failed: {landed}"
    );
    let connection = gql.run(Some(&token), "{ leverConnection { id } }", json!({})).await;
    let id = connection.data()["leverConnection"]["id"].clone();
    // The catalogue is read by a job: wait for it, so the app shows the
    // postings and stages from the first page view.
    let job = gql
        .run(
            Some(&token),
            "mutation($id: UUID!) { refreshLeverCatalogue(connectionId: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    let job_id = job.data()["refreshLeverCatalogue"]["id"].as_str().unwrap_or_default().to_owned();
    let finished = gql.finished_job(&token, &job_id).await;
    anyhow::ensure!(
        finished["status"] == "DONE",
        "reading the simulator's catalogue failed: {}",
        finished["lastError"]
    );

    println!();
    println!("  Vouch demo is running.");
    println!("  Admin app:      {public_url}");
    println!("  Sign in as:     {} / {}", args.email, args.password);
    println!(
        "  Lever (sim):    {} — control API under /_sim/ (see tests/lever-sim/README.md)",
        world.sim.base_url()
    );
    println!("  Stop with Ctrl-C.");
    println!();

    tokio::signal::ctrl_c().await?;
    shutdown.cancel();
    server.await??;
    world.sim.shutdown().await;
    Ok(())
}

async fn wait_ready(base: &str) -> anyhow::Result<()> {
    for _ in 0..300 {
        if reqwest::get(format!("{base}/readyz")).await.is_ok_and(|r| r.status().is_success()) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("vouch did not become ready at {base}")
}
