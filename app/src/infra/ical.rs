//! Board sessions as iCalendar (RFC 5545), for calendar subscriptions and downloads.
//!
//! Written by hand rather than with the `icalendar` builder: the calendar needs a
//! VTIMEZONE for Europe/Berlin, which the builder has no component for, and the little
//! text involved (escaping, folding) is easier to get exactly right when it is in view.
//!
//! Times are given in Berlin local time with a TZID so that calendars show "19:00" even
//! if their own rules for Germany are outdated; the embedded VTIMEZONE carries the EU
//! rules they need to interpret it.

use crate::time::{berlin, from_berlin};
use chrono::{DateTime, Utc};

/// One board session as a calendar event.
#[derive(Debug, Clone)]
pub struct CalEvent {
    /// Stable: e.g. "session-42@<host of public url>"; never changes for the same session.
    pub uid: String,
    pub sequence: i32,
    /// SUMMARY
    pub title: String,
    /// DESCRIPTION (plain text, may contain newlines)
    pub description: String,
    /// LOCATION (may be empty, then it is omitted)
    pub location: String,
    /// URL of the session page
    pub url: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// STATUS:CANCELLED, else STATUS:CONFIRMED (or TENTATIVE, see below)
    pub cancelled: bool,
    /// STATUS:TENTATIVE: planned, the members not yet invited.
    pub tentative: bool,
    /// The organizer's email address (`ORGANIZER:mailto:…`): calendar programs need one to
    /// apply a cancellation sent by email. Empty: none.
    pub organizer: String,
    /// CREATED
    pub created: DateTime<Utc>,
    /// LAST-MODIFIED and DTSTAMP
    pub modified: DateTime<Utc>,
}

/// The iTIP method of the whole calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Publish,
    Cancel,
}

const TZID: &str = "Europe/Berlin";

/// The EU rules since 1996 (last Sunday of March at 02:00 and of October at 03:00 local
/// time). The DTSTARTs are the first such Sundays of 1970, the customary anchor: any
/// Sunday matching the RRULE would do, and clients only look at the rule.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// A whole VCALENDAR with the Berlin time zone and the given events.
pub fn calendar(name: &str, events: &[CalEvent], method: Method) -> String {
    let mut out = Lines::default();
    out.raw("BEGIN:VCALENDAR");
    out.raw("PRODID:-//Dorfplatz//Sitzungskalender//DE");
    out.raw("VERSION:2.0");
    out.raw("CALSCALE:GREGORIAN");
    out.raw(match method {
        Method::Publish => "METHOD:PUBLISH",
        Method::Cancel => "METHOD:CANCEL",
    });
    out.text("X-WR-CALNAME", name);
    out.raw("X-WR-TIMEZONE:Europe/Berlin");
    for line in VTIMEZONE {
        out.raw(line);
    }
    for event in events {
        out.raw("BEGIN:VEVENT");
        out.text("UID", &event.uid);
        out.raw(&format!("SEQUENCE:{}", event.sequence));
        out.raw(&format!("DTSTAMP:{}", utc(event.modified)));
        out.raw(&format!("CREATED:{}", utc(event.created)));
        out.raw(&format!("LAST-MODIFIED:{}", utc(event.modified)));
        out.raw(&local("DTSTART", event.starts_at));
        // DTEND must lie after DTSTART; without one the event is a point in time, which
        // is the honest reading of a session whose end was not (yet) entered properly.
        if event.ends_at > event.starts_at {
            out.raw(&local("DTEND", event.ends_at));
        }
        out.text("SUMMARY", &event.title);
        if !event.description.trim().is_empty() {
            out.text("DESCRIPTION", &event.description);
        }
        if !event.location.trim().is_empty() {
            out.text("LOCATION", &event.location);
        }
        if !event.url.is_empty() {
            // A URI, not TEXT: no escaping, but control characters would break the line.
            let url: String = event.url.chars().filter(|c| !c.is_control()).collect();
            out.raw(&format!("URL:{url}"));
        }
        let organizer: String = event
            .organizer
            .chars()
            .filter(|c| !c.is_control() && !c.is_whitespace())
            .collect();
        if !organizer.is_empty() {
            out.raw(&format!("ORGANIZER:mailto:{organizer}"));
        }
        out.raw(if event.cancelled || method == Method::Cancel {
            "STATUS:CANCELLED"
        } else if event.tentative {
            "STATUS:TENTATIVE"
        } else {
            "STATUS:CONFIRMED"
        });
        out.raw("END:VEVENT");
    }
    out.raw("END:VCALENDAR");
    out.0
}

/// Content lines, each folded and ended with CRLF.
#[derive(Default)]
struct Lines(String);

impl Lines {
    /// A line whose value is already in iCalendar syntax.
    fn raw(&mut self, line: &str) {
        fold_into(&mut self.0, line);
    }

    /// A property with a TEXT value.
    fn text(&mut self, name: &str, value: &str) {
        self.raw(&format!("{name}:{}", escape(value)));
    }
}

