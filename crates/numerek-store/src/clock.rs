//! Where "now" comes from, and how to wait for a moment of it. Everything timed in numerek asks
//! a [`Clock`], so tests set the time by hand (day rollover, issuing hours) instead of sleeping,
//! and simulations run a day in minutes.
//!
//! # Timers
//!
//! A timer of the office (the day's rollover at midnight, and every later one: a booking missed
//! at the end of its check-in window, a feedback window closing) waits for an instant *of its
//! clock*, never for a real duration computed from it: [`sleep_until`] (or [`sleep`] for a
//! span of clock time). Each clock says how that maps to real time ([`Clock::real_wait`]):
//! the system clock waits as long as it says (looking again at least every minute, since the
//! system's time may be set), a [`SimulatedClock`] waits `speed` times less, and a
//! [`ManualClock`] waits for no real time at all: it wakes its waiters when it is set or
//! advanced ([`Clock::changes`]), so a test moves the clock past a deadline and the timer
//! fires, without sleeping.
//!
//! A timer whose deadline can change (the earliest of several bookings) races
//! [`sleep_until`] against whatever announces a new deadline (a `tokio::sync::Notify`, a
//! channel) in a `tokio::select!`, and starts over with the new deadline: dropping the sleep
//! cancels it. Transport timeouts (a stalled socket, a request taking too long) are real-time
//! limits of the machine, not of the office, and stay on `tokio::time`.

use jiff::{SignedDuration, Timestamp};
use std::time::Duration;
use tokio::sync::watch;

/// How often a waiter looks at a clock that may be set while it waits (the system clock): a
/// changed system time is noticed within this much real time.
pub const RECHECK: Duration = Duration::from_secs(60);

/// The shortest real pause between two looks at a running clock, so that rounding never makes a
/// waiter spin.
const MIN_PAUSE: Duration = Duration::from_millis(1);

/// A source of the current instant.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant.
    fn now(&self) -> Timestamp;

    /// How much real time to wait before looking at this clock again on the way to `at`: all
    /// of it for a clock that runs at a known pace, less for one that may be set meanwhile.
    /// `None` for a clock that moves only when told (see [`Clock::changes`]). Never called
    /// once the clock has reached `at`.
    ///
    /// The default is a clock running at real time that may be set: at most [`RECHECK`].
    fn real_wait(&self, at: Timestamp) -> Option<Duration> {
        let left = self.now().duration_until(at);
        Some(real(left).clamp(MIN_PAUSE, RECHECK))
    }

    /// A receiver that wakes when the clock is set or moved by hand, taken before reading
    /// [`Clock::now`] so that no change is missed; `None` for clocks nobody sets.
    fn changes(&self) -> Option<watch::Receiver<Timestamp>> {
        None
    }
}

/// Waits until `clock` reads `at` or later: the one way an office timer waits.
///
/// On a [`ManualClock`] it uses no real time: it wakes when the clock is set or advanced to
/// `at` (and not before). A clock that neither runs nor is ever set never gets there: the
/// future then stays pending, to be dropped by whoever waits on it.
pub async fn sleep_until(clock: &dyn Clock, at: Timestamp) {
    loop {
        let mut changes = clock.changes();
        if clock.now() >= at {
            return;
        }
        let pause = clock.real_wait(at).map(|wait| wait.max(MIN_PAUSE));
        match (pause, changes.as_mut()) {
            (Some(pause), Some(changes)) => {
                tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    _ = changes.changed() => {}
                }
            }
            (Some(pause), None) => tokio::time::sleep(pause).await,
            (None, Some(changes)) => {
                if changes.changed().await.is_err() {
                    // Nobody can set it any more.
                    std::future::pending::<()>().await;
                }
            }
            (None, None) => std::future::pending::<()>().await,
        }
    }
}

/// Waits until `clock` has moved on by `span` from now (a span of the clock's time: on a
/// simulated clock at 60×, a minute passes in a real second).
pub async fn sleep(clock: &dyn Clock, span: SignedDuration) {
    let at = clock.now().checked_add(span).unwrap_or(Timestamp::MAX);
    sleep_until(clock, at).await;
}

/// A span of clock time as a real duration (0 if negative), saturating.
fn real(span: SignedDuration) -> Duration {
    Duration::try_from(span).unwrap_or(if span.is_negative() {
        Duration::ZERO
    } else {
        Duration::MAX
    })
}

/// The system's real-time clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that only moves when told to. Timers waiting on it wake when it is set or advanced.
#[derive(Debug)]
pub struct ManualClock {
    now: watch::Sender<Timestamp>,
}

impl ManualClock {
    /// A clock standing at `now`.
    pub fn new(now: Timestamp) -> Self {
        Self {
            now: watch::Sender::new(now),
        }
    }

    /// Sets the time.
    pub fn set(&self, now: Timestamp) {
        self.now.send_replace(now);
    }

