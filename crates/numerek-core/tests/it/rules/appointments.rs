//! The rules of appointments, one rule per test: slots and their capacity, booking refusals,
//! cancelling, the check-in window, the ticket a check-in gives, due-first routing at `fifo`
//! and `listed` counters, the missed bookings, closed dates, the daily limit, the estimate,
//! the status, a day with a daylight-saving change, and restoring.

use super::*;
use jiff::civil::date;
use numerek_core::appointment::{LocalWindow, SlotRange, SlotRangeError};
use numerek_core::{Appointment, AppointmentState, BookingCode, Slot, SlotProblem};
use std::collections::BTreeSet;

/// An office whose `registration` takes bookings of 15 minutes, two a slot, 14 days ahead, on
/// weekday mornings (and on Sunday nights, for the daylight-saving tests); `tax` takes one
/// booking a half hour from 10 to 11 on Mondays and Tuesdays, two days ahead, and issues at
/// most three tickets a day; `passports` takes no bookings. Wednesday 25 November is closed.
///
/// Counter 1 is fifo over registration and tax; counter 2 serves passports, tax, registration
/// in that order (`listed`); counter 3 serves passports only.
const BOOKING: &str = r#"
[office]
id = "booking"
name = "Urząd z rezerwacjami"
timezone = "Europe/Warsaw"
languages = ["pl", "en"]
closed_dates = ["2026-11-25"]

[office.hours]
mon = "07:00-17:00"
tue = "07:00-17:00"
wed = "07:00-17:00"
thu = "07:00-17:00"
fri = "07:00-17:00"
sun = "00:00-24:00"

[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki", en = "Registration" }
target_wait_min = 15
expected_service_min = 4
appointments = { slot_min = 15, per_slot = 2, days_ahead = 14, hours = { mon = "09:00-12:00", tue = "09:00-12:00", wed = "09:00-12:00", thu = "09:00-12:00", fri = "09:00-12:00", sun = "01:00-04:00" } }

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki", en = "Taxes" }
target_wait_min = 10
daily_limit = 3
priority = false
appointments = { slot_min = 30, per_slot = 1, days_ahead = 2, hours = { mon = "10:00-11:00", tue = "10:00-11:00" } }

[[category]]
id = "passports"
prefix = "PA"
name = { pl = "Paszporty", en = "Passports" }
target_wait_min = 20

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration", "tax"]

[[counter]]
id = "2"
name = { pl = "Stanowisko 2", en = "Counter 2" }
categories = ["passports", "tax", "registration"]
order = "listed"

[[counter]]
id = "3"
name = { pl = "Stanowisko 3", en = "Counter 3" }
categories = ["passports"]
"#;

/// Monday 23 November 2026, eight in the morning in Warsaw (UTC+1).
const MONDAY_8: &str = "2026-11-23T08:00:00+01:00";

/// A code told apart by `n`.
fn code(n: u8) -> BookingCode {
    BookingCode::from_random([0, 0, 0, 7, n])
}

impl Desk {
    /// Runs what the store's writer runs before every batch: the day's rollover, then the
    /// bookings missed by now. Answers the events.
    fn housekeeping(&mut self) -> Vec<Event> {
        let mut events = self.office.start_day_if_due(self.now);
        events.extend(self.office.mark_missed_if_due(self.now));
        events
    }

    fn run_due(&mut self, command: &Command) -> Result<Decision, DomainError> {
        self.housekeeping();
        self.office.execute(command, self.now)
    }

    fn try_book_with(
        &mut self,
        code: BookingCode,
        category: &str,
        start: &str,
        language: Option<&str>,
    ) -> Result<Decision, DomainError> {
        self.run_due(&Command::BookAppointment {
            code,
            category: category.to_owned(),
            start: at(start),
            language: language.map(str::to_owned),
        })
    }

    fn try_book(&mut self, n: u8, category: &str, start: &str) -> Result<BookingCode, DomainError> {
        self.try_book_with(code(n), category, start, None)
            .map(|_| code(n))
    }

    fn book(&mut self, n: u8, category: &str, start: &str) -> BookingCode {
        self.try_book(n, category, start)
            .unwrap_or_else(|e| panic!("booking {category} at {start}: {e}"))
    }

    fn cancel_booking(&mut self, code: BookingCode) -> Result<Decision, DomainError> {
        self.run_due(&Command::CancelAppointment { code })
    }

    fn try_check_in(&mut self, code: BookingCode) -> Result<TicketId, DomainError> {
        self.next_id += 1;
        let ticket = TicketId(format!("checked-in-{}", self.next_id));
        let decision = self.run_due(&Command::CheckIn {
            code,
            ticket: ticket.clone(),
        })?;
        assert_eq!(decision.subject, Subject::Ticket(ticket.clone()));
        Ok(ticket)
    }

    fn check_in(&mut self, code: BookingCode) -> TicketId {
        self.try_check_in(code)
            .unwrap_or_else(|e| panic!("checking in: {e}"))
    }

    fn appointment(&self, code: BookingCode) -> &Appointment {
        self.office.appointment(&code).expect("a held appointment")
    }

    fn slots(&self, category: &str, from: Date, to: Date) -> Vec<Slot> {
        let range = SlotRange::new(from, to).expect("a valid range");
        self.office
            .slots(category, range, self.now)
            .unwrap_or_else(|e| panic!("slots of {category}: {e}"))
    }

    /// The local `HH:MM` of every slot, with its free places.
    fn slot_times(&self, category: &str, day: Date) -> Vec<(String, u32)> {
        let tz = &self.office.config().office.tz;
        self.slots(category, day, day)
            .iter()
            .map(|slot| {
                let local = tz.to_datetime(slot.start);
                (
                    format!("{:02}:{:02}", local.hour(), local.minute()),
                    slot.free,
                )
            })
            .collect()
    }
}

fn monday() -> Date {
    date(2026, 11, 23)
}

// ----- slots -------------------------------------------------------------------------------------

#[test]
fn every_slot_of_a_day_is_listed_with_its_free_places() {
    let desk = Desk::new(BOOKING, MONDAY_8);
    let slots = desk.slot_times("registration", monday());
    assert_eq!(slots.len(), 12, "09:00 to 11:45 every 15 minutes");
    assert_eq!(slots[0], ("09:00".to_owned(), 2));
    assert_eq!(slots[11], ("11:45".to_owned(), 2));
    let first = desk.slots("registration", monday(), monday())[0];
    assert_eq!(first.start, at("2026-11-23T09:00:00+01:00"));
    assert_eq!(first.end, at("2026-11-23T09:15:00+01:00"));
    assert_eq!(
        desk.slot_times("tax", monday()),
        [("10:00".to_owned(), 1), ("10:30".to_owned(), 1)]
    );
    // A whole week: no slots on the closed Wednesday nor on Saturday.
    let week = desk.slots("registration", monday(), date(2026, 11, 29));
    let tz = &desk.office.config().office.tz;
    let days: BTreeSet<Date> = week
        .iter()
        .map(|s| tz.to_datetime(s.start).date())
        .collect();
    assert_eq!(
        days.into_iter().collect::<Vec<_>>(),
        [
            monday(),
            date(2026, 11, 24),
            date(2026, 11, 26),
            date(2026, 11, 27),
            date(2026, 11, 29)
        ]
    );
}

#[test]
fn slots_that_have_started_and_days_gone_by_are_left_out() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    desk.set_time("2026-11-23T10:05:00+01:00");
    let slots = desk.slot_times("registration", monday());
    assert_eq!(slots.first().map(|s| s.0.as_str()), Some("10:15"));
    assert_eq!(slots.len(), 7);
    desk.set_time("2026-11-24T08:00:00+01:00");
    assert!(desk.slots("registration", monday(), monday()).is_empty());
}

