//! The rules of advisory boards as data: roles, the life of a session, agenda numbering,
//! majority rules and how a vote's result follows from its counts, what attachments may be,
//! and the draft of the minutes. Pure, with table tests.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::i18n::{t, t_args};
use crate::proposals::domain::text_between;

pub const NAME_MAX_CHARS: usize = 120;
pub const TITLE_MAX_CHARS: usize = 160;
pub const ITEM_TITLE_MAX_CHARS: usize = 200;
pub const TEXT_MAX_CHARS: usize = 20_000;
pub const MINUTES_MAX_CHARS: usize = 100_000;
/// Attachments: PDF and images up to this size.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// A session lasts at most this long (a typo in the date should not make it a week).
pub const MAX_SESSION_HOURS: i64 = 24;
/// Agenda levels: TOP 2 and TOP 2.1, no deeper.
pub const MAX_ITEM_DEPTH: usize = 2;

/// A member's role on a board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Chair,
    Deputy,
    Member,
    /// Advises without a vote (e.g. a representative of the administration).
    Advisory,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Chair, Role::Deputy, Role::Member, Role::Advisory];

    pub fn code(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::Deputy => "deputy",
            Role::Member => "member",
            Role::Advisory => "advisory",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Chair => "Vorsitz",
            Role::Deputy => "Stellvertretender Vorsitz",
            Role::Member => "Mitglied",
            Role::Advisory => "Beratendes Mitglied (ohne Stimmrecht)",
        }
    }

    /// The label in the page's language (`label` stays German for documents and OParl).
    pub fn title(self) -> String {
        t(&format!("board-role-{}", self.code()))
    }

    /// For lists of names ("Renate Vogt (Vorsitz)").
    pub fn short_label(self) -> &'static str {
        match self {
            Role::Chair => "Vorsitz",
            Role::Deputy => "stellv. Vorsitz",
            Role::Member => "Mitglied",
            Role::Advisory => "beratend",
        }
    }

    pub fn votes(self) -> bool {
        self != Role::Advisory
    }

    /// The chair and the deputy run the board's sessions (the deputy stands in).
    pub fn manages(self) -> bool {
        matches!(self, Role::Chair | Role::Deputy)
    }
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Planned,
    Invited,
    Held,
    /// The minutes are published.
    Published,
    Cancelled,
}

impl MeetingStatus {
    pub const ALL: [MeetingStatus; 5] = [
        MeetingStatus::Planned,
        MeetingStatus::Invited,
        MeetingStatus::Held,
        MeetingStatus::Published,
        MeetingStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MeetingStatus::Planned => "planned",
            MeetingStatus::Invited => "invited",
            MeetingStatus::Held => "held",
            MeetingStatus::Published => "published",
            MeetingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<MeetingStatus> {
        MeetingStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            MeetingStatus::Planned => "In Vorbereitung",
            MeetingStatus::Invited => "Eingeladen",
            MeetingStatus::Held => "Durchgeführt",
            MeetingStatus::Published => "Protokoll veröffentlicht",
            MeetingStatus::Cancelled => "Abgesagt",
        }
    }

    /// The label in the page's language (`label` stays German for documents and calendars).
    pub fn title(self) -> String {
        t(&format!("board-state-{}", self.code()))
    }

    /// Agenda items, place and time may change until the minutes are published; a cancelled
    /// session stays as it was.
    pub fn editable(self) -> bool {
        matches!(
            self,
            MeetingStatus::Planned | MeetingStatus::Invited | MeetingStatus::Held
        )
    }

    /// Only a session that has not taken place can be cancelled.
    pub fn cancellable(self) -> bool {
        matches!(self, MeetingStatus::Planned | MeetingStatus::Invited)
    }

    /// Attendance, votes and minutes are recorded once the session took place (or while it
    /// runs, for the chair's convenience: from the invitation on).
    pub fn records_outcomes(self) -> bool {
        matches!(self, MeetingStatus::Invited | MeetingStatus::Held)
    }

