//! What initiators write when they start a petition, and what staff enter at each step,
//! parsed into small types with German messages at the field that is wrong. Pure: the rule
//! set and today's date come in as arguments.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::lifecycle::Step;
use super::parse_date;
use super::rules::{CouncilDecision, DeadlineError, RuleSet, german_date_text};
use crate::error::{AppError, FieldErrors};
use crate::i18n::{t, t_args};

pub const TITLE_MAX_CHARS: usize = 200;
// Question, justification and cost estimate must fit on every signature list (tested in
// `server::pdf`): real justifications are a few paragraphs.
pub const QUESTION_MAX_CHARS: usize = 500;
pub const JUSTIFICATION_MAX_CHARS: usize = 3_000;
pub const COST_ESTIMATE_MAX_CHARS: usize = 1_500;
pub const NOTE_MAX_CHARS: usize = 5_000;
pub const REPRESENTATIVE_NAME_MAX_CHARS: usize = 200;
pub const REPRESENTATIVE_ADDRESS_MAX_CHARS: usize = 300;

/// A petition asks the citizens to decide a new matter, or to reverse a council decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Initiating,
    Cassatory,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Initiating => "initiating",
            Kind::Cassatory => "cassatory",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        match code {
            "initiating" => Some(Kind::Initiating),
            "cassatory" => Some(Kind::Cassatory),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Initiating => "Initiierendes Bürgerbegehren",
            Kind::Cassatory => "Kassatorisches Bürgerbegehren (gegen einen Ratsbeschluss)",
        }
    }

    /// The label in the page's language (`label` stays German for the legal documents).
    pub fn title(self) -> String {
        crate::i18n::t(&format!("petition-kind-{}", self.as_str()))
    }
}

/// One representative as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepresentativeInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub email: String,
}

impl RepresentativeInput {
    fn is_blank(&self) -> bool {
        self.name.trim().is_empty()
            && self.address.trim().is_empty()
            && self.email.trim().is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    pub name: String,
    pub address: String,
    pub email: Option<String>,
}

/// The draft form as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftInput {
    pub title: String,
    pub question: String,
    pub justification: String,
    pub kind: String,
    pub council_meeting_on: String,
    pub council_published_on: String,
    pub end_date: String,
    pub representatives: Vec<RepresentativeInput>,
}

/// A parsed draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub question: String,
    pub justification: String,
    pub kind: Kind,
    pub council_decision: Option<CouncilDecision>,
    pub end_date: Option<NaiveDate>,
    pub representatives: Vec<Representative>,
    /// The legal deadline of a cassatory petition as it stands today (before any pause).
    pub deadline: Option<NaiveDate>,
}

/// The field name of a representative's part, as the form names it.
pub fn representative_field(index: usize, part: &str) -> String {
    format!("representatives[{index}][{part}]")
}

/// `field` names the messages: `petition-draft-{field}-missing` and `-too-long`.
fn text(input: &str, max: usize, field: &str) -> Result<String, String> {
    let value = input.trim().replace("\r\n", "\n");
    if value.is_empty() {
        return Err(t(&format!("petition-draft-{field}-missing")));
    }
    if value.chars().count() > max {
        return Err(t_args(
            &format!("petition-draft-{field}-too-long"),
            &[("max", &max.to_string())],
        ));
    }
    Ok(value)
}

fn one_line(input: &str, max: usize, field: &str) -> Result<String, String> {
    text(input, max, field).map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `field` names the message: `petition-draft-{field}-date`.
fn optional_date(input: &str, field: &str) -> Result<Option<NaiveDate>, String> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    parse_date(input)
        .map(Some)
        .ok_or_else(|| t(&format!("petition-draft-{field}-date")))
}

