//! Latency figures: percentiles of measured durations.

use serde_json::{Value, json};
use std::time::Duration;

/// p50, p99 and max of a set of latencies, and how many there were.
#[derive(Debug, Clone, Copy, Default)]
pub struct Latency {
    /// How many were measured.
    pub count: usize,
    /// Median.
    pub p50: Duration,
    /// 90th percentile.
    pub p90: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// Longest.
    pub max: Duration,
}

impl Latency {
    /// The figures of these samples (nearest rank, as the reports compute percentiles).
    pub fn of(mut samples: Vec<Duration>) -> Self {
        if samples.is_empty() {
            return Self::default();
        }
        samples.sort_unstable();
        let rank =
            |p: usize| samples[(p * samples.len()).div_ceil(100).clamp(1, samples.len()) - 1];
        Self {
            count: samples.len(),
            p50: rank(50),
            p90: rank(90),
            p99: rank(99),
            max: samples[samples.len() - 1],
        }
    }

    /// As JSON, in milliseconds.
    pub fn json(&self) -> Value {
        json!({
            "count": self.count,
            "p50_ms": ms(self.p50),
            "p90_ms": ms(self.p90),
            "p99_ms": ms(self.p99),
            "max_ms": ms(self.max),
        })
    }

    /// `p50 / p90 / p99 / max` in milliseconds, for the table.
    pub fn text(&self) -> String {
        format!(
            "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            ms(self.p50),
            ms(self.p90),
            ms(self.p99),
            ms(self.max)
        )
    }
}

/// A duration in milliseconds, to the microsecond.
pub fn ms(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let samples: Vec<Duration> = (1..=200).map(Duration::from_millis).collect();
        let latency = Latency::of(samples);
        assert_eq!(latency.count, 200);
        assert_eq!(latency.p50, Duration::from_millis(100));
        assert_eq!(latency.p99, Duration::from_millis(198));
        assert_eq!(latency.max, Duration::from_millis(200));
        assert_eq!(Latency::of(Vec::new()).count, 0);
    }
}
