//! The duties of a public body's website beyond the markup (EU Directive 2016/2102, BGG
//! § 12b, BITV 2.0, BITV NRW): the accessibility statement, the feedback channel for
//! barriers with its staff queue, and the page in Leichte Sprache. Wire types and the pure
//! rules here; server functions in `api`, pages in `pages`, storage in `server`.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors};

/// How far the site complies with the standard (the three answers of the EU model
/// statement, Implementing Decision (EU) 2018/1523).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Compliance {
    Full,
    Partial,
    None,
}

impl Compliance {
    pub const ALL: [Compliance; 3] = [Compliance::Full, Compliance::Partial, Compliance::None];

    pub fn code(self) -> &'static str {
        match self {
            Compliance::Full => "full",
            Compliance::Partial => "partial",
            Compliance::None => "none",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The option in the admin form.
    pub fn label(self) -> &'static str {
        match self {
            Compliance::Full => "vollständig vereinbar",
            Compliance::Partial => "teilweise vereinbar",
            Compliance::None => "nicht vereinbar",
        }
    }

    /// The sentence of the public statement.
    pub fn sentence(self) -> &'static str {
        match self {
            Compliance::Full => {
                "Diese Website ist vollständig mit den Anforderungen der BITV 2.0 (in Verbindung mit der harmonisierten Norm EN 301 549) vereinbar."
            }
            Compliance::Partial => {
                "Diese Website ist wegen der unten aufgeführten Unvereinbarkeiten und Ausnahmen teilweise mit den Anforderungen der BITV 2.0 (in Verbindung mit der harmonisierten Norm EN 301 549) vereinbar."
            }
            Compliance::None => {
                "Diese Website ist nicht mit den Anforderungen der BITV 2.0 (in Verbindung mit der harmonisierten Norm EN 301 549) vereinbar. Die Unvereinbarkeiten sind unten aufgeführt."
            }
        }
    }
}

/// Longest text of one part of the statement or of the Leichte Sprache page.
pub const TEXT_MAX_CHARS: usize = 20_000;
/// The default time to answer barrier feedback, in days (the administration sets its own).
pub const DEFAULT_DUE_DAYS: u32 = 14;
pub const MAX_DUE_DAYS: u32 = 90;

/// The accessibility statement as the administration keeps it: the parts the EU model
/// statement requires. Markdown where a part holds more than one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub compliance: Compliance,
    /// The content that is not accessible, and why (non-compliance, disproportionate burden,
    /// outside the scope).
    pub non_accessible: String,
    /// How the statement was made (self-assessment, tests used, third party).
    pub method: String,
    pub prepared_on: NaiveDate,
    pub reviewed_on: NaiveDate,
    /// Who answers besides the form: office, address, phone, email.
    pub contact: String,
    /// The enforcement procedure: the state's conciliation or ombuds body, link and address.
    pub enforcement: String,
    /// Days after which unanswered feedback is marked overdue in the staff queue.
    pub due_days: u32,
}

impl Statement {
    /// Checks the form's input; every mistake is named at its field.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        compliance: &str,
        non_accessible: &str,
        method: &str,
        prepared_on: &str,
        reviewed_on: &str,
        contact: &str,
        enforcement: &str,
        due_days: &str,
    ) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let compliance = Compliance::parse(compliance.trim());
        if compliance.is_none() {
            errors.add("compliance", "Bitte wählen Sie, wie weit die Website vereinbar ist.");
        }
        for (field, text, what) in [
            ("non_accessible", non_accessible, "die nicht barrierefreien Inhalte (oder „keine“)"),
            ("method", method, "wie die Erklärung erstellt wurde"),
            ("contact", contact, "die Kontaktdaten der zuständigen Stelle"),
            ("enforcement", enforcement, "die Schlichtungs- oder Ombudsstelle"),
        ] {
            if text.trim().is_empty() {
                errors.add(field, format!("Bitte beschreiben Sie {what}."));
            } else if text.chars().count() > TEXT_MAX_CHARS {
                errors.add(field, "Der Text darf höchstens 20.000 Zeichen lang sein.");
            }
        }
        let prepared = crate::petitions::parse_date(prepared_on);
        if prepared.is_none() {
            errors.add("prepared_on", "Bitte geben Sie ein Datum an (TT.MM.JJJJ).");
        }
        let reviewed = crate::petitions::parse_date(reviewed_on);
        match (prepared, reviewed) {
            (_, None) => errors.add("reviewed_on", "Bitte geben Sie ein Datum an (TT.MM.JJJJ)."),
            (Some(p), Some(r)) if r < p => errors.add(
                "reviewed_on",
                "Die letzte Überprüfung kann nicht vor der Erstellung liegen.",
            ),
            _ => {}
        }
        let due_days = due_days.trim().parse::<u32>().ok();
        if !matches!(due_days, Some(1..=MAX_DUE_DAYS)) {
            errors.add("due_days", "Bitte geben Sie eine Zahl von 1 bis 90 an.");
        }
        errors.into_result()?;
        Ok(Statement {
            compliance: compliance.unwrap_or(Compliance::Partial),
            non_accessible: non_accessible.trim().to_owned(),
            method: method.trim().to_owned(),
            prepared_on: prepared.unwrap_or_default(),
            reviewed_on: reviewed.unwrap_or_default(),
            contact: contact.trim().to_owned(),
            enforcement: enforcement.trim().to_owned(),
            due_days: due_days.unwrap_or(DEFAULT_DUE_DAYS),
        })
    }
}

