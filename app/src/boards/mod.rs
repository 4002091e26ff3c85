//! Advisory boards: boards and members, sessions with their agenda, invitations, attendance,
//! votes and minutes. Wire types only; the rules are in `domain`, the server functions in
//! `api`, the services in `server::boards` and `server::meetings`.
//!
//! Times travel as local wall-clock times of the municipality (Europe/Berlin), converted on
//! the server, so the browser bundle carries no time-zone data.

pub mod api;
pub mod domain;
pub mod manage;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use domain::{ItemResult, Majority, MeetingStatus, Role, Votes};

/// A session in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingCard {
    pub id: i64,
    pub board_id: i64,
    pub board: String,
    pub title: String,
    /// Local time (Europe/Berlin).
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    /// Address and room, or "online".
    pub place: String,
    pub status: MeetingStatus,
    pub public: bool,
    pub cancel_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardCard {
    pub id: i64,
    pub name: String,
    pub teaser: String,
    pub members: u64,
    pub next_session: Option<MeetingCard>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardList {
    pub boards: Vec<BoardCard>,
    /// Staff may create boards.
    pub can_create: bool,
}

/// A member as the viewer may see them: the name only with the member's consent, unless the
/// viewer manages the board or sits on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub term_from: NaiveDate,
    pub term_to: Option<NaiveDate>,
    pub public_name: bool,
    /// Only for those who manage the board.
    pub email: Option<String>,
    /// The term covers today.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardDetail {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub description_html: String,
    pub contact: String,
    pub contact_html: String,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
    pub members: Vec<MemberView>,
    /// Current members not named in public.
    pub unnamed_members: u64,
    pub voting_members: u64,
    pub upcoming: Vec<MeetingCard>,
    pub past: Vec<MeetingCard>,
    /// The viewer's own memberships of this board.
    pub own_member_ids: Vec<i64>,
    pub signed_in: bool,
    pub following: bool,
    pub can_manage: bool,
    pub is_staff: bool,
}

/// The sessions of all boards: every upcoming one, and one page of the past ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingList {
    pub upcoming: Vec<MeetingCard>,
    pub past: Vec<MeetingCard>,
    /// The page of past sessions shown (from 1), and how many there are.
    pub page: u64,
    pub pages: u64,
    pub past_total: u64,
}

/// What an agenda item points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemLink {
    /// "Vorschlag" or "Bürgerbegehren/Petition".
    pub kind: String,
    pub title: String,
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: i64,
    pub number: String,
    pub parent_id: Option<i64>,
    pub title: String,
    pub public: bool,
    /// False for a closed item the viewer may not see: then only the title is filled.
    pub visible: bool,
    pub description_html: String,
    pub notes_html: String,
    pub recommendation_html: String,
    pub link: Option<ItemLink>,
    pub votes: Option<Votes>,
    pub majority: Option<Majority>,
    pub result: Option<ItemResult>,
    pub files: Vec<FileView>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingViewer {
    pub signed_in: bool,
    /// The viewer's membership, if they sit on the board now.
    pub member_id: Option<i64>,
    /// Their answer to the invitation: "attending" or "absent".
    pub response: Option<String>,
    pub can_manage: bool,
    /// Members and staff see closed items.
    pub sees_closed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDetail {
    pub card: MeetingCard,
    pub address: String,
    pub room: String,
    pub online_url: Option<String>,
    pub items: Vec<ItemView>,
    pub quorum: Option<bool>,
    /// Voting members present, if attendance was recorded.
    pub present_voting: Option<u64>,
    pub voting_members: u64,
    /// Published minutes, rendered and sanitized.
    pub minutes_html: Option<String>,
    pub viewer: MeetingViewer,
}

/// One member's line in the attendance form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRow {
    pub member_id: i64,
    pub name: String,
    pub role: Role,
    pub response: Option<String>,
    pub present: Option<bool>,
}

/// An agenda item's fields as the chair's forms edit them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemEdit {
    pub id: i64,
    pub number: String,
    pub parent_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub public: bool,
    pub proposal_id: Option<i64>,
    pub petition_id: Option<i64>,
    pub notes: String,
    pub recommendation: String,
    pub votes: Option<Votes>,
    pub majority: Option<Majority>,
    pub result: Option<ItemResult>,
    pub files: Vec<FileView>,
}

/// Something an agenda item can point to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkChoice {
    pub id: i64,
    pub title: String,
}

/// The chair's view of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingManage {
    pub card: MeetingCard,
    /// `datetime-local` values.
    pub starts_input: String,
    pub ends_input: String,
    pub address: String,
    pub room: String,
    pub online_url: String,
    pub items: Vec<ItemEdit>,
    pub attendance: Vec<AttendanceRow>,
    pub voting_members: u64,
    pub present_voting: u64,
    pub quorum: Option<bool>,
    /// The saved minutes, or a draft made from the session when none are saved.
    pub minutes: String,
    pub minutes_saved: bool,
    pub minutes_approved: bool,
    pub proposals: Vec<LinkChoice>,
    pub petitions: Vec<LinkChoice>,
}

/// The chair's and staff's view of a board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardManage {
    pub board: BoardDetail,
}

/// Where a proposal or petition was on the agenda (shown on its page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaMention {
    pub session_id: i64,
    pub session_title: String,
    pub board: String,
    pub starts: NaiveDateTime,
    pub number: String,
    pub result: Option<ItemResult>,
}

/// One board in the staff report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardReportRow {
    pub board: String,
    /// Sessions that took place (held or with published minutes).
    pub held: u64,
    pub cancelled: u64,
    /// Voting members present over voting members, summed over the sessions held with
    /// recorded attendance; `None` without any.
    pub attendance_percent: Option<u64>,
    pub adopted: u64,
    pub rejected: u64,
    pub postponed: u64,
}

impl BoardReportRow {
    pub const CSV_HEADER: [&'static str; 7] = [
        "gremium",
        "sitzungen_durchgefuehrt",
        "sitzungen_abgesagt",
        "anwesenheit_prozent",
        "empfehlungen_beschlossen",
        "empfehlungen_abgelehnt",
        "vertagt",
    ];
}
