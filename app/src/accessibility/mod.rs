//! The duties of a public body's website beyond the markup (EU Directive 2016/2102, BGG
//! § 12b, BITV 2.0, BITV NRW): the accessibility statement, the feedback channel for
//! barriers with its staff queue, and the page in Leichte Sprache. Wire types and the pure
//! rules here; server functions in `api`, pages in `pages`, storage in `server`.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors};
use crate::i18n::t;

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

    /// The option in the page's language.
    pub fn title(self) -> String {
        t(&format!("a11y-compliance-{}", self.code()))
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
            errors.add("compliance", t("a11y-statement-compliance-missing"));
        }
        for (field, text, missing) in [
            (
                "non_accessible",
                non_accessible,
                "a11y-statement-non-accessible-missing",
            ),
            ("method", method, "a11y-statement-method-missing"),
            ("contact", contact, "a11y-statement-contact-missing"),
            (
                "enforcement",
                enforcement,
                "a11y-statement-enforcement-missing",
            ),
        ] {
            if text.trim().is_empty() {
                errors.add(field, t(missing));
            } else if text.chars().count() > TEXT_MAX_CHARS {
                errors.add(field, t("a11y-statement-text-too-long"));
            }
        }
        let prepared = crate::petitions::parse_date(prepared_on);
        if prepared.is_none() {
            errors.add("prepared_on", t("a11y-statement-date-missing"));
        }
        let reviewed = crate::petitions::parse_date(reviewed_on);
        match (prepared, reviewed) {
            (_, None) => errors.add("reviewed_on", t("a11y-statement-date-missing")),
            (Some(p), Some(r)) if r < p => {
                errors.add("reviewed_on", t("a11y-statement-reviewed-before-prepared"))
            }
            _ => {}
        }
        let due_days = due_days.trim().parse::<u32>().ok();
        if !matches!(due_days, Some(1..=MAX_DUE_DAYS)) {
            errors.add("due_days", t("a11y-statement-due-days-invalid"));
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

    /// The label in the page's language.
    pub fn title(self) -> String {
        t(&format!("a11y-feedback-status-{}", self.code()))
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
            errors.add("name", t("a11y-feedback-name-too-long"));
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
            errors.add("page", t("a11y-feedback-page-too-long"));
        }
        let description = description.trim();
        if description.chars().count() < 10 {
            errors.add("description", t("a11y-feedback-description-too-short"));
        } else if description.chars().count() > DESCRIPTION_MAX_CHARS {
            errors.add("description", t("a11y-feedback-description-too-long"));
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

/// The four points BITV 2.0 § 4 asks a site to explain in Deutsche Gebärdensprache (and in
/// Leichte Sprache): one group of videos each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignTopic {
    Offer,
    Navigation,
    Accessibility,
    More,
}

impl SignTopic {
    pub const ALL: [SignTopic; 4] = [
        SignTopic::Offer,
        SignTopic::Navigation,
        SignTopic::Accessibility,
        SignTopic::More,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SignTopic::Offer => "offer",
            SignTopic::Navigation => "navigation",
            SignTopic::Accessibility => "accessibility",
            SignTopic::More => "more",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            SignTopic::Offer => "Was diese Website bietet",
            SignTopic::Navigation => "Wie Sie sich auf der Website zurechtfinden",
            SignTopic::Accessibility => "Was die Erklärung zur Barrierefreiheit sagt",
            SignTopic::More => "Was es sonst in Gebärdensprache gibt",
        }
    }

    /// The label in the page's language.
    pub fn title(self) -> String {
        t(&format!("a11y-sign-topic-{}", self.code()))
    }
}

/// Largest video (a few minutes of signing in 720p) and caption file.
pub const MAX_VIDEO_BYTES: u64 = 200 * 1024 * 1024;
pub const MAX_CAPTIONS_BYTES: usize = 512 * 1024;
pub const TRANSCRIPT_MAX_CHARS: usize = 20_000;

