//! The `vouch` binary: parse the command line, run the command, and turn any
//! error into one line on stderr and a non-zero exit.
#![forbid(unsafe_code)]

use clap::Parser;
use vouch::cli::{Cli, Command};
use vouch::{commands, telemetry};

/// mimalloc rather than glibc's malloc: webhook ingest allocates and frees
/// many small buffers per request across threads, where glibc's allocator
/// spent a fifth of the process's time (see README, "Benchmark: webhook
/// ingest"); with the `override` feature SQLite's own allocations (its page
/// cache) go to mimalloc as well.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let logs = telemetry::init(cli.log_format);
    let result = match cli.command {
        Command::Serve(settings) => commands::serve(*settings).await,
        Command::Migrate(settings) => commands::migrate(settings).await,
        Command::CreateAdmin(args) => commands::create_admin(args).await,
        Command::Demo { args } => commands::demo(args),
        Command::Schema => {
            commands::schema();
            Ok(())
        }
    };
    // The lines logged so far come before the error line.
    drop(logs);
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", one_line(&err));
            std::process::ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line.
fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for (i, cause) in err.chain().enumerate() {
        let text = cause.to_string();
        if i > 0 {
            if line.contains(&text) {
                continue;
            }
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line.replace('\n', " ")
}
