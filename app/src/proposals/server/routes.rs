//! The proposals' plain HTTP endpoints: the Atom feed and staff's report per topic as CSV.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::error::AppError;
use crate::infra::auth::{CurrentSession, SessionUser};
use crate::infra::cells;
use crate::infra::responses::{error, report_csv};
use crate::infra::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/proposals/feed.atom", get(proposals_feed))
        .merge(
            Router::new()
                .route("/staff/reports/proposals.csv", get(proposals_report_csv))
                .route_layer(axum::middleware::from_fn(
                    crate::infra::http::same_site_only,
                )),
        )
}

/// `GET /proposals/feed.atom`: the newest proposals as an Atom feed.
pub async fn proposals_feed(State(state): State<AppState>) -> Response {
    match super::feed(&state.db, &state.config.link("")).await {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/atom+xml; charset=utf-8"),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("max-age=300"),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => error(e),
    }
}

/// `GET /staff/reports/proposals.csv`: proposals per topic and status (staff only).
pub async fn proposals_report_csv(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
) -> Response {
    use crate::proposals::domain::Status;
    if !session.0.as_ref().is_some_and(SessionUser::is_staff) {
        return error(AppError::Forbidden);
    }
    let rows = match super::by_topic_and_status(&state.db).await {
        Ok(rows) => rows,
        Err(e) => return error(e),
    };
    let mut header = vec!["thema".to_owned()];
    header.extend(Status::ALL.iter().map(|s| s.code().to_owned()));
    header.push("zusammen".to_owned());
    let records = std::iter::once(header).chain(rows.into_iter().map(|(topic, counts)| {
        let mut record = vec![cells::text(&topic).into_owned()];
        record.extend(counts.iter().map(|(_, n)| n.to_string()));
        record.push(counts.iter().map(|(_, n)| n).sum::<u64>().to_string());
        record
    }));
    report_csv("vorschlaege-nach-thema.csv", records)
}
