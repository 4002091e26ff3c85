use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "proposals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub author_id: Option<i64>,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// `body` as sanitized HTML, stored when saved (NULL until filled at start).
    #[sea_orm(column_type = "Text", nullable)]
    pub body_html: Option<String>,
    pub topic_id: i64,
    pub district_id: Option<i64>,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    pub supports: i64,
    pub comments: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub status_changed_at: Option<DateTimeUtc>,
    pub hidden_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub hidden_reason: Option<String>,
    pub hidden_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
