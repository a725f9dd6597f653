//! From core's read models to the API's wire types (`numerek_api`, `docs/api.md`).
//!
//! The shapes themselves (field names, order, formats) are the types of `numerek-api`, which the
//! command line and the tests read answers back into; this module only fills them in: which
//! ticket field is which, and what each audience may see. Times are written in the office's
//! zone ([`Time`]), durations to the millisecond ([`Seconds`]).

use jiff::Timestamp;
use jiff::tz::TimeZone;
use numerek_api as api;
use numerek_api::{Seconds, TicketNumber, Time, WaitRange};
use numerek_core::config::WeekHours;
use numerek_core::report::RowKey;
use numerek_core::{CounterView, Event, EventKind, OfficeConfig, StatusView, Ticket, TicketView};

/// Who an answer is for. A ticket's id is the right to cancel it and its priority flag can hint
/// at a disability or a pregnancy, so the public (the lobby, phones, a kiosk) sees tickets
/// without either: a `PublicTicket`, told apart by its number. Staff (a clerk, manager or admin
/// token) see whole tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// No token, or a kiosk token: `PublicTicket`s.
    Public,
    /// A clerk, manager or admin token: whole tickets.
    Staff,
}

impl Audience {
    /// The audience of a token of `role` (none: the public).
    pub fn of(role: Option<numerek_store::Role>) -> Self {
        match role {
            Some(role) if role.allows(numerek_store::Role::Clerk) => Self::Staff,
            _ => Self::Public,
        }
    }
}

/// An instant in the office's zone.
pub fn time(tz: &TimeZone, at: Timestamp) -> Time {
    Time::new(at, tz)
}

fn opt_time(tz: &TimeZone, at: Option<Timestamp>) -> Option<Time> {
    at.map(|at| time(tz, at))
}

fn number(number: &numerek_core::TicketNumber) -> TicketNumber {
    TicketNumber(number.to_string())
}

fn ticket_state(state: numerek_core::TicketState) -> api::TicketState {
    use numerek_core::TicketState as Core;
    match state {
        Core::Waiting => api::TicketState::Waiting,
        Core::Called => api::TicketState::Called,
        Core::Done => api::TicketState::Done,
        Core::NoShow => api::TicketState::NoShow,
        Core::Cancelled => api::TicketState::Cancelled,
    }
}

fn counter_state_name(state: numerek_core::CounterState) -> api::CounterStateName {
    use numerek_core::CounterState as Core;
    match state {
        Core::Closed => api::CounterStateName::Closed,
        Core::Open => api::CounterStateName::Open,
        Core::Paused => api::CounterStateName::Paused,
    }
}

/// A ticket without `people_ahead` / the estimate: the form events of the staff feed carry.
pub fn ticket_core(tz: &TimeZone, ticket: &Ticket) -> api::TicketCore {
    api::TicketCore {
        id: ticket.id.as_str().to_owned(),
        number: number(&ticket.number),
        category: ticket.category.clone(),
        priority: ticket.priority,
        state: ticket_state(ticket.state),
        issued_at: time(tz, ticket.issued_at),
        called_at: opt_time(tz, ticket.called_at),
        finished_at: opt_time(tz, ticket.finished_at),
        counter: ticket.counter.clone(),
        appointment: ticket.appointment.as_ref().map(|a| api::TicketAppointment {
            code: a.code.as_str().to_owned(),
            start: time(tz, a.start),
        }),
    }
}

