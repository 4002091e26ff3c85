//! Deciding one signature against the register: the fixed list of statuses, how each field
//! of a signature compares with a register entry, and the decision — an exact match is
//! decided automatically (valid, or why not), a near or partial match goes to a person with
//! its candidates, and only what identifies no one is `incomplete`. Pure: the validation
//! service feeds it rows, the review page shows its comparisons.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::petitions::matching::{
    address_key, all_given_names, dates_nearly_equal, identity_key, names_nearly_equal,
    normalize_house_number, normalize_name, normalize_street,
};
use crate::petitions::rules::{Ineligible, PersonFacts, RuleSet};

/// Every status a signature can have. The codes are stored and exported as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Valid,
    NotFound,
    Underage,
    NotCitizen,
    NotMainResidence,
    ResidenceTooShort,
    /// The same person signed before; the earlier signature counts.
    Duplicate,
    /// The data identify no one.
    Incomplete,
    /// A paper sheet without the full petition text: every line on it is void.
    InvalidSheet,
    AfterDeadline,
    Withdrawn,
    PendingConfirmation,
    NeedsReview,
    /// Confirmed or entered, not yet checked: there is no register to check against yet.
    Unchecked,
}

impl Status {
    pub const ALL: [Status; 14] = [
        Status::Valid,
        Status::NotFound,
        Status::Underage,
        Status::NotCitizen,
        Status::NotMainResidence,
        Status::ResidenceTooShort,
        Status::Duplicate,
        Status::Incomplete,
        Status::InvalidSheet,
        Status::AfterDeadline,
        Status::Withdrawn,
        Status::PendingConfirmation,
        Status::NeedsReview,
        Status::Unchecked,
    ];

    /// The reasons staff can give in the review queue, besides "valid".
    pub const REVIEW_REASONS: [Status; 8] = [
        Status::NotFound,
        Status::Underage,
        Status::NotCitizen,
        Status::NotMainResidence,
        Status::ResidenceTooShort,
        Status::Duplicate,
        Status::Incomplete,
        Status::AfterDeadline,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::NotFound => "not_found",
            Status::Underage => "underage",
            Status::NotCitizen => "not_citizen",
            Status::NotMainResidence => "not_main_residence",
            Status::ResidenceTooShort => "residence_too_short",
            Status::Duplicate => "duplicate",
            Status::Incomplete => "incomplete",
            Status::InvalidSheet => "invalid_sheet",
            Status::AfterDeadline => "after_deadline",
            Status::Withdrawn => "withdrawn",
            Status::PendingConfirmation => "pending_confirmation",
            Status::NeedsReview => "needs_review",
            Status::Unchecked => "unchecked",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// German, as staff and the check report name it.
    pub fn label(self) -> &'static str {
        match self {
            Status::Valid => "gültig",
            Status::NotFound => "nicht im Melderegister",
            Status::Underage => "zu jung",
            Status::NotCitizen => "weder deutsche noch EU-Staatsangehörigkeit",
            Status::NotMainResidence => "keine Hauptwohnung in der Gemeinde",
            Status::ResidenceTooShort => "zu kurz in der Gemeinde gemeldet",
            Status::Duplicate => "doppelt (die frühere Unterschrift zählt)",
            Status::Incomplete => "unvollständig (Person nicht bestimmbar)",
            Status::InvalidSheet => "Unterschriftenbogen ungültig",
            Status::AfterDeadline => "nach Fristende",
            Status::Withdrawn => "zurückgezogen",
            Status::PendingConfirmation => "noch nicht bestätigt",
            Status::NeedsReview => "zur Prüfung",
            Status::Unchecked => "noch nicht geprüft",
        }
    }

    /// Statuses the automatic check may set and change again (a person's decision, a
    /// withdrawal and a pending confirmation it leaves alone).
    pub fn is_automatic(self) -> bool {
        !matches!(self, Status::Withdrawn | Status::PendingConfirmation)
    }
}

impl From<Ineligible> for Status {
    fn from(i: Ineligible) -> Status {
        match i {
            Ineligible::Underage => Status::Underage,
            Ineligible::NotCitizen => Status::NotCitizen,
            Ineligible::NotMainResidence => Status::NotMainResidence,
            Ineligible::ResidenceTooShort => Status::ResidenceTooShort,
        }
    }
}

/// A signature's data as entered; empty strings and `None` are missing or unreadable fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedData {
    pub family_name: String,
    pub given_names: String,
    pub birth_date: Option<NaiveDate>,
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub city: String,
}