#[test]
fn slots_reach_as_many_days_ahead_as_the_category_books() {
    let desk = Desk::new(BOOKING, MONDAY_8);
    // Tax: two days ahead, so Monday and Tuesday (Wednesday would be closed anyway, and it
    // has no tax hours after Tuesday).
    let tax = desk.slots("tax", monday(), date(2026, 12, 10));
    assert_eq!(tax.len(), 4);
    // Registration: 14 days, up to Monday 7 December.
    let tz = &desk.office.config().office.tz;
    let last = desk
        .slots("registration", monday(), date(2026, 12, 23))
        .last()
        .map(|s| tz.to_datetime(s.start).date());
    assert_eq!(last, Some(date(2026, 12, 7)));
}

#[test]
fn a_listing_names_a_category_with_bookings_and_a_range_of_at_most_31_days() {
    let desk = Desk::new(BOOKING, MONDAY_8);
    let range = SlotRange::new(monday(), monday()).expect("a range");
    assert_eq!(
        desk.office.slots("nowhere", range, desk.now),
        Err(DomainError::UnknownCategory("nowhere".into()))
    );
    assert_eq!(
        desk.office.slots("passports", range, desk.now),
        Err(DomainError::NoAppointments("passports".into()))
    );
    assert_eq!(
        SlotRange::new(monday(), date(2026, 12, 24)),
        Err(SlotRangeError::TooLong { days: 32 })
    );
    assert!(matches!(
        SlotRange::new(monday(), date(2026, 11, 22)),
        Err(SlotRangeError::Reversed { .. })
    ));
}

// ----- booking and cancelling --------------------------------------------------------------------

#[test]
fn a_booking_takes_a_place_and_a_full_slot_is_refused() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let decision = desk
        .try_book_with(
            code(1),
            "registration",
            "2026-11-23T09:30:00+01:00",
            Some("en"),
        )
        .expect("booked");
    assert_eq!(type_names(&decision.events), ["appointment.booked"]);
    assert_eq!(decision.subject, Subject::Appointment(code(1)));
    let booked = desk.appointment(code(1)).clone();
    assert_eq!(booked.state, AppointmentState::Booked);
    assert_eq!(booked.category, "registration");
    assert_eq!(booked.start, at("2026-11-23T09:30:00+01:00"));
    assert_eq!(booked.end, at("2026-11-23T09:45:00+01:00"));
    assert_eq!(booked.office_date, monday());
    assert_eq!(booked.language.as_deref(), Some("en"));
    assert_eq!(booked.booked_at, desk.now);
    assert_eq!(booked.ticket, None);
    let free = |desk: &Desk| {
        desk.slot_times("registration", monday())
            .into_iter()
            .find(|(time, _)| time == "09:30")
            .map(|(_, free)| free)
    };
    assert_eq!(free(&desk), Some(1));
    desk.book(2, "registration", "2026-11-23T09:30:00+01:00");
    assert_eq!(free(&desk), Some(0), "a full slot is still listed");
    assert_eq!(
        desk.try_book(3, "registration", "2026-11-23T09:30:00+01:00"),
        Err(DomainError::SlotFull)
    );
    // The same time in another category is another slot.
    desk.book(3, "tax", "2026-11-23T10:00:00+01:00");
    assert_eq!(
        desk.try_book(4, "tax", "2026-11-23T10:00:00+01:00"),
        Err(DomainError::SlotFull)
    );
}

