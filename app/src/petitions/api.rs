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
    use super::rules::german_date;
    use super::{Figures, FiguresInput};
    use crate::server::{auth::require_staff, http::finish, municipality, state::app_state};
    finish(
        async {
            let app = app_state()?;
            let staff = require_staff()?;
            let input = FiguresInput {
                state,
                population,
                eligible_citizens,
                eligible_source,
                eligible_reference_date,
            };
            let figures = Figures::parse(&input, german_date(chrono::Utc::now()))?;
            municipality::update(&app.db, Some(staff.id), &figures).await?;
            leptos_axum::redirect("/staff/municipality?notice=settings_saved");
            Ok(())
        }
        .await,
    )
}
