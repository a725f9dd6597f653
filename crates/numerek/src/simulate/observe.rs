//! What the simulator saw, from the server's own answers (every time is the server's), and the
//! figures it makes of it: waits, service times, and how far the wait estimates were off.

use super::api::Issued;
use jiff::Timestamp;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The naive baseline falls back to the configured service time until a category has this many
/// services (as numerek's first estimator did).
const BASELINE_MIN_SAMPLES: usize = 3;

/// One issued ticket as the kiosk saw it.
#[derive(Debug, Clone, PartialEq)]
struct IssueSeen {
    category: usize,
    issued_at: Timestamp,
    /// numerek's estimate at issue.
    estimate_s: f64,
    /// The naive estimate at issue.
    baseline_s: f64,
    /// numerek's range at issue.
    range_s: [f64; 2],
    /// For a ticket of a check-in, its slot's start.
    slot: Option<Timestamp>,
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq)]
struct EndSeen {
    no_show: bool,
    /// From the call to the end, in seconds.
    counter_s: f64,
}

/// Everything seen so far. Calls may be seen before the kiosk has heard back about the same
/// ticket, so issues, calls and ends are kept apart and joined at the end.
#[derive(Debug, Clone)]
pub struct Observations {
    categories: Vec<String>,
    issued: HashMap<String, IssueSeen>,
    called: HashMap<String, Timestamp>,
    ended: HashMap<String, EndSeen>,
    refused: Vec<u64>,
    /// Check-ins the kiosk refused.
    checkins_refused: u64,
    /// Service times of served tickets per category, in the order they ended.
    services: Vec<Vec<f64>>,
}

impl Observations {
    /// Nothing seen yet, for these categories (ids in configuration order).
    pub fn new(categories: Vec<String>) -> Self {
        let n = categories.len();
        Self {
            categories,
            issued: HashMap::new(),
            called: HashMap::new(),
            ended: HashMap::new(),
            refused: vec![0; n],
            checkins_refused: 0,
            services: vec![Vec::new(); n],
        }
    }

    /// The naive estimate for a ticket with `people_ahead` in `category`: the mean service time
    /// seen so far (the configured one until three services) × people ahead ÷ open counters.
    pub fn baseline_s(
        &self,
        category: usize,
        people_ahead: u64,
        configured_s: f64,
        open_counters: usize,
    ) -> f64 {
        let seen = self.services.get(category).map_or(&[][..], Vec::as_slice);
        let mean = if seen.len() >= BASELINE_MIN_SAMPLES {
            seen.iter().sum::<f64>() / seen.len() as f64
        } else {
            configured_s
        };
        (people_ahead as f64 * mean / open_counters.max(1) as f64).round()
    }

    /// A ticket was issued: at the kiosk, or at a check-in for the slot starting at `slot`.
    pub fn issued(
        &mut self,
        category: usize,
        ticket: &Issued,
        baseline_s: f64,
        slot: Option<Timestamp>,
    ) {
        self.issued.insert(
            ticket.id.clone(),
            IssueSeen {
                category,
                issued_at: ticket.issued_at,
                estimate_s: ticket.estimated_wait_s,
                baseline_s,
                range_s: ticket.estimated_wait_range_s,
                slot,
            },
        );
    }

    /// The kiosk was refused a ticket.
    pub fn refused(&mut self, category: usize) {
        if let Some(count) = self.refused.get_mut(category) {
            *count += 1;
        }
    }

    /// The kiosk refused a booked visitor's check-in.
    pub fn checkin_refused(&mut self) {
        self.checkins_refused += 1;
    }

    /// A ticket was called (its first call: the simulator never recalls or transfers).
    pub fn called(&mut self, id: &str, at: Timestamp) {
        self.called.entry(id.to_owned()).or_insert(at);
    }

    /// A called ticket was served or marked a no-show at `at`.
    pub fn ended(
        &mut self,
        id: &str,
        category: usize,
        called_at: Timestamp,
        at: Timestamp,
        no_show: bool,
    ) {
        let counter_s = at.duration_since(called_at).as_secs_f64();
        if !no_show && let Some(services) = self.services.get_mut(category) {
            services.push(counter_s);
        }
        self.ended
            .insert(id.to_owned(), EndSeen { no_show, counter_s });
    }