#[test]
fn cancelling_frees_the_slot_and_only_a_booked_visit_can_be_cancelled() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let booked = desk.book(1, "tax", "2026-11-23T10:00:00+01:00");
    assert_eq!(
        desk.try_book(2, "tax", "2026-11-23T10:00:00+01:00"),
        Err(DomainError::SlotFull)
    );
    desk.later(60);
    let decision = desk.cancel_booking(booked).expect("cancelled");
    assert_eq!(type_names(&decision.events), ["appointment.cancelled"]);
    assert_eq!(decision.subject, Subject::Appointment(booked));
    let cancelled = desk.appointment(booked);
    assert_eq!(cancelled.state, AppointmentState::Cancelled);
    assert_eq!(cancelled.settled_at, Some(desk.now));
    assert_eq!(desk.slot_times("tax", monday())[0], ("10:00".to_owned(), 1));
    desk.book(2, "tax", "2026-11-23T10:00:00+01:00");
    assert_eq!(
        desk.cancel_booking(booked),
        Err(DomainError::AppointmentNotBooked(
            AppointmentState::Cancelled
        ))
    );
    assert_eq!(
        desk.cancel_booking(code(99)),
        Err(DomainError::UnknownAppointment)
    );
    // A checked-in visit is no longer booked.
    desk.set_time("2026-11-23T09:50:00+01:00");
    desk.check_in(code(2));
    assert_eq!(
        desk.cancel_booking(code(2)),
        Err(DomainError::AppointmentNotBooked(
            AppointmentState::CheckedIn
        ))
    );
}

#[test]
fn a_booking_must_be_a_slot_start_ahead_within_the_days_of_the_category_on_an_open_day() {
    let mut desk = Desk::new(BOOKING, "2026-11-23T10:00:00+01:00");
    let unavailable = |problem| Err(DomainError::SlotUnavailable(problem));
    for not_a_start in [
        "2026-11-23T10:05:00+01:00",
        "2026-11-23T12:00:00+01:00",
        "2026-11-23T08:45:00+01:00",
        "2026-11-28T10:00:00+01:00",
        "2026-11-23T10:15:00.5+01:00",
    ] {
        assert_eq!(
            desk.try_book(1, "registration", not_a_start),
            unavailable(SlotProblem::NotASlotStart),
            "{not_a_start}"
        );
    }
    for past in ["2026-11-23T09:45:00+01:00", "2026-11-23T10:00:00+01:00"] {
        assert_eq!(
            desk.try_book(1, "registration", past),
            unavailable(SlotProblem::Past),
            "{past}"
        );
    }
    assert_eq!(
        desk.try_book(1, "registration", "2026-11-25T10:00:00+01:00"),
        unavailable(SlotProblem::ClosedDate(date(2026, 11, 25)))
    );
    assert_eq!(
        desk.try_book(1, "registration", "2026-12-08T10:00:00+01:00"),
        unavailable(SlotProblem::BeyondDaysAhead { days_ahead: 14 })
    );
    desk.book(1, "registration", "2026-12-07T11:45:00+01:00");
    assert_eq!(
        desk.try_book(2, "tax", "2026-11-30T10:00:00+01:00"),
        unavailable(SlotProblem::BeyondDaysAhead { days_ahead: 2 })
    );
    let seq = desk.office.seq();
    assert_eq!(
        desk.try_book(2, "passports", "2026-11-24T10:00:00+01:00"),
        Err(DomainError::NoAppointments("passports".into()))
    );
    assert_eq!(
        desk.try_book(2, "nowhere", "2026-11-24T10:00:00+01:00"),
        Err(DomainError::UnknownCategory("nowhere".into()))
    );
    assert_eq!(
        desk.try_book_with(code(2), "nowhere", "2026-11-24T10:00:00+01:00", Some("de")),
        Err(DomainError::UnknownLanguage("de".into())),
        "the form of a request before what it names"
    );
    assert_eq!(desk.office.seq(), seq, "refusals change nothing");
}

#[test]
fn a_code_already_held_is_refused_so_the_caller_draws_another() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    desk.book(1, "registration", "2026-11-24T09:00:00+01:00");
    assert_eq!(
        desk.try_book(1, "registration", "2026-11-26T09:00:00+01:00"),
        Err(DomainError::BookingCodeTaken)
    );
    // A full slot is the citizen's reason, whatever the code.
    desk.book(2, "registration", "2026-11-24T09:00:00+01:00");
    assert_eq!(
        desk.try_book(1, "registration", "2026-11-24T09:00:00+01:00"),
        Err(DomainError::SlotFull)
    );
}

// ----- checking in -------------------------------------------------------------------------------

#[test]
fn a_check_in_issues_a_ticket_numbered_in_its_category_carrying_its_appointment() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    desk.try_book_with(
        code(1),
        "registration",
        "2026-11-23T09:30:00+01:00",
        Some("en"),
    )
    .expect("booked");
    desk.set_time("2026-11-23T09:00:00+01:00");
    let walk_in = desk.issue("registration");
    desk.later(30);
    desk.housekeeping();
    let decision = desk
        .office
        .execute(
            &Command::CheckIn {
                code: code(1),
                ticket: TicketId("checked-in".into()),
            },
            desk.now,
        )
        .expect("checked in");
    assert_eq!(
        type_names(&decision.events),
        ["ticket.issued", "appointment.checked_in"]
    );
    let ticket = desk.ticket(&TicketId("checked-in".into())).clone();
    assert_eq!(ticket.number.to_string(), "A002", "after the walk-in A001");
    assert_eq!(desk.number(&walk_in), "A001");
    assert_eq!(ticket.category, "registration");
    assert_eq!(ticket.issued_category, "registration");
    assert!(!ticket.priority);
    assert_eq!(ticket.language.as_deref(), Some("en"));
    assert_eq!(ticket.state, TicketState::Waiting);
    assert_eq!(ticket.issued_at, desk.now);
    let appointment = ticket.appointment.as_ref().expect("its appointment");
    assert_eq!(appointment.code, code(1));
    assert_eq!(appointment.start, at("2026-11-23T09:30:00+01:00"));
    let checked_in = desk.appointment(code(1));
    assert_eq!(checked_in.state, AppointmentState::CheckedIn);
    assert_eq!(checked_in.settled_at, Some(desk.now));
    let link = checked_in.ticket.as_ref().expect("its ticket");
    assert_eq!(link.id, ticket.id);
    assert_eq!(link.number, ticket.number);
    assert_eq!(desk.category("registration").issued_today, 2);
    assert_eq!(
        desk.try_check_in(code(1)),
        Err(DomainError::AppointmentNotBooked(
            AppointmentState::CheckedIn
        ))
    );
}