/// An `Appointment`; `ticket` is what `ticket_state` says of its ticket (its state now), or
/// null before check-in.
pub fn appointment(
    tz: &TimeZone,
    appointment: &numerek_core::Appointment,
    ticket_state_now: Option<numerek_core::TicketState>,
) -> api::Appointment {
    use numerek_core::AppointmentState as Core;
    api::Appointment {
        code: appointment.code.as_str().to_owned(),
        category: appointment.category.clone(),
        start: time(tz, appointment.start),
        end: time(tz, appointment.end),
        state: match appointment.state {
            Core::Booked => api::AppointmentState::Booked,
            Core::CheckedIn => api::AppointmentState::CheckedIn,
            Core::Cancelled => api::AppointmentState::Cancelled,
            Core::Missed => api::AppointmentState::Missed,
        },
        language: appointment.language.clone(),
        ticket: appointment.ticket.as_ref().map(|t| api::AppointmentTicket {
            number: number(&t.number),
            // A ticket issued at a check-in starts waiting; older days' are final.
            state: ticket_state(ticket_state_now.unwrap_or(numerek_core::TicketState::Waiting)),
        }),
    }
}

/// A full `Ticket`: `people_ahead`, `estimated_wait_s` and `estimated_wait_range_s` are set
/// while it waits, else null; `feedback` says, once it is `done`, whether it was rated and until
/// when it may be (never the score: only the reports' means show scores).
pub fn ticket(tz: &TimeZone, view: &TicketView) -> api::Ticket {
    api::Ticket {
        ticket: ticket_core(tz, &view.ticket),
        people_ahead: view.people_ahead.map(|n| n as u64),
        estimated_wait_s: view.estimated_wait_s.map(Seconds::new),
        estimated_wait_range_s: view.estimated_wait_range_s.map(WaitRange::new),
        feedback: numerek_core::feedback::open_until(&view.ticket).map(|until| {
            api::TicketFeedback {
                given: view.ticket.feedback.is_some(),
                open_until: time(tz, until),
            }
        }),
    }
}

/// A `CounterState`: the counter's entry in `Status.counters`. Its `current` ticket is
/// `{"number", "state"}` for the public, with the ticket's `id` for staff.
pub fn counter_state(counter: &CounterView, audience: Audience) -> api::CounterState {
    let current = counter.current.as_ref().map(|t| match audience {
        Audience::Staff => api::CurrentTicket::Staff(api::StaffCurrentTicket {
            id: t.id.as_str().to_owned(),
            number: number(&t.number),
            state: ticket_state(t.state),
        }),
        Audience::Public => api::CurrentTicket::Public(api::PublicCurrentTicket {
            number: number(&t.number),
            state: ticket_state(t.state),
        }),
    });
    api::CounterState {
        id: counter.id.clone(),
        state: counter_state_name(counter.state),
        current,
        categories: counter.categories.clone(),
        order: counter_order(counter.order),
    }
}

/// A counter's order on the wire.
pub fn counter_order(order: numerek_core::CounterOrder) -> api::CounterOrder {
    match order {
        numerek_core::CounterOrder::Fifo => api::CounterOrder::Fifo,
        numerek_core::CounterOrder::Listed => api::CounterOrder::Listed,
    }
}

/// A counter's order from the wire.
pub fn core_counter_order(order: api::CounterOrder) -> numerek_core::CounterOrder {
    match order {
        api::CounterOrder::Fifo => numerek_core::CounterOrder::Fifo,
        api::CounterOrder::Listed => numerek_core::CounterOrder::Listed,
    }
}

/// The `Status` document, for `audience`. Besides the spec's fields each category carries
/// `closed_reason` and `opens_at` (documented in `docs/api.md`), so that pages say when a closed
/// category opens.
pub fn status(tz: &TimeZone, status: &StatusView, audience: Audience) -> api::Status {
    use numerek_core::opening::ClosedReason;
    api::Status {
        seq: status.seq,
        office_date: status.office_date,
        categories: status
            .categories
            .iter()
            .map(|c| api::CategoryStatus {
                id: c.id.clone(),
                prefix: c.prefix.clone(),
                open: c.open,
                closed_reason: c.closed.map(|reason| match reason {
                    ClosedReason::Hours => api::ClosedReason::Hours,
                    ClosedReason::CutOff => api::ClosedReason::CutOff,
                }),
                opens_at: opt_time(tz, c.opens_at),
                waiting: c.waiting as u64,
                issued_today: c.issued_today,
                remaining_today: c.remaining_today,
                estimated_wait_s: Seconds::new(c.estimated_wait_s),
                estimated_wait_range_s: WaitRange::new(c.estimated_wait_range_s),
                appointments_today: c.appointments_today as u64,
            })
            .collect(),
        counters: status
            .counters
            .iter()
            .map(|counter| counter_state(counter, audience))
            .collect(),
        recent_calls: status
            .recent_calls
            .iter()
            .map(|call| api::RecentCall {
                number: number(&call.number),
                counter: call.counter.clone(),
                called_at: time(tz, call.called_at),
            })
            .collect(),
    }
}

