//! One clock for the whole app: the municipality's wall-clock time (Central European Time
//! with EU summer time, as Europe/Berlin has kept it since 1996), German calendar days and
//! how Germans write them. Pure and small, so the browser build carries no time-zone
//! database: summer time runs from the last Sunday of March to the last Sunday of October,
//! 01:00 UTC each.

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};

const fn hours_east(hours: i32) -> FixedOffset {
    match FixedOffset::east_opt(hours * 3600) {
        Some(offset) => offset,
        None => panic!("an offset of a few hours is valid"),
    }
}

/// Central European Time and its summer time.
const CET: FixedOffset = hours_east(1);
const CEST: FixedOffset = hours_east(2);

/// The instant (UTC) summer time begins (`month` 3) or ends (`month` 10) in `year`.
fn switch(year: i32, month: u32) -> Option<NaiveDateTime> {
    let first_of_next = NaiveDate::from_ymd_opt(year, month + 1, 1)?;
    let last = first_of_next.pred_opt()?;
    let sunday = last - Days::new(u64::from(last.weekday().num_days_from_sunday()));
    sunday.and_hms_opt(1, 0, 0)
}

/// The municipality's offset from UTC at an instant: +01:00 or, in summer, +02:00.
pub fn offset_at(at: DateTime<Utc>) -> FixedOffset {
    let utc = at.naive_utc();
    match (switch(at.year(), 3), switch(at.year(), 10)) {
        (Some(begin), Some(end)) if utc >= begin && utc < end => CEST,
        _ => CET,
    }
}

/// The municipality's wall-clock time of an instant.
pub fn berlin(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&offset_at(at)).naive_local()
}

/// The instant of a wall-clock time in the municipality. In the autumn hour that happens
/// twice the first is meant; a time skipped in spring does not exist and is refused.
pub fn from_berlin(local: NaiveDateTime) -> Result<DateTime<Utc>, String> {
    // Summer time first: in the repeated hour it is the earlier instant.
    [CEST, CET]
        .into_iter()
        .map(|offset| (local - offset).and_utc())
        .find(|at| berlin(*at) == local)
        .ok_or_else(|| {
            "Diese Uhrzeit gibt es an diesem Tag nicht (Beginn der Sommerzeit).".to_owned()
        })
}

/// The German calendar day of an instant. Deadlines and "not in the future" are German
/// days: just after midnight in Kalletal it is still yesterday in UTC.
pub fn german_date(at: DateTime<Utc>) -> NaiveDate {
    berlin(at).date()
}

/// Today in the municipality.
pub fn today() -> NaiveDate {
    german_date(Utc::now())
}

/// The moment a German calendar day begins, in UTC (for filtering stored times by day).
/// The clock changes at 01:00 UTC, after local midnight, so the offset at 00:00 UTC of that
/// day is the one in force at local midnight.
pub fn german_midnight_utc(day: NaiveDate) -> DateTime<Utc> {
    let utc_midnight = day.and_time(NaiveTime::MIN).and_utc();
    utc_midnight - offset_at(utc_midnight)
}

