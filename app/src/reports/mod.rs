//! The check report of a petition (*Prüfbericht*): what staff sign under when a petition is
//! handed in. One [`TallyReport`] feeds the dashboard, the CSV, XLSX and PDF files and the
//! tests, so the figures cannot differ between them. Aggregates only: no person's data.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::register::check::Status;

/// Where a signature stands in the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    Valid,
    Invalid,
    /// Given, but not decided yet: no register to check against, or waiting for staff.
    Pending,
    /// Given online, the email confirmation is outstanding: not yet a signature.
    Unconfirmed,
    /// Taken back by the signer: not a signature any more.
    Withdrawn,
}

impl Category {
    pub fn of(status: Status) -> Category {
        match status {
            Status::Valid => Category::Valid,
            Status::NeedsReview | Status::Unchecked => Category::Pending,
            Status::PendingConfirmation => Category::Unconfirmed,
            Status::Withdrawn => Category::Withdrawn,
            Status::NotFound
            | Status::Underage
            | Status::NotCitizen
            | Status::NotMainResidence
            | Status::ResidenceTooShort
            | Status::Duplicate
            | Status::Incomplete
            | Status::InvalidSheet
            | Status::AfterDeadline => Category::Invalid,
        }
    }
}

/// The reasons a signature can be invalid, in the order reports list them.
pub const INVALID_REASONS: [Status; 9] = [
    Status::NotFound,
    Status::Underage,
    Status::NotCitizen,
    Status::NotMainResidence,
    Status::ResidenceTooShort,
    Status::Duplicate,
    Status::Incomplete,
    Status::InvalidSheet,
    Status::AfterDeadline,
];

/// Signatures of one group (a channel, a district, a day) by category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// A stable key for files (`online`, the district's name, `2026-11-30`).
    pub key: String,
    /// What people read (`online`, `Hohenhausen`, `30.11.2026`).
    pub label: String,
    pub valid: u64,
    pub invalid: u64,
    pub pending: u64,
}

impl Row {
    /// Every signature given and not withdrawn: valid, invalid or still to be decided.
    pub fn total(&self) -> u64 {
        self.valid + self.invalid + self.pending
    }

    pub fn add(&mut self, category: Category, n: u64) {
        match category {
            Category::Valid => self.valid += n,
            Category::Invalid => self.invalid += n,
            Category::Pending => self.pending += n,
            Category::Unconfirmed | Category::Withdrawn => {}
        }
    }
}

/// The count of one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCount {
    pub status: Status,
    pub count: u64,
}

/// The full tally of a petition at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyReport {
    pub municipality: String,
    pub slug: String,
    pub title: String,
    pub question: String,
    /// The stage as people read it ("Sammlung läuft").
    pub stage: String,
    /// The statute the figures are judged by.
    pub rule: String,
    pub quorum_citation: String,
    pub required: Option<u64>,
    /// Whether signatures given online count toward the quorum under the state's law.
    pub online_signatures_count: bool,
    pub valid: u64,
    /// Valid signatures that count toward the quorum (online ones only where the law
    /// allows, or once their signed sheet has come back).
    pub valid_counting: u64,
    pub invalid: u64,
    /// Every reason, also those with no signature, in [`INVALID_REASONS`] order.
    pub invalid_by_reason: Vec<ReasonCount>,
    /// `unchecked` plus `needs_review`.
    pub pending: u64,
    pub needs_review: u64,
    pub unchecked: u64,
    pub unconfirmed: u64,
    pub withdrawn: u64,
    pub by_channel: Vec<Row>,
    pub by_district: Vec<Row>,
    pub by_day: Vec<Row>,
    /// The register the signatures were checked against, as people read it.
    pub register: Option<String>,
    pub as_of: DateTime<Utc>,
}

impl TallyReport {
    /// Every signature given and not withdrawn.
    pub fn total(&self) -> u64 {
        self.valid + self.invalid + self.pending
    }

    pub fn quorum_reached(&self) -> bool {
        self.required.is_some_and(|r| self.valid_counting >= r)
    }

    /// How many valid signatures are still missing (0 once reached).
    pub fn missing(&self) -> Option<u64> {
        self.required.map(|r| r.saturating_sub(self.valid_counting))
    }

    /// The quorum verdict in words, as the report states it.
    pub fn verdict(&self) -> String {
        use crate::petitions::rules::thousands;
        match (self.required, self.quorum_reached()) {
            (None, _) => {
                "Die erforderliche Zahl der Unterschriften ist noch nicht festgesetzt.".to_owned()
            }
            (Some(r), true) => format!(
                "Das Quorum von {} Unterschriften ist mit {} gültigen Unterschriften erreicht.",
                thousands(r),
                thousands(self.valid_counting)
            ),
            (Some(r), false) => format!(
                "Das Quorum von {} Unterschriften ist nicht erreicht: {} gültige Unterschriften, es fehlen {}.",
                thousands(r),
                thousands(self.valid_counting),
                thousands(r.saturating_sub(self.valid_counting))
            ),
        }
    }