    /// OParl `meetingState` (free text in the standard).
    pub fn oparl_state(self) -> &'static str {
        match self {
            MeetingStatus::Planned => "geplant",
            MeetingStatus::Invited => "eingeladen",
            MeetingStatus::Held => "durchgeführt",
            MeetingStatus::Published => "Protokoll veröffentlicht",
            MeetingStatus::Cancelled => "abgesagt",
        }
    }
}

/// The majority a recommendation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Majority {
    /// More yes than no votes; abstentions do not count.
    Simple,
    /// More yes votes than half of the board's voting members (present or not).
    Absolute,
    /// At least two thirds of the votes cast (yes and no) are yes.
    TwoThirds,
}

impl Majority {
    pub const ALL: [Majority; 3] = [Majority::Simple, Majority::Absolute, Majority::TwoThirds];

    pub fn code(self) -> &'static str {
        match self {
            Majority::Simple => "simple",
            Majority::Absolute => "absolute",
            Majority::TwoThirds => "two_thirds",
        }
    }

    pub fn parse(code: &str) -> Option<Majority> {
        Majority::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Majority::Simple => "Einfache Mehrheit",
            Majority::Absolute => "Absolute Mehrheit",
            Majority::TwoThirds => "Zweidrittelmehrheit",
        }
    }

    pub fn explanation(self) -> &'static str {
        match self {
            Majority::Simple => "mehr Ja- als Nein-Stimmen; Enthaltungen zählen nicht",
            Majority::Absolute => {
                "mehr Ja-Stimmen als die Hälfte aller stimmberechtigten Mitglieder"
            }
            Majority::TwoThirds => "mindestens zwei Drittel der abgegebenen Ja- und Nein-Stimmen",
        }
    }

    /// The label in the page's language (`label` stays German for the minutes).
    pub fn title(self) -> String {
        t(&format!("board-majority-{}", self.code().replace('_', "-")))
    }

    /// The explanation in the page's language.
    pub fn explanation_title(self) -> String {
        t(&format!(
            "board-majority-{}-explanation",
            self.code().replace('_', "-")
        ))
    }
}

/// What became of an agenda item's recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemResult {
    Adopted,
    Rejected,
    Postponed,
}

impl ItemResult {
    pub const ALL: [ItemResult; 3] = [
        ItemResult::Adopted,
        ItemResult::Rejected,
        ItemResult::Postponed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ItemResult::Adopted => "adopted",
            ItemResult::Rejected => "rejected",
            ItemResult::Postponed => "postponed",
        }
    }

    pub fn parse(code: &str) -> Option<ItemResult> {
        ItemResult::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemResult::Adopted => "Empfehlung beschlossen",
            ItemResult::Rejected => "Empfehlung abgelehnt",
            ItemResult::Postponed => "Vertagt",
        }
    }

    /// The label in the page's language (`label` stays German for the minutes).
    pub fn title(self) -> String {
        t(&format!("board-result-{}", self.code()))
    }
}

/// The counts of one vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Votes {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

impl Votes {
    /// "2 Ja, 0 Nein, 1 Enthaltung"
    pub fn text(self) -> String {
        format!(
            "{} Ja, {} Nein, {} {}",
            self.yes,
            self.no,
            self.abstain,
            if self.abstain == 1 {
                "Enthaltung"
            } else {
                "Enthaltungen"
            }
        )
    }

    /// The counts in the page's language (`text` stays German for the minutes).
    pub fn title(self) -> String {
        let key = if self.abstain == 1 {
            "board-votes-one"
        } else {
            "board-votes-other"
        };
        t_args(
            key,
            &[
                ("yes", &self.yes.to_string()),
                ("no", &self.no.to_string()),
                ("abstain", &self.abstain.to_string()),
            ],
        )
    }

    /// In 64 bits: three counts near `u32::MAX` must not wrap round to a small total.
    pub fn total(self) -> u64 {
        u64::from(self.yes) + u64::from(self.no) + u64::from(self.abstain)
    }
}

