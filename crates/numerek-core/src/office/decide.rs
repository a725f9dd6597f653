//! Deciding: a command (or the passing of a day) checked against the state and turned into the
//! events it causes, or refused with a [`DomainError`].
//!
//! Nothing here mutates the office, so a refused command changes nothing; the events change the
//! state only when they are applied (`apply`), after the store has decided to keep them.

use super::{Decision, Office, Subject};
use crate::appointment::TicketAppointment;
use crate::command::{Command, CounterAction, StaffRole, TicketRef, TransferPosition};
use crate::config::{CategoryConfig, CounterOrder};
use crate::counter::{CounterState, WorkProfile};
use crate::day::{local_datetime, office_date};
use crate::error::DomainError;
use crate::event::{Event, EventKind};
use crate::ids::{TicketId, TicketNumber};
use crate::opening::Opening;
use crate::queue::CategoryQueue;
use crate::ticket::{QueueKey, Ticket, TicketState};
use jiff::Timestamp;

/// Numbers the events of one decision from the office's next sequence number.
pub(super) struct EventList {
    /// The sequence number the next event pushed gets.
    pub(super) next_seq: u64,
    /// The instant of the decision.
    pub(super) at: Timestamp,
    events: Vec<Event>,
}

impl EventList {
    pub(super) fn new(office: &Office, at: Timestamp) -> Self {
        Self {
            next_seq: office.seq + 1,
            at,
            events: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, kind: EventKind) {
        self.events.push(Event {
            seq: self.next_seq,
            at: self.at,
            kind,
        });
        self.next_seq += 1;
    }

    pub(super) fn into_events(self) -> Vec<Event> {
        self.events
    }
}

impl Office {
    /// Decides a command at instant `now`: the events it causes, or why it is refused.
    ///
    /// The caller is expected to have started the day first ([`Office::day_rollover`]).
    ///
    /// # Errors
    /// [`DomainError`] naming the reason; the state is unchanged either way.
    pub fn decide(&self, command: &Command, now: Timestamp) -> Result<Decision, DomainError> {
        let mut events = EventList::new(self, now);
        let subject = match command {
            Command::IssueTicket {
                id,
                category,
                priority,
                language,
            } => {
                self.decide_issue(&mut events, id, category, *priority, language.as_deref())?;
                Subject::Ticket(id.clone())
            }
            Command::CancelTicket { id } => {
                let ticket = self
                    .tickets
                    .get(id)
                    .ok_or_else(|| DomainError::UnknownTicket(id.to_string()))?;
                if ticket.state != TicketState::Waiting {
                    return Err(DomainError::TicketNotWaiting(ticket.number.to_string()));
                }
                events.push(EventKind::TicketCancelled {
                    ticket: finished(ticket, TicketState::Cancelled, now),
                });
                Subject::Ticket(id.clone())
            }
            Command::BookAppointment {
                code,
                category,
                start,
                language,
            } => {
                self.decide_book(&mut events, *code, category, *start, language.as_deref())?;
                Subject::Appointment(*code)
            }
            Command::CancelAppointment { code } => {
                self.decide_cancel_appointment(&mut events, code)?;
                Subject::Appointment(*code)
            }
            Command::CheckIn { code, ticket } => {
                self.decide_check_in(&mut events, code, ticket)?;
                Subject::Ticket(ticket.clone())
            }
            Command::RateTicket { id, score } => {
                self.decide_rating(&mut events, id, *score)?;
                Subject::Ticket(id.clone())
            }
            Command::RateAtCounter { counter, score } => {
                let ticket = self.decide_rating_at_counter(&mut events, counter, *score)?;
                Subject::Counter {
                    counter: counter.clone(),
                    ticket: Some(ticket),
                }
            }
            Command::Counter { counter, action } => {
                // A request's form (400) is checked before the resources it names (404).
                if let CounterAction::SetProfile { categories, .. } = action {
                    check_profile_form(categories)?;
                }
                let index = self
                    .counter_index(counter)
                    .ok_or_else(|| DomainError::UnknownCounter(counter.clone()))?;
                let ticket = self.decide_counter(&mut events, index, action)?;
                Subject::Counter {
                    counter: counter.clone(),
                    ticket,
                }
            }
        };
        Ok(Decision {
            events: events.into_events(),
            subject,
        })
    }

