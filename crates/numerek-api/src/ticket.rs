//! A ticket in its three forms: whole with its place in the line (`Ticket`), as the staff feed
//! carries it (`TicketCore`), and as the public sees it (`PublicTicket`, without id and
//! priority).

use crate::appointment::TicketAppointment;
use crate::feedback::TicketFeedback;
use crate::format::{Seconds, TicketNumber, Time, WaitRange};
use serde::{Deserialize, Serialize};

/// Where a ticket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    /// Waiting to be called.
    Waiting,
    /// Called to a counter.
    Called,
    /// Served.
    Done,
    /// Called, and its holder did not come.
    NoShow,
    /// Cancelled by its holder, or at the end of its office day.
    Cancelled,
}

/// A ticket as events of the staff feed carry it (opened with a clerk, manager or admin
/// token): a `Ticket` without `people_ahead`, `estimated_wait_s` and `estimated_wait_range_s`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketCore {
    /// Opaque and unguessable: 128 random bits, base64url (22 characters). Knowing it is the
    /// right to read and cancel the ticket.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub id: String,
    /// Its number, unique in its prefix and office day.
    pub number: TicketNumber,
    /// The category it waits in now (after a transfer, the new one).
    pub category: String,
    /// A priority ticket, called before the others of its category.
    pub priority: bool,
    /// Where it is in its life.
    pub state: TicketState,
    /// When it was taken; kept through transfers.
    pub issued_at: Time,
    /// The current call; null while waiting (also after a transfer).
    #[cfg_attr(feature = "openapi", schema(required))]
    pub called_at: Option<Time>,
    /// When it became `done`, `no_show` or `cancelled`.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub finished_at: Option<Time>,
    /// The counter that called it; null while waiting.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub counter: Option<String>,
    /// Only on a ticket issued at an appointment's check-in: the appointment (its code and
    /// slot start). A walk-in ticket has no such field. Never on the public feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub appointment: Option<TicketAppointment>,
}

/// A whole ticket, as its holder and staff read it: with its place in the line while it waits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ticket {
    /// The ticket.
    #[serde(flatten)]
    pub ticket: TicketCore,
    /// Waiting tickets of its category to be called before it; null unless waiting.
    #[cfg_attr(feature = "openapi", schema(required, minimum = 0))]
    pub people_ahead: Option<u64>,
    /// The estimated wait in whole seconds (the middle of the likely waits); null unless
    /// waiting. See docs/estimation.md.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub estimated_wait_s: Option<Seconds>,
    /// The range of the wait, `[low, high]` in whole seconds around `estimated_wait_s`, that
    /// holds the real wait for about four tickets in five; null unless waiting.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub estimated_wait_range_s: Option<WaitRange>,
    /// Its rating once it is `done` (whether given, until when it may be); null for any other
    /// state.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub feedback: Option<TicketFeedback>,
}

/// A ticket as the public sees it (the public feed, without a clerk, manager or admin token): a
/// `TicketCore` without `id` (the right to cancel it) and `priority` (which can hint at a
/// disability or a pregnancy). Tickets are told apart by `number`, unique within an office day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PublicTicket {
    /// Its number, unique in its prefix and office day.
    pub number: TicketNumber,
    /// The category it waits in now (after a transfer, the new one).
    pub category: String,
    /// Where it is in its life.
    pub state: TicketState,
    /// When it was taken; kept through transfers.
    pub issued_at: Time,
    /// The current call; null while waiting (also after a transfer).
    #[cfg_attr(feature = "openapi", schema(required))]
    pub called_at: Option<Time>,
    /// When it became `done`, `no_show` or `cancelled`.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub finished_at: Option<Time>,
    /// The counter that called it; null while waiting.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub counter: Option<String>,
}

impl From<TicketCore> for PublicTicket {
    /// Leaves out what the public never sees: the id and the priority flag.
    fn from(ticket: TicketCore) -> Self {
        Self {
            number: ticket.number,
            category: ticket.category,
            state: ticket.state,
            issued_at: ticket.issued_at,
            called_at: ticket.called_at,
            finished_at: ticket.finished_at,
            counter: ticket.counter,
        }
    }
}

/// The ticket of a feed event: a `TicketCore` on the staff feed, a `PublicTicket` on the public
/// feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum EventTicket {
    /// On the staff feed.
    Staff(TicketCore),
    /// On the public feed.
    Public(PublicTicket),
}

impl EventTicket {
    /// Turns a staff ticket into the public's, in place: its id and priority flag are left
    /// out, and the rest moves over without a copy.
    pub fn make_public(&mut self) {
        if let Self::Staff(ticket) = self {
            *self = Self::Public(PublicTicket {
                number: std::mem::take(&mut ticket.number),
                category: std::mem::take(&mut ticket.category),
                state: ticket.state,
                issued_at: ticket.issued_at,
                called_at: ticket.called_at,
                finished_at: ticket.finished_at,
                counter: ticket.counter.take(),
            });
        }
    }

    /// Its number.
    pub fn number(&self) -> &TicketNumber {
        match self {
            Self::Staff(ticket) => &ticket.number,
            Self::Public(ticket) => &ticket.number,
        }
    }

    /// Where it is in its life.
    pub fn state(&self) -> TicketState {
        match self {
            Self::Staff(ticket) => ticket.state,
            Self::Public(ticket) => ticket.state,
        }
    }
}

/// The body of `POST /api/v1/tickets`: take a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    /// A category id.
    #[cfg_attr(feature = "openapi", schema(example = "registration"))]
    pub category: String,
    /// Priority service, where the category offers it (400 otherwise). Null or absent: false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<bool>,
    /// One of the office's languages (400 otherwise); stored with the ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}