    /// Moves the time forward.
    pub fn advance(&self, by: SignedDuration) {
        self.now
            .send_modify(|now| *now = now.checked_add(by).unwrap_or(*now));
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.now.borrow()
    }

    fn real_wait(&self, _at: Timestamp) -> Option<Duration> {
        None
    }

    fn changes(&self) -> Option<watch::Receiver<Timestamp>> {
        Some(self.now.subscribe())
    }
}

/// A clock for simulations (`numerek simulate`): it stands at a chosen instant when created and
/// runs `speed` times faster than real time, so a simulated office day passes in minutes while
/// every duration the office measures keeps its simulated length. A timer waits `speed` times
/// less real time than the clock time it waits for.
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

    /// The simulated time left, `speed` times shorter: the mapping is fixed (measured on the
    /// monotonic clock), so nothing sets it meanwhile.
    fn real_wait(&self, at: Timestamp) -> Option<Duration> {
        let left = self.now().duration_until(at).as_secs_f64() / self.speed;
        Some(Duration::try_from_secs_f64(left.max(0.0)).unwrap_or(Duration::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

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

    #[test]
    fn each_clock_maps_clock_time_to_real_time_its_own_way() {
        let start = at("2026-11-24T23:59:30+01:00");
        let midnight = at("2026-11-25T00:00:00+01:00");
        // Thirty simulated seconds at 10× are three real seconds (less what ran since).
        let simulated = SimulatedClock::new(start, 10.0);
        let wait = simulated.real_wait(midnight).expect("it runs");
        assert!(wait <= Duration::from_secs(3), "{wait:?}");
        assert!(wait >= Duration::from_millis(2500), "{wait:?}");
        // The system clock looks again within a minute, however far the instant.
        let system = SystemClock.real_wait(Timestamp::now() + SignedDuration::from_hours(5));
        assert_eq!(system, Some(RECHECK));
        // A hand-set clock waits for no real time: only for being set.
        let manual = ManualClock::new(start);
        assert_eq!(manual.real_wait(midnight), None);
        assert!(manual.changes().is_some());
        assert!(SystemClock.changes().is_none() && simulated.changes().is_none());
    }

    /// The paused runtime's time moves only by the timers it waits for: a wait on a hand-set
    /// clock that left it where it was used no timer at all.
    #[tokio::test(start_paused = true)]
    async fn a_hand_set_clock_wakes_its_timer_when_set_and_not_before() {
        let clock = Arc::new(ManualClock::new(at("2026-11-24T23:00:00+01:00")));
        let midnight = at("2026-11-25T00:00:00+01:00");
        let started = tokio::time::Instant::now();
        let waiter = {
            let clock = clock.clone();
            tokio::spawn(async move { sleep_until(clock.as_ref(), midnight).await })
        };
        tokio::task::yield_now().await;
        clock.advance(SignedDuration::from_mins(30));
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "23:30 is not midnight yet");
        clock.set(at("2026-11-24T23:59:59.999+01:00"));
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "a millisecond early is early");
        clock.set(midnight);
        waiter.await.expect("the timer fires");
        assert_eq!(tokio::time::Instant::now(), started, "no real time waited");
        // Already there: at once.
        sleep_until(clock.as_ref(), midnight).await;
        sleep(clock.as_ref(), SignedDuration::ZERO).await;
    }

    #[tokio::test(start_paused = true)]
    async fn a_span_of_hand_set_time_passes_when_the_clock_is_moved_on_by_it() {
        let clock = Arc::new(ManualClock::new(at("2026-11-24T09:00:00+01:00")));
        let waiter = {
            let clock = clock.clone();
            tokio::spawn(async move { sleep(clock.as_ref(), SignedDuration::from_mins(10)).await })
        };
        tokio::task::yield_now().await;
        for _ in 0..9 {
            clock.advance(SignedDuration::from_mins(1));
            tokio::task::yield_now().await;
            assert!(!waiter.is_finished());
        }
        clock.advance(SignedDuration::from_mins(1));
        waiter.await.expect("ten minutes passed");
    }

    #[tokio::test]
    async fn a_simulated_clock_times_out_at_its_own_instant() {
        // Ten simulated minutes at 6000×: a tenth of a real second. Never early; the bound on
        // real time only catches a wait of real minutes (what the clock time would take).
        let clock = SimulatedClock::new(at("2026-11-24T23:50:00+01:00"), 6000.0);
        let midnight = at("2026-11-25T00:00:00+01:00");
        let real = std::time::Instant::now();
        tokio::time::timeout(Duration::from_secs(60), sleep_until(&clock, midnight))
            .await
            .expect("ten simulated minutes pass in far less than a real minute");
        assert!(clock.now() >= midnight);
        assert!(real.elapsed() < Duration::from_secs(60));
    }

    #[tokio::test]
    async fn the_system_clock_times_out_at_its_instant() {
        let at = Timestamp::now() + SignedDuration::from_millis(30);
        sleep_until(&SystemClock, at).await;
        assert!(Timestamp::now() >= at);
    }
}
