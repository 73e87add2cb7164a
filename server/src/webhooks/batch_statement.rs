//! A batch of inbox rows and their processing jobs in one round trip to the
//! database, instead of four (`BEGIN`, two inserts, `COMMIT`), each of which
//! waits for the database's thread (SQLite: the connection's worker thread;
//! PostgreSQL: its server process) to be scheduled on a busy CPU.
//!
//! PostgreSQL ([`postgres`]) runs a single statement in a transaction of its
//! own, and its data-modifying CTEs commit or fail together:
//!
//! ```sql
//! WITH ins AS (INSERT INTO lever_webhook_deliveries (…) VALUES (…), …
//!              ON CONFLICT (dedupe_key) DO NOTHING RETURNING id),
//!      enqueued AS (INSERT INTO jobs (…)
//!                   SELECT * FROM (VALUES (…), …) AS v (…)
//!                   WHERE v.idempotency_key IN (SELECT $k || ins.id::text FROM ins)
//!                   ON CONFLICT (idempotency_key) DO NOTHING)
//! SELECT id FROM ins
//! ```
//!
//! SQLite has no data-modifying CTEs, but sqlx runs a script of several
//! statements in one call on the connection's thread, binding the values
//! across them in order ([`sqlite`]):
//!
//! ```sql
//! BEGIN IMMEDIATE;
//! INSERT INTO lever_webhook_deliveries (…) VALUES (…), …
//!     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id;
//! INSERT INTO jobs (…) SELECT column2, … FROM (VALUES (?delivery_id, …), …)
//!     WHERE EXISTS (SELECT 1 FROM lever_webhook_deliveries d WHERE d.id = column1)
//!     ON CONFLICT (idempotency_key) DO NOTHING;
//! COMMIT;
//! ```
//!
//! A job is written only when its delivery was (a delivery whose dedupe key
//! was stored before gets no second job). Every delivery comes with a fresh
//! id, so on SQLite "its row exists" means "written by this batch"; on
//! PostgreSQL the job's idempotency key (`{JOB_KIND}:{delivery id}`, see
//! `processing::job_for`) is matched against the ids written. Both inserts
//! are built by sea-query from the entities, as everywhere else; this module
//! only splices them together, and its tests pin the shapes it relies on.
use entity::lever_webhook_delivery;
use sea_orm::sea_query::{InsertStatement, OnConflict, PostgresQueryBuilder, SqliteQueryBuilder, Values};
use sea_orm::{ActiveModelTrait, DbBackend, DbErr, EntityTrait, QueryTrait, Statement, Value};

use super::inbox;
use super::processing::JOB_KIND;
use crate::jobs;

/// One multi-row insert of `rows`, every column set, a row whose dedupe key
/// is taken left out: `INSERT … ON CONFLICT (dedupe_key) DO NOTHING
/// RETURNING id`.
pub(crate) fn insert_deliveries(rows: Vec<lever_webhook_delivery::Model>) -> InsertStatement {
    let mut insert = lever_webhook_delivery::Entity::insert_many(
        rows.into_iter().map(|row| lever_webhook_delivery::ActiveModel::from(row).reset_all()),
    )
    .on_conflict(OnConflict::column(lever_webhook_delivery::Column::DedupeKey).do_nothing().to_owned())
    .into_query();
    insert.returning_col(lever_webhook_delivery::Column::Id);
    insert
}

/// The PostgreSQL statement that stores `rows` (their dedupe keys free) and
/// the jobs of those written; it answers the ids of the rows written, as
/// `id`.
pub(crate) fn postgres(rows: Vec<lever_webhook_delivery::Model>) -> Result<Statement, DbErr> {
    let new_jobs: Vec<_> = rows.iter().filter_map(inbox::job_for_row).collect();
    let (insert_deliveries, mut values) = insert_deliveries(rows).build(PostgresQueryBuilder);
    let Some(jobs) = jobs::enqueue_many_statement(new_jobs)? else {
        // Only ignored events: no jobs, a plain insert.
        return Ok(Statement::from_sql_and_values(DbBackend::Postgres, insert_deliveries, values));
    };
    let (insert_jobs, job_values) = jobs.build(PostgresQueryBuilder);
    let insert_jobs = renumber(&insert_jobs, values.0.len());
    values.0.extend(job_values.0);
    values.0.push(Value::from(format!("{JOB_KIND}:")));
    let key_prefix = values.0.len();
    let filtered = only_jobs_of_written_rows(&insert_jobs, key_prefix)?;
    let sql = format!("WITH ins AS ({insert_deliveries}), enqueued AS ({filtered}) SELECT \"id\" FROM ins");
    Ok(Statement::from_sql_and_values(DbBackend::Postgres, sql, values))
}

