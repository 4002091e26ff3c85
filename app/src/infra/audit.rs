//! The append-only audit trail. Every entry carries the hash of the entry before it, keyed
//! with a key that is not in the database (HMAC-SHA256), so an edited, deleted or
//! re-ordered row breaks the chain and `dorfplatz audit verify` names it, and whoever can
//! write to the database but lacks the key cannot compute a fitting hash. Entries are
//! appended one at a time inside the transaction of the change they record (an advisory
//! lock on PostgreSQL, SQLite's single writer), and a unique index on the previous hash
//! makes a fork impossible. Anchors (position and hash of the head, mailed away) prove that
//! nothing before them changed even to someone who has the key.
//!
//! Entries written before the chain was keyed (up to the first keyed one) are checked as
//! unkeyed SHA-256; every start seals an unkeyed head with a keyed entry, and after the
//! first keyed entry every entry must be keyed.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
    sea_query::{Expr, ExprTrait, Func},
};
use sha2::{Digest, Sha256};

use crate::admin::{AuditPage, AuditRow, ChainCheck};
use crate::error::{AppError, FieldErrors};
use crate::infra::db::{begin_write, is_postgres};
use crate::infra::entities::audit_log;

/// The first entry's predecessor.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The key of the chain, set once per process at start (see [`init_key`]).
static KEY: OnceLock<Vec<u8>> = OnceLock::new();

/// Sets the key the chain is sealed and checked with: `DORFPLATZ_AUDIT_KEY`, or a key
/// derived from the secret key for this one purpose. The first key set in a process stays;
/// returns whether `key` is the one in use.
pub fn init_key(key: &[u8]) -> bool {
    KEY.get_or_init(|| key.to_vec()) == key
}

/// The audit key derived from the site's secret key (HMAC as the key derivation: one
/// purpose, one label; the secret key itself never keys the chain).
pub fn derive_key(secret: &[u8]) -> Vec<u8> {
    keyed(secret, &[b"dorfplatz audit chain v1"]).to_vec()
}

fn key() -> Result<&'static [u8], DbErr> {
    KEY.get()
        .map(Vec::as_slice)
        .ok_or_else(|| DbErr::Custom("the audit key is not set (audit::init_key)".into()))
}

fn keyed(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC takes keys of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// What happened, to what, and by whom. `details` holds no secrets and only the personal data
/// the action itself is about (an email address for a role change, say).
pub struct Entry<'a> {
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<String>,
    pub details: serde_json::Value,
}

/// Takes the chain's lock for the rest of the transaction: one writer at a time, across all
/// instances (on SQLite the write transaction is that already).
async fn lock(tx: &DatabaseTransaction) -> Result<(), DbErr> {
    if is_postgres(tx) {
        tx.execute_raw(Statement::from_string(
            tx.get_database_backend(),
            "SELECT pg_advisory_xact_lock(727274)",
        ))
        .await?;
    }
    Ok(())
}

/// Appends an entry inside the transaction of the change it records (begun with
/// `db::begin_write`), so that the record and the change commit or fail together and entries
/// are chained in a single order even with several server instances.
pub async fn append(tx: &DatabaseTransaction, entry: Entry<'_>) -> Result<(), DbErr> {
    let key = key()?;
    lock(tx).await?;
    let prev = head(tx)
        .await?
        .map(|row| row.hash)
        .unwrap_or_else(|| GENESIS.to_owned());
    // Microseconds are what both databases keep, so the hash can be recomputed from a row.
    let at = Utc::now().trunc_subsecs(6);
    let details = entry.details.to_string();
    let fields = Fields {
        prev: &prev,
        at,
        actor_id: entry.actor_id,
        action: entry.action,
        target_type: entry.target_type,
        target_id: entry.target_id.as_deref(),
        details: &details,
    };
    let hash = fields.seal(Some(key));
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

/// Records an entry that goes with no other change (a view, an export), in a transaction
/// of its own.
pub async fn record(db: &DatabaseConnection, entry: Entry<'_>) -> Result<(), DbErr> {
    let tx = begin_write(db).await?;
    append(&tx, entry).await?;
    tx.commit().await
}

/// The fields of an entry the hash covers.
struct Fields<'a> {
    prev: &'a str,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    action: &'a str,
    target_type: &'a str,
    target_id: Option<&'a str>,
    details: &'a str,
}

