//! The append-only audit trail. Every entry carries the hash of the entry before it, so an
//! edited, deleted or re-ordered row breaks the chain and `dorfplatz audit verify` names it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
    sea_query::{Expr, ExprTrait, Func},
};
use sha2::{Digest, Sha256};

use crate::admin::{AuditPage, AuditRow, ChainCheck};
use crate::error::{AppError, FieldErrors};
use crate::infra::db::is_postgres;
use crate::infra::entities::audit_log;

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
    append(
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
    let v = verify(db).await?;
    Ok(ChainCheck {
        checked: v.checked,
        first_broken: v.first_broken.map(|(id, reason)| (id, reason.to_owned())),
    })
}
