//! A synthetic resident register for tests and benchmarks: German names and the villages of
//! Kalletal, every person distinct, with the mix a register has (foreign and EU citizens,
//! dual nationality, secondary residences, children, newcomers) and the spellings that make
//! matching hard (umlauts and ß, double names, several given names, "Str.", house number
//! suffixes, families one letter apart like Meier and Meyer or Schmidt and Schmitt).

use std::io::Write;

use chrono::{Days, NaiveDate};

pub const HEADER: &str = "Familienname;Vornamen;Geburtsdatum;Straße;Hausnummer;PLZ;Ort;Ortsteil;Staatsangehörigkeit;Einzugsdatum;Wohnungsstatus";

const FAMILY: [&str; 30] = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Weiß",
    "Müller-Lüdenscheidt",
    "Meier",
    "Lehmann",
];
const GIVEN: [&str; 30] = [
    "Anna",
    "Peter",
    "Maria",
    "Thomas",
    "Sabine",
    "Michael",
    "Ursula",
    "Andreas",
    "Monika",
    "Stefan",
    "Heike",
    "Jürgen",
    "Karin",
    "Frank",
    "Petra",
    "Lea Marie",
    "Jonas",
    "Emma",
    "Lukas",
    "Mia Sophie",
    "Hans-Peter",
    "Gisela",
    "Mehmet",
    "Ayşe",
    "Karl Heinz",
    "Ingrid",
    "Finn",
    "Hannah",
    "Paul",
    "Greta",
];
const PREFIXES: [&str; 30] = [
    "Brink", "Holt", "Wester", "Oster", "Nieder", "Ober", "Sonder", "Kreien", "Dreier", "Fels",
    "Gerd", "Hacke", "Ixel", "Jost", "Quer", "Lütke", "Vinke", "Nolte", "Pöpping", "Quack",
    "Rüther", "Stüve", "Tölle", "Uhl", "Vogt", "Wiemer", "York", "Eick", "Ahl", "Berg",
];
const SUFFIXES: [&str; 40] = [
    "mann", "kamp", "hoff", "hus", "beck", "horst", "brock", "meier", "haus", "feld", "kötter",
    "wiesche", "bäumer", "busch", "ort", "lage", "diek", "meyer", "hövel", "sieck", "winkel",
    "bruch", "hagen", "kemper", "schulte", "lohmann", "hölter", "rott", "wede", "loh", "mühle",
    "siek", "riede", "stedde", "garten", "heiden", "kerken", "pohl", "esch", "wald",
];
const STREETS: [&str; 12] = [
    "Hauptstraße",
    "Lindenweg",
    "Am Kirchplatz",
    "Bergstraße",
    "Talstraße",
    "Mühlenweg",
    "Schulstraße",
    "Birkenallee",
    "Zum Sportplatz",
    "Lemgoer Straße",
    "Rintelner Str.",
    "Am Wiesengrund",
];
const VILLAGES: [&str; 16] = [
    "Hohenhausen",
    "Talle",
    "Langenholzhausen",
    "Lüdenhausen",
    "Varenholz",
    "Kalldorf",
    "Bavenhausen",
    "Bentorf",
    "Brosen",
    "Erder",
    "Harkemissen",
    "Heidelbeck",
    "Henstorf",
    "Osterhagen",
    "Stemmen",
    "Westorf",
];

/// The `i`-th person's line. Family name, given names and date of birth together are unique
/// for i below 900 · 34,000.
pub fn register_line(i: u64) -> String {
    let k = i / 900;
    // A quarter of the people carry the thirty most common names; the others Westphalian
    // compounds (Brinkmann, Holtkamp, Westerhoff …): some 1,200 family names in all, so a
    // name with a first given name is shared by a few dozen people in a million, not by
    // thousands. The prefix depends on i % 30 only and none is the start of another, so
    // (family, given, birth) stays unique.
    let family = if k.is_multiple_of(4) {
        FAMILY[(i % 30) as usize].to_owned()
    } else {
        format!(
            "{}{}",
            PREFIXES[(i % 30) as usize],
            SUFFIXES[((k * 13) % SUFFIXES.len() as u64) as usize]
        )
    };
    let given = GIVEN[((i / 30) % 30) as usize];
    // Birthdays spread over 1930 to 2023, some thirty people a day in a million, as in a
    // real register. Two people with the same names have the same i % 900 (given name and
    // family prefix), so their days differ by k · 7919 mod 34,000 – never zero for distinct
    // k, as 7919 and 34,000 are coprime.
    let born = NaiveDate::from_ymd_opt(1930, 1, 1)
        .and_then(|d| d.checked_add_days(Days::new((k * 7919 + (i % 900) * 37) % 34_000)))
        .unwrap_or(NaiveDate::MIN);
    let nationality = match i % 100 {
        0..=3 => "TR",
        4..=6 => "PL",
        7 => "DE,TR",
        8..=9 => "SY",
        _ => "DE",
    };
    // Most moved in at birth or years ago; one in fifty a few days ago.
    let moved_in = if i.is_multiple_of(50) {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or(born)
    } else {
        born.checked_add_days(Days::new(i % 3_000)).unwrap_or(born)
    };
    let status = if i.is_multiple_of(33) {
        "NW"
    } else {
        "Hauptwohnung"
    };
    let village = VILLAGES[(i % 16) as usize];
    let street = STREETS[((i / 16) % 12) as usize];
    let number = format!(
        "{}{}",
        i % 97 + 1,
        if i.is_multiple_of(7) { "a" } else { "" }
    );
    format!(
        "{family};{given};{};{street};{number};32689;Kalletal;{village};{nationality};{};{status}",
        born.format("%d.%m.%Y"),
        moved_in.format("%d.%m.%Y")
    )
}

/// Writes a register of `n` people with its header.
pub fn write_register(mut w: impl Write, n: u64) -> std::io::Result<()> {
    writeln!(w, "{HEADER}")?;
    for i in 0..n {
        writeln!(w, "{}", register_line(i))?;
    }
    Ok(())
}
