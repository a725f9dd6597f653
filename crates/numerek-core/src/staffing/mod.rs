//! The staffing advisor's arithmetic: per category, weekday and hour, how many people came, how
//! long they took, how many counters served them, and how many the Erlang C model says would
//! have been enough (see `docs/reports.md`, Staffing).
//!
//! Like the summary report it is fed one compact ticket record at a time ([`ReportTicket`],
//! the same stream), and one [`CounterDay`] per office day: when each counter was open and
//! which categories it served meanwhile (its work profile in force).
//!
//! # The figures of one row (category `k`, weekday `w`, hour `h`)
//! - `days`: the days of the range with weekday `w` on which the office issued any ticket.
//! - `arrivals_per_h`: tickets issued in `k` at local hour `h` on those days, divided by
//!   `days`.
//! - `service_avg_s`: the mean service (finish − last call) of those tickets that were served.
//! - `counters_staffed_avg`: the counters open for `k` during hour `h`, averaged over those
//!   days that have a counter record. A counter open for part of the hour counts as that part
//!   of a counter. A counter serving several categories is split among them by its counter time
//!   in that hour (the time from a call to its finish or no-show, by the category the ticket
//!   was issued in); a counter that served nobody that hour is split evenly over the
//!   categories of its profile in force, moment by moment. Paused time is not staffed time.
//! - `counters_needed`: the fewest counters with which the Erlang C model, fed the row's
//!   arrivals and mean service, puts `target_pct` % of waits within `k`'s target.
//! - `predicted_within_target_pct`: the model's share with `counters_staffed_avg` counters.
//!
//! Only categories of the configuration have rows (the target comes from it), and only hours
//! with arrivals.

mod record;
#[cfg(test)]
mod tests;

pub use record::{CounterDay, CounterDayRecorder, CounterSpan};

use crate::config::OfficeConfig;
use crate::day::{next_day_start, start_of_day};
use crate::erlang::Traffic;
use crate::report::{DayRange, ReportError, ReportTicket, mean_s};
use crate::ticket::TicketState;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use std::collections::{BTreeSet, HashMap};

/// The share of waits within target the advisor plans for unless told otherwise, in percent.
pub const DEFAULT_TARGET_PCT: f64 = 80.0;

/// The share of waits a staffing plan aims to keep within each category's target, in percent:
/// above 0 and below 100 (the model never puts every wait within a target).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetPct(f64);

impl TargetPct {
    /// Checks a share in percent.
    ///
    /// # Errors
    /// [`ReportError::InvalidTargetPct`] unless it is above 0 and below 100.
    pub fn new(pct: f64) -> Result<Self, ReportError> {
        if pct.is_finite() && pct > 0.0 && pct < 100.0 {
            Ok(Self(pct))
        } else {
            Err(ReportError::InvalidTargetPct(pct.to_string()))
        }
    }

    /// Parses `target_pct` as given in a request: a decimal number like `80` or `92.5`;
    /// absent, [`DEFAULT_TARGET_PCT`].
    ///
    /// # Errors
    /// [`ReportError::InvalidTargetPct`] for anything else or a share out of range.
    pub fn parse(text: Option<&str>) -> Result<Self, ReportError> {
        let Some(text) = text else {
            return Ok(Self::default());
        };
        // Plain decimals only: no sign, exponent, "inf" or "nan" that Rust's parser takes.
        let plain = !text.is_empty()
            && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && text.bytes().filter(|&b| b == b'.').count() <= 1
            && text.bytes().any(|b| b.is_ascii_digit());
        let invalid = || ReportError::InvalidTargetPct(text.to_owned());
        if !plain {
            return Err(invalid());
        }
        text.parse::<f64>()
            .map_err(|_| invalid())
            .and_then(|pct| Self::new(pct).map_err(|_| invalid()))
    }

    /// The share in percent.
    pub fn pct(self) -> f64 {
        self.0
    }
}

impl Default for TargetPct {
    fn default() -> Self {
        Self(DEFAULT_TARGET_PCT)
    }
}

/// One row of the staffing advisor: a category at one hour of one weekday.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffingRow {
    /// The category's id.
    pub category: String,
    /// The weekday (written `mon` … `sun` by [`crate::config::weekday_key`]).
    pub weekday: Weekday,
    /// The local hour, 0–23.
    pub hour: u8,
    /// The days of the range with this weekday on which the office issued tickets.
    pub days: u32,
    /// Tickets issued in the category at this hour, per such day (two decimals).
    pub arrivals_per_h: f64,
    /// The mean service time of those that were served, seconds (ms precision); `None` when
    /// none was.
    pub service_avg_s: Option<f64>,
    /// The counters open for the category in this hour, per day (two decimals); `None` when
    /// none of the days has a counter record.
    pub counters_staffed_avg: Option<f64>,
    /// The fewest counters that meet the target share by the Erlang C model.
    pub counters_needed: u32,
    /// The model's share of waits within target with `counters_staffed_avg` counters, in
    /// percent (one decimal); `None` with it.
    pub predicted_within_target_pct: Option<f64>,
}

