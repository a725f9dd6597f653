//! The simulated day played inside this program (`numerek simulate --in-process`): the same
//! citizens and clerks as [`super::bots`], acting on numerek's core ([`Office`]) directly at
//! virtual instants instead of on a server over HTTP in real time.
//!
//! No real time passes and nothing is shared with a scheduler, so a seed gives exactly the same
//! figures on any machine, in about a second: what the estimate's design is measured with, and
//! what the tests assert (the figures of a run over HTTP differ from run to run by the few
//! seconds that real-time scheduling adds). Every command runs as the store's writer runs it:
//! the day rolled over if due, then decided and applied; a ticket's answer is its view right
//! after. The summary report is computed from the office's tickets by the report's own
//! arithmetic and checked as the HTTP run checks the server's.

use super::api::{Called, Issued};
use super::bots::{CategoryInfo, IDLE_POLL_S};
use super::compare;
use super::observe::{Observations, Summary};
use super::scenario::Scenario;
use anyhow::{Context, bail};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use numerek_core::report::{self, DayRange, GroupBy, ReportAppointment, ReportTicket};
use numerek_core::{
    BookingCode, Command, CounterAction, Decision, DomainError, Office, OfficeConfig, Subject,
    TicketId,
};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

/// The day to play.
#[derive(Debug)]
pub struct Day<'a> {
    /// The office.
    pub config: Arc<OfficeConfig>,
    /// The office day.
    pub date: Date,
    /// The instant arrivals start at (the scenario's time 0).
    pub origin: Timestamp,
    /// When the clerks open their counters (before `origin`).
    pub opening: Timestamp,
    /// Who comes, and what each ticket needs.
    pub scenario: &'a Scenario,
    /// The categories, in configuration order.
    pub categories: &'a [CategoryInfo],
    /// The counters a clerk staffs.
    pub staffed: &'a [String],
    /// How long a clerk waits for a holder who does not come, in seconds.
    pub no_show_wait_s: f64,
}

/// What wakes up next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Wake {
    /// The arrival at this index of the scenario.
    Arrival(usize),
    /// The clerk of the staffed counter at this index.
    Clerk(usize),
}

/// A clerk's ticket at the counter, and how it ends.
#[derive(Debug, Clone)]
struct Holding {
    called: Called,
    category: usize,
    no_show: bool,
}

/// The office and the virtual instant, driven as the store's writer drives an office.
struct Desk {
    office: Office,
    next_id: u64,
}

impl Desk {
    fn run(&mut self, command: &Command, now: Timestamp) -> Result<Decision, DomainError> {
        self.office.start_day_if_due(now);
        self.office.mark_missed_if_due(now);
        self.office.execute(command, now)
    }

    fn act(
        &mut self,
        counter: &str,
        action: CounterAction,
        now: Timestamp,
    ) -> anyhow::Result<Option<TicketId>> {
        let command = Command::Counter {
            counter: counter.to_owned(),
            action,
        };
        match self.run(&command, now) {
            Ok(Decision {
                subject: Subject::Counter { ticket, .. },
                ..
            }) => Ok(ticket),
            Ok(other) => bail!("counter {counter}: {command:?} answered {other:?}"),
            Err(error) => bail!("counter {counter}: {command:?} was refused: {error}"),
        }
    }
}

/// Plays the day; answers what was seen and the report's comparison with it.
///
/// # Errors
/// When the office refuses what a clerk does (the simulation's own mistake).
pub fn play(day: &Day<'_>) -> anyhow::Result<(Summary, Result<(), Vec<compare::Mismatch>>)> {
    let mut desk = Desk {
        office: Office::new(day.config.clone(), day.date),
        next_id: 0,
    };
    let mut seen = Observations::new(day.categories.iter().map(|c| c.id.clone()).collect());
    let mut holding: Vec<Option<Holding>> = vec![None; day.staffed.len()];
    let mut queue: BinaryHeap<Reverse<(Timestamp, u64, Wake)>> = BinaryHeap::new();
    let mut order = 0_u64;
    let mut wake_at = |queue: &mut BinaryHeap<_>, at: Timestamp, wake: Wake| {
        order += 1;
        queue.push(Reverse((at, order, wake)));
    };
    for (index, arrival) in day.scenario.arrivals.iter().enumerate() {
        wake_at(
            &mut queue,
            after(day.origin, arrival.at_s),
            Wake::Arrival(index),
        );
    }
    for (index, counter) in day.staffed.iter().enumerate() {
        desk.act(counter, CounterAction::Open, day.opening)?;
        wake_at(&mut queue, day.opening, Wake::Clerk(index));
    }
    let bookings = book(&mut desk, day)?;
    let mut arrivals_left = day.scenario.arrivals.len();
    while let Some(Reverse((now, _, wake))) = queue.pop() {
        match wake {
            Wake::Arrival(index) => {
                let arrival = day.scenario.arrivals[index];
                let category = &day.categories[arrival.category];
                let booking = bookings.get(index).copied().flatten();
                issue(&mut desk, &mut seen, (category, arrival, booking), now)?;
                arrivals_left -= 1;
            }
            Wake::Clerk(index) => {
                let counter = &day.staffed[index];
                if let Some(held) = holding[index].take() {
                    let action = if held.no_show {
                        CounterAction::NoShow
                    } else {
                        CounterAction::Finish
                    };
                    desk.act(counter, action, now)?;
                    seen.ended(
                        &held.called.id,
                        held.category,
                        held.called.called_at,
                        now,
                        held.no_show,
                    );
                }
                let Some(id) = desk.act(counter, CounterAction::CallNext, now)? else {
                    if arrivals_left == 0 {
                        desk.act(counter, CounterAction::Close, now)?;
                    } else {
                        wake_at(&mut queue, after(now, IDLE_POLL_S), Wake::Clerk(index));
                    }
                    continue;
                };
                let ticket = desk
                    .office
                    .ticket(&id)
                    .context("the called ticket is not in the office")?;
                let category = day
                    .categories
                    .iter()
                    .position(|c| c.id == ticket.category)
                    .with_context(|| format!("a ticket of {} was called", ticket.category))?;
                let called = Called {
                    id: id.as_str().to_owned(),
                    category: ticket.category.clone(),
                    number: ticket.number.n,
                    called_at: now,
                };
                seen.called(&called.id, now);
                let need = day.scenario.ticket(category, called.number);
                let hold_s = if need.no_show {
                    day.no_show_wait_s
                } else {
                    need.service_s
                };
                holding[index] = Some(Holding {
                    called,
                    category,
                    no_show: need.no_show,
                });
                wake_at(&mut queue, after(now, hold_s), Wake::Clerk(index));
            }
        }
    }
    let summary = seen.summary();
    let range = DayRange::new(day.date, day.date).context("one day is a valid range")?;
    let tz = &day.config.office.tz;
    // Bookings whose window closed after the last call are missed by the day's end.
    let end = after(day.origin, 24.0 * 3600.0);
    desk.office.mark_missed_if_due(end);
    let report = report::summarize_with_appointments(
        &day.config,
        range,
        GroupBy::Category,
        desk.office.tickets().map(|t| ReportTicket::of(t, tz)),
        desk.office
            .appointments()
            .map(|a| ReportAppointment::of(a, tz)),
    );
    let checked = compare::compare(&numerek_server::wire::summary(&report), &summary);
    Ok((summary, checked))
}

