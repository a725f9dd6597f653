//! Appointments: the slots on offer, booking, cancelling, checking in for a ticket, and the
//! bookings missed at the end of their check-in window.
//!
//! Deciding here follows `decide`: nothing is mutated, the events change the state when applied.
//! Every rule that depends on time takes `now`, and none depends on whether the missed
//! bookings were already marked: a booking whose window has ended is treated as missed.

use super::Office;
use super::decide::EventList;
use crate::appointment::slots::{is_slot_start, slot_starts};
use crate::appointment::{
    Appointment, AppointmentState, AppointmentTicket, BookingCode, LocalWindow, Slot, SlotRange,
    TicketAppointment,
};
use crate::config::{AppointmentConfig, CategoryConfig};
use crate::day::{next_day_start, office_date, start_of_day};
use crate::error::{DomainError, SlotProblem};
use crate::event::{Event, EventKind};
use crate::ids::TicketId;
use crate::opening::Opening;
use crate::ticket::TicketState;
use jiff::civil::Date;
use jiff::{Span, Timestamp};

impl Office {
    // ----- reading -----------------------------------------------------------------------------

    /// The appointment with this code, if its slot is on the current office day or later
    /// (older ones are in storage only).
    pub fn appointment(&self, code: &BookingCode) -> Option<&Appointment> {
        self.book.get(code)
    }

    /// Every appointment the office holds (its slot on the current office day or later), by
    /// slot start, then code: what [`crate::Restored::appointments`] takes back.
    pub fn appointments(&self) -> impl Iterator<Item = &Appointment> {
        self.book.iter()
    }

    /// The appointments of an office day (the current one or later), optionally of one
    /// category, by slot start, then code: the staff's list of the day.
    pub fn appointments_on(&self, date: Date, category: Option<&str>) -> Vec<&Appointment> {
        let tz = &self.config.office.tz;
        let from = start_of_day(tz, date);
        let to = next_day_start(tz, from);
        self.book
            .starting_within(from, to)
            .filter(|a| a.office_date == date && category.is_none_or(|c| a.category == c))
            .collect()
    }

    /// Every slot of `category` on the days of `range` that can be booked at `now`, with its
    /// free places (0 when full): slots that have started, days before today, beyond the
    /// category's `days_ahead` and closed dates have none.
    ///
    /// # Errors
    /// [`DomainError::UnknownCategory`], or [`DomainError::NoAppointments`] for a category that
    /// takes no bookings.
    pub fn slots(
        &self,
        category: &str,
        range: SlotRange,
        now: Timestamp,
    ) -> Result<Vec<Slot>, DomainError> {
        let (category, rules) = self.booking_rules(category)?;
        let tz = &self.config.office.tz;
        let today = office_date(tz, now);
        let last = last_bookable_day(today, rules);
        let mut slots = Vec::new();
        for date in range.days() {
            if date < today || date > last || self.config.is_closed_date(date) {
                continue;
            }
            for start in slot_starts(rules, tz, date) {
                if start <= now {
                    continue;
                }
                slots.push(Slot {
                    start,
                    end: slot_end(rules, start),
                    free: rules
                        .per_slot
                        .saturating_sub(self.book.held(&category.id, start)),
                });
            }
        }
        Ok(slots)
    }

    /// The events of the bookings missed by `now`: every booking not checked in whose check-in
    /// window has ended, by slot start, then code. Nothing is applied (see
    /// [`Office::mark_missed_if_due`]).
    pub fn missed_due(&self, now: Timestamp) -> Vec<Event> {
        let window = self.config.office.checkin;
        let mut events = EventList::new(self, now);
        self.miss_bookings(&mut events, |a| window.closes(a.start) <= now);
        events.into_events()
    }

    /// The next instant something falls due without a command: a booking missed at the end of
    /// its window, or the next office day. The caller sets a timer for it, then runs
    /// [`Office::start_day_if_due`] and [`Office::mark_missed_if_due`]. At or before `now`: due
    /// already.
    pub fn next_due(&self) -> Timestamp {
        let tz = &self.config.office.tz;
        let next_day = next_day_start(tz, start_of_day(tz, self.date));
        let window = self.config.office.checkin;
        self.book
            .booked()
            .next()
            .map_or(next_day, |a| window.closes(a.start).min(next_day))
    }

