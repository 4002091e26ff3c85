//! The law of citizens' petitions (*Bürgerbegehren*) per state, as data plus pure functions.
//!
//! A rule set is one state's law in one version, valid from a date: the quorum table, the
//! deadline for petitions against a council decision (*kassatorisches Bürgerbegehren*), the
//! number of representatives, whether the administration estimates the costs, who may sign
//! and on which day that is judged, and whether online signatures count. A municipality only
//! chooses its state; a change in the law is a new entry in [`RULE_SETS`], not new code.
//!
//! The sources are the statutes named in each entry. `valid_from` is the day the wording
//! used here took effect as far as we could establish it; petitions from before that day
//! fall back to nothing (see [`rule_set`]) rather than silently to newer law.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

// The German clock lives in `crate::time`; the rules and their callers name it from here too.
pub use crate::time::{german_date, german_date_text, german_datetime_text, german_midnight_utc};

/// The German states Dorfplatz has rule sets for. The codes are ISO 3166-2:DE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    #[serde(rename = "NW")]
    NordrheinWestfalen,
    #[serde(rename = "BY")]
    Bayern,
    #[serde(rename = "BW")]
    BadenWuerttemberg,
}

impl State {
    pub const ALL: [State; 3] = [
        State::BadenWuerttemberg,
        State::Bayern,
        State::NordrheinWestfalen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::NordrheinWestfalen => "NW",
            State::Bayern => "BY",
            State::BadenWuerttemberg => "BW",
        }
    }

    pub fn from_code(code: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn name(self) -> &'static str {
        match self {
            State::NordrheinWestfalen => "Nordrhein-Westfalen",
            State::Bayern => "Bayern",
            State::BadenWuerttemberg => "Baden-Württemberg",
        }
    }
}

/// A legal period, counted by §§ 187, 188 BGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u32),
    Weeks(u32),
    Months(u32),
}

impl Period {
    /// The last day of a period that starts with an event on `event_day` (§ 187 Abs. 1 BGB:
    /// the event's day is not counted; § 188 Abs. 2 BGB: a period of weeks or months ends on
    /// the day whose name or number matches the event's day, or on the last day of a shorter
    /// month).
    pub fn last_day_after_event(self, event_day: NaiveDate) -> NaiveDate {
        let day = match self {
            Period::Days(n) => event_day.checked_add_days(Days::new(u64::from(n))),
            Period::Weeks(n) => event_day.checked_add_days(Days::new(7 * u64::from(n))),
            Period::Months(n) => event_day.checked_add_months(Months::new(n)),
        };
        day.unwrap_or(NaiveDate::MAX)
    }

    /// Whether at least this period has passed between `since` and `on`, both inclusive of
    /// whole days (used for "lives in the municipality for at least 16 days / 3 months").
    pub fn has_passed(self, since: NaiveDate, on: NaiveDate) -> bool {
        match self {
            Period::Days(n) => (on - since).num_days() >= i64::from(n),
            Period::Weeks(n) => (on - since).num_days() >= 7 * i64::from(n),
            Period::Months(n) => since
                .checked_add_months(Months::new(n))
                .is_some_and(|d| d <= on),
        }
    }

    /// German wording in the dative, as after "seit mindestens" or "innerhalb von":
    /// "6 Wochen", "3 Monaten", "16 Tagen".
    pub fn describe(self) -> String {
        match self {
            Period::Days(1) => "1 Tag".into(),
            Period::Days(n) => format!("{n} Tagen"),
            Period::Weeks(1) => "1 Woche".into(),
            Period::Weeks(n) => format!("{n} Wochen"),
            Period::Months(1) => "1 Monat".into(),
            Period::Months(n) => format!("{n} Monaten"),
        }
    }
}

/// One row of a quorum table: municipalities with at most `up_to_population` inhabitants
/// (`None`: any number) need `basis_points` / 100 percent of the eligible citizens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuorumTier {
    pub up_to_population: Option<u64>,
    pub basis_points: u32,
}

