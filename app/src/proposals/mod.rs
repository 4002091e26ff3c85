//! Resident proposals: submit, support, follow to the board's answer. Wire types only; the
//! rules are in `domain`, the server functions in `api`, the services in `server::proposals`.

pub mod api;
pub mod domain;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod staff;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use domain::{Sort, Status};

/// An entry of the topic or village list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
    pub active: bool,
}

/// A proposal in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalCard {
    pub id: i64,
    pub title: String,
    /// The first words of the text, plain.
    pub teaser: String,
    pub topic: String,
    pub district: Option<String>,
    pub status: Status,
    pub supports: u64,
    pub comments: u64,
    pub author: String,
    pub created_at: DateTime<Utc>,
    /// Hidden by moderation: the list shows the reason instead of the text.
    pub hidden_reason: Option<String>,
}

/// The filter of the list as given in the address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub topic: Option<i64>,
    pub district: Option<i64>,
    pub status: String,
    pub sort: String,
    /// 1-based.
    pub page: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalList {
    pub items: Vec<ProposalCard>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub sort: Sort,
    pub topics: Vec<Choice>,
    pub districts: Vec<Choice>,
}

/// One step of a proposal's public history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub status: Status,
    /// The official answer, rendered from Markdown and sanitized.
    pub answer_html: Option<String>,
    pub by: Option<String>,
}

/// What the viewer may do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalPermissions {
    pub signed_in: bool,
    pub supported: bool,
    pub can_support: bool,
    pub can_edit: bool,
    /// Statuses the viewer may move the proposal to (staff: the official steps; the author:
    /// withdrawing).
    pub steps: Vec<Status>,
    /// May report the proposal to the moderation.
    pub can_report: bool,
    /// May hide or restore it.
    pub can_moderate: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalDetail {
    pub card: ProposalCard,
    /// The text as the author wrote it (Markdown), for the edit form.
    pub body: String,
    /// The text rendered and sanitized.
    pub body_html: String,
    pub topic_id: i64,
    pub district_id: Option<i64>,
    pub edited: bool,
    pub history: Vec<HistoryEntry>,
    /// Where the proposal stood on a board's public agenda.
    pub agenda: Vec<crate::boards::AgendaMention>,
    pub permissions: ProposalPermissions,
    pub topics: Vec<Choice>,
    pub districts: Vec<Choice>,
}

/// The choices the submit form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormChoices {
    pub topics: Vec<Choice>,
    pub districts: Vec<Choice>,
}

/// Proposals of one topic by status (the staff report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicRow {
    pub topic: String,
    /// Every status, in `Status::ALL` order.
    pub counts: Vec<(Status, u64)>,
}

impl TopicRow {
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }
}
