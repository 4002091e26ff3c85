//! Checking signatures against the register in use. Every signature that is confirmed or
//! entered is checked at once when there is a register; a new register import re-checks the
//! petitions still open for checking (collecting or submitted), keeping what staff decided.
//!
//! Two steps: each signature on its own (`check::decide`: exact match → valid or why not;
//! near or partial → review; nothing → not found / incomplete), then duplicates across
//! signatures of the same person (same register entry), of which exactly one counts: a
//! person's decision first, then a signature in a channel that counts under the state's law,
//! then the earliest.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait, sea_query::Expr,
};
use tokio::task::JoinHandle;

use crate::error::AppError;
use crate::infra::db::begin_write;
use crate::infra::entities::register_import::status as import_status;
use crate::infra::entities::{petition, register_import, resident, signature, void_sheet};
use crate::petitions::lifecycle::Stage;
use crate::petitions::matching::{first_given_name, normalize_name};
use crate::petitions::rules::{self, EligibilityDay, RuleSet, german_date};
use crate::petitions::server::query::collection_end;
use crate::register::check::{self, Context, RegisterEntry, SignedData, Status, Verdict};
use crate::register::server::snapshot::RegisterSnapshot;

/// Signatures per batch of a full check: each batch is read, decided and written in one
/// transaction, short enough that signing and entering lines go on meanwhile.
const BATCH: u64 = 2_000;

/// What the check reads of a signature: 16 of its 35 columns (a full check reads every
/// signature of a petition, and the whole rows were a tenth of its time).
#[derive(Debug, Clone, FromQueryResult)]
struct Checked {
    id: i64,
    status: String,
    manual: bool,
    family_name: String,
    given_names: String,
    birth_date: Option<NaiveDate>,
    street: String,
    house_number: String,
    postal_code: String,
    city: String,
    sheet_number: Option<i32>,
    signed_on: Option<NaiveDate>,
    counted_on: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    match_key: Option<String>,
    district: Option<String>,
}

impl Checked {
    const COLUMNS: [signature::Column; 16] = [
        signature::Column::Id,
        signature::Column::Status,
        signature::Column::Manual,
        signature::Column::FamilyName,
        signature::Column::GivenNames,
        signature::Column::BirthDate,
        signature::Column::Street,
        signature::Column::HouseNumber,
        signature::Column::PostalCode,
        signature::Column::City,
        signature::Column::SheetNumber,
        signature::Column::SignedOn,
        signature::Column::CountedOn,
        signature::Column::CreatedAt,
        signature::Column::MatchKey,
        signature::Column::District,
    ];

    fn data(&self) -> SignedData {
        SignedData {
            family_name: self.family_name.clone(),
            given_names: self.given_names.clone(),
            birth_date: self.birth_date,
            street: self.street.clone(),
            house_number: self.house_number.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
        }
    }
}

impl From<&signature::Model> for Checked {
    fn from(s: &signature::Model) -> Checked {
        Checked {
            id: s.id,
            status: s.status.clone(),
            manual: s.manual,
            family_name: s.family_name.clone(),
            given_names: s.given_names.clone(),
            birth_date: s.birth_date,
            street: s.street.clone(),
            house_number: s.house_number.clone(),
            postal_code: s.postal_code.clone(),
            city: s.city.clone(),
            sheet_number: s.sheet_number,
            signed_on: s.signed_on,
            counted_on: s.counted_on,
            created_at: s.created_at,
            match_key: s.match_key.clone(),
            district: s.district.clone(),
        }
    }
}

/// The register in use: the newest completed import.
pub async fn current_import<C: ConnectionTrait>(db: &C) -> Result<Option<i64>, AppError> {
    Ok(register_import::Entity::find()
        .select_only()
        .column(register_import::Column::Id)
        .filter(register_import::Column::Status.eq(import_status::COMPLETED))
        .order_by_desc(register_import::Column::Id)
        .into_tuple()
        .one(db)
        .await?)
}

/// Whether a petition's signatures are still checked (and re-checked after a new register):
/// once the council has decided admissibility, its figures stand.
pub fn open_for_checking(p: &petition::Model) -> bool {
    matches!(
        Stage::parse(&p.stage),
        Some(Stage::Collecting | Stage::Submitted)
    )
}