/// The public statement, Markdown parts rendered and sanitized on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementView {
    pub municipality: String,
    pub compliance: Compliance,
    pub non_accessible_html: String,
    pub method_html: String,
    pub prepared_on: NaiveDate,
    pub reviewed_on: NaiveDate,
    pub contact_html: String,
    pub enforcement_html: String,
    pub due_days: u32,
}

/// Where a report of a barrier stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedbackStatus {
    New,
    Answered,
    Closed,
}

impl FeedbackStatus {
    pub fn code(self) -> &'static str {
        match self {
            FeedbackStatus::New => "new",
            FeedbackStatus::Answered => "answered",
            FeedbackStatus::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            FeedbackStatus::New,
            FeedbackStatus::Answered,
            FeedbackStatus::Closed,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            FeedbackStatus::New => "neu",
            FeedbackStatus::Answered => "beantwortet",
            FeedbackStatus::Closed => "abgeschlossen",
        }
    }
}

/// The day by which feedback received at `received` should be answered.
pub fn due_on(received: DateTime<Utc>, due_days: u32) -> NaiveDate {
    crate::time::german_date(received) + chrono::Days::new(u64::from(due_days))
}

/// Unanswered feedback is overdue once its due day (German calendar) has passed; answered
/// and closed feedback never is.
pub fn is_overdue(
    status: FeedbackStatus,
    received: DateTime<Utc>,
    due_days: u32,
    today: NaiveDate,
) -> bool {
    status == FeedbackStatus::New && today > due_on(received, due_days)
}

/// What the feedback form takes, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackInput {
    pub name: Option<String>,
    pub email: Option<crate::accounts::domain::EmailAddress>,
    pub page: Option<String>,
    pub description: String,
}

pub const DESCRIPTION_MAX_CHARS: usize = 5_000;

impl FeedbackInput {
    pub fn parse(name: &str, email: &str, page: &str, description: &str) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.chars().count() > 100 {
            errors.add("name", "Der Name darf höchstens 100 Zeichen lang sein.");
        }
        let email = match email.trim() {
            "" => None,
            typed => match crate::accounts::domain::EmailAddress::parse(typed) {
                Ok(e) => Some(e),
                Err(message) => {
                    errors.add("email", message);
                    None
                }
            },
        };
        let page = page.trim();
        if page.chars().count() > 500 {
            errors.add("page", "Die Angabe der Seite darf höchstens 500 Zeichen lang sein.");
        }
        let description = description.trim();
        if description.chars().count() < 10 {
            errors.add(
                "description",
                "Bitte beschreiben Sie die Barriere in mindestens 10 Zeichen.",
            );
        } else if description.chars().count() > DESCRIPTION_MAX_CHARS {
            errors.add(
                "description",
                "Die Beschreibung darf höchstens 5.000 Zeichen lang sein.",
            );
        }
        errors.into_result()?;
        Ok(FeedbackInput {
            name: (!name.is_empty()).then_some(name),
            email,
            page: (!page.is_empty()).then(|| page.to_owned()),
            description: description.to_owned(),
        })
    }
}

/// One report in the staff queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackItem {
    pub id: i64,
    pub name: Option<String>,
    pub email: Option<String>,
    pub page: Option<String>,
    pub description: String,
    pub status: FeedbackStatus,
    pub received_at: DateTime<Utc>,
    pub due_on: NaiveDate,
    pub overdue: bool,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_by: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// `/staff/feedback`: open reports first (oldest first), then answered, then the last
/// closed ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackQueue {
    pub new: Vec<FeedbackItem>,
    pub answered: Vec<FeedbackItem>,
    pub closed: Vec<FeedbackItem>,
    pub due_days: u32,
}

/// What staff do with a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedbackStep {
    /// Save the answer (mailed when an address was given); the report is answered.
    Answer,
    /// Nothing more to do.
    Close,
    /// Back to new (a closed report that needs more work).
    Reopen,
}

