//! The route's committer on SQLite: one connection of its own, used on the
//! committer's own thread (rusqlite), so a batch goes from the queue to the
//! disk and its answers go out without waiting for anything else.
//!
//! Through sqlx a batch made four hand-offs between threads: the writer
//! task (on a runtime thread busy with requests) to the connection's worker
//! thread, rows streamed back one by one, and the task woken again to
//! answer. On the bench machine those waits for a thread to be scheduled,
//! not SQLite's work, were most of a batch's time, and batches grew with
//! them (26 µs per delivery). Here the committer's thread takes the batch,
//! writes it and answers it itself (see `committer`).
//!
//! The connection is set up as the pool's dedicated connections are
//! (`crate::db::connect_dedicated`): WAL, `synchronous=FULL` (a 200 to
//! Lever means the delivery survives power loss), foreign keys on, no
//! checkpoints of its own, the fine-grained busy handler of
//! `vouch-sqlite-busy`. Values are bound exactly as sqlx binds them
//! ([`bind`]), so rows written here read back through sea-orm like any
//! other: the statements themselves are the sea-query ones the rest of the
//! committer uses.
use std::cell::Cell;
use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use chrono::SecondsFormat;
use entity::lever_webhook_delivery;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use sea_orm::sea_query::{OptionEnum, SqliteQueryBuilder, Value};
use uuid::Uuid;

use super::batch_statement;
use super::fan_out::Share;
use crate::db::DbFailure;
use crate::jobs;

/// Prepared statements kept: one batch insert per batch size (up to the
/// committer's `MAX_BATCH`), and the fan-out job inserts.
const STATEMENT_CACHE: usize = 300;

/// Why a batch was not written, classified as the rest of Vouch classifies
/// database errors.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct WriteFailure {
    pub failure: DbFailure,
    pub message: String,
}

impl From<rusqlite::Error> for WriteFailure {
    fn from(err: rusqlite::Error) -> Self {
        Self { failure: classify(&err), message: err.to_string() }
    }
}

impl From<sea_orm::DbErr> for WriteFailure {
    fn from(err: sea_orm::DbErr) -> Self {
        Self { failure: crate::db::classify(&err), message: err.to_string() }
    }
}

/// SQLite's primary result codes, as `crate::db::classify` reads them from
/// sqlx: busy, locked, read-only, I/O error, full or cannot open means the
/// database cannot take writes now; a foreign key means the row's
/// connection is gone.
fn classify(err: &rusqlite::Error) -> DbFailure {
    let rusqlite::Error::SqliteFailure(failure, _) = err else { return DbFailure::Other };
    match failure.code {
        ErrorCode::DatabaseBusy
        | ErrorCode::DatabaseLocked
        | ErrorCode::ReadOnly
        | ErrorCode::SystemIoFailure
        | ErrorCode::DiskFull
        | ErrorCode::CannotOpen => DbFailure::Unavailable,
        ErrorCode::ConstraintViolation => match failure.extended_code {
            rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => DbFailure::ForeignKeyViolation,
            rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                DbFailure::UniqueViolation
            }
            _ => DbFailure::Other,
        },
        _ => DbFailure::Other,
    }
}

thread_local! {
    /// The lock wait of the connection writing on this thread (the busy
    /// handler is a plain function; each connection writes on one thread).
    static LOCK_WAIT: Cell<Duration> = const { Cell::new(crate::db::WRITE_LOCK_WAIT) };
}

fn on_busy(attempt: i32) -> bool {
    vouch_sqlite_busy::wait_once(attempt, LOCK_WAIT.with(Cell::get))
}

/// The committer's connection. Not `Sync`: use it from one thread at a time.
pub struct SqliteWriter {
    connection: Connection,
    lock_wait: Duration,
}