/// The result of a vote: without a quorum nothing is decided (the item is postponed);
/// otherwise the majority rule decides.
pub fn decide(votes: Votes, majority: Majority, voting_members: u32, quorum: bool) -> ItemResult {
    if !quorum {
        return ItemResult::Postponed;
    }
    let adopted = match majority {
        Majority::Simple => votes.yes > votes.no,
        Majority::Absolute => 2 * u64::from(votes.yes) > u64::from(voting_members),
        Majority::TwoThirds => {
            votes.yes > 0
                && 3 * u64::from(votes.yes) >= 2 * (u64::from(votes.yes) + u64::from(votes.no))
        }
    };
    if adopted {
        ItemResult::Adopted
    } else {
        ItemResult::Rejected
    }
}

/// A board has a quorum when more than half of its voting members are present.
pub fn has_quorum(present_voting: u32, voting_members: u32) -> bool {
    voting_members > 0 && 2 * present_voting > voting_members
}

/// Vote counts from the form: whole numbers, together at most the voting members present, and
/// at least one vote cast.
pub fn parse_votes(
    yes: &str,
    no: &str,
    abstain: &str,
    present_voting: u32,
) -> Result<Votes, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let mut count = |field: &'static str, raw: &str| -> u32 {
        match raw.trim() {
            "" => 0,
            t => match t.parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    errors.push((field, crate::i18n::t("board-votes-whole-number")));
                    0
                }
            },
        }
    };
    let votes = Votes {
        yes: count("votes_yes", yes),
        no: count("votes_no", no),
        abstain: count("votes_abstain", abstain),
    };
    if errors.is_empty() && votes.total() == 0 {
        errors.push(("votes_yes", t("board-votes-missing")));
    }
    if errors.is_empty() && votes.total() > u64::from(present_voting) {
        errors.push((
            "votes_yes",
            t_args(
                "board-votes-too-many",
                &[
                    ("total", &votes.total().to_string()),
                    ("present", &present_voting.to_string()),
                ],
            ),
        ));
    }
    if errors.is_empty() {
        Ok(votes)
    } else {
        Err(errors)
    }
}

pub fn parse_name(input: &str) -> Result<String, String> {
    one_line(
        input,
        NAME_MAX_CHARS,
        &t("board-what-name"),
        &t("board-name-missing"),
    )
}

pub fn parse_title(input: &str) -> Result<String, String> {
    one_line(
        input,
        TITLE_MAX_CHARS,
        &t("board-what-title"),
        &t("board-title-missing"),
    )
}

pub fn parse_item_title(input: &str) -> Result<String, String> {
    one_line(
        input,
        ITEM_TITLE_MAX_CHARS,
        &t("board-what-title"),
        &t("board-title-missing"),
    )
}

/// Optional Markdown text (descriptions, notes, recommendations).
pub fn parse_text(input: &str, what: &str) -> Result<String, String> {
    if input.trim().is_empty() {
        return Ok(String::new());
    }
    text_between(input, 1, TEXT_MAX_CHARS, what, "")
}

pub fn parse_minutes(input: &str) -> Result<String, String> {
    text_between(
        input,
        1,
        MINUTES_MAX_CHARS,
        &t("board-what-minutes"),
        &t("board-minutes-empty"),
    )
}

fn one_line(input: &str, max: usize, what: &str, empty: &str) -> Result<String, String> {
    let value = text_between(input, 1, max, what, empty)?;
    if value.contains('\n') {
        return Err(t_args("board-one-line", &[("what", what)]));
    }
    Ok(value)
}

/// A local date and time from an `<input type="datetime-local">` (`2026-12-03T19:00`, seconds
/// optional).
pub fn parse_local(input: &str, what: &str) -> Result<NaiveDateTime, String> {
    let t = input.trim();
    if t.is_empty() {
        return Err(t_args("board-time-missing", &[("what", what)]));
    }
    NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| t_args("board-time-invalid", &[("what", what)]))
}

/// Start and end of a session: the end after the start, and on a sensible scale.
pub fn check_span(starts: NaiveDateTime, ends: NaiveDateTime) -> Result<(), String> {
    if ends <= starts {
        return Err(t("board-end-before-start"));
    }
    if (ends - starts).num_hours() >= MAX_SESSION_HOURS {
        return Err(t_args(
            "board-session-too-long",
            &[("hours", &MAX_SESSION_HOURS.to_string())],
        ));
    }
    Ok(())
}

