//! Office days: the local calendar of the office's time zone, daylight saving time included.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// The office day an instant belongs to.
pub fn office_date(tz: &TimeZone, at: Timestamp) -> Date {
    tz.to_datetime(at).date()
}

/// The office's wall-clock time at an instant.
pub fn local_datetime(tz: &TimeZone, at: Timestamp) -> DateTime {
    tz.to_datetime(at)
}

/// The instant the office day after `at`'s begins: the next local midnight (or, where a
/// daylight-saving jump skips midnight, the first instant of that day).
pub fn next_day_start(tz: &TimeZone, at: Timestamp) -> Timestamp {
    let tomorrow = office_date(tz, at).tomorrow().unwrap_or(Date::MAX);
    start_of_day(tz, tomorrow)
}

/// The first instant of an office day.
pub fn start_of_day(tz: &TimeZone, date: Date) -> Timestamp {
    date.to_zoned_datetime(tz.clone())
        .map(|zoned| zoned.timestamp())
        .unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn warsaw() -> TimeZone {
        TimeZone::get("Europe/Warsaw").unwrap()
    }

    #[test]
    fn the_day_turns_at_local_midnight_not_utc() {
        let tz = warsaw();
        // 23:30 UTC on 23 November is 00:30 on the 24th in Warsaw (UTC+1).
        let at: Timestamp = "2026-11-23T23:30:00Z".parse().unwrap();
        assert_eq!(office_date(&tz, at), date(2026, 11, 24));
        let before: Timestamp = "2026-11-23T22:59:59Z".parse().unwrap();
        assert_eq!(office_date(&tz, before), date(2026, 11, 23));
        assert_eq!(
            next_day_start(&tz, before),
            "2026-11-23T23:00:00Z".parse().unwrap()
        );
    }

    #[test]
    fn days_across_daylight_saving_changes_have_23_and_25_hours() {
        let tz = warsaw();
        // Summer time starts on 29 March 2026 and ends on 25 October 2026.
        let spring = start_of_day(&tz, date(2026, 3, 29));
        let after_spring = start_of_day(&tz, date(2026, 3, 30));
        assert_eq!(after_spring.as_second() - spring.as_second(), 23 * 3600);
        let autumn = start_of_day(&tz, date(2026, 10, 25));
        let after_autumn = next_day_start(&tz, autumn);
        assert_eq!(after_autumn.as_second() - autumn.as_second(), 25 * 3600);
        assert_eq!(office_date(&tz, after_autumn), date(2026, 10, 26));
    }
}