#[test]
fn check_in_is_open_from_early_before_the_slot_to_late_after_it() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let booked = desk.book(1, "registration", "2026-11-23T10:00:00+01:00");
    desk.book(2, "registration", "2026-11-23T10:00:00+01:00");
    let window = LocalWindow {
        opens: date(2026, 11, 23).at(9, 30, 0, 0),
        closes: date(2026, 11, 23).at(10, 10, 0, 0),
    };
    desk.set_time("2026-11-23T09:29:59.999+01:00");
    let early = desk.try_check_in(booked);
    assert_eq!(early, Err(DomainError::CheckinTooEarly(window)));
    let message = early.expect_err("too early").to_string();
    assert!(
        message.contains("09:30") && message.contains("10:10"),
        "the window is in the message: {message}"
    );
    assert!(
        !message.contains(booked.as_str()),
        "no code in a message: {message}"
    );
    desk.set_time("2026-11-23T09:30:00+01:00");
    desk.check_in(booked);
    desk.set_time("2026-11-23T10:10:00+01:00");
    assert_eq!(
        desk.try_check_in(code(2)),
        Err(DomainError::CheckinTooLate(window))
    );
    assert_eq!(
        desk.try_check_in(code(99)),
        Err(DomainError::UnknownAppointment)
    );
}

#[test]
fn the_last_minute_of_the_window_still_checks_in_and_a_cancelled_visit_never_does() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let late = desk.book(1, "registration", "2026-11-23T10:00:00+01:00");
    let cancelled = desk.book(2, "registration", "2026-11-23T10:00:00+01:00");
    desk.cancel_booking(cancelled).expect("cancelled");
    desk.set_time("2026-11-23T10:09:59.999+01:00");
    desk.check_in(late);
    assert_eq!(
        desk.try_check_in(cancelled),
        Err(DomainError::AppointmentNotBooked(
            AppointmentState::Cancelled
        ))
    );
}

#[test]
fn check_in_happens_on_the_day_of_the_slot_only() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let tomorrow = desk.book(1, "registration", "2026-11-24T09:00:00+01:00");
    assert!(matches!(
        desk.try_check_in(tomorrow),
        Err(DomainError::CheckinTooEarly(_))
    ));
    // Sunday 29 November at 00:15: the window of a slot at 00:15 would open on Saturday.
    let mut night = Desk::new(
        &BOOKING.replace("sun = \"01:00-04:00\"", "sun = \"00:15-04:00\""),
        "2026-11-28T12:00:00+01:00",
    );
    let booked = night.book(1, "registration", "2026-11-29T00:15:00+01:00");
    night.set_time("2026-11-28T23:50:00+01:00");
    assert!(matches!(
        night.try_check_in(booked),
        Err(DomainError::CheckinTooEarly(_))
    ));
    night.set_time("2026-11-29T00:00:00+01:00");
    night.check_in(booked);
}

#[test]
fn a_check_in_is_refused_neither_by_issuing_hours_nor_by_the_daily_limit() {
    let mut desk = Desk::new(
        &BOOKING
            .replace("mon = \"07:00-17:00\"", "mon = \"10:30-17:00\"")
            .replace("daily_limit = 3", "daily_limit = 1"),
        MONDAY_8,
    );
    // Bookings are bounded by their slots, not by the daily limit.
    let first = desk.book(1, "tax", "2026-11-23T10:00:00+01:00");
    let second = desk.book(2, "tax", "2026-11-23T10:30:00+01:00");
    desk.set_time("2026-11-23T09:45:00+01:00");
    assert!(
        matches!(
            desk.try_issue("tax"),
            Err(DomainError::CategoryClosed { ref category, .. }) if category == "tax"
        ),
        "walk-ins wait for the opening"
    );
    desk.check_in(first);
    desk.set_time("2026-11-23T10:30:00+01:00");
    assert_eq!(desk.category("tax").remaining_today, Some(0));
    assert!(matches!(
        desk.try_issue("tax"),
        Err(DomainError::DailyLimitReached(..))
    ));
    desk.check_in(second);
    assert_eq!(desk.category("tax").issued_today, 2, "past the limit of 1");
}

// ----- the daily limit ---------------------------------------------------------------------------

