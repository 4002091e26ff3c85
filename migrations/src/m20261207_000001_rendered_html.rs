//! The sanitized HTML of proposals, comments, answers and minutes, stored beside their
//! Markdown when saved, so that a page with a thousand comments does not render and clean
//! a thousand Markdown texts per view. Empty (NULL) after this migration: the server fills
//! what is missing at start (`infra::markdown::fill_missing`), and a later change of the
//! renderer sets the columns back to NULL in a migration of its own.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [(&str, &str); 4] = [
    ("comments", "body_html"),
    ("proposals", "body_html"),
    ("proposal_status_changes", "answer_html"),
    ("meetings", "minutes_html"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One statement per column: SQLite alters one column at a time.
        for (table, column) in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(text_null(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in COLUMNS {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
