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
