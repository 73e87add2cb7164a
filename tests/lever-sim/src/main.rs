//! `lever-sim`: runs the Lever simulator on its own.

use clap::Parser;
use lever_sim::{ClientSeed, DataCentre, Seed, Settings, SimConfig, Simulator};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// A Lever API simulator (data API, OAuth, webhooks) for Vouch.
#[derive(Debug, Parser)]
#[command(name = "lever-sim", version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "LEVER_SIM_PORT", default_value_t = 9400)]
    port: u16,
    /// Address to listen on.
    #[arg(long, env = "LEVER_SIM_HOST", default_value = "127.0.0.1")]
    host: IpAddr,
    /// Base URL clients reach the simulator at (default http://HOST:PORT).
    #[arg(long, env = "LEVER_SIM_PUBLIC_URL")]
    public_url: Option<String>,
    /// A seed file (JSON), e.g. tests/lever-sim/seeds/demo.json.
    #[arg(long, env = "LEVER_SIM_SEED")]
    seed: Option<PathBuf>,
    /// A default OAuth client id (needs --client-secret).
    #[arg(long, env = "LEVER_SIM_CLIENT_ID", requires = "client_secret")]
    client_id: Option<String>,
    /// The default OAuth client's secret.
    #[arg(long, env = "LEVER_SIM_CLIENT_SECRET", requires = "client_id")]
    client_secret: Option<String>,
    /// Allowed redirect URI of the default client (repeatable; none allows any).
    #[arg(long = "redirect-uri", env = "LEVER_SIM_REDIRECT_URIS", value_delimiter = ',')]
    redirect_uris: Vec<String>,
    /// Access token lifetime in seconds.
    #[arg(long, env = "LEVER_SIM_ACCESS_TOKEN_TTL_SECS", default_value_t = 3600)]
    access_token_ttl_secs: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let seed = args.seed.as_deref().map(Seed::from_file).transpose()?;
    let default_client = match (args.client_id, args.client_secret) {
        (Some(client_id), Some(client_secret)) => {
            Some(ClientSeed { client_id, client_secret, name: None, redirect_uris: args.redirect_uris })
        }
        _ => None,
    };
    let config = SimConfig {
        bind: SocketAddr::new(args.host, args.port),
        public_url: args.public_url,
        settings: Settings {
            access_token_ttl_secs: args.access_token_ttl_secs as f64,
            ..Settings::default()
        },
        default_client,
        seed,
    };
    let handle = Simulator::start(config).await?;
    println!("lever-sim listening on {}", handle.base_url());
    for dc in DataCentre::ALL {
        println!(
            "  {:<8} api {}  authorize {}  token {}",
            dc.segment(),
            handle.api_base(dc),
            handle.authorize_url(dc),
            handle.token_url(dc)
        );
    }
    for c in handle.companies() {
        println!("  company {} ({}) {}", c.name, c.data_centre.segment(), c.id);
    }
    handle.run_until_ctrl_c().await
}