/// The booked visits book their slots before the day starts (as the HTTP run has its admin
/// token book them): per arrival, its code and slot start, or `None` for a walk-in (also one
/// whose slot could not be booked). Codes are drawn from the arrival's index: a seed plays the
/// same day.
fn book(desk: &mut Desk, day: &Day<'_>) -> anyhow::Result<Vec<Option<(BookingCode, Timestamp)>>> {
    let mut bookings = Vec::with_capacity(day.scenario.arrivals.len());
    for (index, arrival) in day.scenario.arrivals.iter().enumerate() {
        let Some(slot_s) = arrival.slot_s else {
            bookings.push(None);
            continue;
        };
        let bytes = (index as u64 + 1).to_be_bytes();
        let code = BookingCode::from_random([bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]]);
        let start = after(day.origin, slot_s);
        let command = Command::BookAppointment {
            code,
            category: day.categories[arrival.category].id.clone(),
            start,
            language: None,
        };
        bookings.push(match desk.run(&command, day.opening) {
            Ok(_) => Some((code, start)),
            Err(DomainError::SlotFull | DomainError::SlotUnavailable(_)) => None,
            Err(error) => bail!("booking {command:?}: {error}"),
        });
    }
    Ok(bookings)
}

/// A citizen takes a ticket at `now`, as the kiosk would, or checks in for their booking, and
/// notes the answer.
fn issue(
    desk: &mut Desk,
    seen: &mut Observations,
    (category, arrival, booking): (
        &CategoryInfo,
        super::scenario::Arrival,
        Option<(BookingCode, Timestamp)>,
    ),
    now: Timestamp,
) -> anyhow::Result<()> {
    desk.next_id += 1;
    let id = TicketId(format!("sim-{:06}", desk.next_id));
    let command = match booking {
        Some((code, _)) => Command::CheckIn {
            code,
            ticket: id.clone(),
        },
        None => Command::IssueTicket {
            id: id.clone(),
            category: category.id.clone(),
            priority: arrival.priority,
            language: None,
        },
    };
    match desk.run(&command, now) {
        Ok(_) => {}
        Err(DomainError::CheckinTooEarly(_) | DomainError::CheckinTooLate(_)) => {
            seen.checkin_refused();
            return Ok(());
        }
        Err(
            DomainError::CategoryClosed { .. }
            | DomainError::CutOff { .. }
            | DomainError::DailyLimitReached(..),
        ) => {
            seen.refused(arrival.category);
            return Ok(());
        }
        Err(error) => bail!("issuing a ticket of {}: {error}", category.id),
    }
    let view = desk
        .office
        .ticket_view(&id, now)
        .context("the issued ticket is not in the office")?;
    let ticket = Issued::from_view(&view).context("the issued ticket is not waiting")?;
    let baseline = seen.baseline_s(
        arrival.category,
        ticket.people_ahead,
        category.configured_s,
        category.counters,
    );
    seen.issued(
        arrival.category,
        &ticket,
        baseline,
        booking.map(|(_, start)| start),
    );
    Ok(())
}

/// `at` plus `seconds` (at the millisecond, as the API's timestamps).
fn after(at: Timestamp, seconds: f64) -> Timestamp {
    let ms = (seconds.max(0.0) * 1000.0).round() as i64;
    at.checked_add(SignedDuration::from_millis(ms))
        .unwrap_or(at)
}
