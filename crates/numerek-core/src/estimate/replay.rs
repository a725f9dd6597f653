//! The routing rule as the virtual call-out plays it: what each line offers a counter free at a
//! moment (its next waiting ticket, a foreseen arrival come by then, an appointment ticket or a
//! booking), and which of those the counter calls. The same rule as the office's
//! `call-next`, on the replay's places instead of the queues.

use super::inputs::{Line, Place, Server, SlotPlace};
use std::cell::RefCell;

/// How far ahead foreseen arrivals are played: at most this many seconds.
pub const HORIZON_S: f64 = 12.0 * 3600.0;

/// At most this many foreseen arrivals of one kind in one category.
const MAX_FORESEEN: u32 = 10_000;

/// One kind of foreseen arrival in one line: the j-th arrives at (j + 1) / rate, the expected
/// time of the j-th arrival of a Poisson stream.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stream {
    per_s: f64,
    until_s: f64,
    pub(super) next: u32,
}

impl Stream {
    pub(super) fn new(per_s: f64, until_s: f64) -> Self {
        Self {
            per_s: if per_s.is_finite() { per_s } else { 0.0 },
            until_s: until_s.min(HORIZON_S),
            next: 0,
        }
    }

    /// When the next not yet called arrival comes, if one does.
    pub(super) fn next_at(&self) -> Option<f64> {
        if self.per_s <= 0.0 || self.next >= MAX_FORESEEN {
            return None;
        }
        let at = f64::from(self.next + 1) / self.per_s;
        (at <= self.until_s).then_some(at)
    }
}

/// Where the ticket a line offers comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Waiting,
    /// A ticket behind the listed ones: the replay ends before calling it.
    Unlisted,
    ForeseenPriority,
    ForeseenNormal,
    /// A checked-in appointment ticket.
    Slot,
    /// A booking foreseen to arrive at its slot's start.
    Booking,
}

/// A line during the replay: how far its waiting tickets and foreseen arrivals are called.
#[derive(Debug, Clone)]
pub(super) struct Cursor {
    pub(super) next_waiting: usize,
    pub(super) priority: Stream,
    pub(super) normal: Stream,
    pub(super) next_slot: usize,
    pub(super) next_booking: usize,
}

pub(super) struct Replay<'a> {
    pub(super) now_ms: i64,
    pub(super) lines: &'a [Line],
    pub(super) cursors: Vec<Cursor>,
    /// Each line's head in the current step (asked of several counters), once known.
    pub(super) heads: RefCell<Vec<Option<Head>>>,
}

/// What a line offers a counter: the ticket's place and where it comes from.
pub(super) type Head = Option<(Place, Source)>;

