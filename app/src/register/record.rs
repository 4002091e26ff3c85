//! One line of a register export:
//! `Familienname;Vornamen;Geburtsdatum;Straße;Hausnummer;PLZ;Ort;Ortsteil;Staatsangehörigkeit;Einzugsdatum;Wohnungsstatus`,
//! dates `TT.MM.JJJJ`, nationalities as ISO 3166-1 alpha-2 codes separated by commas,
//! residence status `Hauptwohnung`/`Nebenwohnung` (or `HW`/`NW`). Files come in UTF-8 or
//! Windows-1252, as the registry software writes them.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::petitions::rules::PersonFacts;

pub const HEADER: [&str; 11] = [
    "Familienname",
    "Vornamen",
    "Geburtsdatum",
    "Straße",
    "Hausnummer",
    "PLZ",
    "Ort",
    "Ortsteil",
    "Staatsangehörigkeit",
    "Einzugsdatum",
    "Wohnungsstatus",
];

/// The character encoding of a register file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

impl Encoding {
    /// `utf-8` / `windows-1252` (also `cp1252`, `latin1`), as `--encoding` takes it.
    pub fn parse(name: &str) -> Option<Encoding> {
        match name.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "windows-1252" | "cp1252" | "latin1" | "iso-8859-1" => Some(Encoding::Windows1252),
            _ => None,
        }
    }

    /// Guesses from the start of a file: valid UTF-8 (a BOM, or umlauts as two bytes) is
    /// UTF-8; bytes that are not are Windows-1252, the other encoding registry software
    /// writes. A sample cut inside a multi-byte character still counts as UTF-8.
    pub fn detect(sample: &[u8]) -> Encoding {
        match std::str::from_utf8(sample) {
            Ok(_) => Encoding::Utf8,
            Err(e) if e.error_len().is_none() => Encoding::Utf8,
            Err(_) => Encoding::Windows1252,
        }
    }

    /// Decodes one line; `None` when a UTF-8 file has bytes that are not UTF-8.
    pub fn decode(self, bytes: &[u8]) -> Option<Cow<'_, str>> {
        match self {
            Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
            Encoding::Windows1252 => {
                let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                Some(text)
            }
        }
    }
}

/// A resident as the register lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentRecord {
    pub family_name: String,
    pub given_names: String,
    pub birth_date: NaiveDate,
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub city: String,
    /// *Ortsteil* (village), for the tallies by district; may be empty.
    pub district: String,
    /// ISO 3166-1 alpha-2 codes, upper case.
    pub nationalities: Vec<String>,
    pub moved_in: NaiveDate,
    /// *Hauptwohnung* (main residence) rather than *Nebenwohnung*.
    pub main_residence: bool,
}

impl ResidentRecord {
    /// The facts eligibility is judged on.
    pub fn facts(&self) -> PersonFacts {
        PersonFacts {
            birth_date: self.birth_date,
            nationalities: self.nationalities.clone(),
            main_residence: self.main_residence,
            moved_in: self.moved_in,
        }
    }
}

/// Whether the header line is the expected one (a UTF-8 BOM and spaces tolerated).
pub fn header_matches(fields: &[&str]) -> bool {
    fields.len() == HEADER.len()
        && fields
            .iter()
            .zip(HEADER)
            .enumerate()
            .all(|(i, (got, want))| {
                let got = if i == 0 {
                    got.trim_start_matches('\u{feff}')
                } else {
                    got
                };
                got.trim() == want
            })
}

fn date(input: &str, label: &str) -> Result<NaiveDate, String> {
    let value = input.trim();
    if value.is_empty() {
        return Err(format!("{label} fehlt"));
    }
    NaiveDate::parse_from_str(value, "%d.%m.%Y")
        .ok()
        .filter(|d| value.len() == 10 && d.format("%d.%m.%Y").to_string() == value)
        .ok_or_else(|| format!("{label} „{value}“ ist kein Datum der Form TT.MM.JJJJ"))
}