pub fn entry_of(r: resident::Model) -> RegisterEntry {
    RegisterEntry {
        id: r.id,
        nationalities: check::nationalities(&r.nationalities),
        family_name: r.family_name,
        given_names: r.given_names,
        birth_date: r.birth_date,
        street: r.street,
        house_number: r.house_number,
        postal_code: r.postal_code,
        city: r.city,
        district: r.district,
        moved_in: r.moved_in,
        main_residence: r.main_residence,
    }
}

pub fn signed_data(s: &signature::Model) -> SignedData {
    Checked::from(s).data()
}

/// The register entries that share a date of birth, or a family name and first given name,
/// with any of the signatures: two indexed queries per batch. A signer with a typing error
/// in the name is found by the date, one with a missing or mistyped date by the name.
pub async fn candidates_for<C: ConnectionTrait>(
    db: &C,
    import_id: i64,
    sigs: &[SignedData],
) -> Result<Vec<RegisterEntry>, AppError> {
    let births: HashSet<NaiveDate> = sigs.iter().filter_map(|s| s.birth_date).collect();
    let names: HashSet<(String, String)> = sigs
        .iter()
        .map(|s| {
            (
                normalize_name(&s.family_name),
                first_given_name(&s.given_names),
            )
        })
        .filter(|(f, g)| !f.is_empty() && !g.is_empty())
        .collect();
    let mut found: HashMap<i64, RegisterEntry> = HashMap::new();
    let births: Vec<NaiveDate> = births.into_iter().collect();
    for chunk in births.chunks(500) {
        for r in resident::Entity::find()
            .filter(resident::Column::ImportId.eq(import_id))
            .filter(resident::Column::BirthDate.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            found.insert(r.id, entry_of(r));
        }
    }
    let names: Vec<(String, String)> = names.into_iter().collect();
    for chunk in names.chunks(200) {
        // The import in every term: SQLite then answers each term from the name index (its
        // OR optimization); with the import outside the OR it scanned the whole register.
        let mut any = Condition::any();
        for (family, given) in chunk {
            any = any.add(
                Condition::all()
                    .add(resident::Column::ImportId.eq(import_id))
                    .add(resident::Column::FamilyKey.eq(family.as_str()))
                    .add(resident::Column::GivenKey.eq(given.as_str())),
            );
        }
        for r in resident::Entity::find().filter(any).all(db).await? {
            found.entry(r.id).or_insert_with(|| entry_of(r));
        }
    }
    Ok(found.into_values().collect())
}

/// A register entry's person key (see `RegisterEntry::person_key`), with its namesakes looked
/// up: one indexed query for those born the same day with the same family name.
pub async fn person_key_of<C: ConnectionTrait>(
    db: &C,
    import_id: i64,
    person: &RegisterEntry,
) -> Result<String, AppError> {
    let born_that_day: Vec<RegisterEntry> = resident::Entity::find()
        .filter(resident::Column::ImportId.eq(import_id))
        .filter(resident::Column::BirthDate.eq(person.birth_date))
        .filter(resident::Column::FamilyKey.eq(normalize_name(&person.family_name)))
        .all(db)
        .await?
        .into_iter()
        .map(entry_of)
        .collect();
    Ok(person.person_key(&born_that_day.iter().collect::<Vec<_>>()))
}

/// The candidates of a batch, indexed by date of birth and by normalized family and first
/// given name, so that each signature finds its own in two lookups.
struct Pool {
    entries: Vec<RegisterEntry>,
    by_birth: HashMap<NaiveDate, Vec<usize>>,
    by_name: HashMap<(String, String), Vec<usize>>,
}

impl Pool {
    fn new(entries: Vec<RegisterEntry>) -> Pool {
        let mut by_birth: HashMap<NaiveDate, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, r) in entries.iter().enumerate() {
            by_birth.entry(r.birth_date).or_default().push(i);
            by_name
                .entry((
                    normalize_name(&r.family_name),
                    first_given_name(&r.given_names),
                ))
                .or_default()
                .push(i);
        }
        Pool {
            entries,
            by_birth,
            by_name,
        }
    }

    /// Those that may be this signature's signer (found for it, not for another signature
    /// of the batch), each once.
    fn relevant(&self, s: &SignedData) -> Vec<&RegisterEntry> {
        let mut idx: Vec<usize> = Vec::new();
        if let Some(born) = s.birth_date
            && let Some(found) = self.by_birth.get(&born)
        {
            idx.extend(found);
        }
        let name = (
            normalize_name(&s.family_name),
            first_given_name(&s.given_names),
        );
        if !name.0.is_empty()
            && let Some(found) = self.by_name.get(&name)
        {
            idx.extend(found);
        }
        idx.sort_unstable();
        idx.dedup();
        idx.into_iter().map(|i| &self.entries[i]).collect()
    }
}

