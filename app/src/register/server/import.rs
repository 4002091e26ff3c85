//! Importing the resident register: the file is streamed line by line (memory does not grow
//! with its size, apart from 16 bytes per person for finding duplicate lines), rows are
//! written in batches under a new import, and only a complete, faultless import becomes the
//! register in use, in one switch. A failed import deletes its rows and reports every bad
//! line; the previous register stays in use.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::BufRead;

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr,
};
use serde_json::json;

use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::infra::audit::{self, Entry};
use crate::infra::db::begin_write;
use crate::infra::entities::{register_import, resident};
use crate::petitions::matching::{address_key, first_given_name, identity_key, normalize_name};
use crate::petitions::rules::{self, german_date};
use crate::petitions::server::municipality;
use crate::register::record::{self, Encoding, ResidentRecord};
use crate::register::server::signature_check::{self, CheckSummary};

/// Larger files are refused before reading: a municipality of a million inhabitants
/// exports about 120 MB.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;
/// Bad lines listed in the report; the count covers all.
pub const MAX_REPORTED: usize = 1_000;
const BATCH: usize = 1_000;

pub use crate::infra::entities::register_import::status;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    pub import_id: i64,
    pub encoding: Encoding,
    pub rows: u64,
    /// Residents eligible to sign today under the state's rule set.
    pub eligible: u64,
    /// Bad lines (line number in the file, reason), at most [`MAX_REPORTED`].
    pub bad: Vec<(u64, String)>,
    pub bad_count: u64,
    /// The signatures re-checked against the new register.
    pub checked: CheckSummary,
}

impl ImportOutcome {
    pub fn succeeded(&self) -> bool {
        self.bad_count == 0
    }
}

fn encoding_code(e: Encoding) -> &'static str {
    match e {
        Encoding::Utf8 => "utf-8",
        Encoding::Windows1252 => "windows-1252",
    }
}

fn row(import_id: i64, r: ResidentRecord) -> resident::ActiveModel {
    resident::ActiveModel {
        import_id: Set(import_id),
        family_key: Set(normalize_name(&r.family_name)),
        given_key: Set(first_given_name(&r.given_names)),
        family_name: Set(r.family_name),
        given_names: Set(r.given_names),
        birth_date: Set(r.birth_date),
        street: Set(r.street),
        house_number: Set(r.house_number),
        postal_code: Set(r.postal_code),
        city: Set(r.city),
        district: Set(r.district),
        nationalities: Set(r.nationalities.join(",")),
        moved_in: Set(r.moved_in),
        main_residence: Set(r.main_residence),
        ..Default::default()
    }
}

/// Where the rows go: multi-row inserts of a thousand on SQLite; on PostgreSQL one `COPY`
/// stream (about three times faster than inserts), sent a megabyte at a time.
enum Sink {
    /// Nothing written yet: the stream opens with the first good line, after the header
    /// was accepted.
    Pending,
    Insert(Vec<resident::ActiveModel>),
    Copy(
        Box<
            sea_orm::sqlx::postgres::PgCopyIn<
                sea_orm::sqlx::pool::PoolConnection<sea_orm::sqlx::Postgres>,
            >,
        >,
        Vec<u8>,
    ),
}

const COPY_RESIDENTS: &str = "COPY residents (import_id, family_name, given_names, birth_date, street, house_number, postal_code, city, district, nationalities, moved_in, main_residence, family_key, given_key) FROM STDIN";

/// One field in PostgreSQL's text format for COPY.
fn copy_field(out: &mut Vec<u8>, value: &str) {
    for b in value.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            other => out.push(other),
        }
    }
}

