//! Checking signatures against the register: each signature records the register entry it
//! was matched to (as a key that survives a new import), the village for the tallies, who
//! decided and when, and whether a person decided it (re-validation keeps those). Sheets
//! without the full petition text are voided as a whole. Import progress is kept in the
//! database so that any instance can show it. Residents get the normalized first given name
//! for finding candidates.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let columns: Vec<(&str, ColumnDef)> = vec![
            // family|given names|birth date of the register entry, normalized.
            ("signatures", string_len_null("match_key", 320)),
            // The matched resident's Ortsteil; kept when the personal data are purged.
            ("signatures", string_len_null("district", 100)),
            ("signatures", timestamp_with_time_zone_null("decided_at")),
            // No foreign key: SQLite cannot add one to an existing table, and the audit log
            // names the person anyway.
            ("signatures", big_integer_null("decided_by")),
            ("signatures", boolean("manual").default(false).to_owned()),
            // A paper line's date of birth as typed when it is not a date.
            ("signatures", string_len_null("birth_date_entered", 32)),
            (
                "petitions",
                timestamp_with_time_zone_null("signatures_purged_at"),
            ),
            (
                "register_imports",
                big_integer("bytes_total").default(0).to_owned(),
            ),
            (
                "register_imports",
                big_integer("bytes_read").default(0).to_owned(),
            ),
            // When a running import last reported progress: one silent for minutes was
            // interrupted (its server stopped) and no longer blocks the next.
            (
                "register_imports",
                timestamp_with_time_zone_null("progress_at"),
            ),
            // The first given name, normalized: with the family name it finds a signer whose
            // date of birth is missing or mistyped.
            (
                "residents",
                string_len("given_key", 100).default("").to_owned(),
            ),
        ];
        for (table, mut column) in columns {
            m.alter_table(
                Table::alter()
                    .table(table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("signatures_match_idx")
                .table("signatures")
                .col("petition_id")
                .col("match_key")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("residents_name_idx")
                .table("residents")
                .col("import_id")
                .col("family_key")
                .col("given_key")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("void_sheets")
                .col(big_pk_auto("id"))
                .col(big_integer("petition_id"))
                .col(integer("sheet_number"))
                .col(string_len("reason", 255))
                .col(big_integer_null("decided_by"))
                .col(timestamp_with_time_zone("decided_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("void_sheets", "petition_id")
                        .to("petitions", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("void_sheets", "decided_by")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("void_sheets_key")
                .table("void_sheets")
                .col("petition_id")
                .col("sheet_number")
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("void_sheets").to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("signatures_match_idx")
                .table("signatures")
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("residents_name_idx")
                .table("residents")
                .to_owned(),
        )
        .await?;
        for (table, column) in [
            ("residents", "given_key"),
            ("register_imports", "progress_at"),
            ("register_imports", "bytes_read"),
            ("register_imports", "bytes_total"),
            ("petitions", "signatures_purged_at"),
            ("signatures", "birth_date_entered"),
            ("signatures", "manual"),
            ("signatures", "decided_by"),
            ("signatures", "decided_at"),
            ("signatures", "district"),
            ("signatures", "match_key"),
        ] {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
