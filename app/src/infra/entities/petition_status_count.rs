use sea_orm::entity::prelude::*;

/// Deltas of signatures per status and effective channel, appended by database triggers
/// (see the migration `m20261130_000004_reports`) and folded together now and then.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "petition_status_counts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub petition_id: i64,
    pub status: String,
    pub channel: String,
    pub n: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