    /// The figures per category (configuration order) and in total.
    pub fn summary(&self) -> Summary {
        let mut rows: Vec<Row> = self
            .categories
            .iter()
            .map(|id| Row::new(id.clone()))
            .collect();
        let mut total = Row::new("total".to_owned());
        let mut walk_ins = Row::new("walk-ins".to_owned());
        let mut booked = Row::new("appointments".to_owned());
        let mut delays_ms = Vec::new();
        // In the order of issue, so that the sums, and the figures, are the same every time.
        let mut issued: Vec<(&String, &IssueSeen)> = self.issued.iter().collect();
        issued.sort_by(|a, b| (a.1.issued_at, a.0).cmp(&(b.1.issued_at, b.0)));
        for (id, issue) in issued {
            let called = self.called.get(id).copied();
            let ended = self.ended.get(id).copied();
            let kind = if issue.slot.is_some() {
                &mut booked
            } else {
                &mut walk_ins
            };
            for row in [&mut rows[issue.category], &mut total, kind] {
                row.add(issue, called, ended);
            }
            if let (Some(slot), Some(called)) = (issue.slot, called) {
                delays_ms.push(called.as_millisecond() - slot.as_millisecond());
            }
        }
        delays_ms.sort_unstable();
        for (category, refused) in self.refused.iter().enumerate() {
            rows[category].refused = *refused;
            total.refused += refused;
        }
        for row in rows
            .iter_mut()
            .chain([&mut total, &mut walk_ins, &mut booked])
        {
            row.wait_ms.sort_unstable();
            row.service_s.sort_by(f64::total_cmp);
        }
        Summary {
            rows,
            total,
            walk_ins,
            booked,
            delays_ms,
            checkins_refused: self.checkins_refused,
        }
    }
}

/// The figures of one category, or of all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// The category's id, or `total`.
    pub key: String,
    /// Tickets issued.
    pub issued: u64,
    /// Tickets the kiosk was refused (closed, cut off, or over the limit).
    pub refused: u64,
    /// Tickets called.
    pub called: u64,
    /// Tickets served.
    pub served: u64,
    /// Tickets whose holder did not come.
    pub no_show: u64,
    /// Realised waits (first call − issue) in whole milliseconds, as the API's timestamps have
    /// them, sorted.
    pub wait_ms: Vec<i64>,
    /// Service times of served tickets in seconds, sorted.
    pub service_s: Vec<f64>,
    /// numerek's estimate at issue − the realised wait, per called ticket.
    pub estimate_errors_s: Vec<f64>,
    /// The naive estimate at issue − the realised wait, per called ticket.
    pub baseline_errors_s: Vec<f64>,
    /// Called tickets whose realised wait was shorter than the range given at issue.
    pub below_range: u64,
    /// Called tickets whose realised wait was within the range given at issue.
    pub in_range: u64,
    /// Called tickets whose realised wait was longer than the range given at issue.
    pub above_range: u64,
}

impl Row {
    fn new(key: String) -> Self {
        Self {
            key,
            ..Self::default()
        }
    }

    fn add(&mut self, issue: &IssueSeen, called: Option<Timestamp>, ended: Option<EndSeen>) {
        self.issued += 1;
        if let Some(called_at) = called {
            self.called += 1;
            let wait_ms = called_at.as_millisecond() - issue.issued_at.as_millisecond();
            self.wait_ms.push(wait_ms);
            let wait_s = wait_ms as f64 / 1000.0;
            self.estimate_errors_s.push(issue.estimate_s - wait_s);
            self.baseline_errors_s.push(issue.baseline_s - wait_s);
            let [low, high] = issue.range_s;
            if wait_s < low {
                self.below_range += 1;
            } else if wait_s > high {
                self.above_range += 1;
            } else {
                self.in_range += 1;
            }
        }
        match ended {
            Some(EndSeen { no_show: true, .. }) => self.no_show += 1,
            Some(EndSeen { counter_s, .. }) => {
                self.served += 1;
                self.service_s.push(counter_s);
            }
            None => {}
        }
    }

    /// The mean realised wait in seconds (millisecond precision, rounded half up, as the report).
    pub fn wait_avg_s(&self) -> Option<f64> {
        let n = self.wait_ms.len() as i64;
        (n > 0).then(|| {
            let sum: i64 = self.wait_ms.iter().sum();
            ((2 * sum + n) / (2 * n)) as f64 / 1000.0
        })
    }

