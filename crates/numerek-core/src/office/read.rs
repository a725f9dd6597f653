//! Reading: the read models of the live state (a ticket with its place and estimate, a
//! counter, the office at a glance) and what a counter would call next.
//!
//! Views take the instant they are made at, because a ticket's estimate and whether a category
//! is open depend on it; nothing here changes the state.

use super::Office;
use crate::config::CounterOrder;
use crate::counter::WorkProfile;
use crate::estimate::{Memo, Plan, Probe, whole_seconds};
use crate::ids::TicketId;
use crate::opening::Availability;
use crate::queue::{CategoryQueue, QueueEntry};
use crate::ticket::{Ticket, TicketState};
use crate::view::{CategoryStatus, CounterView, StatusView, TicketView};
use jiff::Timestamp;

impl Office {
    /// How many tickets were issued in a category today.
    pub fn issued_today(&self, category: &str) -> u32 {
        self.issued.get(category).copied().unwrap_or(0)
    }

    /// The first `limit` waiting tickets a counter with this work profile would call, in
    /// calling order (a counter's profile in force is [`Office::profile`]).
    pub fn next_entries(&self, profile: &WorkProfile, limit: usize) -> Vec<QueueEntry> {
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
        let entries = self.next_entries(self.profile(counter)?, limit);
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
