//! Appointments in the office file, validated: a category's bookable slots, the office's
//! closed dates and the check-in window (the keys are read in `parse/appointments.rs`).

use super::{OfficeConfig, WeekHours};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use std::ops::RangeInclusive;

/// `slot_min`: a slot is 5 minutes to 4 hours long.
pub const SLOT_MIN: RangeInclusive<u32> = 5..=240;
/// `per_slot`: 1 to 50 bookings share a slot.
pub const PER_SLOT: RangeInclusive<u32> = 1..=50;
/// `days_ahead`: bookings reach 1 to 90 days ahead.
pub const DAYS_AHEAD: RangeInclusive<u32> = 1..=90;
/// The default `office.checkin_early_min`.
pub const DEFAULT_CHECKIN_EARLY_MIN: u32 = 30;
/// The default `office.checkin_late_min`.
pub const DEFAULT_CHECKIN_LATE_MIN: u32 = 10;
/// `office.checkin_early_min`: from 0 (not before the slot starts) to 4 hours before it; nobody
/// waits longer in a lobby for a booked visit.
pub const CHECKIN_EARLY_MIN: RangeInclusive<u32> = 0..=240;
/// `office.checkin_late_min`: from 0 (not after the slot starts) to 2 hours after it; later, a
/// booking that jumps the line is no longer the visit that was booked.
pub const CHECKIN_LATE_MIN: RangeInclusive<u32> = 0..=120;

/// A category's `appointments = { slot_min, per_slot, days_ahead, hours }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentConfig {
    /// The length of a slot, in minutes ([`SLOT_MIN`]).
    pub slot_min: u32,
    /// How many bookings one slot takes ([`PER_SLOT`]).
    pub per_slot: u32,
    /// How many office days after today may be booked ([`DAYS_AHEAD`]).
    pub days_ahead: u32,
    /// When slots start, by weekday: at the opening time and every `slot_min` after it, as long
    /// as the start is before the closing time (the last slot may end after it).
    pub hours: WeekHours,
}

impl AppointmentConfig {
    /// A slot's length.
    pub fn slot_length(&self) -> SignedDuration {
        SignedDuration::from_mins(i64::from(self.slot_min))
    }
}

/// When a booked visit may check in at the kiosk: from `early_min` before its slot starts up to
/// (not including) `late_min` after it. At the window's end a booking not checked in is missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckinWindow {
    /// `office.checkin_early_min`.
    pub early_min: u32,
    /// `office.checkin_late_min`.
    pub late_min: u32,
}

impl Default for CheckinWindow {
    fn default() -> Self {
        Self {
            early_min: DEFAULT_CHECKIN_EARLY_MIN,
            late_min: DEFAULT_CHECKIN_LATE_MIN,
        }
    }
}

impl CheckinWindow {
    /// The first instant a visit starting at `start` may check in.
    pub fn opens(&self, start: Timestamp) -> Timestamp {
        start
            .checked_sub(SignedDuration::from_mins(i64::from(self.early_min)))
            .unwrap_or(Timestamp::MIN)
    }

    /// The end of the window (excluded): the instant a visit starting at `start` is missed.
    pub fn closes(&self, start: Timestamp) -> Timestamp {
        start
            .checked_add(SignedDuration::from_mins(i64::from(self.late_min)))
            .unwrap_or(Timestamp::MAX)
    }
}

impl OfficeConfig {
    /// Whether `date` is one of `office.closed_dates`: no ticket is issued and no slot offered.
    pub fn is_closed_date(&self, date: Date) -> bool {
        self.office.closed_dates.contains(&date)
    }
}

#[cfg(test)]
mod tests;
