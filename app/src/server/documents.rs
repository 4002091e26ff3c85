//! Plain HTTP endpoints beside the pages: the open-data tally and the printable PDFs.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{SecondsFormat, Utc};
use serde::Deserialize;

use super::auth::{CurrentSession, SessionUser};
use super::petitions::{find_by_slug, visible_to_public};
use super::state::AppState;
use super::{audit, exports, register, reports, signatures};
use crate::error::AppError;
use crate::register::record::Encoding;
use crate::reports::Format;

pub(crate) fn error(e: AppError) -> Response {
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

pub(crate) fn pdf_response(filename: &str, bytes: Vec<u8>) -> Response {
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

/// A CSV download streamed page by page (memory stays flat): `page(after)` gives the bytes
/// of the page after that id and the last id in it, `i64::MAX` for an empty first page.
fn csv_download<F, Fut>(file_name: &str, page: F) -> Response
where
    F: Fn(i64) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<Option<(Vec<u8>, i64)>, AppError>> + Send + 'static,
{
    use futures::StreamExt;
    let body = futures::stream::unfold(Some(0i64), move |after| {
        let next = after.map(&page);
        async move {
            match next?.await {
                Ok(Some((bytes, last))) => Some((
                    Ok::<_, std::io::Error>(axum::body::Bytes::from(bytes)),
                    (last != i64::MAX).then_some(last),
                )),
                Ok(None) => None,
                Err(e) => Some((Err(std::io::Error::other(e.message())), None)),
            }
        }
    })
    // The compression layer may poll once more after the end; a fused stream answers
    // `None` again instead of panicking.
    .fuse();
    let disposition = format!("attachment; filename=\"{file_name}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response()
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
    if let Err(e) = exports::log_export(&state.db, Some(user.id), &p, "download").await {
        return error(e);
    }
    let db = state.db.clone();
    let petition_id = p.id;
    csv_download(&format!("unterschriften-{slug}.csv"), move |after| {
        let db = db.clone();
        async move { exports::signatures_page(&db, petition_id, after).await }
    })
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

/// `GET /admin/audit.csv?action=&actor=&from=&to=`: the audit trail (administrators only),
/// filtered as on the page, oldest first, streamed page by page; the export is logged.
pub async fn audit_csv(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
    Query(filter): Query<crate::admin::AuditFilter>,
) -> Response {
    use crate::accounts::domain::Role;
    let Some(user) = session.0.filter(|u| u.has_role(Role::Admin)) else {
        return error(AppError::Forbidden);
    };
    let parsed = match audit::Filter::parse(&filter) {
        Ok(f) => std::sync::Arc::new(f),
        Err(e) => return error(e),
    };
    if let Err(e) = audit::log_export(&state.db, Some(user.id), &filter, "download").await {
        return error(e);
    }
    let db = state.db.clone();
    csv_download("protokoll.csv", move |after| {
        let (db, parsed) = (db.clone(), parsed.clone());
        async move { audit::csv_page(&db, &parsed, after).await }
    })
}

/// `GET /proposals/feed.atom`: the newest proposals as an Atom feed.
pub async fn proposals_feed(State(state): State<AppState>) -> Response {
    match super::proposals::feed(&state.db, &state.config.link("")).await {
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

#[derive(Debug, Deserialize)]
pub struct UnsubscribeQuery {
    u: i64,
    s: String,
    t: String,
}

/// `POST /unsubscribe/one-click?u=…&s=…&t=…` (RFC 8058, the address in `List-Unsubscribe`);
/// GET does the same for mail programs that open it. The body link of each email goes to
/// the `/unsubscribe` page instead, which says what ended.
pub async fn one_click_unsubscribe(
    State(state): State<AppState>,
    Query(q): Query<UnsubscribeQuery>,
) -> Response {
    match super::notify::unsubscribe(&state.db, &state.config, q.u, &q.s, &q.t).await {
        Ok(_) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            )],
            "Abgemeldet: Sie erhalten dazu keine E-Mails mehr.\n",
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
    let rows = match super::proposals::by_topic_and_status(&state.db).await {
        Ok(rows) => rows,
        Err(e) => return error(e),
    };
    let mut header = vec!["thema".to_owned()];
    header.extend(Status::ALL.iter().map(|s| s.code().to_owned()));
    header.push("zusammen".to_owned());
    let records = std::iter::once(header).chain(rows.into_iter().map(|(topic, counts)| {
        let mut record = vec![exports::text(&topic).into_owned()];
        record.extend(counts.iter().map(|(_, n)| n.to_string()));
        record.push(counts.iter().map(|(_, n)| n).sum::<u64>().to_string());
        record
    }));
    report_csv("vorschlaege-nach-thema.csv", records)
}

/// A small report as a CSV download: semicolons and a byte-order mark, as German
/// spreadsheet programs expect.
fn report_csv(filename: &str, records: impl Iterator<Item = Vec<String>>) -> Response {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        let mut ok = true;
        for record in records {
            ok &= w.write_record(&record).is_ok();
        }
        if !ok || w.flush().is_err() {
            return error(AppError::Internal);
        }
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        out,
    )
        .into_response()
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
    let rows = match super::meetings::report(&state.db).await {
        Ok(rows) => rows,
        Err(e) => return error(e),
    };
    let header = BoardReportRow::CSV_HEADER.map(str::to_owned).to_vec();
    let records = std::iter::once(header).chain(rows.into_iter().map(|r| {
        vec![
            exports::text(&r.board).into_owned(),
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

pub(crate) fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/")),
        )],
    )
        .into_response()
}

/// `POST /staff/residents/import` (multipart: `file`, optional `encoding`): staff upload a
/// register export. The file is streamed to a temporary file (memory stays flat), the import
/// runs in the background on this instance, and the staff page shows its progress from the
/// database (any instance can). Works as a plain form without JavaScript.
pub async fn register_upload(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
    mut multipart: axum::extract::Multipart,
) -> Response {
    use tokio::io::AsyncWriteExt;
    // Refused before the body is read: the connection is closed, so that a client does not
    // reuse it with the rest of a large upload still in flight.
    let close = |mut r: Response| {
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        r
    };
    let Some(user) = session.0.filter(SessionUser::is_staff) else {
        return close(error(AppError::Forbidden));
    };
    let back = |problem: &str| close(see_other(&format!("/staff/residents?problem={problem}")));
    match register::running(&state.db).await {
        Ok(None) => {}
        Ok(Some(_)) => return back("import_running"),
        Err(e) => return close(error(e)),
    }
    let mut encoding = None;
    // A private temporary file (mode 0600), deleted when dropped: on every early return
    // below, and after the import.
    let mut upload: Option<(tempfile::NamedTempFile, String, u64)> = None;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return back("upload_failed"),
        };
        match field.name() {
            Some("encoding") => {
                let text = field.text().await.unwrap_or_default();
                if !text.trim().is_empty() {
                    match Encoding::parse(&text) {
                        Some(e) => encoding = Some(e),
                        None => return back("bad_encoding"),
                    }
                }
            }
            // One file per upload; a second one is not read.
            Some("file") if upload.is_none() => {
                let name = field.file_name().unwrap_or("melderegister.csv").to_owned();
                let Ok(temp) = tempfile::NamedTempFile::new() else {
                    return error(AppError::Internal);
                };
                let Ok(std_file) = temp.reopen() else {
                    return error(AppError::Internal);
                };
                let mut file = tokio::fs::File::from_std(std_file);
                let mut size = 0u64;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            size += chunk.len() as u64;
                            if size > register::MAX_FILE_BYTES {
                                return back("too_large");
                            }
                            if file.write_all(&chunk).await.is_err() {
                                return error(AppError::Internal);
                            }
                        }
                        Ok(None) => break,
                        Err(_) => return back("upload_failed"),
                    }
                }
                if file.flush().await.is_err() {
                    return error(AppError::Internal);
                }
                upload = Some((temp, name, size));
            }
            _ => {}
        }
    }
    let Some((temp, name, size)) = upload else {
        return back("no_file");
    };
    if size == 0 {
        return back("empty");
    }
    let db = state.db.clone();
    tokio::spawn(async move {
        // The import reads synchronously through a buffered reader and writes with async
        // database calls, like the command line does.
        let result = match temp.reopen() {
            Ok(f) => {
                register::import(
                    &db,
                    Some(user.id),
                    &name,
                    size,
                    std::io::BufReader::with_capacity(1 << 16, f),
                    encoding,
                    |_| {},
                )
                .await
            }
            Err(_) => Err(AppError::Internal),
        };
        drop(temp);
        // A refused file is on the import's row with its reason; only failures of the
        // database or the disk end up here.
        if let Err(e) = result
            && !matches!(e, AppError::Validation { .. })
        {
            tracing::error!(error = ?e, "register import");
        }
    });
    see_other("/staff/residents?notice=register_upload_started")
}
