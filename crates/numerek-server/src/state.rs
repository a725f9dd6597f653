//! What every handler can reach.

use crate::hub::Hub;
use crate::metrics::Metrics;
use crate::ratelimit::IssueLimiter;
use crate::routes::events::FeedTiming;
use numerek_store::Store;
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
}

impl AppState {
    /// Wires a store to a new hub and metrics: committed events reach both.
    pub fn new(store: Arc<Store>) -> Arc<Self> {
        Self::with_feed_timing(store, FeedTiming::default())
    }

    /// As [`AppState::new`], with the feed's timing chosen (tests shorten it).
    pub fn with_feed_timing(store: Arc<Store>, feed_timing: FeedTiming) -> Arc<Self> {
        let metrics = Arc::new(Metrics::default());
        let observer = metrics.clone();
        let hub = Arc::new(Hub::new(store.config().office.tz.clone(), move |event| {
            observer.observe(event);
            log_event(event);
        }));
        hub.set_address_limit(store.config().office.feed_clients_per_address);
        store.set_sink(hub.clone());
        let issue_limit = IssueLimiter::new(store.config().office.kiosk_rate_per_min);
        Arc::new(Self {
            store,
            hub,
            metrics,
            issue_limit,
            feed_timing,
        })
    }

    /// The office's time zone.
    pub fn tz(&self) -> &jiff::tz::TimeZone {
        &self.store.config().office.tz
    }
}

/// The office's journal in the log: every committed event at `debug` (number, type, and the
/// ticket number and counter, nothing personal), a new office day at `info`.
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
