//! Reading: the read models of the live state (a ticket with its place and estimate, a
//! counter, the office at a glance) and what a counter would call next.
//!
//! Views take the instant they are made at, because a ticket's estimate and whether a category
//! is open depend on it; nothing here changes the state.

use super::Office;
use crate::config::{CounterConfig, CounterOrder};
use crate::day::local_datetime;
use crate::estimate::{Memo, Plan, Probe, WaitRange};
use crate::ids::TicketId;
use crate::queue::{CategoryQueue, QueueEntry};
use crate::ticket::{Ticket, TicketState};
use crate::view::{CategoryStatus, CounterView, StatusView, TicketView};
use jiff::Timestamp;

impl Office {
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
            .and_then(|line| plan.call(line, ahead))
            .unwrap_or_default();
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
            current: status
                .current
                .as_ref()
                .and_then(|t| self.ticket_ref(t))
                .cloned(),
        })
    }

    /// The office at a glance at instant `now` (which decides whether categories are open).
    pub fn status(&self, now: Timestamp) -> StatusView {
        let local = local_datetime(&self.config.office.tz, now);
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
                CategoryStatus {
                    id: category.id.clone(),
                    prefix: category.prefix.clone(),
                    // Closed too when the cut-off refuses a ticket taken now.
                    open: category.hours.is_open_at(local)
                        && self
                            .past_last_call(category, now, shown.estimate_s)
                            .is_none(),
                    waiting,
                    issued_today,
                    remaining_today: category
                        .daily_limit
                        .map(|limit| limit.saturating_sub(issued_today)),
                    estimated_wait_s: shown.estimate_s,
                    estimated_wait_range_s: [shown.low_s, shown.high_s],
                    wait,
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
