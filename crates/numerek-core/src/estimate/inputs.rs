//! What the virtual call-out is given: the office's lines (with the places of their waiting
//! tickets, walk-in and appointment), its open counters, and the probes asked about.

use super::arrivals::Arrivals;
use super::distribution::Moments;
use crate::queue::{QueueEntry, SlotEntry};

/// A ticket's place in the routing order; smaller is called first.
///
/// The same order as [`QueueEntry`]: priority (rank 0) before the others, then the moment it
/// started waiting, then the office's tie-breaker. Foreseen arrivals wait from their expected
/// arrival, after everybody waiting now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    /// 0 for priority, 1 for the others.
    pub rank: u8,
    /// When it started waiting, in milliseconds since the epoch.
    pub at_ms: i64,
    /// The tie-breaker of its [`crate::QueueKey`].
    pub order: i64,
}

impl Place {
    /// The place of a waiting ticket.
    pub fn of(entry: &QueueEntry) -> Self {
        Self {
            rank: entry.rank,
            at_ms: entry.key.at_ms,
            order: entry.key.order,
        }
    }
}

/// A waiting appointment ticket's place in the replay: the same order as [`SlotEntry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SlotPlace {
    /// When its slot starts, in milliseconds since the epoch: it is due from then.
    pub start_ms: i64,
    /// When it checked in (the moment of its queue key).
    pub at_ms: i64,
    /// The tie-breaker of its [`crate::QueueKey`].
    pub order: i64,
}

impl SlotPlace {
    /// The place of a waiting appointment ticket.
    pub fn of(entry: &SlotEntry) -> Self {
        Self {
            start_ms: entry.start_ms,
            at_ms: entry.key.at_ms,
            order: entry.key.order,
        }
    }

    /// The place of a booking foreseen to arrive at its slot's start: after every ticket of
    /// that slot already checked in.
    pub(super) fn booking(start_ms: i64) -> Self {
        Self {
            start_ms,
            at_ms: i64::MAX,
            order: i64::MAX,
        }
    }
}

/// One category's line, as the replay sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    /// The first waiting tickets in calling order (the order of its queue), at most
    /// [`super::LISTED_PER_LINE`] of them.
    pub waiting: Vec<Place>,
    /// How many more wait behind those.
    pub more: usize,
    /// The counter time of one call of this category: its mean (the replay's step) and its
    /// variance.
    pub service: Moments,
    /// How uncertain the mean of `service` itself is (its variance): every call of the line
    /// shares it, so `n` calls vary by `n²` times it.
    pub mean_var_s2: f64,
    /// The tickets foreseen to arrive.
    pub arrivals: Arrivals,
    /// The checked-in appointment tickets waiting, in their order (every one of them).
    pub slots: Vec<SlotPlace>,
    /// The slot starts (milliseconds since the epoch, ascending, none before now) of the day's
    /// bookings not yet checked in: each is foreseen to arrive at its start, due at once.
    pub bookings: Vec<i64>,
}

/// One open counter.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The lines (indexes into the replay's lines) it serves, in its configured order.
    pub lines: Vec<usize>,
    /// `order = "listed"`: the first listed line with anyone waiting; else fifo across lines.
    pub listed: bool,
    /// When it becomes free, in seconds from now (0: free now), with the variance of that.
    pub free_in: Moments,
}

/// A hypothetical ticket whose call time is asked for: at the back of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// The line it would wait in.
    pub line: usize,
    /// Whether it is a priority ticket (at the back of the priority tickets).
    pub priority: bool,
}