/// An online meeting link: http(s) only, so no `javascript:` reaches a page.
pub fn parse_online_url(input: &str) -> Result<Option<String>, String> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let lower = t.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || t.chars().any(char::is_whitespace)
        || t.len() > 500
    {
        return Err(crate::i18n::t("board-online-url-invalid"));
    }
    Ok(Some(t.to_owned()))
}

/// The content type of an attachment from its first bytes (never from the name the browser
/// sends): PDF, PNG, JPEG, GIF or WebP.
pub fn sniff_attachment(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Why an upload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadProblem {
    Empty,
    TooLarge,
    NotAllowed,
    Failed,
}

impl UploadProblem {
    pub const ALL: [UploadProblem; 4] = [
        UploadProblem::Empty,
        UploadProblem::TooLarge,
        UploadProblem::NotAllowed,
        UploadProblem::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UploadProblem::Empty => "file_empty",
            UploadProblem::TooLarge => "file_too_large",
            UploadProblem::NotAllowed => "file_type",
            UploadProblem::Failed => "file_failed",
        }
    }

    pub fn parse(code: &str) -> Option<UploadProblem> {
        UploadProblem::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn message(self) -> String {
        match self {
            UploadProblem::Empty => t("board-upload-empty"),
            UploadProblem::TooLarge => t_args(
                "board-upload-too-large",
                &[("mb", &(MAX_FILE_BYTES / (1024 * 1024)).to_string())],
            ),
            UploadProblem::NotAllowed => t("board-upload-type"),
            UploadProblem::Failed => t("board-upload-failed"),
        }
    }
}

/// An attachment's content type, if it may be stored: not empty, not too large, a PDF or an
/// image by its content.
pub fn check_attachment(bytes: &[u8]) -> Result<&'static str, UploadProblem> {
    if bytes.is_empty() {
        return Err(UploadProblem::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(UploadProblem::TooLarge);
    }
    sniff_attachment(bytes).ok_or(UploadProblem::NotAllowed)
}

/// A file name safe for a `Content-Disposition` header and a page: the last path segment,
/// without control characters or quotes, at most 120 characters.
pub fn clean_filename(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.is_empty() || cleaned.chars().all(|c| c == '.') {
        "anlage".to_owned()
    } else {
        cleaned
    }
}

const WEEKDAYS: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];
const MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// "Donnerstag, 3. Dezember 2026"
pub fn day_text(at: NaiveDateTime) -> String {
    use chrono::Datelike;
    format!(
        "{}, {}. {} {}",
        WEEKDAYS[at.weekday().num_days_from_monday() as usize],
        at.day(),
        MONTHS[at.month0() as usize],
        at.year()
    )
}

/// "Donnerstag, 3. Dezember 2026, 19:00–21:00 Uhr" (the end's date too if it is another day).
pub fn when_text(starts: NaiveDateTime, ends: NaiveDateTime) -> String {
    if starts.date() == ends.date() {
        format!(
            "{}, {}–{} Uhr",
            day_text(starts),
            starts.format("%H:%M"),
            ends.format("%H:%M")
        )
    } else {
        format!(
            "{}, {} Uhr – {}, {} Uhr",
            day_text(starts),
            starts.format("%H:%M"),
            day_text(ends),
            ends.format("%H:%M")
        )
    }
}

/// A text function: key and variables in, text out. Pages pass `t_args` (the page's
/// language); emails pass the catalog of the recipient's language.
pub type Texts<'a> = &'a dyn Fn(&str, &[(&str, &str)]) -> String;

/// "Thursday, 3 December 2026": `day_text` in the page's language.
pub fn day_title(at: NaiveDateTime) -> String {
    day_with(&t_args, at)
}

/// `day_title` with the texts of `tr`.
pub fn day_with(tr: Texts<'_>, at: NaiveDateTime) -> String {
    use chrono::Datelike;
    tr(
        "board-day",
        &[
            (
                "weekday",
                &tr(
                    &format!("board-weekday-{}", at.weekday().number_from_monday()),
                    &[],
                ),
            ),
            ("day", &at.day().to_string()),
            ("month", &tr(&format!("board-month-{}", at.month()), &[])),
            ("year", &at.year().to_string()),
        ],
    )
}

