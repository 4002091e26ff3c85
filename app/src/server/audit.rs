//! The append-only audit trail. Every entry carries the hash of the entry before it, so an
//! edited, deleted or re-ordered row breaks the chain and `dorfplatz audit verify` names it.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryOrder,
    QuerySelect, Statement,
};
use sha2::{Digest, Sha256};

use super::db::is_postgres;
use super::entities::audit_log;

/// The first entry's predecessor.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, to what, and by whom. `details` holds no secrets and only the personal data
/// the action itself is about (an email address for a role change, say).
pub struct Entry<'a> {
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<String>,
    pub details: serde_json::Value,
}

/// Appends an entry. Call it inside the transaction of the change it records, begun with
/// `db::begin_write`, so that the record and the change commit or fail together and entries
/// are chained in a single order even with several server instances.
pub async fn append<C: ConnectionTrait>(tx: &C, entry: Entry<'_>) -> Result<(), DbErr> {
    if is_postgres(tx) {
        // One chain, one writer at a time, across all instances; released at commit.
        tx.execute_raw(Statement::from_string(
            tx.get_database_backend(),
            "SELECT pg_advisory_xact_lock(727274)",
        ))
        .await?;
    }
    let prev = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(1)
        .one(tx)
        .await?
        .map(|row| row.hash)
        .unwrap_or_else(|| GENESIS.to_owned());
    // Microseconds are what both databases keep, so the hash can be recomputed from a row.
    let at = Utc::now().trunc_subsecs(6);
    let details = entry.details.to_string();
    let hash = compute_hash(
        &prev,
        at,
        entry.actor_id,
        entry.action,
        entry.target_type,
        entry.target_id.as_deref(),
        &details,
    );
    audit_log::Entity::insert(audit_log::ActiveModel {
        at: Set(at),
        actor_id: Set(entry.actor_id),
        action: Set(entry.action.to_owned()),
        target_type: Set(entry.target_type.to_owned()),
        target_id: Set(entry.target_id),
        details: Set(details),
        prev_hash: Set(prev),
        hash: Set(hash),
        ..Default::default()
    })
    .exec(tx)
    .await?;
    Ok(())
}

fn compute_hash(
    prev: &str,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    action: &str,
    target_type: &str,
    target_id: Option<&str>,
    details: &str,
) -> String {
    let mut h = Sha256::new();
    // Length-prefixed fields: no two different entries can serialize to the same bytes.
    for part in [
        prev.to_owned(),
        at.timestamp_micros().to_string(),
        actor_id.map(|a| a.to_string()).unwrap_or_default(),
        action.to_owned(),
        target_type.to_owned(),
        target_id.unwrap_or_default().to_owned(),
        details.to_owned(),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The outcome of checking the chain.
#[derive(Debug, PartialEq, Eq)]
pub struct Verification {
    pub checked: u64,
    /// The id of the first entry that does not fit, with the reason.
    pub first_broken: Option<(i64, &'static str)>,
}

/// Walks the whole chain in id order, page by page (memory stays flat).
pub async fn verify(db: &DatabaseConnection) -> Result<Verification, DbErr> {
    let mut prev = GENESIS.to_owned();
    let mut last_id = 0i64;
    let mut checked = 0u64;
    loop {
        use sea_orm::{ColumnTrait, QueryFilter};
        let page = audit_log::Entity::find()
            .filter(audit_log::Column::Id.gt(last_id))
            .order_by_asc(audit_log::Column::Id)
            .limit(1000)
            .all(db)
            .await?;
        if page.is_empty() {
            return Ok(Verification {
                checked,
                first_broken: None,
            });
        }
        for row in page {
            checked += 1;
            if row.prev_hash != prev {
                return Ok(Verification {
                    checked,
                    first_broken: Some((
                        row.id,
                        "Verkettung unterbrochen (Eintrag davor fehlt oder wurde geändert)",
                    )),
                });
            }
            let expected = compute_hash(
                &row.prev_hash,
                row.at,
                row.actor_id,
                &row.action,
                &row.target_type,
                row.target_id.as_deref(),
                &row.details,
            );
            if row.hash != expected {
                return Ok(Verification {
                    checked,
                    first_broken: Some((row.id, "Inhalt wurde nachträglich verändert")),
                });
            }
            prev = row.hash;
            last_id = row.id;
        }
    }
}
