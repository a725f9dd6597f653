//! What every handler can reach.

use crate::hub::Hub;
use crate::metrics::Metrics;
use crate::ratelimit::IssueLimiter;
use crate::routes::events::FeedTiming;
use numerek_store::{Store, Subscriber, Subscription};
use std::sync::Arc;
use tokio::sync::Notify;

/// The server's shared state.
#[derive(Debug)]
pub struct AppState {
    /// The durable office.
    pub store: Arc<Store>,
    /// The WebSocket fan-out.
    pub hub: Arc<Hub>,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
    /// How the WebSocket feed pings and when it gives up on a client.
    pub feed_timing: FeedTiming,
    /// The rate limit of ticket issuing per kiosk token (`office.kiosk_rate_per_min`).
    pub issue_limit: IssueLimiter,
    /// The rate limit of public booking per client address (`office.booking_rate_per_hour`).
    pub booking_limit: IssueLimiter,
    /// Wakes the office's timers ([`crate::run_timers`]) when their deadline may have moved: a
    /// booking or its end, a new day.
    pub timers: Arc<Notify>,
    /// The hub, the metrics, the log and the timers hear of committed events while this state
    /// lives.
    _subscriptions: [Subscription; 4],
}

impl AppState {
    /// Wires a store to a new hub, metrics and the log: committed events reach all three, the
    /// hub first, so that a client's feed hears of an event as early as possible.
    pub fn new(store: Arc<Store>) -> Arc<Self> {
        Self::with_feed_timing(store, FeedTiming::default())
    }

    /// As [`AppState::new`], with the feed's timing chosen (tests shorten it).
    pub fn with_feed_timing(store: Arc<Store>, feed_timing: FeedTiming) -> Arc<Self> {
        let metrics = Arc::new(Metrics::default());
        let hub = Arc::new(Hub::new(store.config().office.tz.clone()));
        hub.set_address_limit(store.config().office.feed_clients_per_address);
        let timers = Arc::new(Notify::new());
        let subscriptions = [
            store.subscribe("hub", hub.clone()),
            store.subscribe("metrics", metrics.clone()),
            store.subscribe("log", Arc::new(EventLog)),
            store.subscribe("timers", Arc::new(TimerWake(timers.clone()))),
        ];
        let issue_limit = IssueLimiter::new(store.config().office.kiosk_rate_per_min);
        let booking_limit = IssueLimiter::per_hour(store.config().office.booking_rate_per_hour);
        Arc::new(Self {
            store,
            hub,
            metrics,
            issue_limit,
            booking_limit,
            timers,
            feed_timing,
            _subscriptions: subscriptions,
        })
    }

    /// The office's time zone.
    pub fn tz(&self) -> &jiff::tz::TimeZone {
        &self.store.config().office.tz
    }
}

/// Tells the timers of events that move their deadline. `notify_one` keeps the wake-up for a
/// timer that is not waiting at that moment, so none is lost.
struct TimerWake(Arc<Notify>);

impl Subscriber for TimerWake {
    fn events(&self, events: &[numerek_core::Event]) {
        use numerek_core::EventKind;
        let moves = |event: &numerek_core::Event| {
            event.kind.appointment().is_some() || matches!(event.kind, EventKind::DayStarted { .. })
        };
        if events.iter().any(moves) {
            self.0.notify_one();
        }
    }
}

/// The office's journal in the log: every committed event at `debug` (number, type, and the
/// ticket number and counter, nothing personal), a new office day at `info`.
struct EventLog;

impl Subscriber for EventLog {
    fn events(&self, events: &[numerek_core::Event]) {
        events.iter().for_each(log_event);
    }
}

fn log_event(event: &numerek_core::Event) {
    use numerek_core::EventKind;
    match &event.kind {
        EventKind::DayStarted { office_date } => {
            tracing::info!(seq = event.seq, %office_date, "a new office day started");
        }
        EventKind::CounterChanged { counter, state, .. } => {
            tracing::debug!(
                seq = event.seq,
                counter,
                state = state.as_str(),
                "counter.changed"
            );
        }
        // Which ticket was rated, and how, is logged nowhere.
        EventKind::FeedbackGiven { .. } => {
            tracing::debug!(seq = event.seq, "feedback.given");
        }
        kind => {
            let ticket = kind.ticket().map(|t| t.number.to_string());
            tracing::debug!(seq = event.seq, ticket, "{}", kind.type_name());
        }
    }
}
