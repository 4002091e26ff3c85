//! The petitions' plain HTTP endpoints: the open-data tally, the printable signature list,
//! an online signer's personal sheet, and staff's per-signature export.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{SecondsFormat, Utc};
use serde::Deserialize;

use super::export;
use super::query::{find_by_slug, visible_to_public};
use super::{signatures, tally};
use crate::error::AppError;
use crate::infra::auth::{CurrentSession, SessionUser};
use crate::infra::responses::{csv_download, error, pdf_response};
use crate::infra::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/petitions/{slug}/tally.json", get(tally_json))
        .route("/petitions/{slug}/list.pdf", get(signature_list))
        .route("/petitions/receipt/sheet.pdf", get(personal_sheet))
        .merge(
            Router::new()
                .route("/petitions/{slug}/signatures.csv", get(signatures_csv))
                .route_layer(axum::middleware::from_fn(
                    crate::infra::http::same_site_only,
                )),
        )
}

/// `GET /petitions/{slug}/tally.json`: the aggregate figures of a public petition, never
/// personal data. Not cached, so it always agrees with the petition page.
pub async fn tally_json(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let result = async {
        let p = find_by_slug(&state.db, &slug).await?;
        if !visible_to_public(&p) {
            return Err(AppError::NotFound);
        }
        let t = tally::tally(&state.db, &p).await?;
        let by_reason: serde_json::Map<String, serde_json::Value> = t
            .invalid_by_reason
            .iter()
            .map(|r| (r.status.code().to_owned(), r.count.into()))
            .collect();
        Ok(serde_json::json!({
            "petition": p.slug,
            "stage": p.stage,
            "required": t.required,
            "confirmed": t.confirmed,
            "counting": t.counting,
            "online": t.online,
            "paper": t.paper,
            "pending_confirmation": t.pending_confirmation,
            "online_signatures_count": t.online_signatures_count,
            "valid": t.valid,
            "valid_counting": t.valid_counting,
            "invalid": t.invalid,
            "invalid_by_reason": by_reason,
            "pending": t.pending,
            "needs_review": t.needs_review,
            "quorum_reached": t.quorum_reached(),
            "as_of": Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        }))
    }
    .await;
    match result {
        Ok(body) => (
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
            Json(body),
        )
            .into_response(),
        Err(e) => error(e),
    }
}

/// `GET /petitions/{slug}/list.pdf`: the blank signature list of a petition in collection.
pub async fn signature_list(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    match super::sheets::signature_list(&state.db, &slug).await {
        Ok(bytes) => pdf_response(&format!("unterschriftenliste-{slug}.pdf"), bytes),
        Err(e) => error(e),
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// `GET /petitions/receipt/sheet.pdf?token=…`: an online signer's personal sheet.
pub async fn personal_sheet(
    State(state): State<AppState>,
    Query(q): Query<TokenQuery>,
) -> Response {
    match signatures::personal_sheet(&state, &q.token).await {
        Ok((slug, bytes)) => pdf_response(&format!("unterschriftenbogen-{slug}.pdf"), bytes),
        Err(e) => error(e),
    }
}

/// `GET /petitions/{slug}/signatures.csv`: every signature with its status (staff only),
/// streamed page by page; the download is logged.
pub async fn signatures_csv(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
    Path(slug): Path<String>,
) -> Response {
    let Some(user) = session.0.filter(SessionUser::is_staff) else {
        return error(AppError::Forbidden);
    };
    let p = match find_by_slug(&state.db, &slug).await {
        Ok(p) => p,
        Err(e) => return error(e),
    };
    if let Err(e) = export::log_export(&state.db, Some(user.id), &p, "download").await {
        return error(e);
    }
    let db = state.db.clone();
    let petition_id = p.id;
    csv_download(&format!("unterschriften-{slug}.csv"), move |after| {
        let db = db.clone();
        async move { export::signatures_page(&db, petition_id, after).await }
    })
}
