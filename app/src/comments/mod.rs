//! Comment threads on proposals and petitions (board sessions follow with the boards), their
//! moderation, and following a subject by email. Wire types here; the rules in `domain`, the
//! server functions in `api`, the thread component in `thread`, the moderation queue in
//! `moderation`, the services in `server::comments` and `server::notify`.

pub mod api;
pub mod domain;
pub mod moderation;
#[cfg(feature = "ssr")]
pub mod server;
pub mod thread;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use domain::{Order, SubjectKind, Target};

/// One comment as the viewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    pub depth: u8,
    pub author: String,
    /// Whom a reply on the third level answers.
    pub reply_to: Option<String>,
    pub created_at: DateTime<Utc>,
    pub edited: bool,
    pub deleted: bool,
    /// Hidden by moderation, with the public reason.
    pub hidden_reason: Option<String>,
    /// Rendered and sanitized; empty when deleted or hidden.
    pub body_html: String,
    /// The Markdown, only for its author's edit form.
    pub body: Option<String>,
    pub likes: u64,
    pub liked: bool,
    pub can_reply: bool,
    pub can_edit: bool,
    pub can_like: bool,
    pub can_report: bool,
    pub can_moderate: bool,
}

/// A top-level comment with its replies in reading order (each with its depth).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadRoot {
    pub comment: CommentView,
    /// The replies on this page (`REPLIES_PER_PAGE` at most).
    pub replies: Vec<CommentView>,
    pub replies_total: u64,
    /// 1-based page of the replies shown.
    pub replies_page: u64,
    pub replies_pages: u64,
}

/// What the viewer may do with the thread as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadViewer {
    pub signed_in: bool,
    pub blocked: bool,
    pub can_post: bool,
    pub following: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    pub kind: SubjectKind,
    pub subject_id: i64,
    /// Where the subject lives (`/proposals/7`), for links and redirects.
    pub path: String,
    /// Comments in the thread, deleted and hidden ones included (they keep their place).
    pub total: u64,
    pub order: Order,
    pub page: u64,
    pub pages: u64,
    /// Showing one discussion (this top-level comment) with its replies paged.
    pub focus: Option<i64>,
    pub roots: Vec<ThreadRoot>,
    pub viewer: ThreadViewer,
    /// New comments are closed (e.g. the subject is hidden).
    pub closed: Option<String>,
}

/// An earlier text of a comment, for moderators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    pub body: String,
    pub replaced_at: DateTime<Utc>,
}

/// A report of a resident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A comment or proposal in the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub target: Target,
    pub id: i64,
    /// What it is about: "Kommentar zum Vorschlag „…“".
    pub context: String,
    pub link: String,
    /// The text as written (moderators see hidden text).
    pub text: String,
    pub author: String,
    pub author_id: Option<i64>,
    pub author_blocked: bool,
    pub created_at: DateTime<Utc>,
    pub hidden_reason: Option<String>,
    pub reports: Vec<ReportLine>,
    pub versions: Vec<Version>,
}

/// A blocked account, for lifting the block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedAccount {
    pub id: i64,
    pub name: String,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationQueue {
    /// Items with open reports, most reported first.
    pub open: Vec<QueueItem>,
    /// Hidden items, newest first (to restore).
    pub hidden: Vec<QueueItem>,
    pub blocked: Vec<BlockedAccount>,
}

/// What the unsubscribe page reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unsubscribed {
    /// The subject's title, or `None` when the link ended all notifications.
    pub title: Option<String>,
    pub link: Option<String>,
}
