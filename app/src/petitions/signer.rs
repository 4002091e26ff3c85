//! The data a signature must carry so that the administration can identify the signer in the
//! resident register: names, date of birth, address. Parsed into small types with German
//! messages for the field that is wrong; the server always parses again.
//!
//! Parsing checks form, not eligibility: a 15-year-old's signature is recorded and later
//! decided as `underage` against the register, but a date of birth in the future is a typing
//! error the signer can fix at once.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldErrors};
use crate::i18n::{t, t_args};
use crate::register::check::SignedData;

pub const NAME_MAX_CHARS: usize = 100;
pub const HOUSE_NUMBER_MAX_CHARS: usize = 12;
/// Older than this is a typing error, not a signer.
pub const MAX_AGE_YEARS: u32 = 120;
/// Younger than this is a typing error too (often the current year typed by mistake).
pub const MIN_PLAUSIBLE_AGE_YEARS: u32 = 10;

/// The fields as a form or a CSV line delivers them (names as in the issue and the forms).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignerInput {
    pub family_name: String,
    pub given_names: String,
    pub birth_date: String,
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub city: String,
}

/// A signer's data after parsing: trimmed, inner white space collapsed, date parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub family_name: String,
    pub given_names: String,
    pub birth_date: NaiveDate,
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub city: String,
}

impl Signer {
    /// Parses every field and reports all problems at once, each at its field.
    pub fn parse(input: &SignerInput, today: NaiveDate) -> Result<Signer, AppError> {
        let mut errors = FieldErrors::new();
        let signer = Signer::parse_into(input, today, &mut errors);
        errors.into_result()?;
        signer.ok_or(AppError::Internal)
    }

    /// Parses into `errors`, so that a form with more fields (an email address, a sheet
    /// and line) reports the signer's problems together with its own.
    pub fn parse_into(
        input: &SignerInput,
        today: NaiveDate,
        errors: &mut FieldErrors,
    ) -> Option<Signer> {
        let family_name = errors.check("family_name", name(&input.family_name, "family-name"));
        let given_names = errors.check("given_names", name(&input.given_names, "given-names"));
        let birth_date = errors.check("birth_date", birth_date(&input.birth_date, today));
        let street = errors.check("street", street(&input.street));
        let house_number = errors.check("house_number", house_number(&input.house_number));
        let postal_code = errors.check("postal_code", postal_code(&input.postal_code));
        let city = errors.check("city", place(&input.city));
        Some(Signer {
            family_name: family_name?,
            given_names: given_names?,
            birth_date: birth_date?,
            street: street?,
            house_number: house_number?,
            postal_code: postal_code?,
            city: city?,
        })
    }
}

/// Trims, collapses inner white space and composes characters (NFC): a name typed on a
/// system that sends "u" plus a combining diaeresis is the same "ü" as everyone else's.
fn collapse(input: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    input
        .nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A person's or place's name: letters (any script), spaces, hyphens, apostrophes, dots.
/// `field` names the messages: `petition-signer-{field}-missing`, `-too-long`, `-letters`.
fn name(input: &str, field: &str) -> Result<String, String> {
    let value = collapse(input);
    if value.is_empty() {
        return Err(t(&format!("petition-signer-{field}-missing")));
    }
    if value.chars().count() > NAME_MAX_CHARS {
        return Err(t_args(
            &format!("petition-signer-{field}-too-long"),
            &[("max", &NAME_MAX_CHARS.to_string())],
        ));
    }
    let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.');
    if !value.chars().any(char::is_alphabetic) || !value.chars().all(allowed) {
        return Err(t(&format!("petition-signer-{field}-letters")));
    }
    Ok(value)
}

/// Places may carry a river in brackets: "Frankfurt (Oder)", "Halle (Saale)".
fn place(input: &str) -> Result<String, String> {
    let without_brackets: String = input.chars().filter(|c| !matches!(c, '(' | ')')).collect();
    name(&without_brackets, "city")?;
    Ok(collapse(input))
}

fn street(input: &str) -> Result<String, String> {
    let value = collapse(input);
    if value.is_empty() {
        return Err(t("petition-signer-street-missing"));
    }
    if value.chars().count() > NAME_MAX_CHARS {
        return Err(t_args(
            "petition-signer-street-too-long",
            &[("max", &NAME_MAX_CHARS.to_string())],
        ));
    }
    let allowed = |c: char| {
        c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '’' | '.' | '/' | '(' | ')')
    };
    if !value.chars().any(char::is_alphabetic) || !value.chars().all(allowed) {
        return Err(t("petition-signer-street-chars"));
    }
    Ok(value)
}

