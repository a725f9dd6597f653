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
//!   two decimals; `satisfaction`);
//! - `appointments` counts the tickets issued at a check-in, `appointment_delay_avg_s` is the
//!   mean of first call − slot start over those called (negative when called early), and
//!   `appointments_missed` counts the bookings missed, by the day, hour and category of their
//!   slot (a missed booking was at no counter: it counts in the total of a `counter` grouping).
//!
//! Reports run over a year of a busy office, so the input is a stream of compact
//! [`ReportTicket`]s (the store keeps one per ticket, in day order) fed one by one into a
//! [`SummaryBuilder`], and the missed bookings as [`ReportAppointment`]s; nothing holds more
//! than one wait per ticket in memory.

use crate::appointment::{Appointment, AppointmentState};
use crate::config::OfficeConfig;
use crate::ticket::{Ticket, TicketState};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

mod satisfaction;

/// The longest range of office days one report covers.
pub const MAX_REPORT_DAYS: i32 = 366;

/// How a summary's rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupBy {
    /// By the category a ticket was issued in.
    Category,
    /// By the counter of a ticket's last call.
    Counter,
    /// By the office day of issue.
    Day,
    /// By the local hour of issue (0–23).
    Hour,
}

impl GroupBy {
    /// Every grouping, in the order the spec lists them.
    pub const ALL: [GroupBy; 4] = [Self::Category, Self::Counter, Self::Day, Self::Hour];

    /// The wire name (`category`, `counter`, `day`, `hour`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Category => "category",
            Self::Counter => "counter",
            Self::Day => "day",
            Self::Hour => "hour",
        }
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GroupBy {
    type Err = ReportError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == text)
            .ok_or_else(|| ReportError::UnknownGrouping(text.to_owned()))
    }
}

/// Why a report cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// A date is missing.
    #[error("`{0}` is required (a date, YYYY-MM-DD)")]
    MissingDate(&'static str),
    /// A date is not a valid `YYYY-MM-DD`.
    #[error("`{name}` must be a date as YYYY-MM-DD, not {value:?}")]
    InvalidDate {
        /// `from` or `to`.
        name: &'static str,
        /// What was given.
        value: String,
    },
    /// `from` is after `to`.
    #[error("`from` ({from}) is after `to` ({to})")]
    Reversed {
        /// The first day asked for.
        from: Date,
        /// The last day asked for.
        to: Date,
    },
    /// The range covers more days than a report may.
    #[error("the range covers {days} days; a report covers at most {MAX_REPORT_DAYS}")]
    TooLong {
        /// How many days were asked for.
        days: i64,
    },
    /// The grouping is not one of `category`, `counter`, `day`, `hour`.
    #[error("`group_by` must be one of category, counter, day, hour, not {0:?}")]
    UnknownGrouping(String),
    /// The staffing advisor's target share is not a number above 0 and below 100.
    #[error("`target_pct` must be a number of percent above 0 and below 100, like 80, not {0:?}")]
    InvalidTargetPct(String),
}

/// A validated range of office days, `from..=to`, at most [`MAX_REPORT_DAYS`] long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    from: Date,
    to: Date,
}

impl DayRange {
    /// Checks a range given as two dates.
    ///
    /// # Errors
    /// [`ReportError::Reversed`] or [`ReportError::TooLong`].
    pub fn new(from: Date, to: Date) -> Result<Self, ReportError> {
        if from > to {
            return Err(ReportError::Reversed { from, to });
        }
        let days = i64::from((to - from).get_days()) + 1;
        if days > i64::from(MAX_REPORT_DAYS) {
            return Err(ReportError::TooLong { days });
        }
        Ok(Self { from, to })
    }

    /// Parses and checks `from` and `to` as given in a request (`YYYY-MM-DD`).
    ///
    /// # Errors
    /// A [`ReportError`] naming the first problem.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, ReportError> {
        let from = parse_date("from", from)?;
        let to = parse_date("to", to)?;
        Self::new(from, to)
    }

    /// The first day.
    pub fn from(&self) -> Date {
        self.from
    }

    /// The last day (included).
    pub fn to(&self) -> Date {
        self.to
    }
}

fn parse_date(name: &'static str, value: Option<&str>) -> Result<Date, ReportError> {
    let value = value.ok_or(ReportError::MissingDate(name))?;
    let invalid = || ReportError::InvalidDate {
        name,
        value: value.to_owned(),
    };
    // Exactly YYYY-MM-DD: jiff alone would also take other ISO 8601 forms.
    let shape_ok = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(invalid());
    }
    value.parse().map_err(|_| invalid())
}

