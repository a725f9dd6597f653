//! What every handler can reach.

use crate::hub::Hub;
use crate::metrics::Metrics;
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
}

impl AppState {
    /// Wires a store to a new hub and metrics: committed events reach both.
    pub fn new(store: Arc<Store>) -> Arc<Self> {
        let metrics = Arc::new(Metrics::default());
        let observer = metrics.clone();
        let hub = Arc::new(Hub::new(store.config().office.tz.clone(), move |event| {
            observer.observe(event);
        }));
        store.set_sink(hub.clone());
        Arc::new(Self {
            store,
            hub,
            metrics,
        })
    }

    /// The office's time zone.
    pub fn tz(&self) -> &jiff::tz::TimeZone {
        &self.store.config().office.tz
    }
}
