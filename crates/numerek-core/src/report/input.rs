//! What a report reads: one compact record per ticket and per appointment, and the local hour
//! of an instant, worked out fast.

use crate::appointment::{Appointment, AppointmentState};
use crate::ticket::{Ticket, TicketState};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// What a report needs of one ticket, borrowed from wherever it is stored.
///
/// Times are whole milliseconds since the Unix epoch: the precision of the API's timestamps, so
/// a wait computed here equals the one a reader computes from the ticket listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportTicket<'a> {
    /// The office day of issue.
    pub office_date: Date,
    /// The local hour of issue, 0–23.
    pub issue_hour: u8,
    /// The category it was issued in.
    pub category: &'a str,
    /// The counter of its last call, if it was ever called.
    pub counter: Option<&'a str>,
    /// Its state.
    pub state: TicketState,
    /// When it was issued.
    pub issued_ms: i64,
    /// Its first call.
    pub first_called_ms: Option<i64>,
    /// Its last call or recall.
    pub last_called_ms: Option<i64>,
    /// When it became done, no-show or cancelled.
    pub finished_ms: Option<i64>,
    /// The start of its appointment's slot, for a ticket issued at a check-in.
    pub appointment_start_ms: Option<i64>,
    /// Its holder's rating, 1 to 5, if it was rated.
    pub feedback: Option<u8>,
}

impl<'a> ReportTicket<'a> {
    /// The report's view of a ticket, with the hour of issue in the office's zone.
    pub fn of(ticket: &'a Ticket, tz: &TimeZone) -> Self {
        Self {
            issue_hour: tz.to_datetime(ticket.issued_at).hour().clamp(0, 23) as u8,
            ..Self::without_hour(ticket)
        }
    }

    /// The report's view of a ticket with `issue_hour` left at 0: for storing, where the hour
    /// is not kept (it follows from the time and the zone when read, see [`LocalHours`]).
    pub fn without_hour(ticket: &'a Ticket) -> Self {
        Self {
            office_date: ticket.office_date,
            issue_hour: 0,
            category: &ticket.issued_category,
            counter: ticket.last_counter.as_deref(),
            state: ticket.state,
            issued_ms: millis(ticket.issued_at),
            first_called_ms: ticket.first_called_at.map(millis),
            last_called_ms: ticket.last_called_at.map(millis),
            finished_ms: ticket.finished_at.map(millis),
            appointment_start_ms: ticket.appointment.as_ref().map(|a| millis(a.start)),
            feedback: ticket.feedback.map(crate::Score::get),
        }
    }

    /// First call − slot start, for a called ticket of an appointment (negative when it was
    /// called before its slot).
    pub fn appointment_delay_ms(&self) -> Option<i64> {
        Some(self.first_called_ms? - self.appointment_start_ms?)
    }

    /// First call − issue, once called (never negative).
    pub fn wait_ms(&self) -> Option<u64> {
        self.first_called_ms
            .map(|called| called.saturating_sub(self.issued_ms).max(0).unsigned_abs())
    }

    /// Finish − last call, for a served (`done`) ticket (never negative).
    pub fn service_ms(&self) -> Option<u64> {
        if self.state != TicketState::Done {
            return None;
        }
        let (start, end) = (self.last_called_ms?, self.finished_ms?);
        Some(end.saturating_sub(start).max(0).unsigned_abs())
    }
}

/// What a report needs of one appointment: the missed ones are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportAppointment<'a> {
    /// The office day of its slot.
    pub office_date: Date,
    /// The local hour its slot starts, 0–23.
    pub start_hour: u8,
    /// The category booked.
    pub category: &'a str,
    /// Its state.
    pub state: AppointmentState,
}

impl<'a> ReportAppointment<'a> {
    /// The report's view of an appointment, with the hour of its slot in the office's zone.
    pub fn of(appointment: &'a Appointment, tz: &TimeZone) -> Self {
        Self {
            office_date: appointment.office_date,
            start_hour: tz.to_datetime(appointment.start).hour().clamp(0, 23) as u8,
            category: &appointment.category,
            state: appointment.state,
        }
    }
}

/// Milliseconds since the Unix epoch, rounded down (as the API's timestamps show them).
pub fn millis(at: Timestamp) -> i64 {
    at.as_millisecond()
}

/// The local hour of an instant on a given office day, fast: a report asks it a million times.
///
/// Within one office day the zone's offset changes at most once (daylight saving time), so the
/// offset of a day without a change is worked out once and reused; only a changeover day asks
/// the zone for every ticket.
#[derive(Debug, Clone)]
pub struct LocalHours {
    tz: TimeZone,
    day: Option<(Date, Option<i64>)>,
}

impl LocalHours {
    /// Hours in the office's zone.
    pub fn new(tz: TimeZone) -> Self {
        Self { tz, day: None }
    }

    /// The local hour (0–23) of the instant `ms` (milliseconds since the Unix epoch), a ticket
    /// of office day `date`.
    pub fn hour(&mut self, date: Date, ms: i64) -> u8 {
        let fixed = match self.day {
            Some((known, fixed)) if known == date => fixed,
            _ => {
                let fixed = self.fixed_offset(date);
                self.day = Some((date, fixed));
                fixed
            }
        };
        let hour = match fixed {
            Some(offset_s) => (ms.div_euclid(1000) + offset_s).rem_euclid(86_400) / 3600,
            None => Timestamp::from_millisecond(ms)
                .map(|at| i64::from(self.tz.to_datetime(at).hour()))
                .unwrap_or(0),
        };
        u8::try_from(hour).unwrap_or(0)
    }

    /// The offset in seconds of a day on which it does not change, else `None`.
    fn fixed_offset(&self, date: Date) -> Option<i64> {
        let start = crate::day::start_of_day(&self.tz, date);
        let end = crate::day::next_day_start(&self.tz, start);
        let at_start = self.tz.to_offset(start).seconds();
        let at_end = self.tz.to_offset(end).seconds();
        (at_start == at_end).then_some(i64::from(at_start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn local_hours_follow_daylight_saving_time() {
        let tz = TimeZone::get("Europe/Warsaw").unwrap();
        let mut hours = LocalHours::new(tz.clone());
        let ms = |s: &str| s.parse::<Timestamp>().unwrap().as_millisecond();
        assert_eq!(
            hours.hour(date(2026, 11, 23), ms("2026-11-23T08:15:00Z")),
            9
        );
        assert_eq!(
            hours.hour(date(2026, 11, 23), ms("2026-11-23T22:59:59Z")),
            23
        );
        assert_eq!(hours.hour(date(2026, 7, 1), ms("2026-07-01T08:15:00Z")), 10);
        // 25 October 2026: 02:59 summer time, then 02:00 winter time again.
        let autumn = date(2026, 10, 25);
        assert_eq!(hours.hour(autumn, ms("2026-10-25T00:30:00Z")), 2);
        assert_eq!(hours.hour(autumn, ms("2026-10-25T01:30:00Z")), 2);
        assert_eq!(hours.hour(autumn, ms("2026-10-25T02:30:00Z")), 3);
        for minute in (0..24 * 60).step_by(7) {
            let at = jiff::Timestamp::from_second(1_793_142_000 + minute * 60).unwrap();
            let day = crate::day::office_date(&tz, at);
            assert_eq!(
                i64::from(hours.hour(day, at.as_millisecond())),
                i64::from(tz.to_datetime(at).hour()),
                "{at}"
            );
        }
    }
}
