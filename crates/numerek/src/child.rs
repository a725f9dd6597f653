//! A numerek server run as a child process of this program, on 127.0.0.1 with a free port: what
//! `numerek bench` measures and `numerek simulate` drives, so the load and the server are
//! separate processes (as in an office) and the server's own memory can be read.

use anyhow::{Context, bail};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running child server.
#[derive(Debug)]
pub struct ChildServer {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The tokens of its first start, by role (empty when the data directory had tokens).
    pub tokens: HashMap<String, String>,
    /// How long it took from starting the process to printing "ready".
    pub startup: Duration,
}

impl ChildServer {
    /// Starts `numerek serve` from this executable with the given configuration file (the
    /// built-in example office without one) and data directory, plus `extra` arguments, and
    /// waits (at most a minute) until it is ready. Blocking.
    pub fn start(config: Option<&Path>, data_dir: &Path, extra: &[String]) -> anyhow::Result<Self> {
        let exe = std::env::current_exe().context("cannot find this program's executable")?;
        let started = Instant::now();
        let mut command = Command::new(exe);
        command
            .arg("serve")
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--listen")
            .arg("127.0.0.1:0")
            .args(extra);
        if let Some(config) = config {
            command.arg("--config").arg(config);
        }
        // The flags say everything; an office's own settings in the environment must not leak in.
        for variable in ["NUMEREK_CONFIG", "NUMEREK_DATA_DIR", "NUMEREK_LISTEN"] {
            command.env_remove(variable);
        }
        let mut child = command
            .env("NUMEREK_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start the server")?;
        let stdout = child.stdout.take().context("the server has no stdout")?;
        let (lines_tx, lines) = mpsc::channel();
        // Reads to the end, so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines_tx.send(line);
            }
        });
        let mut base = None;
        let mut tokens = HashMap::new();
        let deadline = started + Duration::from_secs(60);
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = lines.recv_timeout(remaining) else {
                let _ = child.kill();
                let _ = child.wait();
                bail!("the server did not get ready within a minute");
            };
            // The start line names the address, whether the office is open now or not.
            if line.starts_with("numerek: ")
                && let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://"))
            {
                base = Some(url.trim_end_matches('/').to_owned());
            }
            if let [role, secret] = line.split_whitespace().collect::<Vec<_>>()[..]
                && secret.starts_with("nmk_")
            {
                tokens.insert(role.to_owned(), secret.to_owned());
            }
            if line.starts_with("numerek: ready") {
                break;
            }
        }
        let startup = started.elapsed();
        Ok(Self {
            child,
            base: base.context("the server printed no address")?,
            tokens,
            startup,
        })
    }

    /// The token of a role from the first start.
    pub fn token(&self, role: &str) -> anyhow::Result<&str> {
        self.tokens
            .get(role)
            .map(String::as_str)
            .with_context(|| format!("the server printed no {role} token"))
    }

    /// The server's resident memory in bytes (Linux `/proc`), if it can be read.
    pub fn rss_bytes(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    }

    /// Stops the server (SIGKILL: nothing it acknowledged can be lost that way) and waits.
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
