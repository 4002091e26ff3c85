//! Proposals as data: the status a proposal can be in, who may move it where, and its inputs
//! parsed with German messages for the field that caused them. Pure, with table tests.

use serde::{Deserialize, Serialize};

pub const TITLE_MIN_CHARS: usize = 8;
pub const TITLE_MAX_CHARS: usize = 150;
pub const BODY_MIN_CHARS: usize = 30;
pub const BODY_MAX_CHARS: usize = 10_000;
pub const ANSWER_MAX_CHARS: usize = 10_000;

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Submitted,
    UnderReview,
    /// On the agenda of a board session.
    OnAgenda,
    Recommended,
    NotRecommended,
    Implemented,
    /// Taken back by its author.
    Withdrawn,
}

/// Who moves a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Author,
    /// Staff or the chair of a board.
    Official,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Submitted,
        Status::UnderReview,
        Status::OnAgenda,
        Status::Recommended,
        Status::NotRecommended,
        Status::Implemented,
        Status::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::UnderReview => "under_review",
            Status::OnAgenda => "on_agenda",
            Status::Recommended => "recommended",
            Status::NotRecommended => "not_recommended",
            Status::Implemented => "implemented",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Submitted => "eingereicht",
            Status::UnderReview => "in Prüfung",
            Status::OnAgenda => "auf der Tagesordnung",
            Status::Recommended => "vom Beirat empfohlen",
            Status::NotRecommended => "vom Beirat nicht empfohlen",
            Status::Implemented => "umgesetzt",
            Status::Withdrawn => "zurückgezogen",
        }
    }

    /// The label in the page's language (`label` stays German for exports and emails).
    pub fn title(self) -> String {
        crate::i18n::t(&self.title_key())
    }

    /// The key of the status's text, for emails in the recipient's language.
    pub fn title_key(self) -> String {
        format!("proposal-status-{}", self.code().replace('_', "-"))
    }

    /// The statuses `actor` may move a proposal in this status to. Officials answer every
    /// step publicly; an author can only withdraw, and only before the board has decided.
    pub fn next(self, actor: Actor) -> &'static [Status] {
        use Status::*;
        match (actor, self) {
            (Actor::Author, Submitted | UnderReview | OnAgenda) => &[Withdrawn],
            (Actor::Author, _) => &[],
            (Actor::Official, Submitted) => &[UnderReview, OnAgenda, NotRecommended],
            (Actor::Official, UnderReview) => &[OnAgenda, Recommended, NotRecommended],
            (Actor::Official, OnAgenda) => &[Recommended, NotRecommended, UnderReview],
            (Actor::Official, Recommended) => &[Implemented],
            (Actor::Official, NotRecommended | Implemented | Withdrawn) => &[],
        }
    }

    pub fn can_move(self, to: Status, actor: Actor) -> bool {
        self.next(actor).contains(&to)
    }

    /// Whether the author may still edit the text: only until the first status change.
    pub fn editable(self) -> bool {
        self == Status::Submitted
    }

    /// Whether the proposal still collects support.
    pub fn open(self) -> bool {
        matches!(
            self,
            Status::Submitted | Status::UnderReview | Status::OnAgenda
        )
    }
}