impl Draft {
    /// Parses the form against the rule set in force. A cassatory petition whose deadline has
    /// already passed is refused here, at the field of the council decision.
    pub fn parse(input: &DraftInput, rules: &RuleSet, today: NaiveDate) -> Result<Draft, AppError> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", one_line(&input.title, TITLE_MAX_CHARS, "title"));
        let question = errors.check(
            "question",
            one_line(&input.question, QUESTION_MAX_CHARS, "question").and_then(|q| {
                if q.ends_with('?') {
                    Ok(q)
                } else {
                    Err(t("petition-draft-question-mark"))
                }
            }),
        );
        let justification = errors.check(
            "justification",
            text(
                &input.justification,
                JUSTIFICATION_MAX_CHARS,
                "justification",
            ),
        );
        let kind = errors.check(
            "kind",
            Kind::parse(input.kind.trim()).ok_or_else(|| t("petition-draft-kind-missing")),
        );
        let meeting = errors
            .check(
                "council_meeting_on",
                optional_date(&input.council_meeting_on, "council-meeting-on"),
            )
            .flatten();
        let published = errors
            .check(
                "council_published_on",
                optional_date(&input.council_published_on, "council-published-on"),
            )
            .flatten();
        let end_date = errors
            .check("end_date", optional_date(&input.end_date, "end-date"))
            .flatten();
        if end_date.is_some_and(|d| d <= today) {
            errors.add("end_date", t("petition-draft-end-date-past"));
        }

        let (council_decision, deadline) = if kind == Some(Kind::Cassatory) {
            cassatory(input, meeting, published, rules, today, &mut errors)
        } else {
            (None, None)
        };
        let representatives = representatives(input, rules, &mut errors);
        errors.into_result()?;
        match (title, question, justification, kind) {
            (Some(title), Some(question), Some(justification), Some(kind)) => Ok(Draft {
                title,
                question,
                justification,
                kind,
                council_decision,
                end_date,
                representatives,
                deadline,
            }),
            _ => Err(AppError::Internal),
        }
    }
}

/// The council decision a cassatory petition is against, and its deadline: the meeting
/// day is required, the publication cannot precede it, and the deadline must not have
/// passed.
fn cassatory(
    input: &DraftInput,
    meeting: Option<NaiveDate>,
    published: Option<NaiveDate>,
    rules: &RuleSet,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> (Option<CouncilDecision>, Option<NaiveDate>) {
    let mut council_decision = None;
    let mut deadline = None;
    match meeting {
        None if input.council_meeting_on.trim().is_empty() => errors.add(
            "council_meeting_on",
            t("petition-draft-council-meeting-on-missing"),
        ),
        None => {}
        Some(day) if day > today => errors.add(
            "council_meeting_on",
            t("petition-draft-council-meeting-on-future"),
        ),
        Some(day) => {
            if published.is_some_and(|p| p < day) {
                errors.add(
                    "council_published_on",
                    t("petition-draft-council-published-on-before"),
                );
            } else if published.is_some_and(|p| p > today) {
                errors.add(
                    "council_published_on",
                    t("petition-draft-council-published-on-future"),
                );
            } else {
                let decision = CouncilDecision {
                    meeting_day: day,
                    published_on: published,
                };
                match rules.cassatory_deadline(decision, None) {
                    Ok(last) if last < today => errors.add(
                        "council_meeting_on",
                        t_args(
                            "petition-draft-deadline-passed",
                            &[("date", &german_date_text(last))],
                        ),
                    ),
                    Ok(last) => deadline = Some(last),
                    Err(DeadlineError::NotYetPublished) => errors.add(
                        "council_published_on",
                        t("petition-draft-council-published-on-required"),
                    ),
                    Err(DeadlineError::NoDeadline) => {}
                }
                council_decision = Some(decision);
            }
        }
    }
    (council_decision, deadline)
}

/// The representatives filled in: at least one, at most as many as the state allows, each
/// with name and address (printed on every list) and an optional email address.
fn representatives(
    input: &DraftInput,
    rules: &RuleSet,
    errors: &mut FieldErrors,
) -> Vec<Representative> {
    let filled: Vec<(usize, &RepresentativeInput)> = input
        .representatives
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_blank())
        .collect();
    let mut representatives = Vec::new();
    if filled.is_empty() {
        errors.add(
            &representative_field(0, "name"),
            t("petition-draft-representative-missing"),
        );
    }
    if filled.len() > rules.max_representatives {
        let (index, _) = filled[rules.max_representatives];
        errors.add(
            &representative_field(index, "name"),
            t_args(
                "petition-draft-representatives-too-many",
                &[
                    ("max", &rules.max_representatives.to_string()),
                    ("citation", rules.citation),
                ],
            ),
        );
    }
    for (index, r) in filled.iter().take(rules.max_representatives) {
        let name = errors.check(
            &representative_field(*index, "name"),
            one_line(
                &r.name,
                REPRESENTATIVE_NAME_MAX_CHARS,
                "representative-name",
            ),
        );
        let address = errors.check(
            &representative_field(*index, "address"),
            one_line(
                &r.address,
                REPRESENTATIVE_ADDRESS_MAX_CHARS,
                "representative-address",
            ),
        );
        let email = if r.email.trim().is_empty() {
            Some(None)
        } else {
            errors
                .check(
                    &representative_field(*index, "email"),
                    crate::accounts::domain::EmailAddress::parse(&r.email),
                )
                .map(|e| Some(e.as_str().to_owned()))
        };
        if let (Some(name), Some(address), Some(email)) = (name, address, email) {
            representatives.push(Representative {
                name,
                address,
                email,
            });
        }
    }
    representatives
}