/// The day eligibility is judged on for one signature.
pub fn reference_day(rule_set: &RuleSet, p: &petition::Model, s: &signature::Model) -> NaiveDate {
    reference_day_of(rule_set, p, s.signed_on, s.counted_on, s.created_at)
}

/// `reference_day` from the signature's days.
fn reference_day_of(
    rule_set: &RuleSet,
    p: &petition::Model,
    signed_on: Option<NaiveDate>,
    counted_on: Option<NaiveDate>,
    created_at: DateTime<Utc>,
) -> NaiveDate {
    match rule_set.eligibility_day {
        EligibilityDay::Signing => signed_on
            .or(counted_on)
            .unwrap_or_else(|| german_date(created_at)),
        EligibilityDay::Submission => p
            .submitted_at
            .map(german_date)
            .unwrap_or_else(|| german_date(Utc::now())),
    }
}

async fn void_sheets<C: ConnectionTrait>(
    db: &C,
    petition_id: i64,
) -> Result<HashSet<i32>, AppError> {
    Ok(void_sheet::Entity::find()
        .select_only()
        .column(void_sheet::Column::SheetNumber)
        .filter(void_sheet::Column::PetitionId.eq(petition_id))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

fn rule_set_of(p: &petition::Model) -> Result<&'static RuleSet, AppError> {
    rules::rule_set_by_id(&p.rule_set_id).ok_or(AppError::Internal)
}

/// The signatures the automatic check decides: not those decided by a person, withdrawn or
/// still pending.
fn automatic(rows: &[Checked]) -> Vec<&Checked> {
    rows.iter()
        .filter(|s| !s.manual && Status::parse(&s.status).is_some_and(Status::is_automatic))
        .collect()
}

fn context_of(
    rule_set: &'static RuleSet,
    p: &petition::Model,
    s: &Checked,
    void: &HashSet<i32>,
) -> Context<'static> {
    Context {
        rule_set,
        reference_day: reference_day_of(rule_set, p, s.signed_on, s.counted_on, s.created_at),
        collection_end: collection_end(p),
        signed_on: s.signed_on,
        sheet_void: s.sheet_number.is_some_and(|n| void.contains(&n)),
    }
}

/// A signature whose verdict differs from what is stored.
#[derive(serde::Serialize)]
struct Change {
    id: i64,
    old_status: String,
    status: &'static str,
    match_key: Option<String>,
    district: Option<String>,
}

/// What the verdicts change, and the person keys they touch (old and new, for the
/// duplicate step).
fn changes_of(rows: &[&Checked], verdicts: Vec<Verdict>) -> (Vec<Change>, HashSet<String>) {
    let mut keys = HashSet::new();
    let mut changes = Vec::new();
    for (s, v) in rows.iter().zip(verdicts) {
        let Verdict {
            status,
            match_key,
            district,
            ..
        } = v;
        if let Some(old) = &s.match_key {
            keys.insert(old.clone());
        }
        if let Some(k) = &match_key {
            keys.insert(k.clone());
        }
        // A duplicate that is individually valid stays a duplicate until the duplicate step
        // says otherwise; everything else takes its new status.
        let unchanged = s.match_key == match_key
            && s.district == district
            && (s.status == status.code()
                || (status == Status::Valid && s.status == Status::Duplicate.code()));
        if !unchanged {
            changes.push(Change {
                id: s.id,
                old_status: s.status.clone(),
                status: status.code(),
                match_key,
                district,
            });
        }
    }
    (changes, keys)
}

/// Rows per statement when verdicts are written back on SQLite: five values each, well
/// below its limit of 32,766 parameters.
const WRITE_CHUNK: usize = 1_000;

