//! `numerek demo` end to end, the real binary: clerk bots call the tickets simulated citizens
//! take while a person takes a ticket at the kiosk and calls it at the counter left free; a
//! quiet demo (`--no-traffic`) has nobody else at work; the temporary data directory is gone
//! after exit, a given one stays. And `numerek serve` without `--config` keeps the example
//! office's real hours, its start line saying when a closed office opens.
//!
//! Every wait is bounded and only guards against a hang: the bots run at `--traffic-speed 60`
//! (a six-minute service takes six seconds), and the tests wait for what they look for to
//! happen, however long the machine takes within the bound.

use crate::support;

use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use support::binary;

/// The longest any wait of these tests may take before it counts as a hang.
const HANG_GUARD: Duration = Duration::from_secs(90);

/// A running `numerek` (demo or serve), killed when dropped.
struct Running {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    base: String,
    /// First-start tokens by role.
    tokens: HashMap<String, String>,
    /// Everything it printed until it was ready.
    printed: Vec<String>,
}

impl Running {
    /// Runs `numerek ARGS` with `TMPDIR` set to `tmp`, reading its output until it is ready.
    fn start(args: &[&str], tmp: &Path) -> Running {
        let mut child = Command::new(binary())
            .args(args)
            .env("TMPDIR", tmp)
            .env("NUMEREK_LOG", "warn")
            .env_remove("NUMEREK_CONFIG")
            .env_remove("NUMEREK_DATA_DIR")
            .env_remove("NUMEREK_LISTEN")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start numerek");
        let stdout = child.stdout.take().expect("stdout");
        let (lines_tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + HANG_GUARD;
        let mut printed = Vec::new();
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = lines.recv_timeout(remaining) else {
                let _ = child.kill();
                panic!("numerek {args:?} did not get ready; it printed {printed:#?}");
            };
            let ready = line.starts_with("numerek: ready");
            printed.push(line);
            if ready {
                break;
            }
        }
        let base = printed
            .iter()
            .filter(|line| line.starts_with("numerek: "))
            .find_map(|line| line.split_whitespace().find(|w| w.starts_with("http://")))
            .map(|url| url.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| panic!("no address in {printed:#?}"));
        let tokens = printed
            .iter()
            .filter_map(
                |line| match line.split_whitespace().collect::<Vec<_>>()[..] {
                    [role, secret] if secret.starts_with("nmk_") => {
                        Some((role.to_owned(), secret.to_owned()))
                    }
                    _ => None,
                },
            )
            .collect();
        Running {
            child,
            base,
            tokens,
            printed,
        }
    }

    fn token(&self, role: &str) -> &str {
        self.tokens
            .get(role)
            .unwrap_or_else(|| panic!("no {role} token in {:#?}", self.printed))
    }

    /// The printed line that contains `text`.
    fn line(&self, text: &str) -> &str {
        self.printed
            .iter()
            .find(|line| line.contains(text))
            .unwrap_or_else(|| panic!("no line with {text:?} in {:#?}", self.printed))
    }

