use sea_orm::entity::prelude::*;

/// One rate-limit counter (generic cell rate algorithm), shared by every instance.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_limits")]
pub struct Model {
    /// Keyed hash of bucket and subject (an address or account is never stored plainly).
    #[sea_orm(primary_key, auto_increment = false)]
    pub bucket_key: String,
    /// Theoretical arrival time, milliseconds since 1970.
    pub tat: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
