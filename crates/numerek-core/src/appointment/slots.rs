//! A category's slots: when visits may be booked, in the office's local time.
//!
//! On a weekday with appointment hours, slots start at the opening time and every `slot_min`
//! after it, as long as the start is before the closing time. Starts are wall-clock times: on
//! the night clocks spring forward, a start the clock skips does not exist; on the night they
//! fall back, a start the clock shows twice is its first occurrence. A slot lasts `slot_min`
//! of real time.

use crate::config::AppointmentConfig;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{AmbiguousOffset, TimeZone};

/// The most office days one slot listing covers.
pub const MAX_SLOT_DAYS: i32 = 31;

/// One bookable slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// When it starts.
    pub start: Timestamp,
    /// When it ends.
    pub end: Timestamp,
    /// How many more bookings it takes (0 when full).
    pub free: u32,
}

/// Why a range of days cannot be listed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlotRangeError {
    /// `from` is after `to`.
    #[error("`from` ({from}) is after `to` ({to})")]
    Reversed {
        /// The first day asked for.
        from: Date,
        /// The last day asked for.
        to: Date,
    },
    /// More days than a listing covers.
    #[error("the range covers {days} days; slots are listed for at most {MAX_SLOT_DAYS}")]
    TooLong {
        /// How many days were asked for.
        days: i64,
    },
}

/// A validated range of office days, `from..=to`, at most [`MAX_SLOT_DAYS`] long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotRange {
    from: Date,
    to: Date,
}

impl SlotRange {
    /// Checks a range.
    ///
    /// # Errors
    /// [`SlotRangeError`] when `from` is after `to` or the range is too long.
    pub fn new(from: Date, to: Date) -> Result<Self, SlotRangeError> {
        if from > to {
            return Err(SlotRangeError::Reversed { from, to });
        }
        let days = i64::from((to - from).get_days()) + 1;
        if days > i64::from(MAX_SLOT_DAYS) {
            return Err(SlotRangeError::TooLong { days });
        }
        Ok(Self { from, to })
    }

    /// The first day.
    pub fn from(&self) -> Date {
        self.from
    }

    /// The last day (included).
    pub fn to(&self) -> Date {
        self.to
    }

    /// Every day of the range, in order.
    pub fn days(&self) -> impl Iterator<Item = Date> + use<> {
        let to = self.to;
        std::iter::successors(Some(self.from), move |day| {
            day.tomorrow().ok().filter(|next| *next <= to)
        })
    }
}

/// The slot starts of a category on one office day, in order (none on a day without
/// appointment hours).
pub fn slot_starts(config: &AppointmentConfig, tz: &TimeZone, date: Date) -> Vec<Timestamp> {
    let Some(hours) = config.hours.day(date.weekday()) else {
        return Vec::new();
    };
    let step = usize::try_from(config.slot_min.max(1)).unwrap_or(usize::MAX);
    (hours.open_min..hours.close_min)
        .step_by(step)
        .filter_map(|minute| {
            let hour = i8::try_from(minute / 60).ok()?;
            let minute = i8::try_from(minute % 60).ok()?;
            let local = date.at(hour, minute, 0, 0);
            let offset = match tz.to_ambiguous_timestamp(local).offset() {
                AmbiguousOffset::Unambiguous { offset } => offset,
                // Skipped by the clock: no such start.
                AmbiguousOffset::Gap { .. } => return None,
                // Shown twice: the first time.
                AmbiguousOffset::Fold { before, .. } => before,
            };
            offset.to_timestamp(local).ok()
        })
        .collect()
}