/// The SQLite script that stores `rows` (their dedupe keys free) and the
/// jobs of those written, in one `BEGIN IMMEDIATE` transaction; it answers
/// the ids of the rows written, as `id`. When it fails part-way the
/// transaction is still open: the caller rolls it back.
pub(crate) fn sqlite(rows: Vec<lever_webhook_delivery::Model>) -> Result<(String, Values), DbErr> {
    let with_jobs: Vec<_> =
        rows.iter().filter_map(|row| inbox::job_for_row(row).map(|job| (row.id, job))).collect();
    let (insert_deliveries, mut values) = insert_deliveries(rows).build(SqliteQueryBuilder);
    let (delivery_ids, new_jobs): (Vec<_>, Vec<_>) = with_jobs.into_iter().unzip();
    let Some(jobs) = jobs::enqueue_many_statement(new_jobs)? else {
        return Ok((format!("BEGIN IMMEDIATE; {insert_deliveries}; COMMIT"), values));
    };
    let (insert_jobs, job_values) = jobs.build(SqliteQueryBuilder);
    let (insert_jobs, job_values) = keyed_by_delivery(&insert_jobs, job_values, delivery_ids)?;
    values.0.extend(job_values.0);
    Ok((format!("BEGIN IMMEDIATE; {insert_deliveries}; {insert_jobs}; COMMIT"), values))
}

/// `INSERT INTO jobs (c1, …, ck) VALUES (?, …), … ON CONFLICT …` becomes
/// an insert of the rows whose delivery (its id bound before each row's
/// values) exists.
fn keyed_by_delivery(
    insert: &str,
    values: Values,
    delivery_ids: Vec<uuid::Uuid>,
) -> Result<(String, Values), DbErr> {
    let unexpected = || DbErr::Custom(format!("unexpected shape of the jobs insert: {insert}"));
    let (head, rest) = insert.split_once(" VALUES ").ok_or_else(unexpected)?;
    let (rows, on_conflict) = rest.split_once(" ON CONFLICT ").ok_or_else(unexpected)?;
    let per_row = values.0.len().checked_div(delivery_ids.len()).filter(|k| *k > 0).ok_or_else(unexpected)?;
    let tuple = |k: usize| format!("({})", vec!["?"; k].join(", "));
    // Every value a placeholder, one tuple per job: nothing inlined that
    // the rebuilt rows would lose.
    if values.0.len() != per_row * delivery_ids.len()
        || rows != vec![tuple(per_row); delivery_ids.len()].join(", ")
    {
        return Err(unexpected());
    }
    let mut keyed = Vec::with_capacity(values.0.len() + delivery_ids.len());
    let mut job_values = values.0.into_iter();
    for id in delivery_ids {
        keyed.push(Value::from(id));
        keyed.extend(job_values.by_ref().take(per_row));
    }
    let columns = (2..=per_row + 1).map(|n| format!("column{n}")).collect::<Vec<_>>().join(", ");
    let rows = vec![tuple(per_row + 1); keyed.len() / (per_row + 1)].join(", ");
    Ok((
        format!(
            "{head} SELECT {columns} FROM (VALUES {rows}) \
             WHERE EXISTS (SELECT 1 FROM \"lever_webhook_deliveries\" AS d WHERE d.\"id\" = column1) \
             ON CONFLICT {on_conflict}"
        ),
        Values(keyed),
    ))
}

/// `INSERT INTO t (cols) VALUES rows ON CONFLICT …` becomes an insert of
/// those rows whose idempotency key is `$key_prefix` followed by the id of
/// a row `ins` returned.
fn only_jobs_of_written_rows(insert: &str, key_prefix: usize) -> Result<String, DbErr> {
    let unexpected = || DbErr::Custom(format!("unexpected shape of the jobs insert: {insert}"));
    let (head, rest) = insert.split_once(" VALUES ").ok_or_else(unexpected)?;
    let (rows, on_conflict) = rest.split_once(" ON CONFLICT ").ok_or_else(unexpected)?;
    let columns = head.find('(').map(|at| &head[at..]).filter(|c| c.ends_with(')')).ok_or_else(unexpected)?;
    Ok(format!(
        "{head} SELECT * FROM (VALUES {rows}) AS v {columns} \
         WHERE v.\"idempotency_key\" IN (SELECT ${key_prefix} || ins.\"id\"::text FROM ins) \
         ON CONFLICT {on_conflict}"
    ))
}

