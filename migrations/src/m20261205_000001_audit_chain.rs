//! The audit chain cannot fork: each entry names its predecessor, and no two entries may
//! name the same one (two appends racing outside the chain's lock now fail instead of
//! branching the chain).

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
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("audit_log_prev_hash_key")
                .table("audit_log")
                .to_owned(),
        )
        .await
    }
}
