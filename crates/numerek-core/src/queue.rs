//! One category's waiting line, kept in calling order: the walk-in tickets (priority first,
//! then the longest waiting) and, apart from them, the tickets of checked-in appointments (the
//! earliest slot first), which are called before walk-ins from their slot's start.

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

/// A waiting appointment ticket's place (see [`Ticket::slot_start`]): the earliest slot
/// first, then the earlier check-in.
///
/// The derived order is the order in which counters call such tickets, in one category and
/// across all the categories of a counter, whatever its `order`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SlotEntry {
    /// When its slot starts, in milliseconds since the Unix epoch: it is due from then.
    pub start_ms: i64,
    /// When it started waiting (its check-in).
    pub key: QueueKey,
    /// The ticket (a final tie-breaker).
    pub id: TicketId,
}

impl SlotEntry {
    /// The entry of a waiting ticket routed by its slot, if it is one.
    pub fn of(ticket: &Ticket) -> Option<Self> {
        ticket.slot_start().map(|start| Self {
            start_ms: start.as_millisecond(),
            key: ticket.queue_key,
            id: ticket.id.clone(),
        })
    }

    /// Whether it is due at `now_ms`: its slot has started.
    pub fn is_due(&self, now_ms: i64) -> bool {
        self.start_ms <= now_ms
    }
}

/// The waiting tickets of one category in calling order.
#[derive(Debug, Clone, Default)]
pub struct CategoryQueue {
    entries: BTreeSet<QueueEntry>,
    priority_count: usize,
    /// The appointment tickets, apart: their order is their slot's.
    slots: BTreeSet<SlotEntry>,
}

impl CategoryQueue {
    /// Puts a waiting ticket in its place, among the walk-ins or the appointment tickets.
    /// Answers whether the tickets the wait estimate replays one by one may have changed.
    pub fn put(&mut self, ticket: &Ticket) -> bool {
        match SlotEntry::of(ticket) {
            Some(entry) => {
                self.slots.insert(entry);
                true
            }
            None => self.insert(QueueEntry::of(ticket)),
        }
    }

    /// Takes a waiting ticket out of its place (it was called, transferred or cancelled).
    pub fn take(&mut self, ticket: &Ticket) {
        match SlotEntry::of(ticket) {
            Some(entry) => {
                self.slots.remove(&entry);
            }
            None => self.remove(&QueueEntry::of(ticket)),
        }
    }

    /// Puts a walk-in ticket in its place. Answers whether the first [`LISTED_PER_LINE`]
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

    /// How many wait, appointment tickets included.
    pub fn len(&self) -> usize {
        self.entries.len() + self.slots.len()
    }

    /// Whether nobody waits.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.slots.is_empty()
    }

    /// How many walk-in tickets wait.
    pub fn walk_in_len(&self) -> usize {
        self.entries.len()
    }

    /// How many priority tickets wait.
    pub fn priority_len(&self) -> usize {
        self.priority_count
    }

    /// The walk-in tickets in calling order.
    pub fn iter(&self) -> impl Iterator<Item = &QueueEntry> {
        self.entries.iter()
    }

    /// The appointment tickets in calling order (due ones first, as their slots start first).
    pub fn slots(&self) -> impl Iterator<Item = &SlotEntry> {
        self.slots.iter()
    }

    /// How many appointment tickets are due at `now_ms`.
    pub fn due_len(&self, now_ms: i64) -> usize {
        self.slots.iter().take_while(|e| e.is_due(now_ms)).count()
    }

    /// How many appointment tickets of this queue are called before `entry`'s: those of earlier
    /// slots (or of its slot, checked in earlier).
    pub fn slots_ahead_of(&self, entry: &SlotEntry) -> usize {
        self.slots.range(..entry).count()
    }

    /// The earliest waiting key of any walk-in ticket here, priority or not: a `front` transfer
    /// goes just ahead of it.
    pub fn earliest_key(&self) -> Option<QueueKey> {
        let first_priority = self.entries.iter().next().filter(|e| e.rank == 0);
        let first_normal = self.entries.iter().nth(self.priority_count);
        first_priority
            .into_iter()
            .chain(first_normal)
            .map(|e| e.key)
            .min()
    }

    /// How many tickets of this queue will be called before the walk-in `entry` if a counter
    /// calls at `now_ms`: the appointment tickets due then, and the walk-ins ahead of it.
    pub fn ahead_of_at(&self, entry: &QueueEntry, now_ms: i64) -> usize {
        self.due_len(now_ms) + self.ahead_of(entry)
    }

    /// How many walk-in tickets of this queue will be called before `entry`.
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