impl FeedbackStep {
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "answer" => Some(Self::Answer),
            "close" => Some(Self::Close),
            "reopen" => Some(Self::Reopen),
            _ => None,
        }
    }

    /// The status after the step, or `None` where the step does not apply.
    pub fn next(self, from: FeedbackStatus) -> Option<FeedbackStatus> {
        use FeedbackStatus::*;
        match (self, from) {
            (Self::Answer, New | Answered) => Some(Answered),
            (Self::Close, New | Answered) => Some(Closed),
            (Self::Reopen, Answered | Closed) => Some(New),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn feedback_is_overdue_only_while_unanswered_and_after_its_due_day() {
        // 23:30 UTC on 31 March is already 1 April in Germany (summer time).
        let late = Utc.with_ymd_and_hms(2026, 3, 31, 23, 30, 0).unwrap();
        let noon = Utc.with_ymd_and_hms(2026, 3, 10, 11, 0, 0).unwrap();
        let cases = [
            // (status, received, days, today, overdue)
            (FeedbackStatus::New, noon, 14, day(2026, 3, 24), false),
            (FeedbackStatus::New, noon, 14, day(2026, 3, 25), true),
            (FeedbackStatus::Answered, noon, 14, day(2026, 5, 1), false),
            (FeedbackStatus::Closed, noon, 14, day(2026, 5, 1), false),
            (FeedbackStatus::New, late, 1, day(2026, 4, 2), false),
            (FeedbackStatus::New, late, 1, day(2026, 4, 3), true),
            (FeedbackStatus::New, late, 30, day(2026, 5, 2), true),
        ];
        for (status, received, days, today, overdue) in cases {
            assert_eq!(
                is_overdue(status, received, days, today),
                overdue,
                "{status:?} received {received}, {days} days, today {today}"
            );
        }
        assert_eq!(due_on(late, 1), day(2026, 4, 2));
    }

    #[test]
    fn feedback_steps_follow_new_answered_closed() {
        use FeedbackStatus::*;
        let cases = [
            (FeedbackStep::Answer, New, Some(Answered)),
            (FeedbackStep::Answer, Answered, Some(Answered)),
            (FeedbackStep::Answer, Closed, None),
            (FeedbackStep::Close, New, Some(Closed)),
            (FeedbackStep::Close, Answered, Some(Closed)),
            (FeedbackStep::Close, Closed, None),
            (FeedbackStep::Reopen, Closed, Some(New)),
            (FeedbackStep::Reopen, Answered, Some(New)),
            (FeedbackStep::Reopen, New, None),
        ];
        for (step, from, to) in cases {
            assert_eq!(step.next(from), to, "{step:?} from {from:?}");
        }
    }

    fn fields(err: AppError) -> Vec<String> {
        match err {
            AppError::Validation { fields } => fields.into_iter().map(|f| f.field).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn feedback_needs_only_a_description() {
        let ok = FeedbackInput::parse("", "", "", "Der Kontrast der Knöpfe ist zu schwach.").unwrap();
        assert_eq!(ok.name, None);
        assert_eq!(ok.email, None);
        let named = FeedbackInput::parse(
            "  Erika   Muster ",
            "erika@example.org",
            "/petitions",
            "Das Formular lässt sich nicht mit der Tastatur absenden.",
        )
        .unwrap();
        assert_eq!(named.name.as_deref(), Some("Erika Muster"));
        assert_eq!(named.page.as_deref(), Some("/petitions"));
        assert_eq!(
            fields(FeedbackInput::parse("", "kein-at", "", "kurz").unwrap_err()),
            ["email", "description"]
        );
        let long = "x".repeat(DESCRIPTION_MAX_CHARS + 1);
        assert_eq!(
            fields(FeedbackInput::parse("", "", "", &long).unwrap_err()),
            ["description"]
        );
    }

    #[test]
    fn statement_names_each_missing_part_at_its_field() {
        let ok = Statement::parse(
            "partial",
            "PDF-Dokumente",
            "Selbstbewertung",
            "01.12.2026",
            "2026-12-05",
            "Rathaus",
            "Ombudsstelle",
            "14",
        )
        .unwrap();
        assert_eq!(ok.compliance, Compliance::Partial);
        assert_eq!(ok.reviewed_on, day(2026, 12, 5));
        let err = Statement::parse("", " ", "", "gestern", "01.01.2026", "", "", "0").unwrap_err();
        assert_eq!(
            fields(err),
            [
                "compliance",
                "non_accessible",
                "method",
                "contact",
                "enforcement",
                "prepared_on",
                "due_days"
            ]
        );
        let err = Statement::parse(
            "full", "keine", "Test", "05.12.2026", "01.12.2026", "Rathaus", "Stelle", "91",
        )
        .unwrap_err();
        assert_eq!(fields(err), ["reviewed_on", "due_days"]);
    }
}