/// The deadline of a petition against a council decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CassatoryDeadline {
    /// Counted from the public notice (*Bekanntmachung*) of the decision.
    pub after_publication: Period,
    /// Counted from the meeting for decisions that need no public notice.
    pub after_meeting_without_publication: Option<Period>,
    /// Whether the deadline pauses from the initiators' notice to the administration until
    /// the administration has sent its cost estimate (NRW: § 26 Abs. 2 GO NRW).
    pub paused_during_cost_estimate: bool,
}

/// Who is a citizen entitled to sign (*Bürgerin/Bürger* of the municipality).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Eligibility {
    pub min_age_years: u32,
    pub residence: Period,
    /// Citizens of other EU states may sign (Art. 28 Abs. 1 GG: every state allows this).
    pub eu_citizens: bool,
    pub citation: &'static str,
}

/// On which day a signer must be eligible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EligibilityDay {
    /// The day the person signed.
    Signing,
    /// The day the petition is handed in (Bavaria, Art. 18a Abs. 5 GO).
    Submission,
}

/// One state's petition law in one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    pub state: State,
    /// A stable identifier stored with every petition, e.g. `NW-2011`.
    pub id: &'static str,
    /// (year, month, day) the wording took effect.
    pub valid_from: (i32, u32, u32),
    /// The statute, as shown beside every computed figure.
    pub citation: &'static str,
    pub quorum_citation: &'static str,
    pub quorum: &'static [QuorumTier],
    /// An absolute upper bound of the required signatures (BW: 20,000).
    pub quorum_cap: Option<u64>,
    pub cassatory: Option<CassatoryDeadline>,
    pub max_representatives: usize,
    /// The administration must give an estimate of the costs before collection starts.
    pub cost_estimate_by_administration: bool,
    /// Initiators may ask the council to decide admissibility before collecting.
    pub admissibility_precheck: bool,
    pub eligibility: Eligibility,
    pub eligibility_day: EligibilityDay,
    /// Whether signatures given online count toward the quorum. No state allows this for
    /// municipal petitions today: online signers then get a pre-filled sheet to sign by hand.
    pub online_signatures_count: bool,
    /// Public holidays that move a deadline ending on them to the next working day.
    pub holidays: &'static [Holiday],
}

/// A public holiday, either on a fixed date or a number of days from Easter Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holiday {
    Fixed { month: u32, day: u32 },
    Easter { offset_days: i64 },
}

/// Holidays in every state (Neujahr, Karfreitag, Ostermontag, 1. Mai, Christi Himmelfahrt,
/// Pfingstmontag, Tag der Deutschen Einheit, 1. und 2. Weihnachtstag).
macro_rules! federal_holidays {
    ($($extra:expr),* $(,)?) => {
        &[
            Holiday::Fixed { month: 1, day: 1 },
            Holiday::Easter { offset_days: -2 },
            Holiday::Easter { offset_days: 1 },
            Holiday::Fixed { month: 5, day: 1 },
            Holiday::Easter { offset_days: 39 },
            Holiday::Easter { offset_days: 50 },
            Holiday::Fixed { month: 10, day: 3 },
            Holiday::Fixed { month: 12, day: 25 },
            Holiday::Fixed { month: 12, day: 26 },
            $($extra,)*
        ]
    };
}

/// The NRW quorum table: 10 % in municipalities up to 10,000 inhabitants, falling in steps
/// to 3 % above 500,000 (Bavaria's table below differs from 100,000 on).
const NRW_QUORUM: &[QuorumTier] = &[
    QuorumTier {
        up_to_population: Some(10_000),
        basis_points: 1000,
    },
    QuorumTier {
        up_to_population: Some(20_000),
        basis_points: 900,
    },
    QuorumTier {
        up_to_population: Some(30_000),
        basis_points: 800,
    },
    QuorumTier {
        up_to_population: Some(50_000),
        basis_points: 700,
    },
    QuorumTier {
        up_to_population: Some(100_000),
        basis_points: 600,
    },
    QuorumTier {
        up_to_population: Some(200_000),
        basis_points: 500,
    },
    QuorumTier {
        up_to_population: Some(500_000),
        basis_points: 400,
    },
    QuorumTier {
        up_to_population: None,
        basis_points: 300,
    },
];

