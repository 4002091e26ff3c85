//! Comment threads as data: what a comment hangs off, how deep replies go, the orders, the
//! limits on text and on posting, and the texts moderators and reporters give. Pure, with
//! table tests.

use serde::{Deserialize, Serialize};

use crate::proposals::domain::text_between;

pub const BODY_MAX_CHARS: usize = 5_000;
pub const REASON_MIN_CHARS: usize = 5;
pub const REASON_MAX_CHARS: usize = 500;
/// Three levels: 0 (a comment), 1 (a reply), 2 (a reply to a reply). Replies to the third
/// level attach beside the comment they answer, so threads never scroll off a phone screen.
pub const MAX_DEPTH: i16 = 2;
/// Top-level comments per page; their replies come along.
pub const ROOTS_PER_PAGE: u64 = 20;
/// Replies shown with a top-level comment; more are a page of their own ("alle Antworten").
pub const REPLIES_PER_PAGE: u64 = 50;
/// Posting limit per account: this many comments and proposals …
pub const POSTS_PER_WINDOW: u64 = 10;
/// … within this many minutes.
pub const POST_WINDOW_MINUTES: i64 = 10;

/// What a thread hangs off, or what someone follows: proposals, petitions and board sessions
/// carry threads; a board is only followed (news of its sessions and minutes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Proposal,
    Petition,
    Board,
    Meeting,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 4] = [
        SubjectKind::Proposal,
        SubjectKind::Petition,
        SubjectKind::Board,
        SubjectKind::Meeting,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SubjectKind::Proposal => "proposal",
            SubjectKind::Petition => "petition",
            SubjectKind::Board => "board",
            SubjectKind::Meeting => "session",
        }
    }

    /// Whether comments can hang off it.
    pub fn has_thread(self) -> bool {
        self != SubjectKind::Board
    }

    pub fn parse(code: &str) -> Option<SubjectKind> {
        SubjectKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// "zum Vorschlag „…“" etc.: how emails and the queue name the subject.
    pub fn label(self) -> &'static str {
        match self {
            SubjectKind::Proposal => "Vorschlag",
            SubjectKind::Petition => "Bürgerbegehren/Petition",
            SubjectKind::Board => "Beirat",
            SubjectKind::Meeting => "Sitzung",
        }
    }

    /// The label in the page's language (`label` stays German for emails).
    pub fn title(self) -> String {
        crate::i18n::t(&self.title_key())
    }

    /// The key of the label's text, for emails in the recipient's language.
    pub fn title_key(self) -> String {
        format!("comment-subject-{}", self.code())
    }
}

/// Where a new reply goes: `(parent_id, depth)` for a reply to `target` at `target_depth`
/// whose own parent is `target_parent`.
pub fn place_reply(target: i64, target_depth: i16, target_parent: Option<i64>) -> (i64, i16) {
    if target_depth >= MAX_DEPTH {
        // Beside the comment it answers, on the third level.
        (target_parent.unwrap_or(target), MAX_DEPTH)
    } else {
        (target, target_depth + 1)
    }
}

/// The order of top-level comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    Newest,
    Oldest,
    MostLiked,
}

impl Order {
    pub const ALL: [Order; 3] = [Order::Newest, Order::Oldest, Order::MostLiked];

    pub fn code(self) -> &'static str {
        match self {
            Order::Newest => "newest",
            Order::Oldest => "oldest",
            Order::MostLiked => "most_liked",
        }
    }

    /// Unknown or empty: newest first.
    pub fn parse(code: &str) -> Order {
        Order::ALL
            .into_iter()
            .find(|o| o.code() == code)
            .unwrap_or(Order::Newest)
    }

    pub fn label(self) -> &'static str {
        match self {
            Order::Newest => "neueste zuerst",
            Order::Oldest => "älteste zuerst",
            Order::MostLiked => "beliebteste zuerst",
        }
    }

    /// The label in the page's language.
    pub fn title(self) -> String {
        crate::i18n::t(&format!("comment-order-{}", self.code().replace('_', "-")))
    }
}

/// A comment's text (Markdown, sanitized when rendered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentBody(String);

