//! Events: every change of the office's state, numbered by one office-wide sequence.
//!
//! Events are the only way state changes ([`crate::Office::apply`]), so the writer's state, the
//! readers' copy and a restart all agree. Ticket events carry the whole ticket as it is after the
//! change, which makes applying them trivial and storing them self-contained.

use crate::appointment::Appointment;
use crate::config::CounterOrder;
use crate::counter::CounterState;
use crate::ticket::Ticket;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One numbered change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Its place in the office-wide sequence: 1, 2, 3, … without gaps.
    pub seq: u64,
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    pub kind: EventKind,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A kiosk issued a ticket.
    TicketIssued {
        /// The new ticket.
        ticket: Ticket,
    },
    /// A counter called a ticket.
    TicketCalled {
        /// The ticket after the call.
        ticket: Ticket,
        /// The calling counter.
        counter: String,
    },
    /// A counter announced its ticket again.
    TicketRecalled {
        /// The ticket after the recall.
        ticket: Ticket,
        /// The counter.
        counter: String,
    },
    /// A counter served its ticket.
    TicketFinished {
        /// The ticket, now done.
        ticket: Ticket,
        /// The counter.
        counter: String,
    },
    /// A called ticket's holder did not come.
    TicketNoShow {
        /// The ticket, now no_show.
        ticket: Ticket,
        /// The counter.
        counter: String,
    },
    /// A called ticket went back to waiting, maybe in another category.
    TicketTransferred {
        /// The ticket, waiting again.
        ticket: Ticket,
        /// The category it left.
        from_category: String,
        /// The category it waits in now.
        to_category: String,
    },
    /// A ticket was withdrawn, or left over at the end of its day.
    TicketCancelled {
        /// The ticket, now cancelled.
        ticket: Ticket,
    },
    /// A counter opened, paused or closed, or its work profile changed.
    ///
    /// Self-contained: it carries the counter's whole setup after the change (its mode and the
    /// profile in force), so applying it needs nothing the office had before.
    CounterChanged {
        /// The counter's id.
        counter: String,
        /// Its state after the change.
        state: CounterState,
        /// The categories it serves after the change (its work profile).
        ///
        /// Empty only in an event stored by a version of numerek without work profiles, when
        /// every counter served the categories of the office file: it stands for those.
        #[serde(default)]
        categories: Vec<String>,
        /// How it chooses among them after the change (`fifo` in such an older event).
        #[serde(default)]
        order: CounterOrder,
    },
    /// A new office day began: numbering restarts, nothing waits, every counter is closed.
    DayStarted {
        /// The new office day.
        office_date: Date,
    },
    /// A visit was booked (by a citizen, or by a clerk for a caller).
    AppointmentBooked {
        /// The new appointment.
        appointment: Appointment,
    },
    /// A booked visit was cancelled.
    AppointmentCancelled {
        /// The appointment, now cancelled.
        appointment: Appointment,
    },
    /// A booked visit checked in at the kiosk; the `ticket.issued` of its ticket comes just
    /// before.
    AppointmentCheckedIn {
        /// The appointment, now checked in, naming its ticket.
        appointment: Appointment,
    },
    /// A booked visit did not check in by the end of its window.
    AppointmentMissed {
        /// The appointment, now missed.
        appointment: Appointment,
    },
    /// A served ticket was rated ([`crate::feedback`]). The ticket, with its score, is here to
    /// be stored (it may be of an earlier day, which the office no longer holds); no feed shows
    /// it: on both feeds the event names neither the ticket nor the score.
    FeedbackGiven {
        /// The ticket, now rated.
        ticket: Ticket,
    },
}

impl EventKind {
    /// The wire name of the event type, as in the API (`ticket.no_show`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::TicketIssued { .. } => "ticket.issued",
            Self::TicketCalled { .. } => "ticket.called",
            Self::TicketRecalled { .. } => "ticket.recalled",
            Self::TicketFinished { .. } => "ticket.finished",
            Self::TicketNoShow { .. } => "ticket.no_show",
            Self::TicketTransferred { .. } => "ticket.transferred",
            Self::TicketCancelled { .. } => "ticket.cancelled",
            Self::CounterChanged { .. } => "counter.changed",
            Self::DayStarted { .. } => "day.started",
            Self::AppointmentBooked { .. } => "appointment.booked",
            Self::AppointmentCancelled { .. } => "appointment.cancelled",
            Self::AppointmentCheckedIn { .. } => "appointment.checked_in",
            Self::AppointmentMissed { .. } => "appointment.missed",
            Self::FeedbackGiven { .. } => "feedback.given",
        }
    }

    /// Whether the event belongs on the public feed. Appointment events carry booking codes
    /// (keys, like ticket ids) and say who comes when: they are for the staff feed only. A
    /// check-in is still seen publicly as the `ticket.issued` of its ticket.
    pub fn is_public(&self) -> bool {
        self.appointment().is_none()
    }

    /// The appointment the event carries, if it is an appointment event.
    pub fn appointment(&self) -> Option<&Appointment> {
        match self {
            Self::AppointmentBooked { appointment }
            | Self::AppointmentCancelled { appointment }
            | Self::AppointmentCheckedIn { appointment }
            | Self::AppointmentMissed { appointment } => Some(appointment),
            _ => None,
        }
    }

    /// The ticket the event carries, if it is a ticket event or a rating (whose ticket is stored
    /// with its score, and shown on no feed).
    pub fn ticket(&self) -> Option<&Ticket> {
        match self {
            Self::TicketIssued { ticket }
            | Self::TicketCalled { ticket, .. }
            | Self::TicketRecalled { ticket, .. }
            | Self::TicketFinished { ticket, .. }
            | Self::TicketNoShow { ticket, .. }
            | Self::TicketTransferred { ticket, .. }
            | Self::TicketCancelled { ticket }
            | Self::FeedbackGiven { ticket } => Some(ticket),
            Self::CounterChanged { .. }
            | Self::DayStarted { .. }
            | Self::AppointmentBooked { .. }
            | Self::AppointmentCancelled { .. }
            | Self::AppointmentCheckedIn { .. }
            | Self::AppointmentMissed { .. } => None,
        }
    }
}