/// "12", "12a", "12 A", "3-5", "7/1": starts with a digit.
fn house_number(input: &str) -> Result<String, String> {
    let value = collapse(input);
    if value.is_empty() {
        return Err(t("petition-signer-house-number-missing"));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '/' | '.');
    if value.chars().count() > HOUSE_NUMBER_MAX_CHARS
        || !value.starts_with(|c: char| c.is_ascii_digit())
        || !value.chars().all(allowed)
    {
        return Err(t("petition-signer-house-number-invalid"));
    }
    Ok(value)
}

fn postal_code(input: &str) -> Result<String, String> {
    let value = input.trim();
    if value.is_empty() {
        return Err(t("petition-signer-postal-code-missing"));
    }
    if value.len() != 5 || !value.chars().all(|c| c.is_ascii_digit()) {
        return Err(t("petition-signer-postal-code-invalid"));
    }
    Ok(value.to_owned())
}

/// Accepts what browsers send for a date input (`JJJJ-MM-TT`) and the German form
/// (`TT.MM.JJJJ`) that paper lists are typed in.
pub fn birth_date(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let value = input.trim();
    if value.is_empty() {
        return Err(t("petition-signer-birth-date-missing"));
    }
    let date = super::parse_date(value).ok_or_else(|| t("petition-signer-birth-date-invalid"))?;
    if date.year() < 1000 {
        return Err(t("petition-signer-birth-date-year"));
    }
    if date > today {
        return Err(t("petition-signer-birth-date-future"));
    }
    let years_ago = |n: u32| today.checked_sub_months(Months::new(12 * n));
    if years_ago(MAX_AGE_YEARS).is_some_and(|limit| date < limit) {
        return Err(t_args(
            "petition-signer-birth-date-too-old",
            &[("years", &MAX_AGE_YEARS.to_string())],
        ));
    }
    if years_ago(MIN_PLAUSIBLE_AGE_YEARS).is_some_and(|limit| date > limit) {
        return Err(t_args(
            "petition-signer-birth-date-implausible",
            &[("year", &date.year().to_string())],
        ));
    }
    Ok(date)
}

/// An online signature as the form sends it: the signer, an email address for the
/// confirmation link and the explicit consent to the privacy notice.
#[derive(Debug, Clone)]
pub struct OnlineSignature {
    pub signer: Signer,
    pub email: crate::accounts::domain::EmailAddress,
    /// The signer wants an email at each public step of the procedure.
    pub notify: bool,
}

impl OnlineSignature {
    pub fn parse(
        input: &SignerInput,
        email: &str,
        consent: bool,
        notify: bool,
        today: NaiveDate,
    ) -> Result<OnlineSignature, AppError> {
        let mut errors = FieldErrors::new();
        let signer = Signer::parse_into(input, today, &mut errors);
        let email = errors.check("email", crate::accounts::domain::EmailAddress::parse(email));
        if !consent {
            errors.add("consent", t("petition-signer-consent-missing"));
        }
        errors.into_result()?;
        match (signer, email) {
            (Some(signer), Some(email)) => Ok(OnlineSignature {
                signer,
                email,
                notify,
            }),
            _ => Err(AppError::Internal),
        }
    }
}

/// The largest sheet and line numbers staff can enter (a typing error beyond).
pub const MAX_SHEET: u32 = 100_000;
pub const MAX_LINE: u32 = 100;