impl SqliteWriter {
    /// Opens `path` (the database must exist and be migrated) for writing;
    /// a batch waits at most `lock_wait` for another writer, then fails as
    /// unavailable.
    pub fn open(path: &Path, lock_wait: Duration) -> Result<Self, WriteFailure> {
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // `journal_mode` answers a row; the others answer none.
        let mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(WriteFailure {
                failure: DbFailure::Other,
                message: format!("{} is in journal mode {mode}, not WAL", path.display()),
            });
        }
        connection.execute_batch(&format!(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; \
             PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = {}",
            crate::db::DEDICATED_CACHE_SIZE
        ))?;
        connection.busy_handler(Some(on_busy))?;
        connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(Self { connection, lock_wait })
    }

    /// Writes the rows whose dedupe key is free and the fan-out jobs of the
    /// shares with a row written, in one `BEGIN IMMEDIATE` transaction;
    /// answers the ids written. On failure nothing is written (the
    /// transaction rolls back).
    pub fn write(
        &mut self,
        rows: Vec<lever_webhook_delivery::Model>,
        shares: Vec<Share>,
    ) -> Result<HashSet<Uuid>, WriteFailure> {
        LOCK_WAIT.with(|wait| wait.set(self.lock_wait));
        let (insert, values) = batch_statement::insert_deliveries(rows).build(SqliteQueryBuilder);
        let values = bind(values.0)?;
        let transaction = self.connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut inserted = HashSet::new();
        {
            let mut statement = transaction.prepare_cached(&insert)?;
            let mut written = statement.query(rusqlite::params_from_iter(values))?;
            while let Some(row) = written.next()? {
                let id: [u8; 16] = row.get(0)?;
                inserted.insert(Uuid::from_bytes(id));
            }
        }
        let jobs: Vec<_> = shares
            .into_iter()
            .filter(|share| share.delivery_ids.iter().any(|id| inserted.contains(id)))
            .map(|share| share.job)
            .collect();
        if let Some(insert) = jobs::enqueue_many_statement(jobs)? {
            let (sql, values) = insert.build(SqliteQueryBuilder);
            transaction.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(bind(values.0)?))?;
        }
        transaction.commit()?;
        Ok(inserted)
    }
}

/// sea-query's values as sqlx-sqlite binds them (`sea-query-sqlx`, then
/// sqlx's encoders): UUIDs as 16-byte blobs, times as RFC 3339 text, JSON
/// as its text, booleans as integers. A row written here must compare and
/// read back exactly like one written through sea-orm.
fn bind(values: Vec<Value>) -> Result<Vec<Sql>, WriteFailure> {
    values.into_iter().map(bind_one).collect()
}

fn bind_one(value: Value) -> Result<Sql, WriteFailure> {
    let integer = |n: Option<i64>| n.map_or(Sql::Null, Sql::Integer);
    let text = |s: Option<String>| s.map_or(Sql::Null, Sql::Text);
    Ok(match value {
        Value::Bool(b) => integer(b.map(i64::from)),
        Value::TinyInt(n) => integer(n.map(i64::from)),
        Value::SmallInt(n) => integer(n.map(i64::from)),
        Value::Int(n) => integer(n.map(i64::from)),
        Value::BigInt(n) => integer(n),
        Value::TinyUnsigned(n) => integer(n.map(i64::from)),
        Value::SmallUnsigned(n) => integer(n.map(i64::from)),
        Value::Unsigned(n) => integer(n.map(i64::from)),
        Value::BigUnsigned(n) => match n.map(i64::try_from).transpose() {
            Ok(n) => integer(n),
            Err(_) => return Err(unsupported("an unsigned integer past i64")),
        },
        Value::Float(f) => f.map_or(Sql::Null, |f| Sql::Real(f64::from(f))),
        Value::Double(f) => f.map_or(Sql::Null, Sql::Real),
        Value::String(s) => text(s),
        Value::Char(c) => text(c.map(String::from)),
        Value::Enum(OptionEnum::Some(e)) => Sql::Text(e.value.into_owned()),
        Value::Enum(OptionEnum::None(_)) => Sql::Null,
        Value::Bytes(b) => b.map_or(Sql::Null, Sql::Blob),
        Value::Uuid(u) => u.map_or(Sql::Null, |u| Sql::Blob(u.as_bytes().to_vec())),
        Value::Json(j) => text(j.map(|j| j.to_string())),
        Value::ChronoDateTimeUtc(t) => text(t.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, false))),
        Value::ChronoDateTimeWithTimeZone(t) => {
            text(t.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, false)))
        }
        Value::ChronoDateTimeLocal(t) => text(t.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, false))),
        Value::ChronoDateTime(t) => text(t.map(|t| t.format("%F %T%.f").to_string())),
        Value::ChronoDate(d) => text(d.map(|d| d.format("%F").to_string())),
        Value::ChronoTime(t) => text(t.map(|t| t.format("%T%.f").to_string())),
        // Types no column of the inbox or the jobs has (the `time` crate's,
        // and others sea-query's features bring in): an error, never a
        // guess at how sqlx would have bound them.
        other => return Err(unsupported(&format!("{other:?}"))),
    })
}