impl<'a> Fields<'a> {
    fn of(row: &'a audit_log::Model) -> Self {
        Fields {
            prev: &row.prev_hash,
            at: row.at,
            actor_id: row.actor_id,
            action: &row.action,
            target_type: &row.target_type,
            target_id: row.target_id.as_deref(),
            details: &row.details,
        }
    }

    /// HMAC-SHA256 under `key`, or (entries from before the chain was keyed) SHA-256.
    fn seal(&self, key: Option<&[u8]>) -> String {
        // Length-prefixed fields: no two different entries can serialize to the same bytes.
        let mut bytes = Vec::new();
        for part in [
            self.prev.to_owned(),
            self.at.timestamp_micros().to_string(),
            self.actor_id.map(|a| a.to_string()).unwrap_or_default(),
            self.action.to_owned(),
            self.target_type.to_owned(),
            self.target_id.unwrap_or_default().to_owned(),
            self.details.to_owned(),
        ] {
            bytes.extend_from_slice(&(part.len() as u64).to_be_bytes());
            bytes.extend_from_slice(part.as_bytes());
        }
        match key {
            Some(key) => hex::encode(keyed(key, &[&bytes])),
            None => hex::encode(Sha256::digest(&bytes)),
        }
    }
}

/// The newest entry: what an anchor records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub position: i64,
    pub hash: String,
    pub at: DateTime<Utc>,
}

impl Anchor {
    /// `POSITION:HASH`, as `audit verify --anchor` takes it.
    pub fn parse(text: &str) -> Option<(i64, String)> {
        let (position, hash) = text.trim().split_once(':')?;
        let hash = hash.trim().to_ascii_lowercase();
        if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        Some((position.trim().parse().ok()?, hash))
    }

    pub fn text(&self) -> String {
        format!("{}:{}", self.position, self.hash)
    }
}

async fn head<C: ConnectionTrait>(db: &C) -> Result<Option<audit_log::Model>, DbErr> {
    audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(1)
        .one(db)
        .await
}