    /// SIGTERM (what Ctrl-C and systemd send), and waits for the exit.
    fn terminate(mut self) -> ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("send SIGTERM");
        let deadline = Instant::now() + HANG_GUARD;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "numerek did not stop after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP client of one server.
struct Http {
    client: reqwest::Client,
    base: String,
}

impl Http {
    fn new(base: &str) -> Http {
        Http {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
            base: base.to_owned(),
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Value {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let (status, body) = self.send(request).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(&body);
        self.send(request).await
    }

    /// Asks `GET path` again (every 100 ms, within the hang guard) until `done` holds for the
    /// answer, and answers it.
    async fn until(&self, path: &str, token: Option<&str>, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + HANG_GUARD;
        loop {
            let body = self.get(path, token).await;
            if done(&body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "GET {path} never got there; it answers {body}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The labels of the tokens the server holds.
async fn token_labels(http: &Http, admin: &str) -> Vec<String> {
    let listed = http.get("/api/v1/admin/tokens", Some(admin)).await;
    listed["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .map(|t| t["label"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// Directory entries, for an empty-directory check.
fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bots_issue_and_call_while_a_person_works_the_free_counter_and_the_data_goes_at_exit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let demo = Running::start(
        &[
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--traffic-speed",
            "60",
            "--seed",
            "7",
        ],
        tmp.path(),
    );
    // It says it is a demo, where its data is, and which counter is the person's.
    assert!(demo.printed[0].ends_with("(demo)"), "{:#?}", demo.printed);
    let data_line = demo.line("numerek demo: data in ");
    assert!(data_line.ends_with("(removed at exit)"), "{data_line}");
    let data_dir = data_line
        .trim_start_matches("numerek demo: data in ")
        .trim_end_matches(" (removed at exit)")
        .to_owned();
    assert!(
        Path::new(&data_dir).starts_with(tmp.path()) && Path::new(&data_dir).is_dir(),
        "a temporary directory: {data_dir}"
    );
    assert!(demo.line("/counter/#token=").ends_with("&counter=7"));
    demo.line("Counter 7 (Stanowisko 7 — kasa) is yours");
    demo.line("clerk bots call them at counters 1, 2, 3, 4, 5, 6");
    let (kiosk, clerk, admin) = (
        demo.token("kiosk"),
        demo.token("clerk"),
        demo.token("admin"),
    );
    let http = Http::new(&demo.base);

    let office = http.get("/api/v1/office", None).await;
    assert_eq!(office["office"]["demo"], true, "pages learn it is a demo");
    let status = http.get("/api/v1/status", None).await;
    assert!(
        status["categories"]
            .as_array()
            .expect("categories")
            .iter()
            .all(|c| c["open"] == true),
        "open around the clock, whatever the day and hour: {status}"
    );

    // The bots have tokens of their own: a kiosk, and a clerk at every counter but 7.
    let labels = token_labels(&http, admin).await;
    assert!(labels.contains(&"numerek demo bot: simulated citizens".to_owned()));
    for counter in 1..=6 {
        let label = format!("numerek demo bot: clerk at counter {counter}");
        assert!(labels.contains(&label), "{label} in {labels:?}");
    }
    assert!(
        !labels.iter().any(|l| l.ends_with("counter 7")),
        "{labels:?}"
    );

    // Citizens take tickets and the bots call and finish them.
    let today = status["office_date"]
        .as_str()
        .expect("office_date")
        .to_owned();
    let tickets = format!("/api/v1/reports/tickets?from={today}&to={today}");
    let seen = http
        .until(&tickets, Some(admin), |body| {
            let tickets = body["tickets"].as_array().map_or(&[][..], Vec::as_slice);
            let ended = tickets
                .iter()
                .filter(|t| t["state"] == "done" || t["state"] == "no_show")
                .count();
            tickets.len() >= 5 && ended >= 2
        })
        .await;
    let tickets = seen["tickets"].as_array().expect("tickets");
    assert!(
        tickets
            .iter()
            .all(|t| t["category"] != "cash-desk" && t["counter"] != "7"),
        "nobody but the person takes cash-desk tickets or works counter 7: {tickets:?}"
    );
    let calls = http
        .until("/api/v1/status", None, |status| {
            status["recent_calls"]
                .as_array()
                .is_some_and(|c| !c.is_empty())
        })
        .await;
    let call = &calls["recent_calls"][0];
    assert_ne!(call["counter"], "7", "{call}");

    // Some of those served rate their visit, as on the phone: the reports have satisfaction.
    let summary = format!("/api/v1/reports/summary?from={today}&to={today}&group_by=counter");
    let rated = http
        .until(&summary, Some(admin), |body| {
            body["total"]["feedback_count"]
                .as_u64()
                .is_some_and(|n| n >= 1)
        })
        .await;
    let average = rated["total"]["satisfaction_avg"]
        .as_f64()
        .unwrap_or_else(|| panic!("a mean of the ratings: {rated}"));
    assert!((1.0..=5.0).contains(&average), "{rated}");

    // The person takes a cash-desk ticket at the kiosk and calls it at counter 7.
    let (status, ticket) = http
        .post(
            "/api/v1/tickets",
            kiosk,
            json!({"category": "cash-desk", "language": "en"}),
        )
        .await;
    assert_eq!(status, 201, "{ticket}");
    assert_eq!(ticket["number"], "K001", "the first cash-desk ticket");
    let (status, called) = http
        .post("/api/v1/counters/7/call-next", clerk, json!({}))
        .await;
    assert_eq!(status, 200, "{called}");
    assert_eq!(called["ticket"]["number"], "K001");
    assert_eq!(called["counter"]["state"], "open");
    let (status, finished) = http
        .post("/api/v1/counters/7/finish", clerk, json!({}))
        .await;
    assert_eq!(status, 200, "{finished}");
    assert_eq!(finished["ticket"]["state"], "done");

    // Ctrl-C or SIGTERM: a clean exit, and the temporary data directory is gone.
    let exit = demo.terminate();
    assert!(exit.success(), "{exit:?}");
    assert!(
        !Path::new(&data_dir).exists(),
        "{data_dir} is removed at exit"
    );
    assert!(
        entries(tmp.path()).is_empty(),
        "nothing left in the temporary directory: {:?}",
        entries(tmp.path())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiet_demo_has_nobody_else_at_work_and_a_given_data_directory_stays() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("demo-data");
    let data_arg = data.to_str().expect("path");

    // A first run with traffic leaves the bots' tokens in the data directory it is given.
    let busy = Running::start(
        &[
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data_arg,
            "--traffic-speed",
            "60",
        ],
        tmp.path(),
    );
    assert_eq!(
        busy.line("numerek demo: data in "),
        format!("numerek demo: data in {}", data.display())
    );
    let admin = busy.token("admin").to_owned();
    let clerk = busy.token("clerk").to_owned();
    let kiosk = busy.token("kiosk").to_owned();
    let exit = busy.terminate();
    assert!(exit.success(), "{exit:?}");
    assert!(data.is_dir(), "a given data directory stays");

    // The quiet run: the first start's tokens still work, the bots' are revoked, nobody acts.
    let quiet = Running::start(
        &[
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data_arg,
            "--no-traffic",
        ],
        tmp.path(),
    );
    assert!(quiet.tokens.is_empty(), "tokens are printed only once");
    quiet.line("tokens printed at the first start");
    quiet.line("Demo without traffic");
    let http = Http::new(&quiet.base);
    let labels = token_labels(&http, &admin).await;
    assert_eq!(labels.len(), 4, "the four first-start tokens: {labels:?}");
    assert!(
        labels.iter().all(|l| !l.starts_with("numerek demo bot")),
        "no bot holds a token, so none can act: {labels:?}"
    );
    let status = http.get("/api/v1/status", None).await;
    let counters = status["counters"].as_array().expect("counters");
    assert!(
        counters.iter().all(|c| c["state"] == "closed"),
        "no counter is worked: {status}"
    );
    let issued = |status: &Value| -> u64 {
        status["categories"]
            .as_array()
            .expect("categories")
            .iter()
            .map(|c| c["issued_today"].as_u64().expect("issued_today"))
            .sum()
    };
    let issued_before = issued(&status);

    // The person takes a ticket and calls it at whatever counter they choose. (Tickets the
    // first run's citizens took may still wait: the person calls theirs by its number.)
    let (code, ticket) = http
        .post("/api/v1/tickets", &kiosk, json!({"category": "intake"}))
        .await;
    assert_eq!(code, 201, "{ticket}");
    let number = ticket["number"].as_str().expect("number").to_owned();
    let (code, called) = http
        .post("/api/v1/counters/6/call", &clerk, json!({"ticket": number}))
        .await;
    assert_eq!(code, 200, "{called}");
    assert_eq!(called["ticket"]["number"], number.as_str());
    let status = http.get("/api/v1/status", None).await;
    assert_eq!(
        issued(&status),
        issued_before + 1,
        "only the person's ticket was issued: {status}"
    );
    assert_eq!(status["recent_calls"][0]["number"], number.as_str());
    let open: Vec<&Value> = status["counters"]
        .as_array()
        .expect("counters")
        .iter()
        .filter(|c| c["state"] != "closed")
        .collect();
    assert_eq!(open.len(), 1, "only the person's counter: {open:?}");
    assert_eq!(open[0]["id"], "6");

    assert!(quiet.terminate().success());
    assert!(
        data.join("numerek.redb").is_file(),
        "the data stays in {}",
        data.display()
    );
}

/// `numerek serve` without `--config` runs the example office with its real hours (Monday to
/// Friday): on a Saturday it is closed, and its start line says when it opens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_keeps_the_example_offices_hours_and_says_when_it_opens() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (now, start_line) in [
        (
            "2026-11-28T10:00:00+01:00",
            "is closed now, opens Mon 07:30",
        ),
        (
            "2026-11-27T18:00:00+01:00",
            "is closed now, opens Mon 07:30",
        ),
        (
            "2026-11-24T06:00:00+01:00",
            "is closed now, opens today 07:30",
        ),
        ("2026-11-23T09:00:00+01:00", "is open at http://127.0.0.1:"),
    ] {
        let data = tmp.path().join(now.replace(':', ""));
        let serve = Running::start(
            &[
                "serve",
                "--data-dir",
                data.to_str().expect("path"),
                "--listen",
                "127.0.0.1:0",
                "--sim-clock-start",
                now,
                "--sim-clock-speed",
                "1",
            ],
            tmp.path(),
        );
        let first = &serve.printed[0];
        assert!(
            first.starts_with("numerek: Urząd Miasta — Biuro Obsługi Klienta")
                && first.contains(start_line),
            "at {now}: {first}"
        );
        let http = Http::new(&serve.base);
        let office = http.get("/api/v1/office", None).await;
        assert_eq!(office["office"]["demo"], false);
        if now.starts_with("2026-11-28") {
            let status = http.get("/api/v1/status", None).await;
            let registration = &status["categories"][0];
            assert_eq!(registration["open"], false, "{status}");
            assert_eq!(registration["opens_at"], "2026-11-30T07:30:00.000+01:00");
            let cash_desk = &status["categories"][6];
            assert_eq!(cash_desk["id"], "cash-desk");
            assert_eq!(
                cash_desk["opens_at"], "2026-11-30T08:00:00.000+01:00",
                "its own hours"
            );
        }
        assert!(serve.terminate().success());
    }
}

/// `numerek demo --help` names every option, and a bad one is refused before anything starts.
#[test]
fn the_demos_options_are_explained_and_checked() {
    let run = |args: &[&str]| {
        Command::new(binary())
            .args(args)
            .env_remove("NUMEREK_DATA_DIR")
            .output()
            .expect("run numerek")
    };
    let help = String::from_utf8_lossy(&run(&["demo", "--help"]).stdout).into_owned();
    for option in [
        "--listen",
        "--data-dir",
        "--no-traffic",
        "--traffic-speed",
        "--seed",
        "temporary",
    ] {
        assert!(help.contains(option), "{option} in {help}");
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    for speed in ["0", "-1", "1001", "NaN"] {
        let refused = Command::new(binary())
            .args([
                "demo",
                "--listen",
                "127.0.0.1:0",
                &format!("--traffic-speed={speed}"),
            ])
            .env("TMPDIR", tmp.path())
            .output()
            .expect("run numerek");
        assert!(!refused.status.success(), "--traffic-speed {speed}");
        let message = String::from_utf8_lossy(&refused.stderr);
        assert!(message.contains("--traffic-speed"), "{message}");
    }
    assert!(entries(tmp.path()).is_empty(), "nothing was started");
}
