//! The wait estimate shown on tickets and at the kiosk.
//!
//! First version (see `docs/estimation.md`): the people ahead are shared by the counters open
//! for the category, each taking the category's mean service time of today, or the configured
//! `expected_service_min` until three tickets have been served.

/// How many finished services a category needs before its own mean replaces the configured one.
pub const MIN_SAMPLES: u32 = 3;

/// Today's measured service times of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ServiceStats {
    /// Sum of service times in seconds.
    pub total_s: f64,
    /// How many services were measured.
    pub count: u32,
}

impl ServiceStats {
    /// Adds one measured service.
    pub fn record(&mut self, seconds: f64) {
        self.total_s += seconds.max(0.0);
        self.count += 1;
    }

    /// The mean service time to assume: measured once there are enough samples, else `fallback_s`.
    pub fn mean_or(&self, fallback_s: f64) -> f64 {
        if self.count >= MIN_SAMPLES {
            self.total_s / f64::from(self.count)
        } else {
            fallback_s
        }
    }
}

/// The estimated wait in seconds of a ticket with `ahead` people before it, when `servers`
/// counters share the line and each service takes `mean_service_s`.
///
/// With no counter open the estimate assumes one will open: an estimate of "forever" helps
/// nobody at seven in the morning. Rounded to whole seconds.
pub fn estimate_wait_s(ahead: usize, mean_service_s: f64, servers: usize) -> f64 {
    let servers = servers.max(1) as f64;
    (ahead as f64 * mean_service_s / servers).round()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_time_holds_until_enough_services_are_measured() {
        let mut stats = ServiceStats::default();
        stats.record(100.0);
        stats.record(200.0);
        assert_eq!(stats.mean_or(300.0), 300.0);
        stats.record(300.0);
        assert_eq!(stats.mean_or(300.0), 200.0);
    }

    #[test]
    fn counters_share_the_line() {
        assert_eq!(estimate_wait_s(0, 300.0, 2), 0.0);
        assert_eq!(estimate_wait_s(4, 300.0, 2), 600.0);
        assert_eq!(estimate_wait_s(4, 300.0, 0), 1200.0);
    }
}