impl Sink {
    async fn open(db: &DatabaseConnection) -> Result<Sink, AppError> {
        if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
            return Ok(Sink::Insert(Vec::with_capacity(BATCH)));
        }
        use sea_orm::sqlx::postgres::PgPoolCopyExt;
        let copy = db
            .get_postgres_connection_pool()
            .copy_in_raw(COPY_RESIDENTS)
            .await
            .map_err(|e| AppError::from(sea_orm::DbErr::Custom(e.to_string())))?;
        Ok(Sink::Copy(Box::new(copy), Vec::with_capacity(1 << 20)))
    }

    async fn push(
        &mut self,
        db: &DatabaseConnection,
        import_id: i64,
        r: ResidentRecord,
    ) -> Result<(), AppError> {
        if matches!(self, Sink::Pending) {
            *self = Sink::open(db).await?;
        }
        match self {
            Sink::Pending => {}
            Sink::Insert(batch) => {
                batch.push(row(import_id, r));
                if batch.len() == BATCH {
                    resident::Entity::insert_many(std::mem::take(batch))
                        .exec_without_returning(db)
                        .await?;
                }
            }
            Sink::Copy(copy, buf) => {
                let fields = [
                    import_id.to_string(),
                    r.family_name.clone(),
                    r.given_names.clone(),
                    r.birth_date.to_string(),
                    r.street,
                    r.house_number,
                    r.postal_code,
                    r.city,
                    r.district,
                    r.nationalities.join(","),
                    r.moved_in.to_string(),
                    r.main_residence.to_string(),
                    normalize_name(&r.family_name),
                    first_given_name(&r.given_names),
                ];
                for (i, f) in fields.iter().enumerate() {
                    if i > 0 {
                        buf.push(b'\t');
                    }
                    copy_field(buf, f);
                }
                buf.push(b'\n');
                if buf.len() >= 1 << 20 {
                    copy.send(buf.as_slice()).await.map_err(copy_error)?;
                    buf.clear();
                }
            }
        }
        Ok(())
    }

    async fn finish(&mut self, db: &DatabaseConnection) -> Result<(), AppError> {
        match std::mem::replace(self, Sink::Pending) {
            Sink::Pending => {}
            Sink::Insert(batch) => {
                if !batch.is_empty() {
                    resident::Entity::insert_many(batch)
                        .exec_without_returning(db)
                        .await?;
                }
            }
            Sink::Copy(mut copy, buf) => {
                if !buf.is_empty() {
                    copy.send(buf.as_slice()).await.map_err(copy_error)?;
                }
                copy.finish().await.map_err(copy_error)?;
            }
        }
        Ok(())
    }
}

impl Sink {
    /// Ends a failed import's stream: PostgreSQL discards what was sent.
    async fn abort(&mut self) {
        if let Sink::Copy(copy, _) = std::mem::replace(self, Sink::Pending)
            && let Err(e) = copy.abort("Melderegister mit fehlerhaften Zeilen").await
        {
            tracing::debug!(error = %e, "COPY aborted");
        }
    }
}

fn copy_error(e: sea_orm::sqlx::Error) -> AppError {
    AppError::from(sea_orm::DbErr::Custom(format!("COPY residents: {e}")))
}

/// Imports a register file of `total_bytes` (0 if unknown). `encoding` forces the encoding
/// (else it is detected from the start of the file); `progress` is called with the bytes
/// read so far, every few thousand lines, and the import's row keeps them for the web page.
/// A completed import becomes the register in use, its count of eligible citizens the
/// municipality's figure, and the petitions still being checked are checked against it.
/// Returns the outcome also when lines were bad (then nothing changed); an error only for
/// an unreadable file or a database failure.
pub async fn import<R: BufRead>(
    db: &DatabaseConnection,
    actor: Option<i64>,
    file_name: &str,
    total_bytes: u64,
    mut input: R,
    encoding: Option<Encoding>,
    progress: impl FnMut(u64),
) -> Result<ImportOutcome, AppError> {
    let encoding = match encoding {
        Some(e) => e,
        None => Encoding::detect(input.fill_buf().map_err(unreadable)?),
    };
    let today = german_date(Utc::now());
    let state = municipality::get(db).await?.figures.state;
    let rule_set = rules::rule_set(state, today).ok_or(AppError::Internal)?;
    if let Some(other) = running(db).await? {
        return Err(already_running(&other));
    }
    let import_id = start(db, actor, file_name, total_bytes, encoding).await?;

    let mut reading = Reading {
        db,
        import_id,
        encoding,
        rule_set,
        today,
        outcome: ImportOutcome {
            import_id,
            encoding,
            rows: 0,
            eligible: 0,
            bad: Vec::new(),
            bad_count: 0,
            checked: CheckSummary::default(),
        },
        sink: Sink::Pending,
        seen: HashMap::new(),
        bytes_read: 0,
        progress,
    };
    let result = reading.read(&mut input).await;
    let failed = result.is_err() || reading.outcome.bad_count > 0;
    // A refused file, a bad line or an error on the way: whatever was streamed is dropped.
    reading.sink.abort().await;
    let (mut outcome, bytes_read) = (reading.outcome, reading.bytes_read);
    if failed {
        resident::Entity::delete_many()
            .filter(resident::Column::ImportId.eq(import_id))
            .exec(db)
            .await?;
    }
    let report = report_of(result.as_ref().err(), &outcome);
    finish(db, actor, file_name, &outcome, failed, bytes_read, report).await?;
    result?;
    if !failed {
        put_in_use(db, actor, file_name, import_id, today, outcome.eligible).await?;
        outcome.checked = signature_check::check_open_petitions(db).await?;
    }
    Ok(outcome)
}

