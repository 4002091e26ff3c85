use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "petitions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub slug: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub question: String,
    #[sea_orm(column_type = "Text")]
    pub justification: String,
    pub kind: String,
    pub council_meeting_on: Option<Date>,
    pub council_published_on: Option<Date>,
    pub cost_estimate_requested_on: Option<Date>,
    pub cost_estimated_on: Option<Date>,
    pub deadline: Option<Date>,
    pub end_date: Option<Date>,
    pub stage: String,
    pub rule_set_id: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub cost_estimate: Option<String>,
    pub required: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub required_explanation: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_reason: Option<String>,
    pub referendum_on: Option<Date>,
    pub referendum_yes: Option<i64>,
    pub referendum_no: Option<i64>,
    pub referendum_outcome: Option<String>,
    pub signatures_purged_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
