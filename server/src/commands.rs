//! What each subcommand does. Errors come back as one line for `main`.
use anyhow::Context as _;
use sea_orm::ActiveEnum;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::cli::CreateAdminArgs;
use crate::config::{DatabaseSettings, Settings};
use crate::domain::{organizations, users};
use crate::{db, graphql, server};

pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let config = settings.validate()?;
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("VOUCH_BIND (--bind): cannot listen on {}", config.bind))?;
    let shutdown = CancellationToken::new();
    tokio::spawn(cancel_on_signal(shutdown.clone()));
    server::run(config, listener, shutdown).await
}

pub async fn migrate(settings: DatabaseSettings) -> anyhow::Result<()> {
    let url = settings.database_url()?;
    let database = db::connect(&url).await?;
    db::migrate(&database, &url).await?;
    println!("migrations applied to {}", url.redacted());
    Ok(())
}

pub async fn create_admin(args: CreateAdminArgs) -> anyhow::Result<()> {
    let url = args.database.database_url()?;
    let database = db::connect(&url).await?;
    db::migrate(&database, &url).await?;
    let org = organizations::find_or_create(&database, &args.org).await?;
    let new = users::NewUser {
        email: &args.email,
        name: args.name.as_deref(),
        role: args.role.into(),
        password: &args.password,
    };
    let user = users::create(&database, org.id, new).await?;
    println!("created {} {} in organization {:?} ({})", user.role.to_value(), user.email, org.name, org.id);
    Ok(())
}

pub fn schema() {
    print!("{}", graphql::sdl());
}

/// Ctrl-C or SIGTERM starts a graceful shutdown.
async fn cancel_on_signal(shutdown: CancellationToken) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested; draining in-flight requests");
    shutdown.cancel();
}

/// Runs `vouch-demo` from the same folder as this binary. The demo lives in
/// the test crate because it embeds the Lever simulator, which the server
/// itself must never depend on.
pub fn demo(args: Vec<String>) -> anyhow::Result<()> {
    let me = std::env::current_exe().context("cannot find the vouch binary's folder")?;
    let program = me.with_file_name(format!("vouch-demo{}", std::env::consts::EXE_SUFFIX));
    anyhow::ensure!(
        program.is_file(),
        "{} is missing: build it with `cargo build -p vouch-tests --bin vouch-demo` (or run `make demo`)",
        program.display()
    );
    let status = std::process::Command::new(&program)
        .args(args)
        .status()
        .with_context(|| format!("cannot start {}", program.display()))?;
    anyhow::ensure!(status.success(), "the demo stopped with {status}");
    Ok(())
}