    fn decide_issue(
        &self,
        events: &mut EventList,
        id: &TicketId,
        category_id: &str,
        priority: bool,
        language: Option<&str>,
    ) -> Result<(), DomainError> {
        // The spec checks a request's form (400: the language) before the resources it names
        // (404: the category), so a wrong language is refused as such whatever the category.
        if let Some(language) = language
            && !self.config.office.languages.iter().any(|l| l == language)
        {
            return Err(DomainError::UnknownLanguage(language.to_owned()));
        }
        let category = self
            .config
            .category(category_id)
            .ok_or_else(|| DomainError::UnknownCategory(category_id.to_owned()))?;
        if priority && !category.priority {
            return Err(DomainError::PriorityNotOffered(category.id.clone()));
        }
        let tz = &self.config.office.tz;
        let closed_dates = &self.config.office.closed_dates;
        let local = local_datetime(tz, events.at);
        if !category.hours.is_open_at(local) || closed_dates.contains(&local.date()) {
            return Err(DomainError::CategoryClosed {
                category: category.id.clone(),
                opens: Opening::of_closed(&category.hours, tz, closed_dates, events.at),
            });
        }
        if let Some(limit) = category.daily_limit
            && self.walk_ins_left(category, limit, events.at) == 0
        {
            return Err(DomainError::DailyLimitReached(category.id.clone(), limit));
        }
        if category.cutoff_min.is_some()
            && let Some(index) = self.category_index(&category.id)
        {
            let wait_s = self.estimate_new(index, priority, events.at).estimate_s;
            if let Some(last_call) = self.past_last_call(category, events.at, wait_s) {
                return Err(DomainError::CutOff {
                    category: category.id.clone(),
                    wait_min: (wait_s / 60.0).ceil() as u32,
                    last_call,
                    opens: Opening::after_today(&category.hours, tz, closed_dates, events.at),
                });
            }
        }
        let ticket = self.new_ticket(events, id, category, priority, language, None);
        events.push(EventKind::TicketIssued { ticket });
        Ok(())
    }

    /// A ticket issued now in `category`, with the next number of its prefix: a walk-in's, or
    /// (with `appointment`) a check-in's.
    pub(super) fn new_ticket(
        &self,
        events: &EventList,
        id: &TicketId,
        category: &CategoryConfig,
        priority: bool,
        language: Option<&str>,
        appointment: Option<TicketAppointment>,
    ) -> Ticket {
        Ticket {
            id: id.clone(),
            number: TicketNumber {
                prefix: category.prefix.clone(),
                n: self.last_number.get(&category.prefix).copied().unwrap_or(0) + 1,
            },
            office_date: self.date,
            issue_seq: events.next_seq,
            issued_category: category.id.clone(),
            category: category.id.clone(),
            priority,
            language: language.map(str::to_owned),
            state: TicketState::Waiting,
            issued_at: events.at,
            called_at: None,
            first_called_at: None,
            last_called_at: None,
            last_call_seq: 0,
            finished_at: None,
            counter: None,
            last_counter: None,
            recalls: 0,
            transferred_from: None,
            queue_key: QueueKey {
                at_ms: events.at.as_millisecond(),
                order: self.next_order,
            },
            appointment,
            feedback: None,
        }
    }