/// The staffing advisor's answer for a range of days.
#[derive(Debug, Clone, PartialEq)]
pub struct Staffing {
    /// The days it covers.
    pub range: DayRange,
    /// The share of waits within target it plans for.
    pub target_pct: TargetPct,
    /// One row per category, weekday and hour with arrivals: categories in the order of the
    /// configuration, then weekdays from Monday, then hours.
    pub rows: Vec<StaffingRow>,
}

/// Arrivals and service of one category at one weekday and hour, summed over the days.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    arrivals: u64,
    served: u64,
    service_ms: u128,
}

/// One counter during one local hour of one day.
#[derive(Debug, Clone, Default)]
struct CounterHour {
    /// Counter time (call to finish or no-show) per category index; the last slot is for
    /// categories no longer configured.
    counter_ms: Vec<u64>,
    /// Open time in this hour, each part with the categories of the profile then in force.
    open: Vec<(i64, Vec<usize>)>,
}

/// The instants local hours 0, 1, …, 23 of a day begin at, and the next day's start, in
/// milliseconds: an hour skipped by daylight saving time has no length, a repeated one two
/// hours (as [`crate::report::LocalHours`] counts them).
type HourStarts = [i64; 25];

fn hour_starts(tz: &TimeZone, date: Date) -> HourStarts {
    let mut starts = [0i64; 25];
    let first = start_of_day(tz, date);
    starts[0] = first.as_millisecond();
    for hour in 1..24 {
        let civil = date.at(hour, 0, 0, 0);
        starts[hour as usize] = tz
            .to_ambiguous_timestamp(civil)
            .compatible()
            .map_or(starts[hour as usize - 1], |at| at.as_millisecond());
    }
    starts[24] = next_day_start(tz, first).as_millisecond();
    for hour in 1..25 {
        starts[hour] = starts[hour].max(starts[hour - 1]);
    }
    starts
}

/// Calls `each(hour, ms)` for every local hour that `[from, to)` overlaps, with the overlap.
fn by_hour(starts: &HourStarts, from: i64, to: i64, mut each: impl FnMut(usize, i64)) {
    for hour in 0..24 {
        let overlap = to.min(starts[hour + 1]) - from.max(starts[hour]);
        if overlap > 0 {
            each(hour, overlap);
        }
    }
}

/// Builds [`Staffing`] from tickets and counter days fed one at a time, in any order.
#[derive(Debug)]
pub struct StaffingBuilder {
    range: DayRange,
    target_pct: TargetPct,
    tz: TimeZone,
    /// Configured categories: id, target in seconds, configured service time in seconds.
    categories: Vec<(String, f64, f64)>,
    index: HashMap<String, usize>,
    /// Each configured counter's categories in the office file, as indexes.
    file_profiles: HashMap<String, Vec<usize>>,
    hours: HashMap<Date, HourStarts>,
    /// Days with any ticket, and days with a counter record.
    days: BTreeSet<Date>,
    recorded: BTreeSet<Date>,
    cells: HashMap<(usize, Weekday, u8), Cell>,
    /// Per category over the whole range: served tickets and their service.
    category_service: Vec<(u64, u128)>,
    /// Counter ids as met, numbered (keys of `counter_hours`, so a ticket costs no allocation).
    counters: HashMap<String, usize>,
    /// Per day, counter number and local hour.
    counter_hours: HashMap<(Date, usize, u8), CounterHour>,
}