pub(crate) fn text_between(
    input: &str,
    min: usize,
    max: usize,
    what: &str,
    empty: &str,
) -> Result<String, String> {
    // Line endings as browsers send them differ; trailing blanks carry nothing.
    let value = input.replace("\r\n", "\n").trim().to_owned();
    let n = value.chars().count();
    if n == 0 {
        return Err(empty.to_owned());
    }
    if n < min {
        return Err(crate::i18n::t_args(
            "proposal-text-too-short",
            &[("what", what), ("min", &min.to_string())],
        ));
    }
    if n > max {
        return Err(crate::i18n::t_args(
            "proposal-text-too-long",
            &[
                ("what", what),
                ("max", &max.to_string()),
                ("n", &n.to_string()),
            ],
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(crate::i18n::t_args(
            "proposal-text-control-chars",
            &[("what", what)],
        ));
    }
    Ok(value)
}

/// A proposal's title: one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Title(String);

impl Title {
    pub fn parse(input: &str) -> Result<Title, String> {
        let value = text_between(
            input,
            TITLE_MIN_CHARS,
            TITLE_MAX_CHARS,
            &crate::i18n::t("proposal-error-the-title"),
            &crate::i18n::t("proposal-error-title-empty"),
        )?;
        if value.contains('\n') {
            return Err(crate::i18n::t("proposal-error-title-one-line"));
        }
        Ok(Title(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A proposal's text (Markdown, sanitized when rendered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body(String);

impl Body {
    pub fn parse(input: &str) -> Result<Body, String> {
        text_between(
            input,
            BODY_MIN_CHARS,
            BODY_MAX_CHARS,
            &crate::i18n::t("proposal-error-the-text"),
            &crate::i18n::t("proposal-error-text-empty"),
        )
        .map(Body)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The official answer that goes with every status change.
pub fn parse_answer(input: &str) -> Result<String, String> {
    text_between(
        input,
        10,
        ANSWER_MAX_CHARS,
        &crate::i18n::t("proposal-error-the-answer"),
        &crate::i18n::t("proposal-error-answer-empty"),
    )
}

/// How lists are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Newest,
    MostSupported,
    MostDiscussed,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Newest, Sort::MostSupported, Sort::MostDiscussed];

    pub fn code(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::MostSupported => "most_supported",
            Sort::MostDiscussed => "most_discussed",
        }
    }

    pub fn parse(code: &str) -> Sort {
        Sort::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .unwrap_or_default()
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Newest => "neueste zuerst",
            Sort::MostSupported => "meiste Unterstützung",
            Sort::MostDiscussed => "meistdiskutiert",
        }
    }

    /// The label in the page's language.
    pub fn title(self) -> String {
        crate::i18n::t(&format!("proposal-sort-{}", self.code().replace('_', "-")))
    }
}

/// Words of a search, lower-cased, at most eight, each at least two characters.
pub fn search_terms(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.chars().count() >= 2)
        .take(8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_moves_a_proposal_where() {
        use Status::*;
        let cases = [
            (Submitted, UnderReview, Actor::Official, true),
            (Submitted, Withdrawn, Actor::Author, true),
            (Submitted, Withdrawn, Actor::Official, false),
            (Submitted, Recommended, Actor::Official, false),
            (UnderReview, OnAgenda, Actor::Official, true),
            (OnAgenda, Recommended, Actor::Official, true),
            (OnAgenda, Withdrawn, Actor::Author, true),
            (Recommended, Withdrawn, Actor::Author, false),
            (Recommended, Implemented, Actor::Official, true),
            (NotRecommended, Implemented, Actor::Official, false),
            (Implemented, Submitted, Actor::Official, false),
            (Withdrawn, Submitted, Actor::Author, false),
        ];
        for (from, to, actor, allowed) in cases {
            assert_eq!(
                from.can_move(to, actor),
                allowed,
                "{from:?} → {to:?} by {actor:?}"
            );
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
            assert!(!s.next(Actor::Official).contains(&s), "no step to itself");
        }
        assert!(Submitted.editable() && !UnderReview.editable());
    }

    #[test]
    fn titles_and_texts_are_parsed_with_german_messages() {
        assert_eq!(
            Title::parse("  Bürgerbus nach Lemgo ").unwrap().as_str(),
            "Bürgerbus nach Lemgo"
        );
        for (input, message) in [
            ("", "Bitte geben Sie Ihrem Vorschlag einen Titel."),
            ("Bus", "Der Titel ist zu kurz: mindestens 8 Zeichen."),
            (
                "Bürgerbus\nnach Lemgo",
                "Der Titel muss in eine Zeile passen.",
            ),
        ] {
            assert_eq!(Title::parse(input).unwrap_err(), message, "{input:?}");
        }
        let long = "x".repeat(TITLE_MAX_CHARS + 1);
        assert!(
            Title::parse(&long)
                .unwrap_err()
                .contains("höchstens 150 Zeichen, es sind 151")
        );
        assert_eq!(
            Body::parse("Ein Kinderarzt im MVZ,\r\ndamit Familien nicht nach Lemgo fahren müssen.")
                .unwrap()
                .as_str(),
            "Ein Kinderarzt im MVZ,\ndamit Familien nicht nach Lemgo fahren müssen."
        );
        assert!(Body::parse("kurz").unwrap_err().contains("zu kurz"));
        assert!(
            Body::parse(&"ä".repeat(BODY_MAX_CHARS + 1))
                .unwrap_err()
                .contains("zu lang")
        );
        assert!(
            Body::parse(&format!("{}\u{0}", "a".repeat(40)))
                .unwrap_err()
                .contains("Steuerzeichen")
        );
    }

    #[test]
    fn search_takes_words_not_punctuation() {
        assert_eq!(search_terms("  Bus, Lemgo! a  "), vec!["bus", "lemgo"]);
        assert_eq!(search_terms("\"Kinderarzt\""), vec!["kinderarzt"]);
        assert!(search_terms("").is_empty());
        assert_eq!(search_terms(&"ab ".repeat(20)).len(), 8);
    }

    #[test]
    fn sorting_falls_back_to_newest() {
        assert_eq!(Sort::parse("most_supported"), Sort::MostSupported);
        assert_eq!(Sort::parse("bogus"), Sort::Newest);
    }
}
