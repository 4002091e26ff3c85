//! Site settings the administration edits: the municipality's name and the texts of the
//! Impressum and Datenschutz pages.

use chrono::Utc;
use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use serde_json::json;

use crate::error::AppError;
use crate::infra::audit::{self, Entry};
use crate::infra::db::begin_write;
use crate::infra::entities::site_setting;
use crate::site::SiteSettings;

pub const MUNICIPALITY_NAME: &str = "municipality_name";
pub const IMPRESSUM: &str = "impressum";
pub const PRIVACY: &str = "privacy";

pub const DEFAULT_MUNICIPALITY: &str = "Meine Gemeinde";

fn default_for(key: &str) -> &'static str {
    match key {
        MUNICIPALITY_NAME => DEFAULT_MUNICIPALITY,
        IMPRESSUM => {
            "Das Impressum wurde noch nicht hinterlegt. Die Administration trägt es unter „Administration → Einstellungen“ ein."
        }
        PRIVACY => {
            "Die Datenschutzerklärung wurde noch nicht hinterlegt. Die Administration trägt sie unter „Administration → Einstellungen“ ein."
        }
        _ => "",
    }
}

pub async fn get<C: ConnectionTrait>(db: &C, key: &str) -> Result<String, AppError> {
    Ok(site_setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|s| s.value)
        .unwrap_or_else(|| default_for(key).to_owned()))
}

/// Several settings in one query; keys without a stored value get their default.
pub async fn get_many<C: ConnectionTrait>(
    db: &C,
    keys: &[&str],
) -> Result<HashMap<String, String>, AppError> {
    let mut found: HashMap<String, String> = site_setting::Entity::find()
        .filter(site_setting::Column::Key.is_in(keys.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.key, s.value))
        .collect();
    for key in keys {
        found
            .entry((*key).to_owned())
            .or_insert_with(|| default_for(key).to_owned());
    }
    Ok(found)
}

pub async fn municipality_name<C: ConnectionTrait>(db: &C) -> Result<String, AppError> {
    get(db, MUNICIPALITY_NAME).await
}

pub async fn settings(db: &DatabaseConnection) -> Result<SiteSettings, AppError> {
    Ok(SiteSettings {
        municipality_name: get(db, MUNICIPALITY_NAME).await?,
        impressum: get(db, IMPRESSUM).await?,
        privacy: get(db, PRIVACY).await?,
    })
}

pub async fn put<C: ConnectionTrait>(db: &C, key: &str, value: &str) -> Result<(), AppError> {
    site_setting::Entity::insert(site_setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(site_setting::Column::Key)
            .update_columns([site_setting::Column::Value, site_setting::Column::UpdatedAt])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// Saves one setting with its audit entry, in one transaction (texts the administration
/// keeps: the accessibility statement, the Leichte Sprache page, the privacy template).
pub async fn put_audited(
    db: &DatabaseConnection,
    actor: Option<i64>,
    key: &str,
    value: &str,
    action: &str,
    details: serde_json::Value,
) -> Result<(), AppError> {
    let tx = begin_write(db).await?;
    put(&tx, key, value).await?;
    audit::append(
        &tx,
        Entry {
            actor_id: actor,
            action,
            target_type: "site",
            target_id: None,
            details,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Saves all settings at once, with one audit entry naming what changed.
pub async fn update(
    db: &DatabaseConnection,
    actor: i64,
    new: &SiteSettings,
) -> Result<(), AppError> {
    let old = settings(db).await?;
    let tx = begin_write(db).await?;
    let mut changed = Vec::new();
    for (key, old_value, new_value) in [
        (
            MUNICIPALITY_NAME,
            &old.municipality_name,
            &new.municipality_name,
        ),
        (IMPRESSUM, &old.impressum, &new.impressum),
        (PRIVACY, &old.privacy, &new.privacy),
    ] {
        if old_value != new_value {
            put(&tx, key, new_value).await?;
            changed.push(key);
        }
    }
    if !changed.is_empty() {
        audit::append(
            &tx,
            Entry {
                actor_id: Some(actor),
                action: "settings.updated",
                target_type: "site",
                target_id: None,
                details: json!({ "keys": changed }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
