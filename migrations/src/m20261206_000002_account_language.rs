//! The interface language an account chose: its emails go out in that language.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A BCP 47 code such as "de" or "en"; empty means the default (German).
        m.alter_table(
            Table::alter()
                .table("users")
                .add_column(string_len_null("language", 16))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("users")
                .drop_column("language")
                .to_owned(),
        )
        .await
    }
}
