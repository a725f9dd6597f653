//! The office at a glance (`GET /api/v1/status`, and the feed's snapshot), and a counter's
//! state in it.

use crate::format::{Seconds, TicketNumber, Time, WaitRange};
use crate::ticket::TicketState;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The office at a glance. Counters' current tickets carry their id for staff only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Status {
    /// The sequence number of the last event.
    pub seq: u64,
    /// The current office day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub office_date: Date,
    /// Every category, in the order of the office file.
    pub categories: Vec<CategoryStatus>,
    /// Every counter, in the order of the office file.
    pub counters: Vec<CounterState>,
    /// Calls and recalls, newest first, a ticket at most once.
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub recent_calls: Vec<RecentCall>,
}

/// Why a category issues no ticket now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClosedReason {
    /// Outside its issuing hours.
    Hours,
    /// Within them, but the queue would not be served before the last call of the day.
    CutOff,
}

/// One category's line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryStatus {
    /// The category's id.
    pub id: String,
    /// Its prefix.
    pub prefix: String,
    /// Whether the category issues tickets now.
    pub open: bool,
    /// Why the category issues no ticket now: `hours` (outside its issuing hours) or `cut_off`
    /// (within them, but the queue would not be served before the last call of the day); null
    /// while open.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub closed_reason: Option<ClosedReason>,
    /// While closed: the next instant it issues tickets (RFC 3339 in the office's zone), with
    /// the next day's hours after a cut-off; null while open, and when its hours never open.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub opens_at: Option<Time>,
    /// Tickets waiting in it now.
    pub waiting: u64,
    /// Tickets issued in it today.
    pub issued_today: u32,
    /// How many more may be issued today; null without a daily limit.
    #[cfg_attr(feature = "openapi", schema(required, minimum = 0))]
    pub remaining_today: Option<u32>,
    /// The estimate for a ticket taken now, in whole seconds (the middle of the likely waits).
    pub estimated_wait_s: Seconds,
    /// The range of that wait, `[low, high]` in whole seconds, that holds the real wait for
    /// about four tickets in five.
    pub estimated_wait_range_s: WaitRange,
    /// Today's booked visits still to come: booked and not yet missed, or checked in and not
    /// yet called. 0 in a category that takes no bookings.
    #[serde(default)]
    pub appointments_today: u64,
}

/// A counter's mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CounterStateName {
    /// Not serving.
    Closed,
    /// Serving.
    Open,
    /// On a break.
    Paused,
}

/// A counter's entry in `Status.counters`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CounterState {
    /// The counter's id.
    pub id: String,
    /// Its mode.
    pub state: CounterStateName,
    /// The ticket the counter holds, or null: `{number, state}` for the public, with `id` for
    /// staff.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub current: Option<CurrentTicket>,
    /// The categories it serves now (its work profile in force), in its order of preference
    /// when `order` is `listed`.
    pub categories: Vec<String>,
    /// How it chooses among them now.
    pub order: CounterOrder,
}

/// How a counter chooses the next ticket among its categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CounterOrder {
    /// Priority first, then the longest wait across all its categories.
    #[default]
    Fifo,
    /// The first listed category with anyone waiting; within it priority, then longest wait.
    Listed,
}

/// The ticket a counter holds, in the form of its audience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum CurrentTicket {
    /// For staff (a clerk, manager or admin token): with the ticket's id.
    #[cfg_attr(feature = "openapi", schema(title = "StaffCurrentTicket"))]
    Staff(StaffCurrentTicket),
    /// For the public: the number and state, never the id.
    #[cfg_attr(feature = "openapi", schema(title = "PublicCurrentTicket"))]
    Public(PublicCurrentTicket),
}

impl CurrentTicket {
    /// Its number.
    pub fn number(&self) -> &TicketNumber {
        match self {
            Self::Staff(ticket) => &ticket.number,
            Self::Public(ticket) => &ticket.number,
        }
    }
}

/// A counter's ticket for staff (a clerk, manager or admin token): with the ticket's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffCurrentTicket {
    /// The ticket's id.
    pub id: String,
    /// Its number.
    pub number: TicketNumber,
    /// Its state (`called`).
    pub state: TicketState,
}

/// A counter's ticket for the public: the number and state, never the id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PublicCurrentTicket {
    /// Its number.
    pub number: TicketNumber,
    /// Its state (`called`).
    pub state: TicketState,
}

/// One announced call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecentCall {
    /// The ticket's number.
    pub number: TicketNumber,
    /// The counter that called it.
    pub counter: String,
    /// When it was called (or recalled).
    pub called_at: Time,
}
