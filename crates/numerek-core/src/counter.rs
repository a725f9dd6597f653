//! A counter's state for the day: its mode, the ticket it holds, and its work profile.

use crate::config::{CounterConfig, CounterOrder};
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

/// What a counter serves now and how it chooses among it: its work profile.
///
/// Every office day starts with the profile of the office file (the counter's `categories` and
/// `order`); a clerk or a manager may change it during the day, and it lasts until changed
/// again or until the day ends. Routing, a counter's `next`, the wait estimate and the staffing
/// figures all follow the profile in force ([`crate::Office::profile`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorkProfile {
    /// The categories it serves, each once, every one configured; never empty.
    pub categories: Vec<String>,
    /// How it chooses among them.
    pub order: CounterOrder,
}

impl WorkProfile {
    /// The profile the office file gives a counter: the one every office day starts with.
    pub fn of(config: &CounterConfig) -> Self {
        Self {
            categories: config.categories.clone(),
            order: config.order,
        }
    }
}

/// A counter's live state: its mode, the ticket it holds and the profile in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterStatus {
    /// Its mode.
    pub state: CounterState,
    /// The ticket called to it and not yet finished, if any.
    pub current: Option<TicketId>,
    /// What it serves now.
    pub profile: WorkProfile,
}

impl CounterStatus {
    /// A counter at the start of an office day: closed, holding nobody, serving what the
    /// office file says.
    pub fn start_of_day(config: &CounterConfig) -> Self {
        Self {
            state: CounterState::Closed,
            current: None,
            profile: WorkProfile::of(config),
        }
    }
}