/// A register entry as the check sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterEntry {
    pub id: i64,
    pub family_name: String,
    pub given_names: String,
    pub birth_date: NaiveDate,
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub city: String,
    pub district: String,
    pub nationalities: Vec<String>,
    pub moved_in: NaiveDate,
    pub main_residence: bool,
}

/// The register's comma-separated nationalities ("DE,TR") as a list.
pub fn nationalities(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

impl RegisterEntry {
    /// Names and date of birth, normalized: what namesakes share.
    pub fn identity_key(&self) -> String {
        identity_key(&self.family_name, &self.given_names, self.birth_date)
    }

    /// The address as the register states it, normalized part by part.
    pub fn address_key(&self) -> String {
        address_key(
            &self.street,
            &self.house_number,
            &self.postal_code,
            &[&self.city, &self.district],
        )
    }

    /// Same names and date of birth, another register entry.
    pub fn is_namesake_of(&self, other: &RegisterEntry) -> bool {
        self.id != other.id
            && self.birth_date == other.birth_date
            && self.identity_key() == other.identity_key()
    }

    /// The person's key: two signatures with the same key are the same person, and only
    /// one of them counts. Names and date of birth, so that the key survives a new register
    /// import and a move within the municipality; for a person with a namesake in the
    /// register, the address too, so that namesakes are two people whose signatures both
    /// count. `register` must hold every entry born on this person's birthday (the
    /// candidates of a check do).
    pub fn person_key(&self, register: &[&RegisterEntry]) -> String {
        let identity = self.identity_key();
        if register.iter().any(|other| self.is_namesake_of(other)) {
            format!("{identity}|{}", self.address_key())
        } else {
            identity
        }
    }

    pub fn facts(&self) -> PersonFacts {
        PersonFacts {
            birth_date: self.birth_date,
            nationalities: self.nationalities.clone(),
            main_residence: self.main_residence,
            moved_in: self.moved_in,
        }
    }
}

/// How one part of a signature compares with a register entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldMatch {
    Exact,
    /// A typing error, another spelling, a name left out.
    Near,
    /// Missing or unreadable on the signature.
    Missing,
    Differs,
}

impl FieldMatch {
    fn agrees(self) -> bool {
        matches!(self, FieldMatch::Exact | FieldMatch::Near)
    }

    /// For the review page beside the highlighted field.
    pub fn label(self) -> &'static str {
        match self {
            FieldMatch::Exact => "stimmt überein",
            FieldMatch::Near => "ähnlich",
            FieldMatch::Missing => "fehlt auf der Unterschrift",
            FieldMatch::Differs => "weicht ab",
        }
    }
}

/// A signature against one register entry, part by part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub family_name: FieldMatch,
    pub given_names: FieldMatch,
    pub birth_date: FieldMatch,
    /// Street, house number and postal code together.
    pub address: FieldMatch,
}

impl Comparison {
    fn parts(&self) -> [FieldMatch; 4] {
        [
            self.family_name,
            self.given_names,
            self.birth_date,
            self.address,
        ]
    }

    pub fn is_exact(&self) -> bool {
        self.parts().iter().all(|p| *p == FieldMatch::Exact)
    }

    /// Whether the entry may be the signer: everything present agrees (exactly or nearly)
    /// and at least two parts do; or one part differs outright (a moved person's old
    /// address, a date of birth written wrong) while the three others agree.
    pub fn is_plausible(&self) -> bool {
        let agree = self.parts().iter().filter(|p| p.agrees()).count();
        let differ = self
            .parts()
            .iter()
            .filter(|p| **p == FieldMatch::Differs)
            .count();
        (differ == 0 && agree >= 2) || (differ == 1 && agree >= 3)
    }

    /// Fewer and smaller differences first, for ordering candidates.
    fn distance(&self) -> u32 {
        self.parts()
            .iter()
            .map(|p| match p {
                FieldMatch::Exact => 0,
                FieldMatch::Near => 1,
                FieldMatch::Missing => 2,
                FieldMatch::Differs => 4,
            })
            .sum()
    }
}

/// A signature's parts normalized once, for comparing it with many register entries (the
/// full check compares each signature with some fifty candidates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedKeys {
    family: String,
    /// All given names, normalized, each non-empty.
    given: Vec<String>,
    birth: Option<NaiveDate>,
    street: String,
    house: String,
    postal: String,
}

impl SignedKeys {
    /// The family name, normalized (`normalize_name`).
    pub fn family(&self) -> &str {
        &self.family
    }

