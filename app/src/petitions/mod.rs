//! Citizens' petitions (*Bürgerbegehren*): the state law as data, the municipality's figures
//! the quorum is computed from, and the procedure.

pub mod api;
pub mod draft;
pub mod lifecycle;
pub mod matching;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod server;
pub mod signer;
pub mod view;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors};
use rules::{EligibilityDay, Requirement, RuleSet, State, thousands};

/// The municipality as petition law sees it: its name (kept with the site settings) and the
/// figures staff maintain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Municipality {
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The figures of the municipality that petition law depends on. Staff maintain them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub state: State,
    /// Official population (*Einwohnerzahl*): selects the quorum tier.
    pub population: Option<u64>,
    /// Citizens entitled to sign (*Bürgerinnen und Bürger*): the quorum's base.
    pub eligible_citizens: Option<u64>,
    /// Where that number comes from, e.g. "Wahlberechtigte der Kommunalwahl 2025".
    pub eligible_source: String,
    pub eligible_reference_date: Option<NaiveDate>,
}

/// What the law in force says for this municipality, as shown to everyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalFrame {
    pub municipality: Municipality,
    pub rule_set_id: String,
    pub citation: String,
    /// `None` until staff have entered population and eligible citizens.
    pub requirement: Option<Requirement>,
    /// Plain-German sentences describing the rules, one per point.
    pub rules: Vec<String>,
}

impl LegalFrame {
    pub fn new(municipality: Municipality, rule_set: &RuleSet) -> Self {
        let f = &municipality.figures;
        let requirement = match (f.population, f.eligible_citizens) {
            (Some(population), Some(eligible)) => {
                Some(rule_set.required_signatures(population, eligible))
            }
            _ => None,
        };
        Self {
            rule_set_id: rule_set.id.to_owned(),
            citation: rule_set.citation.to_owned(),
            requirement,
            rules: describe(rule_set),
            municipality,
        }
    }
}

/// The rule set in words, for the public and for staff checking the settings.
pub fn describe(r: &RuleSet) -> Vec<String> {
    let e = &r.eligibility;
    let mut out = vec![format!(
        "Unterschreiben dürfen Bürgerinnen und Bürger ab {} Jahren – Deutsche{} –, die seit mindestens {} mit Hauptwohnung in der Gemeinde gemeldet sind ({}). Maßgeblich ist {}.",
        e.min_age_years,
        if e.eu_citizens {
            " und Staatsangehörige anderer EU-Staaten"
        } else {
            ""
        },
        e.residence.describe(),
        e.citation,
        match r.eligibility_day {
            EligibilityDay::Signing => "der Tag der Unterschrift",
            EligibilityDay::Submission => "der Tag, an dem das Bürgerbegehren eingereicht wird",
        }
    )];
    match r.cassatory {
        Some(c) => {
            let mut s = format!(
                "Ein Bürgerbegehren gegen einen Ratsbeschluss muss innerhalb von {} nach dessen Bekanntmachung eingereicht werden",
                c.after_publication.describe()
            );
            if let Some(p) = c.after_meeting_without_publication {
                s.push_str(&format!(
                    ", bei Beschlüssen ohne Bekanntmachung innerhalb von {} nach dem Sitzungstag",
                    p.describe()
                ));
            }
            s.push('.');
            if c.paused_during_cost_estimate {
                s.push_str(" Während die Verwaltung die Kosten schätzt, ruht die Frist.");
            }
            out.push(s);
        }
        None => out.push(
            "Für Bürgerbegehren gegen Ratsbeschlüsse gilt keine Einreichungsfrist.".to_owned(),
        ),
    }
    out.push(format!(
        "Das Bürgerbegehren benennt bis zu {} vertretungsberechtigte Personen.",
        r.max_representatives
    ));
    if r.cost_estimate_by_administration {
        out.push(
            "Vor der Sammlung teilt die Verwaltung eine Einschätzung der Kosten mit; sie steht auf jeder Unterschriftenliste."
                .to_owned(),
        );
    }
    if r.admissibility_precheck {
        out.push(
            "Die Vertretungsberechtigten können den Rat schon vor der Sammlung über die Zulässigkeit entscheiden lassen."
                .to_owned(),
        );
    }
    out.push(if r.online_signatures_count {
        "Online geleistete Unterschriften zählen für das Quorum.".to_owned()
    } else {
        "Online geleistete Unterschriften zählen nicht für das Quorum: Es zählen nur handschriftlich unterschriebene Listen. Wer online unterstützt, erhält einen vorausgefüllten Unterschriftsbogen.".to_owned()
    });
    out
}

