//! How a signature's data are compared with the resident register and with other
//! signatures: normalized forms that make spelling variants equal (Müller = Mueller,
//! Straße = Strasse = Str., 12a = 12 A), an identity key for "the same person signed twice",
//! and the measures of a near match (one typing error in a name, two swapped digits in a
//! date) that sends a signature to a person for review instead of deciding it.

use chrono::{Datelike, NaiveDate};

/// Lower case, umlauts and ß spelled out, other diacritics dropped, and everything that is
/// not a letter or digit removed (spaces, hyphens, dots, apostrophes), so that
/// "Müller-Lüdenscheidt", "mueller lüdenscheidt" and "MUELLER-LUEDENSCHEIDT" are equal.
pub fn normalize_name(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' | 'æ' => out.push_str("ae"),
            'ö' | 'œ' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.push(fold_diacritic(c)),
            _ => {}
        }
    }
    out
}

/// The first of several given names, normalized: "Hans Peter" starts with "hans". A
/// hyphenated name is one name ("Hans-Peter" is "hanspeter"). A signature that names only
/// the first given name matches a register entry with several when everything else agrees.
pub fn first_given_name(input: &str) -> String {
    input
        .split_whitespace()
        .next()
        .map(normalize_name)
        .unwrap_or_default()
}

/// All given names, normalized, in their order.
pub fn all_given_names(input: &str) -> String {
    input
        .split_whitespace()
        .map(normalize_name)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A street name with the usual abbreviations expanded: "Lange Str.", "Lange Straße" and
/// "Langestrasse" are equal, as are "Hans-Böckler-Str." and "Hans Böckler Straße".
pub fn normalize_street(input: &str) -> String {
    let lower = input.to_lowercase();
    let mut words: Vec<String> = Vec::new();
    for word in lower.split(|c: char| c.is_whitespace() || c == '-') {
        if word.is_empty() {
            continue;
        }
        let expanded = expand_street_word(word);
        words.push(normalize_name(&expanded));
    }
    words.concat()
}

/// "str." at the end of a word (Hauptstr.), or alone (Lange Str.), means Straße; "pl." Platz.
fn expand_street_word(word: &str) -> String {
    for (short, long) in [("str.", "strasse"), ("str", "strasse"), ("pl.", "platz")] {
        if let Some(stem) = word.strip_suffix(short) {
            // "str" without a dot only as a whole word or after a stem ("Hauptstr"), never
            // inside a longer word: "Strand" stays.
            return format!("{stem}{long}");
        }
    }
    word.to_owned()
}

/// House numbers in lower case without spaces, hyphens or dots between number and letter:
/// "12a" = "12 A" = "12-a". Between two digits a separator stays ("3-5" = "3 - 5", a range),
/// so that "3-5" and "35" remain different houses.
pub fn normalize_house_number(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut separated = false;
    for c in input.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '/' {
            if separated && c.is_ascii_digit() && out.ends_with(|p: char| p.is_ascii_digit()) {
                out.push('-');
            }
            out.push(c);
            separated = false;
        } else {
            separated = !out.is_empty();
        }
    }
    out
}

/// Family name, all given names and date of birth, normalized: what namesakes share. All
/// given names are in, so that twins "Anna Maria" and "Anna Lena" differ. The register's
/// key for a person without a namesake (see `register::check::person_key`), so that someone
/// who moved within the municipality keeps it.
pub fn identity_key(family_name: &str, given_names: &str, birth_date: NaiveDate) -> String {
    format!(
        "{}|{}|{}",
        normalize_name(family_name),
        all_given_names(given_names),
        birth_date.format("%Y-%m-%d")
    )
}

/// An address normalized part by part (street, house number, postal code and then any
/// further parts such as town and village), `|`-separated: "Lange Str. 12 A" and
/// "Lange Straße 12a" are equal.
pub fn address_key(street: &str, house_number: &str, postal_code: &str, places: &[&str]) -> String {
    let mut key = format!(
        "{}|{}|{}",
        normalize_street(street),
        normalize_house_number(house_number),
        postal_code.trim()
    );
    for place in places {
        key.push('|');
        key.push_str(&normalize_name(place));
    }
    key
}

/// The key under which a signer may sign a petition only once as the form or the paper line
/// is recorded: names, date of birth and address as written. The address is in because
/// namesakes (same names, same birthday – `01.01.` is what registry offices enter for an
/// unknown day) are different people who may both sign. A person who signs twice with two
/// spellings or two addresses has two keys: that duplicate is found when both signatures
/// are matched to the same register entry (the earlier one counts).
pub fn signer_key(
    family_name: &str,
    given_names: &str,
    birth_date: NaiveDate,
    street: &str,
    house_number: &str,
    postal_code: &str,
) -> String {
    format!(
        "{}|{}",
        identity_key(family_name, given_names, birth_date),
        address_key(street, house_number, postal_code, &[])
    )
}

