//! Issuing hours: for each weekday, the local time span in which tickets may be taken.

use jiff::civil::{DateTime, Weekday};
use std::fmt;
use std::str::FromStr;

/// Minutes in a day: `24:00` as a closing time.
pub const DAY_MINUTES: u16 = 24 * 60;

/// One day's hours, as minutes since local midnight: open from `open_min` (inclusive) to
/// `close_min` (exclusive), with `open_min < close_min <= 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayHours {
    /// The first minute tickets may be taken.
    pub open_min: u16,
    /// The minute issuing stops (1440 is the end of the day).
    pub close_min: u16,
}

/// Why a text is not a day's hours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    /// Not of the form `HH:MM-HH:MM`.
    #[error("\"{0}\" is not of the form \"HH:MM-HH:MM\" (e.g. \"07:30-15:30\") or \"closed\"")]
    Format(String),
    /// The closing time is not after the opening time.
    #[error("in \"{0}\" the closing time is not after the opening time")]
    CloseBeforeOpen(String),
}

/// What a day's entry in an hours table says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayEntry {
    /// Open in this span.
    Open(DayHours),
    /// `"closed"`: closed all day (lets a category close on a day the office is open).
    Closed,
}

fn parse_clock(text: &str) -> Option<u16> {
    let (hours, minutes) = text.split_once(':')?;
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hours) || !two_digits(minutes) {
        return None;
    }
    let (hours, minutes): (u16, u16) = (hours.parse().ok()?, minutes.parse().ok()?);
    let total = hours * 60 + minutes;
    (minutes < 60 && total <= DAY_MINUTES).then_some(total)
}

impl FromStr for DayEntry {
    type Err = HoursError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == "closed" {
            return Ok(Self::Closed);
        }
        let format_error = || HoursError::Format(text.to_owned());
        let (open, close) = text.split_once('-').ok_or_else(format_error)?;
        let open_min = parse_clock(open.trim()).ok_or_else(format_error)?;
        let close_min = parse_clock(close.trim()).ok_or_else(format_error)?;
        if close_min <= open_min {
            return Err(HoursError::CloseBeforeOpen(text.to_owned()));
        }
        Ok(Self::Open(DayHours {
            open_min,
            close_min,
        }))
    }
}

impl fmt::Display for DayHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let clock = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", clock(self.open_min), clock(self.close_min))
    }
}

/// A weekday's key in the office file's hours tables (`mon` … `sun`), which the API uses for
/// weekdays too (the staffing advisor's rows).
pub fn weekday_key(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "mon",
        Weekday::Tuesday => "tue",
        Weekday::Wednesday => "wed",
        Weekday::Thursday => "thu",
        Weekday::Friday => "fri",
        Weekday::Saturday => "sat",
        Weekday::Sunday => "sun",
    }
}

/// A week of hours; a day without hours is closed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeekHours {
    days: [Option<DayHours>; 7],
}

impl WeekHours {
    /// The hours of a weekday, or `None` when it is closed.
    pub fn day(&self, weekday: Weekday) -> Option<DayHours> {
        self.days[usize::from(weekday.to_monday_zero_offset().unsigned_abs())]
    }

    /// Sets a weekday's hours (`None`: closed).
    pub fn set_day(&mut self, weekday: Weekday, hours: Option<DayHours>) {
        self.days[usize::from(weekday.to_monday_zero_offset().unsigned_abs())] = hours;
    }

    /// Whether tickets may be taken at this local wall-clock time.
    pub fn is_open_at(&self, local: DateTime) -> bool {
        let minute = u16::try_from(i32::from(local.hour()) * 60 + i32::from(local.minute()))
            .unwrap_or(u16::MAX);
        self.day(local.weekday())
            .is_some_and(|d| d.open_min <= minute && minute < d.close_min)
    }

    /// When issuing closes on this local day, as minutes since midnight, if it opens at all.
    pub fn closing_min(&self, weekday: Weekday) -> Option<u16> {
        self.day(weekday).map(|d| d.close_min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn open(text: &str) -> DayHours {
        match text.parse::<DayEntry>() {
            Ok(DayEntry::Open(hours)) => hours,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn hours_parse_to_minutes_and_print_back() {
        let hours = open("07:30-15:30");
        assert_eq!((hours.open_min, hours.close_min), (450, 930));
        assert_eq!(hours.to_string(), "07:30-15:30");
        let whole = open("00:00-24:00");
        assert_eq!((whole.open_min, whole.close_min), (0, DAY_MINUTES));
        assert_eq!("closed".parse::<DayEntry>(), Ok(DayEntry::Closed));
    }

    #[test]
    fn malformed_hours_are_refused_with_the_reason() {
        for bad in [
            "",
            "7:30-15:30",
            "07:30",
            "07:30-15:60",
            "25:00-26:00",
            "07:30-24:01",
            "a-b",
            "07.30-15.30",
            "open",
        ] {
            assert!(
                matches!(bad.parse::<DayEntry>(), Err(HoursError::Format(_))),
                "{bad}"
            );
        }
        for backwards in ["15:30-07:30", "08:00-08:00"] {
            assert!(
                matches!(
                    backwards.parse::<DayEntry>(),
                    Err(HoursError::CloseBeforeOpen(_))
                ),
                "{backwards}"
            );
        }
    }

    #[test]
    fn open_means_from_opening_up_to_but_not_including_closing() {
        let mut week = WeekHours::default();
        week.set_day(Weekday::Monday, Some(open("07:30-15:30")));
        let monday = date(2026, 11, 23);
        assert!(!week.is_open_at(monday.at(7, 29, 59, 0)));
        assert!(week.is_open_at(monday.at(7, 30, 0, 0)));
        assert!(week.is_open_at(monday.at(15, 29, 59, 0)));
        assert!(!week.is_open_at(monday.at(15, 30, 0, 0)));
        assert!(
            !week.is_open_at(date(2026, 11, 24).at(9, 0, 0, 0)),
            "Tuesday not listed"
        );
        week.set_day(Weekday::Sunday, Some(open("00:00-24:00")));
        assert!(week.is_open_at(date(2026, 11, 29).at(23, 59, 59, 0)));
    }
}
