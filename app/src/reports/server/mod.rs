//! The check report of a petition: one grouped count over its signatures, and the same
//! figures written as CSV, XLSX and PDF. Aggregates only: no file carries a person's data,
//! so the figures may go to the council, the initiators and a court.

mod check_report;
pub mod routes;

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use rust_xlsxwriter::{Format as CellFormat, Workbook, Worksheet, XlsxError};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr,
};
use serde_json::json;

use crate::error::AppError;
use crate::infra::audit::{self, Entry};
use crate::infra::entities::{petition, register_import, signature};
use crate::petitions::lifecycle::Stage;
use crate::petitions::rules::{self, german_datetime_text};
use crate::register::check::Status;
use crate::register::server::signature_check as validation;
use crate::reports::{
    Category, Format, INVALID_REASONS, NO_DISTRICT, ReasonCount, Row, TallyReport, day_label,
};
use crate::site::server as site;

/// The channel a signature counts under: a personal sheet that came back signed by hand is
/// a paper signature, whatever its origin.
pub(crate) const EFFECTIVE_CHANNEL: &str =
    "CASE WHEN channel = 'online' AND sheet_received_at IS NULL THEN 'online' ELSE 'paper' END";

fn channel_label(key: &str) -> &'static str {
    match key {
        "online" => "online",
        _ => "Papier (Listen und zurückgegebene Bögen)",
    }
}

/// One group of the count: status, effective channel, district, day, number of signatures.
type GroupRow = (String, String, Option<String>, Option<NaiveDate>, i64);

/// The full tally of a petition, from one grouped count (a single consistent scan of the
/// petition's signatures; the groups are few, whatever the number of signatures).
pub async fn tally_report<C: ConnectionTrait>(
    db: &C,
    p: &petition::Model,
) -> Result<TallyReport, AppError> {
    let as_of = Utc::now();
    let rows: Vec<GroupRow> = signature::Entity::find()
        .select_only()
        .column(signature::Column::Status)
        .column_as(Expr::cust(EFFECTIVE_CHANNEL), "effective_channel")
        .column(signature::Column::District)
        .column_as(Expr::cust("COALESCE(signed_on, counted_on)"), "day")
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(signature::Column::PetitionId.eq(p.id))
        // A confirmation link that expired unused is no signature at all.
        .filter(
            Condition::any()
                .add(signature::Column::Status.ne(Status::PendingConfirmation.code()))
                .add(signature::Column::ConfirmExpiresAt.gt(as_of)),
        )
        .group_by(signature::Column::Status)
        .group_by(Expr::cust(EFFECTIVE_CHANNEL))
        .group_by(signature::Column::District)
        .group_by(Expr::cust("COALESCE(signed_on, counted_on)"))
        .into_tuple()
        .all(db)
        .await?;
    let rule_set = rules::rule_set_by_id(&p.rule_set_id);
    let online_counts = rule_set.is_some_and(|r| r.online_signatures_count);

    let Breakdown {
        by_status,
        valid_counting,
        by_channel,
        by_district,
        by_day,
    } = Breakdown::of(rows, online_counts);
    let count = |s: Status| by_status.get(s.code()).copied().unwrap_or(0);
    let invalid_by_reason: Vec<ReasonCount> = INVALID_REASONS
        .into_iter()
        .map(|status| ReasonCount {
            status,
            count: count(status),
        })
        .collect();

    let register = register_line(db).await?;
    Ok(TallyReport {
        municipality: site::municipality_name(db).await?,
        slug: p.slug.clone(),
        title: p.title.clone(),
        question: p.question.clone(),
        stage: Stage::parse(&p.stage)
            .map(|s| s.label().to_owned())
            .unwrap_or_else(|| p.stage.clone()),
        rule: rule_set
            .map(|r| r.citation.to_owned())
            .unwrap_or_else(|| p.rule_set_id.clone()),
        quorum_citation: rule_set
            .map(|r| r.quorum_citation.to_owned())
            .unwrap_or_default(),
        required: p.required.and_then(|r| u64::try_from(r).ok()),
        online_signatures_count: online_counts,
        valid: count(Status::Valid),
        valid_counting,
        invalid: invalid_by_reason.iter().map(|r| r.count).sum(),
        invalid_by_reason,
        pending: count(Status::NeedsReview) + count(Status::Unchecked),
        needs_review: count(Status::NeedsReview),
        unchecked: count(Status::Unchecked),
        unconfirmed: count(Status::PendingConfirmation),
        withdrawn: count(Status::Withdrawn),
        by_channel,
        by_district,
        by_day,
        register,
        as_of,
    })
}

