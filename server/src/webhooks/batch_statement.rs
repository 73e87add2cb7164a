//! A batch of inbox rows and their fan-out jobs in one round trip to the
//! database, instead of four (`BEGIN`, two inserts, `COMMIT`), each of which
//! waits for the database's thread (SQLite: the connection's worker thread;
//! PostgreSQL: its server process) to be scheduled on a busy CPU.
//!
//! A batch commits with one fan-out job per connection in it (see
//! `fan_out`), written only when at least one of the deliveries it names
//! was (a batch of repeats, their dedupe keys stored before, gets none).
//!
//! PostgreSQL ([`postgres`]) runs a single statement in a transaction of its
//! own, and its data-modifying CTEs commit or fail together:
//!
//! ```sql
//! WITH ins AS (INSERT INTO lever_webhook_deliveries (…) VALUES (…), …
//!              ON CONFLICT (dedupe_key) DO NOTHING RETURNING id),
//!      fan_out0 AS (INSERT INTO jobs (…) SELECT $a, …
//!                   WHERE EXISTS (SELECT 1 FROM ins WHERE ins.id IN ($x, …))
//!                   ON CONFLICT (idempotency_key) DO NOTHING)
//! SELECT id FROM ins
//! ```
//!
//! On SQLite the committer's own thread runs the same two inserts itself,
//! with no round trips to save (see `sqlite_writer`); [`insert_deliveries`]
//! is shared.
//!
//! Every delivery comes with a fresh id, so "its row exists" means "written
//! by this batch". Both inserts are built by sea-query from the entities, as
//! everywhere else; this module only splices them together, and its tests
//! pin the shapes it relies on.
use entity::lever_webhook_delivery;
use sea_orm::sea_query::{InsertStatement, OnConflict, PostgresQueryBuilder, QueryBuilder, Values};
use sea_orm::{ActiveModelTrait, DbBackend, DbErr, EntityTrait, QueryTrait, Statement, Value};

use uuid::Uuid;

use super::fan_out::Share;
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

/// The PostgreSQL statement that stores `rows` and, for each share whose
/// deliveries were written, its fan-out job; it answers the ids of the rows
/// written, as `id`.
pub(crate) fn postgres(
    rows: Vec<lever_webhook_delivery::Model>,
    shares: Vec<Share>,
) -> Result<Statement, DbErr> {
    let (insert_deliveries, mut values) = insert_deliveries(rows).build(PostgresQueryBuilder);
    let mut sql = format!("WITH ins AS ({insert_deliveries})");
    for (n, share) in shares.into_iter().enumerate() {
        let (insert_job, job_values) = job_insert(share.job, PostgresQueryBuilder)?;
        let insert_job = renumber(&insert_job, values.0.len());
        values.0.extend(job_values);
        let ids = bind_ids(&mut values, share.delivery_ids, |n| format!("${n}"));
        let exists = format!("SELECT 1 FROM ins WHERE ins.\"id\" IN ({ids})");
        sql.push_str(&format!(", fan_out{n} AS ({})", only_if_written(&insert_job, &exists)?));
    }
    sql.push_str(" SELECT \"id\" FROM ins");
    Ok(Statement::from_sql_and_values(DbBackend::Postgres, sql, values))
}

/// A fan-out job as a one-row insert for `builder`, and its values.
fn job_insert(job: jobs::NewJob, builder: impl QueryBuilder) -> Result<(String, Vec<Value>), DbErr> {
    let insert = jobs::enqueue_many_statement(vec![job])?
        .ok_or_else(|| DbErr::Custom("a fan-out job builds no insert".into()))?;
    let (sql, values) = insert.build(builder);
    Ok((sql, values.0))
}

/// Binds `ids` after the values so far; answers their placeholders, each
/// made from its 1-based position by `placeholder`.
fn bind_ids(values: &mut Values, ids: Vec<Uuid>, placeholder: impl Fn(usize) -> String) -> String {
    let first = values.0.len() + 1;
    let list: Vec<_> = (first..first + ids.len()).map(placeholder).collect();
    values.0.extend(ids.into_iter().map(Value::from));
    list.join(", ")
}