    /// The headline figures as (key, label, value), in the order every file lists them.
    pub fn figures(&self) -> Vec<(&'static str, &'static str, u64)> {
        let mut out = vec![
            ("total", "Unterschriften insgesamt", self.total()),
            ("valid", "gültig", self.valid),
            (
                "valid_counting",
                "davon für das Quorum zählend",
                self.valid_counting,
            ),
            ("invalid", "ungültig", self.invalid),
            ("pending", "noch nicht entschieden", self.pending),
            ("needs_review", "davon zur Prüfung", self.needs_review),
            ("unchecked", "davon noch nicht geprüft", self.unchecked),
            (
                "pending_confirmation",
                "online, E-Mail-Bestätigung ausstehend",
                self.unconfirmed,
            ),
            ("withdrawn", "zurückgezogen", self.withdrawn),
        ];
        if let Some(r) = self.required {
            out.push(("required", "erforderlich", r));
        }
        out
    }
}

/// The export formats of the tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Csv,
    Xlsx,
    Pdf,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::Xlsx, Format::Pdf];

    pub fn parse(s: &str) -> Result<Format, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            "pdf" => Ok(Format::Pdf),
            other => Err(format!(
                "Das Format „{other}“ gibt es nicht. Möglich sind csv, xlsx und pdf."
            )),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pdf => "application/pdf",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV (Tabellenkalkulation, Semikolon)",
            Format::Xlsx => "Excel-Arbeitsmappe (XLSX)",
            Format::Pdf => "Prüfbericht (PDF)",
        }
    }
}

/// A group key for the district breakdown when a signature matched no one in the register.
pub const NO_DISTRICT: &str = "ohne Zuordnung";

/// A day's row label.
pub fn day_label(day: Option<NaiveDate>) -> (String, String) {
    match day {
        Some(d) => (
            d.format("%Y-%m-%d").to_string(),
            crate::petitions::rules::german_date_text(d),
        ),
        None => ("ohne_datum".to_owned(), "ohne Datum".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_one_category_and_every_invalid_one_is_a_reason() {
        for status in Status::ALL {
            let listed = INVALID_REASONS.contains(&status);
            assert_eq!(
                Category::of(status) == Category::Invalid,
                listed,
                "{status:?}"
            );
        }
        assert_eq!(Category::of(Status::NeedsReview), Category::Pending);
        assert_eq!(Category::of(Status::Unchecked), Category::Pending);
        assert_eq!(
            Category::of(Status::PendingConfirmation),
            Category::Unconfirmed
        );
    }

    fn report(required: Option<u64>, valid_counting: u64) -> TallyReport {
        TallyReport {
            municipality: "Kalletal".into(),
            slug: "x".into(),
            title: "x".into(),
            question: "x".into(),
            stage: "x".into(),
            rule: "x".into(),
            quorum_citation: "x".into(),
            required,
            online_signatures_count: false,
            valid: valid_counting + 5,
            valid_counting,
            invalid: 3,
            invalid_by_reason: vec![],
            pending: 2,
            needs_review: 1,
            unchecked: 1,
            unconfirmed: 4,
            withdrawn: 1,
            by_channel: vec![],
            by_district: vec![],
            by_day: vec![],
            register: None,
            as_of: Utc::now(),
        }
    }

    #[test]
    fn the_quorum_is_judged_on_the_valid_signatures_that_count() {
        let cases = [
            (None, 10_000, false, None),
            (Some(940), 939, false, Some(1)),
            (Some(940), 940, true, Some(0)),
            (Some(940), 1_200, true, Some(0)),
        ];
        for (required, valid, reached, missing) in cases {
            let r = report(required, valid);
            assert_eq!(r.quorum_reached(), reached, "{required:?} {valid}");
            assert_eq!(r.missing(), missing);
        }
        // Online-only valid signatures (valid − valid_counting) do not reach the quorum.
        assert!(!report(Some(10), 6).quorum_reached());
        assert_eq!(report(Some(10), 6).valid, 11);
        assert!(
            report(Some(940), 939)
                .verdict()
                .contains("nicht erreicht: 939 gültige Unterschriften, es fehlen 1")
        );
        assert_eq!(report(None, 0).total(), 10);
    }

    #[test]
    fn a_row_counts_what_was_given_and_leaves_out_the_rest() {
        let mut row = Row::default();
        for (c, n) in [
            (Category::Valid, 4),
            (Category::Invalid, 2),
            (Category::Pending, 1),
            (Category::Unconfirmed, 7),
            (Category::Withdrawn, 9),
        ] {
            row.add(c, n);
        }
        assert_eq!(
            (row.valid, row.invalid, row.pending, row.total()),
            (4, 2, 1, 7)
        );
    }

    #[test]
    fn formats_are_parsed_with_a_german_message() {
        assert_eq!(Format::parse("PDF"), Ok(Format::Pdf));
        assert_eq!(Format::parse(" xlsx"), Ok(Format::Xlsx));
        let err = Format::parse("odt").unwrap_err();
        assert!(
            err.contains("„odt“") && err.contains("csv, xlsx und pdf"),
            "{err}"
        );
    }
}
