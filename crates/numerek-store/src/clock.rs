//! Where "now" comes from. Everything timed in numerek asks a [`Clock`], so tests set the time by
//! hand (day rollover, issuing hours) instead of sleeping, and simulations run a day in minutes.

use jiff::{SignedDuration, Timestamp};
use std::sync::Mutex;

/// A source of the current instant.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// The system's real-time clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Timestamp>,
}

impl ManualClock {
    /// A clock standing at `now`.
    pub fn new(now: Timestamp) -> Self {
        Self {
            now: Mutex::new(now),
        }
    }

    /// Sets the time.
    pub fn set(&self, now: Timestamp) {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) = now;
    }

    /// Moves the time forward.
    pub fn advance(&self, by: SignedDuration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now = now.checked_add(by).unwrap_or(*now);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A clock for simulations (`numerek simulate`): it stands at a chosen instant when created and
/// runs `speed` times faster than real time, so a simulated office day passes in minutes while
/// every duration the office measures keeps its simulated length.
#[derive(Debug)]
pub struct SimulatedClock {
    /// The simulated instant at `origin`.
    start: Timestamp,
    /// Simulated seconds per real second.
    speed: f64,
    /// When the clock was created, by the monotonic clock: real time is measured from it.
    origin: std::time::Instant,
}

impl SimulatedClock {
    /// A clock standing at `start` now and running `speed` times real time (a `speed` that is
    /// not a positive number runs at real time).
    pub fn new(start: Timestamp, speed: f64) -> Self {
        Self {
            start,
            speed: if speed.is_finite() && speed > 0.0 {
                speed
            } else {
                1.0
            },
            origin: std::time::Instant::now(),
        }
    }

    /// A clock that stood (or will stand) at `start` at the real instant `anchor`: a simulator
    /// and the server it starts share one mapping from real to simulated time, whenever the
    /// server comes up.
    pub fn anchored(start: Timestamp, speed: f64, anchor: Timestamp) -> Self {
        let mut clock = Self::new(start, speed);
        let since_anchor = Timestamp::now().duration_since(anchor).as_secs_f64();
        clock.start = shifted(start, since_anchor * clock.speed);
        clock
    }
}

/// `at` moved by `seconds` (saturating at the ends of time).
fn shifted(at: Timestamp, seconds: f64) -> Timestamp {
    SignedDuration::try_from_secs_f64(seconds)
        .ok()
        .and_then(|by| at.checked_add(by).ok())
        .unwrap_or(if seconds < 0.0 {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        })
}

impl Clock for SimulatedClock {
    fn now(&self) -> Timestamp {
        shifted(self.start, self.origin.elapsed().as_secs_f64() * self.speed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_simulated_clock_runs_faster_than_real_time() {
        let start: Timestamp = "2026-11-24T08:00:00+01:00".parse().unwrap();
        let clock = SimulatedClock::new(start, 1000.0);
        let first = clock.now();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let second = clock.now();
        assert!(first >= start);
        // 20 ms of real time are at least 20 simulated seconds.
        assert!(second.duration_since(first) >= SignedDuration::from_secs(20));
    }

    #[test]
    fn an_anchored_clock_counts_from_its_anchor() {
        let start: Timestamp = "2026-11-24T08:00:00+01:00".parse().unwrap();
        let anchor = Timestamp::now() - SignedDuration::from_secs(10);
        let clock = SimulatedClock::anchored(start, 60.0, anchor);
        let lead = clock.now().duration_since(start);
        let real = Timestamp::now().duration_since(anchor);
        // Ten real seconds (and however long this took) after the anchor at 60×: ten simulated
        // minutes (and sixty times that) after the start.
        assert!(lead >= SignedDuration::from_secs(600), "{lead:?}");
        assert!(
            lead.as_secs_f64() <= (real.as_secs_f64() + 0.001) * 60.0,
            "{lead:?} after {real:?} of real time"
        );
    }
}
