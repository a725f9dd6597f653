//! Running the real `numerek` binary for end-to-end tests: start it on 127.0.0.1 with a fresh
//! or given data directory, read its first-start tokens, talk to it over HTTP, kill it.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// An office open around the clock, so tests do not depend on the hour they run at: the shared
/// all-day test office (`tests/fixtures/all-day-office.toml` of the repository) with two
/// categories, counter 1 serving both and counter 2 serving tax.
pub const ALWAYS_OPEN_OFFICE: &str = concat!(
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/all-day-office.toml"
    )),
    r#"
[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki", en = "Registration" }
target_wait_min = 15
appointments = { slot_min = 15, per_slot = 4, days_ahead = 7, hours = { mon = "00:00-24:00", tue = "00:00-24:00", wed = "00:00-24:00", thu = "00:00-24:00", fri = "00:00-24:00", sat = "00:00-24:00", sun = "00:00-24:00" } }

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki", en = "Taxes" }
target_wait_min = 10

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration", "tax"]

[[counter]]
id = "2"
name = { pl = "Stanowisko 2", en = "Counter 2" }
categories = ["tax"]
"#
);

/// How long a server may take to stop after SIGTERM: a hang guard (it takes well under a
/// second).
pub const STOP_LIMIT: Duration = Duration::from_secs(60);

/// The path of the binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_numerek"))
}

/// Writes the always-open office into `dir` and answers its path.
pub fn write_config(dir: &Path) -> PathBuf {
    let path = dir.join("office.toml");
    std::fs::write(&path, ALWAYS_OPEN_OFFICE).expect("write config");
    path
}

/// Reads a just-started server's stdout until it says it is ready (at most 30 s): answers its
/// base URL, its first-start tokens by role, and the rest of its output line by line.
pub fn await_ready(child: &mut Child) -> (String, HashMap<String, String>, mpsc::Receiver<String>) {
    let stdout = child.stdout.take().expect("stdout");
    let (lines_tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut base = None;
    let mut tokens = HashMap::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = lines.recv_timeout(remaining) else {
            let _ = child.kill();
            panic!("numerek did not get ready within 30 s");
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
    (base.expect("the server printed its address"), tokens, lines)
}

/// `command` (the binary, or a shell that executes it) with the arguments of `numerek serve` on
/// a free loopback port, with `config` and `data_dir`, logging warnings only.
pub fn serve_command(mut command: Command, config: &Path, data_dir: &Path) -> Command {
    command
        .arg("serve")
        .arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--listen")
        .arg("127.0.0.1:0")
        .env("NUMEREK_LOG", "warn");
    command
}

/// A running server process.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// First-start tokens by role (empty when the data directory already had tokens).
    pub tokens: HashMap<String, String>,
    /// Everything else it printed, line by line, as it arrives.
    pub output: mpsc::Receiver<String>,
}

impl Server {
    /// Starts `numerek serve` on a free loopback port and waits until it is serving.
    pub fn start(config: &Path, data_dir: &Path) -> Server {
        Self::start_with_args(config, data_dir, &[])
    }

    /// As [`Server::start`], with more arguments (e.g. a simulated clock:
    /// `--sim-clock-start 2026-11-28T10:00:00+01:00 --sim-clock-speed 1`).
    pub fn start_with_args(config: &Path, data_dir: &Path, extra: &[&str]) -> Server {
        let mut command = serve_command(Command::new(binary()), config, data_dir);
        command.args(extra);
        Self::start_command(command)
    }

    /// Starts a `numerek serve` command (see [`serve_command`]) and waits until it is serving.
    pub fn start_command(mut command: Command) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start numerek");
        let (base, tokens, lines) = await_ready(&mut child);
        Server {
            child,
            base,
            tokens,
            output: lines,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no shutdown code runs, as in a crash or power cut.
    pub fn kill(mut self) {
        self.child.kill().expect("kill");
        self.child.wait().expect("wait");
    }

    /// SIGTERM, and waits for a clean exit.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("send SIGTERM");
        let deadline = Instant::now() + STOP_LIMIT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("numerek did not stop within {STOP_LIMIT:?} of SIGTERM");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP client bound to a server's base URL.
pub struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    /// A client for `base`.
    pub fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("client"),
            base: base.to_owned(),
        }
    }

    /// POSTs JSON with a bearer token; answers (status, body).
    pub async fn post(
        &self,
        path: &str,
        token: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    /// GETs JSON; answers (status, body).
    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }
}