/// A category's issuing hours, `HH:MM-HH:MM` per weekday (a closed day is left out).
fn hours(hours: &WeekHours) -> api::WeekHours {
    use jiff::civil::Weekday;
    let mut week = api::WeekHours::default();
    for weekday in [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ] {
        let index = usize::from(weekday.to_monday_zero_offset().unsigned_abs());
        if let (Some(h), Some(day)) = (hours.day(weekday), week.day_mut(index)) {
            let fmt = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
            *day = Some(format!("{}-{}", fmt(h.open_min), fmt(h.close_min)));
        }
    }
    week
}

/// The `GET /api/v1/office` document. Besides the spec's fields it carries each category's
/// effective issuing `hours` and its `open_data_id`, the office's `announcements`, whether it
/// is a `demo`, and its `retention_days` (how many office days back tickets are kept; the
/// reports page says when a range reaches past them), documented in `docs/api.md`. Each
/// category's `info` (null when not set) and `forms` (`[]`) say what to bring.
pub fn office(config: &OfficeConfig) -> api::Office {
    api::Office {
        office: api::OfficeInfo {
            id: config.office.id.clone(),
            name: config.office.name.clone(),
            demo: config.office.demo,
            timezone: config.office.timezone.clone(),
            languages: config.office.languages.clone(),
            announcements: config.office.announcements.clone(),
            retention_days: config.office.retention_days,
            closed_dates: config.office.closed_dates.iter().copied().collect(),
            checkin_early_min: config.office.checkin.early_min,
            checkin_late_min: config.office.checkin.late_min,
        },
        categories: config
            .categories
            .iter()
            .map(|c| api::Category {
                id: c.id.clone(),
                prefix: c.prefix.clone(),
                name: c.name.clone(),
                target_wait_s: c.target_wait_s,
                daily_limit: c.daily_limit,
                priority: c.priority,
                hours: hours(&c.hours),
                info: c.info.clone(),
                forms: c
                    .forms
                    .iter()
                    .map(|form| api::Form {
                        name: form.name.clone(),
                        url: form.url.clone(),
                    })
                    .collect(),
                open_data_id: c.open_data_id,
                appointments: c.appointments.as_ref().map(|a| api::CategoryAppointments {
                    slot_min: a.slot_min,
                    per_slot: a.per_slot,
                    days_ahead: a.days_ahead,
                    hours: hours(&a.hours),
                }),
            })
            .collect(),
        counters: config
            .counters
            .iter()
            .map(|c| api::Counter {
                id: c.id.clone(),
                name: c.name.clone(),
                categories: c.categories.clone(),
                order: counter_order(c.order),
                may_serve: c.may_serve.clone(),
            })
            .collect(),
    }
}

/// An event of the WebSocket feed, for `audience`: its `ticket` is a `PublicTicket` for the
/// public feed, a whole ticket (without position) for the staff feed.
pub fn event(tz: &TimeZone, event: &Event, audience: Audience) -> api::FeedMessage {
    let mut message = staff_event(tz, event);
    if audience == Audience::Public {
        message.make_public();
    }
    message
}

