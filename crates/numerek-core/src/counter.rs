//! A counter's state for the day.

use crate::ids::TicketId;
use serde::{Deserialize, Serialize};

/// Whether a counter is serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CounterState {
    /// Not staffed; every counter starts the office day closed.
    #[default]
    Closed,
    /// Staffed and calling.
    Open,
    /// Staffed but on a break: it calls nobody new.
    Paused,
}

impl CounterState {
    /// The wire name, as in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::Open => "open",
            Self::Paused => "paused",
        }
    }
}

/// A counter's live state: its mode and the ticket it holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CounterStatus {
    /// Its mode.
    pub state: CounterState,
    /// The ticket called to it and not yet finished, if any.
    pub current: Option<TicketId>,
}
