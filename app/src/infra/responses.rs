//! Responses of the plain HTTP endpoints beside the pages (files, feeds, open data): errors
//! as JSON with their stable code, PDFs, CSV downloads streamed or whole, redirects.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

pub fn error(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        Json(serde_json::json!({ "error": e.code(), "message": e.message() })),
    )
        .into_response()
}

/// An error as a server function answers it (the `AppError` JSON the pages and tests read),
/// for middleware that answers in a server function's place.
pub fn server_fn_error(status: StatusCode, e: &AppError) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(e).unwrap_or_default(),
    )
        .into_response()
}

pub fn pdf_response(filename: &str, bytes: Vec<u8>) -> Response {
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

/// A CSV download streamed page by page (memory stays flat): `page(after)` gives the bytes
/// of the page after that id and the last id in it, `i64::MAX` for an empty first page.
pub fn csv_download<F, Fut>(file_name: &str, page: F) -> Response
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

/// A small report as a CSV download: semicolons and a byte-order mark, as German
/// spreadsheet programs expect.
pub fn report_csv(filename: &str, records: impl Iterator<Item = Vec<String>>) -> Response {
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

pub fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/")),
        )],
    )
        .into_response()
}

/// A body that clients poll (calendars, OParl, open data), with validators: a strong `ETag`
/// (the body's SHA-256) and, where the data know it, `Last-Modified`. A request that sends
/// the current `ETag` in `If-None-Match` (or, without one, a time in `If-Modified-Since`
/// not before `Last-Modified`) is answered `304 Not Modified` without the body.
pub fn validated(
    request: &axum::http::HeaderMap,
    content_type: &'static str,
    cache_control: &'static str,
    body: Vec<u8>,
    last_modified: Option<chrono::DateTime<chrono::Utc>>,
) -> Response {
    use chrono::SubsecRound;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", hex::encode(&digest[..16]));
    // HTTP dates have whole seconds.
    let last_modified = last_modified.map(|t| t.trunc_subsecs(0));
    let not_modified = match request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        // RFC 9110 13.1.2: `If-None-Match` decides alone when present; weak comparison.
        Some(tags) => tags
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == etag),
        None => last_modified.is_some_and(|ours| {
            request
                .get(header::IF_MODIFIED_SINCE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
                .is_some_and(|since| ours <= since)
        }),
    };
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body.into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        r
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    if let Some(value) = last_modified.and_then(|t| {
        HeaderValue::from_str(&t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()).ok()
    }) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    response
}
