//! The resident register (*Melderegister*): each import is kept apart and switched to at
//! once when it is complete, so a failed import leaves the register in use untouched.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("register_imports")
                .col(big_pk_auto("id"))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone_null("finished_at"))
                // 'running', 'completed' (the register in use is the newest completed one),
                // 'failed'.
                .col(string_len("status", 16))
                .col(string_len("file_name", 255))
                .col(string_len("encoding", 16))
                .col(big_integer("rows").default(0))
                .col(big_integer("eligible").default(0))
                .col(big_integer("bad_lines").default(0))
                // The bad lines with their reasons (the first thousand).
                .col(text_null("report"))
                .col(big_integer_null("actor_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("register_imports", "actor_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("residents")
                .col(big_pk_auto("id"))
                .col(big_integer("import_id"))
                .col(string_len("family_name", 100))
                .col(string_len("given_names", 100))
                .col(date("birth_date"))
                .col(string_len("street", 100))
                .col(string_len("house_number", 12))
                .col(string_len("postal_code", 5))
                .col(string_len("city", 100))
                .col(string_len("district", 100))
                .col(string_len("nationalities", 64))
                .col(date("moved_in"))
                .col(boolean("main_residence"))
                // Normalized family name (Müller = Mueller) for finding candidates.
                .col(string_len("family_key", 100))
                .foreign_key(
                    ForeignKey::create()
                        .from("residents", "import_id")
                        .to("register_imports", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("residents_birth_idx", ["import_id", "birth_date"]),
            ("residents_family_idx", ["import_id", "family_key"]),
        ] {
            let mut index = Index::create();
            index.name(name).table("residents");
            for col in cols {
                index.col(col);
            }
            m.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["residents", "register_imports"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