fn unsupported(what: &str) -> WriteFailure {
    WriteFailure { failure: DbFailure::Other, message: format!("the SQLite committer cannot bind {what}") }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use chrono::Utc;
    use entity::lever_connection::{self, AuthMode, ConnectionStatus, DataCentre};
    use entity::{job, lever_webhook_delivery as delivery};
    use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set};

    use super::*;
    use crate::db::{connect, migrate, DatabaseUrl};
    use crate::webhooks::{fan_out, inbox, Delivery};

    /// A migrated SQLite file with one organization and one connection.
    struct Fixture {
        _dir: tempfile::TempDir,
        path: std::path::PathBuf,
        db: DatabaseConnection,
        org: Uuid,
        connection: Uuid,
    }

    async fn fixture() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("writer.db");
        let url = DatabaseUrl::Sqlite { path: path.clone() };
        let db = connect(&url).await.expect("pool");
        migrate(&db, &url).await.expect("migrate");
        let org = crate::domain::organizations::find_or_create(&db, "Writer").await.expect("org").id;
        let now = Utc::now();
        let connection = lever_connection::ActiveModel {
            id: Set(Uuid::new_v4()),
            organization_id: Set(org),
            data_centre: Set(DataCentre::Eu),
            auth_mode: Set(AuthMode::ApiKey),
            status: Set(ConnectionStatus::Connected),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&db)
        .await
        .expect("connection")
        .id;
        Fixture { _dir: dir, path, db, org, connection }
    }

    fn row(org: Uuid, connection: Uuid, n: i64) -> delivery::Model {
        let body = serde_json::json!({
            "event": "candidateStageChange", "signature": "00", "token": format!("tok-{n}"),
            "triggeredAt": 1_763_900_000_000_i64 + n,
            "data": { "opportunityId": format!("opp-{n}"), "toStageId": "stage-1" },
        });
        let parsed = Delivery::parse(&serde_json::to_vec(&body).expect("json")).expect("parses");
        inbox::row(org, connection, &parsed)
    }

    fn write(writer: &mut SqliteWriter, rows: Vec<delivery::Model>) -> Result<HashSet<Uuid>, WriteFailure> {
        let shares = fan_out::shares(&rows);
        writer.write(rows, shares)
    }

    async fn texts(db: &DatabaseConnection, sql: &str) -> Vec<String> {
        let statement = sea_orm::Statement::from_string(sea_orm::DatabaseBackend::Sqlite, sql);
        let row = db.query_one_raw(statement).await.expect("query").expect("a row");
        (0..row.column_names().len()).map(|n| row.try_get_by_index::<String>(n).expect("text")).collect()
    }

    /// Every column of a row written here has the type, and for equal
    /// values the text, of one written through sea-orm, and reads back as
    /// the model that was written; so does its fan-out job.
    #[tokio::test]
    async fn rows_written_here_are_stored_as_sea_orm_stores_them() {
        let f = fixture().await;
        let through_orm = row(f.org, f.connection, 1);
        delivery::ActiveModel::from(through_orm.clone()).insert(&f.db).await.expect("sea-orm insert");
        let mut here = row(f.org, f.connection, 2);
        here.received_at = through_orm.received_at;
        let mut writer = SqliteWriter::open(&f.path, Duration::from_secs(5)).expect("open");
        let written = write(&mut writer, vec![here.clone()]).expect("written");
        assert_eq!(written, HashSet::from([here.id]));

        let stored = delivery::Entity::find_by_id(here.id).one(&f.db).await.expect("read").expect("the row");
        assert_eq!(stored, here);
        let columns = "typeof(id), typeof(organization_id), typeof(connection_id), typeof(dedupe_key), \
                       typeof(triggered_at), typeof(data), typeof(status), typeof(detail), \
                       typeof(process_count), typeof(received_at), received_at, typeof(processed_at), \
                       typeof(source), source, typeof(stage_id)";
        let of = |id: Uuid| {
            format!("SELECT {columns} FROM lever_webhook_deliveries WHERE id = x'{}'", id.simple())
        };
        assert_eq!(texts(&f.db, &of(here.id)).await, texts(&f.db, &of(through_orm.id)).await);

        let jobs = job::Entity::find().all(&f.db).await.expect("jobs");
        assert_eq!(jobs.len(), 1, "one fan-out job for the batch");
        assert_eq!(jobs[0].kind, fan_out::JOB_KIND);
        assert_eq!(jobs[0].payload, serde_json::json!({ "delivery_ids": [here.id] }));
    }

    /// A key stored before (here by an earlier batch) is not written again,
    /// and a batch that writes nothing gets no fan-out job.
    #[tokio::test]
    async fn a_stored_dedupe_key_is_left_out_and_gets_no_job() {
        let f = fixture().await;
        let mut writer = SqliteWriter::open(&f.path, Duration::from_secs(5)).expect("open");
        let first = row(f.org, f.connection, 1);
        write(&mut writer, vec![first.clone()]).expect("first batch");
        let again = row(f.org, f.connection, 1);
        assert_ne!(again.id, first.id);
        let next = row(f.org, f.connection, 2);
        let written = write(&mut writer, vec![again.clone(), next.clone()]).expect("second batch");
        assert_eq!(written, HashSet::from([next.id]));
        assert!(write(&mut writer, vec![row(f.org, f.connection, 2)]).expect("third batch").is_empty());
        assert_eq!(delivery::Entity::find().count(&f.db).await.expect("count"), 2);
        assert_eq!(job::Entity::find().count(&f.db).await.expect("count"), 2, "none for the third batch");
    }

    /// A row whose connection is gone fails the batch as a foreign-key
    /// violation (the committer then writes the rows one by one), and none
    /// of the batch is written.
    #[tokio::test]
    async fn a_row_of_a_missing_connection_fails_the_batch_and_writes_nothing() {
        let f = fixture().await;
        let mut writer = SqliteWriter::open(&f.path, Duration::from_secs(5)).expect("open");
        let rows = vec![row(f.org, f.connection, 1), row(f.org, Uuid::new_v4(), 2)];
        let failed = write(&mut writer, rows).expect_err("a foreign key refuses it");
        assert_eq!(failed.failure, DbFailure::ForeignKeyViolation, "{failed}");
        assert_eq!(delivery::Entity::find().count(&f.db).await.expect("count"), 0);
        assert_eq!(job::Entity::find().count(&f.db).await.expect("count"), 0);
        // The connection is fine afterwards.
        write(&mut writer, vec![row(f.org, f.connection, 3)]).expect("the next batch");
    }

    /// While another connection holds the write lock past the wait, the
    /// batch fails as unavailable (503, Lever retries) instead of waiting on.
    #[tokio::test]
    async fn a_write_lock_held_past_the_wait_makes_the_batch_unavailable() {
        let f = fixture().await;
        let mut writer = SqliteWriter::open(&f.path, Duration::from_millis(200)).expect("open");
        let holder = Connection::open(&f.path).expect("another connection");
        holder.execute_batch("BEGIN IMMEDIATE").expect("take the write lock");
        let started = Instant::now();
        let failed = write(&mut writer, vec![row(f.org, f.connection, 1)]).expect_err("locked");
        assert_eq!(failed.failure, DbFailure::Unavailable, "{failed}");
        assert!(started.elapsed() >= Duration::from_millis(200), "gave up after {:?}", started.elapsed());
        holder.execute_batch("COMMIT").expect("release");
        write(&mut writer, vec![row(f.org, f.connection, 1)]).expect("written once the lock is free");
    }

    #[test]
    fn values_are_bound_as_sqlx_binds_them() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-07T12:00:00.5+00:00").expect("time").to_utc();
        assert_eq!(bind_one(Value::from(true)).expect("bool"), Sql::Integer(1));
        assert_eq!(
            bind_one(Value::from(at)).expect("time"),
            Sql::Text("2026-12-07T12:00:00.500+00:00".into())
        );
        let id = Uuid::now_v7();
        assert_eq!(bind_one(Value::from(id)).expect("uuid"), Sql::Blob(id.as_bytes().to_vec()));
        let json = serde_json::json!({ "a": [1, "b"] });
        assert_eq!(bind_one(Value::from(json)).expect("json"), Sql::Text(r#"{"a":[1,"b"]}"#.into()));
        assert_eq!(bind_one(Value::String(None)).expect("null"), Sql::Null);
        assert_eq!(bind_one(Value::from('x')).expect("char"), Sql::Text("x".into()));
        assert!(bind_one(Value::BigUnsigned(Some(u64::MAX))).is_err());
    }
}
