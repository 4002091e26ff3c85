//! `dorfplatz signatures import --petition SLUG FILE`: digitized paper lists as a
//! semicolon-separated UTF-8 CSV, one line per signature. Every line is reported: recorded,
//! recorded as a duplicate, or refused with the reason (nothing of a refused line is kept).
//! Lines are committed in batches of 500; a database failure stops the import with an error,
//! and the batches committed before it stay recorded (importing the file again then reports
//! their lines as already entered).

use std::io::{BufRead, BufReader, Read};

use chrono::Utc;
use sea_orm::TransactionTrait;
use serde_json::json;

use super::query::{find_by_slug, signature_status};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::infra::audit::{self, Entry};
use crate::infra::db::begin_write;
use crate::petitions::lifecycle::Stage;
use crate::petitions::rules::german_date;
use crate::petitions::server::signatures::{PaperOutcome, record_paper};
use crate::petitions::signer::{PaperInput, PaperLine, SignerInput};
use crate::register::check::Status;

/// Lines per transaction.
const BATCH: usize = 500;

pub const HEADER: [&str; 10] = [
    "Blatt",
    "Zeile",
    "Familienname",
    "Vornamen",
    "Geburtsdatum",
    "Straße",
    "Hausnummer",
    "PLZ",
    "Ort",
    "Unterschriftsdatum",
];

/// What happened to one line of the file (numbered as in the file, the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineResult {
    /// Recorded, with the status the register check gave it (`unchecked` without a
    /// register).
    Recorded {
        status: Status,
    },
    Duplicate {
        earlier: String,
    },
    Refused {
        reasons: Vec<String>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub lines: Vec<(u64, LineResult)>,
}

impl ImportReport {
    pub fn recorded(&self) -> usize {
        self.count(|r| matches!(r, LineResult::Recorded { .. }))
    }
    pub fn duplicates(&self) -> usize {
        self.count(|r| matches!(r, LineResult::Duplicate { .. }))
    }
    pub fn refused(&self) -> usize {
        self.count(|r| matches!(r, LineResult::Refused { .. }))
    }
    fn count(&self, f: impl Fn(&LineResult) -> bool) -> usize {
        self.lines.iter().filter(|(_, r)| f(r)).count()
    }
}

const FIELD_LABELS: [(&str, &str); 10] = [
    ("sheet", "Blatt"),
    ("line", "Zeile"),
    ("family_name", "Familienname"),
    ("given_names", "Vornamen"),
    ("birth_date", "Geburtsdatum"),
    ("street", "Straße"),
    ("house_number", "Hausnummer"),
    ("postal_code", "PLZ"),
    ("city", "Ort"),
    ("signed_on", "Unterschriftsdatum"),
];

fn column_label(field: &str) -> &str {
    FIELD_LABELS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, l)| *l)
        .unwrap_or(field)
}

/// The fields of one line (quotes allowed, as spreadsheets write them).
fn split_line(bytes: &[u8]) -> Result<Vec<String>, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "kein gültiges UTF-8; bitte die Datei als UTF-8 speichern".to_owned())?;
    let text = text.strip_suffix('\r').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    match reader.records().next() {
        None => Ok(Vec::new()),
        Some(Ok(record)) => Ok(record.iter().map(str::to_owned).collect()),
        Some(Err(e)) => Err(format!("nicht lesbar ({e})")),
    }
}

fn unreadable(e: std::io::Error) -> AppError {
    AppError::field(
        "file",
        t_args(
            "petition-import-file-unreadable",
            &[("error", &e.to_string())],
        ),
    )
}

/// The header line must name the columns in order (a byte order mark is allowed).
fn check_header(first: Option<std::io::Result<Vec<u8>>>) -> Result<(), AppError> {
    let header = match first {
        None => return Err(AppError::field("file", t("petition-import-file-empty"))),
        Some(Err(e)) => return Err(unreadable(e)),
        Some(Ok(bytes)) => split_line(&bytes)
            .map_err(|_| AppError::field("file", t("petition-import-header-encoding")))?,
    };
    let names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if i == 0 {
                h.trim_start_matches('\u{feff}')
            } else {
                h
            }
            .trim()
            .to_owned()
        })
        .collect();
    if names != HEADER {
        return Err(AppError::field(
            "file",
            t_args("petition-import-header", &[("header", &HEADER.join(";"))]),
        ));
    }
    Ok(())
}

