//! Server functions of the reports: staff only, checked here on the server.

use leptos::prelude::*;

use super::TallyReport;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::infra::prelude::*;

/// The full tally of a petition (staff).
#[server(prefix = "/api", endpoint = "tally_report")]
pub async fn get_tally_report(slug: String) -> Result<TallyReport, AppError> {
    use crate::petitions::server::procedure as petitions;
    use crate::reports::server as reports;
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
