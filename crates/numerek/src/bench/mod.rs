//! `numerek bench`: starts a server on 127.0.0.1 with a fresh data directory (a child process,
//! so its memory is its own) and measures what an office and a city need of it: durable ticket
//! issuing, call-to-screen latency over thousands of WebSocket clients, the memory of idle
//! sockets, and start-up and reports over a year of history. Beside each figure it measures the
//! machine's own limit in the same run (a bare fsync, a trivial HTTP route), prints a table and
//! writes the figures as JSON. `docs/performance.md` holds a run and how to read it.

mod baseline;
mod history;
mod http1;
mod load;
mod sockets;
mod stats;

use crate::child::ChildServer;
use crate::cli::BenchArgs;
use anyhow::{Context, bail};
use serde_json::{Value, json};
use stats::{Latency, ms};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The office the benchmark runs: open all day every day, no daily limits, four categories and
/// four counters (counter 1 serves every category, so it always has someone to call), and no
/// rate limit on the kiosk token.
const BENCH_OFFICE: &str = r#"
[office]
id = "bench"
name = "Benchmark office"
timezone = "Europe/Warsaw"
languages = ["pl", "en"]
kiosk_rate_per_min = false
# Every client of the benchmark comes from 127.0.0.1: the per-address caps, which stop one
# address from taking the server, would stop the benchmark's thousands of feed clients.
feed_clients_per_address = 1000000
connections_per_address = 12000

[office.hours]
mon = "00:00-24:00"
tue = "00:00-24:00"
wed = "00:00-24:00"
thu = "00:00-24:00"
fri = "00:00-24:00"
sat = "00:00-24:00"
sun = "00:00-24:00"

[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki", en = "Registration" }
target_wait_min = 15

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki", en = "Taxes" }
target_wait_min = 15

[[category]]
id = "vehicles"
prefix = "C"
name = { pl = "Pojazdy", en = "Vehicles" }
target_wait_min = 20

[[category]]
id = "other"
prefix = "D"
name = { pl = "Inne sprawy", en = "Other matters" }
target_wait_min = 10

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration", "tax", "vehicles", "other"]

[[counter]]
id = "2"
name = { pl = "Stanowisko 2", en = "Counter 2" }
categories = ["registration", "tax"]

[[counter]]
id = "3"
name = { pl = "Stanowisko 3", en = "Counter 3" }
categories = ["vehicles"]

[[counter]]
id = "4"
name = { pl = "Stanowisko 4", en = "Counter 4" }
categories = ["other", "tax"]
"#;

/// The pause between two calls of the call-to-screen run. Clerks call seconds apart; five calls
/// a second from one office is already far more than any office makes, and each call is then
/// measured on its own rather than queued behind the fan-out of the one before.
const CALL_SPACING: Duration = Duration::from_millis(200);

const CATEGORIES: [&str; 4] = ["registration", "tax", "vehicles", "other"];

/// Runs the benchmark.
pub fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let settings = Settings::from(args);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let work = tempfile::Builder::new()
        .prefix("numerek-bench-")
        .tempdir()
        .context("cannot make a temporary directory")?;
    let config_path = work.path().join("bench-office.toml");
    std::fs::write(&config_path, BENCH_OFFICE)?;
    println!(
        "numerek bench: {} CPU(s); {} HTTP clients for {} s; {} feed clients, {} calls; {} idle sockets; {} tickets of history",
        std::thread::available_parallelism().map_or(1, usize::from),
        settings.clients,
        settings.duration.as_secs_f64(),
        settings.ws_clients,
        settings.calls,
        settings.idle,
        settings.history,
    );
    let mut report = Report::default();

    let live_dir = work.path().join("live");
    std::fs::create_dir_all(&live_dir)?;
    let fsyncs = baseline::fsync_rate(&live_dir, settings.duration.min(Duration::from_secs(3)))?;
    report.row(
        "fsync_baseline",
        "machine: bare 4 KiB write + fdatasync",
        format!("{fsyncs:.0} fsyncs/s"),
        json!({"fsyncs_per_s": fsyncs}),
    );

    // Room for every feed client of the call-to-screen run.
    let feed_clients = settings.ws_clients + 16;
    let server = ChildServer::start(
        Some(&config_path),
        &live_dir,
        &["--max-feed-clients".to_owned(), feed_clients.to_string()],
    )?;
    let kiosk = server.token("kiosk")?.to_owned();
    let clerk = server.token("clerk")?.to_owned();
    runtime.block_on(live(
        &settings,
        &server,
        &kiosk,
        &clerk,
        fsyncs,
        &mut report,
    ))?;
    server.stop();

    // Idle sockets on a server of their own, holding no tickets yet: the figure is what the
    // sockets cost, not what the issuing run above left in memory (an office issues hundreds of
    // tickets a day, the benchmark hundreds of thousands).
    let idle_dir = work.path().join("idle");
    let server = ChildServer::start(
        Some(&config_path),
        &idle_dir,
        &[
            "--max-feed-clients".to_owned(),
            (settings.idle + 16).to_string(),
        ],
    )?;
    runtime.block_on(async {
        let http = reqwest::Client::new();
        idle_sockets(&settings, &server, &http, &server.base, &mut report).await
    })?;
    server.stop();

    if settings.history > 0 {
        runtime.block_on(history(&settings, work.path(), &config_path, &mut report))?;
    }

    println!();
    report.print();
    let document = json!({
        "machine": {
            "cpus": std::thread::available_parallelism().map_or(1, usize::from),
            "os": std::env::consts::OS,
            "arch": std::env::consts::ARCH,
        },
        "settings": settings.json(),
        "results": Value::Object(report.json),
    });
    std::fs::write(&args.json, serde_json::to_string_pretty(&document)? + "\n")
        .with_context(|| format!("cannot write {}", args.json.display()))?;
    println!("\nFigures written to {}", args.json.display());
    Ok(())
}

