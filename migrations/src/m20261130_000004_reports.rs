//! Reports. The public figures (petition page, `tally.json`) need the signatures per status
//! on every page view; counting them would scan a petition's signatures each time (1.4 s for
//! a million on SQLite). So triggers on `signatures` append a delta row (+1 / −1 per status
//! and effective channel) for every insert, delete and change of status or channel: every
//! code path is covered, inside the same transaction, without a row that concurrent writers
//! queue on. A background job folds the deltas into one row per group now and then; readers
//! sum a handful of rows either way. Admins filter the audit trail by person and time.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str, &[&str]); 3] = [
    (
        "petition_status_counts_idx",
        "petition_status_counts",
        &["petition_id"],
    ),
    ("audit_log_actor_idx", "audit_log", &["actor_id", "id"]),
    ("audit_log_at_idx", "audit_log", &["at"]),
];

/// A signature counts as given online only while its signed sheet has not come back.
const EFFECTIVE_OLD: &str = "CASE WHEN OLD.channel = 'online' AND OLD.sheet_received_at IS NULL THEN 'online' ELSE 'paper' END";
const EFFECTIVE_NEW: &str = "CASE WHEN NEW.channel = 'online' AND NEW.sheet_received_at IS NULL THEN 'online' ELSE 'paper' END";

fn delta(row: &str, effective: &str, n: i32) -> String {
    format!(
        "INSERT INTO petition_status_counts (petition_id, status, channel, n) VALUES ({row}.petition_id, {row}.status, {effective}, {n});"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("petition_status_counts")
                .col(big_pk_auto("id"))
                .col(big_integer("petition_id"))
                .col(string_len("status", 32))
                .col(string_len("channel", 16))
                .col(big_integer("n"))
                .to_owned(),
        )
        .await?;
        for (name, table, cols) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(table);
            for col in cols {
                index.col(*col);
            }
            m.create_index(index.to_owned()).await?;
        }
        let db = m.get_connection();
        let (minus_old, plus_new) = (
            delta("OLD", EFFECTIVE_OLD, -1),
            delta("NEW", EFFECTIVE_NEW, 1),
        );
        if m.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            // The CASE expressions in parentheses: PL/pgSQL ends an IF condition at the first
            // THEN it sees outside of them.
            db.execute_unprepared(&format!(
                "CREATE FUNCTION signatures_status_count() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                   IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.petition_id = NEW.petition_id
                      AND ({EFFECTIVE_OLD}) = ({EFFECTIVE_NEW}) THEN
                     RETURN NULL;
                   END IF;
                   IF TG_OP IN ('UPDATE', 'DELETE') THEN {minus_old} END IF;
                   IF TG_OP IN ('UPDATE', 'INSERT') THEN {plus_new} END IF;
                   RETURN NULL;
                 END $$"
            ))
            .await?;
            db.execute_unprepared(
                "CREATE TRIGGER signatures_status_count AFTER INSERT OR DELETE OR UPDATE ON signatures
                 FOR EACH ROW EXECUTE FUNCTION signatures_status_count()",
            )
            .await?;
        } else {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER signatures_count_insert AFTER INSERT ON signatures BEGIN {plus_new} END"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER signatures_count_delete AFTER DELETE ON signatures BEGIN {minus_old} END"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER signatures_count_update AFTER UPDATE OF status, channel, sheet_received_at, petition_id ON signatures
                 WHEN OLD.status IS NOT NEW.status OR OLD.petition_id IS NOT NEW.petition_id
                   OR ({EFFECTIVE_OLD}) IS NOT ({EFFECTIVE_NEW})
                 BEGIN {minus_old} {plus_new} END"
            ))
            .await?;
        }
        // The signatures already there.
        db.execute_unprepared(
            "INSERT INTO petition_status_counts (petition_id, status, channel, n)
             SELECT petition_id, status,
                    CASE WHEN channel = 'online' AND sheet_received_at IS NULL THEN 'online' ELSE 'paper' END,
                    COUNT(*)
             FROM signatures
             GROUP BY petition_id, status,
                    CASE WHEN channel = 'online' AND sheet_received_at IS NULL THEN 'online' ELSE 'paper' END",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if m.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            db.execute_unprepared("DROP TRIGGER signatures_status_count ON signatures")
                .await?;
            db.execute_unprepared("DROP FUNCTION signatures_status_count()")
                .await?;
        } else {
            for t in [
                "signatures_count_insert",
                "signatures_count_delete",
                "signatures_count_update",
            ] {
                db.execute_unprepared(&format!("DROP TRIGGER {t}")).await?;
            }
        }
        for (name, table, _) in INDEXES {
            m.drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        m.drop_table(Table::drop().table("petition_status_counts").to_owned())
            .await?;
        Ok(())
    }
}
