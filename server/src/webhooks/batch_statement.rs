//! A batch of inbox rows and their processing jobs as one PostgreSQL
//! statement, so that a batch costs one round trip instead of four
//! (`BEGIN`, two inserts, `COMMIT`): PostgreSQL runs a single statement in
//! a transaction of its own, and its data-modifying CTEs commit or fail
//! together.
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
//! A job is written only when its delivery was (a delivery whose dedupe
//! key was stored before gets no second job), which the job's idempotency
//! key (`{JOB_KIND}:{delivery id}`, see `processing::job_for`) tells. Both
//! inserts are built by sea-query from the entities, as everywhere else;
//! this module only splices them together, and its tests pin the shape it
//! relies on.
use entity::lever_webhook_delivery;
use sea_orm::sea_query::{OnConflict, PostgresQueryBuilder};
use sea_orm::{ActiveModelTrait, DbBackend, DbErr, EntityTrait, QueryTrait, Statement, Value};

use super::inbox;
use super::processing::JOB_KIND;
use crate::jobs;

/// The statement that stores `rows` (their dedupe keys free) and the jobs
/// of those written; it answers the ids of the rows written, as `id`.
pub(crate) fn statement(rows: Vec<lever_webhook_delivery::Model>) -> Result<Statement, DbErr> {
    let new_jobs: Vec<_> = rows.iter().filter_map(inbox::job_for_row).collect();
    let mut deliveries = lever_webhook_delivery::Entity::insert_many(
        rows.into_iter().map(|row| lever_webhook_delivery::ActiveModel::from(row).reset_all()),
    )
    .on_conflict(OnConflict::column(lever_webhook_delivery::Column::DedupeKey).do_nothing().to_owned())
    .into_query();
    deliveries.returning_col(lever_webhook_delivery::Column::Id);
    let (insert_deliveries, mut values) = deliveries.build(PostgresQueryBuilder);
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

    /// The statement sea-query builds today has the shape the splice needs,
    /// with one bound value per placeholder.
    #[test]
    fn a_batch_is_one_statement_with_every_value_bound() {
        let org = uuid::Uuid::new_v4();
        let connection = uuid::Uuid::new_v4();
        let rows = (0..3)
            .map(|n| {
                let body = serde_json::json!({
                    "event": "candidateHired", "signature": "00", "token": format!("tok-{n}"),
                    "triggeredAt": 1_763_900_000_000_i64 + n, "data": { "opportunityId": format!("opp-{n}") },
                });
                let delivery =
                    super::super::Delivery::parse(&serde_json::to_vec(&body).expect("json")).expect("parses");
                inbox::row(org, connection, &delivery)
            })
            .collect();
        let statement = statement(rows).expect("statement");
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