impl StaffingBuilder {
    /// A builder for a range and target share, with the categories, targets, counters and time
    /// zone of the configuration.
    pub fn new(config: &OfficeConfig, range: DayRange, target_pct: TargetPct) -> Self {
        let categories: Vec<(String, f64, f64)> = config
            .categories
            .iter()
            .map(|c| {
                (
                    c.id.clone(),
                    f64::from(c.target_wait_s),
                    f64::from(c.expected_service_s),
                )
            })
            .collect();
        let index: HashMap<String, usize> = categories
            .iter()
            .enumerate()
            .map(|(i, (id, ..))| (id.clone(), i))
            .collect();
        let file_profiles = config
            .counters
            .iter()
            .map(|counter| {
                let served = counter
                    .categories
                    .iter()
                    .filter_map(|c| index.get(c).copied())
                    .collect();
                (counter.id.clone(), served)
            })
            .collect();
        Self {
            range,
            target_pct,
            tz: config.office.tz.clone(),
            category_service: vec![(0, 0); categories.len()],
            categories,
            index,
            file_profiles,
            hours: HashMap::new(),
            days: BTreeSet::new(),
            recorded: BTreeSet::new(),
            cells: HashMap::new(),
            counters: HashMap::new(),
            counter_hours: HashMap::new(),
        }
    }

    fn in_range(&self, date: Date) -> bool {
        self.range.from() <= date && date <= self.range.to()
    }

    fn starts(&mut self, date: Date) -> HourStarts {
        let tz = &self.tz;
        *self
            .hours
            .entry(date)
            .or_insert_with(|| hour_starts(tz, date))
    }

    fn counter_hour(&mut self, date: Date, counter: &str, hour: usize) -> &mut CounterHour {
        let slots = self.categories.len() + 1;
        let hour = u8::try_from(hour).unwrap_or(23);
        let next = self.counters.len();
        let number = match self.counters.get(counter) {
            Some(&number) => number,
            None => *self.counters.entry(counter.to_owned()).or_insert(next),
        };
        let entry = self.counter_hours.entry((date, number, hour)).or_default();
        if entry.counter_ms.is_empty() {
            entry.counter_ms = vec![0; slots];
        }
        entry
    }

    /// Counts one ticket: an arrival in its category, weekday and hour of issue, its service if
    /// served, and its counter time at the counter of its last call. Tickets of days outside
    /// the range are ignored.
    pub fn add_ticket(&mut self, ticket: &ReportTicket<'_>) {
        let date = ticket.office_date;
        if !self.in_range(date) {
            return;
        }
        self.days.insert(date);
        let category = self.index.get(ticket.category).copied();
        if let Some(k) = category {
            let cell = self
                .cells
                .entry((k, date.weekday(), ticket.issue_hour.min(23)))
                .or_default();
            cell.arrivals += 1;
            if let Some(service) = ticket.service_ms() {
                cell.served += 1;
                cell.service_ms += u128::from(service);
                self.category_service[k].0 += 1;
                self.category_service[k].1 += u128::from(service);
            }
        }
        let ended_at_counter = matches!(ticket.state, TicketState::Done | TicketState::NoShow);
        if let (true, Some(counter), Some(start), Some(end)) = (
            ended_at_counter,
            ticket.counter,
            ticket.last_called_ms,
            ticket.finished_ms,
        ) {
            let slot = category.unwrap_or(self.categories.len());
            let starts = self.starts(date);
            let mut parts: Vec<(usize, i64)> = Vec::new();
            by_hour(&starts, start, end, |hour, ms| parts.push((hour, ms)));
            for (hour, ms) in parts {
                self.counter_hour(date, counter, hour).counter_ms[slot] += ms.unsigned_abs();
            }
        }
    }

    /// Takes one day's counter record. A record of a day outside the range is ignored; a day
    /// in the range without a record has no staffed figure (numerek did not record counters
    /// then), unlike a recorded day on which no counter opened.
    pub fn add_counter_day(&mut self, day: &CounterDay) {
        let date = day.office_date;
        if !self.in_range(date) {
            return;
        }
        self.recorded.insert(date);
        let starts = self.starts(date);
        for span in &day.spans {
            if span.state != crate::counter::CounterState::Open {
                continue;
            }
            let served: Vec<usize> = if span.categories.is_empty() {
                self.file_profiles
                    .get(&span.counter)
                    .cloned()
                    .unwrap_or_default()
            } else {
                span.categories
                    .iter()
                    .filter_map(|c| self.index.get(c).copied())
                    .collect()
            };
            let mut parts: Vec<(usize, i64)> = Vec::new();
            by_hour(&starts, span.start_ms, span.end_ms, |hour, ms| {
                parts.push((hour, ms));
            });
            for (hour, ms) in parts {
                self.counter_hour(date, &span.counter, hour)
                    .open
                    .push((ms, served.clone()));
            }
        }
    }

