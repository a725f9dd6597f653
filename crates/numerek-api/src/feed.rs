//! The messages of the live feed (`GET /api/v1/events`, a WebSocket): one JSON text each.

use crate::appointment::Appointment;
use crate::format::Time;
use crate::status::{CounterOrder, CounterStateName, Status};
use crate::ticket::EventTicket;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One message of the feed: a snapshot (at connect, or whenever a slow client fell behind) or an
/// event. `type` says which; an event has its `seq` and `at`, then the fields of its type (see
/// docs/api.md, The live feed). On the public feed an event's ticket is a `PublicTicket`, on the
/// staff feed a `TicketCore`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type")]
pub enum FeedMessage {
    /// The office as it is: the client replaces its state with it.
    #[serde(rename = "snapshot")]
    Snapshot {
        /// The sequence number of the last event it includes.
        seq: u64,
        /// The status, in the feed's audience.
        status: Status,
    },
    /// A ticket was taken.
    #[serde(rename = "ticket.issued")]
    TicketIssued {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The ticket after the change.
        ticket: EventTicket,
    },
    /// A counter called a ticket.
    #[serde(rename = "ticket.called")]
    TicketCalled {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The ticket after the change.
        ticket: EventTicket,
        /// The counter's id.
        counter: String,
    },
    /// A counter called its ticket again.
    #[serde(rename = "ticket.recalled")]
    TicketRecalled {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The ticket after the change.
        ticket: EventTicket,
        /// The counter's id.
        counter: String,
    },
    /// A ticket was served.
    #[serde(rename = "ticket.finished")]
    TicketFinished {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The ticket after the change.
        ticket: EventTicket,
        /// The counter's id.
        counter: String,
    },
    /// A called ticket's holder did not come.
    #[serde(rename = "ticket.no_show")]
    TicketNoShow {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The ticket after the change.
        ticket: EventTicket,
        /// The counter's id.
        counter: String,
    },
    /// A called ticket waits again, in another category or its own.
    #[serde(rename = "ticket.transferred")]
    TicketTransferred {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The ticket after the change.
        ticket: EventTicket,
        /// The category it was called in.
        from_category: String,
        /// The category it waits in now.
        to_category: String,
    },
    /// A ticket was cancelled (by its holder, or at the end of its day).
    #[serde(rename = "ticket.cancelled")]
    TicketCancelled {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The ticket after the change.
        ticket: EventTicket,
    },
    /// A counter opened, paused or closed, or its work profile changed.
    #[serde(rename = "counter.changed")]
    CounterChanged {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The counter's id.
        counter: String,
        /// Its mode now.
        state: CounterStateName,
        /// The categories it serves now (its work profile in force).
        categories: Vec<String>,
        /// How it chooses among them now.
        order: CounterOrder,
    },
    /// A new office day started.
    #[serde(rename = "day.started")]
    DayStarted {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The new office day, `YYYY-MM-DD`.
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        office_date: Date,
    },
    /// A visit was booked (staff feed only).
    #[serde(rename = "appointment.booked")]
    AppointmentBooked {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The appointment after the change.
        appointment: Appointment,
    },
    /// A booking was cancelled (staff feed only).
    #[serde(rename = "appointment.cancelled")]
    AppointmentCancelled {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The appointment after the change.
        appointment: Appointment,
    },
    /// A booked visitor checked in (staff feed only; the public sees its `ticket.issued`).
    #[serde(rename = "appointment.checked_in")]
    AppointmentCheckedIn {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The appointment after the change, with its ticket.
        appointment: Appointment,
    },
    /// A booking was not checked in within its window (staff feed only).
    #[serde(rename = "appointment.missed")]
    AppointmentMissed {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The appointment after the change.
        appointment: Appointment,
    },
    /// The public feed's stand-in for an `appointment.*` event of the staff feed: the same
    /// `seq` (so the public feed has no gap), and only the category whose
    /// `appointments_today` may have changed. Nothing of the booking itself.
    #[serde(rename = "appointments.changed")]
    AppointmentsChanged {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
        /// The category of the appointment.
        category: String,
    },
    /// A served visit was rated. On both feeds it names neither the ticket nor the score, so
    /// no screen, and no clerk watching the staff feed, learns who rated how.
    #[serde(rename = "feedback.given")]
    FeedbackGiven {
        /// The event's sequence number.
        seq: u64,
        /// When it happened.
        at: Time,
    },
}

