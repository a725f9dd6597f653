//! Prometheus metrics in the text exposition format, kept by hand: a few counters, gauges read
//! at scrape time, and one latency histogram. Small enough not to need a metrics framework.

use numerek_core::{Event, EventKind, Office};
use numerek_store::Subscriber;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Upper bounds of the request-duration histogram buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// The server's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    issued: Mutex<BTreeMap<String, u64>>,
    called: Mutex<BTreeMap<String, u64>>,
    /// (method, route) → durations.
    requests: Mutex<BTreeMap<(String, String), Histogram>>,
    /// Open HTTP connections (a WebSocket counts here until its upgrade).
    connections: AtomicUsize,
}

/// Keeps an HTTP connection counted while it is open.
#[derive(Debug)]
pub struct ConnectionGuard(std::sync::Arc<Metrics>);

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.0.connections.fetch_sub(1, Ordering::Relaxed);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Counts every committed event: a few map updates, quick enough for the publisher thread.
impl Subscriber for Metrics {
    fn events(&self, events: &[Event]) {
        for event in events {
            self.observe(event);
        }
    }
}

impl Metrics {
    /// Counts an event (tickets issued and called, by category).
    pub fn observe(&self, event: &Event) {
        match &event.kind {
            EventKind::TicketIssued { ticket } => {
                *lock(&self.issued)
                    .entry(ticket.category.clone())
                    .or_default() += 1;
            }
            EventKind::TicketCalled { ticket, .. } => {
                *lock(&self.called)
                    .entry(ticket.category.clone())
                    .or_default() += 1;
            }
            _ => {}
        }
    }

    /// Counts an open HTTP connection for as long as the guard lives.
    pub fn connection_opened(self: &std::sync::Arc<Self>) -> ConnectionGuard {
        self.connections.fetch_add(1, Ordering::Relaxed);
        ConnectionGuard(self.clone())
    }

    /// As [`Metrics::connection_opened`], unless `max` connections are open already.
    pub fn try_connection_opened(
        self: &std::sync::Arc<Self>,
        max: usize,
    ) -> Option<ConnectionGuard> {
        self.connections
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |open| {
                (open < max).then_some(open + 1)
            })
            .ok()
            .map(|_| ConnectionGuard(self.clone()))
    }

    /// How many HTTP connections are open now.
    pub fn open_connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }

    /// Records how long a request took; `route` is the matched route pattern, never the raw
    /// path, so ticket ids do not become labels.
    pub fn record_request(&self, method: &str, route: &str, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let mut requests = lock(&self.requests);
        let histogram = requests
            .entry((method.to_owned(), route.to_owned()))
            .or_default();
        for (bound, count) in BUCKETS.iter().zip(histogram.counts.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// The exposition text. `storage_available` is whether the database is open for writing
    /// (false after a failed commit until it could be reopened).
    pub fn render(
        &self,
        office: &Office,
        websocket_clients: usize,
        storage_available: bool,
    ) -> String {
        let mut out = String::new();
        let config = office.config();
        counter_family(
            &mut out,
            "numerek_tickets_issued_total",
            "Tickets issued since the server started, by category.",
            &lock(&self.issued),
        );
        counter_family(
            &mut out,
            "numerek_tickets_called_total",
            "Tickets called since the server started, by category.",
            &lock(&self.called),
        );
        out.push_str("# HELP numerek_tickets_waiting Tickets waiting now, by category.\n");
        out.push_str("# TYPE numerek_tickets_waiting gauge\n");
        for category in &config.categories {
            let _ = writeln!(
                out,
                "numerek_tickets_waiting{{category=\"{}\"}} {}",
                escape(&category.id),
                office.waiting_in(&category.id)
            );
        }
        out.push_str("# HELP numerek_websocket_clients WebSocket feed clients connected now.\n");
        out.push_str("# TYPE numerek_websocket_clients gauge\n");
        let _ = writeln!(out, "numerek_websocket_clients {websocket_clients}");
        out.push_str("# HELP numerek_http_connections HTTP connections open now.\n");
        out.push_str("# TYPE numerek_http_connections gauge\n");
        let _ = writeln!(
            out,
            "numerek_http_connections {}",
            self.connections.load(Ordering::Relaxed)
        );
        out.push_str(
            "# HELP numerek_storage_available 1 while the database takes writes, 0 after a \
             failed commit until it works again.\n",
        );
        out.push_str("# TYPE numerek_storage_available gauge\n");
        let _ = writeln!(
            out,
            "numerek_storage_available {}",
            u8::from(storage_available)
        );
        out.push_str("# HELP numerek_event_seq The office's last event sequence number.\n");
        out.push_str("# TYPE numerek_event_seq gauge\n");
        let _ = writeln!(out, "numerek_event_seq {}", office.seq());
        out.push_str(
            "# HELP numerek_http_request_duration_seconds HTTP request durations by route.\n",
        );
        out.push_str("# TYPE numerek_http_request_duration_seconds histogram\n");
        for ((method, route), h) in lock(&self.requests).iter() {
            let labels = format!("method=\"{}\",route=\"{}\"", escape(method), escape(route));
            for (bound, count) in BUCKETS.iter().zip(h.counts.iter()) {
                let _ = writeln!(
                    out,
                    "numerek_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "numerek_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "numerek_http_request_duration_seconds_sum{{{labels}}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "numerek_http_request_duration_seconds_count{{{labels}}} {}",
                h.count
            );
        }
        out
    }
}

fn counter_family(out: &mut String, name: &str, help: &str, values: &BTreeMap<String, u64>) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} counter");
    for (category, value) in values {
        let _ = writeln!(out, "{name}{{category=\"{}\"}} {value}", escape(category));
    }
}

/// Escapes a label value as the exposition format requires.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
