//! A ticket and its life: waiting → called → done / no_show, or back to waiting by transfer,
//! or cancelled while waiting (and, at the end of the day, while called).

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QueueKey {
    /// Milliseconds since the Unix epoch when the ticket started waiting in its queue.
    pub at_ms: i64,
    /// Tie-breaker: a counter the office increases for every ticket entering a queue.
    pub order: i64,
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
}