impl FeedMessage {
    /// The sequence number: of the event, or of the last event a snapshot includes.
    pub fn seq(&self) -> u64 {
        match self {
            Self::Snapshot { seq, .. }
            | Self::TicketIssued { seq, .. }
            | Self::TicketCalled { seq, .. }
            | Self::TicketRecalled { seq, .. }
            | Self::TicketFinished { seq, .. }
            | Self::TicketNoShow { seq, .. }
            | Self::TicketTransferred { seq, .. }
            | Self::TicketCancelled { seq, .. }
            | Self::CounterChanged { seq, .. }
            | Self::DayStarted { seq, .. }
            | Self::AppointmentBooked { seq, .. }
            | Self::AppointmentCancelled { seq, .. }
            | Self::AppointmentCheckedIn { seq, .. }
            | Self::AppointmentMissed { seq, .. }
            | Self::FeedbackGiven { seq, .. } => *seq,
            Self::AppointmentsChanged { seq, .. } => *seq,
        }
    }

    /// The ticket an event carries, if any.
    pub fn ticket(&self) -> Option<&EventTicket> {
        match self {
            Self::TicketIssued { ticket, .. }
            | Self::TicketCalled { ticket, .. }
            | Self::TicketRecalled { ticket, .. }
            | Self::TicketFinished { ticket, .. }
            | Self::TicketNoShow { ticket, .. }
            | Self::TicketTransferred { ticket, .. }
            | Self::TicketCancelled { ticket, .. } => Some(ticket),
            _ => None,
        }
    }

    /// The ticket an event carries, if any, to change.
    fn ticket_mut(&mut self) -> Option<&mut EventTicket> {
        match self {
            Self::TicketIssued { ticket, .. }
            | Self::TicketCalled { ticket, .. }
            | Self::TicketRecalled { ticket, .. }
            | Self::TicketFinished { ticket, .. }
            | Self::TicketNoShow { ticket, .. }
            | Self::TicketTransferred { ticket, .. }
            | Self::TicketCancelled { ticket, .. } => Some(ticket),
            _ => None,
        }
    }

    /// The appointment an event of the staff feed carries, if any.
    pub fn appointment(&self) -> Option<&Appointment> {
        match self {
            Self::AppointmentBooked { appointment, .. }
            | Self::AppointmentCancelled { appointment, .. }
            | Self::AppointmentCheckedIn { appointment, .. }
            | Self::AppointmentMissed { appointment, .. } => Some(appointment),
            _ => None,
        }
    }

    /// Whether the public feed carries a message of its own for this one: a ticket without its
    /// id and priority, or `appointments.changed` for an appointment event.
    pub fn differs_for_public(&self) -> bool {
        self.ticket().is_some() || self.appointment().is_some()
    }

    /// Turns a message of the staff feed into the same message of the public feed, in place:
    /// its ticket, if any, becomes a `PublicTicket`, and an appointment event becomes
    /// `appointments.changed` (a booking code is a key, never public).
    pub fn make_public(&mut self) {
        if let Some(ticket) = self.ticket_mut() {
            ticket.make_public();
        }
        if let Some(appointment) = self.appointment() {
            let seq = self.seq();
            let category = appointment.category.clone();
            let at = match self {
                Self::AppointmentBooked { at, .. }
                | Self::AppointmentCancelled { at, .. }
                | Self::AppointmentCheckedIn { at, .. }
                | Self::AppointmentMissed { at, .. } => *at,
                _ => return,
            };
            *self = Self::AppointmentsChanged { seq, at, category };
        }
    }
}
