//! Trust: the audit chain cannot fork (each entry names its predecessor, and no two entries
//! may name the same one: two appends racing outside the chain's lock now fail instead of
//! branching the chain); an unconfirmed online signature holds no place (whether a person
//! signed before is decided at confirmation), so the places that pending signatures took
//! under the earlier rule are given up, and the confirmation mails an address received
//! today are found by an index (the limit is checked on every online signature).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("audit_log_prev_hash_key")
                .table("audit_log")
                .col("prev_hash")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("signatures_email_idx")
                .table("signatures")
                .col("email")
                .col("created_at")
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE signatures SET dedup_key = NULL WHERE status = 'pending_confirmation'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("signatures_email_idx")
                .table("signatures")
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("audit_log_prev_hash_key")
                .table("audit_log")
                .to_owned(),
        )
        .await
    }
}
