//! The per-signature export (`dorfplatz export signatures`, and the staff download): one
//! line per signature with its channel, sheet and line, the data as entered, the status
//! code and the time of decision. Semicolon-separated UTF-8 with a byte order mark, so that
//! German spreadsheet programs open it right; fields that a spreadsheet would take for a
//! formula are quoted with an apostrophe. Written page by page: memory does not grow with
//! the number of signatures.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use crate::error::AppError;
use crate::infra::audit::{self, Entry};
use crate::infra::cells::text;
use crate::infra::entities::{petition, signature};
use crate::petitions::rules::german_date_text;

const PAGE: u64 = 2_000;

pub const SIGNATURE_HEADER: [&str; 16] = [
    "kanal",
    "blatt",
    "zeile",
    "bogencode",
    "familienname",
    "vornamen",
    "geburtsdatum",
    "strasse",
    "hausnummer",
    "plz",
    "ort",
    "unterschrieben_am",
    "ortsteil",
    "status",
    "entschieden_am",
    "entschieden_durch",
];

fn csv_writer(out: &mut Vec<u8>) -> csv::Writer<&mut Vec<u8>> {
    csv::WriterBuilder::new().delimiter(b';').from_writer(out)
}

fn write_row(w: &mut csv::Writer<&mut Vec<u8>>, s: &signature::Model) -> Result<(), AppError> {
    let num = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    let birth = match (s.birth_date, &s.birth_date_entered) {
        (Some(d), _) => german_date_text(d),
        (None, Some(written)) => text(written).into_owned(),
        (None, None) => String::new(),
    };
    let decided_by = match (s.decided_at, s.manual) {
        (None, _) => "",
        (Some(_), true) => "person",
        (Some(_), false) => "automatisch",
    };
    w.write_record([
        // A returned personal sheet is a handwritten signature.
        if s.sheet_received_at.is_some() {
            "paper"
        } else {
            s.channel.as_str()
        },
        &num(s.sheet_number),
        &num(s.line_number),
        s.sheet_code.as_deref().unwrap_or(""),
        &text(&s.family_name),
        &text(&s.given_names),
        &birth,
        &text(&s.street),
        &text(&s.house_number),
        &text(&s.postal_code),
        &text(&s.city),
        &s.signed_on.map(german_date_text).unwrap_or_default(),
        s.district.as_deref().unwrap_or(""),
        &s.status,
        &s.decided_at
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default(),
        decided_by,
    ])
    .map_err(|_| AppError::Internal)
}

/// The export in pages: call with `after = 0`, then with the returned id until `None`.
/// The first page starts with the byte order mark and the header.
pub async fn signatures_page(
    db: &DatabaseConnection,
    petition_id: i64,
    after: i64,
) -> Result<Option<(Vec<u8>, i64)>, AppError> {
    let rows = signature::Entity::find()
        .filter(signature::Column::PetitionId.eq(petition_id))
        .filter(signature::Column::Id.gt(after))
        .order_by_asc(signature::Column::Id)
        .limit(PAGE)
        .all(db)
        .await?;
    let mut out = Vec::new();
    if after == 0 {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    {
        let mut w = csv_writer(&mut out);
        if after == 0 {
            w.write_record(SIGNATURE_HEADER)
                .map_err(|_| AppError::Internal)?;
        }
        for s in &rows {
            write_row(&mut w, s)?;
        }
        w.flush().map_err(|_| AppError::Internal)?;
    }
    match rows.last() {
        Some(last) => Ok(Some((out, last.id))),
        // An empty petition still gets its header.
        None if after == 0 => Ok(Some((out, i64::MAX))),
        None => Ok(None),
    }
}

/// Logs an export of personal data (before it starts).
pub async fn log_export(
    db: &DatabaseConnection,
    actor: Option<i64>,
    p: &petition::Model,
    via: &str,
) -> Result<(), AppError> {
    audit::record(
        db,
        Entry {
            actor_id: actor,
            action: "signatures.exported",
            target_type: "petition",
            target_id: Some(p.id.to_string()),
            details: json!({ "petition": p.slug, "via": via }),
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn what_a_spreadsheet_would_run_is_quoted() {
        for (input, out) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+49", "'+49"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("Müller", "Müller"),
            ("12-14", "12-14"),
            ("", ""),
        ] {
            assert_eq!(text(input), out);
        }
    }
}