/// An event as the staff feed carries it.
fn staff_event(tz: &TimeZone, event: &Event) -> api::FeedMessage {
    use api::FeedMessage as M;
    let seq = event.seq;
    let at = time(tz, event.at);
    let ticket = |t: &Ticket| api::EventTicket::Staff(ticket_core(tz, t));
    match &event.kind {
        EventKind::TicketIssued { ticket: t } => M::TicketIssued {
            seq,
            at,
            ticket: ticket(t),
        },
        EventKind::TicketCancelled { ticket: t } => M::TicketCancelled {
            seq,
            at,
            ticket: ticket(t),
        },
        EventKind::TicketCalled { ticket: t, counter } => M::TicketCalled {
            seq,
            at,
            ticket: ticket(t),
            counter: counter.clone(),
        },
        EventKind::TicketRecalled { ticket: t, counter } => M::TicketRecalled {
            seq,
            at,
            ticket: ticket(t),
            counter: counter.clone(),
        },
        EventKind::TicketFinished { ticket: t, counter } => M::TicketFinished {
            seq,
            at,
            ticket: ticket(t),
            counter: counter.clone(),
        },
        EventKind::TicketNoShow { ticket: t, counter } => M::TicketNoShow {
            seq,
            at,
            ticket: ticket(t),
            counter: counter.clone(),
        },
        EventKind::TicketTransferred {
            ticket: t,
            from_category,
            to_category,
        } => M::TicketTransferred {
            seq,
            at,
            ticket: ticket(t),
            from_category: from_category.clone(),
            to_category: to_category.clone(),
        },
        EventKind::CounterChanged {
            counter,
            state,
            categories,
            order,
        } => M::CounterChanged {
            seq,
            at,
            counter: counter.clone(),
            state: counter_state_name(*state),
            categories: categories.clone(),
            order: counter_order(*order),
        },
        EventKind::DayStarted { office_date } => M::DayStarted {
            seq,
            at,
            office_date: *office_date,
        },
        // Staff-feed events (`EventKind::is_public`): the public feed gets
        // `appointments.changed` in their place (`FeedMessage::make_public`). A checked-in
        // appointment's ticket is new, so its state is the one it was issued in.
        EventKind::AppointmentBooked { appointment: a } => M::AppointmentBooked {
            seq,
            at,
            appointment: appointment(tz, a, None),
        },
        EventKind::AppointmentCancelled { appointment: a } => M::AppointmentCancelled {
            seq,
            at,
            appointment: appointment(tz, a, None),
        },
        EventKind::AppointmentCheckedIn { appointment: a } => M::AppointmentCheckedIn {
            seq,
            at,
            appointment: appointment(tz, a, None),
        },
        EventKind::AppointmentMissed { appointment: a } => M::AppointmentMissed {
            seq,
            at,
            appointment: appointment(tz, a, None),
        },
        // A rating: on both feeds it names neither the ticket nor the score, so no screen, and
        // no clerk watching the staff feed, learns who rated how.
        EventKind::FeedbackGiven { .. } => M::FeedbackGiven { seq, at },
    }
}

/// The feed's first message: `{"type": "snapshot", "seq": N, "status": Status}`, for
/// `audience`.
pub fn snapshot(tz: &TimeZone, view: &StatusView, audience: Audience) -> api::FeedMessage {
    api::FeedMessage::Snapshot {
        seq: view.seq,
        status: status(tz, view, audience),
    }
}

/// A summary report: `{"from", "to", "group_by", "rows": [Row], "total": Row}`.
pub fn summary(summary: &numerek_core::report::Summary) -> api::Summary {
    use numerek_core::report::GroupBy;
    api::Summary {
        from: summary.range.from(),
        to: summary.range.to(),
        group_by: match summary.group_by {
            GroupBy::Category => api::GroupBy::Category,
            GroupBy::Counter => api::GroupBy::Counter,
            GroupBy::Day => api::GroupBy::Day,
            GroupBy::Hour => api::GroupBy::Hour,
        },
        rows: summary.rows.iter().map(report_row).collect(),
        total: report_row(&summary.total),
    }
}

/// The grouping a report query names, as the core knows it.
pub fn group_by(group_by: api::GroupBy) -> numerek_core::report::GroupBy {
    use numerek_core::report::GroupBy;
    match group_by {
        api::GroupBy::Category => GroupBy::Category,
        api::GroupBy::Counter => GroupBy::Counter,
        api::GroupBy::Day => GroupBy::Day,
        api::GroupBy::Hour => GroupBy::Hour,
    }
}

