//! Structured logs with tracing; `RUST_LOG` picks what is shown.
//!
//! Lines go to stderr through a writer thread (`tracing-appender`'s
//! non-blocking writer): a request that logs (every refused webhook does)
//! hands its line over and goes on, instead of making a `write` system call
//! on stderr's lock while other requests queue behind it. The writer is not
//! lossy: when its queue is full, the logging thread waits, so no line is
//! dropped under load.
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

/// Human-readable lines, or one JSON object per line for log collectors.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Installs the subscriber. Keep the guard until the process ends: dropping
/// it writes out the lines still queued.
pub fn init(format: LogFormat) -> WorkerGuard {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let (writer, guard) = NonBlockingBuilder::default().lossy(false).finish(std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer);
    // A second init (only in tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    guard
}
