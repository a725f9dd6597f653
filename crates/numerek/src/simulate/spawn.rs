//! A server of the simulation's own: this very program running `serve` on 127.0.0.1 with a port
//! the system picks, a temporary data directory, an admin token made before it starts, and a
//! simulated clock that maps real time to the simulated day exactly as the simulator does.

use anyhow::{Context, anyhow};
use jiff::Timestamp;
use jiff::civil::Date;
use numerek_store::persist::{self, Batch};
use numerek_store::{NewToken, Role};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How long the server may take to come up.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The running server; dropping it stops the server and removes its data.
#[derive(Debug)]
pub struct Spawned {
    /// Where it answers, like `http://127.0.0.1:40123`.
    pub url: String,
    /// An admin token.
    pub token: String,
    child: Child,
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

/// Starts a server for the office of `config` (the built-in example without it) on `date`.
///
/// # Errors
/// When the data directory, the token or the process cannot be made, or the server does not
/// come up in time.
pub async fn spawn(config: Option<&Path>, date: Date, clock: SimClock) -> anyhow::Result<Spawned> {
    let data = tempfile::tempdir().context("cannot make a temporary data directory")?;
    let data_dir = data.path().join("data");
    let token = admin_token(&data_dir, date)?;
    let exe = std::env::current_exe().context("cannot find this program to start a server")?;
    let mut command = Command::new(exe);
    command
        .arg("serve")
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("--listen")
        .arg("127.0.0.1:0")
        .arg("--sim-clock-start")
        .arg(clock.start.to_string())
        .arg("--sim-clock-speed")
        .arg(clock.speed.to_string())
        .arg("--sim-clock-anchor")
        .arg(clock.anchor.to_string());
    if let Some(config) = config {
        command.arg("--config").arg(config);
    }
    // The flags say everything; an office's own settings in the environment must not leak in.
    for variable in ["NUMEREK_CONFIG", "NUMEREK_DATA_DIR", "NUMEREK_LISTEN"] {
        command.env_remove(variable);
    }
    command
        .env("NUMEREK_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    let mut child = command.spawn().context("cannot start a server")?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow!("the server's output is not readable"))?;
    let mut lines = BufReader::new(stdout).lines();
    let url = tokio::time::timeout(START_TIMEOUT, async {
        let mut url = None;
        while let Some(line) = lines.next_line().await? {
            if let Some(rest) = line.split(" is open at ").nth(1) {
                url = Some(rest.trim().trim_end_matches('/').to_owned());
            }
            if line.contains("ready") {
                return Ok::<_, std::io::Error>(url);
            }
        }
        Ok(None)
    })
    .await
    .map_err(|_| anyhow!("the server did not start within {START_TIMEOUT:?}"))?
    .context("cannot read the server's output")?
    .ok_or_else(|| anyhow!("the server stopped before it was ready"))?;
    // Keep reading, so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(Spawned {
        url,
        token,
        child,
        _data: data,
    })
}

impl Spawned {
    /// Stops the server and waits until it is gone.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// Writes an admin token into a new data directory (no server runs on it yet).
fn admin_token(data_dir: &Path, date: Date) -> anyhow::Result<String> {
    let db = persist::open_database(data_dir, date).context("cannot make the data directory")?;
    let token = NewToken::generate(
        Role::Admin,
        Some("numerek simulate".to_owned()),
        None,
        Timestamp::now(),
    )
    .context("the system has no randomness to make a token")?;
    persist::write_batch(
        &db,
        &Batch {
            new_tokens: vec![token.record.clone()],
            ..Batch::default()
        },
    )
    .context("cannot store the token")?;
    Ok(token.secret)
}