/// One line of the file.
enum Parsed {
    Empty,
    Line(PaperLine),
    /// The reasons, each naming its column.
    Refused(Vec<String>),
}

fn parse_line(bytes: &[u8], today: chrono::NaiveDate) -> Result<Parsed, AppError> {
    let record = match split_line(bytes) {
        Ok(r) => r,
        Err(reason) => return Ok(Parsed::Refused(vec![reason])),
    };
    if record.iter().all(|f| f.trim().is_empty()) {
        return Ok(Parsed::Empty);
    }
    if record.len() != HEADER.len() {
        return Ok(Parsed::Refused(vec![format!(
            "{} statt {} Spalten",
            record.len(),
            HEADER.len()
        )]));
    }
    let f = |i: usize| record.get(i).cloned().unwrap_or_default();
    let input = PaperInput {
        sheet: f(0),
        line: f(1),
        signer: SignerInput {
            family_name: f(2),
            given_names: f(3),
            birth_date: f(4),
            street: f(5),
            house_number: f(6),
            postal_code: f(7),
            city: f(8),
        },
        signed_on: f(9),
    };
    match PaperLine::parse(&input, today) {
        Ok(line) => Ok(Parsed::Line(line)),
        Err(AppError::Validation { fields }) => Ok(Parsed::Refused(
            fields
                .into_iter()
                .map(|e| format!("{}: {}", column_label(&e.field), e.message))
                .collect(),
        )),
        Err(e) => Err(e),
    }
}

/// Imports the file into the petition's paper signatures; refused lines are reported and
/// skipped, each line is written whole or not at all.
pub async fn import<R: Read>(
    db: &sea_orm::DatabaseConnection,
    slug: &str,
    actor: Option<i64>,
    input: R,
) -> Result<ImportReport, AppError> {
    let p = find_by_slug(db, slug).await?;
    if !matches!(
        Stage::parse(&p.stage),
        Some(Stage::Collecting | Stage::Submitted)
    ) {
        return Err(AppError::NotCollecting {
            message: t("petition-paper-not-now"),
        });
    }
    // Line by line, so that every report names the line as an editor shows it; a list line
    // never spans two lines of the file.
    let mut lines = BufReader::new(input).split(b'\n');
    check_header(lines.next())?;
    let today = german_date(Utc::now());
    let mut report = ImportReport::default();
    let mut tx = begin_write(db).await?;
    let mut in_batch = 0;
    for (index, bytes) in lines.enumerate() {
        let number = index as u64 + 2;
        let bytes = bytes.map_err(unreadable)?;
        let line = match parse_line(&bytes, today)? {
            Parsed::Empty => continue,
            Parsed::Refused(reasons) => {
                report.lines.push((number, LineResult::Refused { reasons }));
                continue;
            }
            Parsed::Line(line) => line,
        };
        // A savepoint per line: a line refused by the database (a sheet and line typed in
        // at the same moment on the web form) leaves the transaction usable on PostgreSQL.
        let line_tx = tx.begin().await?;
        let result = match record_paper(&line_tx, &p, actor, &line).await {
            Ok(PaperOutcome::Recorded { id }) => LineResult::Recorded {
                status: signature_status(&line_tx, id).await?,
            },
            Ok(PaperOutcome::Duplicate { earlier, .. }) => LineResult::Duplicate { earlier },
            Err(AppError::Validation { fields }) => {
                line_tx.rollback().await?;
                report.lines.push((
                    number,
                    LineResult::Refused {
                        reasons: fields.into_iter().map(|e| e.message).collect(),
                    },
                ));
                continue;
            }
            Err(e) => return Err(e),
        };
        line_tx.commit().await?;
        report.lines.push((number, result));
        // Commit in batches: on SQLite the write lock would otherwise keep online signers
        // waiting for the whole file.
        in_batch += 1;
        if in_batch == BATCH {
            tx.commit().await?;
            tx = begin_write(db).await?;
            in_batch = 0;
        }
    }
    audit::append(
        &tx,
        Entry {
            actor_id: actor,
            action: "signature.paper_imported",
            target_type: "petition",
            target_id: Some(p.id.to_string()),
            details: json!({
                "recorded": report.recorded(),
                "duplicates": report.duplicates(),
                "refused": report.refused(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}