/// The grouped counts summed up: per status, the valid ones that count, and the rows per
/// channel, district and day (unconfirmed and withdrawn signatures are in no row).
struct Breakdown {
    by_status: BTreeMap<&'static str, u64>,
    valid_counting: u64,
    by_channel: Vec<Row>,
    by_district: Vec<Row>,
    by_day: Vec<Row>,
}

impl Breakdown {
    fn of(rows: Vec<GroupRow>, online_counts: bool) -> Self {
        let mut by_status: BTreeMap<&'static str, u64> = BTreeMap::new();
        let mut valid_counting = 0u64;
        let mut channels: BTreeMap<String, Row> = BTreeMap::new();
        let mut districts: BTreeMap<String, Row> = BTreeMap::new();
        let mut days: BTreeMap<Option<NaiveDate>, Row> = BTreeMap::new();
        for (code, channel, district, day, n) in rows {
            let Some(status) = Status::parse(&code) else {
                tracing::warn!(
                    code,
                    "signature with an unknown status left out of the tally"
                );
                continue;
            };
            let n = u64::try_from(n).unwrap_or(0);
            *by_status.entry(status.code()).or_default() += n;
            let category = Category::of(status);
            if category == Category::Valid && (online_counts || channel != "online") {
                valid_counting += n;
            }
            if matches!(category, Category::Unconfirmed | Category::Withdrawn) {
                continue;
            }
            channels
                .entry(channel.clone())
                .or_insert_with(|| Row {
                    key: channel.clone(),
                    label: channel_label(&channel).to_owned(),
                    ..Row::default()
                })
                .add(category, n);
            let district = district
                .filter(|d| !d.trim().is_empty())
                .unwrap_or_else(|| NO_DISTRICT.to_owned());
            districts
                .entry(district.clone())
                .or_insert_with(|| Row {
                    key: district.clone(),
                    label: district,
                    ..Row::default()
                })
                .add(category, n);
            days.entry(day)
                .or_insert_with(|| {
                    let (key, label) = day_label(day);
                    Row {
                        key,
                        label,
                        ..Row::default()
                    }
                })
                .add(category, n);
        }
        // Online first, then paper; districts by name with the unmatched last; days in order
        // with undated lines last.
        let mut by_channel: Vec<Row> = channels.into_values().collect();
        by_channel.sort_by_key(|r| r.key != "online");
        let mut by_district: Vec<Row> = districts.into_values().collect();
        by_district.sort_by(|a, b| {
            (a.key == NO_DISTRICT, a.label.to_lowercase())
                .cmp(&(b.key == NO_DISTRICT, b.label.to_lowercase()))
        });
        let mut by_day: Vec<Row> = days.into_values().collect();
        by_day.sort_by_key(|r| r.key == "ohne_datum");
        Breakdown {
            by_status,
            valid_counting,
            by_channel,
            by_district,
            by_day,
        }
    }
}

/// The register the figures were checked against, in words.
async fn register_line<C: ConnectionTrait>(db: &C) -> Result<Option<String>, AppError> {
    Ok(match validation::current_import(db).await? {
        None => None,
        Some(id) => register_import::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|i| {
                format!(
                    "Melderegister-Import Nr. {} („{}“, {}{} Personen)",
                    i.id,
                    i.file_name,
                    i.finished_at
                        .map(|t| format!("eingelesen am {}, ", german_datetime_text(t)))
                        .unwrap_or_default(),
                    rules::thousands(u64::try_from(i.rows).unwrap_or(0))
                )
            }),
    })
}