const BAYERN_QUORUM: &[QuorumTier] = &[
    QuorumTier {
        up_to_population: Some(10_000),
        basis_points: 1000,
    },
    QuorumTier {
        up_to_population: Some(20_000),
        basis_points: 900,
    },
    QuorumTier {
        up_to_population: Some(30_000),
        basis_points: 800,
    },
    QuorumTier {
        up_to_population: Some(50_000),
        basis_points: 700,
    },
    QuorumTier {
        up_to_population: Some(100_000),
        basis_points: 600,
    },
    QuorumTier {
        up_to_population: Some(500_000),
        basis_points: 500,
    },
    QuorumTier {
        up_to_population: None,
        basis_points: 300,
    },
];

const BW_QUORUM: &[QuorumTier] = &[QuorumTier {
    up_to_population: None,
    basis_points: 700,
}];

/// Every rule set Dorfplatz knows, oldest first within a state.
pub const RULE_SETS: &[RuleSet] = &[
    RuleSet {
        state: State::NordrheinWestfalen,
        id: "NW-2011",
        // Gesetz zur Stärkung der Bürgerbeteiligung vom 13.12.2011 (GV. NRW. S. 684).
        valid_from: (2011, 12, 17),
        citation: "§ 26 GO NRW",
        quorum_citation: "§ 26 Abs. 4 GO NRW",
        quorum: NRW_QUORUM,
        quorum_cap: None,
        cassatory: Some(CassatoryDeadline {
            after_publication: Period::Weeks(6),
            after_meeting_without_publication: Some(Period::Months(3)),
            paused_during_cost_estimate: true,
        }),
        max_representatives: 3,
        cost_estimate_by_administration: true,
        admissibility_precheck: true,
        eligibility: Eligibility {
            min_age_years: 16,
            residence: Period::Days(16),
            eu_citizens: true,
            citation: "§ 21 GO NRW, § 7 KWahlG NRW",
        },
        eligibility_day: EligibilityDay::Signing,
        online_signatures_count: false,
        holidays: federal_holidays![
            Holiday::Easter { offset_days: 60 },
            Holiday::Fixed { month: 11, day: 1 },
        ],
    },
    RuleSet {
        state: State::Bayern,
        id: "BY-1999",
        // Gesetz zur Änderung des Gemeinde- und Landkreisrechts vom 26.3.1999 (GVBl. S. 86).
        valid_from: (1999, 4, 1),
        citation: "Art. 18a GO Bayern",
        quorum_citation: "Art. 18a Abs. 6 GO Bayern",
        quorum: BAYERN_QUORUM,
        quorum_cap: None,
        // Bavaria sets no deadline for petitions against council decisions.
        cassatory: None,
        max_representatives: 3,
        cost_estimate_by_administration: false,
        admissibility_precheck: false,
        eligibility: Eligibility {
            min_age_years: 18,
            residence: Period::Months(2),
            eu_citizens: true,
            citation: "Art. 15 Abs. 2 GO Bayern, Art. 1 GLKrWG",
        },
        eligibility_day: EligibilityDay::Submission,
        online_signatures_count: false,
        holidays: federal_holidays![
            Holiday::Fixed { month: 1, day: 6 },
            Holiday::Easter { offset_days: 60 },
            Holiday::Fixed { month: 11, day: 1 },
        ],
    },
    RuleSet {
        state: State::BadenWuerttemberg,
        id: "BW-2015",
        // Gesetz zur Änderung kommunalverfassungsrechtlicher Vorschriften vom 28.10.2015.
        valid_from: (2015, 12, 1),
        citation: "§ 21 GemO BW",
        quorum_citation: "§ 21 Abs. 3 GemO BW",
        quorum: BW_QUORUM,
        quorum_cap: Some(20_000),
        // "nach der Bekanntgabe": a decision taken in a public session is made known in
        // that session, so without a separate notice the months run from the meeting.
        cassatory: Some(CassatoryDeadline {
            after_publication: Period::Months(3),
            after_meeting_without_publication: Some(Period::Months(3)),
            paused_during_cost_estimate: false,
        }),
        max_representatives: 3,
        cost_estimate_by_administration: false,
        admissibility_precheck: false,
        eligibility: Eligibility {
            min_age_years: 16,
            residence: Period::Months(3),
            eu_citizens: true,
            citation: "§ 12 GemO BW",
        },
        eligibility_day: EligibilityDay::Signing,
        online_signatures_count: false,
        holidays: federal_holidays![
            Holiday::Fixed { month: 1, day: 6 },
            Holiday::Easter { offset_days: 60 },
            Holiday::Fixed { month: 11, day: 1 },
        ],
    },
];