/// `INSERT INTO t (cols) VALUES (p1, …) ON CONFLICT …`, one row of bound
/// values, becomes an insert of that row only when `exists` finds a row:
/// `INSERT INTO t (cols) SELECT p1, … WHERE EXISTS (exists) ON CONFLICT …`.
fn only_if_written(insert: &str, exists: &str) -> Result<String, DbErr> {
    let unexpected = || DbErr::Custom(format!("unexpected shape of the jobs insert: {insert}"));
    let (head, rest) = insert.split_once(" VALUES (").ok_or_else(unexpected)?;
    let (row, on_conflict) = rest.split_once(") ON CONFLICT ").ok_or_else(unexpected)?;
    // One tuple of placeholders only: nothing inlined, no second row.
    let placeholder = |p: &str| p == "?" || p.strip_prefix('$').is_some_and(|n| n.parse::<usize>().is_ok());
    if !row.split(", ").all(placeholder) {
        return Err(unexpected());
    }
    Ok(format!("{head} SELECT {row} WHERE EXISTS ({exists}) ON CONFLICT {on_conflict}"))
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
    use crate::webhooks::{fan_out, inbox};

    #[test]
    fn placeholders_are_shifted_past_the_first_statements() {
        assert_eq!(renumber("VALUES ($1, $2), ($10, $11)", 5), "VALUES ($6, $7), ($15, $16)");
        assert_eq!(renumber("no placeholders", 3), "no placeholders");
    }

    #[test]
    fn a_fan_out_job_is_inserted_only_when_its_deliveries_were() {
        let sql =
            r#"INSERT INTO "jobs" ("id", "kind") VALUES ($3, $4) ON CONFLICT ("idempotency_key") DO NOTHING"#;
        assert_eq!(
            only_if_written(sql, "SELECT 1 FROM ins").expect("known shape"),
            r#"INSERT INTO "jobs" ("id", "kind") SELECT $3, $4 WHERE EXISTS (SELECT 1 FROM ins) ON CONFLICT ("idempotency_key") DO NOTHING"#
        );
        let sqlite =
            r#"INSERT INTO "jobs" ("id", "kind") VALUES (?, ?) ON CONFLICT ("idempotency_key") DO NOTHING"#;
        assert!(only_if_written(sqlite, "SELECT 1")
            .expect("known shape")
            .contains("SELECT ?, ? WHERE EXISTS"));
        // An inlined value, a second row, or no row at all: refused.
        for wrong in [
            r#"INSERT INTO "jobs" ("id", "kind") VALUES (?, 'x') ON CONFLICT ("id") DO NOTHING"#,
            r#"INSERT INTO "jobs" ("id", "kind") VALUES (?, ?), (?, ?) ON CONFLICT ("id") DO NOTHING"#,
            "INSERT INTO jobs DEFAULT VALUES",
        ] {
            assert!(only_if_written(wrong, "SELECT 1").is_err(), "{wrong}");
        }
    }

    #[test]
    fn ids_are_bound_after_the_values_so_far() {
        let mut values = Values(vec!["a".into(), "b".into()]);
        let (x, y) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(bind_ids(&mut values, vec![x, y], |n| format!("${n}")), "$3, $4");
        assert_eq!(values.0[2..], [Value::from(x), Value::from(y)]);
    }

    fn rows(connections: &[Uuid]) -> Vec<lever_webhook_delivery::Model> {
        let org = Uuid::now_v7();
        connections
            .iter()
            .enumerate()
            .map(|(n, connection)| {
                let body = serde_json::json!({
                    "event": "candidateHired", "signature": "00", "token": format!("tok-{n}"),
                    "triggeredAt": 1_763_900_000_000_i64 + n as i64,
                    "data": { "opportunityId": format!("opp-{n}") },
                });
                let delivery =
                    super::super::Delivery::parse(&serde_json::to_vec(&body).expect("json")).expect("parses");
                inbox::row(org, *connection, &delivery)
            })
            .collect()
    }

    /// The statement sea-query builds today has the shape the splice needs,
    /// with one bound value per placeholder.
    #[test]
    fn a_postgres_batch_is_one_statement_with_every_value_bound() {
        let connection = Uuid::now_v7();
        let rows = rows(&[connection, connection, connection]);
        let ids: Vec<Value> = rows.iter().map(|row| Value::from(row.id)).collect();
        let shares = fan_out::shares(&rows);
        let statement = postgres(rows, shares).expect("statement");
        let values = statement.values.expect("values").0;
        let sql = statement.sql;
        assert!(sql.starts_with("WITH ins AS (INSERT INTO \"lever_webhook_deliveries\""), "{sql}");
        assert!(sql.contains("RETURNING \"id\"), fan_out0 AS (INSERT INTO \"jobs\""), "{sql}");
        assert!(sql.ends_with("DO NOTHING) SELECT \"id\" FROM ins"), "{sql}");
        let highest =
            (1..=values.len()).rev().find(|n| sql.contains(&format!("${n}"))).expect("placeholders");
        assert_eq!(highest, values.len(), "every value has its placeholder");
        assert!(!sql.contains(&format!("${}", values.len() + 1)));
        assert_eq!(values[values.len() - 3..], ids[..], "the share's ids are bound last");
    }
}