    /// The longest realised wait in seconds.
    pub fn wait_max_s(&self) -> Option<f64> {
        self.wait_ms.last().map(|&ms| ms as f64 / 1000.0)
    }

    /// A percentile of the realised waits in seconds (nearest rank).
    pub fn wait_pct_s(&self, p: usize) -> Option<f64> {
        nearest_rank(&self.wait_ms, p).map(|&ms| ms as f64 / 1000.0)
    }

    /// The mean service time in seconds.
    pub fn service_avg_s(&self) -> Option<f64> {
        mean(&self.service_s)
    }

    /// A percentile of the service times (nearest rank).
    pub fn service_pct_s(&self, p: usize) -> Option<f64> {
        nearest_rank(&self.service_s, p).copied()
    }

    /// numerek's mean absolute error.
    pub fn estimate_mae_s(&self) -> Option<f64> {
        mean_abs(&self.estimate_errors_s)
    }

    /// The naive baseline's mean absolute error.
    pub fn baseline_mae_s(&self) -> Option<f64> {
        mean_abs(&self.baseline_errors_s)
    }

    /// The share of called tickets whose realised wait was within the range given at issue,
    /// shorter than it, and longer than it.
    pub fn range_shares(&self) -> Option<[f64; 3]> {
        let called = self.below_range + self.in_range + self.above_range;
        (called > 0).then(|| {
            [self.in_range, self.below_range, self.above_range].map(|n| n as f64 / called as f64)
        })
    }

    /// numerek's mean error (positive: estimates too long).
    pub fn estimate_bias_s(&self) -> Option<f64> {
        mean(&self.estimate_errors_s)
    }

    /// The baseline's mean error.
    pub fn baseline_bias_s(&self) -> Option<f64> {
        mean(&self.baseline_errors_s)
    }

    /// The row as JSON, seconds rounded to the millisecond.
    pub fn to_json(&self) -> Value {
        let s = |v: Option<f64>| v.map(|v| (v * 1000.0).round() / 1000.0);
        json!({
            "key": self.key,
            "issued": self.issued,
            "refused": self.refused,
            "called": self.called,
            "served": self.served,
            "no_show": self.no_show,
            "wait_avg_s": s(self.wait_avg_s()),
            "wait_p50_s": s(self.wait_pct_s(50)),
            "wait_p90_s": s(self.wait_pct_s(90)),
            "wait_max_s": s(self.wait_max_s()),
            "service_avg_s": s(self.service_avg_s()),
            "service_p50_s": s(self.service_pct_s(50)),
            "service_p90_s": s(self.service_pct_s(90)),
            "estimate_mae_s": s(self.estimate_mae_s()),
            "estimate_bias_s": s(self.estimate_bias_s()),
            "baseline_mae_s": s(self.baseline_mae_s()),
            "baseline_bias_s": s(self.baseline_bias_s()),
            "range_coverage": self.range_shares().map(|[within, _, _]| round3(within)),
            "range_below": self.range_shares().map(|[_, below, _]| round3(below)),
            "range_above": self.range_shares().map(|[_, _, above]| round3(above)),
        })
    }
}

/// The figures of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Per category, in configuration order.
    pub rows: Vec<Row>,
    /// All categories.
    pub total: Row,
    /// The walk-in tickets of all categories.
    pub walk_ins: Row,
    /// The tickets of check-ins (their wait is from the check-in).
    pub booked: Row,
    /// First call − slot start of each called ticket of a check-in, milliseconds, sorted.
    pub delays_ms: Vec<i64>,
    /// Check-ins refused (too late): bookings the report counts as missed.
    pub checkins_refused: u64,
}

impl Summary {
    /// The mean delay of the booked visits (first call − slot start), seconds, rounded half
    /// up to the millisecond as the report rounds it.
    pub fn delay_avg_s(&self) -> Option<f64> {
        let n = self.delays_ms.len() as i64;
        (n > 0).then(|| {
            let sum: i64 = self.delays_ms.iter().sum();
            (2 * sum + n).div_euclid(2 * n) as f64 / 1000.0
        })
    }

    /// A percentile of the delays, seconds (nearest rank).
    pub fn delay_pct_s(&self, p: usize) -> Option<f64> {
        nearest_rank(&self.delays_ms, p).map(|&ms| ms as f64 / 1000.0)
    }
}