fn unreadable(e: std::io::Error) -> AppError {
    AppError::field(
        "file",
        t_args("register-file-unreadable", &[("error", &e.to_string())]),
    )
}

/// The import's row, running, before the first line is read.
async fn start(
    db: &DatabaseConnection,
    actor: Option<i64>,
    file_name: &str,
    total_bytes: u64,
    encoding: Encoding,
) -> Result<i64, AppError> {
    let started = register_import::Entity::insert(register_import::ActiveModel {
        started_at: Set(Utc::now()),
        finished_at: Set(None),
        status: Set(status::RUNNING.to_owned()),
        file_name: Set(file_name.chars().take(255).collect()),
        encoding: Set(encoding_code(encoding).to_owned()),
        rows: Set(0),
        eligible: Set(0),
        bad_lines: Set(0),
        report: Set(None),
        actor_id: Set(actor),
        bytes_total: Set(i64::try_from(total_bytes).unwrap_or(i64::MAX)),
        bytes_read: Set(0),
        progress_at: Set(Some(Utc::now())),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(started.last_insert_id)
}

/// One import reading its file: the counts so far, the rows on their way to the database
/// and the people already seen.
struct Reading<'a, P> {
    db: &'a DatabaseConnection,
    import_id: i64,
    encoding: Encoding,
    rule_set: &'a rules::RuleSet,
    today: chrono::NaiveDate,
    outcome: ImportOutcome,
    sink: Sink,
    /// A 64-bit hash of each person (identity and address) with the line it was first
    /// seen on.
    seen: HashMap<u64, u64>,
    bytes_read: u64,
    progress: P,
}

impl<P: FnMut(u64)> Reading<'_, P> {
    /// Reads every line. An error refuses the file as a whole (header, encoding, empty);
    /// bad lines are counted in the outcome and stop the writing, not the reading.
    async fn read(&mut self, input: &mut impl BufRead) -> Result<(), AppError> {
        let mut buffer = Vec::new();
        let mut line_no = 0u64;
        let mut header_seen = false;
        loop {
            buffer.clear();
            let n = input.read_until(b'\n', &mut buffer).map_err(unreadable)?;
            if n == 0 {
                break;
            }
            self.bytes_read += n as u64;
            line_no += 1;
            let raw = buffer.strip_suffix(b"\n").unwrap_or(&buffer);
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let Some(text) = self.encoding.decode(raw) else {
                if !header_seen {
                    return Err(AppError::field("file", t("register-file-header-encoding")));
                }
                self.bad(
                    line_no,
                    "Zeichen, die kein UTF-8 sind (Kodierung windows-1252 angeben?)".into(),
                );
                continue;
            };
            let fields: Vec<&str> = text.split(';').collect();
            if !header_seen {
                header_seen = true;
                if !record::header_matches(&fields) {
                    return Err(AppError::field(
                        "file",
                        t_args(
                            "register-file-header",
                            &[("header", &record::HEADER.join(";"))],
                        ),
                    ));
                }
                continue;
            }
            if !fields.iter().all(|f| f.trim().is_empty()) {
                self.line(line_no, &fields).await?;
            }
            if line_no.is_multiple_of(10_000) {
                self.report_progress().await?;
            }
        }
        if !header_seen {
            return Err(AppError::field("file", t("register-file-empty")));
        }
        if self.outcome.bad_count == 0 {
            self.sink.finish(self.db).await?;
        }
        (self.progress)(self.bytes_read);
        Ok(())
    }

    fn bad(&mut self, line: u64, reason: String) {
        self.outcome.bad_count += 1;
        if self.outcome.bad.len() < MAX_REPORTED {
            self.outcome.bad.push((line, reason));
        }
    }

    /// One resident's line.
    async fn line(&mut self, line_no: u64, fields: &[&str]) -> Result<(), AppError> {
        let r = match record::parse(fields) {
            Err(reasons) => {
                self.bad(line_no, reasons.join("; "));
                return Ok(());
            }
            Ok(r) => r,
        };
        // The same person twice is a broken export; namesakes (same names and birthday,
        // another address) are two residents.
        let mut hasher = DefaultHasher::new();
        identity_key(&r.family_name, &r.given_names, r.birth_date).hash(&mut hasher);
        address_key(
            &r.street,
            &r.house_number,
            &r.postal_code,
            &[&r.city, &r.district],
        )
        .hash(&mut hasher);
        // Every later copy names the line the person was first seen on.
        let first = *self.seen.entry(hasher.finish()).or_insert(line_no);
        if first != line_no {
            self.bad(
                line_no,
                format!("doppelt: dieselbe Person wie in Zeile {first}"),
            );
            return Ok(());
        }
        self.outcome.rows += 1;
        if self
            .rule_set
            .check_eligibility(&r.facts(), self.today)
            .is_ok()
        {
            self.outcome.eligible += 1;
        }
        // After the first bad line nothing more is written: the import fails, the rest is
        // only read for the report.
        if self.outcome.bad_count == 0 {
            self.sink.push(self.db, self.import_id, r).await?;
        }
        Ok(())
    }

    /// The bytes and rows so far, for the caller and for the import's page.
    async fn report_progress(&mut self) -> Result<(), AppError> {
        (self.progress)(self.bytes_read);
        register_import::Entity::update_many()
            .col_expr(
                register_import::Column::BytesRead,
                Expr::value(self.bytes_read as i64),
            )
            .col_expr(
                register_import::Column::Rows,
                Expr::value(self.outcome.rows as i64),
            )
            .col_expr(register_import::Column::ProgressAt, Expr::value(Utc::now()))
            .filter(register_import::Column::Id.eq(self.import_id))
            .exec(self.db)
            .await?;
        Ok(())
    }
}

