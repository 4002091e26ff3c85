//! Signatures of one petition in the order of their ids: the full register check, the
//! signature export and the reports read a petition's signatures in pages by id, and
//! without this index each page sorted all of the petition's signatures again (SQLite took
//! some 100 ms per page of 2,000 out of 100,000).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("signatures_petition_order_idx")
                .table("signatures")
                .col("petition_id")
                .col("id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("signatures_petition_order_idx")
                .table("signatures")
                .to_owned(),
        )
        .await
    }
}
