//! Satisfaction on the wire: the `feedback` of a `Ticket` document, and the report row's
//! `satisfaction_avg`.

use jiff::tz::TimeZone;
use numerek_core::{Ticket, feedback};
use serde::Serialize;

/// A `Ticket`'s `feedback`: for a `done` ticket, whether it was rated and until when it may be;
/// `null` (no value) for any other. The score itself is in no answer: only the reports' means.
#[derive(Debug, Serialize)]
pub struct TicketFeedback {
    /// Whether the visit was rated (on the phone or at the counter).
    pub given: bool,
    /// Until when it may be rated by its id: 24 hours after its finish.
    pub open_until: String,
}

impl TicketFeedback {
    /// The `feedback` of `ticket`, if it is `done`.
    pub fn of(tz: &TimeZone, ticket: &Ticket) -> Option<Self> {
        feedback::open_until(ticket).map(|until| Self {
            given: ticket.feedback.is_some(),
            open_until: super::timestamp(tz, until),
        })
    }
}

/// A mean rating as a JSON number with two decimals (it is rounded so already), or null.
pub fn average(value: Option<f64>) -> serde_json::Value {
    value
        .and_then(serde_json::Number::from_f64)
        .map_or(serde_json::Value::Null, serde_json::Value::Number)
}
