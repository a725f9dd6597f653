//! The office's live state for one office day, and the state machine that changes it.
//!
//! Two steps, kept apart on purpose:
//! - [`Office::decide`] checks a command against the state and answers the events it causes, or a
//!   [`DomainError`]; it changes nothing.
//! - [`Office::apply`] changes the state by one event. It is the only mutation, so a writer, a
//!   read-only copy fed the same events, and a restart from stored tickets all agree.
//!
//! [`DomainError`]: crate::DomainError
//!
//! # Layout
//! One `impl Office` per concern, so that a rule, a mutation or a view is found by what it is:
//! - this module: the state itself, its constructors ([`Office::new`], [`Office::restore`]) and
//!   the lookups every part uses.
//! - `decide`: commands and the day's rollover turned into events, never a mutation.
//! - `apply`: events applied to the state, the only mutation.
//! - `read`: the read models (ticket, counter and status views, what a counter calls next).
//! - `estimate`: the live state turned into the wait estimate's replay, and the cut-off.
//! - `appointments`: booking, cancelling, checking in and missing appointments, and the slots
//!   on offer.
//! - `feedback`: rating a served ticket, by its id or at its counter's tablet.
//!
//! # Appointments
//! Bookings reach up to 90 days ahead while the rest of the state is one office day, so the
//! office holds an [`AppointmentBook`] of every appointment whose slot is on its current day or
//! later, whatever its state. The day's rollover marks the ended day's leftover bookings missed
//! and forgets them: older appointments are final and live only in storage. Restoring takes the
//! book's appointments back ([`Restored::appointments`]), so capacity, check-in, routing, the
//! estimate and the status are those of the office that stored them.

mod apply;
mod appointments;
mod decide;
mod estimate;
mod feedback;
mod read;

use crate::appointment::{Appointment, AppointmentBook, BookingCode};
use crate::config::OfficeConfig;
use crate::counter::{CounterState, CounterStatus, WorkProfile};
use crate::estimate::{IssueLog, ServiceStats};
use crate::event::Event;
use crate::ids::{TicketId, TicketNumber};
use crate::queue::CategoryQueue;
use crate::sharded::ShardedMap;
use crate::ticket::{Ticket, TicketState};
use crate::view::RecentCall;
use jiff::civil::Date;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// How many calls `recent_calls` lists.
pub const RECENT_CALLS: usize = 10;

/// What a decided command concerned, so the caller can answer with it after applying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A ticket command: the ticket.
    Ticket(TicketId),
    /// A counter action: the counter, and the ticket the action concerned (if any).
    Counter {
        /// The counter's id.
        counter: String,
        /// The ticket concerned, as the spec defines per action.
        ticket: Option<TicketId>,
    },
    /// A booking or its cancellation: the appointment. (A check-in answers with its new
    /// ticket, [`Subject::Ticket`].)
    Appointment(BookingCode),
}

/// The outcome of deciding a command: its events (possibly none) and what it concerned.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The events to apply, numbered from the office's next sequence number.
    pub events: Vec<Event>,
    /// What the answer to the command is about.
    pub subject: Subject,
}

/// Everything needed to rebuild an office from storage.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The office day the state belongs to.
    pub office_date: Date,
    /// The last event's sequence number.
    pub seq: u64,
    /// Every ticket of that office day.
    pub tickets: Vec<Ticket>,
    /// The counters' modes by id; counters not listed start closed.
    pub counter_states: Vec<(String, CounterState)>,
    /// The work profiles in force by counter id; counters not listed serve what the office
    /// file says. A category no longer configured is left out of a profile, and a profile left
    /// with none is the office file's.
    pub counter_profiles: Vec<(String, WorkProfile)>,
    /// Every appointment whose slot is on that office day or later, whatever its state (older
    /// ones given are ignored).
    pub appointments: Vec<Appointment>,
}

/// The office's live state: today's tickets, queues and counters.
#[derive(Debug, Clone)]
pub struct Office {
    config: Arc<OfficeConfig>,
    seq: u64,
    date: Date,
    /// In parts ([`ShardedMap`]), so that a busy day's growth never stalls the writer; boxed,
    /// so that growing moves pointers rather than whole tickets.
    tickets: ShardedMap<TicketId, Box<Ticket>>,
    by_number: ShardedMap<TicketNumber, TicketId>,
    queues: HashMap<String, CategoryQueue>,
    /// How many tickets were issued per category today (limits and `issued_today`).
    issued: HashMap<String, u32>,
    /// The highest number issued per prefix today. Numbers follow the prefix, not the category
    /// id, so a configuration changed during the day (a prefix moved to a renamed category)
    /// still never issues a number twice.
    last_number: HashMap<String, u32>,
    /// Counter time per call by category today (served and no-show calls): the estimate's
    /// service times.
    service: HashMap<String, ServiceStats>,
    /// When today's tickets were issued, by the category issued in: the estimate's arrivals.
    issues: HashMap<String, IssueLog>,
    /// Parallel to `config.counters`.
    counters: Vec<CounterStatus>,
    recent_calls: VecDeque<RecentCall>,
    next_order: i64,
    /// Counts the changes that may have touched the first tickets of any line (those the
    /// estimate's replay lists) or the appointments it foresees: part of the call-out's
    /// [`ReplayKey`](crate::estimate::ReplayKey).
    fronts: u64,
    /// Every appointment from the current office day on.
    book: AppointmentBook,
    /// Each counter's last `done` ticket today: what its tablet rates.
    last_done: HashMap<String, TicketId>,
}

