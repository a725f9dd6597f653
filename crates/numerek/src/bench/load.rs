//! Closed-loop HTTP load: a number of keep-alive connections, each sending its next request as
//! soon as the previous one is answered, for a fixed time. Used for issuing tickets and for the
//! trivial route it is compared with.

use super::http1::Connection;
use super::stats::Latency;
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

/// Runs `clients` keep-alive connections to `address` (`host:port`), each sending the prepared
/// requests in turn (client `i` starts at request `i`) as fast as they are answered, for
/// `duration`, and at least once (so even a machine too busy to connect within a short
/// `duration` gets figures). A request succeeds when answered with `expected`.
pub async fn run(
    address: &str,
    clients: usize,
    duration: Duration,
    requests: Arc<Vec<Vec<u8>>>,
    expected: u16,
) -> LoadResult {
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let requests = requests.clone();
        let address = address.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failed = 0;
            let Ok(mut connection) = Connection::open(&address).await else {
                return (latencies, 1);
            };
            let mut n = client;
            loop {
                let sent = Instant::now();
                match connection.send(&requests[n % requests.len()]).await {
                    Ok(status) if status == expected => latencies.push(sent.elapsed()),
                    Ok(_) => failed += 1,
                    Err(_) => {
                        failed += 1;
                        match Connection::open(&address).await {
                            Ok(fresh) => connection = fresh,
                            Err(_) => break,
                        }
                    }
                }
                n += 1;
                if Instant::now() >= deadline {
                    break;
                }
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
