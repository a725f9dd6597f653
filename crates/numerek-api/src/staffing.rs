//! The staffing advisor (manager): per category, weekday and hour, what came, what was staffed
//! and what the Erlang C model says would have been enough. docs/reports.md defines the
//! figures, the model and its assumptions.

use crate::report::ReportFormat;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The query of `GET /api/v1/reports/staffing`. Strict: an unknown or repeated parameter is
/// refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct StaffingQuery {
    /// The first office day.
    #[cfg_attr(feature = "openapi", param(format = Date, example = "2026-11-02"))]
    pub from: String,
    /// The last office day (at most 366 days after `from`).
    #[cfg_attr(feature = "openapi", param(format = Date, example = "2026-11-29"))]
    pub to: String,
    /// The share of waits to keep within each category's target, in percent, above 0 and
    /// below 100; default 80.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        param(value_type = Option<f64>, minimum = 0, maximum = 100, example = 80)
    )]
    pub target_pct: Option<f64>,
    /// `csv` or `json`; without it, CSV when `Accept` lists `text/csv` before
    /// `application/json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(inline))]
    pub format: Option<ReportFormat>,
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// Every weekday from Monday.
    pub const ALL: [Weekday; 7] = [
        Self::Mon,
        Self::Tue,
        Self::Wed,
        Self::Thu,
        Self::Fri,
        Self::Sat,
        Self::Sun,
    ];

    /// Its wire name (`mon`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mon => "mon",
            Self::Tue => "tue",
            Self::Wed => "wed",
            Self::Thu => "thu",
            Self::Fri => "fri",
            Self::Sat => "sat",
            Self::Sun => "sun",
        }
    }
}

/// `GET /api/v1/reports/staffing`: the staffing advisor's rows for a range of office days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Staffing {
    /// The first office day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: Date,
    /// The last office day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: Date,
    /// The share of waits within target the rows plan for, in percent.
    pub target_pct: f64,
    /// One row per category, weekday and hour that had arrivals: categories in the order of
    /// the office file, then weekdays from Monday, then hours.
    pub rows: Vec<StaffingRow>,
}

/// One row of the staffing advisor: a category at one hour of one weekday, averaged over the
/// range's days of that weekday. Its fields, in this order, are the columns of the CSV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffingRow {
    /// The category's id.
    pub category: String,
    /// The weekday.
    pub weekday: Weekday,
    /// The local hour of arrival, 0–23.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 23))]
    pub hour: u8,
    /// The days of the range with this weekday on which the office issued tickets.
    pub days: u32,
    /// Tickets issued in the category in this hour, per such day (two decimals).
    pub arrivals_per_h: f64,
    /// The mean service of those served, seconds; null when none was.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub service_avg_s: Option<f64>,
    /// The counters open for the category in this hour, per day (two decimals; a shared
    /// counter split by its counter time); null when no day of the row has a counter record.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub counters_staffed_avg: Option<f64>,
    /// The fewest counters with which the Erlang C model puts `target_pct` % of waits within
    /// the category's target.
    pub counters_needed: u32,
    /// The model's share of waits within target with `counters_staffed_avg` counters, in
    /// percent (one decimal); null with it.
    #[cfg_attr(feature = "openapi", schema(required, minimum = 0, maximum = 100))]
    pub predicted_within_target_pct: Option<f64>,
}
