//! How long a call of one category keeps a counter busy, learned from today's calls.
//!
//! What a wait depends on is counter time, not only service: a ticket called and then marked a
//! no-show also holds its counter for a while. So every call that ended today (served or
//! no-show) is a sample, from its last call (or recall) to its end.

/// How many samples the configured `expected_service_min` counts for. With few measurements the
/// configured time dominates; after a dozen, today's reality does.
pub const PRIOR_WEIGHT: f64 = 3.0;

/// Samples above this many medians are clipped to it: one call left open over a coffee break
/// must not double the estimate of everyone after it.
pub const CLIP_MEDIANS: f64 = 4.0;

/// A call that has run past its expected length is still expected to take at least this share
/// of the mean: it is nearly done, not done.
pub const OVERRUN_SHARE: f64 = 0.25;

/// Today's measured counter times of one category, kept sorted so that the statistics do not
/// depend on the order they were recorded in (an office restored from its tickets records them
/// in another order than the live one, and both must estimate the same).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceStats {
    /// Seconds per call, ascending.
    samples: Vec<f64>,
}

impl ServiceStats {
    /// Adds one measured call.
    pub fn record(&mut self, seconds: f64) {
        let seconds = if seconds.is_finite() {
            seconds.max(0.0)
        } else {
            0.0
        };
        let at = self.samples.partition_point(|&s| s <= seconds);
        self.samples.insert(at, seconds);
    }

    /// How many calls were measured.
    pub fn count(&self) -> usize {
        self.samples.len()
    }

    /// The value samples are clipped at: [`CLIP_MEDIANS`] times the median.
    fn clip(&self) -> f64 {
        let n = self.samples.len();
        if n == 0 {
            return f64::INFINITY;
        }
        let median = if n % 2 == 1 {
            self.samples[n / 2]
        } else {
            (self.samples[n / 2 - 1] + self.samples[n / 2]) / 2.0
        };
        CLIP_MEDIANS * median
    }

    /// The counter time to expect from one call: the clipped mean of today's samples, blended
    /// with the configured time `prior_s` weighted as [`PRIOR_WEIGHT`] samples.
    pub fn mean_s(&self, prior_s: f64) -> f64 {
        let clip = self.clip();
        let total: f64 = self.samples.iter().map(|&s| s.min(clip)).sum();
        (PRIOR_WEIGHT * prior_s + total) / (PRIOR_WEIGHT + self.samples.len() as f64)
    }

    /// How much longer a call that has run `elapsed_s` is expected to last.
    ///
    /// The samples that ran longer than `elapsed_s` say how much longer such calls went on; the
    /// configured time adds [`PRIOR_WEIGHT`] samples of `max(prior − elapsed, prior ×
    /// OVERRUN_SHARE)`. At `elapsed_s = 0` this is [`ServiceStats::mean_s`].
    pub fn remaining_s(&self, elapsed_s: f64, prior_s: f64) -> f64 {
        if elapsed_s.is_nan() || elapsed_s <= 0.0 {
            return self.mean_s(prior_s);
        }
        let clip = self.clip();
        let expected = (prior_s - elapsed_s).max(prior_s * OVERRUN_SHARE);
        let longer = &self.samples[self.samples.partition_point(|&s| s <= elapsed_s)..];
        let total: f64 = longer
            .iter()
            .map(|&s| (s.min(clip) - elapsed_s).max(0.0))
            .sum();
        (PRIOR_WEIGHT * expected + total) / (PRIOR_WEIGHT + longer.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(samples: &[f64]) -> ServiceStats {
        let mut stats = ServiceStats::default();
        for &s in samples {
            stats.record(s);
        }
        stats
    }

    #[test]
    fn the_configured_time_is_blended_with_the_measured_ones() {
        assert_eq!(stats(&[]).mean_s(300.0), 300.0);
        // (3 × 300 + 100) / 4
        assert_eq!(stats(&[100.0]).mean_s(300.0), 250.0);
        // (3 × 300 + 60 + 120 + 180) / 6
        assert_eq!(stats(&[60.0, 120.0, 180.0]).mean_s(300.0), 210.0);
        // Many samples outweigh the configured time.
        let many = stats(&[120.0; 57]);
        assert_eq!(many.mean_s(300.0), (900.0 + 57.0 * 120.0) / 60.0);
    }

    #[test]
    fn an_outlier_is_clipped_at_four_medians() {
        // Median 100, so the 3600 s call counts as 400 s.
        let with_outlier = stats(&[90.0, 100.0, 110.0, 100.0, 3600.0]);
        assert_eq!(
            with_outlier.mean_s(100.0),
            (300.0 + 90.0 + 100.0 + 110.0 + 100.0 + 400.0) / 8.0
        );
    }

    #[test]
    fn the_order_of_recording_does_not_matter() {
        let a = stats(&[30.0, 400.0, 120.0, 0.0, 95.5]);
        let b = stats(&[95.5, 0.0, 120.0, 30.0, 400.0]);
        assert_eq!(a, b);
        assert_eq!(a.mean_s(200.0), b.mean_s(200.0));
    }

    #[test]
    fn a_running_call_is_expected_to_end_later_the_longer_it_is_not_over() {
        let s = stats(&[100.0, 200.0, 300.0]);
        assert_eq!(s.remaining_s(0.0, 200.0), s.mean_s(200.0));
        // After 150 s: the calls of 200 and 300 s went on for 50 and 150 s more; the
        // configured 200 s counts as 3 samples of 50 s.
        assert_eq!(
            s.remaining_s(150.0, 200.0),
            (3.0 * 50.0 + 50.0 + 150.0) / 5.0
        );
        // Past every sample: the configured share remains.
        assert_eq!(s.remaining_s(1000.0, 200.0), 50.0);
    }

    #[test]
    fn estimates_are_never_negative() {
        let s = stats(&[0.0, 5.0, -3.0, f64::NAN]);
        for elapsed in [-10.0, 0.0, 1.0, 100.0, 1e9] {
            assert!(s.remaining_s(elapsed, 60.0) >= 0.0);
        }
        assert!(s.mean_s(60.0) >= 0.0);
    }
}
