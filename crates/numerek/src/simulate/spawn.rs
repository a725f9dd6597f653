//! A server of the simulation's own: this very program running `serve` on 127.0.0.1 with a port
//! the system picks, a temporary data directory (its first start prints the admin token), and a
//! simulated clock that maps real time to the simulated day exactly as the simulator does.

use crate::child::ChildServer;
use anyhow::Context;
use jiff::Timestamp;
use std::path::Path;

/// The running server; dropping it stops the server and removes its data.
#[derive(Debug)]
pub struct Spawned {
    /// Where it answers, like `http://127.0.0.1:40123`.
    pub url: String,
    /// An admin token.
    pub token: String,
    server: ChildServer,
    /// Kept until the server has stopped, then deleted.
    _data: tempfile::TempDir,
}

/// How the spawned server's clock runs.
#[derive(Debug, Clone, Copy)]
pub struct SimClock {
    /// The simulated instant at `anchor`.
    pub start: Timestamp,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// The real instant the simulated `start` corresponds to.
    pub anchor: Timestamp,
}

/// Starts a server for the office of `config` (the built-in example without it).
///
/// # Errors
/// When the data directory or the process cannot be made, or the server does not come up in
/// time.
pub async fn spawn(config: Option<&Path>, clock: SimClock) -> anyhow::Result<Spawned> {
    let data = tempfile::tempdir().context("cannot make a temporary data directory")?;
    let data_dir = data.path().join("data");
    let extra = vec![
        "--sim-clock-start".to_owned(),
        clock.start.to_string(),
        "--sim-clock-speed".to_owned(),
        clock.speed.to_string(),
        "--sim-clock-anchor".to_owned(),
        clock.anchor.to_string(),
    ];
    let config = config.map(Path::to_path_buf);
    let server = tokio::task::spawn_blocking(move || {
        ChildServer::start(config.as_deref(), &data_dir, &extra)
    })
    .await??;
    let token = server.token("admin")?.to_owned();
    Ok(Spawned {
        url: server.base.clone(),
        token,
        server,
        _data: data,
    })
}

impl Spawned {
    /// Stops the server and waits until it is gone.
    pub fn stop(self) {
        self.server.stop();
    }
}
