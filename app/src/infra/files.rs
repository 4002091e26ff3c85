//! The shared files directory: uploads stored content-addressed (file name = SHA-256), so the
//! same file twice is stored once.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Stores `bytes` under their hash (if not there yet) and returns the hash. Written under a
/// temporary name and renamed, so a reader never sees half a file.
pub async fn store_bytes(files_dir: &Path, bytes: &[u8]) -> Result<String, AppError> {
    let sha = hex::encode(Sha256::digest(bytes));
    let path = files_dir.join(&sha);
    if tokio::fs::metadata(&path).await.is_err() {
        let failed = |what: &'static str| {
            move |e: std::io::Error| {
                tracing::error!(error = %e, "{what}");
                AppError::Internal
            }
        };
        tokio::fs::create_dir_all(files_dir)
            .await
            .map_err(failed("creating the files directory"))?;
        let temp = files_dir.join(format!("{sha}.{}.part", crate::infra::tokens::generate()));
        tokio::fs::write(&temp, bytes)
            .await
            .map_err(failed("writing an upload"))?;
        tokio::fs::rename(&temp, &path)
            .await
            .map_err(failed("storing an upload"))?;
    }
    Ok(sha)
}