/// A figure with German thousands separators, or a dash when it is not yet known.
pub fn figure(n: Option<u64>) -> String {
    n.map(thousands).unwrap_or_else(|| "–".to_owned())
}

/// A date as browsers send it from a date input (`JJJJ-MM-TT`) or as people type it
/// (`TT.MM.JJJJ`, the form of paper lists and of the German UI).
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let typed = input.trim();
    NaiveDate::parse_from_str(typed, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(typed, "%d.%m.%Y"))
        .ok()
}

/// The figures as the staff form sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiguresInput {
    pub state: String,
    pub population: String,
    pub eligible_citizens: String,
    pub eligible_source: String,
    pub eligible_reference_date: String,
}

impl Figures {
    /// Parses every field and reports all problems at once, each at its field.
    pub fn parse(input: &FiguresInput, today: NaiveDate) -> Result<Figures, AppError> {
        let mut errors = FieldErrors::new();
        let state = State::from_code(input.state.trim());
        if state.is_none() {
            errors.add("state", "Bitte wählen Sie ein Bundesland aus der Liste.");
        }
        let population = errors.check(
            "population",
            parse_count(&input.population, "Einwohnerzahl"),
        );
        let eligible = errors.check(
            "eligible_citizens",
            parse_count(&input.eligible_citizens, "Zahl der Bürgerinnen und Bürger"),
        );
        if let (Some(p), Some(e)) = (population, eligible)
            && e > p
        {
            errors.add(
                "eligible_citizens",
                "Es kann nicht mehr Bürgerinnen und Bürger als Einwohner geben.",
            );
        }
        let source = input
            .eligible_source
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if source.is_empty() {
            errors.add(
                "eligible_source",
                "Bitte geben Sie an, woher die Zahl stammt, z. B. „Wahlberechtigte der Kommunalwahl 2025“.",
            );
        } else if source.chars().count() > 200 {
            errors.add(
                "eligible_source",
                "Die Quelle darf höchstens 200 Zeichen lang sein.",
            );
        }
        let date_field = "eligible_reference_date";
        let date = match parse_date(&input.eligible_reference_date) {
            Some(d) if d > today => {
                errors.add(date_field, "Der Stichtag darf nicht in der Zukunft liegen.");
                None
            }
            Some(d) => Some(d),
            None if input.eligible_reference_date.trim().is_empty() => {
                errors.add(date_field, "Bitte geben Sie den Stichtag ein.");
                None
            }
            None => {
                errors.add(
                    date_field,
                    "Bitte geben Sie den Stichtag als Datum ein (TT.MM.JJJJ).",
                );
                None
            }
        };
        errors.into_result()?;
        let (Some(state), Some(_), Some(_), Some(_)) = (state, population, eligible, date) else {
            return Err(AppError::Internal);
        };
        Ok(Figures {
            state,
            population,
            eligible_citizens: eligible,
            eligible_source: source,
            eligible_reference_date: date,
        })
    }
}

/// The largest German municipality has under four million inhabitants; anything far above
/// is a typing error.
pub const MAX_POPULATION: u64 = 10_000_000;

