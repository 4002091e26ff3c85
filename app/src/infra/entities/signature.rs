use sea_orm::entity::prelude::*;

/// The `channel` column: how a signature was given.
pub mod channel {
    pub const ONLINE: &str = "online";
    pub const PAPER: &str = "paper";
}

/// Values of the `status` column that signing sets; the register check
/// (`crate::register::check::Status`) has the full list.
pub mod status {
    pub const PENDING_CONFIRMATION: &str = "pending_confirmation";
    pub const UNCHECKED: &str = "unchecked";
    pub const DUPLICATE: &str = "duplicate";
    pub const WITHDRAWN: &str = "withdrawn";
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signatures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub petition_id: i64,
    pub channel: String,
    pub status: String,
    pub family_name: String,
    pub given_names: String,
    pub birth_date: Option<Date>,
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub city: String,
    pub email: Option<String>,
    pub identity_key: String,
    pub dedup_key: Option<String>,
    pub notify: bool,
    pub sheet_number: Option<i32>,
    pub line_number: Option<i32>,
    pub sheet_code: Option<String>,
    pub sheet_received_at: Option<DateTimeUtc>,
    pub signed_on: Option<Date>,
    pub counted_on: Option<Date>,
    pub confirm_token_hash: Option<String>,
    pub confirm_expires_at: Option<DateTimeUtc>,
    pub receipt_token_hash: Option<String>,
    pub entered_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub match_key: Option<String>,
    pub district: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<i64>,
    pub manual: bool,
    pub birth_date_entered: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