/// Edit distance with adjacent transpositions (optimal string alignment): "Mueller" and
/// "Muelelr" are 1 apart, "Meier" and "Mayer" 2.
pub fn edit_distance(a: &str, b: &str) -> usize {
    // Normalized names are short ASCII: the register check compares thousands per second,
    // so those go through three rows on the stack instead of a table on the heap.
    const SHORT: usize = 48;
    if a.is_ascii() && b.is_ascii() && a.len() < SHORT && b.len() < SHORT {
        return osa_distance(a.as_bytes(), b.as_bytes(), &mut [[0usize; SHORT]; 3]);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; 3];
    let [r0, r1, r2] = &mut rows[..] else {
        return 0;
    };
    osa_rows(&a, &b, [r0, r1, r2])
}

fn osa_distance(a: &[u8], b: &[u8], rows: &mut [[usize; 48]; 3]) -> usize {
    let [r0, r1, r2] = rows;
    osa_rows(a, b, [&mut r0[..], &mut r1[..], &mut r2[..]])
}

/// Optimal string alignment over three rolling rows (the row before last, for
/// transpositions; the last; the current), each at least `b.len() + 1` long.
fn osa_rows<T: PartialEq>(a: &[T], b: &[T], rows: [&mut [usize]; 3]) -> usize {
    let [mut before, mut last, mut current] = rows;
    let m = b.len();
    for (j, cell) in last.iter_mut().take(m + 1).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (last[j] + 1)
                .min(current[j - 1] + 1)
                .min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut current);
    }
    last[m]
}

/// Whether two normalized names differ by no more than a typing error: one edit for short
/// names, two for names of nine letters or more.
pub fn names_nearly_equal(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let allowed = if la.max(lb) >= 9 { 2 } else { 1 };
    // Names further apart in length than that are further apart in edits, too: the register
    // check asks this of thousands of names per second, most of them far off.
    la.abs_diff(lb) <= allowed && edit_distance(a, b) <= allowed
}

/// Whether two dates differ the way a typing error makes them differ: one wrong digit, two
/// adjacent digits swapped (TT.MM.JJJJ written out), or day and month swapped.
pub fn dates_nearly_equal(a: NaiveDate, b: NaiveDate) -> bool {
    if a == b {
        return false;
    }
    let (da, db) = (date_digits(a), date_digits(b));
    let mut differing = [0usize; 3];
    let mut n = 0;
    for (i, (x, y)) in da.iter().zip(&db).enumerate() {
        if x != y {
            if n == differing.len() {
                n += 1;
                break;
            }
            differing[n] = i;
            n += 1;
        }
    }
    let swapped_neighbours = n == 2
        && differing[1] == differing[0] + 1
        && da[differing[0]] == db[differing[1]]
        && da[differing[1]] == db[differing[0]];
    let day_month_swapped = a.year() == b.year() && a.day() == b.month() && a.month() == b.day();
    n == 1 || swapped_neighbours || day_month_swapped
}

/// The digits of a date as written TTMMJJJJ, without formatting a string (the register
/// check compares some thirty dates per signature).
fn date_digits(d: NaiveDate) -> [u8; 8] {
    let digit = |v: u32| (v % 10) as u8;
    let (day, month) = (d.day(), d.month());
    let year = d.year().unsigned_abs();
    [
        digit(day / 10),
        digit(day),
        digit(month / 10),
        digit(month),
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
    ]
}