/// What a report needs of one ticket, borrowed from wherever it is stored.
///
/// Times are whole milliseconds since the Unix epoch: the precision of the API's timestamps, so
/// a wait computed here equals the one a reader computes from the ticket listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportTicket<'a> {
    /// The office day of issue.
    pub office_date: Date,
    /// The local hour of issue, 0–23.
    pub issue_hour: u8,
    /// The category it was issued in.
    pub category: &'a str,
    /// The counter of its last call, if it was ever called.
    pub counter: Option<&'a str>,
    /// Its state.
    pub state: TicketState,
    /// When it was issued.
    pub issued_ms: i64,
    /// Its first call.
    pub first_called_ms: Option<i64>,
    /// Its last call or recall.
    pub last_called_ms: Option<i64>,
    /// When it became done, no-show or cancelled.
    pub finished_ms: Option<i64>,
    /// The start of its appointment's slot, for a ticket issued at a check-in.
    pub appointment_start_ms: Option<i64>,
    /// Its holder's rating, 1 to 5, if it was rated.
    pub feedback: Option<u8>,
}

impl<'a> ReportTicket<'a> {
    /// The report's view of a ticket, with the hour of issue in the office's zone.
    pub fn of(ticket: &'a Ticket, tz: &TimeZone) -> Self {
        Self {
            issue_hour: tz.to_datetime(ticket.issued_at).hour().clamp(0, 23) as u8,
            ..Self::without_hour(ticket)
        }
    }

    /// The report's view of a ticket with `issue_hour` left at 0: for storing, where the hour
    /// is not kept (it follows from the time and the zone when read, see [`LocalHours`]).
    pub fn without_hour(ticket: &'a Ticket) -> Self {
        Self {
            office_date: ticket.office_date,
            issue_hour: 0,
            category: &ticket.issued_category,
            counter: ticket.last_counter.as_deref(),
            state: ticket.state,
            issued_ms: millis(ticket.issued_at),
            first_called_ms: ticket.first_called_at.map(millis),
            last_called_ms: ticket.last_called_at.map(millis),
            finished_ms: ticket.finished_at.map(millis),
            appointment_start_ms: ticket.appointment.as_ref().map(|a| millis(a.start)),
            feedback: ticket.feedback.map(crate::Score::get),
        }
    }

    /// First call − slot start, for a called ticket of an appointment (negative when it was
    /// called before its slot).
    pub fn appointment_delay_ms(&self) -> Option<i64> {
        Some(self.first_called_ms? - self.appointment_start_ms?)
    }

    /// First call − issue, once called (never negative).
    pub fn wait_ms(&self) -> Option<u64> {
        self.first_called_ms
            .map(|called| called.saturating_sub(self.issued_ms).max(0).unsigned_abs())
    }

    /// Finish − last call, for a served (`done`) ticket (never negative).
    pub fn service_ms(&self) -> Option<u64> {
        if self.state != TicketState::Done {
            return None;
        }
        let (start, end) = (self.last_called_ms?, self.finished_ms?);
        Some(end.saturating_sub(start).max(0).unsigned_abs())
    }
}

/// What a report needs of one appointment: the missed ones are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportAppointment<'a> {
    /// The office day of its slot.
    pub office_date: Date,
    /// The local hour its slot starts, 0–23.
    pub start_hour: u8,
    /// The category booked.
    pub category: &'a str,
    /// Its state.
    pub state: AppointmentState,
}

impl<'a> ReportAppointment<'a> {
    /// The report's view of an appointment, with the hour of its slot in the office's zone.
    pub fn of(appointment: &'a Appointment, tz: &TimeZone) -> Self {
        Self {
            office_date: appointment.office_date,
            start_hour: tz.to_datetime(appointment.start).hour().clamp(0, 23) as u8,
            category: &appointment.category,
            state: appointment.state,
        }
    }
}

/// Milliseconds since the Unix epoch, rounded down (as the API's timestamps show them).
pub fn millis(at: Timestamp) -> i64 {
    at.as_millisecond()
}

/// The local hour of an instant on a given office day, fast: a report asks it a million times.
///
/// Within one office day the zone's offset changes at most once (daylight saving time), so the
/// offset of a day without a change is worked out once and reused; only a changeover day asks
/// the zone for every ticket.
#[derive(Debug, Clone)]
pub struct LocalHours {
    tz: TimeZone,
    day: Option<(Date, Option<i64>)>,
}