/// The rule set of `state` in force on `day`: the newest version valid from that day or
/// earlier. `None` when the day lies before every known version.
pub fn rule_set(state: State, day: NaiveDate) -> Option<&'static RuleSet> {
    select(RULE_SETS, state, day)
}

/// The rule set by its stored identifier.
pub fn rule_set_by_id(id: &str) -> Option<&'static RuleSet> {
    RULE_SETS.iter().find(|r| r.id == id)
}

fn select(sets: &[RuleSet], state: State, day: NaiveDate) -> Option<&RuleSet> {
    sets.iter()
        .filter(|r| r.state == state && r.valid_from() <= day)
        .max_by_key(|r| r.valid_from())
}

/// The number of signatures a petition needs, and the rule it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub required: u64,
    pub basis_points: u32,
    pub capped: bool,
    /// e.g. "§ 26 Abs. 4 GO NRW: 9 % von 11.520 Bürgerinnen und Bürgern (Gemeinden bis
    /// 20.000 Einwohnern) = 1.037 Unterschriften"
    pub explanation: String,
}

/// Details of a council decision a cassatory petition is directed against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CouncilDecision {
    pub meeting_day: NaiveDate,
    /// The day of the public notice; `None` for a decision that needs none.
    pub published_on: Option<NaiveDate>,
}

/// Why a deadline could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeadlineError {
    /// This state's law has no deadline for petitions against council decisions.
    NoDeadline,
    /// The decision needs a public notice for the deadline to start, and it has none yet.
    NotYetPublished,
}

