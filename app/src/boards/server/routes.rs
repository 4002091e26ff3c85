//! Plain HTTP endpoints of the boards: the calendars, the minutes as PDF, attachments
//! (download and upload), staff's board report as CSV.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, Request, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::boards::domain::{self, UploadProblem};
use crate::boards::server::meetings;
use crate::error::AppError;
use crate::infra::auth::{CurrentSession, SessionUser};
use crate::infra::cells;
use crate::infra::responses::{error, pdf_response, report_csv, see_other};
use crate::infra::state::AppState;

/// The calendar of one session (`/sessions/{id}.ics`) is answered by the `session_ics`
/// middleware, which the server puts inside its session layer.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sessions.ics", get(sessions_ics))
        .route("/sessions/{id}/minutes.pdf", get(minutes_pdf))
        .route("/files/{id}", get(file))
        .route(
            "/sessions/items/{id}/files",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(
                domain::MAX_FILE_BYTES + 64 * 1024,
            )),
        )
        .merge(
            Router::new()
                .route("/staff/reports/boards.csv", get(boards_report_csv))
                .route_layer(axum::middleware::from_fn(
                    crate::infra::http::same_site_only,
                )),
        )
}

/// `cache`: calendar programs poll; five minutes keeps them current without load. A calendar
/// that may show a closed session to a member is `private`.
fn calendar(body: String, cache: &'static str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        body,
    )
        .into_response()
}

/// `GET /sessions.ics`: the public sessions of the past year and all upcoming ones, to
/// subscribe to; a calendar program that polls with the `ETag` it has gets `304`.
pub async fn sessions_ics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = crate::i18n::server::lang_of(&headers);
    match meetings::calendar_all(&state.db, &state.config, lang).await {
        Ok(body) => {
            let mut r = crate::infra::responses::validated(
                &headers,
                "text/calendar; charset=utf-8",
                "public, max-age=300",
                body.into_bytes(),
                None,
            );
            // The texts follow the request's language.
            r.headers_mut().insert(
                header::VARY,
                HeaderValue::from_static("Accept-Language, Cookie"),
            );
            r
        }
        Err(e) => error(e),
    }
}

/// `GET /sessions/{id}.ics`. The router cannot tell `5.ics` from a page id in
/// `/sessions/{id}`, so this layer answers such requests before the page route sees them.
pub async fn session_ics(
    State(state): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let id = (req.method() == Method::GET)
        .then(|| {
            req.uri()
                .path()
                .strip_prefix("/sessions/")?
                .strip_suffix(".ics")?
                .parse::<i64>()
                .ok()
        })
        .flatten();
    let Some(id) = id else {
        return next.run(req).await;
    };
    let viewer = req
        .extensions()
        .get::<CurrentSession>()
        .and_then(|s| s.0.clone());
    let lang = crate::i18n::server::lang_of(req.headers());
    match meetings::calendar_one(&state.db, &state.config, viewer.as_ref(), id, lang).await {
        Ok(body) => calendar(body, "private, max-age=300"),
        Err(e) => error(e),
    }
}

/// `GET /sessions/{id}/minutes.pdf`: the published minutes.
pub async fn minutes_pdf(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
    Path(id): Path<i64>,
) -> Response {
    match meetings::minutes_pdf(&state.db, session.0.as_ref(), id).await {
        Ok(bytes) => pdf_response(&format!("protokoll-sitzung-{id}.pdf"), bytes),
        Err(e) => error(e),
    }
}

#[derive(Debug, Deserialize)]
pub struct DownloadQuery {
    #[serde(default)]
    download: Option<String>,
}

/// `GET /files/{id}` (`?download=1` to save instead of view): an attachment of an agenda
/// item, with the content type it was recognised as.
pub async fn file(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
    Path(id): Path<i64>,
    Query(q): Query<DownloadQuery>,
) -> Response {
    let f = match meetings::file_for(&state.db, session.0.as_ref(), id).await {
        Ok(f) => f,
        Err(e) => return error(e),
    };
    let bytes = match tokio::fs::read(meetings::file_path(&state.config.files_dir, &f.sha256)).await
    {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, file = id, "attachment missing from the files directory");
            return error(AppError::NotFound);
        }
    };
    let disposition = if q.download.is_some() {
        "attachment"
    } else {
        "inline"
    };
    // RFC 6266/5987: an ASCII fallback and the UTF-8 name.
    let ascii: String = f
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = f
        .filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&f.content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!(
                    "{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
                ))
                .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `POST /sessions/items/{id}/files` (multipart, field `file`): the chair attaches a PDF or
/// an image to an agenda item. A plain form, with or without JavaScript; problems come back
/// to the item in the address.
pub async fn upload(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
    Path(item): Path<i64>,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let Some(user) = session.0.filter(|u: &SessionUser| !u.blocked) else {
        return error(AppError::Unauthenticated);
    };
    let back = |session: i64, problem: Option<UploadProblem>| match problem {
        Some(p) => {
            // Possibly refused before the whole body was read: close the connection, so that
            // the client does not reuse it with the rest of the upload in flight.
            let mut r = see_other(&format!(
                "/sessions/{session}/manage?problem={}&item={item}#item-{item}",
                p.code()
            ));
            r.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            r
        }
        None => see_other(&format!(
            "/sessions/{session}/manage?notice=file_added#item-{item}"
        )),
    };
    let session_id = match meetings::upload_target(&state.db, &user, item).await {
        Ok(id) => id,
        Err(e) => return error(e),
    };
    let mut upload: Option<(String, Vec<u8>)> = None;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return back(session_id, Some(UploadProblem::Failed)),
        };
        if field.name() != Some("file") || upload.is_some() {
            continue;
        }
        let name = field.file_name().unwrap_or("anlage").to_owned();
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > domain::MAX_FILE_BYTES {
                        return back(session_id, Some(UploadProblem::TooLarge));
                    }
                }
                Ok(None) => break,
                Err(_) => return back(session_id, Some(UploadProblem::Failed)),
            }
        }
        upload = Some((name, bytes));
    }
    let Some((name, bytes)) = upload else {
        return back(session_id, Some(UploadProblem::Empty));
    };
    if let Err(p) = domain::check_attachment(&bytes) {
        return back(session_id, Some(p));
    }
    match meetings::store_file(
        &state.db,
        &state.config.files_dir,
        &user,
        item,
        &name,
        &bytes,
    )
    .await
    {
        Ok(_) => back(session_id, None),
        // The session was closed for changes meanwhile: said at the item, like the others.
        Err(AppError::Validation { .. }) => back(session_id, Some(UploadProblem::Failed)),
        Err(e) => error(e),
    }
}

/// `GET /staff/reports/boards.csv`: sessions, attendance and recommendations per board
/// (staff only).
pub async fn boards_report_csv(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
) -> Response {
    use crate::boards::BoardReportRow;
    if !session.0.as_ref().is_some_and(SessionUser::is_staff) {
        return error(AppError::Forbidden);
    }
    let rows = match crate::boards::server::meetings::report(&state.db).await {
        Ok(rows) => rows,
        Err(e) => return error(e),
    };
    let header = BoardReportRow::CSV_HEADER.map(str::to_owned).to_vec();
    let records = std::iter::once(header).chain(rows.into_iter().map(|r| {
        vec![
            cells::text(&r.board).into_owned(),
            r.held.to_string(),
            r.cancelled.to_string(),
            r.attendance_percent
                .map(|p| p.to_string())
                .unwrap_or_default(),
            r.adopted.to_string(),
            r.rejected.to_string(),
            r.postponed.to_string(),
        ]
    }));
    report_csv("beiraete.csv", records)
}