/// A whole number of people as typed into a form ("11.520", "11520", " 11 520 "). Dots and
/// spaces are accepted only as thousands separators: "11.5" is a typing error, not 115.
pub fn parse_count(input: &str, what: &str) -> Result<u64, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(format!("Bitte geben Sie die {what} ein."));
    }
    let groups: Vec<&str> = trimmed.split(['.', ' ']).collect();
    let grouped = groups.len() > 1;
    let well_grouped = groups.iter().enumerate().all(|(i, g)| {
        let len = g.len();
        g.chars().all(|c| c.is_ascii_digit())
            && if i == 0 {
                (1..=3).contains(&len)
            } else {
                len == 3
            }
    });
    if grouped && !well_grouped {
        return Err(format!(
            "Bitte geben Sie die {what} als ganze Zahl ein, zum Beispiel 11520."
        ));
    }
    let digits: String = groups.concat();
    match digits.parse::<u64>() {
        Ok(0) => Err(format!("Die {what} muss größer als 0 sein.")),
        Ok(n) if n <= MAX_POPULATION => Ok(n),
        Ok(_) => Err(format!(
            "Die {what} darf höchstens {} betragen.",
            thousands(MAX_POPULATION)
        )),
        Err(_) => Err(format!(
            "Bitte geben Sie die {what} als ganze Zahl ein, zum Beispiel 11520."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_accept_german_thousands_separators() {
        assert_eq!(parse_count("11.520", "Zahl"), Ok(11_520));
        assert_eq!(parse_count(" 14 012 ", "Zahl"), Ok(14_012));
        assert!(
            parse_count("", "Einwohnerzahl")
                .unwrap_err()
                .contains("Einwohnerzahl ein")
        );
        assert!(
            parse_count("0", "Zahl")
                .unwrap_err()
                .contains("größer als 0")
        );
        assert!(
            parse_count("12,5", "Zahl")
                .unwrap_err()
                .contains("ganze Zahl")
        );
        assert!(parse_count("-3", "Zahl").is_err());
        assert!(
            parse_count("11.5", "Zahl")
                .unwrap_err()
                .contains("ganze Zahl")
        );
        assert!(
            parse_count("1.2.3", "Zahl")
                .unwrap_err()
                .contains("ganze Zahl")
        );
        assert_eq!(parse_count("1.000.000", "Zahl"), Ok(1_000_000));
        assert!(
            parse_count("99999999", "Zahl")
                .unwrap_err()
                .contains("höchstens")
        );
    }

    #[test]
    fn the_legal_frame_explains_the_nrw_rules() {
        let m = Municipality {
            name: "Gemeinde Kalletal".into(),
            figures: Figures {
                state: State::NordrheinWestfalen,
                population: Some(14_012),
                eligible_citizens: Some(11_520),
                eligible_source: "Wahlberechtigte der Kommunalwahl 2025".into(),
                eligible_reference_date: NaiveDate::from_ymd_opt(2025, 9, 14),
            },
        };
        let rule_set = rules::rule_set_by_id("NW-2011").unwrap();
        let frame = LegalFrame::new(m.clone(), rule_set);
        assert_eq!(frame.requirement.as_ref().map(|r| r.required), Some(1_037));
        assert!(frame.rules[0].contains("ab 16 Jahren"));
        assert!(frame.rules[0].contains("seit mindestens 16 Tagen mit Hauptwohnung"));
        assert!(frame.rules[1].contains("innerhalb von 6 Wochen nach dessen Bekanntmachung"));
        assert!(frame.rules[1].contains("innerhalb von 3 Monaten nach dem Sitzungstag"));
        assert!(frame.rules.iter().any(|r| r.contains("zählen nicht")));
        let unknown = LegalFrame::new(
            Municipality {
                figures: Figures {
                    eligible_citizens: None,
                    ..m.figures
                },
                ..m
            },
            rule_set,
        );
        assert_eq!(unknown.requirement, None);
    }
}