/// What to run, from the command line (`--quick` shrinks everything to a smoke test).
#[derive(Debug, Clone)]
struct Settings {
    clients: usize,
    duration: Duration,
    ws_clients: usize,
    calls: usize,
    idle: usize,
    history: u64,
}

impl From<&BenchArgs> for Settings {
    fn from(args: &BenchArgs) -> Self {
        if args.quick {
            Self {
                clients: 4,
                duration: Duration::from_millis(500),
                ws_clients: 20,
                calls: 5,
                idle: 50,
                history: 5_000,
            }
        } else {
            Self {
                clients: args.clients,
                duration: Duration::from_secs_f64(args.duration_s),
                ws_clients: args.ws_clients,
                calls: args.calls,
                idle: args.idle,
                history: args.history,
            }
        }
    }
}

impl Settings {
    fn json(&self) -> Value {
        json!({
            "clients": self.clients,
            "duration_s": self.duration.as_secs_f64(),
            "ws_clients": self.ws_clients,
            "calls": self.calls,
            "idle_sockets": self.idle,
            "history_tickets": self.history,
        })
    }
}

/// The figures, as table rows and as JSON.
#[derive(Debug, Default)]
struct Report {
    rows: Vec<(String, String)>,
    json: serde_json::Map<String, Value>,
}

impl Report {
    fn row(&mut self, key: &str, what: &str, figure: String, json: Value) {
        println!("  {what}: {figure}");
        self.rows.push((what.to_owned(), figure));
        self.json.insert(key.to_owned(), json);
    }

    fn print(&self) {
        let width = self
            .rows
            .iter()
            .map(|(w, _)| w.chars().count())
            .max()
            .unwrap_or(0);
        for (what, figure) in &self.rows {
            println!("{what:<width$}  {figure}");
        }
    }
}