    /// Decides a counter action; answers the ticket the action concerned.
    fn decide_counter(
        &self,
        events: &mut EventList,
        index: usize,
        action: &CounterAction,
    ) -> Result<Option<TicketId>, DomainError> {
        let config = &self.config.counters[index];
        let status = &self.counters[index];
        let current = status.current.as_ref().and_then(|id| self.ticket_ref(id));
        let require_current =
            || current.ok_or_else(|| DomainError::NoCurrentTicket(config.id.clone()));
        match action {
            CounterAction::Open => self.set_state(events, index, CounterState::Open),
            CounterAction::Pause => self.set_state(events, index, CounterState::Paused),
            CounterAction::Close => self.set_state(events, index, CounterState::Closed),
            CounterAction::CallNext => {
                let next = self
                    .next_entries(self.profile_at(index), 1, events.at)
                    .into_iter()
                    .next();
                return Ok(self.finish_and_call(events, index, next));
            }
            CounterAction::Call(reference) => {
                let ticket = self.resolve(reference)?;
                if ticket.state != TicketState::Waiting {
                    return Err(DomainError::TicketNotWaiting(ticket.number.to_string()));
                }
                return Ok(self.finish_and_call(events, index, Some(ticket.id.clone())));
            }
            CounterAction::Recall => {
                let ticket = require_current()?;
                let mut recalled = ticket.clone();
                recalled.recalls += 1;
                recalled.last_called_at = Some(events.at);
                recalled.last_call_seq = events.next_seq;
                events.push(EventKind::TicketRecalled {
                    ticket: recalled,
                    counter: config.id.clone(),
                });
                return Ok(Some(ticket.id.clone()));
            }
            CounterAction::Finish | CounterAction::NoShow => {
                let ticket = require_current()?;
                let counter = config.id.clone();
                events.push(if *action == CounterAction::Finish {
                    EventKind::TicketFinished {
                        ticket: finished(ticket, TicketState::Done, events.at),
                        counter,
                    }
                } else {
                    EventKind::TicketNoShow {
                        ticket: finished(ticket, TicketState::NoShow, events.at),
                        counter,
                    }
                });
                return Ok(Some(ticket.id.clone()));
            }
            CounterAction::Transfer { category, position } => {
                let target = self
                    .config
                    .category(category)
                    .ok_or_else(|| DomainError::UnknownCategory(category.clone()))?;
                let ticket = require_current()?;
                let mut moved = ticket.clone();
                moved.state = TicketState::Waiting;
                moved.transferred_from = Some(ticket.category.clone());
                moved.category = target.id.clone();
                moved.counter = None;
                moved.called_at = None;
                moved.queue_key = self.transfer_key(&target.id, *position, events.at);
                events.push(EventKind::TicketTransferred {
                    ticket: moved,
                    from_category: ticket.category.clone(),
                    to_category: target.id.clone(),
                });
                return Ok(Some(ticket.id.clone()));
            }
            CounterAction::SetProfile {
                categories,
                order,
                by,
            } => {
                let profile = self.decide_profile(index, categories, *order, *by)?;
                if profile != *self.profile_at(index) {
                    events.push(self.counter_changed(index, status.state, profile));
                }
            }
        }
        Ok(status.current.clone())
    }

    /// The work profile a `SetProfile` asks for, once its categories exist and `by` may choose
    /// them (the form was checked before the counter: [`check_profile_form`]).
    fn decide_profile(
        &self,
        index: usize,
        categories: &[String],
        order: Option<CounterOrder>,
        by: StaffRole,
    ) -> Result<WorkProfile, DomainError> {
        let config = &self.config.counters[index];
        if let Some(unknown) = categories
            .iter()
            .find(|c| self.config.category(c).is_none())
        {
            return Err(DomainError::UnknownCategory(unknown.clone()));
        }
        if by == StaffRole::Clerk
            && let Some(outside) = categories.iter().find(|c| !config.may_serve.contains(c))
        {
            return Err(DomainError::NotMayServe {
                counter: config.id.clone(),
                category: outside.clone(),
            });
        }
        Ok(WorkProfile {
            categories: categories.to_vec(),
            order: order.unwrap_or(self.profile_at(index).order),
        })
    }

    /// A `counter.changed` of the counter at `index`: its whole setup after the change.
    fn counter_changed(
        &self,
        index: usize,
        state: CounterState,
        profile: WorkProfile,
    ) -> EventKind {
        EventKind::CounterChanged {
            counter: self.config.counters[index].id.clone(),
            state,
            categories: profile.categories,
            order: profile.order,
        }
    }

    /// Emits a `counter.changed` unless the counter is already in `state`; its profile stays.
    fn set_state(&self, events: &mut EventList, index: usize, state: CounterState) {
        if self.counters[index].state != state {
            events.push(self.counter_changed(index, state, self.profile_at(index).clone()));
        }
    }

