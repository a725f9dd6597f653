//! numerek-core: the domain of a queue-ticketing office, with no IO of its own.
//!
//! It knows offices, categories, counters and tickets, the state machine that moves tickets
//! between them, routing, numbering and the wait estimate. It does no IO, owns no clock (every
//! operation takes the instant it happens at), makes no random numbers (ticket ids are passed
//! in) and knows no JSON wire types, so every rule can be tested exhaustively and fast.
//!
//! # Layout
//! - [`config`]: the office configuration file, parsed and validated.
//! - [`appointment`]: booked visits, their codes and slots.
//! - [`ids`]: ticket ids and human ticket numbers.
//! - [`ticket`], [`counter`]: the things whose state changes.
//! - [`command`]: what callers ask for; [`event`]: what changed; [`error`]: why a command is refused.
//! - [`office`]: the live state, [`Office::decide`] and [`Office::apply`].
//! - [`queue`]: a category's waiting line in calling order.
//! - [`day`]: office days in the office's time zone.
//! - [`opening`]: when a closed category opens again, and how to say it.
//! - [`estimate`]: the wait estimate.
//! - [`feedback`]: the rules of rating a visit (satisfaction).
//! - [`report`]: report arithmetic (waits, service times, service levels by group).
//! - [`erlang`]: the Erlang C model of a line served by several counters.
//! - [`staffing`]: the staffing advisor's arithmetic (counters staffed and needed by hour).
//! - [`view`]: read models for status, tickets and counters.
//! - [`sharded`]: the hash map today's tickets are kept in, which grows a part at a time.

pub mod appointment;
pub mod command;
pub mod config;
pub mod counter;
pub mod day;
pub mod erlang;
pub mod error;
pub mod estimate;
pub mod event;
pub mod feedback;
pub mod ids;
pub mod office;
pub mod opening;
pub mod queue;
pub mod report;
pub mod sharded;
pub mod staffing;
pub mod ticket;
pub mod view;

pub use appointment::{
    Appointment, AppointmentState, AppointmentTicket, BookingCode, Slot, SlotRange,
    TicketAppointment,
};
pub use command::{Command, CounterAction, StaffRole, TicketRef, TransferPosition};
pub use config::{CounterOrder, OfficeConfig};
pub use counter::{CounterState, CounterStatus, WorkProfile};
pub use error::{DomainError, SlotProblem};
pub use event::{Event, EventKind};
pub use feedback::Score;
pub use ids::{TicketId, TicketNumber};
pub use office::{Decision, Office, RECENT_CALLS, Restored, Subject};
pub use opening::{Availability, ClosedReason, Opening};
pub use ticket::{QueueKey, Ticket, TicketState};
pub use view::{CategoryStatus, CounterView, RecentCall, StatusView, TicketView};