impl CommentBody {
    pub fn parse(input: &str) -> Result<CommentBody, String> {
        text_between(
            input,
            1,
            BODY_MAX_CHARS,
            &crate::i18n::t("comment-error-the-comment"),
            &crate::i18n::t("comment-error-comment-empty"),
        )
        .map(CommentBody)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why someone reports content, or why a moderator hides it (shown publicly).
pub fn parse_reason(input: &str, empty: &str) -> Result<String, String> {
    let value = text_between(
        input,
        REASON_MIN_CHARS,
        REASON_MAX_CHARS,
        &crate::i18n::t("comment-error-the-reason"),
        empty,
    )?;
    Ok(value.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Whether an account that posted `recent` times within the window may post again.
pub fn may_post(recent: u64) -> Result<(), String> {
    if recent >= POSTS_PER_WINDOW {
        Err(crate::i18n::t_args(
            "comment-error-too-many-posts",
            &[
                ("minutes", &POST_WINDOW_MINUTES.to_string()),
                ("n", &recent.to_string()),
            ],
        ))
    } else {
        Ok(())
    }
}

/// What can be reported and moderated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Comment,
    Proposal,
}

impl Target {
    pub fn code(self) -> &'static str {
        match self {
            Target::Comment => "comment",
            Target::Proposal => "proposal",
        }
    }

    pub fn parse(code: &str) -> Option<Target> {
        match code {
            "comment" => Some(Target::Comment),
            "proposal" => Some(Target::Proposal),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Target::Comment => "Kommentar",
            Target::Proposal => "Vorschlag",
        }
    }

    /// "Der Kommentar", "Der Vorschlag": the start of a message about it.
    pub fn with_article(self) -> String {
        format!("Der {}", self.label())
    }

    /// "Der Kommentar", "Der Vorschlag" in the page's language.
    pub fn with_article_title(self) -> String {
        crate::i18n::t(&format!("comment-target-the-{}", self.code()))
    }
}

/// What a moderator does with reported or hidden content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Hide with a public reason; open reports are settled.
    Hide,
    /// Show again.
    Restore,
    /// The reports were unfounded; the content stays.
    Dismiss,
}

impl Decision {
    pub fn parse(code: &str) -> Option<Decision> {
        match code {
            "hide" => Some(Decision::Hide),
            "restore" => Some(Decision::Restore),
            "dismiss" => Some(Decision::Dismiss),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Decision::Hide => "hide",
            Decision::Restore => "restore",
            Decision::Dismiss => "dismiss",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_go_at_most_three_levels_deep() {
        // (target, depth, parent) -> (parent, depth)
        let table = [
            ((1, 0, None), (1, 1)),
            ((2, 1, Some(1)), (2, 2)),
            // A reply to the third level sits beside it, under the same parent.
            ((3, 2, Some(2)), (2, 2)),
            ((9, 2, Some(7)), (7, 2)),
        ];
        for ((target, depth, parent), expected) in table {
            assert_eq!(
                place_reply(target, depth, parent),
                expected,
                "{target}/{depth}"
            );
        }
    }

    #[test]
    fn comment_bodies_are_checked_with_german_messages() {
        let table: [(&str, Result<&str, &str>); 5] = [
            ("  Gute Idee!  ", Ok("Gute Idee!")),
            ("", Err("Bitte schreiben Sie einen Kommentar.")),
            ("   \r\n ", Err("Bitte schreiben Sie einen Kommentar.")),
            (
                "a\u{7}b",
                Err("Der Kommentar enthält unzulässige Steuerzeichen."),
            ),
            ("x\r\ny", Ok("x\ny")),
        ];
        for (input, expected) in table {
            let got = CommentBody::parse(input);
            match expected {
                Ok(v) => assert_eq!(got.unwrap().as_str(), v),
                Err(m) => assert_eq!(got.unwrap_err(), m),
            }
        }
        let long = "ä".repeat(BODY_MAX_CHARS + 1);
        assert_eq!(
            CommentBody::parse(&long).unwrap_err(),
            "Der Kommentar ist zu lang: höchstens 5000 Zeichen, es sind 5001."
        );
        assert!(CommentBody::parse(&"ä".repeat(BODY_MAX_CHARS)).is_ok());
    }

    #[test]
    fn reasons_are_one_line_and_not_too_short() {
        assert_eq!(
            parse_reason("  Beleidigung\n gegen  Dritte ", "leer").unwrap(),
            "Beleidigung gegen Dritte"
        );
        assert_eq!(parse_reason("", "leer").unwrap_err(), "leer");
        assert!(
            parse_reason("doof", "leer")
                .unwrap_err()
                .contains("zu kurz")
        );
    }

    #[test]
    fn posting_is_limited_per_window() {
        assert!(may_post(0).is_ok());
        assert!(may_post(POSTS_PER_WINDOW - 1).is_ok());
        assert!(
            may_post(POSTS_PER_WINDOW)
                .unwrap_err()
                .contains("Bitte warten Sie")
        );
    }

    #[test]
    fn codes_round_trip() {
        for k in SubjectKind::ALL {
            assert_eq!(SubjectKind::parse(k.code()), Some(k));
        }
        for o in Order::ALL {
            assert_eq!(Order::parse(o.code()), o);
        }
        assert_eq!(Order::parse("bogus"), Order::Newest);
        assert_eq!(SubjectKind::parse("meeting"), None);
        // A board is followed, but carries no thread.
        assert!(!SubjectKind::Board.has_thread());
        assert!(SubjectKind::Meeting.has_thread());
        for t in [Target::Comment, Target::Proposal] {
            assert_eq!(Target::parse(t.code()), Some(t));
        }
        for d in [Decision::Hide, Decision::Restore, Decision::Dismiss] {
            assert_eq!(Decision::parse(d.code()), Some(d));
        }
    }
}