/// Records that a tally file left the system (staff, CLI): who, which petition, which format.
pub async fn log_export(
    db: &sea_orm::DatabaseConnection,
    actor: Option<i64>,
    p: &petition::Model,
    format: Format,
    via: &str,
) -> Result<(), AppError> {
    audit::record(
        db,
        Entry {
            actor_id: actor,
            action: "tally.exported",
            target_type: "petition",
            target_id: Some(p.id.to_string()),
            details: json!({ "petition": p.slug, "format": format.extension(), "via": via }),
        },
    )
    .await?;
    Ok(())
}

/// The report in the asked format.
pub fn render(report: &TallyReport, format: Format) -> Result<Vec<u8>, AppError> {
    match format {
        Format::Csv => csv(report),
        Format::Xlsx => xlsx(report).map_err(|e| {
            tracing::error!(error = %e, "xlsx export failed");
            AppError::Internal
        }),
        Format::Pdf => Ok(check_report::check_report(report)),
    }
}

/// The file name a download or the CLI suggests.
pub fn file_name(report: &TallyReport, format: Format) -> String {
    format!(
        "pruefbericht-{}-{}.{}",
        report.slug,
        rules::german_date(report.as_of).format("%Y-%m-%d"),
        format.extension()
    )
}

fn as_of_text(report: &TallyReport) -> String {
    report
        .as_of
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// One CSV with sections (`bereich;schluessel;bezeichnung;…`): a spreadsheet filters each
/// breakdown by the first column. Semicolons and a byte order mark for German Excel.
fn csv(report: &TallyReport) -> Result<Vec<u8>, AppError> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .flexible(false)
            .from_writer(&mut out);
        // Every text cell passes the formula guard: titles and district names come from
        // people, and a spreadsheet must not run them.
        let mut put = |cells: [&str; 7]| {
            w.write_record(cells.map(|c| crate::infra::cells::text(c).into_owned()))
                .map_err(|_| AppError::Internal)
        };
        put([
            "bereich",
            "schluessel",
            "bezeichnung",
            "anzahl",
            "gueltig",
            "ungueltig",
            "offen",
        ])?;
        for (key, value) in [
            ("gemeinde", report.municipality.as_str()),
            ("buergerbegehren", report.slug.as_str()),
            ("titel", report.title.as_str()),
            ("verfahrensstand", report.stage.as_str()),
            ("rechtsgrundlage", report.rule.as_str()),
            ("stand", &as_of_text(report)),
            (
                "quorum_erreicht",
                if report.quorum_reached() {
                    "ja"
                } else {
                    "nein"
                },
            ),
        ] {
            put(["verfahren", key, value, "", "", "", ""])?;
        }
        for (key, label, n) in report.figures() {
            put(["summe", key, label, &n.to_string(), "", "", ""])?;
        }
        for r in &report.invalid_by_reason {
            put([
                "ungueltig_nach_grund",
                r.status.code(),
                r.status.label(),
                &r.count.to_string(),
                "",
                "",
                "",
            ])?;
        }
        for (section, rows) in [
            ("kanal", &report.by_channel),
            ("ortsteil", &report.by_district),
            ("tag", &report.by_day),
        ] {
            for row in rows.iter() {
                put([
                    section,
                    &row.key,
                    &row.label,
                    &row.total().to_string(),
                    &row.valid.to_string(),
                    &row.invalid.to_string(),
                    &row.pending.to_string(),
                ])?;
            }
        }
        w.flush().map_err(|_| AppError::Internal)?;
    }
    Ok(out)
}