/// `when_text` in the page's language.
pub fn when_title(starts: NaiveDateTime, ends: NaiveDateTime) -> String {
    when_with(&t_args, starts, ends)
}

/// `when_title` with the texts of `tr`.
pub fn when_with(tr: Texts<'_>, starts: NaiveDateTime, ends: NaiveDateTime) -> String {
    let from = starts.format("%H:%M").to_string();
    let to = ends.format("%H:%M").to_string();
    if starts.date() == ends.date() {
        tr(
            "board-when-same-day",
            &[("day", &day_with(tr, starts)), ("from", &from), ("to", &to)],
        )
    } else {
        tr(
            "board-when-days",
            &[
                ("day", &day_with(tr, starts)),
                ("from", &from),
                ("end_day", &day_with(tr, ends)),
                ("to", &to),
            ],
        )
    }
}

/// An agenda item as far as numbering is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub id: i64,
    pub parent: Option<i64>,
    pub position: i32,
}

/// The agenda in reading order with its numbers ("1", "2", "2.1" …). Items whose parent is
/// missing count as top-level, so a damaged row never hides an item.
pub fn number(slots: &[Slot]) -> Vec<(i64, String)> {
    let mut top: Vec<&Slot> = slots
        .iter()
        .filter(|s| s.parent.is_none_or(|p| !slots.iter().any(|o| o.id == p)))
        .collect();
    top.sort_by_key(|s| (s.position, s.id));
    let mut out = Vec::with_capacity(slots.len());
    for (i, t) in top.iter().enumerate() {
        out.push((t.id, format!("{}", i + 1)));
        let mut children: Vec<&Slot> = slots.iter().filter(|s| s.parent == Some(t.id)).collect();
        children.sort_by_key(|s| (s.position, s.id));
        for (j, c) in children.iter().enumerate() {
            out.push((c.id, format!("{}.{}", i + 1, j + 1)));
        }
    }
    out
}

/// The new order of siblings after moving `id` one place up (`-1`) or down (`1`): the
/// positions to write, as `(id, position)`. Empty when the item is already at that end.
pub fn move_among(siblings: &[Slot], id: i64, step: i32) -> Vec<(i64, i32)> {
    let mut ordered: Vec<Slot> = siblings.to_vec();
    ordered.sort_by_key(|s| (s.position, s.id));
    let Some(i) = ordered.iter().position(|s| s.id == id) else {
        return Vec::new();
    };
    let j = i as i64 + i64::from(step);
    if j < 0 || j >= ordered.len() as i64 {
        return Vec::new();
    }
    ordered.swap(i, j as usize);
    ordered
        .iter()
        .enumerate()
        .map(|(k, s)| (s.id, k as i32 + 1))
        .collect()
}

/// What the draft of the minutes is made from.
#[derive(Debug, Clone)]
pub struct MinutesSource {
    pub board: String,
    pub title: String,
    /// "Donnerstag, 3. Dezember 2026, 19:00–21:00 Uhr"
    pub when: String,
    pub place: String,
    /// Present members with their roles, and those excused.
    pub present: Vec<String>,
    pub absent: Vec<String>,
    pub quorum: Option<bool>,
    pub items: Vec<MinutesItem>,
}

#[derive(Debug, Clone)]
pub struct MinutesItem {
    pub number: String,
    pub title: String,
    pub public: bool,
    pub notes: String,
    pub recommendation: String,
    pub votes: Option<Votes>,
    pub majority: Option<Majority>,
    pub result: Option<ItemResult>,
}