#[test]
fn the_daily_limit_keeps_places_for_the_bookings_still_expected_today() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let first = desk.book(1, "tax", "2026-11-23T10:00:00+01:00");
    desk.book(2, "tax", "2026-11-23T10:30:00+01:00");
    // Tomorrow's booking keeps no place today.
    desk.book(3, "tax", "2026-11-24T10:00:00+01:00");
    assert_eq!(desk.category("tax").remaining_today, Some(1));
    desk.issue("tax");
    assert_eq!(desk.category("tax").remaining_today, Some(0));
    assert!(matches!(
        desk.try_issue("tax"),
        Err(DomainError::DailyLimitReached(..))
    ));
    // A cancelled booking gives its place back to the walk-ins.
    desk.cancel_booking(first).expect("cancelled");
    assert_eq!(desk.category("tax").remaining_today, Some(1));
    desk.issue("tax");
    // A missed one too, at the end of its window (10:40).
    desk.set_time("2026-11-23T10:39:59+01:00");
    assert!(desk.try_issue("tax").is_err());
    desk.set_time("2026-11-23T10:40:00+01:00");
    assert_eq!(desk.category("tax").remaining_today, Some(1));
    desk.issue("tax");
    assert_eq!(desk.category("tax").issued_today, 3);
}

// ----- routing -----------------------------------------------------------------------------------

#[test]
fn a_due_appointment_is_called_before_every_walk_in_priority_included() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let booked = desk.book(1, "registration", "2026-11-23T09:00:00+01:00");
    desk.set_time("2026-11-23T08:40:00+01:00");
    desk.issue("registration");
    desk.issue_priority("registration");
    desk.later(60);
    desk.check_in(booked);
    // Not yet due: the walk-ins go first, priority first.
    assert_eq!(desk.next("1"), ["A002", "A001", "A003"]);
    desk.set_time("2026-11-23T09:00:00+01:00");
    assert_eq!(desk.next("1"), ["A003", "A002", "A001"]);
    assert_eq!(desk.next("2"), ["A003", "A002", "A001"], "listed alike");
    assert_eq!(desk.call_next("1").as_deref(), Some("A003"));
    assert_eq!(desk.call_all("1"), ["A002", "A001"]);
}

#[test]
fn due_appointments_go_earliest_slot_first_across_the_categories_of_a_counter() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let tax = desk.book(1, "tax", "2026-11-23T10:00:00+01:00");
    let late = desk.book(2, "registration", "2026-11-23T10:15:00+01:00");
    let early = desk.book(3, "registration", "2026-11-23T09:45:00+01:00");
    desk.set_time("2026-11-23T09:46:00+01:00");
    let ticket = desk.check_in(late);
    assert_eq!(desk.number(&ticket), "A001");
    let ticket = desk.check_in(tax);
    assert_eq!(desk.number(&ticket), "B001");
    let ticket = desk.check_in(early);
    assert_eq!(desk.number(&ticket), "A002");
    desk.issue("tax");
    desk.issue("passports");
    desk.set_time("2026-11-23T10:20:00+01:00");
    let expected = ["A002", "B001", "A001", "B002"];
    assert_eq!(desk.next("1"), expected);
    // The listed counter serves passports first, but not before a due appointment.
    assert_eq!(desk.next("2"), ["A002", "B001", "A001", "PA001", "B002"]);
    assert_eq!(desk.call_all("1"), expected);
}

#[test]
fn a_ticket_not_yet_due_is_called_only_by_a_counter_with_nobody_else() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let booked = desk.book(1, "registration", "2026-11-23T10:00:00+01:00");
    desk.set_time("2026-11-23T09:35:00+01:00");
    desk.check_in(booked);
    desk.issue("passports");
    // Counter 2 has a passport walk-in to call first; counter 1 has nobody else.
    assert_eq!(desk.next("2"), ["PA001", "A001"]);
    assert_eq!(desk.next("1"), ["A001"]);
    assert_eq!(desk.call_next("2").as_deref(), Some("PA001"));
    assert_eq!(desk.call_next("1").as_deref(), Some("A001"));
}

#[test]
fn people_ahead_count_the_due_appointments_and_an_appointment_counts_earlier_slots() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let first = desk.book(1, "registration", "2026-11-23T09:15:00+01:00");
    let second = desk.book(2, "registration", "2026-11-23T09:30:00+01:00");
    desk.set_time("2026-11-23T09:05:00+01:00");
    let walk_in = desk.issue("registration");
    let a = desk.check_in(second);
    let b = desk.check_in(first);
    assert_eq!(desk.view(&walk_in).people_ahead, Some(0), "none due yet");
    assert_eq!(desk.view(&b).people_ahead, Some(0));
    assert_eq!(
        desk.view(&a).people_ahead,
        Some(1),
        "the 09:15 slot goes first"
    );
    desk.set_time("2026-11-23T09:15:00+01:00");
    assert_eq!(desk.view(&walk_in).people_ahead, Some(1));
    desk.set_time("2026-11-23T09:30:00+01:00");
    assert_eq!(desk.view(&walk_in).people_ahead, Some(2));
}

#[test]
fn a_transferred_appointment_ticket_waits_where_the_clerk_puts_it() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let booked = desk.book(1, "registration", "2026-11-23T09:00:00+01:00");
    desk.set_time("2026-11-23T08:55:00+01:00");
    desk.issue("tax");
    let appointment_ticket = desk.check_in(booked);
    desk.set_time("2026-11-23T09:00:00+01:00");
    assert_eq!(desk.call_next("1").as_deref(), Some("A001"));
    desk.later(60);
    desk.ok("1", transfer("tax", TransferPosition::Back));
    let ticket = desk.ticket(&appointment_ticket).clone();
    assert!(ticket.appointment.is_some(), "it keeps its appointment");
    assert_eq!(ticket.slot_start(), None, "but no longer goes by its slot");
    assert_eq!(desk.next("1"), ["B001", "A001"], "behind the tax walk-in");
    desk.ok("1", call_number("A1"));
    desk.ok("1", transfer("tax", TransferPosition::Front));
    assert_eq!(desk.next("1"), ["A001", "B001"], "at the front");
    // Recall and no-show as for any ticket.
    assert_eq!(desk.call_next("1").as_deref(), Some("A001"));
    desk.ok("1", CounterAction::Recall);
    assert_eq!(desk.ticket(&appointment_ticket).recalls, 1);
    desk.ok("1", CounterAction::NoShow);
    assert_eq!(desk.ticket(&appointment_ticket).state, TicketState::NoShow);
    assert_eq!(
        desk.appointment(booked).state,
        AppointmentState::CheckedIn,
        "the appointment was kept: the ticket did not come"
    );
}