    pub fn of(s: &SignedData) -> SignedKeys {
        SignedKeys {
            family: normalize_name(&s.family_name),
            given: all_given_names(&s.given_names)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect(),
            birth: s.birth_date,
            street: normalize_street(&s.street),
            house: normalize_house_number(&s.house_number),
            postal: s.postal_code.trim().to_owned(),
        }
    }
}

/// A register entry's parts as the comparison sees them: `family` as `normalize_name`,
/// `given` as `all_given_names`, `street` and `house` normalized, `postal` trimmed. Borrowed,
/// so that a register held in memory normalizes each distinct value once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryKeys<'a> {
    pub family: &'a str,
    pub given: &'a str,
    pub birth: NaiveDate,
    pub street: &'a str,
    pub house: &'a str,
    pub postal: &'a str,
}

/// `EntryKeys` owning its normalized parts, for a single entry.
struct OwnedEntryKeys {
    family: String,
    given: String,
    birth: NaiveDate,
    street: String,
    house: String,
    postal: String,
}

impl OwnedEntryKeys {
    fn of(r: &RegisterEntry) -> OwnedEntryKeys {
        OwnedEntryKeys {
            family: normalize_name(&r.family_name),
            given: all_given_names(&r.given_names),
            birth: r.birth_date,
            street: normalize_street(&r.street),
            house: normalize_house_number(&r.house_number),
            postal: r.postal_code.trim().to_owned(),
        }
    }

    fn view(&self) -> EntryKeys<'_> {
        EntryKeys {
            family: &self.family,
            given: &self.given,
            birth: self.birth,
            street: &self.street,
            house: &self.house,
            postal: &self.postal,
        }
    }
}

fn compare_family(a: &str, b: &str) -> FieldMatch {
    if a.is_empty() {
        FieldMatch::Missing
    } else if a == b {
        FieldMatch::Exact
    } else if names_nearly_equal(a, b)
        // A double name written half: "Müller" for "Müller-Lüdenscheidt".
        || (a.len() >= 3 && b.len() >= 3 && (b.starts_with(a) || b.ends_with(a) || a.starts_with(b)))
    {
        FieldMatch::Near
    } else {
        FieldMatch::Differs
    }
}

fn compare_given(s: &[String], register: &str) -> FieldMatch {
    let r = || register.split(' ').filter(|w| !w.is_empty());
    let (Some(first), Some(reg_first)) = (s.first(), r().next()) else {
        return if s.is_empty() {
            FieldMatch::Missing
        } else {
            FieldMatch::Differs
        };
    };
    // The first given name suffices, and so does any leading part of the register's names:
    // "Hans" and "Hans Peter" for "Hans Peter Karl".
    if s.len() <= r().count() && s.iter().zip(r()).all(|(a, b)| a == b) {
        return FieldMatch::Exact;
    }
    if names_nearly_equal(first, reg_first)
        // Called by a later given name ("Peter" for "Hans Peter"), or names in another order.
        || s.iter().all(|w| r().any(|x| x == w))
    {
        return FieldMatch::Near;
    }
    FieldMatch::Differs
}

fn compare_birth(signed: Option<NaiveDate>, register: NaiveDate) -> FieldMatch {
    match signed {
        None => FieldMatch::Missing,
        Some(d) if d == register => FieldMatch::Exact,
        Some(d) if dates_nearly_equal(d, register) => FieldMatch::Near,
        Some(_) => FieldMatch::Differs,
    }
}

fn compare_address(s: &SignedKeys, r: &EntryKeys) -> FieldMatch {
    let (street, house) = (s.street.as_str(), s.house.as_str());
    if street.is_empty() && house.is_empty() {
        return FieldMatch::Missing;
    }
    let street_eq = street == r.street;
    let house_eq = house == r.house;
    // Only asked where it decides: the full check compares each signature with hundreds
    // of namesakes living elsewhere, and the edit distance of two street names was most
    // of its time.
    let street_near = || !street.is_empty() && names_nearly_equal(street, r.street);
    let postal_differs = !s.postal.is_empty() && s.postal != r.postal;
    match (street_eq, house_eq) {
        (true, true) if !postal_differs => FieldMatch::Exact,
        (true, true) => FieldMatch::Near,
        // One part missing, the other agrees.
        (true, false) if house.is_empty() => FieldMatch::Near,
        (false, true) if street.is_empty() => FieldMatch::Near,
        // A typing error in the street, or in the house number (12 for 21).
        (false, true) if street_near() => FieldMatch::Near,
        (true, false) => FieldMatch::Near,
        _ => FieldMatch::Differs,
    }
}