impl RuleSet {
    pub fn valid_from(&self) -> NaiveDate {
        let (y, m, d) = self.valid_from;
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    /// The signatures a municipality of `population` inhabitants with `eligible` citizens
    /// needs. Percentages are rounded up: 9 % of 11,520 is 1,036.8, so 1,037 are needed.
    pub fn required_signatures(&self, population: u64, eligible: u64) -> Requirement {
        let tier = self
            .quorum
            .iter()
            .find(|t| t.up_to_population.is_none_or(|max| population <= max))
            .or(self.quorum.last())
            .copied()
            .unwrap_or(QuorumTier {
                up_to_population: None,
                basis_points: 10_000,
            });
        let bp = u64::from(tier.basis_points);
        let by_share = (eligible * bp).div_ceil(10_000);
        let (required, capped) = match self.quorum_cap {
            Some(cap) if by_share > cap => (cap, true),
            _ => (by_share, false),
        };
        let tier_text = match (tier.up_to_population, self.quorum.len()) {
            (_, 1) => String::new(),
            (Some(max), _) => format!(" (Gemeinden bis {} Einwohnern)", thousands(max)),
            (None, _) => {
                let below = self
                    .quorum
                    .iter()
                    .filter_map(|t| t.up_to_population)
                    .max()
                    .unwrap_or(0);
                format!(" (Gemeinden über {} Einwohnern)", thousands(below))
            }
        };
        let cap_text = match (self.quorum_cap, capped) {
            (Some(cap), true) => format!(", höchstens {} Unterschriften", thousands(cap)),
            _ => String::new(),
        };
        Requirement {
            required,
            basis_points: tier.basis_points,
            capped,
            explanation: format!(
                "{}: {} von {} Bürgerinnen und Bürgern{}{} = {} Unterschriften",
                self.quorum_citation,
                percent(tier.basis_points),
                thousands(eligible),
                tier_text,
                cap_text,
                thousands(required)
            ),
        }
    }

    /// The last day a cassatory petition can be handed in. `pause` is the span from the
    /// initiators' notice to the administration (inclusive) to the day the cost estimate
    /// was sent (inclusive); where the law says so, every day of it on which the period was
    /// running extends the deadline (both ends counted in the citizens' favour). Days of a
    /// pause before the period started do not count; a pause that starts while the period
    /// runs and ends after its original end still extends it by its full length, because the
    /// days that were left when it began only resume after it. A deadline ending on a Saturday, Sunday
    /// or public holiday moves to the next working day (§ 31 Abs. 3 VwVfG).
    pub fn cassatory_deadline(
        &self,
        decision: CouncilDecision,
        pause: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<NaiveDate, DeadlineError> {
        let rule = self.cassatory.ok_or(DeadlineError::NoDeadline)?;
        let base = match (
            decision.published_on,
            rule.after_meeting_without_publication,
        ) {
            (Some(published), _) => rule.after_publication.last_day_after_event(published),
            (None, Some(period)) => period.last_day_after_event(decision.meeting_day),
            (None, None) => return Err(DeadlineError::NotYetPublished),
        };
        let started = decision
            .published_on
            .unwrap_or(decision.meeting_day)
            .succ_opt()
            .unwrap_or(NaiveDate::MAX);
        let paused_days = match pause {
            Some((from, to)) if rule.paused_during_cost_estimate => {
                let from = from.max(started);
                if to >= from && from <= base {
                    u64::try_from((to - from).num_days() + 1).unwrap_or(0)
                } else {
                    0
                }
            }
            _ => 0,
        };
        let end = base
            .checked_add_days(Days::new(paused_days))
            .unwrap_or(NaiveDate::MAX);
        Ok(self.next_working_day(end))
    }

    /// `day` itself when it is a working day, else the next one.
    pub fn next_working_day(&self, mut day: NaiveDate) -> NaiveDate {
        while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || self.is_holiday(day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        day
    }

    pub fn is_holiday(&self, day: NaiveDate) -> bool {
        let easter = easter_sunday(day.year());
        self.holidays.iter().any(|h| match *h {
            Holiday::Fixed { month, day: d } => day.month() == month && day.day() == d,
            Holiday::Easter { offset_days } => {
                easter.is_some_and(|e| (day - e).num_days() == offset_days)
            }
        })
    }

    /// Whether a person with these register data may sign on `reference_day`.
    pub fn check_eligibility(
        &self,
        person: &PersonFacts,
        reference_day: NaiveDate,
    ) -> Result<(), Ineligible> {
        let adult_on = person
            .birth_date
            .checked_add_months(Months::new(12 * self.eligibility.min_age_years))
            .unwrap_or(NaiveDate::MAX);
        if adult_on > reference_day {
            return Err(Ineligible::Underage);
        }
        let citizen = person.nationalities.iter().any(|code| {
            code.eq_ignore_ascii_case("DE")
                || (self.eligibility.eu_citizens
                    && EU_MEMBER_STATES
                        .iter()
                        .any(|eu| code.eq_ignore_ascii_case(eu)))
        });
        if !citizen {
            return Err(Ineligible::NotCitizen);
        }
        if !person.main_residence {
            return Err(Ineligible::NotMainResidence);
        }
        if !self
            .eligibility
            .residence
            .has_passed(person.moved_in, reference_day)
        {
            return Err(Ineligible::ResidenceTooShort);
        }
        Ok(())
    }
}

/// The register facts eligibility depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFacts {
    pub birth_date: NaiveDate,
    /// ISO 3166-1 alpha-2 codes.
    pub nationalities: Vec<String>,
    /// The municipality is this person's main residence (*Hauptwohnung*).
    pub main_residence: bool,
    pub moved_in: NaiveDate,
}

/// Why a registered person may not sign; the codes are those of the signature statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ineligible {
    Underage,
    NotCitizen,
    NotMainResidence,
    ResidenceTooShort,
}

/// Member states of the European Union (ISO 3166-1 alpha-2), Germany included.
pub const EU_MEMBER_STATES: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// "9 %" or "7,5 %".
fn percent(basis_points: u32) -> String {
    if basis_points.is_multiple_of(100) {
        format!("{} %", basis_points / 100)
    } else {
        format!(
            "{},{} %",
            basis_points / 100,
            format!("{:02}", basis_points % 100).trim_end_matches('0')
        )
    }
}

/// German thousands separators: 11520 → "11.520".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn nrw() -> &'static RuleSet {
        rule_set(State::NordrheinWestfalen, d(2026, 11, 30)).unwrap()
    }

    #[test]
    fn nrw_quorum_follows_the_population_tiers() {
        // (population, eligible, required, percent)
        let cases = [
            (8_000, 6_500, 650, 1000),
            (10_000, 8_000, 800, 1000),
            (10_001, 8_000, 720, 900),
            (14_000, 11_520, 1_037, 900), // Kalletal-sized: 1,036.8 rounds up
            (25_000, 20_000, 1_600, 800),
            (45_000, 36_000, 2_520, 700),
            (90_000, 70_000, 4_200, 600),
            (150_000, 120_000, 6_000, 500),
            (300_000, 240_000, 9_600, 400),
            (600_000, 480_000, 14_400, 300),
        ];
        for (population, eligible, required, bp) in cases {
            let r = nrw().required_signatures(population, eligible);
            assert_eq!((r.required, r.basis_points), (required, bp), "{population}");
            assert!(!r.capped);
        }
    }

    #[test]
    fn the_requirement_names_its_rule_in_german() {
        let r = nrw().required_signatures(14_000, 11_520);
        assert_eq!(
            r.explanation,
            "§ 26 Abs. 4 GO NRW: 9 % von 11.520 Bürgerinnen und Bürgern (Gemeinden bis 20.000 Einwohnern) = 1.037 Unterschriften"
        );
        let big = nrw().required_signatures(600_000, 480_000);
        assert!(
            big.explanation
                .contains("(Gemeinden über 500.000 Einwohnern)")
        );
    }

    #[test]
    fn baden_wuerttemberg_needs_seven_percent_capped_at_twenty_thousand() {
        let bw = rule_set(State::BadenWuerttemberg, d(2026, 1, 1)).unwrap();
        let small = bw.required_signatures(14_000, 11_520);
        assert_eq!((small.required, small.capped), (807, false));
        let stuttgart = bw.required_signatures(630_000, 450_000);
        assert_eq!((stuttgart.required, stuttgart.capped), (20_000, true));
        assert!(
            stuttgart
                .explanation
                .contains("höchstens 20.000 Unterschriften")
        );
        assert!(
            stuttgart
                .explanation
                .starts_with("§ 21 Abs. 3 GemO BW: 7 % von 450.000")
        );
    }

    #[test]
    fn bavaria_has_its_own_tiers_and_judges_eligibility_on_submission() {
        let by = rule_set(State::Bayern, d(2026, 1, 1)).unwrap();
        // 300,000 inhabitants: Bavaria 5 %, NRW 4 %.
        assert_eq!(by.required_signatures(300_000, 220_000).basis_points, 500);
        assert_eq!(
            nrw().required_signatures(300_000, 220_000).basis_points,
            400
        );
        assert_eq!(by.required_signatures(600_000, 450_000).basis_points, 300);
        assert_eq!(by.eligibility_day, EligibilityDay::Submission);
        assert_eq!(nrw().eligibility_day, EligibilityDay::Signing);
        assert!(by.cassatory.is_none());
    }

    #[test]
    fn no_state_counts_online_signatures_today() {
        for state in State::ALL {
            let r = rule_set(state, d(2026, 11, 30)).unwrap();
            assert!(!r.online_signatures_count, "{}", state.name());
            assert_eq!(r.max_representatives, 3);
        }
    }

    #[test]
    fn the_version_in_force_on_a_day_is_chosen() {
        let older = RuleSet {
            id: "NW-OLD",
            valid_from: (2000, 1, 1),
            ..nrw().clone()
        };
        let newer = RuleSet {
            id: "NW-NEW",
            valid_from: (2025, 7, 1),
            ..nrw().clone()
        };
        let sets = [newer, older];
        let on = |day| select(&sets, State::NordrheinWestfalen, day).map(|r| r.id);
        assert_eq!(on(d(1999, 12, 31)), None);
        assert_eq!(on(d(2000, 1, 1)), Some("NW-OLD"));
        assert_eq!(on(d(2025, 6, 30)), Some("NW-OLD"));
        assert_eq!(on(d(2025, 7, 1)), Some("NW-NEW"));
        assert_eq!(
            select(&sets, State::Bayern, d(2026, 1, 1)).map(|r| r.id),
            None
        );
        assert_eq!(
            rule_set_by_id("NW-2011").map(|r| r.state),
            Some(State::NordrheinWestfalen)
        );
    }

    #[test]
    fn nrw_cassatory_deadlines() {
        let r = nrw();
        // (meeting, published, pause, deadline)
        let cases = [
            // Six weeks after a notice on Wednesday 4.3.2026: Wednesday 15.4.2026.
            (d(2026, 2, 26), Some(d(2026, 3, 4)), None, d(2026, 4, 15)),
            // Six weeks after Friday 20.2.2026 end on Good Friday 3.4.; Easter weekend and
            // Easter Monday follow, so the deadline moves to Tuesday 7.4.2026.
            (d(2026, 2, 12), Some(d(2026, 2, 20)), None, d(2026, 4, 7)),
            // No notice needed: three months after the meeting on 30.11.2026 → 28.2.2027
            // is a Sunday → Monday 1.3.2027.
            (d(2026, 11, 30), None, None, d(2027, 3, 1)),
            // Three months after 31.3.2026 end on 30.6.2026 (shorter month, § 188 Abs. 3).
            (d(2026, 3, 31), None, None, d(2026, 6, 30)),
            // The deadline pauses from the notice on 10.3. to the estimate on 23.3.2026
            // (14 days): 15.4. + 14 = 29.4.2026, a Wednesday.
            (
                d(2026, 2, 26),
                Some(d(2026, 3, 4)),
                Some((d(2026, 3, 10), d(2026, 3, 23))),
                d(2026, 4, 29),
            ),
            // Ending on Monday 1.11.2027 (Allerheiligen) moves to Tuesday 2.11.2027.
            (d(2027, 9, 10), Some(d(2027, 9, 20)), None, d(2027, 11, 2)),
            // A pause that ended before the notice does not extend the deadline.
            (
                d(2026, 2, 26),
                Some(d(2026, 3, 4)),
                Some((d(2026, 2, 27), d(2026, 3, 3))),
                d(2026, 4, 15),
            ),
            // A pause straddling the notice counts from the day after it: 5.3.–9.3. = 5 days,
            // 15.4. + 5 = Monday 20.4.2026.
            (
                d(2026, 2, 26),
                Some(d(2026, 3, 4)),
                Some((d(2026, 3, 1), d(2026, 3, 9))),
                d(2026, 4, 20),
            ),
        ];
        for (meeting, published, pause, expected) in cases {
            let decision = CouncilDecision {
                meeting_day: meeting,
                published_on: published,
            };
            assert_eq!(
                r.cassatory_deadline(decision, pause),
                Ok(expected),
                "{meeting} {published:?}"
            );
        }
    }

    #[test]
    fn states_without_the_rule_do_not_pause_or_have_no_deadline() {
        let bw = rule_set(State::BadenWuerttemberg, d(2026, 1, 1)).unwrap();
        let decision = CouncilDecision {
            meeting_day: d(2026, 3, 1),
            published_on: Some(d(2026, 3, 5)),
        };
        let pause = Some((d(2026, 3, 10), d(2026, 3, 23)));
        assert_eq!(bw.cassatory_deadline(decision, pause), Ok(d(2026, 6, 5)));
        // Made known in the public session of Tuesday 3.3.: three months → Wednesday 3.6.2026.
        let in_session = CouncilDecision {
            meeting_day: d(2026, 3, 3),
            published_on: None,
        };
        assert_eq!(bw.cassatory_deadline(in_session, None), Ok(d(2026, 6, 3)));
        // A law that counts only from a public notice cannot give a deadline before it.
        let notice_only = RuleSet {
            cassatory: Some(CassatoryDeadline {
                after_publication: Period::Months(3),
                after_meeting_without_publication: None,
                paused_during_cost_estimate: false,
            }),
            ..bw.clone()
        };
        assert_eq!(
            notice_only.cassatory_deadline(in_session, None),
            Err(DeadlineError::NotYetPublished)
        );
        let by = rule_set(State::Bayern, d(2026, 1, 1)).unwrap();
        assert_eq!(
            by.cassatory_deadline(decision, None),
            Err(DeadlineError::NoDeadline)
        );
    }

    #[test]
    fn easter_is_computed_for_known_years() {
        assert_eq!(easter_sunday(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter_sunday(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter_sunday(2026), Some(d(2026, 4, 5)));
        assert_eq!(easter_sunday(2027), Some(d(2027, 3, 28)));
        assert!(nrw().is_holiday(d(2026, 6, 4))); // Fronleichnam 2026
        let bw = rule_set(State::BadenWuerttemberg, d(2026, 1, 1)).unwrap();
        assert!(bw.is_holiday(d(2026, 1, 6)));
        assert!(!nrw().is_holiday(d(2026, 1, 6)));
    }

    #[test]
    fn eligibility_in_nrw() {
        let r = nrw();
        let day = d(2026, 11, 30);
        let base = PersonFacts {
            birth_date: d(1980, 5, 17),
            nationalities: vec!["DE".into()],
            main_residence: true,
            moved_in: d(2000, 1, 1),
        };
        let with = |f: &dyn Fn(&mut PersonFacts)| {
            let mut p = base.clone();
            f(&mut p);
            r.check_eligibility(&p, day)
        };
        assert_eq!(with(&|_| {}), Ok(()));
        assert_eq!(with(&|p| p.birth_date = d(2010, 11, 30)), Ok(())); // 16th birthday today
        assert_eq!(
            with(&|p| p.birth_date = d(2010, 12, 1)),
            Err(Ineligible::Underage)
        );
        assert_eq!(
            with(&|p| p.nationalities = vec!["TR".into()]),
            Err(Ineligible::NotCitizen)
        );
        assert_eq!(
            with(&|p| p.nationalities = vec!["TR".into(), "DE".into()]),
            Ok(())
        );
        assert_eq!(with(&|p| p.nationalities = vec!["pl".into()]), Ok(()));
        assert_eq!(
            with(&|p| p.main_residence = false),
            Err(Ineligible::NotMainResidence)
        );
        assert_eq!(with(&|p| p.moved_in = d(2026, 11, 14)), Ok(())); // 16 days
        assert_eq!(
            with(&|p| p.moved_in = d(2026, 11, 15)),
            Err(Ineligible::ResidenceTooShort)
        );
    }

    #[test]
    fn eligibility_in_bavaria_needs_eighteen_years_and_two_months() {
        let by = rule_set(State::Bayern, d(2026, 1, 1)).unwrap();
        let p = PersonFacts {
            birth_date: d(2008, 11, 30),
            nationalities: vec!["AT".into()],
            main_residence: true,
            moved_in: d(2026, 9, 30),
        };
        assert_eq!(by.check_eligibility(&p, d(2026, 11, 30)), Ok(()));
        assert_eq!(
            by.check_eligibility(&p, d(2026, 11, 29)),
            Err(Ineligible::Underage)
        );
        let newcomer = PersonFacts {
            moved_in: d(2026, 10, 1),
            ..p
        };
        assert_eq!(
            by.check_eligibility(&newcomer, d(2026, 11, 30)),
            Err(Ineligible::ResidenceTooShort)
        );
    }

    #[test]
    fn numbers_are_written_the_german_way() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_037), "1.037");
        assert_eq!(thousands(1_000_000), "1.000.000");
        assert_eq!(percent(900), "9 %");
        assert_eq!(percent(750), "7,5 %");
        assert_eq!(percent(325), "3,25 %");
    }
}