impl LocalHours {
    /// Hours in the office's zone.
    pub fn new(tz: TimeZone) -> Self {
        Self { tz, day: None }
    }

    /// The local hour (0–23) of the instant `ms` (milliseconds since the Unix epoch), a ticket
    /// of office day `date`.
    pub fn hour(&mut self, date: Date, ms: i64) -> u8 {
        let fixed = match self.day {
            Some((known, fixed)) if known == date => fixed,
            _ => {
                let fixed = self.fixed_offset(date);
                self.day = Some((date, fixed));
                fixed
            }
        };
        let hour = match fixed {
            Some(offset_s) => (ms.div_euclid(1000) + offset_s).rem_euclid(86_400) / 3600,
            None => Timestamp::from_millisecond(ms)
                .map(|at| i64::from(self.tz.to_datetime(at).hour()))
                .unwrap_or(0),
        };
        u8::try_from(hour).unwrap_or(0)
    }

    /// The offset in seconds of a day on which it does not change, else `None`.
    fn fixed_offset(&self, date: Date) -> Option<i64> {
        let start = crate::day::start_of_day(&self.tz, date);
        let end = crate::day::next_day_start(&self.tz, start);
        let at_start = self.tz.to_offset(start).seconds();
        let at_end = self.tz.to_offset(end).seconds();
        (at_start == at_end).then_some(i64::from(at_start))
    }
}

/// What a row of a summary is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowKey {
    /// A category id.
    Category(String),
    /// A counter id.
    Counter(String),
    /// An office day.
    Day(Date),
    /// A local hour of issue.
    Hour(u8),
    /// The total over every ticket of the range.
    Total,
}

impl fmt::Display for RowKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Category(id) | Self::Counter(id) => f.write_str(id),
            Self::Day(date) => write!(f, "{date}"),
            Self::Hour(hour) => write!(f, "{hour}"),
            Self::Total => f.write_str("total"),
        }
    }
}

/// One row of a summary: the spec's `Row`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What it is about.
    pub key: RowKey,
    /// Tickets issued.
    pub issued: u64,
    /// Tickets called at least once.
    pub called: u64,
    /// Tickets served (`done`).
    pub served: u64,
    /// Tickets that ended as no-shows.
    pub no_show: u64,
    /// Tickets cancelled (by the citizen, or left over at the end of the day).
    pub cancelled: u64,
    /// Mean wait of the called tickets, seconds (ms precision); `None` when none was called.
    pub wait_avg_s: Option<f64>,
    /// Median wait (nearest rank), seconds.
    pub wait_p50_s: Option<f64>,
    /// 90th percentile wait (nearest rank), seconds.
    pub wait_p90_s: Option<f64>,
    /// Longest wait, seconds.
    pub wait_max_s: Option<f64>,
    /// Mean service time of the served tickets, seconds; `None` when none was served.
    pub service_avg_s: Option<f64>,
    /// Share of the called tickets with a known target whose wait was within it, in percent,
    /// rounded to one decimal; `None` when there is no such ticket.
    pub within_target_pct: Option<f64>,
    /// Tickets issued at a check-in.
    pub appointments: u64,
    /// Bookings missed (not checked in by the end of their window).
    pub appointments_missed: u64,
    /// Mean of first call − slot start over the called tickets of appointments, seconds (ms
    /// precision, negative when called early on average); `None` when none was called.
    pub appointment_delay_avg_s: Option<f64>,
    /// Tickets rated by their holders.
    pub feedback_count: u64,
    /// The mean rating of the rated tickets, 1 to 5, rounded to two decimals; `None` when none
    /// was rated.
    pub satisfaction_avg: Option<f64>,
}

/// A whole summary report.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The days it covers.
    pub range: DayRange,
    /// How the rows are grouped.
    pub group_by: GroupBy,
    /// One row per group, in the order described at [`SummaryBuilder::finish`].
    pub rows: Vec<Row>,
    /// The row over every ticket of the range.
    pub total: Row,
}

/// The running sums of one group.
#[derive(Debug, Default, Clone)]
struct Tally {
    issued: u64,
    called: u64,
    served: u64,
    no_show: u64,
    cancelled: u64,
    waits_ms: Vec<u64>,
    with_target: u64,
    within_target: u64,
    service_total_ms: u128,
    appointments: u64,
    appointments_missed: u64,
    delay_total_ms: i128,
    delays: u64,
    ratings: satisfaction::Ratings,
}

