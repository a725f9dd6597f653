//! Read models: what the status endpoint, the ticket page and a counter terminal see.
//! They are domain values; the server turns them into its wire format.

use crate::config::CounterOrder;
use crate::counter::CounterState;
use crate::estimate::Moments;
use crate::ids::{TicketId, TicketNumber};
use crate::opening::ClosedReason;
use crate::ticket::Ticket;
use jiff::Timestamp;
use jiff::civil::Date;

/// A ticket with its live position while it waits.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketView {
    /// The ticket.
    pub ticket: Ticket,
    /// Waiting tickets of its category called before it (only while waiting).
    pub people_ahead: Option<usize>,
    /// Estimated seconds until its call, the median (only while waiting).
    pub estimated_wait_s: Option<f64>,
    /// Seconds until its call for about four tickets in five, `[low, high]` (only while
    /// waiting).
    pub estimated_wait_range_s: Option<[f64; 2]>,
    /// The mean and variance of its wait, which the estimate and the range are drawn from
    /// (only while waiting).
    pub wait: Option<Moments>,
}

impl TicketView {
    /// A view of a ticket that is not waiting, or is no longer in the live office (an earlier
    /// day's ticket read from the store).
    pub fn without_position(ticket: Ticket) -> Self {
        Self {
            ticket,
            people_ahead: None,
            estimated_wait_s: None,
            estimated_wait_range_s: None,
            wait: None,
        }
    }
}

/// One category's line, as the kiosk and the lobby show it.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryStatus {
    /// The category's id.
    pub id: String,
    /// Its prefix.
    pub prefix: String,
    /// Whether a ticket can be taken now: within the issuing hours, and not refused by the
    /// cut-off (`cutoff_min`) for a non-priority ticket.
    pub open: bool,
    /// Why it is closed; `None` while open.
    pub closed: Option<ClosedReason>,
    /// While closed: the next instant it issues (`None` when its hours never open).
    pub opens_at: Option<Timestamp>,
    /// How many tickets wait in it now (transferred ones included).
    pub waiting: usize,
    /// How many tickets were issued in it today.
    pub issued_today: u32,
    /// How many more walk-in tickets may be issued today (the limit less the tickets issued
    /// and the bookings still expected today); `None` without a daily limit.
    pub remaining_today: Option<u32>,
    /// The estimated wait of a ticket taken now (the median).
    pub estimated_wait_s: f64,
    /// The range of that wait that holds about four tickets in five, `[low, high]`.
    pub estimated_wait_range_s: [f64; 2],
    /// The mean and variance of that wait, which the estimate and the range are drawn from.
    pub wait: Moments,
    /// Today's visits booked in it and not yet called: bookings still expected, and checked-in
    /// visits waiting for their first call.
    pub appointments_today: usize,
}

/// A counter's state with its current ticket and its work profile.
#[derive(Debug, Clone, PartialEq)]
pub struct CounterView {
    /// The counter's id.
    pub id: String,
    /// Its mode.
    pub state: CounterState,
    /// The categories it serves now (its work profile in force).
    pub categories: Vec<String>,
    /// How it chooses among them now.
    pub order: CounterOrder,
    /// Its called ticket, if any.
    pub current: Option<Ticket>,
}

/// One announced call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentCall {
    /// The ticket called.
    pub ticket: TicketId,
    /// Its number.
    pub number: TicketNumber,
    /// The counter that called it.
    pub counter: String,
    /// When it was called (or recalled).
    pub called_at: Timestamp,
}

/// The office at a glance.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusView {
    /// The sequence number of the last event this view includes.
    pub seq: u64,
    /// The current office day.
    pub office_date: Date,
    /// Every category, in configuration order.
    pub categories: Vec<CategoryStatus>,
    /// Every counter, in configuration order.
    pub counters: Vec<CounterView>,
    /// The latest calls and recalls, newest first, at most [`crate::RECENT_CALLS`], a ticket once.
    pub recent_calls: Vec<RecentCall>,
}
