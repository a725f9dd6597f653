//! Appointments: the slots on offer, a booking, the staff's list of a day, and the queries and
//! bodies that ask for them. docs/appointments.md tells the whole story.
//!
//! A booking's `code` is its holder's key (like a ticket's id): it appears in the answers to
//! whoever booked or knows it, in the staff's list and on the staff feed, never on a public
//! surface.

use crate::format::{TicketNumber, Time};
use crate::ticket::TicketState;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Where an appointment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppointmentState {
    /// Booked; it may still be cancelled or checked in.
    Booked,
    /// Checked in at the kiosk: its ticket was issued.
    CheckedIn,
    /// Cancelled by its holder (or by a clerk for them).
    Cancelled,
    /// Not checked in by the end of its check-in window.
    Missed,
}

/// The ticket a checked-in appointment was given: its number and state (not its id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentTicket {
    /// Its number.
    pub number: TicketNumber,
    /// Where it is in its life.
    pub state: TicketState,
}

/// A booked visit. Nothing personal: the code is its holder's only key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appointment {
    /// 8 characters of `23456789ABCDEFGHJKLMNPQRSTUVWXYZ` (40 random bits): the holder's key.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "7KQ2MWX9", pattern = "^[2-9A-HJ-NP-Z]{8}$")
    )]
    pub code: String,
    /// The category booked.
    pub category: String,
    /// When the slot starts.
    pub start: Time,
    /// When the slot ends.
    pub end: Time,
    /// Where it is in its life.
    pub state: AppointmentState,
    /// The language chosen when booking (one of the office's), or null.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub language: Option<String>,
    /// Null until check-in, then its ticket.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub ticket: Option<AppointmentTicket>,
}

/// What a ticket issued at a check-in knows of its appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketAppointment {
    /// The booking's code.
    pub code: String,
    /// When its slot starts: from then on the ticket is called first.
    pub start: Time,
}

/// One slot of a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    /// When it starts (what a booking names).
    pub start: Time,
    /// When it ends.
    pub end: Time,
    /// Places left in it (0 when full).
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub free: u32,
}

/// The answer of `GET /api/v1/appointments/slots`: every slot of the days asked for that can
/// still be booked, full ones with `free` 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slots {
    /// The category.
    pub category: String,
    /// Its slots, by start.
    pub slots: Vec<Slot>,
}

/// The query of `GET /api/v1/appointments/slots`. Strict: an unknown or repeated parameter is
/// refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct SlotsQuery {
    /// A category that takes bookings.
    #[cfg_attr(feature = "openapi", param(example = "registration"))]
    pub category: String,
    /// The first office day.
    #[cfg_attr(feature = "openapi", param(format = Date, example = "2026-11-23"))]
    pub from: String,
    /// The last office day (at most 31 days from `from`, both included).
    #[cfg_attr(feature = "openapi", param(format = Date, example = "2026-11-27"))]
    pub to: String,
}

/// The body of `POST /api/v1/appointments`: book a slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BookRequest {
    /// A category that takes bookings.
    #[cfg_attr(feature = "openapi", schema(example = "registration"))]
    pub category: String,
    /// A slot's start, as `slots` gives it (RFC 3339 with an offset).
    pub start: Time,
    /// One of the office's languages (400 otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// The query of `GET /api/v1/appointments` (staff). Strict: an unknown or repeated parameter
/// is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AppointmentListQuery {
    /// The office day (today or later: earlier days' visits are in the reports).
    #[cfg_attr(feature = "openapi", param(format = Date, example = "2026-11-23"))]
    pub date: String,
    /// Only this category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// The answer of `GET /api/v1/appointments`: a day's appointments, every state, by slot start,
/// then code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentList {
    /// The office day.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    /// Its appointments.
    pub appointments: Vec<Appointment>,
}