/// A share rounded to three decimals.
fn round3(share: f64) -> f64 {
    (share * 1000.0).round() / 1000.0
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn mean_abs(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().map(|v| v.abs()).sum::<f64>() / values.len() as f64)
}

/// The `p`-th percentile of sorted values by the nearest-rank method (as the report computes).
fn nearest_rank<T>(sorted: &[T], p: usize) -> Option<&T> {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + seconds).unwrap()
    }

    fn issued(id: &str, at_s: i64, estimate_s: f64) -> Issued {
        Issued {
            id: id.to_owned(),
            number: 1,
            issued_at: at(at_s),
            people_ahead: 0,
            estimated_wait_s: estimate_s,
            estimated_wait_range_s: [estimate_s * 0.5, estimate_s * 1.5],
        }
    }

    #[test]
    fn waits_errors_and_services_are_counted_per_category_and_in_total() {
        let mut seen = Observations::new(vec!["a".into(), "b".into()]);
        seen.issued(0, &issued("t1", 0, 100.0), 50.0, None);
        seen.issued(0, &issued("t2", 10, 300.0), 400.0, Some(at(200)));
        seen.issued(1, &issued("t3", 20, 0.0), 0.0, None);
        seen.refused(1);
        // A call seen before its issue is still joined.
        seen.called("t1", at(120));
        seen.called("t2", at(250));
        seen.ended("t1", 0, at(120), at(420), false);
        seen.ended("t2", 0, at(250), at(310), true);
        let summary = seen.summary();
        let a = &summary.rows[0];
        assert_eq!((a.issued, a.called, a.served, a.no_show), (2, 2, 1, 1));
        assert_eq!(a.wait_ms, [120_000, 240_000]);
        assert_eq!(a.wait_avg_s(), Some(180.0));
        assert_eq!(a.wait_max_s(), Some(240.0));
        assert_eq!(a.wait_pct_s(50), Some(120.0));
        assert_eq!(a.wait_pct_s(90), Some(240.0));
        assert_eq!(a.service_avg_s(), Some(300.0));
        // Errors: 100 − 120 and 300 − 240; baseline 50 − 120 and 400 − 240.
        assert_eq!(a.estimate_mae_s(), Some(40.0));
        assert_eq!(a.estimate_bias_s(), Some(20.0));
        assert_eq!(a.baseline_mae_s(), Some(115.0));
        // Ranges [50, 150] and [150, 450] against waits of 120 and 240 s: both within.
        assert_eq!((a.below_range, a.in_range, a.above_range), (0, 2, 0));
        assert_eq!(a.range_shares(), Some([1.0, 0.0, 0.0]));
        let b = &summary.rows[1];
        assert_eq!((b.issued, b.refused, b.called), (1, 1, 0));
        assert_eq!(b.wait_avg_s(), None);
        assert_eq!(b.range_shares(), None);
        assert_eq!(summary.total.issued, 3);
        assert_eq!(summary.total.refused, 1);
        assert_eq!(summary.total.called, 2);
        // t2 came booked for 200 s and was called at 250 s.
        assert_eq!((summary.walk_ins.issued, summary.booked.issued), (2, 1));
        assert_eq!(summary.booked.wait_ms, [240_000]);
        assert_eq!(summary.delays_ms, [50_000]);
        assert_eq!(summary.delay_avg_s(), Some(50.0));
    }

    #[test]
    fn the_baseline_takes_the_configured_time_until_three_services() {
        let mut seen = Observations::new(vec!["a".into()]);
        assert_eq!(seen.baseline_s(0, 4, 300.0, 2), 600.0);
        for (i, service) in [60, 120, 180].into_iter().enumerate() {
            let id = format!("t{i}");
            seen.ended(&id, 0, at(0), at(service), false);
        }
        assert_eq!(seen.baseline_s(0, 4, 300.0, 2), 240.0);
        assert_eq!(
            seen.baseline_s(0, 4, 300.0, 0),
            480.0,
            "one counter assumed"
        );
    }

    #[test]
    fn the_mean_wait_rounds_half_up_to_the_millisecond() {
        let row = Row {
            wait_ms: vec![1, 2],
            ..Row::default()
        };
        assert_eq!(row.wait_avg_s(), Some(0.002));
    }
}
