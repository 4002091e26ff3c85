use sea_orm::entity::prelude::*;

/// A board session ("Sitzung"); the table is `meetings` so it is never confused with the
/// login sessions.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub board_id: i64,
    pub title: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub address: String,
    #[sea_orm(column_type = "Text")]
    pub room: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub online_url: Option<String>,
    pub public: bool,
    pub status: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub cancel_reason: Option<String>,
    pub quorum: Option<bool>,
    #[sea_orm(column_type = "Text", nullable)]
    pub minutes: Option<String>,
    /// `minutes` as sanitized HTML, stored when saved.
    #[sea_orm(column_type = "Text", nullable)]
    pub minutes_html: Option<String>,
    pub minutes_approved_at: Option<DateTimeUtc>,
    pub minutes_published_at: Option<DateTimeUtc>,
    /// iCalendar `SEQUENCE`: bumped whenever what a calendar shows changes.
    pub sequence: i32,
    pub invited_at: Option<DateTimeUtc>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