    /// How many more walk-in tickets `category` (with a daily limit `limit`) may issue today
    /// at `now`: the limit covers all of the day's tickets, so the bookings still expected
    /// today keep their places in it.
    pub(super) fn walk_ins_left(
        &self,
        category: &CategoryConfig,
        limit: u32,
        now: Timestamp,
    ) -> u32 {
        let expected = u32::try_from(self.expected_today(&category.id, now)).unwrap_or(u32::MAX);
        limit.saturating_sub(self.issued_today(&category.id).saturating_add(expected))
    }

    /// Today's bookings of a category still expected at `now`: booked, not checked in, and
    /// their window not over.
    fn expected_today(&self, category: &str, now: Timestamp) -> usize {
        let window = self.config.office.checkin;
        self.bookings_today()
            .filter(|a| a.category == category && now < window.closes(a.start))
            .count()
    }

    /// The current office day's appointments still `booked`, by slot start, then code.
    pub(super) fn bookings_today(&self) -> impl Iterator<Item = &Appointment> {
        let tz = &self.config.office.tz;
        let from = start_of_day(tz, self.date);
        self.book
            .starting_within(from, next_day_start(tz, from))
            .filter(|a| a.office_date == self.date && a.state == AppointmentState::Booked)
    }

    /// The public `appointments_today` of a category: today's bookings still expected at
    /// `now`, and the checked-in visits whose tickets wait for their first call.
    pub fn appointments_today(&self, category: &str, now: Timestamp) -> usize {
        let checked_in_waiting = self
            .appointments_on(self.date, Some(category))
            .into_iter()
            .filter(|a| a.state == AppointmentState::CheckedIn)
            .filter_map(|a| self.ticket_ref(&a.ticket.as_ref()?.id))
            .filter(|t| t.state == TicketState::Waiting && t.slot_start().is_some())
            .count();
        self.expected_today(category, now) + checked_in_waiting
    }

    /// A category and its appointment rules.
    fn booking_rules(
        &self,
        category: &str,
    ) -> Result<(&CategoryConfig, &AppointmentConfig), DomainError> {
        let config = self
            .config
            .category(category)
            .ok_or_else(|| DomainError::UnknownCategory(category.to_owned()))?;
        let rules = config
            .appointments
            .as_ref()
            .ok_or_else(|| DomainError::NoAppointments(config.id.clone()))?;
        Ok((config, rules))
    }

    /// An appointment's check-in window in local time.
    fn local_window(&self, appointment: &Appointment) -> LocalWindow {
        let tz = &self.config.office.tz;
        let window = self.config.office.checkin;
        LocalWindow {
            opens: tz.to_datetime(window.opens(appointment.start)),
            closes: tz.to_datetime(window.closes(appointment.start)),
        }
    }

    // ----- deciding ----------------------------------------------------------------------------

    pub(super) fn decide_book(
        &self,
        events: &mut EventList,
        code: BookingCode,
        category: &str,
        start: Timestamp,
        language: Option<&str>,
    ) -> Result<(), DomainError> {
        // The request's form (400) before the resources it names (404), as for tickets.
        if let Some(language) = language
            && !self.config.office.languages.iter().any(|l| l == language)
        {
            return Err(DomainError::UnknownLanguage(language.to_owned()));
        }
        let (category, rules) = self.booking_rules(category)?;
        let now = events.at;
        let tz = &self.config.office.tz;
        let date = office_date(tz, start);
        let problem = if !is_slot_start(rules, tz, start) {
            Some(SlotProblem::NotASlotStart)
        } else if start <= now {
            Some(SlotProblem::Past)
        } else if self.config.is_closed_date(date) {
            Some(SlotProblem::ClosedDate(date))
        } else if date > last_bookable_day(office_date(tz, now), rules) {
            Some(SlotProblem::BeyondDaysAhead {
                days_ahead: rules.days_ahead,
            })
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(DomainError::SlotUnavailable(problem));
        }
        if self.book.held(&category.id, start) >= rules.per_slot {
            return Err(DomainError::SlotFull);
        }
        if self.book.get(&code).is_some() {
            return Err(DomainError::BookingCodeTaken);
        }
        events.push(EventKind::AppointmentBooked {
            appointment: Appointment {
                code,
                category: category.id.clone(),
                start,
                end: slot_end(rules, start),
                office_date: date,
                state: AppointmentState::Booked,
                language: language.map(str::to_owned),
                booked_at: now,
                book_seq: events.next_seq,
                settled_at: None,
                ticket: None,
            },
        });
        Ok(())
    }

