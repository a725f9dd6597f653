//! What every handler can reach.

use crate::hub::Hub;
use crate::metrics::Metrics;
use crate::ratelimit::IssueLimiter;
use crate::routes::events::FeedTiming;
use numerek_store::{Store, Subscriber, Subscription};
use std::sync::Arc;

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
    /// The hub, the metrics and the log hear of committed events while this state lives.
    _subscriptions: [Subscription; 3],
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
        let subscriptions = [
            store.subscribe("hub", hub.clone()),
            store.subscribe("metrics", metrics.clone()),
            store.subscribe("log", Arc::new(EventLog)),
        ];
        let issue_limit = IssueLimiter::new(store.config().office.kiosk_rate_per_min);
        Arc::new(Self {
            store,
            hub,
            metrics,
            issue_limit,
            feed_timing,
            _subscriptions: subscriptions,
        })
    }

    /// The office's time zone.
    pub fn tz(&self) -> &jiff::tz::TimeZone {
        &self.store.config().office.tz
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
        kind => {
            let ticket = kind.ticket().map(|t| t.number.to_string());
            tracing::debug!(seq = event.seq, ticket, "{}", kind.type_name());
        }
    }
}