/// The measurements against a running office: the trivial route, issuing, call to screen and
/// idle sockets.
async fn live(
    settings: &Settings,
    server: &ChildServer,
    kiosk: &str,
    clerk: &str,
    fsyncs: f64,
    report: &mut Report,
) -> anyhow::Result<()> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(settings.clients * 2)
        .build()?;
    let base = server.base.clone();

    let address = base.trim_start_matches("http://").to_owned();
    let trivial = load::run(
        &address,
        settings.clients,
        settings.duration,
        Arc::new(vec![http1::request("GET", &address, "/healthz", None, "")]),
        200,
    )
    .await;
    report.row(
        "trivial_route",
        "machine: trivial HTTP route (GET /healthz)",
        format!(
            "{:.0} requests/s, {}",
            trivial.per_second(),
            trivial.latency.text()
        ),
        json!({"requests_per_s": trivial.per_second(), "latency": trivial.latency.json(), "failed": trivial.failed}),
    );

    let tickets: Vec<Vec<u8>> = CATEGORIES
        .iter()
        .map(|category| {
            http1::request(
                "POST",
                &address,
                "/api/v1/tickets",
                Some(kiosk),
                &format!("{{\"category\":\"{category}\"}}"),
            )
        })
        .collect();
    let issuing = load::run(
        &address,
        settings.clients,
        settings.duration,
        Arc::new(tickets),
        201,
    )
    .await;
    if issuing.failed > 0 {
        bail!("{} ticket requests failed", issuing.failed);
    }
    let rate = issuing.per_second();
    report.row(
        "issuing",
        "1. issuing: durable tickets",
        format!(
            "{rate:.0} tickets/s, {} ({} tickets; {:.1} tickets per fsync of the bare rate; {:.0}% of the trivial route)",
            issuing.latency.text(),
            issuing.ok,
            rate / fsyncs.max(1.0),
            100.0 * rate / trivial.per_second().max(1.0),
        ),
        json!({
            "tickets_per_s": rate,
            "tickets": issuing.ok,
            "latency": issuing.latency.json(),
            "ratio_to_bare_fsync": rate / fsyncs.max(1.0),
            "ratio_to_trivial_route": rate / trivial.per_second().max(1.0),
        }),
    );

    // Call to screen calls `calls` tickets at counter 1, which serves every category; a short
    // load on a busy machine may have issued fewer.
    for category in CATEGORIES
        .iter()
        .cycle()
        .take(settings.calls.saturating_sub(issuing.ok))
    {
        let answer = http
            .post(format!("{base}/api/v1/tickets"))
            .bearer_auth(kiosk)
            .json(&numerek_api::IssueRequest {
                category: (*category).to_owned(),
                ..Default::default()
            })
            .send()
            .await?;
        if answer.status() != 201 {
            bail!("issuing a ticket to call answered {}", answer.status());
        }
    }
    call_to_screen(settings, &http, &base, clerk, report).await?;
    Ok(())
}

/// Call to screen: `ws_clients` feed clients connected, a clerk calls `calls` times (one at a
/// time, [`CALL_SPACING`] apart); the time from sending each call to its `ticket.called` reaching each
/// client.
async fn call_to_screen(
    settings: &Settings,
    http: &reqwest::Client,
    base: &str,
    clerk: &str,
    report: &mut Report,
) -> anyhow::Result<()> {
    let feed_url = format!("{}/api/v1/events", base.replace("http://", "ws://"));
    let clients = sockets::connect_many(&feed_url, settings.ws_clients).await?;
    let calls = settings.calls;
    let watchers: Vec<_> = clients
        .into_iter()
        .map(|(ws, seq)| {
            tokio::spawn(sockets::watch(
                ws,
                seq,
                calls,
                CALL_SPACING * calls as u32 + Duration::from_secs(60),
            ))
        })
        .collect();
    let url = format!("{base}/api/v1/counters/1/call-next");
    let mut sent = Vec::with_capacity(calls);
    for _ in 0..calls {
        let at = Instant::now();
        let answer = http.post(&url).bearer_auth(clerk).send().await?;
        if answer.status() != 200 {
            bail!("call-next answered {}", answer.status());
        }
        let body: numerek_api::CounterAnswer = answer.json().await?;
        if body.ticket.is_none() {
            bail!("nobody was waiting to be called");
        }
        sent.push(at);
        tokio::time::sleep(CALL_SPACING).await;
    }
    let mut latencies = Vec::with_capacity(calls * settings.ws_clients);
    let (mut missed, mut gaps, mut resyncs) = (0, 0, 0);
    let mut connections = Vec::with_capacity(watchers.len());
    for watcher in watchers {
        let (seen, connection) = watcher.await?;
        connections.push(connection);
        missed += calls.saturating_sub(seen.called.len());
        gaps += seen.gaps;
        resyncs += seen.resyncs;
        for (arrived, sent) in seen.called.iter().zip(&sent) {
            latencies.push(arrived.saturating_duration_since(*sent));
        }
    }
    drop(connections);
    let latency = Latency::of(latencies);
    report.row(
        "call_to_screen",
        "2. call to screen",
        format!(
            "{} to {} clients over {} calls; missed {missed}, gaps {gaps}, resyncs {resyncs}",
            latency.text(),
            settings.ws_clients,
            calls
        ),
        json!({
            "clients": settings.ws_clients,
            "calls": calls,
            "latency": latency.json(),
            "missed_events": missed,
            "gaps": gaps,
            "resyncs": resyncs,
        }),
    );
    if missed + gaps > 0 {
        bail!("feed clients missed {missed} calls and saw {gaps} gaps");
    }
    Ok(())
}