/// A report `Row`. Its key is the id or day as a string, the hour as a number, `"total"` for the
/// total.
pub fn report_row(row: &numerek_core::report::Row) -> api::Row {
    api::Row {
        key: match &row.key {
            RowKey::Hour(hour) => api::RowKey::Hour(*hour),
            other => api::RowKey::Name(other.to_string()),
        },
        issued: row.issued,
        called: row.called,
        served: row.served,
        no_show: row.no_show,
        cancelled: row.cancelled,
        wait_avg_s: row.wait_avg_s.map(Seconds::new),
        wait_p50_s: row.wait_p50_s.map(Seconds::new),
        wait_p90_s: row.wait_p90_s.map(Seconds::new),
        wait_max_s: row.wait_max_s.map(Seconds::new),
        service_avg_s: row.service_avg_s.map(Seconds::new),
        within_target_pct: row.within_target_pct.map(numerek_api::format::round_millis),
        feedback_count: row.feedback_count,
        satisfaction_avg: row.satisfaction_avg,
        appointments: row.appointments,
        appointments_missed: row.appointments_missed,
        appointment_delay_avg_s: row.appointment_delay_avg_s.map(Seconds::new),
    }
}

/// A ticket as the ticket report lists it: `called_at` is its first call (the end of its wait)
/// and `counter` the counter of its last call, so that waits and the `counter` grouping of the
/// summary can be recomputed from the listing; `category` is where it ended, and
/// `transferred_from` where it was last transferred from.
pub fn report_ticket(tz: &TimeZone, ticket: &Ticket) -> api::ReportTicket {
    api::ReportTicket {
        id: ticket.id.as_str().to_owned(),
        number: number(&ticket.number),
        category: ticket.category.clone(),
        priority: ticket.priority,
        state: ticket_state(ticket.state),
        issued_at: time(tz, ticket.issued_at),
        called_at: opt_time(tz, ticket.first_called_at),
        finished_at: opt_time(tz, ticket.finished_at),
        counter: ticket.last_counter.clone(),
        recalls: ticket.recalls,
        transferred_from: ticket.transferred_from.clone(),
    }
}

/// A token without its secret.
pub fn token(tz: &TimeZone, token: &numerek_store::TokenRecord) -> api::Token {
    use numerek_store::Role;
    api::Token {
        id: token.id.clone(),
        role: match token.role {
            Role::Kiosk => api::Role::Kiosk,
            Role::Clerk => api::Role::Clerk,
            Role::Manager => api::Role::Manager,
            Role::Admin => api::Role::Admin,
        },
        label: token.label.clone(),
        counter: token.counter.clone(),
        created_at: time(tz, token.created_at),
    }
}

/// The staffing advisor's answer: `{"from", "to", "target_pct", "rows": [StaffingRow]}`.
pub fn staffing(staffing: &numerek_core::staffing::Staffing) -> api::Staffing {
    api::Staffing {
        from: staffing.range.from(),
        to: staffing.range.to(),
        target_pct: staffing.target_pct.pct(),
        rows: staffing
            .rows
            .iter()
            .map(|row| api::StaffingRow {
                category: row.category.clone(),
                weekday: weekday(row.weekday),
                hour: row.hour,
                days: row.days,
                arrivals_per_h: row.arrivals_per_h,
                service_avg_s: row.service_avg_s,
                counters_staffed_avg: row.counters_staffed_avg,
                counters_needed: row.counters_needed,
                predicted_within_target_pct: row.predicted_within_target_pct,
            })
            .collect(),
    }
}

/// A weekday on the wire.
fn weekday(day: jiff::civil::Weekday) -> api::Weekday {
    let monday_zero = usize::try_from(day.to_monday_zero_offset()).unwrap_or(0);
    api::Weekday::ALL[monday_zero.min(6)]
}
