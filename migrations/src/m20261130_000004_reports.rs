//! Reports: the public tally groups a petition's signatures by status and effective channel
//! on every page view, so an index holds exactly those columns (PostgreSQL can answer from
//! the index alone). Admins filter the audit trail by person and time.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str, &[&str]); 3] = [
    (
        "signatures_tally_idx",
        "signatures",
        &["petition_id", "status", "channel", "sheet_received_at"],
    ),
    ("audit_log_actor_idx", "audit_log", &["actor_id", "id"]),
    ("audit_log_at_idx", "audit_log", &["at"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, cols) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(table);
            for col in cols {
                index.col(*col);
            }
            m.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            m.drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