/// Folds a content line so that no physical line exceeds 75 octets (the leading space
/// of a continuation counts), never inside a UTF-8 character.
fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = 75;
    while rest.len() > limit {
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = 74;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// TEXT escaping; line breaks of any style become `\n`, other control characters (which
/// TEXT may not contain) are dropped, tabs kept.
fn escape(value: &str) -> String {
    let value = value.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// `NAME;TZID=Europe/Berlin:local time`. In the hour that repeats when summer time ends,
/// a local time means its first occurrence (RFC 5545, 3.3.5); an instant in the second
/// one is written in UTC instead, so that it is not shown an hour early.
fn local(name: &str, at: DateTime<Utc>) -> String {
    let wall = berlin(at);
    if from_berlin(wall) == Ok(at) {
        format!("{name};TZID={TZID}:{}", wall.format("%Y%m%dT%H%M%S"))
    } else {
        format!("{name}:{}", utc(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn event(id: u32) -> CalEvent {
        CalEvent {
            uid: format!("session-{id}@kalletal.dorfplatz.de"),
            sequence: 3,
            title: "12. Sitzung des Ausschusses für Umwelt, Klima; Verkehr".into(),
            description: "Tagesordnung:\n1. Eröffnung\n2. Bürgerfragestunde".into(),
            location: "Rathaus Hüffe, Ratssaal".into(),
            url: format!("https://kalletal.dorfplatz.de/gremien/sitzungen/{id}"),
            starts_at: at("2026-07-02T17:00:00Z"),
            ends_at: at("2026-07-02T19:30:00Z"),
            cancelled: false,
            tentative: false,
            organizer: "beirat@kalletal.example".into(),
            created: at("2026-05-01T08:00:00Z"),
            modified: at("2026-06-20T09:15:30Z"),
        }
    }

    /// Undoes folding (RFC 5545, 3.1).
    fn unfold(ics: &str) -> String {
        ics.replace("\r\n ", "")
    }

    fn unescape(value: &str) -> String {
        let mut out = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') | Some('N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The value of the first property `name` of the unfolded calendar.
    fn value(ics: &str, name: &str) -> String {
        unfold(ics)
            .split("\r\n")
            .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_owned))
            .unwrap_or_else(|| panic!("no {name} in {ics}"))
    }

    #[test]
    fn every_line_ends_with_crlf_and_fits_75_octets() {
        let mut long = event(1);
        long.title = "Öffentliche Sitzung des Ausschusses für Bürgerbeteiligung, Ärzteversorgung, \
                      Straßenbau und Grünflächenpflege – Fortsetzung über Übergänge äöüÄÖÜß"
            .into();
        let ics = calendar(
            "Sitzungen – Gemeinde Kalletal",
            &[long.clone()],
            Method::Publish,
        );
        assert!(ics.ends_with("\r\n"));
        // No bare LF and no bare CR anywhere.
        assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
        assert_eq!(ics.matches('\r').count(), ics.matches("\r\n").count());
        let mut folded = 0;
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
            if line.starts_with(' ') {
                folded += 1;
            }
        }
        assert!(folded >= 2, "the long title is folded");
        assert_eq!(unescape(&value(&ics, "SUMMARY")), long.title);
    }

    #[test]
    fn folding_never_splits_a_character() {
        for prefix in 0..4 {
            let line = format!("{}{}", "x".repeat(prefix), "ä€😀".repeat(40));
            let mut out = String::new();
            fold_into(&mut out, &line);
            // `out` is a String, so every cut was on a char boundary; check the limits
            // and that unfolding restores the line.
            assert!(out.split("\r\n").all(|l| l.len() <= 75));
            assert_eq!(unfold(&out), format!("{line}\r\n"));
        }
    }

    #[test]
    fn text_values_are_escaped() {
        let mut e = event(1);
        e.location = "Saal 1; Gebäude A, Eingang\\Hof".into();
        let ics = calendar("Sitzungen", &[e], Method::Publish);
        let unfolded = unfold(&ics);
        assert!(
            unfolded.contains(
                "\r\nSUMMARY:12. Sitzung des Ausschusses für Umwelt\\, Klima\\; Verkehr\r\n"
            ),
            "{unfolded}"
        );
        assert!(
            unfolded.contains(
                "\r\nDESCRIPTION:Tagesordnung:\\n1. Eröffnung\\n2. Bürgerfragestunde\r\n"
            )
        );
        assert!(unfolded.contains("\r\nLOCATION:Saal 1\\; Gebäude A\\, Eingang\\\\Hof\r\n"));
        assert_eq!(
            escape("a\r\nb\rc\u{7}d"),
            "a\\nb\\ncd",
            "any line break becomes \\n, control characters go"
        );
    }

    #[test]
    fn times_are_berlin_local_in_summer_and_winter() {
        let summer = event(1);
        let mut winter = event(2);
        winter.starts_at = at("2026-12-03T18:00:00Z");
        winter.ends_at = at("2026-12-03T20:00:00Z");
        let ics = calendar("Sitzungen", &[summer, winter], Method::Publish);
        assert!(ics.contains("\r\nDTSTART;TZID=Europe/Berlin:20260702T190000\r\n"));
        assert!(ics.contains("\r\nDTEND;TZID=Europe/Berlin:20260702T213000\r\n"));
        assert!(ics.contains("\r\nDTSTART;TZID=Europe/Berlin:20261203T190000\r\n"));
        assert!(ics.contains("\r\nDTEND;TZID=Europe/Berlin:20261203T210000\r\n"));
        assert!(ics.contains("\r\nDTSTAMP:20260620T091530Z\r\n"));
        assert!(ics.contains("\r\nLAST-MODIFIED:20260620T091530Z\r\n"));
        assert!(ics.contains("\r\nCREATED:20260501T080000Z\r\n"));
    }

    #[test]
    fn the_repeated_hour_is_unambiguous() {
        // 25 October 2026: 02:30 local happens at 00:30 UTC (CEST) and 01:30 UTC (CET).
        assert_eq!(
            local("DTSTART", at("2026-10-25T00:30:00Z")),
            "DTSTART;TZID=Europe/Berlin:20261025T023000"
        );
        assert_eq!(
            local("DTSTART", at("2026-10-25T01:30:00Z")),
            "DTSTART:20261025T013000Z"
        );
    }

    #[test]
    fn planned_sessions_are_tentative_and_carry_their_organizer() {
        let mut planned = event(3);
        planned.tentative = true;
        let ics = calendar("Sitzungen", &[planned.clone()], Method::Publish);
        assert!(ics.contains("\r\nSTATUS:TENTATIVE\r\n"), "{ics}");
        assert!(ics.contains("\r\nORGANIZER:mailto:beirat@kalletal.example\r\n"));
        // Cancelling wins over planning.
        planned.cancelled = true;
        let ics = calendar("Sitzungen", &[planned], Method::Publish);
        assert!(ics.contains("\r\nSTATUS:CANCELLED\r\n") && !ics.contains("TENTATIVE"));
    }

    #[test]
    fn status_and_sequence() {
        let mut cancelled = event(2);
        cancelled.cancelled = true;
        cancelled.sequence = 7;
        let ics = calendar("Sitzungen", &[event(1), cancelled], Method::Publish);
        assert!(ics.contains("\r\nMETHOD:PUBLISH\r\n"));
        assert_eq!(ics.matches("\r\nSTATUS:CONFIRMED\r\n").count(), 1);
        assert_eq!(ics.matches("\r\nSTATUS:CANCELLED\r\n").count(), 1);
        assert!(ics.contains("\r\nSEQUENCE:3\r\n"));
        assert!(ics.contains("\r\nSEQUENCE:7\r\n"));
        // Each status belongs to its own event.
        let second = &ics[ics.find("UID:session-2@").unwrap()..];
        assert!(second.find("STATUS:CANCELLED").unwrap() < second.find("END:VEVENT").unwrap());

        let ics = calendar("Sitzungen", &[event(1), event(2)], Method::Cancel);
        assert!(ics.contains("\r\nMETHOD:CANCEL\r\n"));
        assert_eq!(ics.matches("STATUS:CANCELLED").count(), 2);
        assert!(!ics.contains("STATUS:CONFIRMED"));
    }

    #[test]
    fn structure_is_balanced_with_one_time_zone() {
        let ics = calendar(
            "Sitzungen des Rates",
            &[event(1), event(2), event(3)],
            Method::Publish,
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for header in [
            "PRODID:-//Dorfplatz//Sitzungskalender//DE",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:Sitzungen des Rates",
            "X-WR-TIMEZONE:Europe/Berlin",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        ] {
            assert!(ics.contains(&format!("\r\n{header}\r\n")), "{header}");
        }
        assert_eq!(ics.matches("BEGIN:VTIMEZONE").count(), 1);
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3);
        // BEGIN and END nest properly.
        let mut stack = Vec::new();
        for line in ics.split("\r\n") {
            if let Some(c) = line.strip_prefix("BEGIN:") {
                stack.push(c);
            } else if let Some(c) = line.strip_prefix("END:") {
                assert_eq!(stack.pop(), Some(c));
            }
        }
        assert!(stack.is_empty());
        assert_eq!(
            value(&ics, "URL"),
            "https://kalletal.dorfplatz.de/gremien/sitzungen/1"
        );
    }

    #[test]
    fn empty_location_and_missing_end_are_left_out() {
        let mut e = event(1);
        e.location = "  ".into();
        e.ends_at = e.starts_at;
        let ics = calendar("Sitzungen", &[e], Method::Publish);
        assert!(!ics.contains("LOCATION"));
        assert!(!ics.contains("DTEND"));
    }
}
