//! The day's rollover is a timer on the store's clock: it starts the new office day at the
//! midnight of whatever clock the office runs on, with nobody sending a command. On a hand-set
//! clock it fires when the clock is set past midnight, without any real time passing; on a fast
//! simulated clock, at the simulated midnight. The real-time bounds here only catch a rollover
//! that waits for real minutes (as the simulated clock time to midnight once did); they do not
//! measure the machine.

use crate::support::{TestServer, at, config, data_dir};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use numerek_server::{AppState, run_timers};
use numerek_store::{Clock, SimulatedClock, Store, StoreOptions};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// Far more than a rollover needs once due, far less than the minute the old timer slept.
const GUARD: Duration = Duration::from_secs(30);

/// The office date of the next `day.started` event on the feed.
async fn next_day_started(feed: &mut broadcast::Receiver<numerek_server::hub::Chunk>) -> Date {
    loop {
        let chunk = feed.recv().await.expect("the feed stays open");
        for frame in chunk.iter() {
            let event: Value = serde_json::from_str(frame.public.as_str()).expect("JSON");
            if event["type"] == "day.started" {
                return event["office_date"]
                    .as_str()
                    .and_then(|d| d.parse().ok())
                    .expect("an office date");
            }
        }
    }
}

#[tokio::test]
async fn on_a_hand_set_clock_the_day_rolls_over_when_it_is_set_past_midnight() {
    let h = TestServer::new().await;
    let mut feed = h.state.hub.subscribe().expect("the hub is open");
    let rollover = tokio::spawn(run_timers(h.state.clone()));
    // 09:00 on Monday: fifteen hours to go, and the timer waits for the clock, not for them.
    h.clock.set(at("2026-11-23T23:59:59.990+01:00"));
    tokio::task::yield_now().await;
    assert_eq!(
        h.store.office().office_date().to_string(),
        "2026-11-23",
        "not yet midnight"
    );
    h.clock.set(at("2026-11-24T00:00:00.001+01:00"));
    let started = tokio::time::timeout(GUARD, next_day_started(&mut feed))
        .await
        .expect("the new day starts once the clock is past midnight");
    assert_eq!(started.to_string(), "2026-11-24");
    assert_eq!(h.store.office().office_date(), started);
    // And the next night again, the timer having started over for that one.
    h.clock.set(at("2026-11-25T00:00:00+01:00"));
    let started = tokio::time::timeout(GUARD, next_day_started(&mut feed))
        .await
        .expect("the day after starts too");
    assert_eq!(started.to_string(), "2026-11-25");
    rollover.abort();
}

#[tokio::test]
async fn on_a_fast_simulated_clock_the_day_rolls_over_at_the_simulated_midnight() {
    // A simulated minute before midnight at 60×: a real second to go (a timer sleeping the
    // simulated minute as real time would take a real minute).
    let dir = tempfile::tempdir().expect("a temporary directory");
    let midnight = at("2026-11-24T00:00:00+01:00");
    let clock = Arc::new(SimulatedClock::new(at("2026-11-23T23:59:00+01:00"), 60.0));
    let store = Arc::new(
        Store::open(StoreOptions::new(
            data_dir(&dir),
            config(),
            clock.clone() as Arc<dyn Clock>,
        ))
        .expect("the store opens"),
    );
    let state = AppState::new(store);
    let mut feed = state.hub.subscribe().expect("the hub is open");
    let real = std::time::Instant::now();
    let rollover = tokio::spawn(run_timers(state.clone()));
    let started = tokio::time::timeout(GUARD, next_day_started(&mut feed))
        .await
        .expect("the new day starts at the simulated midnight, in real seconds");
    let seen_at: Timestamp = clock.now();
    assert_eq!(started.to_string(), "2026-11-24");
    assert!(seen_at >= midnight, "never before midnight: {seen_at}");
    // Seen within the guard's real seconds, so within 60 × as many simulated ones.
    assert!(
        seen_at.duration_since(midnight) < SignedDuration::try_from(GUARD * 60).expect("short"),
        "{seen_at}"
    );
    assert!(real.elapsed() < GUARD);
    rollover.abort();
}
