//! What an attacker tried against the release binary (issue 13), run against the real binary:
//!
//! - the script that listened to the public feed and cancelled every ticket the moment it was
//!   issued: it finds nothing to cancel with;
//! - the property behind it: no public answer (status, office, the feed's snapshot and every
//!   event type, live and replayed, open data in both shapes, the answers to ratings, the slots
//!   on offer, the HTML and scripts of every page, the counter-top screen and the rating tablet
//!   among them) carries any ticket id or booking code issued in the test, over a whole office
//!   day and its rollover;
//! - the open-file limit raised at start, and a flood of connections that takes what the limit
//!   allows while the server keeps answering (and can still open its own files);
//! - the development mode asked for files outside its root.

use crate::support;

#[path = "../../../numerek-server/src/clients.rs"]
mod clients;

use futures_util::StreamExt;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use support::{ALWAYS_OPEN_OFFICE, Server, binary, serve_command, write_config};
use tokio_tungstenite::tungstenite::Message;

/// The bound on any single wait.
const WAIT: Duration = Duration::from_secs(10);

/// An HTTP client for the tests: every request bounded.
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(WAIT)
        .build()
        .expect("a client")
}

/// `POST path` with a JSON body and an optional token; answers (status, body).
async fn post(base: &str, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = http().post(format!("{base}{path}")).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// `GET path` with an optional token; answers (status, body text).
async fn get_text(base: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let mut request = http().get(format!("{base}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a body");
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// The feed's URL with an optional query.
fn feed_url(base: &str, query: &str) -> String {
    let url = format!("{}/api/v1/events", base.replace("http://", "ws://"));
    if query.is_empty() {
        url
    } else {
        format!("{url}?{query}")
    }
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open_feed(base: &str, query: &str) -> Ws {
    let (ws, _) = tokio::time::timeout(
        WAIT,
        tokio_tungstenite::connect_async(feed_url(base, query)),
    )
    .await
    .expect("the handshake ends in time")
    .expect("the feed opens");
    ws
}

/// The feed's next text message, as sent (pings skipped); `None` after [`WAIT`] of silence.
async fn next_text(ws: &mut Ws) -> Option<String> {
    loop {
        match tokio::time::timeout(WAIT, ws.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => return Some(text.as_str().to_owned()),
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => {}
            _ => return None,
        }
    }
}

/// Reads the feed's messages until one has `seq` at least `until`; answers their texts.
async fn read_until(ws: &mut Ws, until: u64) -> Vec<String> {
    let mut texts = Vec::new();
    loop {
        let text = next_text(ws)
            .await
            .unwrap_or_else(|| panic!("the feed went quiet before seq {until}: {texts:?}"));
        let seq = serde_json::from_str::<Value>(&text).expect("JSON")["seq"]
            .as_u64()
            .expect("seq");
        texts.push(text);
        if seq >= until {
            return texts;
        }
    }
}

/// The office's current sequence number.
async fn seq(base: &str) -> u64 {
    let (_, status) = get_text(base, "/api/v1/status", None).await;
    serde_json::from_str::<Value>(&status).expect("JSON")["seq"]
        .as_u64()
        .expect("seq")
}

/// Every string anywhere in a JSON value.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => out.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => {
            for (key, v) in map {
                out.push(key.clone());
                strings(v, out);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// The auto-cancel script

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_script_on_the_public_feed_cannot_cancel_anyone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&write_config(dir.path()), &dir.path().join("data"));
    let base = server.base.clone();
    let kiosk = server.tokens["kiosk"].clone();

    // The script: it listens to the public feed from the start of the day (and, as a kiosk
    // could, with the kiosk's token), and also reads the public status.
    let mut feeds = vec![
        open_feed(&base, "since=0").await,
        open_feed(&base, &format!("token={kiosk}")).await,
    ];
    let mut issued = Vec::new();
    for category in ["registration", "tax", "registration", "tax", "registration"] {
        let (status, ticket) = post(
            &base,
            "/api/v1/tickets",
            Some(&kiosk),
            json!({"category": category, "priority": category == "registration"}),
        )
        .await;
        assert_eq!(status, 201, "{ticket}");
        issued.push(ticket["id"].as_str().expect("an id").to_owned());
    }
    let last = seq(&base).await;
    let mut candidates = BTreeSet::new();
    let mut events = Vec::new();
    for ws in &mut feeds {
        for text in read_until(ws, last).await {
            let event: Value = serde_json::from_str(&text).expect("JSON");
            let mut found = Vec::new();
            strings(&event, &mut found);
            candidates.extend(found);
            events.push(event);
        }
    }
    let (_, status) = get_text(&base, "/api/v1/status", Some(&kiosk)).await;
    let mut found = Vec::new();
    strings(&serde_json::from_str(&status).expect("JSON"), &mut found);
    candidates.extend(found);
    assert!(
        candidates.contains("A001") && candidates.contains("B002"),
        "the script saw every number: {candidates:?}"
    );

    // Everything it saw, tried as a ticket id, as the cancel wants it.
    for candidate in &candidates {
        let path = format!("/api/v1/tickets/{}/cancel", urlencode(candidate));
        let (status, body) = post(&base, &path, None, json!({})).await;
        assert_ne!(status, 200, "{candidate:?} cancelled a ticket: {body}");
    }
    // Nobody's ticket was cancelled.
    for id in &issued {
        let (status, ticket) = get_text(&base, &format!("/api/v1/tickets/{id}"), None).await;
        assert_eq!(status, 200);
        let ticket: Value = serde_json::from_str(&ticket).expect("JSON");
        assert_eq!(ticket["state"], "waiting", "{ticket}");
    }
    // What the script saw of each ticket: its number, never its id or priority.
    for event in events.iter().filter(|e| e["type"] == "ticket.issued") {
        assert!(event["ticket"].get("id").is_none(), "{event}");
        assert!(event["ticket"].get("priority").is_none(), "{event}");
    }
}

/// Percent-encodes a path segment.
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// No public answer carries a ticket id

/// Public answers seen in a test, and the keys issued in it: ticket ids and booking codes.
#[derive(Default)]
struct Exposure {
    ids: BTreeSet<String>,
    codes: BTreeSet<String>,
    /// (what, body)
    answers: Vec<(String, String)>,
}

impl Exposure {
    fn issued(&mut self, ticket: &Value) {
        self.ids
            .insert(ticket["id"].as_str().expect("an id").to_owned());
    }

    fn booked(&mut self, appointment: &Value) {
        self.codes
            .insert(appointment["code"].as_str().expect("a code").to_owned());
    }

    fn public(&mut self, what: impl Into<String>, body: impl Into<String>) {
        self.answers.push((what.into(), body.into()));
    }

    /// Reads a public `GET` and keeps its answer; answers the body.
    async fn get(&mut self, base: &str, path: &str, token: Option<&str>) -> String {
        let (status, body) = get_text(base, path, token).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        self.public(
            format!("GET {path} (token: {})", token.is_some()),
            body.clone(),
        );
        body
    }

    /// The property: no public answer holds any issued id.
    fn assert_no_id_is_public(&self) {
        assert!(
            self.ids.len() >= 5,
            "the test issued tickets: {:?}",
            self.ids
        );
        assert!(self.codes.len() >= 3, "the test booked: {:?}", self.codes);
        for (what, body) in &self.answers {
            for id in &self.ids {
                assert!(
                    !body.contains(id.as_str()),
                    "{what} carries ticket id {id}: {body}"
                );
            }
            for code in &self.codes {
                assert!(
                    !body.contains(code.as_str()),
                    "{what} carries booking code {code}: {body}"
                );
            }
        }
    }
}

/// Asserts that a public JSON answer holds tickets only as `PublicTicket`s: every `ticket`
/// object and every counter's `current` without `id` and `priority`.
fn assert_public_shapes(value: &Value, what: &str) {
    match value {
        Value::Object(map) => {
            for key in ["ticket", "current"] {
                if let Some(Value::Object(ticket)) = map.get(key) {
                    assert!(
                        !ticket.contains_key("id") && !ticket.contains_key("priority"),
                        "{what}: {key} is not public: {value}"
                    );
                }
            }
            map.values().for_each(|v| assert_public_shapes(v, what));
        }
        Value::Array(items) => items.iter().for_each(|v| assert_public_shapes(v, what)),
        _ => {}
    }
}

/// Every file of the web clients, by the URL it is served at (from the same list and rule the
/// server embeds them by).
fn page_files(root: &Path) -> Vec<String> {
    fn walk(dir: &Path, relative: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("a client directory") {
            let entry = entry.expect("an entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if path.is_dir() {
                walk(&path, &format!("{relative}{name}/"), out);
            } else {
                out.push(format!("{relative}{name}"));
            }
        }
    }
    let mut out = Vec::new();
    for (dir, prefix) in clients::CLIENTS {
        let mut files = Vec::new();
        walk(&root.join(dir), "", &mut files);
        out.extend(
            files
                .into_iter()
                .filter(|file| clients::is_page_file(file))
                .map(|file| format!("{prefix}{file}")),
        );
    }
    out
}

/// `numerek serve` on a simulated clock standing at `start` (RFC 3339), running at real speed.
fn start_at(config: &Path, data_dir: &Path, start: &str) -> Server {
    let mut command = serve_command(Command::new(binary()), config, data_dir);
    command.args(["--sim-clock-start", start, "--sim-clock-speed", "1"]);
    Server::start_command(command)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_public_answer_carries_a_ticket_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let data = dir.path().join("data");
    let mut seen = Exposure::default();

    // Monday 23 November 2026: a day with every kind of event.
    let server = start_at(&config, &data, "2026-11-23T09:00:00+01:00");
    let base = server.base.clone();
    let tokens = server.tokens.clone();
    let (kiosk, clerk) = (tokens["kiosk"].as_str(), tokens["clerk"].as_str());
    let mut live = [
        ("public feed", open_feed(&base, "").await),
        (
            "kiosk feed",
            open_feed(&base, &format!("token={kiosk}")).await,
        ),
    ];
    let issue = |category: &'static str, priority: bool| {
        let base = base.clone();
        async move {
            let (status, ticket) = post(
                &base,
                "/api/v1/tickets",
                Some(kiosk),
                json!({"category": category, "priority": priority}),
            )
            .await;
            assert_eq!(status, 201, "{ticket}");
            ticket
        }
    };
    let act = |counter: &'static str, action: &'static str, body: Value| {
        let base = base.clone();
        async move {
            let (status, answer) = post(
                &base,
                &format!("/api/v1/counters/{counter}/{action}"),
                Some(clerk),
                body,
            )
            .await;
            assert_eq!(status, 200, "{action}: {answer}");
        }
    };
    // Bookings: one checked in (its ticket waits for its slot all day), one cancelled, one left
    // for Tuesday.
    let book = |start: &'static str| {
        let base = base.clone();
        async move {
            let (status, appointment) = post(
                &base,
                "/api/v1/appointments",
                None,
                json!({"category": "registration", "start": start}),
            )
            .await;
            assert_eq!(status, 201, "{appointment}");
            appointment
        }
    };
    let checked = book("2026-11-23T09:15:00+01:00").await;
    let cancelled = book("2026-11-23T11:00:00+01:00").await;
    let tuesday = book("2026-11-24T08:15:00+01:00").await;
    for appointment in [&checked, &cancelled, &tuesday] {
        seen.booked(appointment);
    }
    let code = |a: &Value| a["code"].as_str().expect("a code").to_owned();
    let (status, booked_ticket) = post(
        &base,
        &format!("/api/v1/appointments/{}/check-in", code(&checked)),
        Some(kiosk),
        json!({}),
    )
    .await;
    assert_eq!(status, 201, "{booked_ticket}");
    seen.issued(&booked_ticket);
    let (status, _) = post(
        &base,
        &format!("/api/v1/appointments/{}/cancel", code(&cancelled)),
        None,
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    seen.get(
        &base,
        "/api/v1/appointments/slots?category=registration&from=2026-11-23&to=2026-11-24",
        None,
    )
    .await;
    let a001 = issue("registration", true).await;
    let a002 = issue("registration", false).await;
    let b001 = issue("tax", false).await;
    let a003 = issue("registration", false).await;
    for ticket in [&a001, &a002, &b001, &a003] {
        seen.issued(ticket);
    }
    seen.get(&base, "/api/v1/status", None).await;
    act("1", "call-next", json!({})).await; // counter.changed, ticket.called a001
    seen.get(&base, "/api/v1/status", None).await;
    seen.get(&base, "/api/v1/status", Some(kiosk)).await;
    seen.get(&base, "/api/v1/status", Some("nmk_not_a_token"))
        .await;
    act("1", "recall", json!({})).await;
    act(
        "1",
        "transfer",
        json!({"category": "tax", "position": "front"}),
    )
    .await;
    act("1", "call-next", json!({})).await; // a001 again (priority)
    act("1", "finish", json!({})).await;
    act("1", "call-next", json!({})).await; // a002
    act("1", "no-show", json!({})).await;
    let id = a003["id"].as_str().unwrap();
    let (status, _) = post(
        &base,
        &format!("/api/v1/tickets/{id}/cancel"),
        None,
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    act("2", "call-next", json!({})).await; // b001 stays called
    let a004 = issue("registration", true).await; // stays waiting
    seen.issued(&a004);
    seen.get(&base, "/api/v1/status", None).await;
    let last = seq(&base).await;
    for (name, ws) in &mut live {
        for text in read_until(ws, last).await {
            seen.public(format!("{name}, live"), text);
        }
    }
    drop(live);
    let status = server.terminate();
    assert!(status.success(), "{status}");

    // Tuesday: the rollover at start cancels B001 and A004, closes the counters, starts the day.
    let server = start_at(&config, &data, "2026-11-24T08:00:00+01:00");
    let base = server.base.clone();
    let b002 = issue_on(&base, kiosk, "tax").await;
    seen.issued(&b002);
    // Ratings: A001 (served yesterday) on the phone, B002 at counter 2's tablet. Their answers
    // and their events name no ticket.
    let id = a001["id"].as_str().unwrap();
    let (status, answer) = post(
        &base,
        &format!("/api/v1/tickets/{id}/feedback"),
        None,
        json!({"score": 5}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    seen.public("a rating by id", answer.to_string());
    for action in ["call-next", "finish"] {
        let (status, answer) = post(
            &base,
            &format!("/api/v1/counters/2/{action}"),
            Some(clerk),
            json!({}),
        )
        .await;
        assert_eq!(status, 200, "{answer}");
    }
    let (status, answer) = post(
        &base,
        "/api/v1/counters/2/feedback",
        Some(kiosk),
        json!({"score": 4}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    seen.public("a rating at the tablet", answer.to_string());
    let last = seq(&base).await;
    let mut types = BTreeSet::new();
    let mut messages = Vec::new();
    for (name, query) in [
        ("public feed replayed", "since=0".to_owned()),
        ("kiosk feed replayed", format!("token={kiosk}&since=0")),
        ("public feed snapshot", String::new()),
        ("kiosk feed snapshot", format!("token={kiosk}")),
    ] {
        let mut ws = open_feed(&base, &query).await;
        for text in read_until(&mut ws, last).await {
            let message: Value = serde_json::from_str(&text).expect("JSON");
            types.insert(message["type"].as_str().expect("a type").to_owned());
            messages.push((name, message));
            seen.public(name, text);
        }
    }
    for kind in [
        "snapshot",
        "ticket.issued",
        "ticket.called",
        "ticket.recalled",
        "ticket.finished",
        "ticket.no_show",
        "ticket.transferred",
        "ticket.cancelled",
        "counter.changed",
        "day.started",
        "feedback.given",
        "appointments.changed",
    ] {
        assert!(
            types.contains(kind),
            "the public feed carried {kind}: {types:?}"
        );
    }
    for (path, token) in [
        ("/api/v1/status", None),
        ("/api/v1/status", Some(kiosk)),
        ("/api/v1/office", None),
        ("/api/v1/open-data/warsaw", None),
        ("/api/v1/open-data/warsaw?shape=2016", None),
        ("/api/v1/openapi.json", None),
        ("/healthz", None),
    ] {
        let body = seen.get(&base, path, token).await;
        // The OpenAPI document describes tickets; it holds none.
        if path != "/api/v1/openapi.json" {
            messages.push((path, serde_json::from_str(&body).expect("JSON")));
        }
    }
    // The pages: every file of every client, the pages by their addresses, and a ticket's page.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut pages = page_files(&root);
    pages.extend(
        [
            "/",
            "/kiosk/",
            "/display/",
            "/display/?counter=1",
            "/counter/",
            "/reports/",
            "/feedback/?counter=2",
        ]
        .map(str::to_owned),
    );
    for ticket in [&a001, &b002] {
        pages.push(format!("/t/{}", ticket["id"].as_str().unwrap()));
    }
    assert!(pages.len() > 20, "{pages:?}");
    for path in &pages {
        seen.get(&base, path, None).await;
    }
    seen.assert_no_id_is_public();
    // And tickets in them are public ones: no id, no priority flag.
    for (what, message) in &messages {
        assert_public_shapes(message, what);
    }

    // The scan finds ids where they belong: the staff feed carries them.
    let mut staff = open_feed(&base, &format!("token={clerk}&since=0")).await;
    let staff_text = read_until(&mut staff, last).await.join("\n");
    assert!(
        seen.ids.iter().all(|id| staff_text.contains(id.as_str())),
        "the staff feed names every ticket"
    );
    assert!(
        seen.codes
            .iter()
            .all(|code| staff_text.contains(code.as_str())),
        "the staff feed names every booking"
    );
}

async fn issue_on(base: &str, kiosk: &str, category: &str) -> Value {
    let (status, ticket) = post(
        base,
        "/api/v1/tickets",
        Some(kiosk),
        json!({"category": category}),
    )
    .await;
    assert_eq!(status, 201, "{ticket}");
    ticket
}

// ---------------------------------------------------------------------------------------------
// Open files

/// `numerek serve` under a shell that first runs `ulimit ARGS`.
fn start_with_ulimit(config: &Path, data_dir: &Path, ulimit: &str) -> Server {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit {ulimit} && exec \"$0\" \"$@\""))
        .arg(binary());
    Server::start_command(serve_command(command, config, data_dir))
}

/// (soft, hard) "Max open files" of a process.
fn open_file_limits(pid: u32) -> (u64, u64) {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).expect("its limits");
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .expect("the open-file limit");
    let numbers: Vec<u64> = line
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn the_open_file_limit_is_raised_to_the_hard_limit_at_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let (_, hard) = open_file_limits(std::process::id());
    let soft = 256.min(hard);
    let server = start_with_ulimit(&config, &dir.path().join("data"), &format!("-S -n {soft}"));
    assert_eq!(
        open_file_limits(server.pid()),
        (hard, hard),
        "started with a soft limit of {soft}"
    );
}

/// A blocking connection to `addr` from the local address `source` (the standard library
/// cannot bind before connecting; tokio's socket can, and hands the stream over).
fn connect_from(source: &str, addr: std::net::SocketAddr) -> TcpStream {
    let stream = connect_bound(source, addr);
    stream.set_read_timeout(Some(WAIT)).expect("a read timeout");
    stream
}

fn connect_bound(source: &str, addr: std::net::SocketAddr) -> TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        socket
            .bind(format!("{source}:0").parse().expect("an address"))
            .expect("bind");
        socket
            .connect(addr)
            .await
            .expect("connect")
            .into_std()
            .and_then(|stream| {
                stream.set_nonblocking(false)?;
                Ok(stream)
            })
            .expect("a blocking stream")
    })
}

/// Sends `GET path` on a kept-alive connection and answers the status, or `None` when the server
/// closed it without answering.
fn get_on(stream: &mut TcpStream, path: &str, token: Option<&str>) -> Option<u16> {
    let authorization = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let request = format!("GET {path} HTTP/1.1\r\nHost: numerek\r\n{authorization}\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    // The head, then a body of Content-Length bytes.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    Some(status)
}

#[test]
fn a_flood_of_connections_never_takes_the_last_tenth_of_the_open_files() {
    const LIMIT: usize = 400;
    const FLOOD: usize = LIMIT + 50;
    let dir = tempfile::tempdir().expect("tempdir");
    // One address may hold as many connections as it likes here: what is tested is the limit of
    // all connections together.
    let config = dir.path().join("office.toml");
    std::fs::write(
        &config,
        ALWAYS_OPEN_OFFICE.replacen(
            "kiosk_rate_per_min = false",
            "kiosk_rate_per_min = false\nconnections_per_address = 100000",
            1,
        ),
    )
    .expect("write the office");
    let server = start_with_ulimit(&config, &dir.path().join("data"), &format!("-n {LIMIT}"));
    assert_eq!(open_file_limits(server.pid()), (LIMIT as u64, LIMIT as u64));
    let addr: std::net::SocketAddr = server
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("an address");
    let admin = server.tokens["admin"].clone();
    // An office PC's connection, open before the flood.
    let mut office_pc = connect_from("127.0.0.2", addr);
    assert_eq!(get_on(&mut office_pc, "/healthz", None), Some(200));

    // One address opens more connections than the server has files for.
    let mut flood: Vec<TcpStream> = (0..FLOOD)
        .map(|_| connect_from("127.0.0.1", addr))
        .collect();
    let (mut served, mut closed) = (0, 0);
    for stream in &mut flood {
        match get_on(stream, "/healthz", None) {
            Some(200) => served += 1,
            None => closed += 1,
            Some(other) => panic!("a flood connection answered {other}"),
        }
    }
    // 90 % of the open files for connections, the office PC's among them; the rest were closed
    // at once, none left hanging in the listen queue.
    let budget = LIMIT * 9 / 10;
    assert_eq!(served, budget - 1, "{closed} closed");
    assert_eq!(closed, FLOOD - served);
    // The office PC is still answered, and the server can still open files: a backup (a copy
    // of the database in a file of its own) succeeds.
    assert_eq!(get_on(&mut office_pc, "/healthz", None), Some(200));
    assert_eq!(
        get_on(&mut office_pc, "/api/v1/admin/backup", Some(&admin)),
        Some(200)
    );
    // The flood ends: anyone is served again.
    drop(flood);
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let mut fresh = connect_from("127.0.0.3", addr);
        if get_on(&mut fresh, "/healthz", None) == Some(200) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "served again in time");
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---------------------------------------------------------------------------------------------
// The development mode

/// The raw answer to `GET path` (sent exactly so, `//` and `..` included) on a new connection.
fn raw_get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("a timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: numerek\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("the answer");
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn the_development_mode_serves_nothing_outside_its_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let data = dir.path().join("data");
    // A development root with the real pages, and a link out of it.
    let root = dir.path().join("root");
    std::fs::create_dir_all(&root).expect("the root");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for (client, _) in clients::CLIENTS {
        std::os::unix::fs::symlink(repo.join(client), root.join(client))
            .expect("link a client directory");
    }
    std::fs::write(dir.path().join("secret.txt"), "not for the web").expect("a secret");
    let web = repo.join("web");
    let mut command = serve_command(Command::new(binary()), &config, &data);
    command.env("NUMEREK_DEV_WEB_ROOT", &root);
    let server = Server::start_command(command);
    let addr: std::net::SocketAddr = server
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("an address");

    // Pages come from the disk (this is a debug build, where the mode exists).
    let index = raw_get(addr, "/index.html");
    assert!(index.starts_with("HTTP/1.1 200"), "{index}");
    let on_disk = std::fs::read_to_string(web.join("index.html")).expect("the index page");
    assert!(index.ends_with(&on_disk));
    let database = data.join("numerek.redb");
    let secret = dir.path().join("secret.txt");
    for path in [
        "//etc/passwd".to_owned(),
        format!("/{}", database.display()),
        format!("/{}", secret.display()),
        "/../secret.txt".into(),
        "/common/../../secret.txt".into(),
        "/kiosk/../../../secret.txt".into(),
        "/common/%2e%2e/%2e%2e/secret.txt".into(),
        "/%2f%2fetc%2fpasswd".into(),
    ] {
        let answer = raw_get(addr, &path);
        assert!(
            answer.starts_with("HTTP/1.1 404") || answer.starts_with("HTTP/1.1 400"),
            "{path}: {answer}"
        );
        assert!(!answer.contains("root:"), "{path}: {answer}");
        assert!(!answer.contains("not for the web"), "{path}: {answer}");
        assert!(!answer.contains("redb"), "{path}: {answer}");
    }
}
