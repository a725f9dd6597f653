//! The wait estimate shown on tickets, at the kiosk and on the lobby display, and the cut-off
//! that stops issuing tickets nobody can serve today (see `docs/estimation.md`).
//!
//! The estimate of a waiting ticket is its expected call time in a *virtual call-out*
//! ([`callout`]): the open counters, each free when its current call is expected to end, call
//! the waiting tickets by the real routing rule, each call taking the expected counter time of
//! its category, while the tickets foreseen to arrive overtake as priority and `listed` orders
//! let them. Its inputs are learned from today: counter time per call ([`service`]) and issue
//! rates ([`arrivals`]). A category's estimate for a ticket taken now is a probe: a new
//! ticket at the back of it.
//!
//! # Layout
//! - [`service`]: counter time per call, measured today and blended with the configured time:
//!   its mean and spread, and the rest of a call in progress.
//! - [`arrivals`]: today's issue rates, the arrivals to foresee.
//! - [`callout`]: the virtual call-out itself, pure and independent of the office's types: every
//!   call time with its variance. It is given [`inputs`] (the lines, the open counters, the
//!   probes), plays the routing rule (`replay`), takes the first of several uncertain counters
//!   as log-normal (`earliest`) and answers a [`plan`]; [`memo`] keeps the last plan while
//!   nothing it depends on changes.
//! - [`distribution`]: what is shown of a wait of that mean and variance: its median and 80 %
//!   range.

pub mod arrivals;
pub mod callout;
pub mod distribution;
mod earliest;
pub mod inputs;
pub mod memo;
pub mod plan;
mod replay;
pub mod service;

pub use arrivals::{Arrivals, IssueLog};
pub use callout::{LISTED_PER_LINE, call_out};
pub use distribution::{Moments, WaitRange};
pub use inputs::{Line, Place, Probe, Server, SlotPlace};
pub use memo::{LineKey, Memo, ReplayKey};
pub use plan::Plan;
pub use service::ServiceStats;

/// An estimate in whole seconds, never negative.
pub fn whole_seconds(seconds: f64) -> f64 {
    if seconds.is_finite() && seconds > 0.0 {
        seconds.round()
    } else {
        0.0
    }
}