/// Writes the changed verdicts: one `UPDATE … FROM` the rows, a thousand rows per statement
/// on SQLite, all of them in one on PostgreSQL. A row someone decided, withdrew or
/// superseded in the meantime keeps what they did: its status must still be the one the
/// check read.
async fn write_changes<C: ConnectionTrait>(db: &C, changes: &[Change]) -> Result<(), AppError> {
    use sea_orm::{DbBackend, Statement, Value};
    if changes.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let now = Utc::now();
    if backend == DbBackend::Postgres {
        // PostgreSQL: the rows as one JSON parameter that `json_to_recordset` unpacks,
        // instead of five bound parameters per row (a statement of 5,000 parameters to
        // bind, parse and plan for each thousand rows).
        let rows = serde_json::to_string(changes).map_err(|_| AppError::Internal)?;
        let sql = "UPDATE signatures SET status = v.status, match_key = v.match_key, \
             district = v.district, decided_at = $2, decided_by = NULL \
             FROM json_to_recordset($1::json) AS v(id bigint, status text, match_key text, \
             district text, old_status text) \
             WHERE signatures.id = v.id AND signatures.status = v.old_status \
             AND signatures.manual = false";
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [Value::from(rows), now.into()],
        ))
        .await?;
        return Ok(());
    }
    for chunk in changes.chunks(WRITE_CHUNK) {
        let mut rows = String::with_capacity(chunk.len() * 48);
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5 + 1);
        for (i, c) in chunk.iter().enumerate() {
            if i > 0 {
                rows.push_str(", ");
            }
            rows.push_str("(?, ?, ?, ?, ?)");
            values.extend([
                c.id.into(),
                c.status.into(),
                c.match_key.clone().into(),
                c.district.clone().into(),
                c.old_status.clone().into(),
            ]);
        }
        values.push(now.into());
        let sql = format!(
            "WITH v(id, status, match_key, district, old_status) AS (VALUES {rows}) \
             UPDATE signatures SET status = v.status, match_key = v.match_key, \
             district = v.district, decided_at = ?, decided_by = NULL \
             FROM v WHERE signatures.id = v.id AND signatures.status = v.old_status \
             AND signatures.manual = false"
        );
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// Decides the given signatures on their own, finding candidates by index in the database
/// (for a few signatures: a line entered, a signature confirmed), and writes what changed;
/// returns the person keys touched, for the duplicate step.
async fn decide_rows<C: ConnectionTrait>(
    db: &C,
    p: &petition::Model,
    import_id: i64,
    rows: &[signature::Model],
    void: &HashSet<i32>,
) -> Result<HashSet<String>, AppError> {
    let rule_set = rule_set_of(p)?;
    let rows: Vec<Checked> = rows.iter().map(Checked::from).collect();
    let rows = automatic(&rows);
    let data: Vec<SignedData> = rows.iter().map(|s| s.data()).collect();
    let pool = Pool::new(candidates_for(db, import_id, &data).await?);
    let verdicts: Vec<Verdict> = rows
        .iter()
        .zip(&data)
        .map(|(s, d)| check::decide(d, &pool.relevant(d), &context_of(rule_set, p, s, void)))
        .collect();
    let (changes, keys) = changes_of(&rows, verdicts);
    write_changes(db, &changes).await?;
    Ok(keys)
}

