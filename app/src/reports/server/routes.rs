//! The tally of a petition as a file for staff: `/petitions/{slug}/report.{csv,xlsx,pdf}`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::error::AppError;
use crate::infra::auth::{CurrentSession, SessionUser};
use crate::infra::responses::error;
use crate::infra::state::AppState;
use crate::petitions::server::procedure::find_by_slug;
use crate::reports::Format;
use crate::reports::server as reports;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/petitions/{slug}/report.csv", get(tally_csv))
        .route("/petitions/{slug}/report.xlsx", get(tally_xlsx))
        .route("/petitions/{slug}/report.pdf", get(tally_pdf))
        .route_layer(axum::middleware::from_fn(
            crate::infra::http::same_site_only,
        ))
}

/// `GET /petitions/{slug}/report.{csv,xlsx,pdf}`: the tally of any petition as a file
/// (staff only; aggregates, no personal data). Every download is logged.
async fn tally_file(
    state: AppState,
    session: CurrentSession,
    slug: String,
    format: Format,
) -> Response {
    let Some(user) = session.0.filter(SessionUser::is_staff) else {
        return error(AppError::Forbidden);
    };
    let result = async {
        let p = find_by_slug(&state.db, &slug).await?;
        let report = reports::tally_report(&state.db, &p).await?;
        let bytes = reports::render(&report, format)?;
        reports::log_export(&state.db, Some(user.id), &p, format, "download").await?;
        Ok::<_, AppError>((reports::file_name(&report, format), bytes))
    }
    .await;
    match result {
        Ok((name, bytes)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(format.content_type()),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                        .unwrap_or(HeaderValue::from_static("attachment")),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error(e),
    }
}

pub async fn tally_csv(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
    Path(slug): Path<String>,
) -> Response {
    tally_file(state, session, slug, Format::Csv).await
}

pub async fn tally_xlsx(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
    Path(slug): Path<String>,
) -> Response {
    tally_file(state, session, slug, Format::Xlsx).await
}

pub async fn tally_pdf(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
    Path(slug): Path<String>,
) -> Response {
    tally_file(state, session, slug, Format::Pdf).await
}
