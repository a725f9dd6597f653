//! A clerk's counter: what it shows, what its actions answer and take.

use crate::status::CounterState;
use crate::ticket::Ticket;
use serde::{Deserialize, Serialize};

/// `GET /api/v1/counters/{id}`: the counter and who it would call next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CounterView {
    /// The counter's state.
    pub counter: CounterState,
    /// The first (up to 5) waiting tickets `call-next` would call, in that order.
    #[cfg_attr(feature = "openapi", schema(max_items = 5))]
    pub next: Vec<Ticket>,
}

/// What every counter action answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CounterAnswer {
    /// The ticket the action concerned, as it is after the action (for open, pause, close: the
    /// counter's current ticket).
    #[cfg_attr(feature = "openapi", schema(required))]
    pub ticket: Option<Ticket>,
    /// The counter's state after it.
    pub counter: CounterState,
}

/// The body of `call`: which waiting ticket to call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CallRequest {
    /// A number of today (`A017`; case and zero padding do not matter) or a ticket id.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, example = "A001"))]
    pub ticket: String,
}

/// Where a transferred ticket waits in its new line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// Just ahead of the longest-waiting ticket.
    Front,
    /// Behind everyone, from the moment of the transfer.
    #[default]
    Back,
}

/// The body of `transfer`: the category the current ticket waits in next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// The category's id.
    #[cfg_attr(feature = "openapi", schema(example = "tax"))]
    pub category: String,
    /// `front` or `back`; default `back`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
}

/// The body of `profile`: what the counter serves from now on (for the rest of the office
/// day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// The categories, at least one, each once; with `listed`, in order of preference.
    #[cfg_attr(
        feature = "openapi",
        schema(min_items = 1, example = json!(["registration", "tax"]))
    )]
    pub categories: Vec<String>,
    /// `fifo` or `listed`; without it, the order in force stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<crate::status::CounterOrder>,
}

/// The answer of `profile`: the counter with its new work profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileAnswer {
    /// The counter's state after the change.
    pub counter: CounterState,
}

/// The body of an action without parameters: `{}` (or, where the action allows it, none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Empty {}