/// Seals an unkeyed head (a trail written before the chain was keyed) with a keyed entry,
/// so that nobody can pass the whole trail off as unkeyed. Every start calls this. Returns
/// `false` when the head fits neither this key nor the unkeyed hash: another key (a
/// misconfiguration) or an edit; `audit verify` tells which entry.
pub async fn seal_head(db: &DatabaseConnection) -> Result<bool, DbErr> {
    let key = key()?;
    let tx = begin_write(db).await?;
    lock(&tx).await?;
    let Some(row) = head(&tx).await? else {
        return Ok(true);
    };
    let fields = Fields::of(&row);
    if fields.seal(Some(key)) == row.hash {
        return Ok(true);
    }
    if fields.seal(None) != row.hash {
        return Ok(false);
    }
    append(
        &tx,
        Entry {
            actor_id: None,
            action: "audit.keyed",
            target_type: "audit_log",
            target_id: None,
            details: serde_json::json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!("audit trail sealed with its key");
    Ok(true)
}

/// Takes an anchor: the head's position and hash, recorded in the trail (the entry comes
/// after the anchored one) and, when `mail_to` is set, mailed there through the outbox.
/// With `only_if_due`, nothing happens when the last anchor is less than a day old (the
/// daily job of every instance; the chain's lock makes one of them do it).
pub async fn anchor(
    db: &DatabaseConnection,
    mail_to: Option<&str>,
    municipality: &str,
    only_if_due: bool,
) -> Result<Option<Anchor>, AppError> {
    let tx = begin_write(db).await?;
    lock(&tx).await?;
    if only_if_due {
        let recent = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("audit.anchored"))
            .filter(audit_log::Column::At.gt(Utc::now() - chrono::TimeDelta::hours(23)))
            .count(&tx)
            .await?;
        if recent > 0 {
            return Ok(None);
        }
    }
    let Some(row) = head(&tx).await? else {
        return Ok(None);
    };
    let anchor = Anchor {
        position: row.id,
        hash: row.hash,
        at: row.at,
    };
    if let Some(to) = mail_to {
        crate::infra::mail::enqueue(
            &tx,
            to,
            crate::infra::mail::templates::audit_anchor(municipality, &anchor.text(), anchor.at),
        )
        .await?;
    }
    append(
        &tx,
        Entry {
            actor_id: None,
            action: "audit.anchored",
            target_type: "audit_log",
            target_id: Some(anchor.position.to_string()),
            details: serde_json::json!({ "hash": anchor.hash, "mailed": mail_to.is_some() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Some(anchor))
}

/// The outcome of checking the chain.
#[derive(Debug, PartialEq, Eq)]
pub struct Verification {
    pub checked: u64,
    /// The id of the first entry that does not fit, with the reason.
    pub first_broken: Option<(i64, &'static str)>,
}

/// Walks the whole chain in id order, page by page (memory stays flat). With an anchor
/// (`POSITION`, `HASH`), the entry at that position must still carry that hash.
pub async fn verify(
    db: &DatabaseConnection,
    anchor: Option<(i64, &str)>,
) -> Result<Verification, DbErr> {
    let key = key()?;
    let mut prev = GENESIS.to_owned();
    let mut last_id = 0i64;
    let mut checked = 0u64;
    let mut keyed_seen = false;
    let broken = |checked, id, reason| {
        Ok(Verification {
            checked,
            first_broken: Some((id, reason)),
        })
    };
    loop {
        let page = audit_log::Entity::find()
            .filter(audit_log::Column::Id.gt(last_id))
            .order_by_asc(audit_log::Column::Id)
            .limit(1000)
            .all(db)
            .await?;
        let Some(last) = page.last().map(|r| r.id) else {
            break;
        };
        for row in &page {
            checked += 1;
            if row.prev_hash != prev {
                return broken(
                    checked,
                    row.id,
                    "Verkettung unterbrochen (Eintrag davor fehlt oder wurde geändert)",
                );
            }
            let fields = Fields::of(row);
            if fields.seal(Some(key)) == row.hash {
                keyed_seen = true;
            } else if keyed_seen || fields.seal(None) != row.hash {
                return broken(checked, row.id, "Inhalt wurde nachträglich verändert");
            }
            if let Some((position, hash)) = anchor
                && position == row.id
                && row.hash != hash
            {
                return broken(checked, row.id, "weicht vom Anker ab");
            }
            prev = row.hash.clone();
        }
        last_id = last;
    }
    if let Some((position, _)) = anchor
        && position > last_id
    {
        return broken(checked, position, "der verankerte Eintrag fehlt");
    }
    if checked > 0 && !keyed_seen {
        return broken(
            checked,
            last_id,
            "kein Eintrag ist mit dem Schlüssel gesichert (anderer Schlüssel?)",
        );
    }
    Ok(Verification {
        checked,
        first_broken: None,
    })
}

/// The parsed filter of the audit trail.
#[derive(Debug, Default)]
pub struct Filter {
    action: Option<String>,
    actor: Option<String>,
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
}

impl Filter {
    /// Parses what was typed into the form; bad dates get a German message at their field.
    pub fn parse(f: &crate::admin::AuditFilter) -> Result<Filter, AppError> {
        use crate::petitions::rules::german_midnight_utc;
        let mut errors = FieldErrors::new();
        let day = |field: &str, value: &str| -> Result<Option<NaiveDate>, String> {
            let value = value.trim();
            if value.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(value, "%d.%m.%Y"))
                .map(Some)
                .map_err(|_| {
                    format!("„{value}“ ist kein Datum. Bitte {field} als TT.MM.JJJJ angeben.")
                })
        };
        let from = errors
            .check("from", day("den ersten Tag", &f.from))
            .flatten();
        let to = errors.check("to", day("den letzten Tag", &f.to)).flatten();
        if let (Some(a), Some(b)) = (from, to)
            && b < a
        {
            errors.add("to", "Das Ende des Zeitraums liegt vor seinem Anfang.");
        }
        errors.into_result()?;
        let text = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.chars().take(200).collect::<String>())
        };
        Ok(Filter {
            action: text(&f.action),
            actor: text(&f.actor).map(|a| a.to_lowercase()),
            from: from.map(german_midnight_utc),
            until: to.and_then(|d| d.succ_opt()).map(german_midnight_utc),
        })
    }

    /// The filter as a query condition. The actor is looked up by email or name first (a
    /// handful of accounts), then matched by id.
    async fn condition<C: ConnectionTrait>(&self, db: &C) -> Result<Condition, AppError> {
        use crate::infra::entities::user;
        let mut cond = Condition::all();
        if let Some(action) = &self.action {
            cond = if action.ends_with('.') {
                cond.add(audit_log::Column::Action.starts_with(action))
            } else {
                cond.add(audit_log::Column::Action.eq(action.as_str()))
            };
        }
        if let Some(actor) = &self.actor {
            if actor == "system" {
                cond = cond.add(audit_log::Column::ActorId.is_null());
            } else {
                // LIKE wildcards typed by the admin are taken literally by dropping them.
                let needle = format!("%{}%", actor.replace(['%', '_', '\\'], ""));
                let ids: Vec<i64> = user::Entity::find()
                    .select_only()
                    .column(user::Column::Id)
                    .filter(
                        Condition::any()
                            .add(
                                Expr::expr(Func::lower(Expr::col(user::Column::Email)))
                                    .like(&needle),
                            )
                            .add(
                                Expr::expr(Func::lower(Expr::col(user::Column::DisplayName)))
                                    .like(&needle),
                            ),
                    )
                    .limit(1000)
                    .into_tuple()
                    .all(db)
                    .await?;
                cond = cond.add(audit_log::Column::ActorId.is_in(ids));
            }
        }
        if let Some(from) = self.from {
            cond = cond.add(audit_log::Column::At.gte(from));
        }
        if let Some(until) = self.until {
            cond = cond.add(audit_log::Column::At.lt(until));
        }
        Ok(cond)
    }
}

const PAGE_SIZE: u64 = 50;

async fn actor_names<C: ConnectionTrait>(
    db: &C,
    rows: &[audit_log::Model],
) -> Result<HashMap<i64, String>, AppError> {
    use crate::infra::entities::user;
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.actor_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| {
            let name = u.display_name.clone().unwrap_or_default();
            let label = match &u.email {
                Some(email) if !name.is_empty() => format!("{name} <{email}>"),
                Some(email) => email.clone(),
                None => format!("gelöschtes Konto Nr. {}", u.id),
            };
            (u.id, label)
        })
        .collect())
}

