//! Plain HTTP endpoints beside the pages: the open-data tally and the printable PDFs.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{SecondsFormat, Utc};
use serde::Deserialize;

use super::petitions::{find_by_slug, visible_to_public};
use super::signatures;
use super::state::AppState;
use crate::error::AppError;

fn error(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        Json(serde_json::json!({ "error": e.code(), "message": e.message() })),
    )
        .into_response()
}

/// `GET /petitions/{slug}/tally.json`: the aggregate figures of a public petition, never
/// personal data. Not cached, so it always agrees with the petition page.
pub async fn tally_json(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let result = async {
        let p = find_by_slug(&state.db, &slug).await?;
        if !visible_to_public(&p) {
            return Err(AppError::NotFound);
        }
        let t = signatures::tally(&state.db, &p).await?;
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

fn pdf_response(filename: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("inline; filename=\"{filename}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("inline")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /petitions/{slug}/list.pdf`: the blank signature list of a petition in collection.
pub async fn signature_list(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    match super::petitions::signature_list(&state.db, &slug).await {
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