pub fn compare(s: &SignedData, r: &RegisterEntry) -> Comparison {
    compare_keys(&SignedKeys::of(s), &OwnedEntryKeys::of(r).view())
}

/// `compare` on parts normalized beforehand.
pub fn compare_keys(s: &SignedKeys, r: &EntryKeys) -> Comparison {
    Comparison {
        family_name: compare_family(&s.family, r.family),
        given_names: compare_given(&s.given, r.given),
        birth_date: compare_birth(s.birth, r.birth),
        address: compare_address(s, r),
    }
}

/// `compare_keys` if the entry may be the signer (`Comparison::is_plausible`), else `None`;
/// what the full check asks of each of a signature's candidates. Exact matches and the
/// namesakes of one are plausible, so `decide` given only these decides as given all.
///
/// The cheap parts first, and out as soon as the answer is no: with one part differing
/// outright every other must agree, with two the entry is out. Most candidates share only
/// the date of birth (and live elsewhere), or only the names of a common family (born on
/// another day, living elsewhere): their address, two string comparisons, rules them out
/// before the names are compared letter by letter.
pub fn plausible_comparison(s: &SignedKeys, r: &EntryKeys) -> Option<Comparison> {
    let birth_date = compare_birth(s.birth, r.birth);
    let address = compare_address(s, r);
    if !may_be_plausible(&[birth_date, address]) {
        return None;
    }
    let family_name = compare_family(&s.family, r.family);
    if !may_be_plausible(&[birth_date, address, family_name]) {
        return None;
    }
    let c = Comparison {
        family_name,
        given_names: compare_given(&s.given, r.given),
        birth_date,
        address,
    };
    c.is_plausible().then_some(c)
}

/// Whether a comparison with these parts (and the rest still open) can still be plausible:
/// nothing differs, or one part does and all the others agree.
fn may_be_plausible(parts: &[FieldMatch]) -> bool {
    let differ = parts.iter().filter(|p| **p == FieldMatch::Differs).count();
    let agree = parts.iter().filter(|p| p.agrees()).count();
    differ == 0 || (differ == 1 && agree + 1 == parts.len())
}

/// What the check knows besides the signature and the candidates.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub rule_set: &'a RuleSet,
    /// The day eligibility is judged on (the day of signing or of submission, as the rule
    /// set says).
    pub reference_day: NaiveDate,
    /// The last day signatures could be given.
    pub collection_end: Option<NaiveDate>,
    /// The day the signer wrote beside their signature (paper), if any.
    pub signed_on: Option<NaiveDate>,
    /// The paper sheet this line is on was voided.
    pub sheet_void: bool,
}

/// The check's outcome for one signature (before duplicates across signatures are found).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub status: Status,
    /// The register entry the signature was matched to (exact matches).
    pub resident: Option<i64>,
    pub match_key: Option<String>,
    pub district: Option<String>,
}

impl Verdict {
    fn unmatched(status: Status) -> Verdict {
        Verdict {
            status,
            resident: None,
            match_key: None,
            district: None,
        }
    }
}

/// The candidates worth showing a reviewer, best first: at most `limit`, and beyond it
/// every namesake of one of those (a reviewer must see all the people a signature may
/// belong to, or they might give it to the wrong one).
pub fn plausible_candidates<'a>(
    s: &SignedData,
    candidates: &[&'a RegisterEntry],
    limit: usize,
) -> Vec<(&'a RegisterEntry, Comparison)> {
    let mut out: Vec<(&RegisterEntry, Comparison)> = candidates
        .iter()
        .map(|c| (*c, compare(s, c)))
        .filter(|(_, cmp)| cmp.is_plausible())
        .collect();
    out.sort_by_key(|(c, cmp)| (cmp.distance(), c.id));
    if out.len() > limit {
        let rest = out.split_off(limit);
        let namesakes: Vec<_> = rest
            .into_iter()
            .filter(|(c, _)| out.iter().any(|(kept, _)| c.is_namesake_of(kept)))
            .collect();
        out.extend(namesakes);
    }
    out
}

/// Whether the signature lacks a part that would identify its signer.
pub fn lacks_data(s: &SignedData) -> bool {
    normalize_name(&s.family_name).is_empty()
        || normalize_name(&s.given_names).is_empty()
        || s.birth_date.is_none()
        || normalize_street(&s.street).is_empty()
        || normalize_house_number(&s.house_number).is_empty()
}