/// Whether `start` is one of the category's slot starts (on its office day in `tz`).
pub fn is_slot_start(config: &AppointmentConfig, tz: &TimeZone, start: Timestamp) -> bool {
    let date = tz.to_datetime(start).date();
    slot_starts(config, tz, date).contains(&start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{DayHours, WeekHours};
    use jiff::civil::{Weekday, date};

    /// Slots of `slot_min` on one weekday, starting from `open` to `close` (whole hours).
    fn config(slot_min: u32, day: Weekday, open: u16, close: u16) -> AppointmentConfig {
        let mut week = WeekHours::default();
        week.set_day(
            day,
            Some(DayHours {
                open_min: open * 60,
                close_min: close * 60,
            }),
        );
        AppointmentConfig {
            slot_min,
            per_slot: 1,
            days_ahead: 14,
            hours: week,
        }
    }

    fn warsaw() -> TimeZone {
        TimeZone::get("Europe/Warsaw").expect("a zone")
    }

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a timestamp")
    }

    #[test]
    fn slots_start_every_slot_length_from_opening_while_before_closing() {
        let monday = date(2026, 11, 23);
        let config = config(25, Weekday::Monday, 8, 9);
        assert_eq!(
            slot_starts(&config, &warsaw(), monday),
            [
                at("2026-11-23T08:00:00+01:00"),
                at("2026-11-23T08:25:00+01:00"),
                at("2026-11-23T08:50:00+01:00"),
            ]
        );
        assert!(slot_starts(&config, &warsaw(), date(2026, 11, 24)).is_empty());
        assert!(is_slot_start(
            &config,
            &warsaw(),
            at("2026-11-23T08:25:00+01:00")
        ));
        for not_a_start in [
            "2026-11-23T08:24:59+01:00",
            "2026-11-23T08:25:00.001+01:00",
            "2026-11-23T09:15:00+01:00",
            "2026-11-30T07:35:00+01:00",
        ] {
            assert!(
                !is_slot_start(&config, &warsaw(), at(not_a_start)),
                "{not_a_start}"
            );
        }
    }

    #[test]
    fn a_start_the_clock_skips_does_not_exist_and_a_doubled_one_is_the_first() {
        // 29 March 2026: 02:00 becomes 03:00. 25 October 2026: 03:00 becomes 02:00 again.
        let spring = config(30, Weekday::Sunday, 1, 4);
        assert_eq!(
            slot_starts(&spring, &warsaw(), date(2026, 3, 29)),
            [
                at("2026-03-29T01:00:00+01:00"),
                at("2026-03-29T01:30:00+01:00"),
                at("2026-03-29T03:00:00+02:00"),
                at("2026-03-29T03:30:00+02:00"),
            ]
        );
        let autumn = slot_starts(&spring, &warsaw(), date(2026, 10, 25));
        assert_eq!(
            autumn,
            [
                at("2026-10-25T01:00:00+02:00"),
                at("2026-10-25T01:30:00+02:00"),
                at("2026-10-25T02:00:00+02:00"),
                at("2026-10-25T02:30:00+02:00"),
                at("2026-10-25T03:00:00+01:00"),
                at("2026-10-25T03:30:00+01:00"),
            ]
        );
        // The second 02:30 (winter time) is not a start.
        assert!(!is_slot_start(
            &spring,
            &warsaw(),
            at("2026-10-25T02:30:00+01:00")
        ));
    }

    #[test]
    fn ranges_are_checked() {
        let from = date(2026, 12, 1);
        assert!(SlotRange::new(from, date(2026, 12, 31)).is_ok());
        assert_eq!(
            SlotRange::new(from, date(2027, 1, 1)),
            Err(SlotRangeError::TooLong { days: 32 })
        );
        assert_eq!(
            SlotRange::new(from, date(2026, 11, 30)),
            Err(SlotRangeError::Reversed {
                from,
                to: date(2026, 11, 30)
            })
        );
        let range = SlotRange::new(date(2026, 12, 30), date(2027, 1, 2)).expect("a range");
        let days: Vec<Date> = range.days().collect();
        assert_eq!(
            days,
            [
                date(2026, 12, 30),
                date(2026, 12, 31),
                date(2027, 1, 1),
                date(2027, 1, 2)
            ]
        );
        assert_eq!(
            SlotRange::new(from, from).expect("one day").days().count(),
            1
        );
    }
}
