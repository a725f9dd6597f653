//! Closed-loop HTTP load: a number of clients, each sending its next request as soon as the
//! previous one is answered, for a fixed time. Used for issuing tickets and for the trivial
//! route it is compared with.

use super::stats::Latency;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a load run measured.
#[derive(Debug, Clone)]
pub struct LoadResult {
    /// Requests answered with the expected status.
    pub ok: usize,
    /// Requests answered otherwise, or failed.
    pub failed: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Latency of the successful requests.
    pub latency: Latency,
}

impl LoadResult {
    /// Successful requests per second.
    pub fn per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// Runs `clients` loops of `request(client_index, n)` for `duration`. A request answers whether
/// it succeeded.
pub async fn run<F, Fut>(clients: usize, duration: Duration, request: F) -> LoadResult
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let request = Arc::new(request);
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failed = 0;
            let mut n = 0;
            while Instant::now() < deadline {
                let sent = Instant::now();
                if request(client, n).await {
                    latencies.push(sent.elapsed());
                } else {
                    failed += 1;
                }
                n += 1;
            }
            (latencies, failed)
        }));
    }
    let mut latencies = Vec::new();
    let mut failed = 0;
    for task in tasks {
        if let Ok((mut l, f)) = task.await {
            latencies.append(&mut l);
            failed += f;
        }
    }
    let elapsed = started.elapsed();
    LoadResult {
        ok: latencies.len(),
        failed,
        elapsed,
        latency: Latency::of(latencies),
    }
}