/// One line of a paper list as staff type it or the import reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperInput {
    pub sheet: String,
    pub line: String,
    pub signer: SignerInput,
    pub signed_on: String,
}

/// A line of a paper list as recorded: what the signer wrote, as far as it is readable. A
/// missing or unreadable field does not refuse the line — the register check decides it
/// (courts require the administration to try to identify the signer, OVG NRW 15 B 584/13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperLine {
    pub sheet: u32,
    pub line: u32,
    pub signer: SignedData,
    /// The date of birth as written, when it is not a date.
    pub birth_date_entered: Option<String>,
    /// The day the signer wrote beside the signature; `None` when missing or unreadable.
    pub signed_on: Option<NaiveDate>,
    /// A signing date was written but is no date (or lies in the future): the deadline
    /// cannot be checked for this line, which the entry message says.
    pub signed_on_unreadable: bool,
}

/// `what` names the messages: `petition-signer-{what}-missing` and `-range`.
fn number(input: &str, max: u32, what: &str) -> Result<u32, String> {
    match input.trim().parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ if input.trim().is_empty() => Err(t(&format!("petition-signer-{what}-missing"))),
        _ => Err(t_args(
            &format!("petition-signer-{what}-range"),
            &[("max", &max.to_string())],
        )),
    }
}

/// What was written, trimmed and cut to the column's length.
fn as_written(input: &str, max: usize) -> String {
    collapse(input).chars().take(max).collect()
}

impl PaperLine {
    /// Only the sheet and line number must be right (they say where the line is), and the
    /// line must not be empty; the signer's fields are taken as written.
    pub fn parse(input: &PaperInput, today: NaiveDate) -> Result<PaperLine, AppError> {
        let mut errors = FieldErrors::new();
        let sheet = errors.check("sheet", number(&input.sheet, MAX_SHEET, "sheet"));
        let line = errors.check("line", number(&input.line, MAX_LINE, "line"));
        let i = &input.signer;
        let empty = [
            &i.family_name,
            &i.given_names,
            &i.birth_date,
            &i.street,
            &i.house_number,
            &i.postal_code,
            &i.city,
        ]
        .iter()
        .all(|f| f.trim().is_empty());
        if empty {
            errors.add("family_name", t("petition-signer-line-empty"));
        }
        errors.into_result()?;
        let written_birth = collapse(&i.birth_date);
        let birth_date = birth_date(&written_birth, today).ok();
        let signed_on = super::parse_date(&input.signed_on).filter(|d| *d <= today);
        match (sheet, line) {
            (Some(sheet), Some(line)) => Ok(PaperLine {
                sheet,
                line,
                signer: SignedData {
                    family_name: as_written(&i.family_name, NAME_MAX_CHARS),
                    given_names: as_written(&i.given_names, NAME_MAX_CHARS),
                    birth_date,
                    street: as_written(&i.street, NAME_MAX_CHARS),
                    house_number: as_written(&i.house_number, HOUSE_NUMBER_MAX_CHARS),
                    postal_code: as_written(&i.postal_code, 5),
                    city: as_written(&i.city, NAME_MAX_CHARS),
                },
                birth_date_entered: (birth_date.is_none() && !written_birth.is_empty())
                    .then(|| written_birth.chars().take(32).collect()),
                signed_on_unreadable: signed_on.is_none() && !input.signed_on.trim().is_empty(),
                signed_on,
            }),
            _ => Err(AppError::Internal),
        }
    }