/// One sheet per breakdown, numbers as numbers (sums and filters work at once).
fn xlsx(report: &TallyReport) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = CellFormat::new().set_bold();
    let date = CellFormat::new().set_num_format("dd.mm.yyyy");

    let sheet = book.add_worksheet();
    sheet.set_name("Übersicht")?;
    sheet.set_column_width(0, 42)?;
    sheet.set_column_width(1, 60)?;
    let mut row = 0u32;
    for (label, value) in [
        ("Gemeinde", report.municipality.clone()),
        ("Bürgerbegehren", report.title.clone()),
        ("Kurzname", report.slug.clone()),
        ("Frage", report.question.clone()),
        ("Verfahrensstand", report.stage.clone()),
        ("Rechtsgrundlage", report.rule.clone()),
        ("Stand", german_datetime_text(report.as_of)),
        (
            "Geprüft gegen",
            report
                .register
                .clone()
                .unwrap_or_else(|| "kein Melderegister".into()),
        ),
        ("Ergebnis", report.verdict()),
    ] {
        sheet.write_string_with_format(row, 0, label, &bold)?;
        sheet.write_string(row, 1, &value)?;
        row += 1;
    }
    row += 1;
    for (_, label, n) in report.figures() {
        sheet.write_string(row, 0, label)?;
        sheet.write_number(row, 1, n as f64)?;
        row += 1;
    }

    let sheet = book.add_worksheet();
    sheet.set_name("Ungültig nach Grund")?;
    header(sheet, &["Code", "Grund", "Anzahl"], &bold)?;
    sheet.set_column_width(1, 48)?;
    for (i, r) in report.invalid_by_reason.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, r.status.code())?;
        sheet.write_string(row, 1, r.status.label())?;
        sheet.write_number(row, 2, r.count as f64)?;
    }

    for (name, rows, first) in [
        ("Nach Kanal", &report.by_channel, "Kanal"),
        ("Nach Ortsteil", &report.by_district, "Ortsteil"),
        ("Nach Tag", &report.by_day, "Tag"),
    ] {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        header(
            sheet,
            &[first, "Insgesamt", "Gültig", "Ungültig", "Offen"],
            &bold,
        )?;
        sheet.set_column_width(0, 40)?;
        for (i, r) in rows.iter().enumerate() {
            let row = i as u32 + 1;
            // Days as real dates, so a spreadsheet sorts and charts them.
            match NaiveDate::parse_from_str(&r.key, "%Y-%m-%d") {
                Ok(day) if name == "Nach Tag" => {
                    sheet.write_date_with_format(row, 0, day, &date)?;
                }
                _ => {
                    sheet.write_string(row, 0, &r.label)?;
                }
            }
            for (col, n) in [r.total(), r.valid, r.invalid, r.pending]
                .into_iter()
                .enumerate()
            {
                sheet.write_number(row, col as u16 + 1, n as f64)?;
            }
        }
    }
    book.save_to_buffer()
}

fn header(sheet: &mut Worksheet, titles: &[&str], bold: &CellFormat) -> Result<(), XlsxError> {
    for (col, title) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, bold)?;
    }
    Ok(())
}

/// Folds the status-count deltas the triggers appended into one row per petition, status
/// and channel. One instance at a time (an advisory lock on PostgreSQL); both statements see
/// one snapshot (REPEATABLE READ), so a delta committed meanwhile is neither summed nor
/// deleted, and is folded the next time. Returns the number of rows folded.
pub async fn compact_status_counts(db: &sea_orm::DatabaseConnection) -> Result<u64, AppError> {
    use sea_orm::{AccessMode, IsolationLevel, Statement, TransactionTrait};
    let postgres = crate::infra::db::is_postgres(db);
    let tx = if postgres {
        db.begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadWrite),
        )
        .await?
    } else {
        crate::infra::db::begin_write(db).await?
    };
    let backend = tx.get_database_backend();
    if postgres {
        let locked = tx
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT pg_try_advisory_xact_lock(727275) AS locked",
            ))
            .await?
            .and_then(|row| row.try_get::<bool>("", "locked").ok())
            .unwrap_or(false);
        if !locked {
            return Ok(0);
        }
    }
    let max: Option<i64> = tx
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT MAX(id) AS max FROM petition_status_counts",
        ))
        .await?
        .and_then(|row| row.try_get::<Option<i64>>("", "max").ok())
        .flatten();
    let Some(max) = max else {
        return Ok(0);
    };
    tx.execute_raw(Statement::from_string(
        backend,
        format!(
            "INSERT INTO petition_status_counts (petition_id, status, channel, n)
             SELECT petition_id, status, channel, SUM(n) FROM petition_status_counts
             WHERE id <= {max} GROUP BY petition_id, status, channel HAVING SUM(n) <> 0"
        ),
    ))
    .await?;
    let folded = tx
        .execute_raw(Statement::from_string(
            backend,
            format!("DELETE FROM petition_status_counts WHERE id <= {max}"),
        ))
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(folded)
}
