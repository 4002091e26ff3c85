//! Staff upload the register export on the web: `POST /staff/residents/import`.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::post;

use super::import as register;
use crate::error::AppError;
use crate::infra::auth::{CurrentSession, SessionUser};
use crate::infra::responses::{error, see_other};
use crate::infra::state::AppState;
use crate::register::record::Encoding;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/staff/residents/import",
        post(register_upload).layer(axum::extract::DefaultBodyLimit::max(
            register::MAX_FILE_BYTES as usize + 64 * 1024,
        )),
    )
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
                // Staged inside the data directory, never in the shared /tmp.
                let staged = match std::fs::create_dir_all(&state.config.staging_dir) {
                    Ok(()) => tempfile::NamedTempFile::new_in(&state.config.staging_dir),
                    Err(e) => Err(e),
                };
                let Ok(temp) = staged else {
                    tracing::error!(dir = %state.config.staging_dir.display(), "register upload cannot be staged");
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