    /// The fields the register check will miss, as codes (`family_name`, `given_names`,
    /// `birth_date`, `street`, `house_number`, `signed_on`), for the entry message.
    pub fn unreadable(&self) -> Vec<&'static str> {
        let s = &self.signer;
        let mut out = Vec::new();
        for (value, code) in [
            (&s.family_name, "family_name"),
            (&s.given_names, "given_names"),
        ] {
            if value.is_empty() {
                out.push(code);
            }
        }
        if s.birth_date.is_none() {
            out.push("birth_date");
        }
        for (value, code) in [(&s.street, "street"), (&s.house_number, "house_number")] {
            if value.is_empty() {
                out.push(code);
            }
        }
        if self.signed_on_unreadable {
            out.push("signed_on");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    fn valid() -> SignerInput {
        SignerInput {
            family_name: " Müller-Lüdenscheidt ".into(),
            given_names: "Hans  Peter".into(),
            birth_date: "1980-05-17".into(),
            street: "Lange Str.".into(),
            house_number: "12 a".into(),
            postal_code: "32689".into(),
            city: "Kalletal".into(),
        }
    }

    fn fields_of(err: AppError) -> Vec<(String, String)> {
        match err {
            AppError::Validation { fields } => {
                fields.into_iter().map(|f| (f.field, f.message)).collect()
            }
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_complete_signer_is_parsed_and_tidied() {
        let s = Signer::parse(&valid(), today()).unwrap();
        assert_eq!(s.family_name, "Müller-Lüdenscheidt");
        assert_eq!(s.given_names, "Hans Peter");
        assert_eq!(s.birth_date, NaiveDate::from_ymd_opt(1980, 5, 17).unwrap());
        assert_eq!(s.house_number, "12 a");
        // The German date form works as well (paper lists).
        let paper = SignerInput {
            birth_date: "17.05.1980".into(),
            ..valid()
        };
        assert_eq!(
            Signer::parse(&paper, today()).unwrap().birth_date,
            s.birth_date
        );
        // Names from every script, apostrophes and particles.
        let other = SignerInput {
            family_name: "O’Neill".into(),
            given_names: "Zoë Ağca".into(),
            street: "Am Alten Hof (Hinterhaus)".into(),
            house_number: "7/1".into(),
            city: "Frankfurt (Oder)".into(),
            ..valid()
        };
        assert!(Signer::parse(&other, today()).is_ok());
    }

    #[test]
    fn each_bad_field_is_named_with_a_german_message() {
        // (field, value, part of the message)
        let cases: &[(&str, &str, &str)] = &[
            (
                "family_name",
                "",
                "Bitte geben Sie Ihren Familiennamen ein.",
            ),
            ("family_name", "M<script>", "nur Buchstaben"),
            ("family_name", "1234", "nur Buchstaben"),
            ("given_names", "   ", "Bitte geben Sie Ihren Vornamen ein."),
            ("birth_date", "", "Bitte geben Sie Ihr Geburtsdatum ein."),
            ("birth_date", "2027-01-01", "in der Zukunft"),
            ("birth_date", "1890-01-01", "mehr als 120 Jahre"),
            ("birth_date", "2026-01-01", "nicht plausibel"),
            ("birth_date", "31.02.1980", "als Datum"),
            ("birth_date", "gestern", "als Datum"),
            ("street", "", "Bitte geben Sie die Straße ein."),
            ("street", "<b>Weg</b>", "ohne Sonderzeichen"),
            ("house_number", "", "Hausnummer ein"),
            ("house_number", "a12", "wie „12“"),
            ("house_number", "12345678901234", "wie „12“"),
            ("postal_code", "", "Postleitzahl ein"),
            ("postal_code", "3268", "fünf Ziffern"),
            ("postal_code", "32689a", "fünf Ziffern"),
            ("city", "", "Bitte geben Sie den Ort ein."),
            ("city", "Kalletal <3", "nur Buchstaben"),
            ("birth_date", "17.05.80", "vierstellig"),
        ];
        for &(field, value, message) in cases {
            let mut input = valid();
            let slot = match field {
                "family_name" => &mut input.family_name,
                "given_names" => &mut input.given_names,
                "birth_date" => &mut input.birth_date,
                "street" => &mut input.street,
                "house_number" => &mut input.house_number,
                "postal_code" => &mut input.postal_code,
                _ => &mut input.city,
            };
            *slot = value.to_owned();
            let fields = fields_of(Signer::parse(&input, today()).unwrap_err());
            assert_eq!(fields.len(), 1, "{field}={value}: {fields:?}");
            assert_eq!(fields[0].0, field);
            assert!(
                fields[0].1.contains(message),
                "{field}={value}: {}",
                fields[0].1
            );
        }
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let fields = fields_of(Signer::parse(&SignerInput::default(), today()).unwrap_err());
        let names: Vec<_> = fields.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "family_name",
                "given_names",
                "birth_date",
                "street",
                "house_number",
                "postal_code",
                "city"
            ]
        );
    }

    #[test]
    fn oversized_names_are_refused() {
        let long = SignerInput {
            family_name: "a".repeat(101),
            ..valid()
        };
        let fields = fields_of(Signer::parse(&long, today()).unwrap_err());
        assert!(fields[0].1.contains("höchstens 100 Zeichen"));
    }
    #[test]
    fn decomposed_umlauts_are_composed() {
        let mut input = valid();
        input.family_name = "Mu\u{308}ller".into();
        let signer = Signer::parse(&input, today()).unwrap();
        assert_eq!(signer.family_name, "Müller");
    }

    #[test]
    fn online_signatures_need_an_address_and_consent() {
        let err = OnlineSignature::parse(&valid(), "kein-at", false, false, today()).unwrap_err();
        let fields: Vec<String> = fields_of(err).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["email", "consent"]);
        let mut bad = valid();
        bad.birth_date = "2030-01-01".into();
        let err = OnlineSignature::parse(&bad, "a@example.org", true, false, today()).unwrap_err();
        assert_eq!(fields_of(err)[0].0, "birth_date");
        let ok = OnlineSignature::parse(&valid(), " A@Example.org ", true, true, today()).unwrap();
        assert_eq!(ok.email.as_str(), "a@example.org");
        assert!(ok.notify);
    }

