use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "barrier_feedback")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: Option<String>,
    pub email: Option<String>,
    pub page: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub status: String,
    pub received_at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub answer: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    pub answered_by: Option<i64>,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
