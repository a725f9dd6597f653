//! A summary report: the running sums of each group of tickets, and the rows they make.

use super::input::{ReportAppointment, ReportTicket};
use super::query::{DayRange, GroupBy};
use super::stats::{mean_s, ms_to_s, nearest_rank, percent, signed_mean_s};
use crate::appointment::AppointmentState;
use crate::config::OfficeConfig;
use crate::ticket::TicketState;
use jiff::civil::Date;
use std::collections::HashMap;
use std::fmt;

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
    ratings: super::satisfaction::Ratings,
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
        if ticket.office_date < self.range.from() || ticket.office_date > self.range.to() {
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
            || appointment.office_date < self.range.from()
            || appointment.office_date > self.range.to()
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