/// What staff or initiators send with a step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepInput {
    pub step: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub cost_estimate: String,
    #[serde(default)]
    pub referendum_on: String,
    #[serde(default)]
    pub yes_votes: String,
    #[serde(default)]
    pub no_votes: String,
    #[serde(default)]
    pub outcome: String,
}

/// The outcome of a referendum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Accepted,
    Rejected,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<Outcome> {
        match code {
            "accepted" => Some(Outcome::Accepted),
            "rejected" => Some(Outcome::Rejected),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Accepted => "angenommen",
            Outcome::Rejected => "abgelehnt",
        }
    }

    /// The label in the page's language (`label` stays German for the legal documents).
    pub fn title(self) -> String {
        crate::i18n::t(&format!("petition-outcome-{}", self.as_str()))
    }
}

/// A step with the data it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepAction {
    RequestCostEstimate,
    EnterCostEstimate { cost_estimate: String },
    ApprovePublication,
    Submit,
    DeclareAdmissible,
    DeclareInadmissible { reason: String },
    CouncilAdopts { note: String },
    ScheduleReferendum { on: NaiveDate },
    RecordResult { yes: u64, no: u64, outcome: Outcome },
    Withdraw { note: String },
}

impl StepAction {
    pub fn step(&self) -> Step {
        match self {
            StepAction::RequestCostEstimate => Step::RequestCostEstimate,
            StepAction::EnterCostEstimate { .. } => Step::EnterCostEstimate,
            StepAction::ApprovePublication => Step::ApprovePublication,
            StepAction::Submit => Step::Submit,
            StepAction::DeclareAdmissible => Step::DeclareAdmissible,
            StepAction::DeclareInadmissible { .. } => Step::DeclareInadmissible,
            StepAction::CouncilAdopts { .. } => Step::CouncilAdopts,
            StepAction::ScheduleReferendum { .. } => Step::ScheduleReferendum,
            StepAction::RecordResult { .. } => Step::RecordResult,
            StepAction::Withdraw { .. } => Step::Withdraw,
        }
    }

    /// The public note for the timeline, if the step carries one.
    pub fn note(&self) -> Option<String> {
        match self {
            StepAction::DeclareInadmissible { reason } => Some(reason.clone()),
            StepAction::CouncilAdopts { note } | StepAction::Withdraw { note } => {
                (!note.is_empty()).then(|| note.clone())
            }
            StepAction::ScheduleReferendum { on } => {
                Some(format!("Abstimmungstag: {}", german_date_text(*on)))
            }
            StepAction::RecordResult { yes, no, outcome } => Some(format!(
                "Ja: {}, Nein: {} – die Vorlage ist {}.",
                super::rules::thousands(*yes),
                super::rules::thousands(*no),
                outcome.label()
            )),
            _ => None,
        }
    }

