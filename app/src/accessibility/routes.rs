//! Plain endpoints of the sign-language videos: the upload (multipart, a plain form that
//! works without JavaScript) and the files, with range requests so that players can seek.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::server::{self as a11y, NewVideo};
use super::{MAX_VIDEO_BYTES, VideoProblem, check_captions, check_video_texts, sniff_video};
use crate::accounts::domain::Role;
use crate::error::AppError;
use crate::infra::auth::CurrentSession;
use crate::infra::responses::{error, see_other};
use crate::infra::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/sign-language/videos",
            // The body limit is the video's plus room for the texts and captions.
            post(upload).layer(axum::extract::DefaultBodyLimit::max(
                (MAX_VIDEO_BYTES as usize) + 2 * 1024 * 1024,
            )),
        )
        .route("/media/sign/{id}", get(video_file))
        .route("/media/sign/{id}/captions.vtt", get(captions_file))
}

fn back(problem: Option<VideoProblem>) -> Response {
    match problem {
        Some(p) => {
            let mut r = see_other(&format!("/admin/accessibility?problem={}#videos", p.code()));
            // Possibly refused before the whole body was read: close the connection, so that
            // the client does not send the rest of the upload on it.
            r.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            r
        }
        None => see_other("/admin/accessibility?notice=video_added#videos"),
    }
}

/// A video being written to the staging directory while it is read: hashed and sniffed on
/// the way, never held in memory as a whole.
struct Staged {
    path: std::path::PathBuf,
    file: tokio::fs::File,
    hash: Sha256,
    head: Vec<u8>,
    size: u64,
}

impl Staged {
    async fn new(dir: &std::path::Path) -> Result<Self, VideoProblem> {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|_| VideoProblem::Failed)?;
        let path = dir.join(format!("video-{}", crate::infra::tokens::generate()));
        let file = tokio::fs::File::create(&path)
            .await
            .map_err(|_| VideoProblem::Failed)?;
        Ok(Staged {
            path,
            file,
            hash: Sha256::new(),
            head: Vec::new(),
            size: 0,
        })
    }

    async fn push(&mut self, chunk: &[u8]) -> Result<(), VideoProblem> {
        self.size += chunk.len() as u64;
        if self.size > MAX_VIDEO_BYTES {
            return Err(VideoProblem::TooLarge);
        }
        if self.head.len() < 64 {
            let take = (64 - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.hash.update(chunk);
        self.file
            .write_all(chunk)
            .await
            .map_err(|_| VideoProblem::Failed)
    }

    async fn discard(self) {
        drop(self.file);
        let _ = tokio::fs::remove_file(&self.path).await;
    }
}

/// `POST /admin/sign-language/videos` (multipart: `topic`, `title`, `transcript`, `video`,
/// optional `captions`): administrators add a video. Problems come back in the address.
pub async fn upload(
    State(state): State<AppState>,
    axum::Extension(session): axum::Extension<CurrentSession>,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let Some(admin) = session.0.filter(|u| u.has_role(Role::Admin)) else {
        return error(AppError::Forbidden);
    };
    let (mut topic, mut title, mut transcript) = (String::new(), String::new(), String::new());
    let mut captions: Option<Vec<u8>> = None;
    let mut staged: Option<Staged> = None;
    let outcome = async {
        loop {
            let mut field = match multipart.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(_) => return Err(VideoProblem::Failed),
            };
            let name = field.name().unwrap_or("").to_owned();
            match name.as_str() {
                "video" if staged.is_none() => {
                    let mut s = Staged::new(&state.config.staging_dir).await?;
                    loop {
                        match field.chunk().await {
                            Ok(Some(chunk)) => s.push(&chunk).await?,
                            Ok(None) => break,
                            Err(_) => {
                                s.discard().await;
                                return Err(VideoProblem::Failed);
                            }
                        }
                    }
                    staged = Some(s);
                }
                "captions" => {
                    let bytes = field.bytes().await.map_err(|_| VideoProblem::Failed)?;
                    if !bytes.is_empty() {
                        check_captions(&bytes)?;
                        captions = Some(bytes.to_vec());
                    }
                }
                name @ ("topic" | "title" | "transcript") => {
                    let text = field.text().await.map_err(|_| VideoProblem::Failed)?;
                    match name {
                        "topic" => topic = text,
                        "title" => title = text,
                        _ => transcript = text,
                    }
                }
                _ => {}
            }
        }
        let topic = check_video_texts(&topic, &title, &transcript)?;
        let Some(s) = staged.take() else {
            return Err(VideoProblem::Empty);
        };
        if s.size == 0 {
            s.discard().await;
            return Err(VideoProblem::Empty);
        }
        let Some(content_type) = sniff_video(&s.head) else {
            s.discard().await;
            return Err(VideoProblem::NotVideo);
        };
        let Staged {
            path,
            mut file,
            hash,
            size,
            ..
        } = s;
        file.flush().await.map_err(|_| VideoProblem::Failed)?;
        drop(file);
        let sha = hex::encode(hash.finalize());
        let files_dir = &state.config.files_dir;
        tokio::fs::create_dir_all(files_dir)
            .await
            .map_err(|_| VideoProblem::Failed)?;
        // The staging directory sits beside the files directory under the data directory,
        // so the rename is atomic and a reader never sees half a video.
        tokio::fs::rename(&path, files_dir.join(&sha))
            .await
            .map_err(|_| VideoProblem::Failed)?;
        let captions_sha256 = match &captions {
            Some(bytes) => Some(
                crate::infra::files::store_bytes(files_dir, bytes)
                    .await
                    .map_err(|_| VideoProblem::Failed)?,
            ),
            None => None,
        };
        Ok((topic, content_type, size, sha, captions_sha256))
    }
    .await;
    if let Some(s) = staged {
        s.discard().await;
    }
    let new = match outcome {
        Ok((topic, content_type, size, sha256, captions_sha256)) => NewVideo {
            topic,
            title: &title,
            transcript: &transcript,
            content_type,
            size,
            sha256,
            captions_sha256,
        },
        Err(p) => return back(Some(p)),
    };
    match a11y::add_video(&state.db, &admin, new).await {
        Ok(_) => back(None),
        Err(e) => error(e),
    }
}

async fn serve(state: &AppState, sha: &str, content_type: &str, req: Request) -> Response {
    let path = state.config.files_dir.join(sha);
    match ServeFile::new(path).oneshot(req).await {
        Ok(mut res) => {
            if res.status() == axum::http::StatusCode::NOT_FOUND {
                return error(AppError::NotFound);
            }
            let headers = res.headers_mut();
            if let Ok(v) = HeaderValue::from_str(content_type) {
                headers.insert(header::CONTENT_TYPE, v);
            }
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            res.map(Body::new).into_response()
        }
        Err(never) => match never {},
    }
}

/// `GET /media/sign/{id}`: the video, public, with range requests.
pub async fn video_file(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    match a11y::video(&state.db, id).await {
        Ok(v) => serve(&state, &v.sha256, &v.content_type, req).await,
        Err(e) => error(e),
    }
}

/// `GET /media/sign/{id}/captions.vtt`
pub async fn captions_file(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    match a11y::video(&state.db, id).await {
        Ok(v) => match v.captions_sha256 {
            Some(sha) => serve(&state, &sha, "text/vtt; charset=utf-8", req).await,
            None => error(AppError::NotFound),
        },
        Err(e) => error(e),
    }
}