    /// The shared part of `call-next` and `call`: serve the current ticket, open the counter,
    /// call `next` (if any). Answers the called ticket.
    fn finish_and_call(
        &self,
        events: &mut EventList,
        index: usize,
        next: Option<TicketId>,
    ) -> Option<TicketId> {
        let counter = self.config.counters[index].id.clone();
        let current = self.counters[index].current.as_ref();
        if let Some(ticket) = current.and_then(|id| self.ticket_ref(id)) {
            events.push(EventKind::TicketFinished {
                ticket: finished(ticket, TicketState::Done, events.at),
                counter: counter.clone(),
            });
        }
        self.set_state(events, index, CounterState::Open);
        let ticket = self.ticket_ref(&next?)?;
        let mut called = ticket.clone();
        called.state = TicketState::Called;
        called.called_at = Some(events.at);
        called.first_called_at = ticket.first_called_at.or(Some(events.at));
        called.last_called_at = Some(events.at);
        called.last_call_seq = events.next_seq;
        called.counter = Some(counter.clone());
        called.last_counter = Some(counter.clone());
        events.push(EventKind::TicketCalled {
            ticket: called,
            counter,
        });
        Some(ticket.id.clone())
    }

    fn resolve(&self, reference: &TicketRef) -> Result<&Ticket, DomainError> {
        let found = match reference {
            TicketRef::Number(number) => self
                .by_number
                .get(number)
                .and_then(|id| self.ticket_ref(id)),
            TicketRef::Id(id) => self.ticket_ref(id),
        };
        found.ok_or_else(|| {
            DomainError::UnknownTicket(match reference {
                TicketRef::Number(number) => number.to_string(),
                TicketRef::Id(id) => id.to_string(),
            })
        })
    }

    /// Where a transferred ticket starts waiting in `category`.
    fn transfer_key(&self, category: &str, position: TransferPosition, now: Timestamp) -> QueueKey {
        let back = QueueKey {
            at_ms: now.as_millisecond(),
            order: self.next_order,
        };
        match position {
            TransferPosition::Back => back,
            TransferPosition::Front => self
                .queues
                .get(category)
                .and_then(CategoryQueue::earliest_key)
                .map_or(back, |front| QueueKey {
                    at_ms: front.at_ms,
                    order: front.order - 1,
                }),
        }
    }

    /// The events that end the current office day and start the one `now` is in, or none if
    /// `now` is still in the current day (or, with a clock set back, before it).
    ///
    /// Bookings of the ended days not checked in are missed, waiting and called tickets are
    /// cancelled, open and paused counters close and every counter goes back to the profile of
    /// the office file (one `counter.changed` for each counter that was not closed with that
    /// profile already), then `day.started` resets numbering (and the office forgets the ended
    /// days' appointments).
    pub fn day_rollover(&self, now: Timestamp) -> Vec<Event> {
        let today = office_date(&self.config.office.tz, now);
        if today <= self.date {
            return Vec::new();
        }
        let mut events = EventList::new(self, now);
        self.miss_bookings(&mut events, |appointment| appointment.office_date < today);
        let mut leftovers: Vec<&Ticket> = self.tickets().filter(|t| !t.state.is_final()).collect();
        leftovers.sort_by_key(|t| (t.issued_category.as_str(), t.number.n));
        for ticket in leftovers {
            events.push(EventKind::TicketCancelled {
                ticket: finished(ticket, TicketState::Cancelled, now),
            });
        }
        for (index, config) in self.config.counters.iter().enumerate() {
            let start = WorkProfile::of(config);
            let closed = self.counters[index].state == CounterState::Closed;
            if !closed || *self.profile_at(index) != start {
                events.push(self.counter_changed(index, CounterState::Closed, start));
            }
        }
        events.push(EventKind::DayStarted { office_date: today });
        events.into_events()
    }
}

/// The form of a work profile's categories: at least one, none twice.
fn check_profile_form(categories: &[String]) -> Result<(), DomainError> {
    if categories.is_empty() {
        return Err(DomainError::EmptyProfile);
    }
    for (i, category) in categories.iter().enumerate() {
        if categories[..i].contains(category) {
            return Err(DomainError::RepeatedCategory(category.clone()));
        }
    }
    Ok(())
}

/// A copy of `ticket` that has left the office in `state` at `at`.
pub(super) fn finished(ticket: &Ticket, state: TicketState, at: Timestamp) -> Ticket {
    let mut done = ticket.clone();
    done.state = state;
    done.finished_at = Some(at);
    done
}