fn row_view(r: audit_log::Model, names: &HashMap<i64, String>) -> AuditRow {
    AuditRow {
        id: r.id,
        at: r.at,
        actor: r.actor_id.map(|id| {
            names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("Konto Nr. {id}"))
        }),
        action: r.action,
        target: match r.target_id {
            Some(id) => format!("{} {id}", r.target_type),
            None => r.target_type,
        },
        details: r.details,
    }
}

/// A page of the trail for admins, newest first, `before` an entry id (keyset paging stays
/// fast however long the trail grows).
pub async fn browse(
    db: &DatabaseConnection,
    filter: &Filter,
    before: Option<i64>,
) -> Result<AuditPage, AppError> {
    let cond = filter.condition(db).await?;
    let total = audit_log::Entity::find()
        .filter(cond.clone())
        .count(db)
        .await?;
    let mut query = audit_log::Entity::find().filter(cond);
    if let Some(before) = before {
        query = query.filter(audit_log::Column::Id.lt(before));
    }
    let mut rows = query
        .order_by_desc(audit_log::Column::Id)
        .limit(PAGE_SIZE + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let next_before = more.then(|| rows.last().map(|r| r.id)).flatten();
    let names = actor_names(db, &rows).await?;
    let actions: Vec<String> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Action)
        .distinct()
        .order_by_asc(audit_log::Column::Action)
        .into_tuple()
        .all(db)
        .await?;
    Ok(AuditPage {
        rows: rows.into_iter().map(|r| row_view(r, &names)).collect(),
        actions,
        total,
        next_before,
    })
}