    /// The counters staffed per category, day and hour: open time split by the rule of the
    /// module documentation, as a number of counters (open time / the hour's length).
    fn staffed(&self) -> HashMap<(Date, usize, u8), f64> {
        let mut staffed: HashMap<(Date, usize, u8), f64> = HashMap::new();
        for ((date, _, hour), counter) in &self.counter_hours {
            let Some(starts) = self.hours.get(date) else {
                continue;
            };
            let length = starts[usize::from(*hour) + 1] - starts[usize::from(*hour)];
            let open_ms: i64 = counter.open.iter().map(|(ms, _)| ms).sum();
            if open_ms <= 0 || length <= 0 {
                continue;
            }
            let length = length as f64;
            let busy_ms: u64 = counter.counter_ms.iter().sum();
            let mut add = |k: usize, ms: f64| {
                *staffed.entry((*date, k, *hour)).or_default() += ms / length;
            };
            if busy_ms > 0 {
                let configured = &counter.counter_ms[..self.categories.len()];
                for (k, &ms) in configured.iter().enumerate() {
                    if ms > 0 {
                        add(k, open_ms as f64 * ms as f64 / busy_ms as f64);
                    }
                }
            } else {
                for (ms, served) in &counter.open {
                    for &k in served {
                        add(k, *ms as f64 / served.len() as f64);
                    }
                }
            }
        }
        staffed
    }

    /// The staffing rows.
    pub fn finish(self) -> Staffing {
        let staffed = self.staffed();
        let share = self.target_pct.pct() / 100.0;
        let mut keys: Vec<&(usize, Weekday, u8)> = self
            .cells
            .iter()
            .filter(|(_, cell)| cell.arrivals > 0)
            .map(|(key, _)| key)
            .collect();
        keys.sort_by_key(|(k, weekday, hour)| (*k, weekday.to_monday_zero_offset(), *hour));
        let rows = keys
            .into_iter()
            .map(|&(k, weekday, hour)| {
                let cell = self.cells[&(k, weekday, hour)];
                let (id, target_s, configured_service_s) = &self.categories[k];
                let days: Vec<Date> = self
                    .days
                    .iter()
                    .copied()
                    .filter(|d| d.weekday() == weekday)
                    .collect();
                let day_count = days.len().max(1) as u64;
                let recorded: Vec<Date> = days
                    .iter()
                    .copied()
                    .filter(|d| self.recorded.contains(d))
                    .collect();
                let arrivals_per_h = ratio_2dp(cell.arrivals, day_count);
                let service_avg_s = mean_s(cell.service_ms, cell.served);
                let (served, total) = self.category_service[k];
                let model_service_s = service_avg_s
                    .or_else(|| mean_s(total, served))
                    .unwrap_or(*configured_service_s);
                let counters_staffed_avg = (!recorded.is_empty()).then(|| {
                    let sum: f64 = recorded
                        .iter()
                        .map(|d| staffed.get(&(*d, k, hour)).copied().unwrap_or(0.0))
                        .sum();
                    round_to(sum / recorded.len() as f64, 100.0)
                });
                let traffic = Traffic::new(arrivals_per_h, model_service_s);
                StaffingRow {
                    category: id.clone(),
                    weekday,
                    hour,
                    days: u32::try_from(days.len()).unwrap_or(u32::MAX),
                    arrivals_per_h,
                    service_avg_s,
                    counters_staffed_avg,
                    counters_needed: traffic.counters_needed(*target_s, share),
                    predicted_within_target_pct: counters_staffed_avg.map(|counters| {
                        round_to(traffic.within_staffed(counters, *target_s) * 100.0, 10.0)
                    }),
                }
            })
            .collect();
        Staffing {
            range: self.range,
            target_pct: self.target_pct,
            rows,
        }
    }
}

/// The staffing rows of tickets and counter days held in memory (tests, small ranges).
pub fn plan_staffing<'a, 'b>(
    config: &OfficeConfig,
    range: DayRange,
    target_pct: TargetPct,
    tickets: impl IntoIterator<Item = ReportTicket<'a>>,
    counter_days: impl IntoIterator<Item = &'b CounterDay>,
) -> Staffing {
    let mut builder = StaffingBuilder::new(config, range, target_pct);
    for ticket in tickets {
        builder.add_ticket(&ticket);
    }
    for day in counter_days {
        builder.add_counter_day(day);
    }
    builder.finish()
}

/// `part / whole` rounded half up to two decimals, exactly.
fn ratio_2dp(part: u64, whole: u64) -> f64 {
    let (part, whole) = (u128::from(part), u128::from(whole));
    let hundredths = (200 * part + whole) / (2 * whole);
    hundredths as f64 / 100.0
}

/// `value` rounded half up to `1 / per_unit` (100.0: two decimals).
fn round_to(value: f64, per_unit: f64) -> f64 {
    (value * per_unit).round() / per_unit
}
