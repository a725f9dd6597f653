//! A ticket and its life: waiting → called → done / no_show, or back to waiting by transfer,
//! or cancelled while waiting (and, at the end of the day, while called).

use crate::appointment::TicketAppointment;
use crate::feedback::Score;
use crate::ids::{TicketId, TicketNumber};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Where a ticket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    /// In a category's queue.
    Waiting,
    /// Called to a counter and not yet finished.
    Called,
    /// Served.
    Done,
    /// Called, but the citizen did not come.
    NoShow,
    /// Withdrawn by the citizen, or left over at the end of the office day.
    Cancelled,
}

impl TicketState {
    /// The wire name, as in the API (`no_show`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Called => "called",
            Self::Done => "done",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
        }
    }

    /// Whether the ticket's life is over.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Done | Self::NoShow | Self::Cancelled)
    }
}

/// A ticket's place in the order of waiting: earlier keys wait longer.
///
/// `at_ms` is when it started waiting in its current queue; `order` breaks ties in the order
/// the office saw the events. A `front` transfer takes the key just below the front ticket's.
///
/// Tickets entering a queue normally take orders [`QueueKey::ORDER_STEP`] apart, so that the
/// orders just below one belong to no other ticket. Without that room, a `front` transfer would
/// tie with a ticket of another category that entered just before the front ticket at the same
/// instant (the store runs a whole batch of commands at one instant), and a fifo counter serving
/// both would order the two by their random ids instead of putting the transferred ticket just
/// ahead of the front ticket, as the spec says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QueueKey {
    /// Milliseconds since the Unix epoch when the ticket started waiting in its queue.
    pub at_ms: i64,
    /// Tie-breaker: a counter the office increases by [`QueueKey::ORDER_STEP`] for every ticket
    /// entering a queue at the back; `front` transfers take the orders in between.
    pub order: i64,
}

impl QueueKey {
    /// The room between the orders of two tickets entering queues one after the other: this
    /// many `front` transfers in a row ahead of one ticket still get keys of their own.
    pub const ORDER_STEP: i64 = 1 << 20;

    /// The order a ticket entering a queue at the back takes once `order` is taken: the next
    /// multiple of [`QueueKey::ORDER_STEP`] above it.
    pub fn next_order_after(order: i64) -> i64 {
        (order.div_euclid(Self::ORDER_STEP) + 1) * Self::ORDER_STEP
    }
}

/// One ticket, with everything the office keeps about it.
///
/// Nothing personal: a ticket knows its category and times, never who holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// The opaque id; knowing it is the right to follow and cancel the ticket.
    pub id: TicketId,
    /// The human number, unique in its category and office day.
    pub number: TicketNumber,
    /// The office day it was issued on.
    pub office_date: Date,
    /// The sequence number of the event that issued it: the office-wide order of issue, which
    /// orders stored tickets and reports.
    pub issue_seq: u64,
    /// The category it was issued in; it counts there for limits and reports.
    pub issued_category: String,
    /// The category it waits in now (differs from `issued_category` after a transfer).
    pub category: String,
    /// Priority tickets are called before the others of their queue.
    pub priority: bool,
    /// The language the citizen chose at the kiosk, if any.
    pub language: Option<String>,
    /// Where it is in its life.
    pub state: TicketState,
    /// When it was issued.
    pub issued_at: Timestamp,
    /// The call of its current visit to a counter (null again after a transfer).
    pub called_at: Option<Timestamp>,
    /// Its very first call, kept across transfers: the end of its wait for reports.
    pub first_called_at: Option<Timestamp>,
    /// Its latest call or recall: the start of its service for reports.
    pub last_called_at: Option<Timestamp>,
    /// The sequence number of the event of its latest call or recall (0 before any).
    ///
    /// The store's writer runs a batch of commands at one instant, so calls often share
    /// `last_called_at`; this keeps their order, so that an office restored from its tickets
    /// lists `recent_calls` newest first exactly as the office that stored them did. Tickets
    /// stored before the field existed read as 0 and fall back to the order of their times.
    #[serde(default)]
    pub last_call_seq: u64,
    /// When it became done, no-show or cancelled.
    pub finished_at: Option<Timestamp>,
    /// The counter holding it now (null while waiting).
    pub counter: Option<String>,
    /// The counter of its latest call, kept after a transfer: reports group by it.
    pub last_counter: Option<String>,
    /// How often it was recalled.
    pub recalls: u32,
    /// The category it was last transferred from.
    pub transferred_from: Option<String>,
    /// Its place in the order of waiting.
    pub queue_key: QueueKey,
    /// The appointment it was issued for at a check-in; `None` for a walk-in ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<TicketAppointment>,
    /// The rating its holder gave the visit, once `done` ([`crate::feedback`]): the score
    /// alone, with nothing about when or from where it was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Score>,
}

impl Ticket {
    /// The slot start this ticket is routed by, if it is: an appointment's ticket that has not
    /// been called yet is due from its slot's start and called before walk-ins then.
    ///
    /// Its first call keeps the booking's promise. After that (a transfer puts it back in a
    /// line) it waits like any transferred ticket, where the clerk's `front` or `back` puts it.
    pub fn slot_start(&self) -> Option<Timestamp> {
        match (&self.appointment, self.first_called_at) {
            (Some(appointment), None) => Some(appointment.start),
            _ => None,
        }
    }
}
