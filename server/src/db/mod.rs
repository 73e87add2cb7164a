//! The database: which engine, how to open it, and its migrations.
//!
//! SQLite (WAL) is the embedded default; PostgreSQL is the scale-out engine.
//! Connection settings that SQLite keeps per connection (`foreign_keys`,
//! `busy_timeout`, `synchronous`) are set on the connect options, so every
//! pooled connection gets them.
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
/// `lock_timeout` the webhook committer sets on PostgreSQL.
pub const WRITE_LOCK_WAIT: Duration = Duration::from_secs(10);

/// Opens a pool for `url`. SQLite files (and their folder) are created when missing.
pub async fn connect(url: &DatabaseUrl) -> Result<DatabaseConnection, DbError> {
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
                .busy_timeout(WRITE_LOCK_WAIT);
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(CONNECT_TIMEOUT)
                .connect_with(options)
                .await
                .map_err(connect_error)?;
            Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
        }
        DatabaseUrl::Postgres { raw, .. } => {
            let options: PgConnectOptions = raw.parse().map_err(connect_error)?;
            // One direct attempt first: the pool would retry until its
            // timeout and then report only "timed out", hiding the cause
            // (refused, bad password, no such database).
            let probe = sqlx::ConnectOptions::connect(&options).await.map_err(connect_error)?;
            sqlx::Connection::close(probe).await.map_err(connect_error)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
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