impl Tally {
    fn add(&mut self, ticket: &ReportTicket<'_>, target_ms: Option<u64>) {
        self.issued += 1;
        match ticket.state {
            TicketState::Done => self.served += 1,
            TicketState::NoShow => self.no_show += 1,
            TicketState::Cancelled => self.cancelled += 1,
            TicketState::Waiting | TicketState::Called => {}
        }
        if let Some(wait) = ticket.wait_ms() {
            self.called += 1;
            self.waits_ms.push(wait);
            if let Some(target) = target_ms {
                self.with_target += 1;
                self.within_target += u64::from(wait <= target);
            }
        }
        if let Some(service) = ticket.service_ms() {
            self.service_total_ms += u128::from(service);
        }
        if ticket.appointment_start_ms.is_some() {
            self.appointments += 1;
        }
        if let Some(delay) = ticket.appointment_delay_ms() {
            self.delay_total_ms += i128::from(delay);
            self.delays += 1;
        }
        self.ratings.add(ticket.feedback);
    }

    fn into_row(mut self, key: RowKey) -> Row {
        self.waits_ms.sort_unstable();
        let waits = &self.waits_ms;
        let wait_total: u128 = waits.iter().map(|&w| u128::from(w)).sum();
        Row {
            key,
            issued: self.issued,
            called: self.called,
            served: self.served,
            no_show: self.no_show,
            cancelled: self.cancelled,
            wait_avg_s: mean_s(wait_total, waits.len() as u64),
            wait_p50_s: nearest_rank(waits, 50).map(ms_to_s),
            wait_p90_s: nearest_rank(waits, 90).map(ms_to_s),
            wait_max_s: waits.last().copied().map(ms_to_s),
            service_avg_s: mean_s(self.service_total_ms, self.served),
            within_target_pct: percent(self.within_target, self.with_target),
            appointments: self.appointments,
            appointments_missed: self.appointments_missed,
            appointment_delay_avg_s: signed_mean_s(self.delay_total_ms, self.delays),
            feedback_count: self.ratings.count(),
            satisfaction_avg: self.ratings.average(),
        }
    }
}

/// The `p`-th percentile (0 < p ≤ 100) of sorted values by the nearest-rank method: the value
/// at rank ⌈p/100 × n⌉ (1-based). `None` for no values.
pub fn nearest_rank(sorted: &[u64], p: u32) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len() as u64;
    let rank = (u64::from(p) * n).div_ceil(100).clamp(1, n);
    sorted.get(usize::try_from(rank - 1).ok()?).copied()
}

/// A mean of milliseconds as seconds with millisecond precision (rounded half up).
pub(crate) fn mean_s(total_ms: u128, count: u64) -> Option<f64> {
    if count == 0 {
        return None;
    }
    let count = u128::from(count);
    let mean_ms = (2 * total_ms + count) / (2 * count);
    Some(mean_ms as f64 / 1000.0)
}

/// A mean of signed milliseconds as seconds with millisecond precision (rounded half up).
fn signed_mean_s(total_ms: i128, count: u64) -> Option<f64> {
    if count == 0 {
        return None;
    }
    let count = i128::from(count);
    let mean_ms = (2 * total_ms + count).div_euclid(2 * count);
    Some(mean_ms as f64 / 1000.0)
}

