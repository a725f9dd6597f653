//! Deciding: a command (or the passing of a day) checked against the state and turned into the
//! events it causes, or refused with a [`DomainError`].
//!
//! Nothing here mutates the office, so a refused command changes nothing; the events change the
//! state only when they are applied (`apply`), after the store has decided to keep them.

use super::{Decision, Office, Subject};
use crate::command::{Command, CounterAction, TicketRef, TransferPosition};
use crate::counter::CounterState;
use crate::day::{local_datetime, office_date};
use crate::error::DomainError;
use crate::event::{Event, EventKind};
use crate::ids::{TicketId, TicketNumber};
use crate::queue::CategoryQueue;
use crate::ticket::{QueueKey, Ticket, TicketState};
use jiff::Timestamp;

/// Numbers the events of one decision from the office's next sequence number.
struct EventList {
    next_seq: u64,
    at: Timestamp,
    events: Vec<Event>,
}

impl EventList {
    fn new(office: &Office, at: Timestamp) -> Self {
        Self {
            next_seq: office.seq + 1,
            at,
            events: Vec::new(),
        }
    }

    fn push(&mut self, kind: EventKind) {
        self.events.push(Event {
            seq: self.next_seq,
            at: self.at,
            kind,
        });
        self.next_seq += 1;
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
            Command::Counter { counter, action } => {
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
            events: events.events,
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
        let local = local_datetime(&self.config.office.tz, events.at);
        if !category.hours.is_open_at(local) {
            return Err(DomainError::CategoryClosed(category.id.clone()));
        }
        let issued = self.issued_today(&category.id);
        if let Some(limit) = category.daily_limit
            && issued >= limit
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
                });
            }
        }
        let ticket = Ticket {
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
        };
        events.push(EventKind::TicketIssued { ticket });
        Ok(())
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
                let next = self.next_entries(config, 1).into_iter().next();
                return Ok(self.finish_and_call(events, index, next.map(|e| e.id)));
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
        }
        Ok(status.current.clone())
    }

    /// Emits a `counter.changed` unless the counter is already in `state`.
    fn set_state(&self, events: &mut EventList, index: usize, state: CounterState) {
        if self.counters[index].state != state {
            events.push(EventKind::CounterChanged {
                counter: self.config.counters[index].id.clone(),
                state,
            });
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
    /// Waiting and called tickets are cancelled, open and paused counters close, then
    /// `day.started` resets numbering.
    pub fn day_rollover(&self, now: Timestamp) -> Vec<Event> {
        let today = office_date(&self.config.office.tz, now);
        if today <= self.date {
            return Vec::new();
        }
        let mut events = EventList::new(self, now);
        let mut leftovers: Vec<&Ticket> = self.tickets().filter(|t| !t.state.is_final()).collect();
        leftovers.sort_by_key(|t| (t.issued_category.as_str(), t.number.n));
        for ticket in leftovers {
            events.push(EventKind::TicketCancelled {
                ticket: finished(ticket, TicketState::Cancelled, now),
            });
        }
        for index in 0..self.counters.len() {
            self.set_state(&mut events, index, CounterState::Closed);
        }
        events.push(EventKind::DayStarted { office_date: today });
        events.events
    }
}

/// A copy of `ticket` that has left the office in `state` at `at`.
fn finished(ticket: &Ticket, state: TicketState, at: Timestamp) -> Ticket {
    let mut done = ticket.clone();
    done.state = state;
    done.finished_at = Some(at);
    done
}