/// Shifts every `$n` placeholder of `sql` by `by` (sea-query numbers each
/// statement's parameters from `$1`; bound values are never inlined, so a
/// `$` followed by digits is always a placeholder).
fn renumber(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + sql.len() / 8);
    let mut chars = sql.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let mut number = String::new();
        while let Some((_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
            number.push(*d);
            chars.next();
        }
        match number.parse::<usize>() {
            Ok(n) => out.push_str(&(n + by).to_string()),
            Err(_) => out.push_str(&number),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_shifted_past_the_first_statements() {
        assert_eq!(renumber("VALUES ($1, $2), ($10, $11)", 5), "VALUES ($6, $7), ($15, $16)");
        assert_eq!(renumber("no placeholders", 3), "no placeholders");
    }

    #[test]
    fn the_jobs_insert_keeps_only_the_jobs_of_written_rows() {
        let sql = r#"INSERT INTO "jobs" ("id", "idempotency_key") VALUES ($3, $4), ($5, $6) ON CONFLICT ("idempotency_key") DO NOTHING"#;
        assert_eq!(
            only_jobs_of_written_rows(sql, 7).expect("known shape"),
            r#"INSERT INTO "jobs" ("id", "idempotency_key") SELECT * FROM (VALUES ($3, $4), ($5, $6)) AS v ("id", "idempotency_key") WHERE v."idempotency_key" IN (SELECT $7 || ins."id"::text FROM ins) ON CONFLICT ("idempotency_key") DO NOTHING"#
        );
        assert!(only_jobs_of_written_rows("INSERT INTO jobs DEFAULT VALUES", 1).is_err());
    }

    #[test]
    fn sqlite_job_rows_carry_their_delivery_id_first() {
        let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let sql = r#"INSERT INTO "jobs" ("id", "kind") VALUES (?, ?), (?, ?) ON CONFLICT ("idempotency_key") DO NOTHING"#;
        let values = Values(vec!["j1".into(), "k1".into(), "j2".into(), "k2".into()]);
        let (sql, values) = keyed_by_delivery(sql, values, vec![a, b]).expect("known shape");
        assert_eq!(
            sql,
            r#"INSERT INTO "jobs" ("id", "kind") SELECT column2, column3 FROM (VALUES (?, ?, ?), (?, ?, ?)) WHERE EXISTS (SELECT 1 FROM "lever_webhook_deliveries" AS d WHERE d."id" = column1) ON CONFLICT ("idempotency_key") DO NOTHING"#
        );
        let expected: Vec<Value> =
            vec![a.into(), "j1".into(), "k1".into(), b.into(), "j2".into(), "k2".into()];
        assert_eq!(values.0, expected);
        // An inlined value would be lost by the rebuilt rows: refused.
        let inlined =
            r#"INSERT INTO "jobs" ("id", "kind") VALUES (?, 'x'), (?, 'y') ON CONFLICT ("id") DO NOTHING"#;
        assert!(keyed_by_delivery(inlined, Values(vec!["j1".into(), "j2".into()]), vec![a, b]).is_err());
    }

    #[test]
    fn a_sqlite_batch_is_one_script_in_one_transaction() {
        let (sql, values) = sqlite(three_rows()).expect("script");
        assert!(sql.starts_with("BEGIN IMMEDIATE; INSERT INTO \"lever_webhook_deliveries\""), "{sql}");
        assert!(sql.contains("RETURNING \"id\"; INSERT INTO \"jobs\""), "{sql}");
        assert!(sql.ends_with("DO NOTHING; COMMIT"), "{sql}");
        assert_eq!(sql.matches('?').count(), values.0.len(), "one value per placeholder");
    }

    fn three_rows() -> Vec<lever_webhook_delivery::Model> {
        let org = uuid::Uuid::new_v4();
        let connection = uuid::Uuid::new_v4();
        (0..3)
            .map(|n| {
                let body = serde_json::json!({
                    "event": "candidateHired", "signature": "00", "token": format!("tok-{n}"),
                    "triggeredAt": 1_763_900_000_000_i64 + n, "data": { "opportunityId": format!("opp-{n}") },
                });
                let delivery =
                    super::super::Delivery::parse(&serde_json::to_vec(&body).expect("json")).expect("parses");
                inbox::row(org, connection, &delivery)
            })
            .collect()
    }

    /// The statement sea-query builds today has the shape the splice needs,
    /// with one bound value per placeholder.
    #[test]
    fn a_batch_is_one_statement_with_every_value_bound() {
        let rows = three_rows();
        let statement = postgres(rows).expect("statement");
        let values = statement.values.expect("values").0;
        let sql = statement.sql;
        assert!(sql.starts_with("WITH ins AS (INSERT INTO \"lever_webhook_deliveries\""), "{sql}");
        assert!(sql.contains("RETURNING \"id\"), enqueued AS (INSERT INTO \"jobs\""), "{sql}");
        assert!(sql.ends_with("DO NOTHING) SELECT \"id\" FROM ins"), "{sql}");
        let highest =
            (1..=values.len()).rev().find(|n| sql.contains(&format!("${n}"))).expect("placeholders");
        assert_eq!(highest, values.len(), "every value has its placeholder");
        assert!(!sql.contains(&format!("${}", values.len() + 1)));
        assert_eq!(values.last(), Some(&Value::from(format!("{JOB_KIND}:"))));
    }
}
