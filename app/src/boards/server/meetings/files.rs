//! Attachments of agenda items, stored content-addressed.
use std::path::{Path, PathBuf};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter,
};
use serde_json::json;

use crate::boards::domain::{self};
use crate::error::AppError;
use crate::infra::audit::{self};
use crate::infra::auth::SessionUser;
use crate::infra::db::begin_write;
use crate::infra::entities::{agenda_file, agenda_item};

use super::*;

/// The path of a stored attachment.
pub fn file_path(files_dir: &Path, sha256: &str) -> PathBuf {
    files_dir.join(sha256)
}

/// Stores an attachment of an item (content-addressed: the same file twice is stored once).
pub async fn store_file(
    db: &DatabaseConnection,
    files_dir: &Path,
    user: &SessionUser,
    item_id: i64,
    filename: &str,
    bytes: &[u8],
) -> Result<i64, AppError> {
    let (_, m) = find_item_managed(db, user, item_id).await?;
    editable_or(&m, "file")?;
    let content_type =
        domain::check_attachment(bytes).map_err(|p| AppError::field("file", p.message()))?;
    let sha = crate::infra::files::store_bytes(files_dir, bytes).await?;
    let now = Utc::now();
    let name = domain::clean_filename(filename);
    let tx = begin_write(db).await?;
    let row = agenda_file::ActiveModel {
        item_id: Set(item_id),
        filename: Set(name.clone()),
        content_type: Set(content_type.to_owned()),
        size: Set(bytes.len() as i64),
        sha256: Set(sha),
        uploaded_by: Set(Some(user.id)),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::append(
        &tx,
        log(
            user,
            "agenda.file_added",
            m.id,
            json!({ "item": item_id, "file": row.id, "name": name }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(m.id)
}

/// Removes an attachment; its stored content is erased when no other attachment uses it
/// (the same file may hang at several items). Returns the session.
pub async fn delete_file(
    db: &DatabaseConnection,
    files_dir: &Path,
    user: &SessionUser,
    file_id: i64,
) -> Result<i64, AppError> {
    let f = agenda_file::Entity::find_by_id(file_id)
        .one(db)
        .await?
        .filter(|f| f.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let (_, m) = find_item_managed(db, user, f.item_id).await?;
    editable_or(&m, "file")?;
    let now = Utc::now();
    let sha = f.sha256.clone();
    let tx = begin_write(db).await?;
    let mut row: agenda_file::ActiveModel = f.into();
    row.deleted_at = Set(Some(now));
    row.updated_at = Set(now);
    row.update(&tx).await?;
    audit::append(
        &tx,
        log(
            user,
            "agenda.file_removed",
            m.id,
            json!({ "file": file_id }),
        ),
    )
    .await?;
    tx.commit().await?;
    let still_used = agenda_file::Entity::find()
        .filter(agenda_file::Column::Sha256.eq(&sha))
        .filter(agenda_file::Column::DeletedAt.is_null())
        .count(db)
        .await?;
    if still_used == 0
        && let Err(e) = tokio::fs::remove_file(file_path(files_dir, &sha)).await
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(error = %e, "erasing a removed attachment");
    }
    Ok(m.id)
}

/// An attachment the viewer may download: of a public item of a public session, or any for
/// the board and staff.
pub async fn file_for(
    db: &DatabaseConnection,
    viewer: Option<&SessionUser>,
    file_id: i64,
) -> Result<agenda_file::Model, AppError> {
    let f = agenda_file::Entity::find_by_id(file_id)
        .one(db)
        .await?
        .filter(|f| f.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let item = agenda_item::Entity::find_by_id(f.item_id)
        .one(db)
        .await?
        .filter(|i| i.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let (_, sees_closed) = find_visible(db, viewer, item.meeting_id).await?;
    if !item.public && !sees_closed {
        return Err(AppError::NotFound);
    }
    Ok(f)
}