fn fold_diacritic(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ı' | 'ī' | 'į' => 'i',
        'ł' | 'ľ' | 'ĺ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' | 'ŕ' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ů' | 'ū' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn names_are_equal_across_spellings() {
        let same = [
            ("Müller", "Mueller"),
            ("MÜLLER", "müller"),
            ("Müller-Lüdenscheidt", "Mueller Luedenscheidt"),
            ("Weiß", "Weiss"),
            ("Groß", "GROSS"),
            ("O’Neill", "ONeill"),
            ("von der Heide", "Von-der-Heide"),
            ("Çelik", "Celik"),
            ("Nowak", " nowak "),
            ("Dvořák", "Dvorak"),
        ];
        for (a, b) in same {
            assert_eq!(normalize_name(a), normalize_name(b), "{a} / {b}");
        }
        assert_ne!(normalize_name("Müller"), normalize_name("Muller"));
        assert_ne!(normalize_name("Meier"), normalize_name("Meyer"));
    }

    #[test]
    fn the_first_given_name_suffices() {
        assert_eq!(first_given_name("Hans Peter"), "hans");
        assert_eq!(first_given_name("Hans-Peter Karl"), "hanspeter");
        assert_eq!(all_given_names("Hans-Peter  Karl"), "hanspeter karl");
        assert_eq!(first_given_name("  Jürgen  "), "juergen");
        assert_eq!(first_given_name(""), "");
    }

    #[test]
    fn streets_are_equal_across_abbreviations() {
        let same = [
            ("Lange Straße", "Lange Str."),
            ("Lange Straße", "Lange Strasse"),
            ("Lange Straße", "Langestraße"),
            ("Hauptstraße", "Hauptstr."),
            ("Hauptstraße", "Hauptstr"),
            ("Hans-Böckler-Str.", "Hans Böckler Straße"),
            ("Kirchpl.", "Kirchplatz"),
            ("Am Strand", "am strand"),
        ];
        for (a, b) in same {
            assert_eq!(normalize_street(a), normalize_street(b), "{a} / {b}");
        }
        assert_eq!(normalize_street("Am Strand"), "amstrand");
        assert_ne!(
            normalize_street("Lindenweg"),
            normalize_street("Lindenstraße")
        );
    }

    #[test]
    fn house_numbers_ignore_spacing_and_case() {
        for (a, b) in [
            ("12a", "12 A"),
            ("12a", "12-a"),
            ("7/1", "7 / 1"),
            ("3", " 3 "),
        ] {
            assert_eq!(
                normalize_house_number(a),
                normalize_house_number(b),
                "{a} / {b}"
            );
        }
        assert_ne!(normalize_house_number("12a"), normalize_house_number("12b"));
        assert_eq!(normalize_house_number("3 - 5"), "3-5");
        assert_ne!(normalize_house_number("3-5"), normalize_house_number("35"));
    }

    #[test]
    fn one_person_has_one_identity_key() {
        let born = d(1980, 5, 17);
        let online = identity_key("Müller", "Hans Peter", born);
        assert_eq!(online, "mueller|hans peter|1980-05-17");
        assert_eq!(identity_key("MUELLER", " hans  peter ", born), online);
        // Twins with the same first given name are two people.
        assert_ne!(
            identity_key("Schmidt", "Anna Maria", born),
            identity_key("Schmidt", "Anna Lena", born)
        );
        assert_ne!(identity_key("Müller", "Hans Peter", d(1980, 5, 18)), online);
        assert_ne!(identity_key("Müller", "Peter Hans", born), online);
    }

    #[test]
    fn namesakes_differ_by_their_address() {
        let born = d(1990, 1, 1);
        let at_home = signer_key("Ahmadi", "Ali", born, "Lange Straße", "12a", "32689");
        assert_eq!(at_home, "ahmadi|ali|1990-01-01|langestrasse|12a|32689");
        // The same person, written another way: one key.
        for (street, house, postal) in [
            ("Lange Str.", "12 A", "32689"),
            ("LANGE STRASSE", "12-a", " 32689 "),
        ] {
            assert_eq!(
                signer_key("AHMADI", " ali ", born, street, house, postal),
                at_home,
                "{street} {house}"
            );
        }
        // A namesake at another address, or in another house: another person.
        assert_ne!(
            signer_key("Ahmadi", "Ali", born, "Talweg", "3", "32689"),
            at_home
        );
        assert_ne!(
            signer_key("Ahmadi", "Ali", born, "Lange Straße", "12b", "32689"),
            at_home
        );
        // Further address parts count when given.
        assert_ne!(
            address_key("Dorfstraße", "1", "32689", &["Kalletal", "Talle"]),
            address_key("Dorfstraße", "1", "32689", &["Kalletal", "Erder"])
        );
        assert_eq!(
            address_key("Dorfstr.", "1", "32689", &["Kalletal", "Talle"]),
            "dorfstrasse|1|32689|kalletal|talle"
        );
    }

    #[test]
    fn typing_errors_in_names_are_near_matches() {
        // (a, b, distance, nearly equal)
        let cases = [
            ("mueller", "mueller", 0, true),
            ("mueller", "muelelr", 1, true), // swapped letters
            ("mueller", "mueler", 1, true),  // missing letter
            ("schmidt", "schmitt", 1, true),
            ("meier", "mayer", 2, false),
            ("schneider", "schnieder", 1, true),
            ("luedenscheidt", "luedenschiedt", 1, true),
            ("wagner", "becker", 4, false),
            ("", "abc", 3, false),
        ];
        for (a, b, distance, near) in cases {
            assert_eq!(edit_distance(a, b), distance, "{a} / {b}");
            assert_eq!(names_nearly_equal(a, b), near, "{a} / {b}");
        }
        // Longer names tolerate two errors.
        assert!(names_nearly_equal("kleinschmidt", "kleinschmitd"));
        assert!(names_nearly_equal("kleinschmidt", "klienschmitt"));
    }

    #[test]
    fn typing_errors_in_dates_are_near_matches() {
        let born = d(1980, 5, 17);
        let cases = [
            (d(1980, 5, 17), false), // equal is an exact match, not a near one
            (d(1980, 5, 18), true),  // 18.05.1980: one digit
            (d(1980, 5, 27), true),  // 27.05.1980: one digit
            (d(1908, 5, 17), true),  // 17.05.1908: swapped neighbours in the year
            (d(1981, 5, 17), true),
            (d(1980, 6, 18), false), // two unrelated digits
            (d(1979, 5, 17), false), // two neighbouring digits differ, not as a swap
        ];
        for (other, near) in cases {
            assert_eq!(dates_nearly_equal(born, other), near, "{other}");
        }
        // Day and month swapped: 05.12.1970 for 12.05.1970.
        assert!(dates_nearly_equal(d(1970, 5, 12), d(1970, 12, 5)));
        // Swapped neighbours in the day: 21.03. for 12.03.
        assert!(dates_nearly_equal(d(1970, 3, 12), d(1970, 3, 21)));
    }

    /// The distance on the stack gives what the full table gives, for ASCII and beyond.
    #[test]
    fn edit_distance_agrees_with_the_full_table() {
        fn table(a: &str, b: &str) -> usize {
            let a: Vec<char> = a.chars().collect();
            let b: Vec<char> = b.chars().collect();
            let (n, m) = (a.len(), b.len());
            let mut d = vec![vec![0usize; m + 1]; n + 1];
            for (i, row) in d.iter_mut().enumerate() {
                row[0] = i;
            }
            for (j, cell) in d[0].iter_mut().enumerate() {
                *cell = j;
            }
            for i in 1..=n {
                for j in 1..=m {
                    let cost = usize::from(a[i - 1] != b[j - 1]);
                    let mut best = (d[i - 1][j] + 1)
                        .min(d[i][j - 1] + 1)
                        .min(d[i - 1][j - 1] + cost);
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        best = best.min(d[i - 2][j - 2] + 1);
                    }
                    d[i][j] = best;
                }
            }
            d[n][m]
        }
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "mueller",
            "muelelr",
            "mueler",
            "meier",
            "mayer",
            "schmidt",
            "schmitt",
            "luedenscheidt",
            "luedenschiedt",
            "kleinschmidt",
            "klienschmitt",
            "müller",
            "mülelr",
            "yılmaz",
            "yilmaz",
            "ßtraße",
            "hauptstrasse",
            "hauptstr",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwyxz",
        ];
        for a in words {
            for b in words {
                assert_eq!(edit_distance(a, b), table(a, b), "{a} / {b}");
            }
        }
    }

    /// The digits the comparison uses are those of the date as written (TTMMJJJJ), and the
    /// near-date rule gives what it gave when it compared the written strings.
    #[test]
    fn date_digits_are_the_written_date() {
        fn written_rule(a: NaiveDate, b: NaiveDate) -> bool {
            if a == b {
                return false;
            }
            let (da, db) = (
                a.format("%d%m%Y").to_string(),
                b.format("%d%m%Y").to_string(),
            );
            let differing: Vec<usize> = da
                .bytes()
                .zip(db.bytes())
                .enumerate()
                .filter(|(_, (x, y))| x != y)
                .map(|(i, _)| i)
                .collect();
            let swapped = differing.len() == 2
                && differing[1] == differing[0] + 1
                && da.as_bytes()[differing[0]] == db.as_bytes()[differing[1]]
                && da.as_bytes()[differing[1]] == db.as_bytes()[differing[0]];
            let day_month = a.year() == b.year() && a.day() == b.month() && a.month() == b.day();
            differing.len() == 1 || swapped || day_month
        }
        let start = d(1929, 12, 25);
        let days: Vec<NaiveDate> = (0..40_000u64)
            .step_by(97)
            .filter_map(|n| start.checked_add_days(chrono::Days::new(n)))
            .collect();
        let mut near = 0;
        for a in &days {
            let written = a.format("%d%m%Y").to_string();
            let digits: Vec<u8> = written.bytes().map(|b| b - b'0').collect();
            assert_eq!(date_digits(*a).to_vec(), digits, "{a}");
            // Every date against its typing errors and against dates far off.
            for b in [
                *a,
                a.with_day(a.day() % 28 + 1).unwrap(),
                a.with_year(a.year() + 1).unwrap_or(*a),
                a.with_year(a.year() + 10).unwrap_or(*a),
                d(a.year(), a.day().min(12), a.month().min(28)),
                days[(days.len() - 1) - days.iter().position(|x| x == a).unwrap()],
            ] {
                assert_eq!(dates_nearly_equal(*a, b), written_rule(*a, b), "{a} / {b}");
                near += usize::from(written_rule(*a, b));
            }
        }
        assert!(near > 100, "the sample holds near dates: {near}");
    }
}
