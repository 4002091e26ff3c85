//! The signature counts on PostgreSQL per statement instead of per row. The full register
//! check writes its verdicts 1,000 rows per `UPDATE`; the row trigger ran a PL/pgSQL
//! function and inserted two delta rows for each of them (200,000 inserts for a check of
//! 100,000 signatures). Statement triggers see the changed rows as transition tables and
//! insert one delta per petition, status and channel that the statement changed. Readers
//! and the folding job sum the deltas as before, so nothing else changes.
//!
//! PostgreSQL allows transition tables only on triggers of one event and without a column
//! list, hence three triggers; an `UPDATE` that changes no counted column adds no row.
//! SQLite has no statement triggers and keeps its row triggers.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A signature counts as given online only while its signed sheet has not come back (as in
/// `m20261130_000004_reports`).
fn effective(row: &str) -> String {
    format!(
        "CASE WHEN {row}.channel = 'online' AND {row}.sheet_received_at IS NULL THEN 'online' ELSE 'paper' END"
    )
}

/// `(petition_id, status, channel, d)` of each row of `table` (a transition table).
fn deltas(table: &str, d: i32) -> String {
    format!(
        "SELECT r.petition_id, r.status, {} AS channel, {d} AS d FROM {table} r",
        effective("r")
    )
}

fn function(name: &str, body: &str) -> String {
    format!(
        "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           INSERT INTO petition_status_counts (petition_id, status, channel, n)
           SELECT petition_id, status, channel, SUM(d) FROM ({body}) t
           GROUP BY petition_id, status, channel
           HAVING SUM(d) <> 0;
           RETURN NULL;
         END $$"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = m.get_connection();
        db.execute_unprepared("DROP TRIGGER signatures_status_count ON signatures")
            .await?;
        db.execute_unprepared("DROP FUNCTION signatures_status_count()")
            .await?;
        // Only rows whose counted group changed: the old group loses one, the new gains one
        // (a status change within one group sums to nothing and is left out).
        let changed = format!(
            "SELECT o.petition_id, o.status, {old} AS channel, -1 AS d
               FROM old_rows o JOIN new_rows n ON n.id = o.id
              WHERE o.petition_id <> n.petition_id OR o.status <> n.status OR {old} <> {new}
             UNION ALL
             SELECT n.petition_id, n.status, {new}, 1
               FROM old_rows o JOIN new_rows n ON n.id = o.id
              WHERE o.petition_id <> n.petition_id OR o.status <> n.status OR {old} <> {new}",
            old = effective("o"),
            new = effective("n"),
        );
        for sql in [
            function("signatures_counted_insert", &deltas("new_rows", 1)),
            function("signatures_counted_delete", &deltas("old_rows", -1)),
            function("signatures_counted_update", &changed),
            "CREATE TRIGGER signatures_count_insert AFTER INSERT ON signatures
             REFERENCING NEW TABLE AS new_rows
             FOR EACH STATEMENT EXECUTE FUNCTION signatures_counted_insert()"
                .to_owned(),
            "CREATE TRIGGER signatures_count_delete AFTER DELETE ON signatures
             REFERENCING OLD TABLE AS old_rows
             FOR EACH STATEMENT EXECUTE FUNCTION signatures_counted_delete()"
                .to_owned(),
            "CREATE TRIGGER signatures_count_update AFTER UPDATE ON signatures
             REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
             FOR EACH STATEMENT EXECUTE FUNCTION signatures_counted_update()"
                .to_owned(),
        ] {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = m.get_connection();
        for (trigger, function) in [
            ("signatures_count_insert", "signatures_counted_insert"),
            ("signatures_count_delete", "signatures_counted_delete"),
            ("signatures_count_update", "signatures_counted_update"),
        ] {
            db.execute_unprepared(&format!("DROP TRIGGER {trigger} ON signatures"))
                .await?;
            db.execute_unprepared(&format!("DROP FUNCTION {function}()"))
                .await?;
        }
        // The row trigger of `m20261130_000004_reports`, as it was.
        let (old, new) = (effective("OLD"), effective("NEW"));
        db.execute_unprepared(&format!(
            "CREATE FUNCTION signatures_status_count() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.petition_id = NEW.petition_id
                  AND ({old}) = ({new}) THEN
                 RETURN NULL;
               END IF;
               IF TG_OP IN ('UPDATE', 'DELETE') THEN
                 INSERT INTO petition_status_counts (petition_id, status, channel, n)
                 VALUES (OLD.petition_id, OLD.status, {old}, -1);
               END IF;
               IF TG_OP IN ('UPDATE', 'INSERT') THEN
                 INSERT INTO petition_status_counts (petition_id, status, channel, n)
                 VALUES (NEW.petition_id, NEW.status, {new}, 1);
               END IF;
               RETURN NULL;
             END $$"
        ))
        .await?;
        db.execute_unprepared(
            "CREATE TRIGGER signatures_status_count AFTER INSERT OR DELETE OR UPDATE ON signatures
             FOR EACH ROW EXECUTE FUNCTION signatures_status_count()",
        )
        .await?;
        Ok(())
    }
}
