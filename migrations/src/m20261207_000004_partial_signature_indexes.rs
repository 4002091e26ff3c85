//! The indexes of columns that most signatures leave empty cover only the rows that have a
//! value. A paper signature has no e-mail address, confirmation or receipt token and no
//! sheet code, yet every index held an entry for it, and every change of a row that cannot
//! stay on its page (the register check sets status and match key, both indexed) wrote a
//! new entry into each of them: four of eleven per row for nothing. Unique indexes enforce
//! the same with a condition, since empty values never collide; lookups by a value use them
//! as before (`col = …` implies `col IS NOT NULL`, on SQLite as on PostgreSQL).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Name, unique, columns and the one column whose emptiness leaves a row out.
const INDEXES: [(&str, bool, &str, &str); 4] = [
    (
        "signatures_confirm_token_key",
        true,
        "confirm_token_hash",
        "confirm_token_hash",
    ),
    (
        "signatures_receipt_token_key",
        true,
        "receipt_token_hash",
        "receipt_token_hash",
    ),
    (
        "signatures_sheet_code_key",
        true,
        "petition_id, sheet_code",
        "sheet_code",
    ),
    ("signatures_email_idx", false, "email, created_at", "email"),
];

fn create(name: &str, unique: bool, columns: &str, condition: Option<&str>) -> String {
    let unique = if unique { "UNIQUE " } else { "" };
    let condition = condition
        .map(|c| format!(" WHERE {c} IS NOT NULL"))
        .unwrap_or_default();
    format!("CREATE {unique}INDEX {name} ON signatures ({columns}){condition}")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (name, unique, columns, column) in INDEXES {
            // Drop and create in one call: made as two, the new index on SQLite met the old
            // one ("already exists").
            db.execute_unprepared(&format!(
                "DROP INDEX {name}; {}",
                create(name, unique, columns, Some(column))
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (name, unique, columns, _) in INDEXES {
            db.execute_unprepared(&format!(
                "DROP INDEX {name}; {}",
                create(name, unique, columns, None)
            ))
            .await?;
        }
        Ok(())
    }
}