impl Office {
    /// A fresh office on `office_date` with nothing issued and every counter closed.
    pub fn new(config: Arc<OfficeConfig>, office_date: Date) -> Self {
        Self::restore(
            config,
            Restored {
                office_date,
                seq: 0,
                tickets: Vec::new(),
                counter_states: Vec::new(),
                counter_profiles: Vec::new(),
                appointments: Vec::new(),
            },
        )
    }

    /// Rebuilds the office from stored state.
    ///
    /// Tolerates a configuration that changed since the tickets were stored: a counter that no
    /// longer exists is dropped, and a ticket waiting in a category that no longer exists stays
    /// known (it can be read and cancelled) but is in no queue.
    pub fn restore(config: Arc<OfficeConfig>, restored: Restored) -> Self {
        let mut office = Self {
            counters: config
                .counters
                .iter()
                .map(CounterStatus::start_of_day)
                .collect(),
            queues: config
                .categories
                .iter()
                .map(|c| (c.id.clone(), CategoryQueue::default()))
                .collect(),
            config,
            seq: restored.seq,
            date: restored.office_date,
            tickets: ShardedMap::default(),
            by_number: ShardedMap::default(),
            issued: HashMap::new(),
            last_number: HashMap::new(),
            service: HashMap::new(),
            issues: HashMap::new(),
            recent_calls: VecDeque::new(),
            next_order: 0,
            fronts: 0,
            book: AppointmentBook::default(),
            last_done: HashMap::new(),
        };
        for appointment in restored.appointments {
            if appointment.office_date >= office.date {
                office.book.put(appointment);
            }
        }
        for (id, state) in restored.counter_states {
            if let Some(index) = office.counter_index(&id) {
                office.counters[index].state = state;
            }
        }
        for (id, profile) in restored.counter_profiles {
            if let Some(index) = office.counter_index(&id) {
                office.counters[index].profile = office.profile_in_config(index, profile);
            }
        }
        let mut tickets = restored.tickets;
        // Calls in the order they were made, so `recent_calls` comes out newest first.
        tickets.sort_by_key(|t| (t.last_call_seq, t.last_called_at, t.queue_key));
        for ticket in tickets {
            if let (Some(counter), Some(at)) = (&ticket.last_counter, ticket.last_called_at) {
                office.note_call(&ticket, counter, at);
            }
            if matches!(ticket.state, TicketState::Done | TicketState::NoShow) {
                office.record_service(&ticket);
            }
            office.put_ticket(ticket);
        }
        office
    }

    /// The configuration the office runs.
    pub fn config(&self) -> &Arc<OfficeConfig> {
        &self.config
    }

    /// The last applied event's sequence number.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The current office day.
    pub fn office_date(&self) -> Date {
        self.date
    }

    /// A ticket of today by id (the map holds boxes).
    fn ticket_ref(&self, id: &TicketId) -> Option<&Ticket> {
        self.tickets.get(id).map(|ticket| &**ticket)
    }

    /// Today's ticket with this id.
    pub fn ticket(&self, id: &TicketId) -> Option<&Ticket> {
        self.ticket_ref(id)
    }

    /// Every ticket of today, in no particular order.
    pub fn tickets(&self) -> impl Iterator<Item = &Ticket> {
        self.tickets.values().map(|ticket| &**ticket)
    }

    /// A counter's mode and current ticket id.
    pub fn counter_status(&self, id: &str) -> Option<&CounterStatus> {
        self.counter_index(id).map(|i| &self.counters[i])
    }

    /// The work profile in force at a counter: the categories it serves now and its order.
    ///
    /// The one answer to "what does this counter serve now": routing (`call-next`), a
    /// counter's `next`, the wait estimate and the `counter.changed` events the staffing
    /// figures are recorded from all read it.
    pub fn profile(&self, counter: &str) -> Option<&WorkProfile> {
        self.counter_index(counter).map(|i| self.profile_at(i))
    }

    /// [`Office::profile`] by the counter's index in the configuration.
    fn profile_at(&self, index: usize) -> &WorkProfile {
        &self.counters[index].profile
    }

    /// A stored profile fitted to the configuration the office runs: categories no longer
    /// configured (and repeats) left out; none left, or none given (an event stored before
    /// work profiles existed), the office file's profile.
    fn profile_in_config(&self, index: usize, profile: WorkProfile) -> WorkProfile {
        let mut categories: Vec<String> = Vec::with_capacity(profile.categories.len());
        for category in profile.categories {
            if self.config.category(&category).is_some() && !categories.contains(&category) {
                categories.push(category);
            }
        }
        if categories.is_empty() {
            return WorkProfile::of(&self.config.counters[index]);
        }
        WorkProfile {
            categories,
            order: profile.order,
        }
    }

    /// The index of a counter in the configuration's counters (and in `counters`).
    fn counter_index(&self, id: &str) -> Option<usize> {
        self.config.counters.iter().position(|c| c.id == id)
    }

    /// The index of a category in the configuration's categories: its line in the estimate.
    fn category_index(&self, id: &str) -> Option<usize> {
        self.config.categories.iter().position(|c| c.id == id)
    }
}
