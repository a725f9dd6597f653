//! Appointments: visits booked ahead of time in a category's slots, checked in at the kiosk
//! for a ticket that is called at the slot's time, ahead of walk-ins.
//!
//! An appointment is `booked` until it is `cancelled`, `checked_in` (a ticket is issued for
//! it) or `missed` (not checked in by the end of its check-in window). Nothing personal is
//! asked for or kept: the [`BookingCode`] is the citizen's only key.
//!
//! # Layout
//! - [`code`]: booking codes.
//! - [`slots`]: a category's slots on a day, in the office's time zone.
//! - [`book`]: the appointments the office holds (every one from its current day on).

pub mod book;
pub mod code;
pub mod slots;

pub use book::AppointmentBook;
pub use code::{BookingCode, CODE_ALPHABET, CODE_LEN, CODE_RANDOM_BYTES, InvalidBookingCode};
pub use slots::{MAX_SLOT_DAYS, Slot, SlotRange, SlotRangeError};

use crate::ids::{TicketId, TicketNumber};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an appointment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentState {
    /// Booked; it may still be cancelled or checked in.
    Booked,
    /// Checked in at the kiosk: its ticket was issued.
    CheckedIn,
    /// Cancelled by the citizen (or by a clerk for them).
    Cancelled,
    /// Not checked in by the end of its check-in window.
    Missed,
}

impl AppointmentState {
    /// The wire name, as in the API (`checked_in`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::CheckedIn => "checked_in",
            Self::Cancelled => "cancelled",
            Self::Missed => "missed",
        }
    }

    /// Whether the slot is taken: a booked or checked-in visit holds its place; cancelling
    /// frees it.
    pub fn holds_slot(self) -> bool {
        matches!(self, Self::Booked | Self::CheckedIn)
    }
}

/// The ticket a checked-in appointment was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentTicket {
    /// The ticket's id (staff and the holder of the code may follow it).
    pub id: TicketId,
    /// Its number.
    pub number: TicketNumber,
}

/// What a ticket issued at a check-in knows of its appointment: the API's
/// `"appointment": {"code", "start"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketAppointment {
    /// The booking's code.
    pub code: BookingCode,
    /// When its slot starts: from then on the ticket is due.
    pub start: Timestamp,
}

/// One booked visit, with everything the office keeps about it (nothing personal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    /// The citizen's key.
    pub code: BookingCode,
    /// The category booked.
    pub category: String,
    /// When the slot starts.
    pub start: Timestamp,
    /// When the slot ends (start + the category's `slot_min` at booking).
    pub end: Timestamp,
    /// The office day of the slot.
    pub office_date: Date,
    /// Where it is in its life.
    pub state: AppointmentState,
    /// The language chosen when booking, one of the office's.
    pub language: Option<String>,
    /// When it was booked.
    pub booked_at: Timestamp,
    /// The sequence number of the event that booked it: orders stored appointments.
    pub book_seq: u64,
    /// When it left `booked` (cancelled, checked in or missed).
    pub settled_at: Option<Timestamp>,
    /// The ticket it was given at check-in.
    pub ticket: Option<AppointmentTicket>,
}

/// A check-in window in the office's local time, as refusals show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalWindow {
    /// The first local instant of the window.
    pub opens: DateTime,
    /// The end of the window (excluded).
    pub closes: DateTime,
}

impl fmt::Display for LocalWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let clock = |at: DateTime| format!("{:02}:{:02}", at.hour(), at.minute());
        if self.opens.date() == self.closes.date() {
            write!(
                f,
                "{} from {} to {}",
                self.opens.date(),
                clock(self.opens),
                clock(self.closes)
            )
        } else {
            write!(
                f,
                "from {} {} to {} {}",
                self.opens.date(),
                clock(self.opens),
                self.closes.date(),
                clock(self.closes)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_window_shows_its_day_once_when_it_stays_within_it() {
        let window = LocalWindow {
            opens: date(2026, 11, 24).at(8, 30, 0, 0),
            closes: date(2026, 11, 24).at(9, 10, 0, 0),
        };
        assert_eq!(window.to_string(), "2026-11-24 from 08:30 to 09:10");
        let late = LocalWindow {
            opens: date(2026, 11, 24).at(23, 30, 0, 0),
            closes: date(2026, 11, 25).at(0, 10, 0, 0),
        };
        assert_eq!(
            late.to_string(),
            "from 2026-11-24 23:30 to 2026-11-25 00:10"
        );
    }
}
