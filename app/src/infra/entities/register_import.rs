use sea_orm::entity::prelude::*;

pub mod status {
    pub const RUNNING: &str = "running";
    pub const COMPLETED: &str = "completed";
    pub const FAILED: &str = "failed";
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "register_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    pub status: String,
    pub file_name: String,
    pub encoding: String,
    pub rows: i64,
    pub eligible: i64,
    pub bad_lines: i64,
    #[sea_orm(column_type = "Text", nullable)]
    pub report: Option<String>,
    pub actor_id: Option<i64>,
    pub bytes_total: i64,
    pub bytes_read: i64,
    pub progress_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