    pub fn parse(input: &StepInput) -> Result<StepAction, AppError> {
        let note = |field: &str, required: Option<String>| -> Result<String, AppError> {
            let value = input.note.trim().replace("\r\n", "\n");
            if value.chars().count() > NOTE_MAX_CHARS {
                return Err(AppError::field(
                    field,
                    t_args(
                        "petition-draft-note-too-long",
                        &[("max", &NOTE_MAX_CHARS.to_string())],
                    ),
                ));
            }
            match required {
                Some(message) if value.is_empty() => Err(AppError::field(field, message)),
                _ => Ok(value),
            }
        };
        Ok(match input.step.as_str() {
            "request_cost_estimate" => StepAction::RequestCostEstimate,
            "enter_cost_estimate" => StepAction::EnterCostEstimate {
                cost_estimate: text(
                    &input.cost_estimate,
                    COST_ESTIMATE_MAX_CHARS,
                    "cost-estimate",
                )
                .map_err(|m| AppError::field("cost_estimate", m))?,
            },
            "approve_publication" => StepAction::ApprovePublication,
            "submit" => StepAction::Submit,
            "declare_admissible" => StepAction::DeclareAdmissible,
            "declare_inadmissible" => StepAction::DeclareInadmissible {
                reason: note("note", Some(t("petition-draft-council-reason-missing")))?,
            },
            "council_adopts" => StepAction::CouncilAdopts {
                note: note("note", None)?,
            },
            "schedule_referendum" => StepAction::ScheduleReferendum {
                on: parse_date(&input.referendum_on).ok_or_else(|| {
                    AppError::field("referendum_on", t("petition-draft-referendum-on-invalid"))
                })?,
            },
            "record_result" => {
                let mut errors = FieldErrors::new();
                let yes = errors.check(
                    "yes_votes",
                    super::parse_count(&input.yes_votes, "Ja-Stimmen"),
                );
                let no = errors.check(
                    "no_votes",
                    super::parse_count(&input.no_votes, "Nein-Stimmen"),
                );
                let outcome = errors.check(
                    "outcome",
                    Outcome::parse(&input.outcome)
                        .ok_or_else(|| t("petition-draft-outcome-missing")),
                );
                errors.into_result()?;
                match (yes, no, outcome) {
                    (Some(yes), Some(no), Some(outcome)) => {
                        StepAction::RecordResult { yes, no, outcome }
                    }
                    _ => return Err(AppError::Internal),
                }
            }
            "withdraw" => StepAction::Withdraw {
                note: note("note", None)?,
            },
            _ => return Err(AppError::field("step", t("petition-draft-step-unknown"))),
        })
    }
}

