//! What pages receive about petitions: public figures and texts, never signers' data.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::draft::{Kind, Outcome};
use super::lifecycle::{Stage, Step};
use crate::reports::ReasonCount;

/// The aggregate figures of a petition, as the page and `tally.json` publish them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Signatures needed, fixed at publication (`None` before).
    pub required: Option<u64>,
    /// Confirmed online signatures plus paper signatures entered, not withdrawn.
    pub confirmed: u64,
    /// Of those, the ones that count toward the quorum under the state's law.
    pub counting: u64,
    /// Confirmed online signatures whose signed sheet has not come back.
    pub online: u64,
    /// Paper signatures: list lines and returned personal sheets.
    pub paper: u64,
    /// Online signatures whose email confirmation is outstanding.
    pub pending_confirmation: u64,
    pub online_signatures_count: bool,
    /// Signatures the register check (or staff) found valid.
    pub valid: u64,
    /// Of those, the ones that count toward the quorum under the state's law.
    pub valid_counting: u64,
    pub invalid: u64,
    /// Every reason, also those with no signature.
    pub invalid_by_reason: Vec<ReasonCount>,
    /// Given but not decided yet: not checked, or waiting for a staff decision.
    pub pending: u64,
    /// Of `pending`, the ones waiting for a staff decision.
    pub needs_review: u64,
}

impl Tally {
    /// Whether any signature has been checked against the register.
    pub fn checked(&self) -> bool {
        self.valid + self.invalid + self.needs_review > 0
    }

    /// Whether the valid signatures that count reach the quorum.
    pub fn quorum_reached(&self) -> bool {
        self.required
            .is_some_and(|r| r > 0 && self.valid_counting >= r)
    }

    /// Share of the quorum reached, 0..=100 (for the progress bar).
    pub fn percent(&self) -> u64 {
        match self.required {
            Some(r) if r > 0 => (self.counting.saturating_mul(100) / r).min(100),
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionSummary {
    pub slug: String,
    pub title: String,
    pub question: String,
    pub stage: Stage,
    pub kind: Kind,
    pub tally: Tally,
    /// The last day of collection (legal deadline or the initiators' end, the earlier).
    pub ends_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepresentativeView {
    pub name: String,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub step: Step,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: NaiveDate,
    pub count: u64,
}

/// What the viewer may do on the petition's page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    /// The viewer drafted the petition (acts for the initiators).
    pub initiator: bool,
    pub staff: bool,
    /// Steps the viewer can take now.
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionDetail {
    pub id: i64,
    /// Published once: then it has a public discussion.
    pub published: bool,
    pub summary: PetitionSummary,
    pub municipality: String,
    pub justification: String,
    pub council_meeting_on: Option<NaiveDate>,
    pub council_published_on: Option<NaiveDate>,
    pub cost_estimate: Option<String>,
    pub required_explanation: Option<String>,
    pub rule_citation: String,
    pub representatives: Vec<RepresentativeView>,
    pub timeline: Vec<TimelineEntry>,
    pub per_day: Vec<DayCount>,
    /// Days of collection left including today; `None` without an end.
    pub days_left: Option<i64>,
    pub referendum_on: Option<NaiveDate>,
    pub referendum_yes: Option<u64>,
    pub referendum_no: Option<u64>,
    pub referendum_outcome: Option<Outcome>,
    pub permissions: Permissions,
}

/// What the page behind a receipt link shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub slug: String,
    pub title: String,
    pub withdrawn: bool,
    /// Withdrawal is possible until the petition is submitted.
    pub can_withdraw: bool,
    /// Whether the signer has a personal sheet to print and sign by hand.
    pub has_sheet: bool,
}

/// The answer to entering one paper line or a returned sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryResult {
    pub message: String,
    /// The line was recorded as a duplicate and does not count.
    pub duplicate: bool,
    /// What the register check said (`unchecked` without a register).
    pub checked: crate::register::check::Status,
}