/// Decides one signature. `candidates` are the register entries that share its date of birth
/// or its family and first given name (the service finds them by index); the check compares
/// them all.
pub fn decide(s: &SignedData, candidates: &[&RegisterEntry], ctx: &Context) -> Verdict {
    let keys = SignedKeys::of(s);
    let compared: Vec<(&RegisterEntry, Comparison)> = candidates
        .iter()
        .map(|c| (*c, compare_keys(&keys, &OwnedEntryKeys::of(c).view())))
        .collect();
    decide_compared(s, &compared, ctx)
}

/// `decide` on candidates already compared with the signature (the register held in memory
/// compares while it looks for them). `compared` must hold at least every plausible
/// candidate (`plausible_comparison`): the others change nothing.
pub fn decide_compared(
    s: &SignedData,
    compared: &[(&RegisterEntry, Comparison)],
    ctx: &Context,
) -> Verdict {
    if ctx.sheet_void {
        return Verdict::unmatched(Status::InvalidSheet);
    }
    if let (Some(signed), Some(end)) = (ctx.signed_on, ctx.collection_end)
        && signed > end
    {
        return Verdict::unmatched(Status::AfterDeadline);
    }
    // Namesakes (same names, same birthday) are told apart by the address: the one who
    // lives there is the only exact match; without a usable address none is.
    let exact: Vec<&RegisterEntry> = compared
        .iter()
        .filter(|(_, c)| c.is_exact())
        .map(|(entry, _)| *entry)
        .collect();
    if let [person] = exact[..] {
        let status = match ctx
            .rule_set
            .check_eligibility(&person.facts(), ctx.reference_day)
        {
            Ok(()) => Status::Valid,
            Err(why) => why.into(),
        };
        let candidates: Vec<&RegisterEntry> = compared.iter().map(|(entry, _)| *entry).collect();
        return Verdict {
            status,
            resident: Some(person.id),
            match_key: Some(person.person_key(&candidates)),
            district: Some(person.district.clone()),
        };
    }
    // Two entries equal in every part the signature gives (namesakes whose addresses differ
    // only in what the signature left out: two people a person must tell apart), or near
    // and partial matches.
    if exact.len() > 1 || compared.iter().any(|(_, c)| c.is_plausible()) {
        return Verdict::unmatched(Status::NeedsReview);
    }
    Verdict::unmatched(if lacks_data(s) {
        Status::Incomplete
    } else {
        Status::NotFound
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::petitions::rules::{State, rule_set};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn hans() -> RegisterEntry {
        RegisterEntry {
            id: 1,
            family_name: "Müller-Lüdenscheidt".into(),
            given_names: "Hans Peter".into(),
            birth_date: d(1980, 5, 17),
            street: "Lange Straße".into(),
            house_number: "12a".into(),
            postal_code: "32689".into(),
            city: "Kalletal".into(),
            district: "Hohenhausen".into(),
            nationalities: vec!["DE".into()],
            moved_in: d(2001, 1, 1),
            main_residence: true,
        }
    }

    fn signed_by_hans() -> SignedData {
        SignedData {
            family_name: "Mueller-Luedenscheidt".into(),
            given_names: "Hans".into(),
            birth_date: Some(d(1980, 5, 17)),
            street: "Lange Str.".into(),
            house_number: "12 A".into(),
            postal_code: "32689".into(),
            city: "Kalletal".into(),
        }
    }

    fn register() -> Vec<RegisterEntry> {
        let mut anna = hans();
        anna.id = 2;
        anna.given_names = "Anna".into();
        anna.birth_date = d(1982, 3, 4);
        let mut young = hans();
        young.id = 3;
        young.family_name = "Jung".into();
        young.given_names = "Lea".into();
        young.birth_date = d(2011, 6, 1);
        let mut foreign = hans();
        foreign.id = 4;
        foreign.family_name = "Yılmaz".into();
        foreign.given_names = "Emre".into();
        foreign.nationalities = vec!["TR".into()];
        let mut second_home = hans();
        second_home.id = 5;
        second_home.family_name = "Becker".into();
        second_home.given_names = "Jan".into();
        second_home.main_residence = false;
        let mut newcomer = hans();
        newcomer.id = 6;
        newcomer.family_name = "Neu".into();
        newcomer.given_names = "Nina".into();
        newcomer.moved_in = d(2026, 11, 20);
        let mut dual = hans();
        dual.id = 7;
        dual.family_name = "Kaya".into();
        dual.given_names = "Deniz".into();
        dual.nationalities = vec!["TR".into(), "DE".into()];
        vec![hans(), anna, young, foreign, second_home, newcomer, dual]
    }

    fn refs(entries: &[RegisterEntry]) -> Vec<&RegisterEntry> {
        entries.iter().collect()
    }

    fn ctx() -> Context<'static> {
        Context {
            rule_set: rule_set(State::NordrheinWestfalen, d(2026, 11, 1)).unwrap(),
            reference_day: d(2026, 11, 30),
            collection_end: Some(d(2027, 1, 31)),
            signed_on: None,
            sheet_void: false,
        }
    }

    fn signed(family: &str, given: &str, born: Option<NaiveDate>) -> SignedData {
        SignedData {
            family_name: family.into(),
            given_names: given.into(),
            birth_date: born,
            ..signed_by_hans()
        }
    }

    #[test]
    fn status_codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        assert_eq!(Status::parse("gültig"), None);
    }

    #[test]
    fn each_signature_gets_its_status() {
        let reg = register();
        let born = |y, m, day| Some(d(y, m, day));
        // (what was signed, expected status, matched entry)
        let cases: Vec<(SignedData, Status, Option<i64>)> = vec![
            // Spelling variants, first given name only, house number suffix: exact.
            (signed_by_hans(), Status::Valid, Some(1)),
            (
                signed("MÜLLER-LÜDENSCHEIDT", "Hans Peter", born(1980, 5, 17)),
                Status::Valid,
                Some(1),
            ),
            (
                signed("Jung", "Lea", born(2011, 6, 1)),
                Status::Underage,
                Some(3),
            ),
            (
                signed("Yilmaz", "Emre", born(1980, 5, 17)),
                Status::NotCitizen,
                Some(4),
            ),
            (
                signed("Kaya", "Deniz", born(1980, 5, 17)),
                Status::Valid,
                Some(7),
            ),
            (
                signed("Becker", "Jan", born(1980, 5, 17)),
                Status::NotMainResidence,
                Some(5),
            ),
            (
                signed("Neu", "Nina", born(1980, 5, 17)),
                Status::ResidenceTooShort,
                Some(6),
            ),
            // A typing error in the family name, swapped digits in the date: review.
            (
                signed("Müller-Lüdenschiedt", "Hans", born(1980, 5, 17)),
                Status::NeedsReview,
                None,
            ),
            (
                signed("Müller-Lüdenscheidt", "Hans", born(1908, 5, 17)),
                Status::NeedsReview,
                None,
            ),
            // The date of birth unreadable, the rest points to one person: review.
            (
                signed("Müller-Lüdenscheidt", "Hans", None),
                Status::NeedsReview,
                None,
            ),
            // Nobody of that name and birthday.
            (
                signed("Schulze", "Karl", born(1950, 1, 1)),
                Status::NotFound,
                None,
            ),
            // Too little to identify anyone.
            (signed("", "Karl", None), Status::Incomplete, None),
            (
                SignedData {
                    street: String::new(),
                    house_number: String::new(),
                    ..signed("Schulze", "", born(1950, 1, 1))
                },
                Status::Incomplete,
                None,
            ),
        ];
        for (data, status, resident) in cases {
            let v = decide(&data, &refs(&reg), &ctx());
            assert_eq!((v.status, v.resident), (status, resident), "{data:?}");
        }
    }

    #[test]
    fn a_matched_signature_carries_the_person_and_village() {
        let v = decide(&signed_by_hans(), &refs(&register()), &ctx());
        assert_eq!(
            v.match_key.as_deref(),
            Some("muellerluedenscheidt|hans peter|1980-05-17")
        );
        assert_eq!(v.district.as_deref(), Some("Hohenhausen"));
    }

    #[test]
    fn sheet_and_deadline_come_first() {
        let reg = register();
        let reg = refs(&reg);
        let void = Context {
            sheet_void: true,
            ..ctx()
        };
        assert_eq!(
            decide(&signed_by_hans(), &reg, &void).status,
            Status::InvalidSheet
        );
        let late = Context {
            signed_on: Some(d(2027, 2, 1)),
            ..ctx()
        };
        assert_eq!(
            decide(&signed_by_hans(), &reg, &late).status,
            Status::AfterDeadline
        );
        let in_time = Context {
            signed_on: Some(d(2027, 1, 31)),
            ..ctx()
        };
        assert_eq!(
            decide(&signed_by_hans(), &reg, &in_time).status,
            Status::Valid
        );
    }

    #[test]
    fn eligibility_is_judged_on_the_reference_day() {
        let reg = register();
        let reg = refs(&reg);
        // Nina moved in on 20 November: 16 days later, on 6 December, she may sign.
        let nina = signed("Neu", "Nina", Some(d(1980, 5, 17)));
        let later = Context {
            reference_day: d(2026, 12, 6),
            ..ctx()
        };
        assert_eq!(decide(&nina, &reg, &later).status, Status::Valid);
        let by = Context {
            rule_set: rule_set(State::Bayern, d(2026, 11, 1)).unwrap(),
            reference_day: d(2026, 12, 6),
            ..ctx()
        };
        assert_eq!(decide(&nina, &reg, &by).status, Status::ResidenceTooShort);
    }

    #[test]
    fn parts_compare_as_a_clerk_would() {
        use FieldMatch::*;
        let h = hans();
        let cases = [
            (signed_by_hans(), [Exact, Exact, Exact, Exact]),
            (
                signed("Müller", "Peter", Some(d(1980, 5, 17))),
                [Near, Near, Exact, Exact],
            ),
            (
                signed("Müller-Lüdenscheidt", "Hans Peter", Some(d(1980, 5, 18))),
                [Exact, Exact, Near, Exact],
            ),
            (
                signed("Schmidt", "Hans", Some(d(1970, 1, 1))),
                [Differs, Exact, Differs, Exact],
            ),
            (
                SignedData {
                    house_number: "14".into(),
                    street: "Lange Straße".into(),
                    ..signed_by_hans()
                },
                [Exact, Exact, Exact, Near],
            ),
            (
                SignedData {
                    street: "Lindenweg".into(),
                    house_number: "3".into(),
                    ..signed_by_hans()
                },
                [Exact, Exact, Exact, Differs],
            ),
            (
                SignedData {
                    street: String::new(),
                    house_number: String::new(),
                    ..signed_by_hans()
                },
                [Exact, Exact, Exact, Missing],
            ),
            (
                SignedData {
                    postal_code: "32683".into(),
                    ..signed_by_hans()
                },
                [Exact, Exact, Exact, Near],
            ),
        ];
        for (data, want) in cases {
            let c = compare(&data, &h);
            assert_eq!(
                [c.family_name, c.given_names, c.birth_date, c.address],
                want,
                "{data:?}"
            );
        }
        // Someone who moved within the municipality: old address, everything else equal.
        let moved = SignedData {
            street: "Lindenweg".into(),
            house_number: "3".into(),
            ..signed_by_hans()
        };
        assert!(compare(&moved, &h).is_plausible());
        // Same family and address, another person.
        assert!(
            !compare(
                &signed("Müller-Lüdenscheidt", "Karl", Some(d(1950, 2, 2))),
                &h
            )
            .is_plausible()
        );
    }

    /// The full check hands `decide` only the plausible candidates it finds with
    /// `plausible_comparison`: for every kind of signature that decides as all candidates do,
    /// and the shortcut compares as `compare` does.
    #[test]
    fn plausible_candidates_alone_decide_as_all_do() {
        let mut reg = register();
        reg.extend(namesakes());
        let born = |y, m, day| Some(d(y, m, day));
        let mut signatures = vec![
            signed_by_hans(),
            signed("Müller", "Peter", born(1980, 5, 17)),
            signed("Müller-Lüdenschiedt", "Hans", born(1980, 5, 17)),
            signed("Müller-Lüdenscheidt", "Hans", born(1908, 5, 17)),
            signed("Müller-Lüdenscheidt", "Hans", None),
            signed("Jung", "Lea", born(2011, 6, 1)),
            signed("Yilmaz", "Emre", born(1980, 5, 17)),
            signed("Schulze", "Karl", born(1950, 1, 1)),
            signed("", "Karl", None),
            signed("Müller-Lüdenscheidt", "Karl", born(1950, 2, 2)),
            ali("Lange Straße", "12a"),
            ali("Dorfstraße", "3"),
            ali("", ""),
        ];
        signatures.push(SignedData {
            street: "Lindenweg".into(),
            house_number: "3".into(),
            ..signed_by_hans()
        });
        let mut some_left_out = false;
        for s in &signatures {
            let keys = SignedKeys::of(s);
            let mut plausible = Vec::new();
            for r in &reg {
                let full = compare(s, r);
                let owned = OwnedEntryKeys::of(r);
                let short = plausible_comparison(&keys, &owned.view());
                assert_eq!(short, full.is_plausible().then_some(full), "{s:?} / {r:?}");
                if short.is_some() {
                    plausible.push(r);
                }
            }
            some_left_out |= plausible.len() < reg.len();
            assert_eq!(
                decide(s, &plausible, &ctx()),
                decide(s, &refs(&reg), &ctx()),
                "{s:?}"
            );
        }
        assert!(some_left_out);
    }

    /// Two residents with the same names and the registry office's `01.01.` for an unknown
    /// birthday, living in different places, and a third in the same house as the first but
    /// in another village with the same street.
    fn namesakes() -> Vec<RegisterEntry> {
        let mut first = hans();
        first.id = 11;
        first.family_name = "Ahmadi".into();
        first.given_names = "Ali".into();
        first.birth_date = d(1990, 1, 1);
        first.street = "Lange Straße".into();
        first.house_number = "12a".into();
        let mut second = first.clone();
        second.id = 12;
        second.street = "Talweg".into();
        second.house_number = "3".into();
        second.district = "Talle".into();
        // Not yet 16 days in the municipality: the rules decide for the right one.
        second.moved_in = d(2026, 11, 25);
        vec![first, second]
    }

    fn ali(street: &str, house: &str) -> SignedData {
        SignedData {
            street: street.into(),
            house_number: house.into(),
            ..signed("Ahmadi", "Ali", Some(d(1990, 1, 1)))
        }
    }

    #[test]
    fn namesakes_are_told_apart_by_their_address() {
        let reg = namesakes();
        let reg = refs(&reg);
        // (what was signed, expected status, matched entry)
        let cases = [
            (ali("Lange Str.", "12 A"), Status::Valid, Some(11)),
            (ali("Talweg", "3"), Status::ResidenceTooShort, Some(12)),
            // No usable address: either of them may have signed.
            (ali("", ""), Status::NeedsReview, None),
            // Neither of their addresses: a person decides, never one of them by chance.
            (ali("Lindenweg", "7"), Status::NeedsReview, None),
            // A typing error in one namesake's street: still for a person to decide.
            (ali("Lange Strase", "12a"), Status::NeedsReview, None),
        ];
        for (data, status, resident) in cases {
            let v = decide(&data, &reg, &ctx());
            assert_eq!((v.status, v.resident), (status, resident), "{data:?}");
        }
        // A reviewer sees both, however small the limit.
        let shown: Vec<i64> = plausible_candidates(&ali("", ""), &reg, 1)
            .iter()
            .map(|(c, _)| c.id)
            .collect();
        assert_eq!(shown, vec![11, 12]);
    }

    #[test]
    fn namesakes_have_keys_of_their_own() {
        let reg = namesakes();
        let reg = refs(&reg);
        let first = decide(&ali("Lange Straße", "12a"), &reg, &ctx());
        let mut later = ctx();
        later.reference_day = d(2026, 12, 31);
        let second = decide(&ali("Talweg", "3"), &reg, &later);
        assert_eq!(
            (first.status, second.status),
            (Status::Valid, Status::Valid)
        );
        assert_eq!(
            first.match_key.as_deref(),
            Some("ahmadi|ali|1990-01-01|langestrasse|12a|32689|kalletal|hohenhausen")
        );
        assert_eq!(
            second.match_key.as_deref(),
            Some("ahmadi|ali|1990-01-01|talweg|3|32689|kalletal|talle")
        );
        // Alone in the register, a person keeps the key of names and birthday, whatever
        // their address: a move does not make them someone else.
        let alone = [reg[0]];
        assert_eq!(
            decide(&ali("Lange Straße", "12a"), &alone, &ctx())
                .match_key
                .as_deref(),
            Some("ahmadi|ali|1990-01-01")
        );
        // Someone else born that day is no namesake.
        let mut other = namesakes()[1].clone();
        other.given_names = "Ali Reza".into();
        let pair = [reg[0], &other];
        assert_eq!(
            decide(&ali("Lange Straße", "12a"), &pair, &ctx())
                .match_key
                .as_deref(),
            Some("ahmadi|ali|1990-01-01")
        );
    }

    #[test]
    fn twins_are_told_apart_by_their_given_names() {
        let mut anna = hans();
        anna.given_names = "Anna Maria".into();
        let mut lena = hans();
        lena.id = 9;
        lena.given_names = "Anna Lena".into();
        let reg = [&anna, &lena];
        // "Anna" alone fits both: a person decides.
        let v = decide(
            &signed("Müller-Lüdenscheidt", "Anna", Some(d(1980, 5, 17))),
            &reg,
            &ctx(),
        );
        assert_eq!(v.status, Status::NeedsReview);
        let v = decide(
            &signed("Müller-Lüdenscheidt", "Anna Lena", Some(d(1980, 5, 17))),
            &reg,
            &ctx(),
        );
        assert_eq!((v.status, v.resident), (Status::Valid, Some(9)));
    }
}