// ----- missed ------------------------------------------------------------------------------------

#[test]
fn a_booking_not_checked_in_is_missed_at_the_end_of_its_window() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let missed = desk.book(1, "registration", "2026-11-23T09:00:00+01:00");
    let later = desk.book(2, "registration", "2026-11-23T09:00:00+01:00");
    let tomorrow = desk.book(3, "registration", "2026-11-24T09:00:00+01:00");
    assert_eq!(desk.office.next_due(), at("2026-11-23T09:10:00+01:00"));
    desk.set_time("2026-11-23T09:05:00+01:00");
    desk.check_in(later);
    desk.set_time("2026-11-23T09:09:59+01:00");
    assert!(desk.office.missed_due(desk.now).is_empty());
    // Past the window, cancelling is refused before the missed event is even applied.
    desk.set_time("2026-11-23T09:10:00+01:00");
    assert_eq!(
        desk.office
            .decide(&Command::CancelAppointment { code: missed }, desk.now),
        Err(DomainError::AppointmentNotBooked(AppointmentState::Missed))
    );
    let events = desk.office.mark_missed_if_due(desk.now);
    assert_eq!(type_names(&events), ["appointment.missed"]);
    assert_eq!(events[0].kind.appointment().map(|a| a.code), Some(missed));
    assert_eq!(desk.appointment(missed).state, AppointmentState::Missed);
    assert_eq!(desk.appointment(missed).settled_at, Some(desk.now));
    assert_eq!(desk.appointment(tomorrow).state, AppointmentState::Booked);
    assert!(matches!(
        desk.try_check_in(missed),
        Err(DomainError::CheckinTooLate(_))
    ));
    assert_eq!(
        desk.cancel_booking(missed),
        Err(DomainError::AppointmentNotBooked(AppointmentState::Missed))
    );
    assert!(desk.office.mark_missed_if_due(desk.now).is_empty(), "once");
    // Next: the end of the day (tomorrow's booking is missed tomorrow, if at all).
    assert_eq!(desk.office.next_due(), at("2026-11-24T00:00:00+01:00"));
}

#[test]
fn the_day_rollover_misses_the_leftover_bookings_and_forgets_the_ended_day() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let left_over = desk.book(1, "registration", "2026-11-23T11:45:00+01:00");
    let checked_in = desk.book(2, "registration", "2026-11-23T11:45:00+01:00");
    let tomorrow = desk.book(3, "registration", "2026-11-24T09:00:00+01:00");
    desk.set_time("2026-11-23T11:40:00+01:00");
    let ticket = desk.check_in(checked_in);
    // The clock jumps past midnight (the server was down): the window never ended on a tick.
    desk.set_time("2026-11-24T08:00:00+01:00");
    let events = desk.office.start_day_if_due(desk.now);
    assert_eq!(
        type_names(&events),
        ["appointment.missed", "ticket.cancelled", "day.started"]
    );
    assert_eq!(
        events[0].kind.appointment().map(|a| a.code),
        Some(left_over)
    );
    assert_eq!(events[1].kind.ticket().map(|t| t.id.clone()), Some(ticket));
    assert_eq!(
        desk.office.appointment(&left_over),
        None,
        "the ended day is in storage"
    );
    assert_eq!(desk.office.appointment(&checked_in), None);
    assert_eq!(desk.appointment(tomorrow).state, AppointmentState::Booked);
    assert_eq!(desk.office.appointments().count(), 1);
}

// ----- closed dates ------------------------------------------------------------------------------

#[test]
fn no_ticket_is_issued_on_a_closed_date() {
    let mut desk = Desk::new(BOOKING, "2026-11-25T09:00:00+01:00");
    match desk.try_issue("passports") {
        Err(DomainError::CategoryClosed { category, opens }) => {
            assert_eq!(category, "passports");
            let opens = opens.expect("it opens again");
            assert_eq!(opens.local.date(), date(2026, 11, 26), "the day after");
        }
        other => panic!("a closed date issues nothing: {other:?}"),
    }
    assert!(desk.status().categories.iter().all(|c| !c.open));
    assert!(
        desk.slots("registration", date(2026, 11, 25), date(2026, 11, 25))
            .is_empty()
    );
    desk.set_time("2026-11-26T09:00:00+01:00");
    desk.issue("passports");
}

#[test]
fn a_date_closed_after_bookings_were_made_refuses_their_check_in() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let booked = desk.book(1, "registration", "2026-11-24T09:00:00+01:00");
    let closing = BOOKING.replace(
        "closed_dates = [\"2026-11-25\"]",
        "closed_dates = [\"2026-11-24\", \"2026-11-25\"]",
    );
    let mut office = Office::restore(
        config(&closing),
        Restored {
            office_date: desk.office.office_date(),
            seq: desk.office.seq(),
            tickets: Vec::new(),
            counter_states: Vec::new(),
            counter_profiles: Vec::new(),
            appointments: desk.office.appointments().cloned().collect(),
        },
    );
    let now = at("2026-11-24T08:50:00+01:00");
    office.start_day_if_due(now);
    let refused = office.execute(
        &Command::CheckIn {
            code: booked,
            ticket: TicketId("t".into()),
        },
        now,
    );
    assert!(
        matches!(
            refused,
            Err(DomainError::CategoryClosed { ref category, .. }) if category == "registration"
        ),
        "{refused:?}"
    );
}