    #[test]
    fn paper_lines_need_sheet_and_line() {
        let input = PaperInput {
            sheet: "3".into(),
            line: "12".into(),
            signer: valid(),
            signed_on: "28.11.2026".into(),
        };
        let line = PaperLine::parse(&input, today()).unwrap();
        assert_eq!((line.sheet, line.line), (3, 12));
        assert_eq!(line.signed_on, NaiveDate::from_ymd_opt(2026, 11, 28));
        assert!(line.unreadable().is_empty());
        for (sheet, l, field) in [
            ("", "1", "sheet"),
            ("0", "1", "sheet"),
            ("1", "101", "line"),
            ("1", "x", "line"),
        ] {
            let input = PaperInput {
                sheet: sheet.into(),
                line: l.into(),
                signer: valid(),
                signed_on: String::new(),
            };
            let err = PaperLine::parse(&input, today()).unwrap_err();
            assert_eq!(fields_of(err)[0].0, field, "{sheet}/{l}");
        }
        let empty = PaperInput {
            sheet: "1".into(),
            line: "1".into(),
            ..Default::default()
        };
        let err = PaperLine::parse(&empty, today()).unwrap_err();
        assert_eq!(fields_of(err)[0].0, "family_name");
    }

    #[test]
    fn unreadable_paper_fields_are_recorded_as_written() {
        let input = PaperInput {
            sheet: "1".into(),
            line: "2".into(),
            signer: SignerInput {
                birth_date: "31.02.19??".into(),
                house_number: String::new(),
                postal_code: "3268".into(),
                ..valid()
            },
            // A date in the future or no date at all: unknown.
            signed_on: "01.01.2027".into(),
        };
        let line = PaperLine::parse(&input, today()).unwrap();
        assert_eq!(line.signer.birth_date, None);
        assert_eq!(line.birth_date_entered.as_deref(), Some("31.02.19??"));
        assert_eq!(line.signer.family_name, "Müller-Lüdenscheidt");
        assert_eq!(line.signer.given_names, "Hans Peter");
        assert_eq!(line.signer.postal_code, "3268");
        assert_eq!(line.signed_on, None);
        assert_eq!(
            line.unreadable(),
            vec!["birth_date", "house_number", "signed_on"]
        );
    }
}
