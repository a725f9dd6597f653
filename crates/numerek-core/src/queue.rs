//! One category's waiting line, kept in calling order.

use crate::estimate::LISTED_PER_LINE;
use crate::ids::TicketId;
use crate::ticket::{QueueKey, Ticket};
use std::collections::BTreeSet;

/// A waiting ticket's place: priority tickets sort first, then the longest waiting.
///
/// The derived order *is* the routing order within a category and, across the categories of a
/// `fifo` counter, the routing order of the counter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QueueEntry {
    /// 0 for priority tickets, 1 for the others, so that priority sorts first.
    pub rank: u8,
    /// When it started waiting here.
    pub key: QueueKey,
    /// The ticket (a final tie-breaker that makes every entry unique).
    pub id: TicketId,
}

impl QueueEntry {
    /// The entry of a waiting ticket.
    pub fn of(ticket: &Ticket) -> Self {
        Self {
            rank: u8::from(!ticket.priority),
            key: ticket.queue_key,
            id: ticket.id.clone(),
        }
    }
}

/// The waiting tickets of one category in calling order.
#[derive(Debug, Clone, Default)]
pub struct CategoryQueue {
    entries: BTreeSet<QueueEntry>,
    priority_count: usize,
}

impl CategoryQueue {
    /// Puts a waiting ticket in its place. Answers whether the first [`LISTED_PER_LINE`]
    /// tickets (those the wait estimate replays one by one) may have changed: always, except
    /// for a ticket at the very back of a line already that long.
    pub fn insert(&mut self, entry: QueueEntry) -> bool {
        let behind_the_listed = self.entries.len() >= LISTED_PER_LINE
            && self.entries.last().is_some_and(|last| *last < entry);
        if entry.rank == 0 {
            self.priority_count += 1;
        }
        self.entries.insert(entry);
        !behind_the_listed
    }

    /// Takes a ticket out (it was called, transferred or cancelled).
    pub fn remove(&mut self, entry: &QueueEntry) {
        if self.entries.remove(entry) && entry.rank == 0 {
            self.priority_count -= 1;
        }
    }

    /// How many wait.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nobody waits.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many priority tickets wait.
    pub fn priority_len(&self) -> usize {
        self.priority_count
    }

    /// The ticket to call next from this queue.
    pub fn first(&self) -> Option<&QueueEntry> {
        self.entries.first()
    }

    /// The tickets in calling order.
    pub fn iter(&self) -> impl Iterator<Item = &QueueEntry> {
        self.entries.iter()
    }

    /// The earliest waiting key of any ticket here, priority or not: a `front` transfer goes
    /// just ahead of it.
    pub fn earliest_key(&self) -> Option<QueueKey> {
        let first_priority = self.entries.iter().next().filter(|e| e.rank == 0);
        let first_normal = self.entries.iter().nth(self.priority_count);
        first_priority
            .into_iter()
            .chain(first_normal)
            .map(|e| e.key)
            .min()
    }

    /// How many tickets of this queue will be called before `entry`.
    ///
    /// A new ticket is usually the last of its rank; that case is answered without walking the
    /// queue, so issuing stays cheap however long the line.
    pub fn ahead_of(&self, entry: &QueueEntry) -> usize {
        let last_of_rank = match self.entries.range(entry..).nth(1) {
            None => true,
            Some(next) => next.rank != entry.rank,
        };
        match (last_of_rank, entry.rank) {
            (true, 0) => self.priority_count.saturating_sub(1),
            (true, _) => self.entries.len().saturating_sub(1),
            (false, _) => self.entries.range(..entry).count(),
        }
    }
}
