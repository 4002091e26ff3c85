use leptos::prelude::*;

use super::LegalFrame;
use crate::error::AppError;

/// The municipality's figures and the law in force: public, because everyone may know how
/// many signatures a petition needs and why.
#[server(prefix = "/api", endpoint = "legal_frame")]
pub async fn get_legal_frame() -> Result<LegalFrame, AppError> {
    use crate::server::{http::finish, municipality, state::app_state};
    finish(
        async {
            let state = app_state()?;
            municipality::legal_frame(&state.db).await
        }
        .await,
    )
}

/// Staff save the state, the population and the number of eligible citizens.
#[server(prefix = "/api", endpoint = "update_municipality")]
pub async fn update_municipality(
    state: String,
    population: String,
    eligible_citizens: String,
    eligible_source: String,
    eligible_reference_date: String,
) -> Result<(), AppError> {
    use super::rules::{State, german_date};
    use super::{Municipality, parse_count};
    use crate::error::FieldErrors;
    use crate::server::{auth::require_staff, http::finish, municipality, state::app_state};
    use chrono::{NaiveDate, Utc};
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            let mut errors = FieldErrors::new();
            let land = State::from_code(state.trim());
            if land.is_none() {
                errors.add("state", "Bitte wählen Sie ein Bundesland aus der Liste.");
            }
            let population = errors.check("population", parse_count(&population, "Einwohnerzahl"));
            let eligible = errors.check(
                "eligible_citizens",
                parse_count(&eligible_citizens, "Zahl der Bürgerinnen und Bürger"),
            );
            if let (Some(p), Some(e)) = (population, eligible)
                && e > p
            {
                errors.add(
                    "eligible_citizens",
                    "Es kann nicht mehr Bürgerinnen und Bürger als Einwohner geben.",
                );
            }
            let source = eligible_source.split_whitespace().collect::<Vec<_>>().join(" ");
            if source.is_empty() {
                errors.add(
                    "eligible_source",
                    "Bitte geben Sie an, woher die Zahl stammt, z. B. „Wahlberechtigte der Kommunalwahl 2025“.",
                );
            } else if source.chars().count() > 200 {
                errors.add("eligible_source", "Die Quelle darf höchstens 200 Zeichen lang sein.");
            }
            // Browsers send JJJJ-MM-TT from the date input; typed by hand it is TT.MM.JJJJ.
            let typed = eligible_reference_date.trim();
            let parsed = NaiveDate::parse_from_str(typed, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(typed, "%d.%m.%Y"));
            let date = match parsed {
                Ok(d) if d > german_date(Utc::now()) => {
                    errors.add(
                        "eligible_reference_date",
                        "Der Stichtag darf nicht in der Zukunft liegen.",
                    );
                    None
                }
                Ok(d) => Some(d),
                Err(_) if eligible_reference_date.trim().is_empty() => {
                    errors.add("eligible_reference_date", "Bitte geben Sie den Stichtag ein.");
                    None
                }
                Err(_) => {
                    errors.add(
                        "eligible_reference_date",
                        "Bitte geben Sie den Stichtag als Datum ein (TT.MM.JJJJ).",
                    );
                    None
                }
            };
            errors.into_result()?;
            let (Some(land), Some(_), Some(_), Some(_)) = (land, population, eligible, date) else {
                return Err(AppError::Internal);
            };
            let current = municipality::get(&app.db).await?;
            municipality::update(
                &app.db,
                Some(staff.id),
                &Municipality {
                    name: current.name,
                    state: land,
                    population,
                    eligible_citizens: eligible,
                    eligible_source: source,
                    eligible_reference_date: date,
                },
            )
            .await?;
            leptos_axum::redirect("/staff/municipality?notice=settings_saved");
            Ok(())
        }
        .await,
    )
}