impl Replay<'_> {
    /// A new step (a new instant, or a line's cursor moved): the heads are to be found again.
    pub(super) fn next_step(&mut self) {
        self.heads.get_mut().fill(None);
    }

    /// Seconds from now to a slot's start (negative once it started).
    pub(super) fn start_s(&self, start_ms: i64) -> f64 {
        start_ms.saturating_sub(self.now_ms) as f64 / 1000.0
    }

    /// The first appointment ticket line `l` has for a counter free at `t`: its next checked-in
    /// one, or a booking arrived by then if that comes first.
    fn slot_head(&self, l: usize, t: f64) -> Option<(SlotPlace, Source)> {
        let cursor = &self.cursors[l];
        let line = &self.lines[l];
        let present = line
            .slots
            .get(cursor.next_slot)
            .map(|&place| (place, Source::Slot));
        let arrived = line
            .bookings
            .get(cursor.next_booking)
            .filter(|&&start_ms| self.start_s(start_ms) <= t)
            .map(|&start_ms| (SlotPlace::booking(start_ms), Source::Booking));
        present
            .into_iter()
            .chain(arrived)
            .min_by_key(|(place, _)| *place)
    }

    /// The due appointment ticket `server` calls first at `t`, if any: the earliest slot of
    /// its lines that has started, whatever the server's order.
    fn due_slot(&self, server: &Server, t: f64) -> Option<(usize, Source)> {
        server
            .lines
            .iter()
            .filter_map(|&l| {
                self.slot_head(l, t)
                    .filter(|(place, _)| self.start_s(place.start_ms) <= t)
                    .map(|(place, source)| (place, l, source))
            })
            .min_by_key(|&(place, l, _)| (place, l))
            .map(|(_, l, source)| (l, source))
    }

    /// The checked-in appointment ticket not yet due that `server` calls when it has nobody
    /// else: the earliest slot of its lines.
    fn early_slot(&self, server: &Server) -> Option<(usize, Source)> {
        server
            .lines
            .iter()
            .filter_map(|&l| {
                let place = self.lines[l].slots.get(self.cursors[l].next_slot)?;
                Some((*place, l))
            })
            .min()
            .map(|(_, l)| (l, Source::Slot))
    }

    fn foreseen_place(&self, rank: u8, at_s: f64) -> Place {
        Place {
            rank,
            // At least a millisecond after now: after everybody waiting now, and after probes.
            at_ms: self
                .now_ms
                .saturating_add(((at_s * 1000.0).ceil() as i64).max(1)),
            order: i64::MAX,
        }
    }

    /// The ticket line `l` would give a counter free at `t` (the step's instant), with its
    /// place.
    fn head(&self, l: usize, t: f64) -> Head {
        if let Some(head) = self.heads.borrow()[l] {
            return head;
        }
        let head = self.find_head(l, t);
        self.heads.borrow_mut()[l] = Some(head);
        head
    }

    fn find_head(&self, l: usize, t: f64) -> Head {
        let cursor = &self.cursors[l];
        let line = &self.lines[l];
        let mut best = match line.waiting.get(cursor.next_waiting) {
            Some(&place) => Some((place, Source::Waiting)),
            // The unlisted tickets are behind the last listed one.
            None if line.more > 0 => line.waiting.last().map(|&place| (place, Source::Unlisted)),
            None => None,
        };
        for (stream, rank, source) in [
            (&cursor.priority, 0, Source::ForeseenPriority),
            (&cursor.normal, 1, Source::ForeseenNormal),
        ] {
            if let Some(at) = stream.next_at().filter(|&at| at <= t) {
                let place = self.foreseen_place(rank, at);
                if best.is_none_or(|(b, _)| place < b) {
                    best = Some((place, source));
                }
            }
        }
        best
    }

    /// The routing rule: the line whose ticket `server` calls at `t`, if anyone is there.
    pub(super) fn pick(&self, server: &Server, t: f64) -> Option<(usize, Source)> {
        self.due_slot(server, t)
            .or_else(|| self.pick_walk_in(server, t))
            .or_else(|| self.early_slot(server))
    }

    /// The walk-in ticket `server` calls at `t`, by its order.
    fn pick_walk_in(&self, server: &Server, t: f64) -> Option<(usize, Source)> {
        if server.listed {
            server
                .lines
                .iter()
                .find_map(|&l| self.head(l, t).map(|(_, source)| (l, source)))
        } else {
            server
                .lines
                .iter()
                .filter_map(|&l| self.head(l, t).map(|(place, source)| (place, l, source)))
                .min_by_key(|&(place, l, _)| (place, l))
                .map(|(_, l, source)| (l, source))
        }
    }

    /// Whether `server`, free at `t`, would call a hypothetical ticket at `phantom` in `line`
    /// rather than anything it can call then.
    pub(super) fn prefers_probe(
        &self,
        server: &Server,
        line: usize,
        phantom: Place,
        t: f64,
    ) -> bool {
        if self.due_slot(server, t).is_some() {
            return false;
        }
        let beaten = |l: usize| self.head(l, t).is_none_or(|(place, _)| place > phantom);
        if server.listed {
            for &l in &server.lines {
                if l == line {
                    return beaten(l);
                }
                if self.head(l, t).is_some() {
                    return false;
                }
            }
            false
        } else {
            server.lines.contains(&line) && server.lines.iter().all(|&l| beaten(l))
        }
    }

    /// The next foreseen arrival (a walk-in or a booking) in a line `server` serves (after
    /// `t`, since none is due yet when this is asked).
    pub(super) fn next_arrival(&self, server: &Server) -> Option<f64> {
        server
            .lines
            .iter()
            .flat_map(|&l| {
                let cursor = &self.cursors[l];
                let booking = self.lines[l]
                    .bookings
                    .get(cursor.next_booking)
                    .map(|&start_ms| self.start_s(start_ms));
                [cursor.priority.next_at(), cursor.normal.next_at(), booking]
            })
            .flatten()
            .min_by(f64::total_cmp)
    }
}
