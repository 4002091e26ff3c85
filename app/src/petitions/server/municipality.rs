//! The municipality's legal figures (state, population, eligible citizens), stored as site
//! settings so that changing them needs no schema change.

use chrono::{NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;

use crate::error::AppError;
use crate::infra::audit::{self, Entry};
use crate::infra::db::begin_write;
use crate::petitions::rules::{self, State};
use crate::petitions::{Figures, LegalFrame, Municipality};
use crate::site::server as site;

const STATE: &str = "municipality_state";
const POPULATION: &str = "municipality_population";
const ELIGIBLE: &str = "eligible_citizens";
const ELIGIBLE_SOURCE: &str = "eligible_citizens_source";
const ELIGIBLE_DATE: &str = "eligible_citizens_date";

/// Kalletal and the reference municipality are in North Rhine-Westphalia; a new
/// install starts there until staff choose otherwise.
const DEFAULT_STATE: State = State::NordrheinWestfalen;

/// The municipality's name and figures, read in one query.
pub async fn get<C: ConnectionTrait>(db: &C) -> Result<Municipality, AppError> {
    let mut values = site::get_many(
        db,
        &[
            site::MUNICIPALITY_NAME,
            STATE,
            POPULATION,
            ELIGIBLE,
            ELIGIBLE_SOURCE,
            ELIGIBLE_DATE,
        ],
    )
    .await?;
    let mut take = |key: &str| values.remove(key).unwrap_or_default();
    let number = |s: String| s.trim().parse::<u64>().ok();
    Ok(Municipality {
        name: take(site::MUNICIPALITY_NAME),
        figures: Figures {
            state: State::from_code(&take(STATE)).unwrap_or(DEFAULT_STATE),
            population: number(take(POPULATION)),
            eligible_citizens: number(take(ELIGIBLE)),
            eligible_source: take(ELIGIBLE_SOURCE),
            eligible_reference_date: NaiveDate::parse_from_str(&take(ELIGIBLE_DATE), "%Y-%m-%d")
                .ok(),
        },
    })
}

/// The municipality with the rule set in force today.
pub async fn legal_frame<C: ConnectionTrait>(db: &C) -> Result<LegalFrame, AppError> {
    let municipality = get(db).await?;
    let today = rules::german_date(Utc::now());
    let rule_set = rules::rule_set(municipality.figures.state, today).ok_or(AppError::Internal)?;
    Ok(LegalFrame::new(municipality, rule_set))
}

/// Saves the figures with one audit entry listing old and new values (`actor` is `None`
/// for the command line and the demo).
pub async fn update(
    db: &DatabaseConnection,
    actor: Option<i64>,
    new: &Figures,
) -> Result<(), AppError> {
    let text = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let tx = begin_write(db).await?;
    // Read inside the write transaction, so the audit entry's old values are the ones replaced.
    let old = get(&tx).await?.figures;
    let mut changes = serde_json::Map::new();
    for (key, old_value, new_value) in [
        (
            STATE,
            old.state.code().to_owned(),
            new.state.code().to_owned(),
        ),
        (POPULATION, text(old.population), text(new.population)),
        (
            ELIGIBLE,
            text(old.eligible_citizens),
            text(new.eligible_citizens),
        ),
        (
            ELIGIBLE_SOURCE,
            old.eligible_source.clone(),
            new.eligible_source.clone(),
        ),
        (
            ELIGIBLE_DATE,
            date(old.eligible_reference_date),
            date(new.eligible_reference_date),
        ),
    ] {
        if old_value != new_value {
            site::put(&tx, key, &new_value).await?;
            changes.insert(
                key.to_owned(),
                json!({ "old": old_value, "new": new_value }),
            );
        }
    }
    if !changes.is_empty() {
        audit::append(
            &tx,
            Entry {
                actor_id: actor,
                action: "municipality.updated",
                target_type: "site",
                target_id: None,
                details: serde_json::Value::Object(changes),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