/// The draft of the minutes in Markdown, from what was recorded. The chair edits it before
/// approving; closed items appear with their title only, as in the public record.
pub fn draft_minutes(s: &MinutesSource) -> String {
    let mut md = format!(
        "**Protokoll: {}**  \n{}  \n{}  \n{}\n\n### Anwesenheit\n\n",
        s.title, s.board, s.when, s.place
    );
    if s.present.is_empty() {
        md.push_str("Anwesend: (nicht erfasst)\n\n");
    } else {
        md.push_str(&format!("Anwesend: {}\n\n", s.present.join(", ")));
    }
    if !s.absent.is_empty() {
        md.push_str(&format!("Entschuldigt: {}\n\n", s.absent.join(", ")));
    }
    md.push_str(match s.quorum {
        Some(true) => "Der Beirat war beschlussfähig.\n\n",
        Some(false) => "Der Beirat war nicht beschlussfähig.\n\n",
        None => "Die Beschlussfähigkeit wurde nicht festgestellt.\n\n",
    });
    md.push_str("### Tagesordnung\n\n");
    for item in &s.items {
        md.push_str(&format!("#### TOP {}: {}\n\n", item.number, item.title));
        if !item.public {
            md.push_str("Nichtöffentlich beraten.\n\n");
            continue;
        }
        if !item.notes.trim().is_empty() {
            md.push_str(item.notes.trim());
            md.push_str("\n\n");
        }
        if !item.recommendation.trim().is_empty() {
            md.push_str("**Empfehlung:**\n\n");
            for line in item.recommendation.trim().lines() {
                md.push_str(&format!("> {line}\n"));
            }
            md.push('\n');
        }
        if let Some(v) = item.votes {
            md.push_str(&format!("Abstimmung: {}", v.text()));
            if let Some(m) = item.majority {
                md.push_str(&format!(" ({})", m.label()));
            }
            md.push_str(".  \n");
        }
        if let Some(r) = item.result {
            md.push_str(&format!("Ergebnis: **{}**\n\n", r.label()));
        } else if item.votes.is_some() {
            md.push('\n');
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_follow_from_counts_rule_and_quorum() {
        let v = |yes, no, abstain| Votes { yes, no, abstain };
        // (votes, rule, voting members, quorum, expected)
        let cases = [
            (v(5, 4, 3), Majority::Simple, 12, true, ItemResult::Adopted),
            (v(4, 4, 3), Majority::Simple, 12, true, ItemResult::Rejected),
            (v(1, 0, 9), Majority::Simple, 12, true, ItemResult::Adopted),
            (v(0, 0, 7), Majority::Simple, 12, true, ItemResult::Rejected),
            (
                v(6, 0, 1),
                Majority::Absolute,
                12,
                true,
                ItemResult::Rejected,
            ),
            (
                v(7, 0, 0),
                Majority::Absolute,
                12,
                true,
                ItemResult::Adopted,
            ),
            (
                v(7, 0, 0),
                Majority::Absolute,
                13,
                true,
                ItemResult::Adopted,
            ),
            (
                v(6, 0, 0),
                Majority::Absolute,
                13,
                true,
                ItemResult::Rejected,
            ),
            (
                v(8, 4, 5),
                Majority::TwoThirds,
                20,
                true,
                ItemResult::Adopted,
            ),
            (
                v(7, 4, 0),
                Majority::TwoThirds,
                20,
                true,
                ItemResult::Rejected,
            ),
            (
                v(0, 0, 5),
                Majority::TwoThirds,
                20,
                true,
                ItemResult::Rejected,
            ),
            (
                v(9, 0, 0),
                Majority::Simple,
                12,
                false,
                ItemResult::Postponed,
            ),
        ];
        for (votes, rule, members, quorum, expected) in cases {
            assert_eq!(
                decide(votes, rule, members, quorum),
                expected,
                "{votes:?} {rule:?} {members} {quorum}"
            );
        }
    }

    #[test]
    fn quorum_is_more_than_half_of_the_voting_members() {
        for (present, members, expected) in [
            (5, 9, true),
            (4, 9, false),
            (5, 10, false),
            (6, 10, true),
            (0, 0, false),
        ] {
            assert_eq!(
                has_quorum(present, members),
                expected,
                "{present}/{members}"
            );
        }
    }

    #[test]
    fn vote_counts_are_whole_numbers_within_those_present() {
        assert_eq!(
            parse_votes("3", "", "1", 5),
            Ok(Votes {
                yes: 3,
                no: 0,
                abstain: 1
            })
        );
        assert_eq!(
            Votes {
                yes: 2,
                no: 0,
                abstain: 1
            }
            .text(),
            "2 Ja, 0 Nein, 1 Enthaltung"
        );
        let err = parse_votes("4", "2", "0", 5).unwrap_err();
        assert_eq!(err[0].0, "votes_yes");
        assert!(err[0].1.contains("nur 5 stimmberechtigte"), "{}", err[0].1);
        // Counts near the integer limit are refused, not wrapped round.
        let err = parse_votes("4294967295", "1", "0", 5).unwrap_err();
        assert!(err[0].1.contains("nur 5 stimmberechtigte"), "{}", err[0].1);
        let err = parse_votes("", "0", "", 5).unwrap_err();
        assert!(err[0].1.contains("Stimmen ein"), "{}", err[0].1);
        let err = parse_votes("3", "-1", "x", 9).unwrap_err();
        assert_eq!(
            err.iter().map(|e| e.0).collect::<Vec<_>>(),
            ["votes_no", "votes_abstain"]
        );
    }

    #[test]
    fn agenda_numbers_follow_positions_and_parents() {
        let s = |id, parent, position| Slot {
            id,
            parent,
            position,
        };
        let slots = [
            s(10, None, 2),
            s(11, None, 1),
            s(12, Some(10), 2),
            s(13, Some(10), 1),
            s(14, Some(99), 5),
        ];
        assert_eq!(
            number(&slots),
            vec![
                (11, "1".to_owned()),
                (10, "2".to_owned()),
                (13, "2.1".to_owned()),
                (12, "2.2".to_owned()),
                (14, "3".to_owned()),
            ]
        );
    }

    #[test]
    fn moving_swaps_with_the_neighbour_and_renumbers() {
        let s = |id, position| Slot {
            id,
            parent: None,
            position,
        };
        let siblings = [s(1, 1), s(2, 2), s(3, 5)];
        assert_eq!(move_among(&siblings, 3, -1), vec![(1, 1), (3, 2), (2, 3)]);
        assert_eq!(move_among(&siblings, 1, 1), vec![(2, 1), (1, 2), (3, 3)]);
        assert!(move_among(&siblings, 1, -1).is_empty());
        assert!(move_among(&siblings, 3, 1).is_empty());
        assert!(move_among(&siblings, 7, 1).is_empty());
    }

    #[test]
    fn session_times_are_checked() {
        let t = |s| parse_local(s, "den Beginn").unwrap();
        assert!(check_span(t("2026-12-03T19:00"), t("2026-12-03T21:00")).is_ok());
        assert!(check_span(t("2026-12-03T19:00"), t("2026-12-03T18:00")).is_err());
        assert!(check_span(t("2026-12-03T19:00"), t("2026-12-03T19:00")).is_err());
        assert!(check_span(t("2026-12-03T19:00"), t("2026-12-05T19:00")).is_err());
        assert!(parse_local("3.12.2026", "den Beginn").is_err());
        assert_eq!(
            parse_local("", "den Beginn").unwrap_err(),
            "Bitte geben Sie den Beginn an."
        );
    }

    #[test]
    fn times_read_as_german_text() {
        let t = |s| parse_local(s, "x").unwrap();
        assert_eq!(
            when_text(t("2026-12-03T19:00"), t("2026-12-03T21:30")),
            "Donnerstag, 3. Dezember 2026, 19:00–21:30 Uhr"
        );
        assert_eq!(
            when_text(t("2026-03-01T22:00"), t("2026-03-02T01:00")),
            "Sonntag, 1. März 2026, 22:00 Uhr – Montag, 2. März 2026, 01:00 Uhr"
        );
    }

    #[test]
    fn the_titles_in_german_are_the_labels() {
        for r in Role::ALL {
            assert_eq!(r.title(), r.label());
        }
        for s in MeetingStatus::ALL {
            assert_eq!(s.title(), s.label());
        }
        for m in Majority::ALL {
            assert_eq!(m.title(), m.label());
            assert_eq!(m.explanation_title(), m.explanation());
        }
        for r in ItemResult::ALL {
            assert_eq!(r.title(), r.label());
        }
        for abstain in [0, 1, 2] {
            let v = Votes {
                yes: 3,
                no: 1,
                abstain,
            };
            assert_eq!(v.title(), v.text());
        }
        let start = parse_local("2026-01-01T19:00", "x").unwrap();
        for d in 0..400 {
            let s = start + chrono::TimeDelta::days(d);
            let same = s + chrono::TimeDelta::hours(2);
            let next = s + chrono::TimeDelta::hours(6);
            assert_eq!(when_title(s, same), when_text(s, same));
            assert_eq!(when_title(s, next), when_text(s, next));
        }
    }

    #[test]
    fn attachments_are_recognised_by_content() {
        assert_eq!(sniff_attachment(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(
            sniff_attachment(b"\x89PNG\r\n\x1a\n\0\0"),
            Some("image/png")
        );
        assert_eq!(
            sniff_attachment(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some("image/jpeg")
        );
        assert_eq!(
            sniff_attachment(b"RIFF\0\0\0\0WEBPVP8 "),
            Some("image/webp")
        );
        assert_eq!(sniff_attachment(b"<html><script>"), None);
        assert_eq!(sniff_attachment(b"PK\x03\x04"), None);
        assert_eq!(
            clean_filename("C:\\Users\\x\\Plan \"neu\".pdf"),
            "Plan neu.pdf"
        );
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename(".."), "anlage");
    }

    #[test]
    fn online_links_must_be_web_addresses() {
        assert_eq!(parse_online_url(""), Ok(None));
        assert_eq!(
            parse_online_url(" https://meet.example/beirat "),
            Ok(Some("https://meet.example/beirat".into()))
        );
        assert!(parse_online_url("javascript:alert(1)").is_err());
        assert!(parse_online_url("https://a b").is_err());
    }

    #[test]
    fn the_draft_minutes_carry_attendance_and_outcomes_but_not_closed_items() {
        let md = draft_minutes(&MinutesSource {
            board: "Entwicklungsbeirat".into(),
            title: "4. Sitzung".into(),
            when: "Donnerstag, 3. Dezember 2026, 19:00–21:00 Uhr".into(),
            place: "Rathaus, Sitzungssaal".into(),
            present: vec!["Anna Schmidt (Vorsitz)".into(), "Peter Meier".into()],
            absent: vec!["Jana Kluge".into()],
            quorum: Some(true),
            items: vec![
                MinutesItem {
                    number: "1".into(),
                    title: "MVZ".into(),
                    public: true,
                    notes: "Aussprache.".into(),
                    recommendation: "Der Beirat empfiehlt ein MVZ.".into(),
                    votes: Some(Votes {
                        yes: 2,
                        no: 0,
                        abstain: 0,
                    }),
                    majority: Some(Majority::Simple),
                    result: Some(ItemResult::Adopted),
                },
                MinutesItem {
                    number: "2".into(),
                    title: "Personalien".into(),
                    public: false,
                    notes: "geheim".into(),
                    recommendation: String::new(),
                    votes: None,
                    majority: None,
                    result: None,
                },
            ],
        });
        assert!(md.contains("Anwesend: Anna Schmidt (Vorsitz), Peter Meier"));
        assert!(md.contains("Entschuldigt: Jana Kluge"));
        assert!(md.contains("Der Beirat war beschlussfähig."));
        assert!(md.contains("> Der Beirat empfiehlt ein MVZ."));
        assert!(md.contains("2 Ja, 0 Nein, 0 Enthaltungen (Einfache Mehrheit)"));
        assert!(md.contains("Ergebnis: **Empfehlung beschlossen**"));
        assert!(md.contains("#### TOP 2: Personalien\n\nNichtöffentlich beraten."));
        // Below the page's own headings (h1 title, h2 "Protokoll"): no h1 or h2 of its own.
        assert!(
            !md.lines()
                .any(|l| l.starts_with("# ") || l.starts_with("## "))
        );
        assert!(!md.contains("geheim"));
    }
}