fn required(input: &str, label: &str) -> Result<String, String> {
    let value = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        Err(format!("{label} fehlt"))
    } else {
        Ok(value)
    }
}

fn nationalities(input: &str) -> Result<Vec<String>, String> {
    let codes: Vec<String> = input
        .split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return Err("Staatsangehörigkeit fehlt".into());
    }
    match codes
        .iter()
        .find(|c| c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()))
    {
        Some(bad) => Err(format!(
            "Staatsangehörigkeit „{bad}“ ist kein Ländercode nach ISO 3166-1 (zwei Buchstaben, z. B. DE)"
        )),
        None => Ok(codes),
    }
}

fn residence(input: &str) -> Result<bool, String> {
    let value = input.trim();
    match value.to_lowercase().as_str() {
        "hauptwohnung" | "hw" => Ok(true),
        "nebenwohnung" | "nw" => Ok(false),
        "" => Err("Wohnungsstatus fehlt".into()),
        _ => Err(format!(
            "Wohnungsstatus „{value}“ ist weder Hauptwohnung (HW) noch Nebenwohnung (NW)"
        )),
    }
}

/// Parses the fields of one line; every problem of the line is reported at once.
pub fn parse(fields: &[&str]) -> Result<ResidentRecord, Vec<String>> {
    if fields.len() != HEADER.len() {
        return Err(vec![format!(
            "{} statt {} Spalten",
            fields.len(),
            HEADER.len()
        )]);
    }
    let mut errors = Vec::new();
    let mut take = |r: Result<String, String>| match r {
        Ok(v) => v,
        Err(e) => {
            errors.push(e);
            String::new()
        }
    };
    let family_name = take(required(fields[0], "Familienname"));
    let given_names = take(required(fields[1], "Vornamen"));
    let birth = date(fields[2], "Geburtsdatum");
    let street = take(required(fields[3], "Straße"));
    let house_number = take(required(fields[4], "Hausnummer"));
    let postal_code = take(required(fields[5], "PLZ").and_then(|p| {
        if p.len() == 5 && p.chars().all(|c| c.is_ascii_digit()) {
            Ok(p)
        } else {
            Err(format!("PLZ „{p}“ hat nicht fünf Ziffern"))
        }
    }));
    let city = take(required(fields[6], "Ort"));
    let district = fields[7].split_whitespace().collect::<Vec<_>>().join(" ");
    let nations = nationalities(fields[8]);
    let moved_in = date(fields[9], "Einzugsdatum");
    let main = residence(fields[10]);
    let birth_date = birth.map_err(|e| errors.push(e)).ok();
    let nationalities = nations.map_err(|e| errors.push(e)).ok();
    let moved_in = moved_in.map_err(|e| errors.push(e)).ok();
    let main_residence = main.map_err(|e| errors.push(e)).ok();
    if let (Some(b), Some(m)) = (birth_date, moved_in)
        && m < b
    {
        errors.push("Einzugsdatum liegt vor dem Geburtsdatum".into());
    }
    match (birth_date, nationalities, moved_in, main_residence) {
        (Some(birth_date), Some(nationalities), Some(moved_in), Some(main_residence))
            if errors.is_empty() =>
        {
            Ok(ResidentRecord {
                family_name,
                given_names,
                birth_date,
                street,
                house_number,
                postal_code,
                city,
                district,
                nationalities,
                moved_in,
                main_residence,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: [&str; 11] = [
        "Müller",
        "Anna Maria",
        "17.05.1980",
        "Lindenweg",
        "3a",
        "32689",
        "Kalletal",
        "Hohenhausen",
        "DE",
        "01.04.2010",
        "Hauptwohnung",
    ];

    #[test]
    fn a_complete_line_is_a_record() {
        let r = parse(&GOOD).unwrap();
        assert_eq!(r.family_name, "Müller");
        assert_eq!(r.birth_date, NaiveDate::from_ymd_opt(1980, 5, 17).unwrap());
        assert_eq!(r.nationalities, vec!["DE"]);
        assert!(r.main_residence);
        assert_eq!(r.district, "Hohenhausen");
    }

    #[test]
    fn short_forms_and_several_nationalities() {
        let mut line = GOOD;
        line[8] = "de, tr";
        line[10] = "NW";
        line[7] = "";
        let r = parse(&line).unwrap();
        assert_eq!(r.nationalities, vec!["DE", "TR"]);
        assert!(!r.main_residence);
        assert_eq!(r.district, "");
        line[10] = "hw";
        assert!(parse(&line).unwrap().main_residence);
    }

    #[test]
    fn every_bad_field_is_named() {
        let cases: [(usize, &str, &str); 12] = [
            (0, "", "Familienname fehlt"),
            (1, " ", "Vornamen fehlt"),
            (2, "1980-05-17", "Geburtsdatum „1980-05-17“ ist kein Datum"),
            (2, "31.02.1980", "Geburtsdatum „31.02.1980“"),
            (2, "1.5.1980", "Geburtsdatum „1.5.1980“"),
            (3, "", "Straße fehlt"),
            (4, "", "Hausnummer fehlt"),
            (5, "3268", "PLZ „3268“ hat nicht fünf Ziffern"),
            (8, "Deutsch", "Staatsangehörigkeit „DEUTSCH“"),
            (8, "", "Staatsangehörigkeit fehlt"),
            (9, "01.04.1970", "Einzugsdatum liegt vor dem Geburtsdatum"),
            (10, "Zweitwohnung", "Wohnungsstatus „Zweitwohnung“"),
        ];
        for (column, value, reason) in cases {
            let mut line = GOOD;
            line[column] = value;
            let errors = parse(&line).unwrap_err();
            assert_eq!(errors.len(), 1, "{value}: {errors:?}");
            assert!(errors[0].starts_with(reason), "{value}: {errors:?}");
        }
        let errors = parse(&["Müller", "Anna"]).unwrap_err();
        assert_eq!(errors, vec!["2 statt 11 Spalten"]);
        let mut line = GOOD;
        line[0] = "";
        line[10] = "";
        assert_eq!(parse(&line).unwrap_err().len(), 2, "all problems at once");
    }

    #[test]
    fn headers_and_encodings() {
        let mut header: Vec<&str> = HEADER.to_vec();
        assert!(header_matches(&header));
        header[0] = "\u{feff}Familienname";
        assert!(header_matches(&header));
        header[3] = "Strasse";
        assert!(!header_matches(&header));

        let utf8 = "Müller;Straße".as_bytes();
        let cp1252 = b"M\xfcller;Stra\xdfe";
        assert_eq!(Encoding::detect(utf8), Encoding::Utf8);
        assert_eq!(Encoding::detect(cp1252), Encoding::Windows1252);
        assert_eq!(Encoding::detect(&utf8[..2]), Encoding::Utf8, "cut inside ü");
        assert_eq!(
            Encoding::Windows1252.decode(cp1252).unwrap(),
            "Müller;Straße"
        );
        assert_eq!(Encoding::Utf8.decode(cp1252), None);
        assert_eq!(Encoding::parse("CP1252"), Some(Encoding::Windows1252));
        assert_eq!(Encoding::parse("ebcdic"), None);
    }

    #[test]
    fn records_give_the_facts_for_eligibility() {
        use crate::petitions::rules::{Ineligible, State, rule_set};
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let nrw = rule_set(State::NordrheinWestfalen, day).unwrap();
        let mut line = GOOD;
        assert_eq!(
            nrw.check_eligibility(&parse(&line).unwrap().facts(), day),
            Ok(())
        );
        line[8] = "TR";
        assert_eq!(
            nrw.check_eligibility(&parse(&line).unwrap().facts(), day),
            Err(Ineligible::NotCitizen)
        );
        line[8] = "TR,PL";
        assert_eq!(
            nrw.check_eligibility(&parse(&line).unwrap().facts(), day),
            Ok(())
        );
    }
}