// ----- the estimate ------------------------------------------------------------------------------

#[test]
fn a_walk_in_estimate_counts_the_bookings_arriving_before_its_call() {
    // No counter of registration is open, so the estimate assumes one opening now; its calls
    // take 4 minutes.
    let mut desk = Desk::new(BOOKING, "2026-11-23T09:50:00+01:00");
    for _ in 0..3 {
        desk.issue("registration");
    }
    // The replay's expected call time (the mean; the estimate shown is its median).
    let probe = |desk: &Desk| desk.category("registration").wait.mean_s;
    // Three ahead of a new ticket: 12 minutes.
    assert_eq!(probe(&desk), 720.0);
    // Two bookings at 10:00 arrive before then and go first: 8 minutes more (10:10).
    desk.book(1, "registration", "2026-11-23T10:00:00+01:00");
    desk.book(2, "registration", "2026-11-23T10:00:00+01:00");
    assert_eq!(probe(&desk), 1200.0);
    // A booking at 10:15 arrives after the new ticket's call.
    desk.book(3, "registration", "2026-11-23T10:15:00+01:00");
    assert_eq!(probe(&desk), 1200.0);
    // A booking of another category counts only where a counter serves both.
    desk.book(4, "tax", "2026-11-23T10:00:00+01:00");
    assert_eq!(probe(&desk), 1200.0);
    // Counter 1 serves both: after the two at 10:00 it takes the tax booking (5 minutes, to
    // 10:15), then the 10:15 booking, due by then.
    desk.ok("1", CounterAction::Open);
    assert_eq!(probe(&desk), 1740.0);
}

#[test]
fn an_appointment_ticket_is_estimated_to_be_called_at_its_slot() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let booked = desk.book(1, "registration", "2026-11-23T10:00:00+01:00");
    desk.set_time("2026-11-23T09:40:00+01:00");
    desk.ok("1", CounterAction::Open);
    let ticket = desk.check_in(booked);
    // Counter 1 has nobody else: it would call the ticket now, before its slot.
    let mean = |desk: &Desk| desk.view(&ticket).wait.map(|w| w.mean_s);
    assert_eq!(mean(&desk), Some(0.0));
    assert_eq!(desk.view(&ticket).estimated_wait_s, Some(0.0));
    // With walk-ins at every counter serving it until the slot, it is called at its slot.
    desk.ok("1", CounterAction::Close);
    desk.ok("2", CounterAction::Open);
    for _ in 0..10 {
        desk.issue("passports");
    }
    assert_eq!(mean(&desk), Some(1200.0));
}

#[test]
fn an_appointment_ticket_not_yet_due_waits_behind_the_walk_ins_in_the_estimate() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let booked = desk.book(1, "registration", "2026-11-23T10:15:00+01:00");
    desk.set_time("2026-11-23T09:50:00+01:00");
    desk.ok("1", CounterAction::Open);
    let walk_ins = [desk.issue("registration"), desk.issue("registration")];
    let ticket = desk.check_in(booked);
    let wait = |desk: &Desk, id: &TicketId| desk.view(id).wait.map(|w| w.mean_s);
    assert_eq!(wait(&desk, &walk_ins[0]), Some(0.0));
    assert_eq!(wait(&desk, &walk_ins[1]), Some(240.0));
    // Nobody else is left after 8 minutes: it is called then, before its slot.
    assert_eq!(wait(&desk, &ticket), Some(480.0));
    // A new walk-in goes before the ticket not yet due, not behind it.
    assert_eq!(desk.category("registration").wait.mean_s, 480.0);
    assert_eq!(desk.category("registration").waiting, 3);
}

// ----- status ------------------------------------------------------------------------------------

#[test]
fn appointments_today_counts_the_visits_booked_or_checked_in_and_not_yet_called() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let a = desk.book(1, "registration", "2026-11-23T09:00:00+01:00");
    desk.book(2, "registration", "2026-11-23T09:15:00+01:00");
    let c = desk.book(3, "registration", "2026-11-23T09:15:00+01:00");
    desk.book(4, "registration", "2026-11-24T09:00:00+01:00");
    desk.book(5, "tax", "2026-11-23T10:00:00+01:00");
    let count = |desk: &Desk, category: &str| desk.category(category).appointments_today;
    assert_eq!(count(&desk, "registration"), 3, "tomorrow's is not today's");
    assert_eq!(count(&desk, "tax"), 1);
    assert_eq!(count(&desk, "passports"), 0);
    desk.cancel_booking(c).expect("cancelled");
    assert_eq!(count(&desk, "registration"), 2);
    desk.set_time("2026-11-23T08:50:00+01:00");
    desk.check_in(a);
    assert_eq!(count(&desk, "registration"), 2, "checked in, waiting");
    desk.call_next("1");
    assert_eq!(count(&desk, "registration"), 1, "called");
    desk.set_time("2026-11-23T09:25:00+01:00");
    assert_eq!(count(&desk, "registration"), 0, "the 09:15 window is over");
}

// ----- events ------------------------------------------------------------------------------------

