//! The database: which engine, how to open it, and its migrations.
//!
//! SQLite (WAL) is the embedded default; PostgreSQL is the scale-out engine.
//! Connection settings that SQLite keeps per connection (`foreign_keys`,
//! `synchronous`, the busy handler) are set on the connect options or when
//! the pool opens a connection, so every pooled connection gets them.
pub mod checkpoint;
mod errors;
mod url;

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{DatabaseConnection, SqlxPostgresConnector, SqlxSqliteConnector};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use errors::{classify, DbFailure};
pub use url::DatabaseUrl;

/// Opening or migrating the database failed. The URL is shown without its password.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot create the folder for the SQLite database {path}: {source}")]
    CreateFolder { path: String, source: std::io::Error },
    #[error("cannot connect to the database at {url}: {detail}")]
    Connect { url: String, detail: String },
    #[error("database migration failed on {url}: {detail}")]
    Migrate { url: String, detail: String },
}

/// How long start-up waits for the database before giving up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a write waits for the write lock before it fails as
/// unavailable: SQLite's `busy_timeout` on every connection, and the
/// `lock_timeout` of the webhook committer's PostgreSQL connections.
pub const WRITE_LOCK_WAIT: Duration = Duration::from_secs(10);

/// SQLite's page cache per connection, as its `cache_size` pragma
/// (negative: KiB). The default, 2 MiB, holds a fraction of the inbox's
/// and the job queue's indexes once they have grown past some tens of
/// thousands of rows, so each insert read its index pages back from the
/// OS. The dedicated writers (the webhook committer) insert all the time
/// and get 64 MiB each; pooled connections 16 MiB (memory is taken only as
/// pages are read).
pub(crate) const DEDICATED_CACHE_SIZE: &str = "-65536";
const POOL_CACHE_SIZE: &str = "-16384";

/// Opens a pool for `url`. SQLite files (and their folder) are created when missing.
pub async fn connect(url: &DatabaseUrl) -> Result<DatabaseConnection, DbError> {
    let connections = match url {
        DatabaseUrl::Sqlite { .. } => 8,
        DatabaseUrl::Postgres { .. } => 16,
    };
    open(url, connections, Role::Pool).await
}

/// What a pool is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The application's shared pool.
    Pool,
    /// Connections of a task of their own ([`connect_dedicated`]).
    Dedicated,
}

/// Opens `connections` connections of their own for tasks that write all
/// the time (the webhook committer's writers): they wait for no pool, and
/// on SQLite keep their page cache and prepared statements from one
/// transaction to the next instead of landing on whichever pooled
/// connection is free. On SQLite they never checkpoint the WAL themselves;
/// on PostgreSQL they open with `lock_timeout` set to [`WRITE_LOCK_WAIT`],
/// so their transactions need no `SET LOCAL` of their own.
pub async fn connect_dedicated(url: &DatabaseUrl, connections: u32) -> Result<DatabaseConnection, DbError> {
    open(url, connections.max(1), Role::Dedicated).await
}

async fn open(url: &DatabaseUrl, connections: u32, role: Role) -> Result<DatabaseConnection, DbError> {
    let connect_error = |e: sqlx::Error| DbError::Connect { url: url.redacted(), detail: e.to_string() };
    match url {
        DatabaseUrl::Sqlite { path, .. } => {
            if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder)
                    .map_err(|source| DbError::CreateFolder { path: path.display().to_string(), source })?;
            }
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: a committed write survives power loss, which is what a
                // 200 to Lever promises.
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(WRITE_LOCK_WAIT)
                // Statement journals and temporary b-trees in memory: a
                // multi-row insert inside a transaction (every webhook
                // batch) otherwise creates, writes and deletes a temporary
                // file, three system calls and an inode per batch.
                .pragma("temp_store", "memory");
            let options = match role {
                // A commit that crosses the WAL's checkpoint threshold runs
                // the checkpoint before it returns: tens of milliseconds of
                // copying and fsync on the ingest path. The dedicated
                // writers leave that to the pool's connections and to
                // `checkpoint::spawn`. Their statement cache holds one
                // prepared batch script per batch size (up to the
                // committer's MAX_BATCH of 256), so a burst's batches are
                // not parsed again (sqlx keeps 100 by default).
                Role::Dedicated => options
                    .pragma("wal_autocheckpoint", "0")
                    .pragma("cache_size", DEDICATED_CACHE_SIZE)
                    .statement_cache_capacity(300),
                Role::Pool => options.pragma("cache_size", POOL_CACHE_SIZE),
            };
            let pool = SqlitePoolOptions::new()
                // SQLite's own busy handler sleeps up to 100 ms per attempt
                // while another connection holds the write lock for a
                // fraction of that; this one polls in microseconds (see the
                // crate), so writers queue behind each other, not behind
                // sleeps.
                .after_connect(|connection, _| {
                    Box::pin(vouch_sqlite_busy::install(connection, WRITE_LOCK_WAIT))
                })
                .max_connections(connections)
                // A connection to a local file does not go stale; checking
                // it on every acquire would cost a round trip to its thread
                // per statement.
                .test_before_acquire(false)
                .acquire_timeout(CONNECT_TIMEOUT)
                .connect_with(options)
                .await
                .map_err(connect_error)?;
            Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
        }
        DatabaseUrl::Postgres { raw, .. } => {
            let mut options: PgConnectOptions = raw.parse().map_err(connect_error)?;
            if role == Role::Dedicated {
                // The webhook committer's bound on waiting for a lock, set
                // once per connection instead of a `SET LOCAL` round trip
                // in every batch.
                options = options.options([("lock_timeout", format!("{}ms", WRITE_LOCK_WAIT.as_millis()))]);
            }
            // One direct attempt first: the pool would retry until its
            // timeout and then report only "timed out", hiding the cause
            // (refused, bad password, no such database).
            let probe = sqlx::ConnectOptions::connect(&options).await.map_err(connect_error)?;
            sqlx::Connection::close(probe).await.map_err(connect_error)?;
            let pool = PgPoolOptions::new()
                .max_connections(connections)
                .acquire_timeout(CONNECT_TIMEOUT)
                .connect_with(options)
                .await
                .map_err(connect_error)?;
            Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
        }
    }
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection, url: &DatabaseUrl) -> Result<(), DbError> {
    Migrator::up(db, None).await.map_err(|e| DbError::Migrate { url: url.redacted(), detail: e.to_string() })
}

/// Starts a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`:
/// a deferred transaction that reads first and writes later fails at once
/// with "database is locked" when another connection wrote in between (the
/// busy timeout cannot help a stale snapshot), while an immediate one waits
/// its turn. PostgreSQL ignores the mode. Use it for every transaction that
/// writes; nested calls become savepoints.
pub async fn begin_write<C: sea_orm::TransactionTrait>(db: &C) -> Result<C::Transaction, sea_orm::DbErr> {
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// True when the database answers a trivial query.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}