fn ms_to_s(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// `part / whole` in percent, rounded to one decimal (half up).
fn percent(part: u64, whole: u64) -> Option<f64> {
    if whole == 0 {
        return None;
    }
    let (part, whole) = (u128::from(part), u128::from(whole));
    let tenths = (2000 * part + whole) / (2 * whole);
    Some(tenths as f64 / 10.0)
}

/// Builds a [`Summary`] from tickets fed one at a time, in any order.
#[derive(Debug)]
pub struct SummaryBuilder {
    range: DayRange,
    group_by: GroupBy,
    targets_ms: HashMap<String, u64>,
    /// The groups in order of first appearance, and where each is in `groups`.
    groups: Vec<(RowKey, Tally)>,
    index: HashMap<RowKey, usize>,
    /// Text keys looked up without allocating: category or counter id → position in `groups`.
    text_index: HashMap<String, usize>,
    total: Tally,
    /// How many leading groups are the configuration's categories or counters (listed even
    /// without tickets, in file order); the groups after them are sorted by key.
    configured: usize,
}

impl SummaryBuilder {
    /// A builder for a range and grouping, with the targets and the ids of the configuration.
    pub fn new(config: &OfficeConfig, range: DayRange, group_by: GroupBy) -> Self {
        let targets_ms = config
            .categories
            .iter()
            .map(|c| (c.id.clone(), u64::from(c.target_wait_s) * 1000))
            .collect();
        let configured: Vec<&str> = match group_by {
            GroupBy::Category => config.categories.iter().map(|c| c.id.as_str()).collect(),
            GroupBy::Counter => config.counters.iter().map(|c| c.id.as_str()).collect(),
            GroupBy::Day | GroupBy::Hour => Vec::new(),
        };
        let mut builder = Self {
            range,
            group_by,
            targets_ms,
            groups: Vec::new(),
            index: HashMap::new(),
            text_index: HashMap::new(),
            total: Tally::default(),
            configured: configured.len(),
        };
        for id in configured {
            builder.text_slot(id);
        }
        builder
    }

    fn text_slot(&mut self, id: &str) -> usize {
        if let Some(&slot) = self.text_index.get(id) {
            return slot;
        }
        let key = match self.group_by {
            GroupBy::Counter => RowKey::Counter(id.to_owned()),
            _ => RowKey::Category(id.to_owned()),
        };
        self.groups.push((key, Tally::default()));
        self.text_index.insert(id.to_owned(), self.groups.len() - 1);
        self.groups.len() - 1
    }

    fn slot(&mut self, key: RowKey) -> usize {
        if let Some(&slot) = self.index.get(&key) {
            return slot;
        }
        self.groups.push((key.clone(), Tally::default()));
        self.index.insert(key, self.groups.len() - 1);
        self.groups.len() - 1
    }

    /// Counts one ticket. Tickets of days outside the range are ignored.
    pub fn add(&mut self, ticket: &ReportTicket<'_>) {
        if ticket.office_date < self.range.from || ticket.office_date > self.range.to {
            return;
        }
        let target = self.targets_ms.get(ticket.category).copied();
        self.total.add(ticket, target);
        let slot = match self.group_by {
            GroupBy::Category => Some(self.text_slot(ticket.category)),
            // A ticket never called was at no counter: it counts in the total only.
            GroupBy::Counter => ticket.counter.map(|counter| self.text_slot(counter)),
            GroupBy::Day => Some(self.slot(RowKey::Day(ticket.office_date))),
            GroupBy::Hour => Some(self.slot(RowKey::Hour(ticket.issue_hour))),
        };
        if let Some(slot) = slot {
            self.groups[slot].1.add(ticket, target);
        }
    }

    /// Counts one appointment: a missed one in `appointments_missed` (other states are seen in
    /// their tickets, or not reported). Appointments of days outside the range are ignored.
    pub fn add_appointment(&mut self, appointment: &ReportAppointment<'_>) {
        if appointment.state != AppointmentState::Missed
            || appointment.office_date < self.range.from
            || appointment.office_date > self.range.to
        {
            return;
        }
        self.total.appointments_missed += 1;
        let slot = match self.group_by {
            GroupBy::Category => Some(self.text_slot(appointment.category)),
            GroupBy::Counter => None,
            GroupBy::Day => Some(self.slot(RowKey::Day(appointment.office_date))),
            GroupBy::Hour => Some(self.slot(RowKey::Hour(appointment.start_hour))),
        };
        if let Some(slot) = slot {
            self.groups[slot].1.appointments_missed += 1;
        }
    }

    /// The summary. Rows come in a fixed order: for `category` and `counter` every configured
    /// one in file order (with zeros where nothing happened), then ids no longer configured in
    /// alphabetical order; for `day` and `hour` the days and hours with tickets, ascending.
    pub fn finish(self) -> Summary {
        let mut groups = self.groups;
        groups[self.configured..].sort_by(|a, b| a.0.cmp(&b.0));
        Summary {
            range: self.range,
            group_by: self.group_by,
            rows: groups
                .into_iter()
                .map(|(key, tally)| tally.into_row(key))
                .collect(),
            total: self.total.into_row(RowKey::Total),
        }
    }
}

/// A summary of tickets held in memory (tests, small ranges).
pub fn summarize<'a>(
    config: &OfficeConfig,
    range: DayRange,
    group_by: GroupBy,
    tickets: impl IntoIterator<Item = ReportTicket<'a>>,
) -> Summary {
    summarize_with_appointments(config, range, group_by, tickets, [])
}