/// A URL-safe name from a title: lower case, umlauts spelled out, hyphens between words.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {
                if !out.ends_with('-') {
                    out.push('-');
                }
            }
        }
    }
    let mut slug: String = out.trim_matches('-').chars().take(60).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        "buergerbegehren".to_owned()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::petitions::rules::{State, rule_set};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    fn nrw() -> &'static RuleSet {
        rule_set(State::NordrheinWestfalen, today()).unwrap()
    }

    fn rep(name: &str) -> RepresentativeInput {
        RepresentativeInput {
            name: name.into(),
            address: "Hauptstraße 1, 32689 Kalletal".into(),
            email: String::new(),
        }
    }

    fn input() -> DraftInput {
        DraftInput {
            title: "  Medizinisches   Versorgungszentrum ".into(),
            question: "Soll die Gemeinde Kalletal ein kommunales MVZ gründen?".into(),
            justification: "Weil die Hausärzte fehlen.".into(),
            kind: "initiating".into(),
            representatives: vec![rep("Anna Schulte"), RepresentativeInput::default()],
            ..Default::default()
        }
    }

    fn fields(err: AppError) -> Vec<String> {
        match err {
            AppError::Validation { fields } => fields.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_draft_is_parsed_and_blank_representative_rows_ignored() {
        let d = Draft::parse(&input(), nrw(), today()).unwrap();
        assert_eq!(d.title, "Medizinisches Versorgungszentrum");
        assert_eq!(d.kind, Kind::Initiating);
        assert_eq!(d.representatives.len(), 1);
        assert_eq!(d.deadline, None);
    }

    #[test]
    fn a_fourth_representative_is_refused_at_its_field() {
        let mut i = input();
        i.representatives = vec![rep("A"), rep("B"), rep("C"), rep("D")];
        let err = Draft::parse(&i, nrw(), today()).unwrap_err();
        assert_eq!(fields(err.clone()), vec!["representatives[3][name]"]);
        assert!(
            err.field_message("representatives[3][name]")
                .unwrap()
                .contains("Höchstens 3")
        );
    }

    #[test]
    fn bad_fields_are_named() {
        type Change = fn(&mut DraftInput);
        let cases: [(Change, &str); 7] = [
            (|i| i.title = " ".into(), "title"),
            (
                |i| i.question = "Die Gemeinde soll ein MVZ gründen.".into(),
                "question",
            ),
            (|i| i.justification = String::new(), "justification"),
            (|i| i.kind = "sonstiges".into(), "kind"),
            (|i| i.end_date = "2026-11-30".into(), "end_date"),
            (|i| i.representatives = vec![], "representatives[0][name]"),
            (
                |i| {
                    i.representatives = vec![RepresentativeInput {
                        name: "A".into(),
                        ..Default::default()
                    }]
                },
                "representatives[0][address]",
            ),
        ];
        for (change, field) in cases {
            let mut i = input();
            change(&mut i);
            let err = Draft::parse(&i, nrw(), today()).unwrap_err();
            assert_eq!(fields(err), vec![field.to_owned()], "{field}");
        }
    }

    #[test]
    fn cassatory_petitions_get_their_deadline_or_are_refused_when_late() {
        let mut i = input();
        i.kind = "cassatory".into();
        i.council_meeting_on = "2026-11-10".into();
        i.council_published_on = "20.11.2026".into();
        let d = Draft::parse(&i, nrw(), today()).unwrap();
        // Six weeks after the notice of 20 November 2026: Friday 1 January 2027 is a
        // holiday, so the deadline moves to Monday 4 January.
        assert_eq!(d.deadline, NaiveDate::from_ymd_opt(2027, 1, 4));

        i.council_meeting_on = "2026-09-01".into();
        i.council_published_on = "2026-09-10".into();
        let err = Draft::parse(&i, nrw(), today()).unwrap_err();
        assert!(
            err.field_message("council_meeting_on")
                .unwrap()
                .contains("am 22.10.2026 abgelaufen"),
            "{err:?}"
        );

        i.council_meeting_on = String::new();
        assert_eq!(
            fields(Draft::parse(&i, nrw(), today()).unwrap_err()),
            vec!["council_meeting_on"]
        );
    }

    #[test]
    fn steps_are_parsed_with_their_data() {
        let step = |s: &str| StepInput {
            step: s.into(),
            ..Default::default()
        };
        assert_eq!(
            StepAction::parse(&step("submit")).unwrap(),
            StepAction::Submit
        );
        assert!(
            StepAction::parse(&step("enter_cost_estimate"))
                .unwrap_err()
                .field_message("cost_estimate")
                .is_some()
        );
        assert!(
            StepAction::parse(&step("declare_inadmissible"))
                .unwrap_err()
                .field_message("note")
                .is_some()
        );
        assert!(
            StepAction::parse(&step("schedule_referendum"))
                .unwrap_err()
                .field_message("referendum_on")
                .is_some()
        );
        let err = StepAction::parse(&step("record_result")).unwrap_err();
        assert_eq!(fields(err), vec!["yes_votes", "no_votes", "outcome"]);
        let result = StepAction::parse(&StepInput {
            step: "record_result".into(),
            yes_votes: "4.211".into(),
            no_votes: "1033".into(),
            outcome: "accepted".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            result.note().unwrap(),
            "Ja: 4.211, Nein: 1.033 – die Vorlage ist angenommen."
        );
        assert!(StepAction::parse(&step("delete_everything")).is_err());
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Medizinisches Versorgungszentrum für Kalletal!"),
            "medizinisches-versorgungszentrum-fuer-kalletal"
        );
        assert_eq!(slugify("Straße & Brücke"), "strasse-bruecke");
        assert_eq!(slugify("???"), "buergerbegehren");
    }
}
