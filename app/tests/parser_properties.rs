//! Property tests of the parsers that take what people and files deliver: register lines,
//! paper-list lines, signer data, dates, vote counts and house numbers. Whatever the input,
//! a parser answers (never panics), and what it accepts has the shape the rest relies on.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used)]

use app::boards::domain::parse_votes;
use app::petitions::matching::{edit_distance, normalize_house_number, normalize_name};
use app::petitions::parse_date;
use app::petitions::signer::{PaperInput, PaperLine, Signer, SignerInput};
use app::register::record;
use chrono::NaiveDate;
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
}

/// Text as it arrives: any characters, often near the shapes the parsers look for.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ \t]*[A-Za-zÄÖÜäöüß .'-]{0,40}[ \t]*",
        "[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{2,4}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "[0-9]{1,4} ?[a-zA-Z]?",
        Just(String::new()),
    ]
}

fn signer_input() -> impl Strategy<Value = SignerInput> {
    (
        field(),
        field(),
        field(),
        field(),
        field(),
        field(),
        field(),
    )
        .prop_map(
            |(family_name, given_names, birth_date, street, house_number, postal_code, city)| {
                SignerInput {
                    family_name,
                    given_names,
                    birth_date,
                    street,
                    house_number,
                    postal_code,
                    city,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn register_lines_are_read_or_refused_with_reasons(fields in proptest::collection::vec(field(), 0..14)) {
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        match record::parse(&refs) {
            Ok(_) => prop_assert_eq!(refs.len(), record::HEADER.len()),
            Err(reasons) => {
                prop_assert!(!reasons.is_empty());
                prop_assert!(reasons.iter().all(|r| !r.trim().is_empty()));
            }
        }
    }

    #[test]
    fn accepted_signers_are_trimmed_and_born_in_the_past(input in signer_input()) {
        if let Ok(s) = Signer::parse(&input, today()) {
            for text in [&s.family_name, &s.given_names, &s.street, &s.house_number, &s.postal_code, &s.city] {
                prop_assert_eq!(text.trim(), text.as_str());
                prop_assert!(!text.contains("  "), "{text:?}");
                prop_assert!(!text.chars().any(char::is_control), "{text:?}");
            }
            prop_assert!(s.birth_date < today());
        }
    }

    #[test]
    fn paper_lines_keep_their_place_in_range(sheet in field(), line in field(), signed_on in field(), signer in signer_input()) {
        let input = PaperInput { sheet, line, signer, signed_on };
        if let Ok(p) = PaperLine::parse(&input, today()) {
            prop_assert!(p.sheet >= 1 && p.line >= 1);
            prop_assert_eq!(input.sheet.trim().parse::<u32>().ok(), Some(p.sheet));
            prop_assert_eq!(input.line.trim().parse::<u32>().ok(), Some(p.line));
        }
    }

    #[test]
    fn both_date_forms_mean_the_same_day(days in 0i64..60_000) {
        let day = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::TimeDelta::days(days);
        let german = day.format("%d.%m.%Y").to_string();
        let iso = day.format("%Y-%m-%d").to_string();
        prop_assert_eq!(parse_date(&german), Some(day));
        prop_assert_eq!(parse_date(&format!("  {iso} ")), Some(day));
    }

    #[test]
    fn any_text_is_a_date_or_none(text in any::<String>()) {
        let _ = parse_date(&text);
    }

    #[test]
    fn vote_counts_fit_the_members_present(yes in any::<u32>(), no in 0u32..100, abstain in 0u32..100, present in 0u32..200) {
        let total = u64::from(yes) + u64::from(no) + u64::from(abstain);
        let result = parse_votes(&yes.to_string(), &no.to_string(), &format!(" {abstain} "), present);
        prop_assert_eq!(result.is_ok(), total > 0 && total <= u64::from(present), "{} of {}", total, present);
    }

    #[test]
    fn vote_fields_that_are_no_numbers_are_named(yes in field(), no in field(), present in 0u32..50) {
        if let Err(errors) = parse_votes(&yes, &no, "", present) {
            prop_assert!(errors.iter().all(|(f, m)| f.starts_with("votes_") && !m.is_empty()));
        }
    }

    #[test]
    fn house_numbers_compare_by_what_is_written(n in 1u32..2000, letter in proptest::option::of("[a-z]"), spaces in " {0,2}") {
        let letter = letter.unwrap_or_default();
        let plain = normalize_house_number(&format!("{n}{letter}"));
        let spaced = normalize_house_number(&format!("{n}{spaces}{}", letter.to_uppercase()));
        prop_assert_eq!(&plain, &spaced);
        prop_assert_eq!(normalize_house_number(&plain), plain.clone());
    }

    #[test]
    fn normalizing_twice_changes_nothing(text in any::<String>()) {
        let once = normalize_house_number(&text);
        prop_assert_eq!(normalize_house_number(&once), once);
        let name = normalize_name(&text);
        prop_assert_eq!(normalize_name(&name), name);
    }

    #[test]
    fn edit_distance_is_a_distance(a in "[a-zäöü]{0,12}", b in "[a-zäöü]{0,12}") {
        let d = edit_distance(&a, &b);
        prop_assert_eq!(d, edit_distance(&b, &a));
        prop_assert!(d <= a.chars().count().max(b.chars().count()));
        prop_assert_eq!(edit_distance(&a, &a), 0);
    }
}
