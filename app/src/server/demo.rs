//! `dorfplatz demo`: a realistic demo municipality in an empty database. Later features add
//! their own content here.

use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use super::accounts::create_confirmed;
use super::entities::user;
use super::{municipality, site};
use crate::accounts::domain::{DisplayName, EmailAddress, NewPassword, Role};
use crate::error::AppError;
use crate::petitions::Figures;
use crate::petitions::rules::State;

/// The password of every demo account (documented in the README; demo data only).
pub const DEMO_PASSWORD: &str = "dorfplatz-demo";

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub roles: &'static [Role],
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "admin@kalletal.example",
        name: "Jana Admin",
        roles: &[Role::Admin],
    },
    DemoAccount {
        email: "verwaltung@kalletal.example",
        name: "Thomas Brandt (Verwaltung)",
        roles: &[Role::Staff],
    },
    DemoAccount {
        email: "beirat.vorsitz@kalletal.example",
        name: "Renate Vogt",
        roles: &[Role::BoardMember],
    },
    DemoAccount {
        email: "beirat.mitglied@kalletal.example",
        name: "Mehmet Yılmaz",
        roles: &[Role::BoardMember],
    },
    DemoAccount {
        email: "beirat.jugend@kalletal.example",
        name: "Lea Hoffmann",
        roles: &[Role::BoardMember],
    },
    DemoAccount {
        email: "anna.schmidt@kalletal.example",
        name: "Anna Schmidt",
        roles: &[],
    },
    DemoAccount {
        email: "peter.mueller@kalletal.example",
        name: "Peter Müller",
        roles: &[],
    },
    DemoAccount {
        email: "sabine.krueger@kalletal.example",
        name: "Sabine Krüger",
        roles: &[],
    },
];

const IMPRESSUM: &str = "## Gemeinde Kalletal (Demo)\n\nRathausstraße 3, 32689 Kalletal\n\nVertreten durch den Bürgermeister\n\nTelefon: 05264 644-0 · E-Mail: info@kalletal.example\n\n*Dies ist eine Demo-Installation von Dorfplatz.*";
const PRIVACY: &str = "## Datenschutz (Demo)\n\nVerantwortlich ist die Gemeinde Kalletal. Wir verarbeiten nur die Daten, die für die Teilnahme nötig sind: E-Mail-Adresse, Anzeigename und ein Passwort-Hash. Sie können Ihr Konto jederzeit unter „Konto“ löschen.\n\n*Dies ist eine Demo-Installation von Dorfplatz.*";

/// Whether the database has no accounts yet.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, AppError> {
    Ok(user::Entity::find().count(db).await? == 0)
}

/// Seeds the demo; refuses a database that already has accounts.
pub async fn seed(db: &DatabaseConnection) -> Result<(), AppError> {
    if !is_empty(db).await? {
        return Err(AppError::field(
            "database",
            "Die Datenbank enthält bereits Konten; die Demo wird nur in eine leere Datenbank geschrieben.",
        ));
    }
    site::put(db, site::MUNICIPALITY_NAME, "Gemeinde Kalletal").await?;
    site::put(db, site::IMPRESSUM, IMPRESSUM).await?;
    site::put(db, site::PRIVACY, PRIVACY).await?;
    // Figures of the size of Kalletal; the eligible citizens as after a municipal election.
    municipality::update(
        db,
        None,
        &Figures {
            state: State::NordrheinWestfalen,
            population: Some(13_904),
            eligible_citizens: Some(11_387),
            eligible_source: "Wahlberechtigte der Kommunalwahl 2025 (Demo)".into(),
            eligible_reference_date: chrono::NaiveDate::from_ymd_opt(2025, 9, 14),
        },
    )
    .await?;
    let password = NewPassword::parse(DEMO_PASSWORD).map_err(|m| AppError::field("password", m))?;
    for a in ACCOUNTS {
        let email = EmailAddress::parse(a.email).map_err(|m| AppError::field("email", m))?;
        let name = DisplayName::parse(a.name).map_err(|m| AppError::field("display_name", m))?;
        create_confirmed(db, &email, &name, &password, a.roles).await?;
    }
    Ok(())
}