/// The video type from a file's first bytes; the name and the browser's claim are not trusted.
pub fn sniff_video(head: &[u8]) -> Option<&'static str> {
    // ISO base media (MP4): a box of type `ftyp` first.
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return Some("video/mp4");
    }
    // Matroska/WebM: the EBML magic, then a DocType "webm" in the header.
    if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) && head.windows(4).any(|w| w == b"webm") {
        return Some("video/webm");
    }
    None
}

/// A caption file must be WebVTT (UTF-8, starting with `WEBVTT`).
pub fn check_captions(bytes: &[u8]) -> Result<(), VideoProblem> {
    if bytes.len() > MAX_CAPTIONS_BYTES {
        return Err(VideoProblem::Captions);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| VideoProblem::Captions)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.starts_with("WEBVTT") {
        Ok(())
    } else {
        Err(VideoProblem::Captions)
    }
}

/// Why an upload of a video was refused, as a code in the address the form returns to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoProblem {
    Empty,
    TooLarge,
    NotVideo,
    Captions,
    Title,
    Transcript,
    Topic,
    Failed,
}

impl VideoProblem {
    pub const ALL: [VideoProblem; 8] = [
        VideoProblem::Empty,
        VideoProblem::TooLarge,
        VideoProblem::NotVideo,
        VideoProblem::Captions,
        VideoProblem::Title,
        VideoProblem::Transcript,
        VideoProblem::Topic,
        VideoProblem::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VideoProblem::Empty => "empty",
            VideoProblem::TooLarge => "too_large",
            VideoProblem::NotVideo => "not_video",
            VideoProblem::Captions => "captions",
            VideoProblem::Title => "title",
            VideoProblem::Transcript => "transcript",
            VideoProblem::Topic => "topic",
            VideoProblem::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The form field the problem is about.
    pub fn field(self) -> &'static str {
        match self {
            VideoProblem::Captions => "captions",
            VideoProblem::Title => "title",
            VideoProblem::Transcript => "transcript",
            VideoProblem::Topic => "topic",
            _ => "video",
        }
    }

    /// The message in the page's language (German in the tests).
    pub fn text(self) -> String {
        t(&format!(
            "a11y-video-problem-{}",
            self.code().replace('_', "-")
        ))
    }

    pub fn message(self) -> &'static str {
        match self {
            VideoProblem::Empty => "Bitte wählen Sie eine Videodatei aus.",
            VideoProblem::TooLarge => "Das Video ist größer als 200 MB. Bitte verkleinern Sie es.",
            VideoProblem::NotVideo => {
                "Das ist kein MP4- oder WebM-Video. Bitte laden Sie das Video in einem dieser Formate hoch."
            }
            VideoProblem::Captions => {
                "Die Untertitel müssen eine WebVTT-Datei sein (beginnt mit „WEBVTT“, höchstens 512 KB)."
            }
            VideoProblem::Title => "Bitte geben Sie einen Titel mit 3 bis 200 Zeichen an.",
            VideoProblem::Transcript => {
                "Bitte geben Sie den Inhalt des Videos als Text an (mindestens 20 Zeichen): Er steht als Abschrift neben dem Video."
            }
            VideoProblem::Topic => "Bitte wählen Sie, zu welchem Punkt das Video gehört.",
            VideoProblem::Failed => {
                "Das Hochladen ist fehlgeschlagen. Bitte versuchen Sie es noch einmal."
            }
        }
    }
}

/// The texts that come with a video, checked.
pub fn check_video_texts(
    topic: &str,
    title: &str,
    transcript: &str,
) -> Result<SignTopic, VideoProblem> {
    let topic = SignTopic::parse(topic.trim()).ok_or(VideoProblem::Topic)?;
    let title_chars = title.trim().chars().count();
    if !(3..=200).contains(&title_chars) {
        return Err(VideoProblem::Title);
    }
    let transcript_chars = transcript.trim().chars().count();
    if !(20..=TRANSCRIPT_MAX_CHARS).contains(&transcript_chars) {
        return Err(VideoProblem::Transcript);
    }
    Ok(topic)
}

/// A video in Deutsche Gebärdensprache as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignVideo {
    pub id: i64,
    pub topic: SignTopic,
    pub title: String,
    pub transcript: String,
    pub content_type: String,
    pub size: i64,
    pub has_captions: bool,
    pub created_at: DateTime<Utc>,
}

