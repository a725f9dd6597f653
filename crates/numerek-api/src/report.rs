//! Reports (manager): the summary and the ticket listing, and the queries that ask for them.
//! docs/reports.md defines the figures.

use crate::format::{Seconds, TicketNumber, Time};
use crate::ticket::TicketState;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// How a summary's rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// By the category a ticket was issued in.
    Category,
    /// By the counter of its last call.
    Counter,
    /// By its office day.
    Day,
    /// By the local hour of issue.
    Hour,
}

/// The format of a report's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// `text/csv`.
    Csv,
    /// `application/json`.
    Json,
}

/// The query of `GET /api/v1/reports/summary`. Strict: an unknown or repeated parameter is
/// refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// The first office day.
    #[cfg_attr(feature = "openapi", param(format = Date, example = "2026-11-23"))]
    pub from: String,
    /// The last office day (at most 366 days after `from`).
    #[cfg_attr(feature = "openapi", param(format = Date, example = "2026-11-23"))]
    pub to: String,
    /// How rows are grouped.
    #[cfg_attr(feature = "openapi", param(example = "category"))]
    pub group_by: GroupBy,
    /// `csv` or `json`; without it, CSV when `Accept` lists `text/csv` before
    /// `application/json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(inline))]
    pub format: Option<ReportFormat>,
}

/// The query of `GET /api/v1/reports/tickets`. Strict: an unknown or repeated parameter is
/// refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct TicketsQuery {
    /// The first office day.
    #[cfg_attr(feature = "openapi", param(format = Date, example = "2026-11-23"))]
    pub from: String,
    /// The last office day (at most 366 days after `from`).
    #[cfg_attr(feature = "openapi", param(format = Date, example = "2026-11-23"))]
    pub to: String,
    /// `csv` or `json`; without it, CSV when `Accept` lists `text/csv` before
    /// `application/json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(inline))]
    pub format: Option<ReportFormat>,
}

/// A summary report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// The first office day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: Date,
    /// The last office day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: Date,
    /// How the rows are grouped.
    pub group_by: GroupBy,
    /// One row per group.
    pub rows: Vec<Row>,
    /// The row over every ticket of the range.
    pub total: Row,
}

/// What a row is about: a category or counter id, a day (`YYYY-MM-DD`), the local hour of issue
/// as a number (`9`), or `total`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum RowKey {
    /// A local hour, 0-23.
    Hour(u8),
    /// An id, a day or `total`.
    Name(String),
}

impl std::fmt::Display for RowKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Hour(hour) => write!(f, "{hour}"),
            Self::Name(name) => f.write_str(name),
        }
    }
}

/// One line of the summary report; see docs/reports.md. Its fields, in this order, are the
/// columns of the CSV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    /// What the row is about.
    pub key: RowKey,
    /// Tickets issued.
    pub issued: u64,
    /// Tickets called at least once.
    pub called: u64,
    /// Tickets served.
    pub served: u64,
    /// Tickets whose holder did not come.
    pub no_show: u64,
    /// Tickets cancelled.
    pub cancelled: u64,
    /// The mean wait; null when no ticket was called.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub wait_avg_s: Option<Seconds>,
    /// The median wait (nearest rank).
    #[cfg_attr(feature = "openapi", schema(required))]
    pub wait_p50_s: Option<Seconds>,
    /// The 90th percentile of the wait (nearest rank).
    #[cfg_attr(feature = "openapi", schema(required))]
    pub wait_p90_s: Option<Seconds>,
    /// The longest wait.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub wait_max_s: Option<Seconds>,
    /// The mean service time; null when no ticket was served.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub service_avg_s: Option<Seconds>,
    /// The share of called tickets that waited within their category's target, in percent to
    /// one decimal.
    #[cfg_attr(feature = "openapi", schema(required, minimum = 0, maximum = 100))]
    pub within_target_pct: Option<f64>,
    /// Tickets issued at an appointment's check-in (counted in `issued` too).
    #[serde(default)]
    pub appointments: u64,
    /// Appointments not checked in by the end of their window (by the slot's day, hour and
    /// category; no counter has them).
    #[serde(default)]
    pub appointments_missed: u64,
    /// The mean of first call − slot start over the called appointment tickets (negative when
    /// called early on average); null where none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required))]
    pub appointment_delay_avg_s: Option<Seconds>,
    /// Tickets rated by their holders (on the phone or at the counter's tablet).
    pub feedback_count: u64,
    /// The mean rating of the rated tickets, 1 (very dissatisfied) to 5 (very satisfied), to
    /// two decimals; null when none was rated. By counter it is the counter's, never a
    /// person's.
    #[cfg_attr(feature = "openapi", schema(required, minimum = 1, maximum = 5))]
    pub satisfaction_avg: Option<f64>,
}

/// A ticket as the ticket listing has it: `called_at` is its first call (the end of its wait),
/// `counter` the counter of its last call, `category` where it ended and `transferred_from`
/// where it was last moved from. Its fields, in this order, are the columns of the CSV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportTicket {
    /// The ticket's id.
    pub id: String,
    /// Its number.
    pub number: TicketNumber,
    /// The category it ended in.
    pub category: String,
    /// A priority ticket.
    pub priority: bool,
    /// Its state.
    pub state: TicketState,
    /// When it was taken.
    pub issued_at: Time,
    /// The first call.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub called_at: Option<Time>,
    /// When it became `done`, `no_show` or `cancelled`.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub finished_at: Option<Time>,
    /// The counter of the last call.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub counter: Option<String>,
    /// How often it was called again.
    pub recalls: u32,
    /// The category it was last moved from.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub transferred_from: Option<String>,
}

/// `GET /api/v1/reports/tickets`: every ticket of a range of office days, in order of issue.
// `T` holds the tickets: a `Vec` for a client; the server streams them a day at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketListing<T = Vec<ReportTicket>> {
    /// The first office day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: Date,
    /// The last office day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: Date,
    /// The tickets, in order of issue.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<ReportTicket>))]
    pub tickets: T,
}
