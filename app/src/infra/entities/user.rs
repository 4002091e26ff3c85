use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub password_hash: Option<String>,
    pub email_confirmed_at: Option<DateTimeUtc>,
    pub blocked_at: Option<DateTimeUtc>,
    pub deleted_at: Option<DateTimeUtc>,
    /// When the last notification digest went out (at most one per hour).
    pub notified_at: Option<DateTimeUtc>,
    /// Bumped at every enrolment: the one-time password secret is derived from it.
    pub totp_generation: i32,
    /// The second factor is on since then.
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// The last accepted time step: a code is accepted once.
    pub totp_last_step: Option<i64>,
    /// Bumped whenever new recovery codes are made (they are derived from it).
    pub recovery_generation: i32,
    /// New recovery codes are shown on the enrolment page until then.
    pub recovery_shown_until: Option<DateTimeUtc>,
    /// The interface language chosen (a code of `i18n::LANGUAGES`); emails use it.
    pub language: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The name shown with public contributions; deleted accounts keep their contributions
    /// under a neutral label.
    pub fn public_name(&self) -> String {
        match (&self.deleted_at, &self.display_name) {
            (None, Some(name)) => name.clone(),
            _ => "gelöschtes Konto".to_owned(),
        }
    }
}