    pub(super) fn decide_cancel_appointment(
        &self,
        events: &mut EventList,
        code: &BookingCode,
    ) -> Result<(), DomainError> {
        let appointment = self.book.get(code).ok_or(DomainError::UnknownAppointment)?;
        let state = self.state_at(appointment, events.at);
        if state != AppointmentState::Booked {
            return Err(DomainError::AppointmentNotBooked(state));
        }
        events.push(EventKind::AppointmentCancelled {
            appointment: settled(appointment, AppointmentState::Cancelled, events.at),
        });
        Ok(())
    }

    pub(super) fn decide_check_in(
        &self,
        events: &mut EventList,
        code: &BookingCode,
        id: &TicketId,
    ) -> Result<(), DomainError> {
        let appointment = self.book.get(code).ok_or(DomainError::UnknownAppointment)?;
        let now = events.at;
        match self.state_at(appointment, now) {
            AppointmentState::Booked => {}
            AppointmentState::Missed => {
                return Err(DomainError::CheckinTooLate(self.local_window(appointment)));
            }
            state => return Err(DomainError::AppointmentNotBooked(state)),
        }
        // Only on the slot's own office day: a ticket belongs to the day it is issued on.
        let window = self.config.office.checkin;
        let today = office_date(&self.config.office.tz, now);
        if appointment.office_date > today || now < window.opens(appointment.start) {
            return Err(DomainError::CheckinTooEarly(self.local_window(appointment)));
        }
        let category = self
            .config
            .category(&appointment.category)
            .ok_or_else(|| DomainError::UnknownCategory(appointment.category.clone()))?;
        if self.config.is_closed_date(today) {
            let tz = &self.config.office.tz;
            return Err(DomainError::CategoryClosed {
                category: category.id.clone(),
                opens: Opening::of_closed(
                    &category.hours,
                    tz,
                    &self.config.office.closed_dates,
                    now,
                ),
            });
        }
        // Neither the issuing hours, the daily limit nor the cut-off refuse a booked visit: its
        // place was promised when it was booked (and the limit kept it).
        let ticket = self.new_ticket(
            events,
            id,
            category,
            false,
            appointment.language.as_deref(),
            Some(TicketAppointment {
                code: *code,
                start: appointment.start,
            }),
        );
        let mut checked_in = settled(appointment, AppointmentState::CheckedIn, now);
        checked_in.ticket = Some(AppointmentTicket {
            id: ticket.id.clone(),
            number: ticket.number.clone(),
        });
        events.push(EventKind::TicketIssued { ticket });
        events.push(EventKind::AppointmentCheckedIn {
            appointment: checked_in,
        });
        Ok(())
    }

    /// An appointment's state at `now`: a booking whose window has ended is missed, whether or
    /// not its `appointment.missed` was applied yet.
    fn state_at(&self, appointment: &Appointment, now: Timestamp) -> AppointmentState {
        let closes = self.config.office.checkin.closes(appointment.start);
        match appointment.state {
            AppointmentState::Booked if now >= closes => AppointmentState::Missed,
            state => state,
        }
    }

    /// Marks missed every booking still `booked` that `missed` selects.
    pub(super) fn miss_bookings(
        &self,
        events: &mut EventList,
        missed: impl Fn(&Appointment) -> bool,
    ) {
        let at = events.at;
        let due: Vec<&Appointment> = self.book.booked().filter(|a| missed(a)).collect();
        for appointment in due {
            events.push(EventKind::AppointmentMissed {
                appointment: settled(appointment, AppointmentState::Missed, at),
            });
        }
    }
}

/// A copy of `appointment` that has left `booked` for `state` at `at`.
fn settled(appointment: &Appointment, state: AppointmentState, at: Timestamp) -> Appointment {
    let mut changed = appointment.clone();
    changed.state = state;
    changed.settled_at = Some(at);
    changed
}

/// The last office day a category takes bookings for, from `today`.
fn last_bookable_day(today: Date, rules: &AppointmentConfig) -> Date {
    today
        .checked_add(Span::new().days(i64::from(rules.days_ahead)))
        .unwrap_or(Date::MAX)
}

/// When a slot starting at `start` ends.
fn slot_end(rules: &AppointmentConfig, start: Timestamp) -> Timestamp {
    start
        .checked_add(rules.slot_length())
        .unwrap_or(Timestamp::MAX)
}
