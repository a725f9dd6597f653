//! Applying: one event changes the state. [`Office::apply`] is the only mutation of an office,
//! so the writer's office, the shared read model and an office restored from stored tickets agree.

use super::{Decision, Office, RECENT_CALLS};
use crate::command::Command;
use crate::counter::WorkProfile;
use crate::error::DomainError;
use crate::event::{Event, EventKind};
use crate::queue::CategoryQueue;
use crate::ticket::{QueueKey, Ticket, TicketState};
use crate::view::RecentCall;
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::HashMap;

impl Office {
    /// Changes the state by one event. Events must come in sequence order.
    pub fn apply(&mut self, event: &Event) {
        debug_assert_eq!(event.seq, self.seq + 1, "events applied out of order");
        self.seq = event.seq;
        match &event.kind {
            EventKind::TicketCalled { ticket, counter }
            | EventKind::TicketRecalled { ticket, counter } => {
                self.note_call(ticket, counter, event.at);
                self.put_ticket(ticket.clone());
            }
            EventKind::TicketFinished { ticket, .. } | EventKind::TicketNoShow { ticket, .. } => {
                self.record_service(ticket);
                self.put_ticket(ticket.clone());
            }
            EventKind::TicketIssued { ticket }
            | EventKind::TicketTransferred { ticket, .. }
            | EventKind::TicketCancelled { ticket } => self.put_ticket(ticket.clone()),
            EventKind::FeedbackGiven { ticket } => self.put_rated(ticket),
            EventKind::CounterChanged {
                counter,
                state,
                categories,
                order,
            } => {
                if let Some(index) = self.counter_index(counter) {
                    let profile = WorkProfile {
                        categories: categories.clone(),
                        order: *order,
                    };
                    self.counters[index].state = *state;
                    self.counters[index].profile = self.profile_in_config(index, profile);
                }
            }
            EventKind::DayStarted { office_date } => self.start_day(*office_date),
            EventKind::AppointmentBooked { appointment }
            | EventKind::AppointmentCancelled { appointment }
            | EventKind::AppointmentCheckedIn { appointment }
            | EventKind::AppointmentMissed { appointment } => {
                // Today's bookings are arrivals in the estimate's replay.
                self.fronts += 1;
                self.book.put(appointment.clone());
            }
        }
    }

    /// Decides and applies in one step: the convenience for a single owner of the state.
    ///
    /// # Errors
    /// As [`Office::decide`]; nothing is applied then.
    pub fn execute(&mut self, command: &Command, now: Timestamp) -> Result<Decision, DomainError> {
        let decision = self.decide(command, now)?;
        for event in &decision.events {
            self.apply(event);
        }
        Ok(decision)
    }

    /// Rolls the day over if `now` is in a later one; answers the events applied.
    pub fn start_day_if_due(&mut self, now: Timestamp) -> Vec<Event> {
        let events = self.day_rollover(now);
        for event in &events {
            self.apply(event);
        }
        events
    }

    /// Marks missed the bookings whose check-in window has ended by `now`; answers the events
    /// applied (see [`Office::missed_due`]).
    pub fn mark_missed_if_due(&mut self, now: Timestamp) -> Vec<Event> {
        let events = self.missed_due(now);
        for event in &events {
            self.apply(event);
        }
        events
    }

    /// Stores a ticket's new version and moves it between queues and counters to match.
    pub(super) fn put_ticket(&mut self, ticket: Ticket) {
        if let Some(old) = self.tickets.get(&ticket.id) {
            if old.state == TicketState::Waiting
                && let Some(queue) = self.queues.get_mut(&old.category)
            {
                queue.take(old);
                self.fronts += 1;
            }
            if old.state == TicketState::Called
                && let Some(index) = old.counter.as_deref().and_then(|c| self.counter_index(c))
                && self.counters[index].current.as_ref() == Some(&old.id)
            {
                self.counters[index].current = None;
            }
        } else {
            self.by_number
                .insert(ticket.number.clone(), ticket.id.clone());
            *entry(&mut self.issued, &ticket.issued_category) += 1;
            // The issue rates foresee walk-ins; the day's bookings are foreseen by their slots.
            if ticket.appointment.is_none() {
                entry(&mut self.issues, &ticket.issued_category)
                    .record(ticket.issued_at.as_millisecond(), ticket.priority);
            }
            let last = entry(&mut self.last_number, &ticket.number.prefix);
            *last = (*last).max(ticket.number.n);
        }
        match ticket.state {
            TicketState::Waiting => {
                if let Some(queue) = self.queues.get_mut(&ticket.category)
                    && queue.put(&ticket)
                {
                    self.fronts += 1;
                }
            }
            TicketState::Called => {
                if let Some(index) = ticket
                    .counter
                    .as_deref()
                    .and_then(|c| self.counter_index(c))
                {
                    self.counters[index].current = Some(ticket.id.clone());
                }
            }
            TicketState::Done => self.note_done(&ticket),
            TicketState::NoShow | TicketState::Cancelled => {}
        }
        self.next_order = self
            .next_order
            .max(QueueKey::next_order_after(ticket.queue_key.order));
        self.tickets.insert(ticket.id.clone(), Box::new(ticket));
    }

    pub(super) fn note_call(&mut self, ticket: &Ticket, counter: &str, at: Timestamp) {
        self.recent_calls.retain(|call| call.ticket != ticket.id);
        self.recent_calls.push_front(RecentCall {
            ticket: ticket.id.clone(),
            number: ticket.number.clone(),
            counter: counter.to_owned(),
            called_at: at,
        });
        self.recent_calls.truncate(RECENT_CALLS);
    }

    /// Measures a call that ended (served or no-show): its counter time, from its last call.
    pub(super) fn record_service(&mut self, ticket: &Ticket) {
        if let (Some(start), Some(end)) = (ticket.last_called_at, ticket.finished_at) {
            let seconds = end.duration_since(start).as_secs_f64();
            self.service
                .entry(ticket.category.clone())
                .or_default()
                .record(seconds);
        }
    }

    fn start_day(&mut self, date: Date) {
        self.date = date;
        self.fronts += 1;
        self.tickets.clear();
        self.by_number.clear();
        self.issued.clear();
        self.last_number.clear();
        self.service.clear();
        self.issues.clear();
        self.recent_calls.clear();
        self.last_done.clear();
        for queue in self.queues.values_mut() {
            *queue = CategoryQueue::default();
        }
        // Every counter is closed by the rollover's `counter.changed` events already; the day
        // also starts with the office file's profiles even where those events are missing.
        for (counter, config) in self.counters.iter_mut().zip(&self.config.counters) {
            counter.current = None;
            counter.profile = WorkProfile::of(config);
        }
        self.book.drop_before(date);
    }
}

/// The value of `key`, inserted as the default first if missing; unlike `HashMap::entry`, the
/// key is copied only when it is new (this runs for every ticket issued).
fn entry<'a, V: Default>(map: &'a mut HashMap<String, V>, key: &str) -> &'a mut V {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), V::default());
    }
    map.get_mut(key).expect("inserted above")
}
