use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "residents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub import_id: i64,
    pub family_name: String,
    pub given_names: String,
    pub birth_date: Date,
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub city: String,
    pub district: String,
    pub nationalities: String,
    pub moved_in: Date,
    pub main_residence: bool,
    pub family_key: String,
    pub given_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