/// Decides a batch of a full check against the register in memory (on a blocking thread:
/// the comparisons take a core) and returns what changed.
async fn decide_batch(
    p: &petition::Model,
    register: &Arc<RegisterSnapshot>,
    rows: &[Checked],
    void: &HashSet<i32>,
) -> Result<Vec<Change>, AppError> {
    let rule_set = rule_set_of(p)?;
    let rows = automatic(rows);
    let work: Vec<(SignedData, Context<'static>)> = rows
        .iter()
        .map(|s| (s.data(), context_of(rule_set, p, s, void)))
        .collect();
    let held = Arc::clone(register);
    let verdicts = tokio::task::spawn_blocking(move || held.decide_all(&work))
        .await
        .map_err(|_| AppError::Internal)?;
    Ok(changes_of(&rows, verdicts).0)
}

/// Writes a batch's verdicts in a transaction of its own, and says how long it took. A full
/// check runs this beside the next batch's reading and deciding, so that the database
/// writes while the comparisons run.
async fn write_batch(db: DatabaseConnection, changes: Vec<Change>) -> Result<Duration, AppError> {
    let started = Instant::now();
    let tx = begin_write(&db).await?;
    if crate::infra::db::is_postgres(&tx) {
        // Rows by primary key: at a hundred thousand signatures PostgreSQL's planner once
        // hashed a scan of the whole table for each statement (auto_explain: 65–90 ms each).
        // The commit need not wait for the disk: the check waits once, at its end
        // (`flush_verdicts`), before it says it is done.
        tx.execute_unprepared("SET LOCAL enable_seqscan = off; SET LOCAL synchronous_commit = off")
            .await?;
    }
    write_changes(&tx, &changes).await?;
    tx.commit().await?;
    Ok(started.elapsed())
}

/// How many batches' verdicts a full check writes at once. PostgreSQL writes two on two
/// connections: a batch's rows are its own (the status guard keeps a decision made
/// meanwhile), and the count triggers only insert deltas, so the writes do not wait for
/// each other, and the second core is used once the comparisons are done (on 100,000
/// signatures the write phase was the longest, 3.4 s beside 1.6 s of deciding; on two
/// cores the gain measured stays within the runs' noise, see docs/benchmarks.md).
/// SQLite has one writer at a time; a second write would only wait for the lock.
fn writes_in_flight(db: &DatabaseConnection) -> usize {
    if crate::infra::db::is_postgres(db) {
        2
    } else {
        1
    }
}

/// The end of a write of verdicts begun beside the check.
async fn joined(write: JoinHandle<Result<Duration, AppError>>) -> Result<Duration, AppError> {
    write.await.map_err(|e| {
        tracing::error!(error = %e, "register check: writing verdicts stopped");
        AppError::Internal
    })?
}

/// Waits until the verdicts committed without waiting (`write_batch`) are on disk. The log
/// is written in order, so one commit that waits for the disk covers every commit before
/// it; a transaction only waits if it has an id, which `pg_current_xact_id()` gives it.
async fn flush_verdicts(db: &DatabaseConnection) -> Result<(), AppError> {
    if crate::infra::db::is_postgres(db) {
        let tx = db.begin().await?;
        tx.execute_unprepared("SELECT pg_current_xact_id()").await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Of the signatures of one person that are individually valid, one counts; the others are
/// duplicates.
pub async fn resolve_duplicates<C: ConnectionTrait>(
    db: &C,
    p: &petition::Model,
    keys: &HashSet<String>,
) -> Result<(), AppError> {
    let online_counts = rule_set_of(p)?.online_signatures_count;
    let mut keys: Vec<&String> = keys.iter().collect();
    keys.sort();
    lock_people(db, p.id, &keys).await?;
    for chunk in keys.chunks(500) {
        let rows = signature::Entity::find()
            .filter(signature::Column::PetitionId.eq(p.id))
            .filter(signature::Column::MatchKey.is_in(chunk.iter().map(|k| k.as_str())))
            .filter(
                signature::Column::Status.is_in([Status::Valid.code(), Status::Duplicate.code()]),
            )
            .order_by_asc(signature::Column::Id)
            .all(db)
            .await?;
        let mut groups: HashMap<&str, Vec<&signature::Model>> = HashMap::new();
        for s in &rows {
            if let Some(k) = &s.match_key {
                groups.entry(k.as_str()).or_default().push(s);
            }
        }
        for group in groups.values() {
            // A person's "duplicate" decision stands; their "valid" goes first.
            let contenders: Vec<&&signature::Model> = group
                .iter()
                .filter(|s| !(s.manual && s.status == Status::Duplicate.code()))
                .collect();
            let Some(winner) = contenders.iter().min_by_key(|s| {
                let counts = online_counts
                    || s.channel == crate::infra::entities::signature::channel::PAPER
                    || s.sheet_received_at.is_some();
                (
                    !(s.manual && s.status == Status::Valid.code()),
                    !counts,
                    s.signed_on.unwrap_or_else(|| german_date(s.created_at)),
                    s.id,
                )
            }) else {
                continue;
            };
            for s in group.iter().filter(|s| !s.manual) {
                let want = if s.id == winner.id {
                    Status::Valid
                } else {
                    Status::Duplicate
                };
                if s.status != want.code() {
                    signature::Entity::update_many()
                        .col_expr(signature::Column::Status, Expr::value(want.code()))
                        .col_expr(signature::Column::DecidedAt, Expr::value(Utc::now()))
                        .filter(signature::Column::Id.eq(s.id))
                        .filter(signature::Column::Status.eq(s.status.as_str()))
                        .filter(signature::Column::Manual.eq(false))
                        .exec(db)
                        .await?;
                }
            }
        }
    }
    Ok(())
}

/// On PostgreSQL two transactions recording the same person at once would each see only
/// their own row; a transaction-scoped advisory lock per petition and person (taken in key
/// order, so two transactions cannot wait for each other) makes the second wait for the
/// first. SQLite has one writer at a time anyway.
async fn lock_people<C: ConnectionTrait>(
    db: &C,
    petition_id: i64,
    sorted_keys: &[&String],
) -> Result<(), AppError> {
    use sea_orm::{DbBackend, Statement};
    use sha2::{Digest, Sha256};
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for key in sorted_keys {
        let digest = Sha256::digest(format!("{petition_id}|{key}").as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        db.query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [i64::from_be_bytes(first).into()],
        ))
        .await?;
    }
    Ok(())
}

/// Checks these signatures now (a line just entered, a signature just confirmed), in the
/// caller's transaction. Without a register they stay `unchecked`.
pub async fn check_signatures<C: ConnectionTrait>(
    db: &C,
    p: &petition::Model,
    ids: &[i64],
) -> Result<(), AppError> {
    let Some(import_id) = current_import(db).await? else {
        return Ok(());
    };
    if !open_for_checking(p) || ids.is_empty() {
        return Ok(());
    }
    let rows = signature::Entity::find()
        .filter(signature::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let void = void_sheets(db, p.id).await?;
    let keys = decide_rows(db, p, import_id, &rows, &void).await?;
    resolve_duplicates(db, p, &keys).await
}

/// What a full check did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckSummary {
    pub signatures: u64,
    pub petitions: u64,
}

/// Re-checks every signature of a petition against the register in use (read into memory
/// once), in batches (each written in its own transaction, so signing goes on meanwhile),
/// then finds the duplicates.
pub async fn check_petition(db: &DatabaseConnection, p: &petition::Model) -> Result<u64, AppError> {
    let Some(import_id) = current_import(db).await? else {
        return Ok(0);
    };
    let register = load_register(db, import_id).await?;
    check_petition_against(db, p, &register).await
}

/// The register read into memory for a full check, the time it took logged; and on
/// PostgreSQL fresh statistics for the signatures the check is about to read and write.
async fn load_register(
    db: &DatabaseConnection,
    import_id: i64,
) -> Result<Arc<RegisterSnapshot>, AppError> {
    refresh_statistics(db).await?;
    let started = Instant::now();
    let register = Arc::new(RegisterSnapshot::load(db, import_id).await?);
    tracing::info!(
        seconds = started.elapsed().as_secs_f64(),
        "register check: register read into memory"
    );
    Ok(register)
}

/// Where a full check spends its time, for the log (operators of a large register want to
/// know whether the database or the comparisons hold them up). The writes run beside the
/// next batch's reading and deciding, so the phases add up to more than the whole check.
#[derive(Default)]
struct Phases {
    read: Duration,
    decide: Duration,
    write: Duration,
}

/// PostgreSQL plans the check's statements by the table's statistics. After thousands of
/// paper lines came in at once these are stale until autovacuum analyzes the table, and the
/// pages of signatures are then read by scanning (measured on 100,000 signatures just
/// entered: reading them took 0.87 s, 0.32 s after `ANALYZE`). SQLite needs no such step.
async fn refresh_statistics(db: &DatabaseConnection) -> Result<(), AppError> {
    if crate::infra::db::is_postgres(db) {
        db.execute_unprepared("ANALYZE signatures").await?;
    }
    Ok(())
}

async fn check_petition_against(
    db: &DatabaseConnection,
    p: &petition::Model,
    register: &Arc<RegisterSnapshot>,
) -> Result<u64, AppError> {
    let void = void_sheets(db, p.id).await?;
    let mut phases = Phases::default();
    let in_flight = writes_in_flight(db);
    let mut writing: VecDeque<JoinHandle<Result<Duration, AppError>>> = VecDeque::new();
    let batches = async {
        let mut last_id = 0i64;
        let mut seen = 0u64;
        loop {
            let started = Instant::now();
            let rows: Vec<Checked> = signature::Entity::find()
                .select_only()
                .columns(Checked::COLUMNS)
                .filter(signature::Column::PetitionId.eq(p.id))
                .filter(signature::Column::Id.gt(last_id))
                .order_by_asc(signature::Column::Id)
                .limit(BATCH)
                .into_model()
                .all(db)
                .await?;
            phases.read += started.elapsed();
            let Some(last) = rows.last() else {
                return Ok::<u64, AppError>(seen);
            };
            last_id = last.id;
            seen += rows.len() as u64;
            let started = Instant::now();
            let changes = decide_batch(p, register, &rows, &void).await?;
            phases.decide += started.elapsed();
            // The next batch is read and decided while earlier ones are written; a batch
            // waits only when `in_flight` writes are running.
            if writing.len() >= in_flight
                && let Some(oldest) = writing.pop_front()
            {
                phases.write += joined(oldest).await?;
            }
            if !changes.is_empty() {
                writing.push_back(tokio::spawn(write_batch(db.clone(), changes)));
            }
        }
    }
    .await;
    // Whatever happened, the writes in flight end before the check does, and their first
    // error is not lost.
    let mut write_error = None;
    for write in writing {
        match joined(write).await {
            Ok(took) => phases.write += took,
            Err(e) => {
                write_error.get_or_insert(e);
            }
        }
    }
    let seen = batches?;
    if let Some(e) = write_error {
        return Err(e);
    }
    // Only a check that wrote has anything to wait for.
    if phases.write > Duration::ZERO {
        flush_verdicts(db).await?;
    }
    let started = Instant::now();
    // Every person with more than one individually valid signature, a few keys at a time.
    let dup_keys: Vec<String> = signature::Entity::find()
        .select_only()
        .column(signature::Column::MatchKey)
        .filter(signature::Column::PetitionId.eq(p.id))
        .filter(signature::Column::MatchKey.is_not_null())
        .filter(signature::Column::Status.is_in([Status::Valid.code(), Status::Duplicate.code()]))
        .group_by(signature::Column::MatchKey)
        .having(Expr::cust("COUNT(*) > 1"))
        .into_tuple::<String>()
        .all(db)
        .await?;
    // Former duplicates whose partner is gone are individually valid again.
    let lonely: Vec<String> = signature::Entity::find()
        .select_only()
        .column(signature::Column::MatchKey)
        .filter(signature::Column::PetitionId.eq(p.id))
        .filter(signature::Column::Manual.eq(false))
        .filter(signature::Column::Status.eq(Status::Duplicate.code()))
        .filter(signature::Column::MatchKey.is_not_null())
        .into_tuple::<String>()
        .all(db)
        .await?;
    let keys: Vec<String> = dup_keys.into_iter().chain(lonely).collect();
    for chunk in keys.chunks(500) {
        let tx = begin_write(db).await?;
        resolve_duplicates(&tx, p, &chunk.iter().cloned().collect()).await?;
        tx.commit().await?;
    }
    tracing::info!(
        petition = p.id,
        signatures = seen,
        read_seconds = phases.read.as_secs_f64(),
        decide_seconds = phases.decide.as_secs_f64(),
        write_seconds = phases.write.as_secs_f64(),
        duplicates_seconds = started.elapsed().as_secs_f64(),
        "register check: petition checked"
    );
    Ok(seen)
}

/// Re-checks every petition still open for checking (after a register import).
pub async fn check_open_petitions(db: &DatabaseConnection) -> Result<CheckSummary, AppError> {
    let mut summary = CheckSummary::default();
    let Some(import_id) = current_import(db).await? else {
        return Ok(summary);
    };
    let petitions = petition::Entity::find()
        .filter(
            petition::Column::Stage.is_in([Stage::Collecting.as_str(), Stage::Submitted.as_str()]),
        )
        .all(db)
        .await?;
    if petitions.is_empty() {
        return Ok(summary);
    }
    let register = load_register(db, import_id).await?;
    for p in petitions {
        summary.signatures += check_petition_against(db, &p, &register).await?;
        summary.petitions += 1;
    }
    Ok(summary)
}