pub const CSV_HEADER: [&str; 9] = [
    "nr",
    "zeit",
    "akteur",
    "aktion",
    "bedeutung",
    "ziel",
    "details",
    "vorheriger_hash",
    "hash",
];

/// The CSV export in pages, oldest first with both hashes (so the file itself can be
/// checked against the chain): call with `after = 0`, then with the returned id until
/// `None`. The first page starts with the byte order mark and the header.
pub async fn csv_page(
    db: &DatabaseConnection,
    filter: &Filter,
    after: i64,
) -> Result<Option<(Vec<u8>, i64)>, AppError> {
    let rows = audit_log::Entity::find()
        .filter(filter.condition(db).await?)
        .filter(audit_log::Column::Id.gt(after))
        .order_by_asc(audit_log::Column::Id)
        .limit(1000)
        .all(db)
        .await?;
    let names = actor_names(db, &rows).await?;
    let mut out = Vec::new();
    if after == 0 {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let last = rows.last().map(|r| r.id);
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        if after == 0 {
            w.write_record(CSV_HEADER).map_err(|_| AppError::Internal)?;
        }
        for r in rows {
            let (prev, hash) = (r.prev_hash.clone(), r.hash.clone());
            let v = row_view(r, &names);
            w.write_record([
                v.id.to_string().as_str(),
                &v.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                &crate::infra::cells::text(v.actor.as_deref().unwrap_or("System")),
                &v.action,
                &crate::admin::action_label(&v.action),
                &crate::infra::cells::text(&v.target),
                &crate::infra::cells::text(&v.details),
                &prev,
                &hash,
            ])
            .map_err(|_| AppError::Internal)?;
        }
        w.flush().map_err(|_| AppError::Internal)?;
    }
    match last {
        Some(id) => Ok(Some((out, id))),
        None if after == 0 => Ok(Some((out, i64::MAX))),
        None => Ok(None),
    }
}

/// Records that the trail (or a part of it) was exported.
pub async fn log_export(
    db: &DatabaseConnection,
    actor: Option<i64>,
    filter: &crate::admin::AuditFilter,
    via: &str,
) -> Result<(), AppError> {
    record(
        db,
        Entry {
            actor_id: actor,
            action: "audit.exported",
            target_type: "audit_log",
            target_id: None,
            details: serde_json::json!({ "filter": filter.query(), "via": via }),
        },
    )
    .await?;
    Ok(())
}

/// Checks the chain for the admin page.
pub async fn check_chain(db: &DatabaseConnection) -> Result<ChainCheck, AppError> {
    let v = verify(db, None).await?;
    Ok(ChainCheck {
        checked: v.checked,
        first_broken: v.first_broken.map(|(id, reason)| (id, reason.to_owned())),
    })
}

#[cfg(test)]
mod tests {
    use super::Anchor;

    #[test]
    fn anchors_are_read_as_printed() {
        let hash = "3F".repeat(32);
        assert_eq!(
            Anchor::parse(&format!(" 1234:{hash} ")),
            Some((1234, hash.to_ascii_lowercase()))
        );
        for bad in [
            "1234".to_owned(),
            format!("x:{hash}"),
            format!("12:{}", &hash[1..]),
            format!("12:{}zz", &hash[2..]),
            String::new(),
        ] {
            assert_eq!(Anchor::parse(&bad), None, "{bad}");
        }
    }
}