#[test]
fn appointment_events_are_for_the_staff_feed_only() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let booked = desk.book(1, "registration", "2026-11-23T09:00:00+01:00");
    desk.book(2, "registration", "2026-11-23T09:00:00+01:00");
    desk.set_time("2026-11-23T08:45:00+01:00");
    let checked_in = desk
        .run_due(&Command::CheckIn {
            code: booked,
            ticket: TicketId("t".into()),
        })
        .expect("checked in");
    let public: Vec<bool> = checked_in
        .events
        .iter()
        .map(|e| e.kind.is_public())
        .collect();
    assert_eq!(
        public,
        [true, false],
        "ticket.issued is public, the check-in not"
    );
    let cancelled = desk.cancel_booking(code(2)).expect("cancelled");
    assert!(!cancelled.events[0].kind.is_public());
    desk.set_time("2026-11-23T09:10:00+01:00");
    desk.book(3, "registration", "2026-11-23T09:15:00+01:00");
    desk.set_time("2026-11-23T09:25:00+01:00");
    let missed = desk.housekeeping();
    assert_eq!(type_names(&missed), ["appointment.missed"]);
    assert!(!missed[0].kind.is_public());
    assert!(missed[0].kind.ticket().is_none());
}

// ----- daylight saving time ----------------------------------------------------------------------

#[test]
fn on_the_night_clocks_spring_forward_the_skipped_slots_do_not_exist_and_windows_are_real_time() {
    let mut desk = Desk::new(BOOKING, "2026-03-28T12:00:00+01:00");
    let slots = desk.slot_times("registration", date(2026, 3, 29));
    let times: Vec<&str> = slots.iter().map(|(time, _)| time.as_str()).collect();
    assert_eq!(
        times,
        [
            "01:00", "01:15", "01:30", "01:45", "03:00", "03:15", "03:30", "03:45"
        ]
    );
    let booked = desk.book(1, "registration", "2026-03-29T03:00:00+02:00");
    desk.book(2, "registration", "2026-03-29T03:15:00+02:00");
    // The window opens 30 real minutes before 03:00 summer time: 01:30 winter time.
    desk.set_time("2026-03-29T01:29:59+01:00");
    assert!(matches!(
        desk.try_check_in(booked),
        Err(DomainError::CheckinTooEarly(_))
    ));
    desk.set_time("2026-03-29T01:30:00+01:00");
    desk.check_in(booked);
    assert_eq!(
        desk.appointment(code(2)).end,
        at("2026-03-29T03:30:00+02:00")
    );
}

#[test]
fn on_the_night_clocks_fall_back_a_doubled_slot_is_its_first_occurrence() {
    let mut desk = Desk::new(BOOKING, "2026-10-24T12:00:00+02:00");
    let slots = desk.slots("registration", date(2026, 10, 25), date(2026, 10, 25));
    assert_eq!(slots.len(), 12, "01:00 to 03:45, 02:00 to 02:45 once");
    desk.book(1, "registration", "2026-10-25T02:30:00+02:00");
    assert_eq!(
        desk.try_book(2, "registration", "2026-10-25T02:30:00+01:00"),
        Err(DomainError::SlotUnavailable(SlotProblem::NotASlotStart))
    );
    // A slot lasts its real 15 minutes across the change: 02:45 summer to 02:00 winter time.
    let crossing = desk.book(3, "registration", "2026-10-25T02:45:00+02:00");
    assert_eq!(
        desk.appointment(crossing).end,
        at("2026-10-25T02:00:00+01:00")
    );
}

// ----- restore -----------------------------------------------------------------------------------

#[test]
fn a_restored_office_holds_the_same_appointments_and_routes_them_alike() {
    let mut desk = Desk::new(BOOKING, MONDAY_8);
    let a = desk.book(1, "registration", "2026-11-23T09:00:00+01:00");
    let b = desk.book(2, "tax", "2026-11-23T10:00:00+01:00");
    let c = desk.book(3, "registration", "2026-11-23T09:30:00+01:00");
    desk.book(4, "registration", "2026-11-30T09:30:00+01:00");
    desk.cancel_booking(c).expect("cancelled");
    desk.set_time("2026-11-23T08:45:00+01:00");
    desk.issue("registration");
    desk.issue_priority("registration");
    desk.check_in(a);
    desk.ok("1", CounterAction::Open);
    restores_with_appointments(&desk.office, desk.now);
    desk.set_time("2026-11-23T09:40:00+01:00");
    desk.check_in(b);
    for time in [
        "2026-11-23T09:40:00+01:00",
        "2026-11-23T10:00:00+01:00",
        "2026-11-23T10:05:00+01:00",
    ] {
        desk.set_time(time);
        restores_with_appointments(&desk.office, desk.now);
    }
    desk.call_next("1");
    restores_with_appointments(&desk.office, desk.now);
}

/// [`restores_the_same`], and the restored office holds the same appointments, lists the same
/// slots and decides bookings and check-ins alike.
#[track_caller]
fn restores_with_appointments(office: &Office, now: Timestamp) {
    restores_the_same(office, now);
    let again = restored(office);
    let held = |o: &Office| o.appointments().cloned().collect::<Vec<_>>();
    assert_eq!(held(&again), held(office));
    assert_eq!(again.next_due(), office.next_due());
    let week = SlotRange::new(monday(), date(2026, 11, 30)).expect("a range");
    for category in ["registration", "tax"] {
        assert_eq!(
            again.slots(category, week, now),
            office.slots(category, week, now)
        );
    }
    for appointment in office.appointments() {
        let check_in = Command::CheckIn {
            code: appointment.code,
            ticket: TicketId("after-restore".into()),
        };
        assert_eq!(again.decide(&check_in, now), office.decide(&check_in, now));
    }
    let book = Command::BookAppointment {
        code: code(200),
        category: "registration".into(),
        start: at("2026-11-24T09:00:00+01:00"),
        language: None,
    };
    assert_eq!(again.decide(&book, now), office.decide(&book, now));
}
