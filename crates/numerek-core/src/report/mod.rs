//! Report arithmetic: waits, service times and service levels of the tickets of a range of
//! office days, grouped by category, counter, day or hour.
//!
//! The definitions are those of the API's reports (`docs/api.md`, Reports), spelled out in
//! `docs/reports.md`:
//! - a ticket belongs to the office day it was issued on and to the category it was issued in;
//! - wait = first call − issue; service = finish − last call (a recall counts as a call);
//! - `called` counts tickets called at least once, `served` those `done`;
//! - percentiles are nearest-rank over the waits in whole milliseconds;
//! - `within_target_pct` is the share of called tickets whose wait was ≤ their category's target;
//! - `feedback_count` counts the rated tickets, `satisfaction_avg` is their mean score (1–5,
//!   two decimals; [`satisfaction`]);
//! - `appointments` counts the tickets issued at a check-in, `appointment_delay_avg_s` is the
//!   mean of first call − slot start over those called (negative when called early), and
//!   `appointments_missed` counts the bookings missed, by the day, hour and category of their
//!   slot (a missed booking was at no counter: it counts in the total of a `counter` grouping).
//!
//! Reports run over a year of a busy office, so the input is a stream of compact
//! [`ReportTicket`]s (the store keeps one per ticket, in day order) fed one by one into a
//! [`SummaryBuilder`], and the missed bookings as [`ReportAppointment`]s; nothing holds more
//! than one wait per ticket in memory.
//!
//! # Layout
//! - [`query`]: what is asked: a range of days ([`DayRange`]) and a grouping ([`GroupBy`]).
//! - [`input`]: what a report reads of a ticket or an appointment, and its local hour.
//! - [`summary`]: the running sums and the [`Summary`] they make, row by row.
//! - [`stats`]: nearest-rank percentiles, means and shares, rounded as the API shows them.
//! - [`satisfaction`]: the ratings' count and mean.

mod input;
mod query;
mod satisfaction;
mod stats;
mod summary;

pub use input::{LocalHours, ReportAppointment, ReportTicket, millis};
pub use query::{DayRange, GroupBy, MAX_REPORT_DAYS, ReportError};
pub(crate) use stats::mean_s;
pub use stats::nearest_rank;
pub use summary::{Row, RowKey, Summary, SummaryBuilder, summarize, summarize_with_appointments};