/// What can carry a summary in Leichte Sprache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EasySubject {
    Petition,
    Proposal,
    Meeting,
}

impl EasySubject {
    pub const ALL: [EasySubject; 3] = [
        EasySubject::Petition,
        EasySubject::Proposal,
        EasySubject::Meeting,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EasySubject::Petition => "petition",
            EasySubject::Proposal => "proposal",
            EasySubject::Meeting => "session",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The heading of its group on `/leichte-sprache` (in Leichte Sprache).
    pub fn group(self) -> &'static str {
        match self {
            EasySubject::Petition => "Bürger-Begehren",
            EasySubject::Proposal => "Vorschläge",
            EasySubject::Meeting => "Sitzungen vom Beirat",
        }
    }
}

pub const SUMMARY_MAX_CHARS: usize = 5_000;

/// The summary of one subject as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EasySummary {
    /// Rendered and sanitized; `None` when there is none (yet).
    pub html: Option<String>,
    /// The Markdown, for staff's form only.
    pub text: Option<String>,
    pub can_edit: bool,
}

/// One entry of the list on `/leichte-sprache`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EasyEntry {
    pub subject: EasySubject,
    pub title: String,
    pub href: String,
}

/// `/leichte-sprache`: the page's text and the subjects with a summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EasyLanguageView {
    pub html: String,
    pub entries: Vec<EasyEntry>,
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
        let ok =
            FeedbackInput::parse("", "", "", "Der Kontrast der Knöpfe ist zu schwach.").unwrap();
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
            "full",
            "keine",
            "Test",
            "05.12.2026",
            "01.12.2026",
            "Rathaus",
            "Stelle",
            "91",
        )
        .unwrap_err();
        assert_eq!(fields(err), ["reviewed_on", "due_days"]);
    }
    #[test]
    fn videos_are_recognised_by_their_first_bytes() {
        let mut mp4 = vec![0, 0, 0, 0x20];
        mp4.extend_from_slice(b"ftypisom\0\0\x02\0");
        let webm = [
            0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, b'w', b'e',
            b'b', b'm',
        ];
        let matroska = [
            0x1A, 0x45, 0xDF, 0xA3, 0x42, 0x82, 0x88, b'm', b'a', b't', b'r', b'o', b's', b'k',
            b'a',
        ];
        let cases: [(&[u8], Option<&str>); 5] = [
            (&mp4, Some("video/mp4")),
            (&webm, Some("video/webm")),
            (&matroska, None),
            (b"%PDF-1.7 ftyp", None),
            (b"", None),
        ];
        for (head, kind) in cases {
            assert_eq!(sniff_video(head), kind, "{head:?}");
        }
    }

    #[test]
    fn captions_must_be_webvtt_and_texts_are_checked() {
        assert_eq!(
            check_captions(b"WEBVTT\n\n00:00.000 --> 00:02.000\nHallo"),
            Ok(())
        );
        assert_eq!(check_captions("\u{feff}WEBVTT".as_bytes()), Ok(()));
        assert_eq!(
            check_captions(b"1\n00:00:00,000 --> 00:00:02,000\nSRT"),
            Err(VideoProblem::Captions)
        );
        assert_eq!(check_captions(&[0xff, 0xfe]), Err(VideoProblem::Captions));
        let transcript = "Willkommen auf dem Dorfplatz der Gemeinde.";
        assert_eq!(
            check_video_texts("offer", "Willkommen", transcript),
            Ok(SignTopic::Offer)
        );
        assert_eq!(
            check_video_texts("films", "Willkommen", transcript),
            Err(VideoProblem::Topic)
        );
        assert_eq!(
            check_video_texts("offer", "W", transcript),
            Err(VideoProblem::Title)
        );
        assert_eq!(
            check_video_texts("more", "Willkommen", "kurz"),
            Err(VideoProblem::Transcript)
        );
        for p in VideoProblem::ALL {
            assert_eq!(VideoProblem::parse(p.code()), Some(p));
        }
    }
}
