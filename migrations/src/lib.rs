//! The database schema's frozen history. Migrations never import entity types and carry no
//! seed data (`dorfplatz demo` seeds); a released migration is never edited, only followed.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_foundation;
mod m20261130_000001_petitions;
mod m20261130_000002_register;
mod m20261130_000003_validation;
mod m20261130_000004_reports;
mod m20261130_000005_proposals;
mod m20261130_000006_comments;
mod m20261130_000007_boards;
mod m20261205_000001_trust;
mod m20261205_000002_account_security;
mod m20261206_000001_accessibility;
mod m20261206_000002_account_language;
mod m20261207_000001_rendered_html;
mod m20261207_000002_signature_order;
mod m20261207_000003_count_per_statement;
mod m20261207_000004_partial_signature_indexes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_foundation::Migration),
            Box::new(m20261130_000001_petitions::Migration),
            Box::new(m20261130_000002_register::Migration),
            Box::new(m20261130_000003_validation::Migration),
            Box::new(m20261130_000004_reports::Migration),
            Box::new(m20261130_000005_proposals::Migration),
            Box::new(m20261130_000006_comments::Migration),
            Box::new(m20261130_000007_boards::Migration),
            Box::new(m20261205_000001_trust::Migration),
            Box::new(m20261205_000002_account_security::Migration),
            Box::new(m20261206_000001_accessibility::Migration),
            Box::new(m20261206_000002_account_language::Migration),
            Box::new(m20261207_000001_rendered_html::Migration),
            Box::new(m20261207_000002_signature_order::Migration),
            Box::new(m20261207_000003_count_per_statement::Migration),
            Box::new(m20261207_000004_partial_signature_indexes::Migration),
        ]
    }
}
