//! Server functions of the reports: staff only, checked here on the server.

use leptos::prelude::*;

use super::TallyReport;
use crate::error::AppError;

/// The full tally of a petition (staff).
#[server(prefix = "/api", endpoint = "tally_report")]
pub async fn get_tally_report(slug: String) -> Result<TallyReport, AppError> {
    use crate::server::{auth::require_staff, http::finish, petitions, reports, state::app_state};
    finish(
        async {
            let app = app_state()?;
            require_staff()?;
            let p = petitions::find_by_slug(&app.db, &slug).await?;
            reports::tally_report(&app.db, &p).await
        }
        .await,
    )
}
