//! Satisfaction: rating a served visit from 1 to 5, on the phone that follows the ticket
//! (`POST /api/v1/tickets/{id}/feedback`) or at the counter's tablet
//! (`POST /api/v1/counters/{id}/feedback`), and what a `Ticket` says about it.

use crate::format::Time;
use serde::{Deserialize, Serialize};

/// The body of both rating routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    /// 1 (very dissatisfied) to 5 (very satisfied): the five faces. Any other number, or one
    /// that is not whole, is `400 invalid_request`.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5, example = 5))]
    pub score: u8,
}

/// The answer of both rating routes: the score taken, and nothing else (not the ticket, not
/// when, not who).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeedbackAnswer {
    /// The score, as given.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub score: u8,
}

/// A `Ticket`'s `feedback` once it is `done`: whether it was rated and until when it may be by
/// its id. The score itself is in no answer: only the reports' means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TicketFeedback {
    /// Whether the visit was rated (on the phone or at the counter's tablet).
    pub given: bool,
    /// Until when it may be rated by its id: 24 hours after its finish.
    pub open_until: Time,
}