/// A summary of tickets and appointments held in memory (tests, small ranges).
pub fn summarize_with_appointments<'a>(
    config: &OfficeConfig,
    range: DayRange,
    group_by: GroupBy,
    tickets: impl IntoIterator<Item = ReportTicket<'a>>,
    appointments: impl IntoIterator<Item = ReportAppointment<'a>>,
) -> Summary {
    let mut builder = SummaryBuilder::new(config, range, group_by);
    for ticket in tickets {
        builder.add(&ticket);
    }
    for appointment in appointments {
        builder.add_appointment(&appointment);
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn local_hours_follow_daylight_saving_time() {
        let tz = TimeZone::get("Europe/Warsaw").unwrap();
        let mut hours = LocalHours::new(tz.clone());
        let ms = |s: &str| s.parse::<Timestamp>().unwrap().as_millisecond();
        assert_eq!(
            hours.hour(date(2026, 11, 23), ms("2026-11-23T08:15:00Z")),
            9
        );
        assert_eq!(
            hours.hour(date(2026, 11, 23), ms("2026-11-23T22:59:59Z")),
            23
        );
        assert_eq!(hours.hour(date(2026, 7, 1), ms("2026-07-01T08:15:00Z")), 10);
        // 25 October 2026: 02:59 summer time, then 02:00 winter time again.
        let autumn = date(2026, 10, 25);
        assert_eq!(hours.hour(autumn, ms("2026-10-25T00:30:00Z")), 2);
        assert_eq!(hours.hour(autumn, ms("2026-10-25T01:30:00Z")), 2);
        assert_eq!(hours.hour(autumn, ms("2026-10-25T02:30:00Z")), 3);
        for minute in (0..24 * 60).step_by(7) {
            let at = jiff::Timestamp::from_second(1_793_142_000 + minute * 60).unwrap();
            let day = crate::day::office_date(&tz, at);
            assert_eq!(
                i64::from(hours.hour(day, at.as_millisecond())),
                i64::from(tz.to_datetime(at).hour()),
                "{at}"
            );
        }
    }

    #[test]
    fn nearest_rank_takes_the_value_at_the_rounded_up_rank() {
        let values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        assert_eq!(nearest_rank(&values, 50), Some(50));
        assert_eq!(nearest_rank(&values, 90), Some(90));
        assert_eq!(nearest_rank(&values[..3], 50), Some(20));
        assert_eq!(nearest_rank(&values[..3], 90), Some(30));
        assert_eq!(nearest_rank(&values[..1], 90), Some(10));
        assert_eq!(nearest_rank(&[], 50), None);
    }

    #[test]
    fn means_and_shares_round_half_up() {
        assert_eq!(mean_s(3, 2), Some(0.002));
        assert_eq!(mean_s(1000, 3), Some(0.333));
        assert_eq!(mean_s(0, 0), None);
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(1, 8), Some(12.5));
        assert_eq!(percent(0, 0), None);
        assert_eq!(signed_mean_s(-3, 2), Some(-0.001));
        assert_eq!(signed_mean_s(-1000, 3), Some(-0.333));
        assert_eq!(signed_mean_s(-2000, 3), Some(-0.667));
        assert_eq!(signed_mean_s(5000, 2), Some(2.5));
        assert_eq!(signed_mean_s(0, 0), None);
    }

    #[test]
    fn ranges_are_checked() {
        fn d(s: &str) -> Option<&str> {
            Some(s)
        }
        assert!(DayRange::parse(d("2026-01-01"), d("2026-12-31")).is_ok());
        // 2028 is a leap year: 1 January to 31 December is 366 days, one more is too many.
        assert!(DayRange::parse(d("2028-01-01"), d("2028-12-31")).is_ok());
        assert_eq!(
            DayRange::parse(d("2028-01-01"), d("2029-01-01")),
            Err(ReportError::TooLong { days: 367 })
        );
        assert_eq!(
            DayRange::parse(d("2026-02-02"), d("2026-02-01")),
            Err(ReportError::Reversed {
                from: date(2026, 2, 2),
                to: date(2026, 2, 1)
            })
        );
        for bad in [
            "2026-2-01",
            "2026-02-30",
            "20260201",
            "2026-02-01T00:00",
            "",
        ] {
            assert!(
                matches!(
                    DayRange::parse(d(bad), d("2026-03-01")),
                    Err(ReportError::InvalidDate { name: "from", .. })
                ),
                "{bad}"
            );
        }
        assert_eq!(
            DayRange::parse(None, d("2026-03-01")),
            Err(ReportError::MissingDate("from"))
        );
        assert!("week".parse::<GroupBy>().is_err());
        assert_eq!("hour".parse::<GroupBy>(), Ok(GroupBy::Hour));
    }
}