/// The report kept with the import: why the file as a whole was refused, then the bad
/// lines.
fn report_of(refused: Option<&AppError>, outcome: &ImportOutcome) -> String {
    let whole = refused.map(|e| e.field_message("file").unwrap_or_else(|| e.message()));
    whole
        .into_iter()
        .chain(
            outcome
                .bad
                .iter()
                .map(|(line, reason)| format!("Zeile {line}: {reason}")),
        )
        .collect::<Vec<_>>()
        .join("\n")
}

/// Records how the import ended, with its audit entry, in one transaction.
async fn finish(
    db: &DatabaseConnection,
    actor: Option<i64>,
    file_name: &str,
    outcome: &ImportOutcome,
    failed: bool,
    bytes_read: u64,
    report: String,
) -> Result<(), AppError> {
    let tx = begin_write(db).await?;
    register_import::Entity::update_many()
        .col_expr(
            register_import::Column::Status,
            Expr::value(if failed {
                status::FAILED
            } else {
                status::COMPLETED
            }),
        )
        .col_expr(register_import::Column::FinishedAt, Expr::value(Utc::now()))
        .col_expr(
            register_import::Column::BytesRead,
            Expr::value(bytes_read as i64),
        )
        .col_expr(
            register_import::Column::Rows,
            Expr::value(outcome.rows as i64),
        )
        .col_expr(
            register_import::Column::Eligible,
            Expr::value(outcome.eligible as i64),
        )
        .col_expr(
            register_import::Column::BadLines,
            Expr::value(outcome.bad_count as i64),
        )
        .col_expr(
            register_import::Column::Report,
            Expr::value((!report.is_empty()).then_some(report)),
        )
        .filter(register_import::Column::Id.eq(outcome.import_id))
        .exec(&tx)
        .await?;
    audit::append(
        &tx,
        Entry {
            actor_id: actor,
            action: if failed {
                "register.import_failed"
            } else {
                "register.imported"
            },
            target_type: "register_import",
            target_id: Some(outcome.import_id.to_string()),
            details: json!({
                "file": file_name,
                "rows": outcome.rows,
                "bad_lines": outcome.bad_count,
                "encoding": encoding_code(outcome.encoding),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// After a completed import: the old rows go and the municipality's count of eligible
/// citizens is the new register's.
async fn put_in_use(
    db: &DatabaseConnection,
    actor: Option<i64>,
    file_name: &str,
    import_id: i64,
    today: chrono::NaiveDate,
    eligible: u64,
) -> Result<(), AppError> {
    // The new register is in use from the commit in `finish` (the newest completed import);
    // the old rows go now, and would go with the next import after a crash here.
    resident::Entity::delete_many()
        .filter(resident::Column::ImportId.lt(import_id))
        .exec(db)
        .await?;
    let mut figures = municipality::get(db).await?.figures;
    figures.eligible_citizens = Some(eligible);
    figures.eligible_source = format!("Melderegister (Import Nr. {import_id}, {file_name})")
        .chars()
        .take(200)
        .collect();
    figures.eligible_reference_date = Some(today);
    municipality::update(db, actor, &figures).await?;
    Ok(())
}

/// An import that has not reported progress for this long was interrupted.
const STALE_AFTER: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// Marks imports whose server stopped in the middle as failed (every instance may do this:
/// a live import reports progress every 10,000 lines, seconds apart).
pub async fn fail_stale(db: &DatabaseConnection) -> Result<(), AppError> {
    register_import::Entity::update_many()
        .col_expr(register_import::Column::Status, Expr::value(status::FAILED))
        .col_expr(register_import::Column::FinishedAt, Expr::value(Utc::now()))
        .col_expr(
            register_import::Column::Report,
            Expr::value("Abgebrochen: Der Import hat mehrere Minuten keinen Fortschritt gemeldet (der Server wurde vermutlich beendet). Bitte laden Sie die Datei erneut hoch."),
        )
        .filter(register_import::Column::Status.eq(status::RUNNING))
        .filter(register_import::Column::ProgressAt.lt(Utc::now() - STALE_AFTER))
        .exec(db)
        .await?;
    resident::Entity::delete_many()
        .filter(
            resident::Column::ImportId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(register_import::Column::Id)
                    .from(register_import::Entity)
                    .and_where(register_import::Column::Status.eq(status::FAILED))
                    .to_owned(),
            ),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// The import running now, if any (after marking interrupted ones as failed).
pub async fn running(db: &DatabaseConnection) -> Result<Option<register_import::Model>, AppError> {
    fail_stale(db).await?;
    Ok(register_import::Entity::find()
        .filter(register_import::Column::Status.eq(status::RUNNING))
        .one(db)
        .await?)
}

/// One import at a time: a second would race the first for the switch.
pub fn already_running(other: &register_import::Model) -> AppError {
    AppError::field(
        "file",
        t_args(
            "register-import-already-running",
            &[
                ("file", &other.file_name),
                ("started", &rules::german_datetime_text(other.started_at)),
            ],
        ),
    )
}

/// Deletes the register (all imports and residents); the import history is kept without
/// personal data.
pub async fn purge(db: &DatabaseConnection, actor: Option<i64>) -> Result<u64, AppError> {
    if let Some(other) = running(db).await? {
        return Err(AppError::field(
            "confirm",
            t_args(
                "register-purge-import-running",
                &[("file", &other.file_name)],
            ),
        ));
    }
    let tx = begin_write(db).await?;
    let deleted = resident::Entity::delete_many()
        .exec(&tx)
        .await?
        .rows_affected;
    register_import::Entity::update_many()
        .col_expr(register_import::Column::Status, Expr::value("purged"))
        .col_expr(
            register_import::Column::Report,
            Expr::value(Option::<String>::None),
        )
        .exec(&tx)
        .await?;
    audit::append(
        &tx,
        Entry {
            actor_id: actor,
            action: "register.purged",
            target_type: "register",
            target_id: None,
            details: json!({ "residents": deleted }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(deleted)
}
