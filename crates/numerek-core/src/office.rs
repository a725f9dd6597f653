//! The office's live state for one office day, and the state machine that changes it.
//!
//! Two steps, kept apart on purpose:
//! - [`Office::decide`] checks a command against the state and answers the events it causes, or a
//!   [`DomainError`]; it changes nothing.
//! - [`Office::apply`] changes the state by one event. It is the only mutation, so a writer, a
//!   read-only copy fed the same events, and a restart from stored tickets all agree.

use crate::command::{Command, CounterAction, TicketRef, TransferPosition};
use crate::config::{CategoryConfig, CounterConfig, CounterOrder, OfficeConfig};
use crate::counter::{CounterState, CounterStatus};
use crate::day::{local_datetime, office_date};
use crate::error::DomainError;
use crate::estimate::{
    self, Arrivals, IssueLog, LISTED_PER_LINE, Line, LineKey, Memo, Place, Plan, Probe, ReplayKey,
    Server, ServiceStats, whole_seconds,
};
use crate::event::{Event, EventKind};
use crate::ids::{TicketId, TicketNumber};
use crate::opening::{Availability, Opening};
use crate::queue::{CategoryQueue, QueueEntry};
use crate::sharded::ShardedMap;
use crate::ticket::{QueueKey, Ticket, TicketState};
use crate::view::{CategoryStatus, CounterView, RecentCall, StatusView, TicketView};
use jiff::Timestamp;
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
    /// estimate's replay lists): part of the call-out's [`ReplayKey`].
    fronts: u64,
}

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
    /// A fresh office on `office_date` with nothing issued and every counter closed.
    pub fn new(config: Arc<OfficeConfig>, office_date: Date) -> Self {
        Self::restore(
            config,
            Restored {
                office_date,
                seq: 0,
                tickets: Vec::new(),
                counter_states: Vec::new(),
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
            counters: vec![CounterStatus::default(); config.counters.len()],
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
        };
        for (id, state) in restored.counter_states {
            if let Some(index) = office.counter_index(&id) {
                office.counters[index].state = state;
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

    // ----- deciding ---------------------------------------------------------------------------

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
        let tz = &self.config.office.tz;
        if !category.hours.is_open_at(local_datetime(tz, events.at)) {
            return Err(DomainError::CategoryClosed {
                category: category.id.clone(),
                opens: Opening::of_closed(&category.hours, tz, events.at),
            });
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
            let wait_s = self.estimate_new(index, priority, events.at);
            if let Some(last_call) = self.past_last_call(category, events.at, wait_s) {
                return Err(DomainError::CutOff {
                    category: category.id.clone(),
                    wait_min: (wait_s / 60.0).ceil() as u32,
                    last_call,
                    opens: Opening::after_today(&category.hours, tz, events.at),
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

    // ----- applying ---------------------------------------------------------------------------

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
            EventKind::CounterChanged { counter, state } => {
                if let Some(index) = self.counter_index(counter) {
                    self.counters[index].state = *state;
                }
            }
            EventKind::DayStarted { office_date } => self.start_day(*office_date),
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

    /// Stores a ticket's new version and moves it between queues and counters to match.
    fn put_ticket(&mut self, ticket: Ticket) {
        if let Some(old) = self.tickets.get(&ticket.id) {
            if old.state == TicketState::Waiting
                && let Some(queue) = self.queues.get_mut(&old.category)
            {
                queue.remove(&QueueEntry::of(old));
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
            entry(&mut self.issues, &ticket.issued_category)
                .record(ticket.issued_at.as_millisecond(), ticket.priority);
            let last = entry(&mut self.last_number, &ticket.number.prefix);
            *last = (*last).max(ticket.number.n);
        }
        match ticket.state {
            TicketState::Waiting => {
                if let Some(queue) = self.queues.get_mut(&ticket.category)
                    && queue.insert(QueueEntry::of(&ticket))
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
            TicketState::Done | TicketState::NoShow | TicketState::Cancelled => {}
        }
        self.next_order = self
            .next_order
            .max(QueueKey::next_order_after(ticket.queue_key.order));
        self.tickets.insert(ticket.id.clone(), Box::new(ticket));
    }

    fn note_call(&mut self, ticket: &Ticket, counter: &str, at: Timestamp) {
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
    fn record_service(&mut self, ticket: &Ticket) {
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
        for queue in self.queues.values_mut() {
            *queue = CategoryQueue::default();
        }
        for counter in &mut self.counters {
            counter.current = None;
        }
    }

    // ----- reading ----------------------------------------------------------------------------

    fn counter_index(&self, id: &str) -> Option<usize> {
        self.config.counters.iter().position(|c| c.id == id)
    }

    /// How many tickets were issued in a category today.
    pub fn issued_today(&self, category: &str) -> u32 {
        self.issued.get(category).copied().unwrap_or(0)
    }

    /// The first `limit` waiting tickets a counter would call, in calling order.
    pub fn next_entries(&self, counter: &CounterConfig, limit: usize) -> Vec<QueueEntry> {
        let queues = counter
            .categories
            .iter()
            .filter_map(|id| self.queues.get(id));
        match counter.order {
            CounterOrder::Listed => queues.flat_map(|q| q.iter()).take(limit).cloned().collect(),
            CounterOrder::Fifo => {
                let mut merged: Vec<QueueEntry> =
                    queues.flat_map(|q| q.iter().take(limit)).cloned().collect();
                merged.sort();
                merged.truncate(limit);
                merged
            }
        }
    }

    /// The first (up to `limit`) waiting tickets a counter would call, with their positions and
    /// estimates at `now`.
    pub fn next_for_counter(
        &self,
        counter: &str,
        limit: usize,
        now: Timestamp,
    ) -> Option<Vec<TicketView>> {
        let config = self.config.counter(counter)?;
        let entries = self.next_entries(config, limit);
        if entries.is_empty() {
            return Some(Vec::new());
        }
        let plan = self.call_out(now, &[]);
        Some(
            entries
                .iter()
                .filter_map(|entry| self.ticket_ref(&entry.id))
                .map(|ticket| self.view_in(ticket, &plan))
                .collect(),
        )
    }

    /// A ticket of today with its live position and, while it waits, its estimate at `now`.
    pub fn ticket_view(&self, id: &TicketId, now: Timestamp) -> Option<TicketView> {
        let ticket = self.ticket_ref(id)?;
        if ticket.state != TicketState::Waiting {
            return Some(TicketView::without_position(ticket.clone()));
        }
        Some(self.view_in(ticket, &self.call_out(now, &[])))
    }

    /// [`Office::ticket_view`], replaying the call-out only when `memo`'s last plan no longer
    /// holds: the writer answers a burst of issued tickets with one replay.
    pub fn ticket_view_memo(
        &self,
        id: &TicketId,
        now: Timestamp,
        memo: &mut Memo,
    ) -> Option<TicketView> {
        let ticket = self.ticket_ref(id)?;
        if ticket.state != TicketState::Waiting {
            return Some(TicketView::without_position(ticket.clone()));
        }
        let plan = memo.plan(self.replay_key(now), || self.call_out(now, &[]));
        Some(self.view_in(ticket, plan))
    }

    /// A ticket's view with its estimate taken from a call-out plan of the whole office.
    fn view_in(&self, ticket: &Ticket, plan: &Plan) -> TicketView {
        if ticket.state != TicketState::Waiting {
            return TicketView::without_position(ticket.clone());
        }
        let ahead = self
            .queues
            .get(&ticket.category)
            .map_or(0, |q| q.ahead_of(&QueueEntry::of(ticket)));
        // A ticket waiting in a category no longer configured is in no line: nobody calls it by
        // call-next, and any counter may call it at once by its number.
        let wait = self
            .category_index(&ticket.category)
            .and_then(|line| plan.call_s(line, ahead))
            .unwrap_or(0.0);
        TicketView {
            ticket: ticket.clone(),
            people_ahead: Some(ahead),
            estimated_wait_s: Some(whole_seconds(wait)),
        }
    }

    // ----- estimating ---------------------------------------------------------------------------

    fn category_index(&self, id: &str) -> Option<usize> {
        self.config.categories.iter().position(|c| c.id == id)
    }

    /// The estimated wait, in whole seconds, of a ticket issued at `now` in the category at
    /// `index` (at the back of the priority tickets, or of everybody).
    fn estimate_new(&self, index: usize, priority: bool, now: Timestamp) -> f64 {
        let probe = Probe {
            line: index,
            priority,
        };
        whole_seconds(self.call_out(now, &[probe]).probes[0])
    }

    /// The cut-off: when a ticket of `category` taken at `now` and called `wait_s` later would
    /// be called after the last call of the day (issuing closes, plus `cutoff_min`), that last
    /// call as local `HH:MM`. `None`: no cut-off, or the call comes in time.
    fn past_last_call(
        &self,
        category: &CategoryConfig,
        now: Timestamp,
        wait_s: f64,
    ) -> Option<String> {
        let cutoff_min = category.cutoff_min?;
        let tz = &self.config.office.tz;
        let local = local_datetime(tz, now);
        let close_min = category.hours.closing_min(local.weekday())?;
        let last_call = local
            .date()
            .at(0, 0, 0, 0)
            .checked_add(jiff::SignedDuration::from_mins(i64::from(
                u32::from(close_min) + cutoff_min,
            )))
            .ok()?;
        let call = local_datetime(
            tz,
            now.checked_add(jiff::SignedDuration::try_from_secs_f64(wait_s).ok()?)
                .ok()?,
        );
        (call > last_call).then(|| format!("{:02}:{:02}", last_call.hour(), last_call.minute()))
    }

    /// Plays today forward from `now` (see [`crate::estimate::callout`]): the expected call time
    /// of every waiting ticket and of every probe.
    fn call_out(&self, now: Timestamp, probes: &[Probe]) -> Plan {
        let (lines, servers) = self.replay_inputs(now);
        estimate::call_out(now.as_millisecond(), &lines, &servers, probes)
    }

    /// What the call-out replays at `now`: every category's line and every open counter.
    fn replay_inputs(&self, now: Timestamp) -> (Vec<Line>, Vec<Server>) {
        let local = local_datetime(&self.config.office.tz, now);
        let lines: Vec<Line> = self
            .config
            .categories
            .iter()
            .map(|category| {
                let queue = self.queues.get(&category.id);
                let waiting: Vec<Place> = queue
                    .map(|q| q.iter().take(LISTED_PER_LINE).map(Place::of).collect())
                    .unwrap_or_default();
                Line {
                    more: queue.map_or(0, CategoryQueue::len) - waiting.len(),
                    waiting,
                    service_s: self.expected_call_s(category, 0.0),
                    arrivals: self.foreseen_arrivals(category, now, local),
                }
            })
            .collect();
        (lines, self.servers(now))
    }

    /// What a replay at `now` depends on besides the lines' first tickets, which
    /// [`Office::fronts`] stands for: cheap to make, so that a burst of issued tickets is
    /// answered from one replay.
    fn replay_key(&self, now: Timestamp) -> ReplayKey {
        let local = local_datetime(&self.config.office.tz, now);
        ReplayKey {
            now_ms: now.as_millisecond(),
            fronts: self.fronts,
            lines: self
                .config
                .categories
                .iter()
                .map(|category| {
                    LineKey::of(
                        self.waiting_in(&category.id),
                        self.expected_call_s(category, 0.0),
                        self.foreseen_arrivals(category, now, local),
                    )
                })
                .collect(),
            servers: self.servers(now),
        }
    }

    /// The open counters, each free when its current call is expected to end.
    fn servers(&self, now: Timestamp) -> Vec<Server> {
        self.config
            .counters
            .iter()
            .zip(&self.counters)
            .filter(|(_, status)| status.state == CounterState::Open)
            .map(|(config, status)| Server {
                lines: config
                    .categories
                    .iter()
                    .filter_map(|id| self.category_index(id))
                    .collect(),
                listed: config.order == CounterOrder::Listed,
                free_in_s: status
                    .current
                    .as_ref()
                    .and_then(|id| self.ticket_ref(id))
                    .map_or(0.0, |ticket| self.remaining_call_s(ticket, now)),
            })
            .collect()
    }

    /// The expected counter time of a call of `category` that has run `elapsed_s` already.
    fn expected_call_s(&self, category: &CategoryConfig, elapsed_s: f64) -> f64 {
        let prior = f64::from(category.expected_service_s);
        match self.service.get(&category.id) {
            Some(stats) => stats.remaining_s(elapsed_s, prior),
            None => ServiceStats::default().remaining_s(elapsed_s, prior),
        }
    }

    /// How much longer a counter is expected to be busy with the ticket it called.
    fn remaining_call_s(&self, ticket: &Ticket, now: Timestamp) -> f64 {
        let Some(category) = self.config.category(&ticket.category) else {
            return 0.0;
        };
        let elapsed = ticket
            .last_called_at
            .map_or(0.0, |at| now.duration_since(at).as_secs_f64());
        self.expected_call_s(category, elapsed)
    }

    /// The tickets of `category` to expect from `now` until its issuing closes today.
    fn foreseen_arrivals(
        &self,
        category: &CategoryConfig,
        now: Timestamp,
        local: jiff::civil::DateTime,
    ) -> Arrivals {
        let (Some(hours), Some(log)) = (
            category.hours.day(local.weekday()),
            self.issues.get(&category.id),
        ) else {
            return Arrivals::default();
        };
        let second_of_day = f64::from(local.hour()) * 3600.0
            + f64::from(local.minute()) * 60.0
            + f64::from(local.second());
        log.forecast(
            now.as_millisecond(),
            second_of_day - f64::from(hours.open_min) * 60.0,
            f64::from(hours.close_min) * 60.0 - second_of_day,
        )
    }

    /// A counter's state and current ticket.
    pub fn counter_view(&self, id: &str) -> Option<CounterView> {
        let index = self.counter_index(id)?;
        let status = &self.counters[index];
        Some(CounterView {
            id: id.to_owned(),
            state: status.state,
            current: status
                .current
                .as_ref()
                .and_then(|t| self.ticket_ref(t))
                .cloned(),
        })
    }

    /// The office at a glance at instant `now` (which decides whether categories are open).
    pub fn status(&self, now: Timestamp) -> StatusView {
        let tz = &self.config.office.tz;
        let back_of_each: Vec<Probe> = (0..self.config.categories.len())
            .map(|line| Probe {
                line,
                priority: false,
            })
            .collect();
        let probes = self.call_out(now, &back_of_each).probes;
        let categories = self
            .config
            .categories
            .iter()
            .enumerate()
            .map(|(index, category)| {
                let waiting = self.queues.get(&category.id).map_or(0, CategoryQueue::len);
                let issued_today = self.issued_today(&category.id);
                let estimated_wait_s = probes.get(index).copied().map_or(0.0, whole_seconds);
                // Closed too when the cut-off refuses a ticket taken now.
                let availability = Availability::at(&category.hours, tz, now, || {
                    self.past_last_call(category, now, estimated_wait_s)
                        .is_some()
                });
                CategoryStatus {
                    id: category.id.clone(),
                    prefix: category.prefix.clone(),
                    open: availability.is_open(),
                    closed: availability.closed,
                    opens_at: availability.opens_at,
                    waiting,
                    issued_today,
                    remaining_today: category
                        .daily_limit
                        .map(|limit| limit.saturating_sub(issued_today)),
                    estimated_wait_s,
                }
            })
            .collect();
        StatusView {
            seq: self.seq,
            office_date: self.date,
            categories,
            counters: self
                .config
                .counters
                .iter()
                .filter_map(|c| self.counter_view(&c.id))
                .collect(),
            recent_calls: self.recent_calls.iter().cloned().collect(),
        }
    }

    /// How many tickets wait in a category.
    pub fn waiting_in(&self, category: &str) -> usize {
        self.queues.get(category).map_or(0, CategoryQueue::len)
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

/// A copy of `ticket` that has left the office in `state` at `at`.
fn finished(ticket: &Ticket, state: TicketState, at: Timestamp) -> Ticket {
    let mut done = ticket.clone();
    done.state = state;
    done.finished_at = Some(at);
    done
}