/// A day as Germans write it: `22.10.2026`.
pub fn german_date_text(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

/// A moment as Germans read it, in German time: `22.10.2026, 14:05 Uhr`.
pub fn german_datetime_text(at: DateTime<Utc>) -> String {
    berlin(at).format("%d.%m.%Y, %H:%M Uhr").to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn the_german_date_follows_cet_and_summer_time() {
        // (UTC instant, date in Germany)
        let cases = [
            ("2026-11-29T22:59:00Z", d(2026, 11, 29)),
            ("2026-11-29T23:00:00Z", d(2026, 11, 30)), // CET: UTC+1
            ("2026-07-01T21:59:00Z", d(2026, 7, 1)),
            ("2026-07-01T22:00:00Z", d(2026, 7, 2)), // CEST: UTC+2
            ("2026-03-29T00:59:00Z", d(2026, 3, 29)), // summer time begins 01:00 UTC
            ("2026-03-29T22:30:00Z", d(2026, 3, 30)),
            ("2026-10-25T22:30:00Z", d(2026, 10, 25)), // and has ended
            ("2026-12-31T23:30:00Z", d(2027, 1, 1)),
        ];
        for (instant, expected) in cases {
            assert_eq!(german_date(at(instant)), expected, "{instant}");
        }
    }

    #[test]
    fn german_days_begin_at_local_midnight() {
        for (day, utc) in [
            (d(2026, 1, 15), "2026-01-14T23:00:00+00:00"),
            (d(2026, 7, 1), "2026-06-30T22:00:00+00:00"),
            // The days of the clock changes still begin in the old time.
            (d(2026, 3, 29), "2026-03-28T23:00:00+00:00"),
            (d(2026, 10, 25), "2026-10-24T22:00:00+00:00"),
        ] {
            assert_eq!(german_midnight_utc(day).to_rfc3339(), utc, "{day}");
            assert_eq!(german_date(german_midnight_utc(day)), day);
        }
    }

    #[test]
    fn wall_clock_times_round_trip_around_the_clock_changes() {
        // (local time, its instant, or None for the hour skipped in spring)
        let cases = [
            ("2026-03-29 01:59", Some("2026-03-29T00:59:00Z")),
            ("2026-03-29 02:30", None),
            ("2026-03-29 03:00", Some("2026-03-29T01:00:00Z")),
            // 02:30 happens twice on 25 October: the first, still in summer time, is meant.
            ("2026-10-25 02:30", Some("2026-10-25T00:30:00Z")),
            ("2026-10-25 03:00", Some("2026-10-25T02:00:00Z")),
            ("2026-12-03 19:00", Some("2026-12-03T18:00:00Z")),
            ("2026-07-02 19:00", Some("2026-07-02T17:00:00Z")),
        ];
        for (wall, instant) in cases {
            let got = from_berlin(local(wall)).ok();
            assert_eq!(got, instant.map(at), "{wall}");
            if let Some(t) = got {
                assert_eq!(berlin(t), local(wall), "{wall}");
            }
        }
        // The second 02:30 of 25 October is an instant of its own, shown as 02:30 too.
        assert_eq!(
            berlin(at("2026-10-25T01:30:00Z")),
            local("2026-10-25 02:30")
        );
        assert_eq!(
            offset_at(at("2026-10-25T00:59:00Z")).local_minus_utc(),
            7200
        );
        assert_eq!(
            offset_at(at("2026-10-25T01:00:00Z")).local_minus_utc(),
            3600
        );
    }

    /// Every quarter hour from 2000 to 2040 and every wall-clock quarter hour of the
    /// clock-change days agree with the time-zone database's Europe/Berlin.
    #[test]
    fn the_clock_agrees_with_the_time_zone_database() {
        use chrono::{TimeDelta, TimeZone};
        use chrono_tz::Europe::Berlin;
        let mut t = at("2000-01-01T00:00:00Z");
        let end = at("2040-01-01T00:00:00Z");
        while t < end {
            assert_eq!(berlin(t), t.with_timezone(&Berlin).naive_local(), "{t}");
            t += TimeDelta::minutes(15);
        }
        for year in 2000..2040 {
            for month in [3, 10] {
                let day = switch(year, month).unwrap().date();
                let mut wall = day.and_time(NaiveTime::MIN);
                while wall.date() == day {
                    let theirs = Berlin
                        .from_local_datetime(&wall)
                        .earliest()
                        .map(|t| t.with_timezone(&Utc));
                    assert_eq!(from_berlin(wall).ok(), theirs, "{wall}");
                    wall += TimeDelta::minutes(15);
                }
            }
        }
    }

    #[test]
    fn moments_are_written_the_german_way() {
        assert_eq!(german_date_text(d(2026, 10, 22)), "22.10.2026");
        assert_eq!(
            german_datetime_text(at("2026-10-22T12:05:00Z")),
            "22.10.2026, 14:05 Uhr"
        );
    }
}
