//! Who is likely to come next: today's issue rate of a category, to foresee the tickets that
//! will be called before someone already waiting.
//!
//! A waiting ticket is overtaken by tickets not yet issued: by priority tickets of its own
//! category and of the other categories its fifo counters serve, and, at a counter with
//! `order = "listed"`, by every ticket of a category listed before its own. How many depends on
//! how busy the office is, which the last hour of issuing shows best; how many of them are
//! priority tickets, on the share of priority tickets the whole office has issued today (a
//! category's few priority tickets of the last hour are too few to tell: one among a handful
//! would foresee one every quarter of an hour).

/// The span of recent issuing a rate is measured over.
pub const RATE_WINDOW_S: f64 = 3600.0;

/// The shortest span a rate is measured over, just after opening: two tickets in the first
/// minute are not a rate of 120 an hour.
pub const MIN_RATE_WINDOW_S: f64 = 900.0;

/// When today's tickets of one category were issued, kept sorted (milliseconds since the
/// epoch), so that the rates do not depend on the order tickets were recorded in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssueLog {
    normal_ms: Vec<i64>,
    priority_ms: Vec<i64>,
}

/// The expected arrivals of one category from now on, as rates until issuing closes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Arrivals {
    /// Non-priority tickets per second.
    pub normal_per_s: f64,
    /// Priority tickets per second.
    pub priority_per_s: f64,
    /// Seconds from now until issuing closes today (no arrivals after it).
    pub until_s: f64,
}

impl Arrivals {
    /// The same arrivals, `share` of them priority tickets.
    pub fn with_priority_share(self, share: f64) -> Self {
        let total = self.normal_per_s + self.priority_per_s;
        let share = if share.is_finite() {
            share.clamp(0.0, 1.0)
        } else {
            0.0
        };
        Self {
            normal_per_s: total * (1.0 - share),
            priority_per_s: total * share,
            until_s: self.until_s,
        }
    }
}

impl IssueLog {
    /// Adds one issued ticket.
    pub fn record(&mut self, at_ms: i64, priority: bool) {
        let times = if priority {
            &mut self.priority_ms
        } else {
            &mut self.normal_ms
        };
        let at = times.partition_point(|&t| t <= at_ms);
        times.insert(at, at_ms);
    }

    /// How many tickets were issued today before `now_ms`: non-priority, priority.
    pub fn counts_before(&self, now_ms: i64) -> (usize, usize) {
        let before = |times: &[i64]| times.partition_point(|&t| t < now_ms);
        (before(&self.normal_ms), before(&self.priority_ms))
    }

    /// The arrivals to expect after `now_ms`: the issue rates of the last
    /// [`RATE_WINDOW_S`] (or, `open_for_s` after opening, of the time since opening, but at least
    /// [`MIN_RATE_WINDOW_S`]), until issuing closes in `until_s`.
    ///
    /// Tickets issued at `now_ms` itself count from the next instant on: the tickets of one
    /// burst (one commit shares one instant) then leave the forecast as it was, and are answered
    /// from one replay.
    pub fn forecast(&self, now_ms: i64, open_for_s: f64, until_s: f64) -> Arrivals {
        if until_s <= 0.0 || open_for_s <= 0.0 {
            return Arrivals::default();
        }
        let window_s = open_for_s.clamp(MIN_RATE_WINDOW_S, RATE_WINDOW_S);
        let from_ms = now_ms - (window_s * 1000.0) as i64;
        let count = |times: &[i64]| {
            let start = times.partition_point(|&t| t <= from_ms);
            let end = times.partition_point(|&t| t < now_ms);
            end.saturating_sub(start) as f64
        };
        Arrivals {
            normal_per_s: count(&self.normal_ms) / window_s,
            priority_per_s: count(&self.priority_ms) / window_s,
            until_s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_that_of_the_last_hour() {
        let mut log = IssueLog::default();
        let now = 10 * 3_600_000;
        // 90 minutes ago (outside the hour), then 6 normal and 2 priority in the last hour,
        // and one at this very instant (counted from the next one on).
        log.record(now - 5_400_000, false);
        for minutes in [50, 40, 30, 20, 10, 1] {
            log.record(now - minutes * 60_000, false);
        }
        log.record(now, false);
        log.record(now - 1_000, true);
        log.record(now - 2_000, true);
        let forecast = log.forecast(now, 7200.0, 1800.0);
        assert_eq!(forecast.normal_per_s, 6.0 / 3600.0);
        assert_eq!(forecast.priority_per_s, 2.0 / 3600.0);
        assert_eq!(forecast.until_s, 1800.0);
        assert_eq!(log.counts_before(now), (7, 2));
        assert_eq!(log.counts_before(now + 1), (8, 2));
    }

    #[test]
    fn a_priority_share_splits_the_same_arrivals() {
        let arrivals = Arrivals {
            normal_per_s: 0.003,
            priority_per_s: 0.001,
            until_s: 600.0,
        };
        let split = arrivals.with_priority_share(0.1);
        assert!((split.normal_per_s - 0.0036).abs() < 1e-12);
        assert!((split.priority_per_s - 0.0004).abs() < 1e-12);
        assert_eq!(split.until_s, 600.0);
        assert_eq!(arrivals.with_priority_share(f64::NAN).priority_per_s, 0.0);
    }

    #[test]
    fn just_after_opening_the_rate_is_over_at_least_a_quarter_hour() {
        let mut log = IssueLog::default();
        let now = 1_000_000;
        log.record(now - 60_000, false);
        log.record(now - 1, false);
        assert_eq!(log.forecast(now, 120.0, 3600.0).normal_per_s, 2.0 / 900.0);
        assert_eq!(log.forecast(now, 1800.0, 3600.0).normal_per_s, 2.0 / 1800.0);
    }

    #[test]
    fn nobody_arrives_after_closing_or_before_opening() {
        let mut log = IssueLog::default();
        log.record(0, false);
        assert_eq!(log.forecast(1000, 3600.0, 0.0), Arrivals::default());
        assert_eq!(log.forecast(1000, 0.0, 3600.0), Arrivals::default());
    }
}
