//! Reading: the read models of the live state (a ticket with its place and estimate, a
//! counter, the office at a glance) and what a counter would call next.
//!
//! Views take the instant they are made at, because a ticket's estimate and whether a category
//! is open depend on it; nothing here changes the state.

use super::Office;
use crate::config::CounterOrder;
use crate::counter::WorkProfile;
use crate::estimate::{Memo, Plan, Probe, WaitRange};
use crate::ids::TicketId;
use crate::opening::Availability;
use crate::queue::{CategoryQueue, QueueEntry, SlotEntry};
use crate::ticket::{Ticket, TicketState};
use crate::view::{CategoryStatus, CounterView, StatusView, TicketView};
use jiff::Timestamp;

impl Office {
    /// How many tickets were issued in a category today.
    pub fn issued_today(&self, category: &str) -> u32 {
        self.issued.get(category).copied().unwrap_or(0)
    }

    /// The first `limit` waiting tickets a counter with this work profile (a counter's profile
    /// in force is [`Office::profile`]) would call at `now`, in calling order: the
    /// due appointment tickets of its categories (earliest slot first, whatever its order),
    /// then the walk-ins by its order, then (with nobody else to call) the appointment tickets
    /// not yet due.
    pub fn next_entries(
        &self,
        profile: &WorkProfile,
        limit: usize,
        now: Timestamp,
    ) -> Vec<TicketId> {
        let now_ms = now.as_millisecond();
        let mut slots: Vec<&SlotEntry> = profile
            .categories
            .iter()
            .filter_map(|id| self.queues.get(id))
            .flat_map(|q| q.slots().take(limit))
            .collect();
        slots.sort();
        let (due, later): (Vec<&SlotEntry>, Vec<&SlotEntry>) =
            slots.into_iter().partition(|e| e.is_due(now_ms));
        let mut order: Vec<TicketId> = due.into_iter().map(|e| e.id.clone()).collect();
        if order.len() < limit {
            order.extend(
                self.next_walk_ins(profile, limit - order.len())
                    .into_iter()
                    .map(|e| e.id),
            );
        }
        order.extend(later.into_iter().map(|e| e.id.clone()));
        order.truncate(limit);
        order
    }

    /// The first `limit` waiting walk-in tickets a counter with this work profile would call,
    /// by its order.
    fn next_walk_ins(&self, profile: &WorkProfile, limit: usize) -> Vec<QueueEntry> {
        let queues = profile
            .categories
            .iter()
            .filter_map(|id| self.queues.get(id));
        match profile.order {
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
        let ids = self.next_entries(self.profile(counter)?, limit, now);
        if ids.is_empty() {
            return Some(Vec::new());
        }
        let plan = self.call_out(now, &[]);
        Some(
            ids.iter()
                .filter_map(|id| self.ticket_ref(id))
                .map(|ticket| self.view_in(ticket, &plan, now))
                .collect(),
        )
    }

    /// A ticket of today with its live position and, while it waits, its estimate at `now`.
    pub fn ticket_view(&self, id: &TicketId, now: Timestamp) -> Option<TicketView> {
        let ticket = self.ticket_ref(id)?;
        if ticket.state != TicketState::Waiting {
            return Some(TicketView::without_position(ticket.clone()));
        }
        Some(self.view_in(ticket, &self.call_out(now, &[]), now))
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
        Some(self.view_in(ticket, plan, now))
    }

    /// A ticket's view at `now` with its estimate taken from a call-out plan of the whole
    /// office.
    ///
    /// `people_ahead` is what a counter calling now calls first of its category: for a walk-in,
    /// the due appointment tickets and the walk-ins ahead of it; for an appointment ticket, the
    /// appointment tickets of earlier slots (its slot is its place).
    fn view_in(&self, ticket: &Ticket, plan: &Plan, now: Timestamp) -> TicketView {
        if ticket.state != TicketState::Waiting {
            return TicketView::without_position(ticket.clone());
        }
        let queue = self.queues.get(&ticket.category);
        let line = self.category_index(&ticket.category);
        // A ticket waiting in a category no longer configured is in no line: nobody calls it by
        // call-next, and any counter may call it at once by its number.
        let (ahead, wait) = match SlotEntry::of(ticket) {
            Some(entry) => {
                let ahead = queue.map_or(0, |q| q.slots_ahead_of(&entry));
                let wait = line.and_then(|line| plan.slot_call(line, ahead));
                (ahead, wait)
            }
            None => {
                let entry = QueueEntry::of(ticket);
                let walk_ins_ahead = queue.map_or(0, |q| q.ahead_of(&entry));
                let ahead = queue.map_or(0, |q| q.ahead_of_at(&entry, now.as_millisecond()));
                let wait = line.and_then(|line| plan.call(line, walk_ins_ahead));
                (ahead, wait)
            }
        };
        let wait = wait.unwrap_or_default();
        let shown = WaitRange::of(wait);
        TicketView {
            ticket: ticket.clone(),
            people_ahead: Some(ahead),
            estimated_wait_s: Some(shown.estimate_s),
            estimated_wait_range_s: Some([shown.low_s, shown.high_s]),
            wait: Some(wait),
        }
    }

    /// A counter's state and current ticket.
    pub fn counter_view(&self, id: &str) -> Option<CounterView> {
        let index = self.counter_index(id)?;
        let status = &self.counters[index];
        Some(CounterView {
            id: id.to_owned(),
            state: status.state,
            categories: self.profile_at(index).categories.clone(),
            order: self.profile_at(index).order,
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
        let closed_dates = &self.config.office.closed_dates;
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
                let wait = probes.get(index).copied().unwrap_or_default();
                let shown = WaitRange::of(wait);
                // Closed on a closed date too, and when the cut-off refuses a ticket taken now.
                let availability = Availability::at(&category.hours, tz, closed_dates, now, || {
                    self.past_last_call(category, now, shown.estimate_s)
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
                        .map(|limit| self.walk_ins_left(category, limit, now)),
                    estimated_wait_s: shown.estimate_s,
                    estimated_wait_range_s: [shown.low_s, shown.high_s],
                    wait,
                    appointments_today: self.appointments_today(&category.id, now),
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