/// Memory of idle sockets: a fresh server's RSS before and after `idle` feed clients connected
/// and went quiet, and whether it still answers promptly.
async fn idle_sockets(
    settings: &Settings,
    server: &ChildServer,
    http: &reqwest::Client,
    base: &str,
    report: &mut Report,
) -> anyhow::Result<()> {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.rss_bytes().unwrap_or(0);
    let feed_url = format!("{}/api/v1/events", base.replace("http://", "ws://"));
    let clients = sockets::connect_many(&feed_url, settings.idle).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = server.rss_bytes().unwrap_or(0);
    let started = Instant::now();
    let healthy = http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .is_ok_and(|r| r.status() == 200);
    let health_ms = ms(started.elapsed());
    drop(clients);
    let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    let per_socket = (after.saturating_sub(before)) as f64 / settings.idle.max(1) as f64;
    report.row(
        "idle_sockets",
        "3. idle sockets: server memory",
        format!(
            "{:.1} MiB with {} idle feed clients ({:.1} MiB before; {:.1} KiB each); /healthz {} in {health_ms:.2} ms",
            mib(after),
            settings.idle,
            mib(before),
            per_socket / 1024.0,
            if healthy { "answered" } else { "FAILED" },
        ),
        json!({
            "sockets": settings.idle,
            "rss_bytes": after,
            "rss_before_bytes": before,
            "bytes_per_socket": per_socket,
            "healthz_ms": health_ms,
        }),
    );
    if !healthy {
        bail!(
            "the server did not answer /healthz with {} idle sockets",
            settings.idle
        );
    }
    Ok(())
}

/// History: a year of tickets written into a fresh data directory, the server's start-up on it,
/// and the year's summary report in each grouping (the median of three runs).
async fn history(
    settings: &Settings,
    work: &Path,
    config_path: &Path,
    report: &mut Report,
) -> anyhow::Result<()> {
    let config = numerek_core::OfficeConfig::from_toml(BENCH_OFFICE)?;
    let data_dir = work.join("history");
    let today = numerek_core::day::office_date(&config.office.tz, jiff::Timestamp::now());
    let writing = Instant::now();
    let (written, first, last) = {
        let data_dir = data_dir.clone();
        let config = Arc::new(config);
        let total = settings.history;
        tokio::task::spawn_blocking(move || history::write_year(&config, &data_dir, today, total))
            .await??
    };
    println!(
        "  (wrote {written} tickets of {first} … {last} in {:.1} s)",
        writing.elapsed().as_secs_f64()
    );
    let server = ChildServer::start(Some(config_path), &data_dir, &[])?;
    report.row(
        "history_startup",
        "4. history: server start-up",
        format!(
            "{:.0} ms with {written} tickets in the store (process start to ready)",
            ms(server.startup)
        ),
        json!({"tickets": written, "startup_ms": ms(server.startup)}),
    );
    let manager = server.token("manager")?.to_owned();
    let http = reqwest::Client::new();
    let mut figures = serde_json::Map::new();
    let mut text = Vec::new();
    for group_by in ["category", "counter", "day", "hour"] {
        let url = format!(
            "{}/api/v1/reports/summary?from={first}&to={last}&group_by={group_by}",
            server.base
        );
        let mut times = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            let answer = http.get(&url).bearer_auth(&manager).send().await?;
            let status = answer.status();
            let body = answer.bytes().await?;
            times.push(started.elapsed());
            let issued = serde_json::from_slice::<numerek_api::Summary>(&body)
                .ok()
                .map(|summary| summary.total.issued);
            if status != 200 || issued != Some(written) {
                bail!(
                    "the year's summary by {group_by} answered {status}: {}",
                    String::from_utf8_lossy(&body)
                );
            }
        }
        times.sort_unstable();
        let median = times[times.len() / 2];
        figures.insert(group_by.to_owned(), json!(ms(median)));
        text.push(format!("{group_by} {:.0} ms", ms(median)));
    }
    report.row(
        "history_summary",
        "4. history: a year's summary report",
        format!("{} ({written} tickets, HTTP round trip)", text.join(", ")),
        json!({"tickets": written, "median_ms_by_grouping": figures}),
    );
    server.stop();
    Ok(())
}
