//! What the register and review pages show: wire types between server functions and pages.

use serde::{Deserialize, Serialize};

use super::check::{Comparison, FieldMatch, Status};

/// A signature's status in the page's language (`Status::label` stays German for the files
/// and documents).
pub fn status_title(status: Status) -> String {
    crate::i18n::t(&format!(
        "register-status-{}",
        status.code().replace('_', "-")
    ))
}

/// How a detail compares with the register, in the page's language.
pub fn match_title(m: FieldMatch) -> String {
    crate::i18n::t(match m {
        FieldMatch::Exact => "register-match-exact",
        FieldMatch::Near => "register-match-near",
        FieldMatch::Missing => "register-match-missing",
        FieldMatch::Differs => "register-match-differs",
    })
}

/// One register import, for the staff page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    /// German date and time it started.
    pub started: String,
    pub finished: Option<String>,
    /// `running`, `completed`, `failed`, `purged`.
    pub status: String,
    pub file_name: String,
    pub encoding: String,
    pub rows: u64,
    pub eligible: u64,
    pub bad_lines: u64,
    pub bytes_read: u64,
    pub bytes_total: u64,
    /// The bad lines with their reasons (failed imports).
    pub report: Vec<String>,
    pub in_use: bool,
}

impl ImportView {
    /// Percent read, for the progress bar of a running import.
    pub fn percent(&self) -> u64 {
        (self.bytes_read * 100)
            .checked_div(self.bytes_total)
            .unwrap_or(0)
            .min(100)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterOverview {
    pub imports: Vec<ImportView>,
}

impl RegisterOverview {
    pub fn running(&self) -> bool {
        self.imports.iter().any(|i| i.status == "running")
    }
}

/// A signature as written, for the review page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedView {
    pub family_name: String,
    pub given_names: String,
    /// As a German date, or as written when unreadable; empty when missing.
    pub birth_date: String,
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub city: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateView {
    pub resident_id: i64,
    pub family_name: String,
    pub given_names: String,
    pub birth_date: String,
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub city: String,
    pub district: String,
    pub comparison: Comparison,
    /// What follows if this is the signer: "valid" or the reason it does not count.
    pub outcome: Status,
}

/// The next signature that needs a person, with the register entries it may belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub signature_id: i64,
    /// "Blatt 3, Zeile 7" or "online".
    pub place: String,
    pub signed_on: Option<String>,
    pub signed: SignedView,
    pub candidates: Vec<CandidateView>,
    pub status: Status,
}

/// Counts per status, for the review page's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    pub status: Status,
    pub count: u64,
}

/// The review page of a petition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub slug: String,
    pub title: String,
    pub register_in_use: bool,
    pub counts: Vec<StatusCount>,
    pub waiting: u64,
    pub item: Option<ReviewItem>,
    /// Sheets voided, with their reasons.
    pub void_sheets: Vec<(u32, String)>,
    /// Personal data were deleted after the retention period.
    pub purged: bool,
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_comparison_has_a_title_that_reads_in_german_as_before() {
        for status in Status::ALL {
            assert_eq!(status_title(status), status.label(), "{status:?}");
        }
        for m in [
            FieldMatch::Exact,
            FieldMatch::Near,
            FieldMatch::Missing,
            FieldMatch::Differs,
        ] {
            assert_eq!(match_title(m), m.label(), "{m:?}");
        }
    }
}
