//! The WebSocket feed against a real socket on 127.0.0.1: the snapshot, events in order with
//! consecutive sequence numbers, `?since=` replay (from memory and, after a restart, from the
//! database), resynchronising a client that lags, and closing on shutdown.

use crate::support;

use axum::http::StatusCode;
use futures_util::{SinkExt, StreamExt};
use numerek_server::routes::events::FeedTiming;
use numerek_server::{AppState, ServeOptions};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use support::{
    NEVER, Next, RunningServer, TestServer, WAIT, assert_local_timestamp, assert_silent, at,
    next_message, recv, send_text,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;

/// How long "nothing arrives" is watched for.
const QUIET: Duration = Duration::from_millis(300);

/// The bound on thousands of commits to disk, or on reading their events: only so that a
/// broken server fails instead of hanging (they take seconds, or tens on a busy machine).
const HANG_GUARD: Duration = Duration::from_secs(600);

/// The keys of the `ticket` an event of the public feed carries: a `PublicTicket`, a `Ticket`
/// without its position, its id and its priority flag.
const EVENT_TICKET_KEYS: [&str; 7] = [
    "called_at",
    "category",
    "counter",
    "finished_at",
    "issued_at",
    "number",
    "state",
];

/// The keys of the `ticket` an event of the staff feed carries: a `Ticket` without its
/// position.
const STAFF_EVENT_TICKET_KEYS: [&str; 9] = [
    "called_at",
    "category",
    "counter",
    "finished_at",
    "id",
    "issued_at",
    "number",
    "priority",
    "state",
];

/// The next event of the public feed `ws` and of the staff feed `staff`: the same event, the
/// staff one's ticket whole, the public one's without id and priority. Answers both.
async fn recv_both(ws: &mut support::Ws, staff: &mut support::Ws) -> (Value, Value) {
    let public = recv(ws).await;
    let whole = recv(staff).await;
    if whole.get("ticket").is_some() {
        assert_eq!(keys(&whole["ticket"]), STAFF_EVENT_TICKET_KEYS, "{whole}");
        let mut stripped = whole.clone();
        let ticket = stripped["ticket"].as_object_mut().unwrap();
        ticket.shift_remove("id");
        ticket.shift_remove("priority");
        assert_eq!(
            public, stripped,
            "the public event is the staff one without id, priority"
        );
    } else {
        assert_eq!(
            public, whole,
            "an event without a ticket is the same for everyone"
        );
    }
    (public, whole)
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("an object, got {value}"))
        .keys()
        .cloned()
        .collect();
    keys.sort_unstable();
    keys
}

/// Asserts an event's type, sequence number and exact fields (beyond `type`, `seq`, `at`).
#[track_caller]
fn assert_event(event: &Value, kind: &str, seq: u64, fields: &[&str]) {
    assert_eq!(event["type"], kind, "{event}");
    assert_eq!(event["seq"], seq, "{event}");
    assert_local_timestamp(&event["at"]);
    let mut expected: Vec<String> = ["type", "seq", "at"]
        .iter()
        .chain(fields)
        .map(|s| (*s).to_owned())
        .collect();
    expected.sort_unstable();
    assert_eq!(keys(event), expected, "the fields of {kind}: {event}");
    if fields.contains(&"ticket") {
        let ticket = &event["ticket"];
        assert_eq!(
            keys(ticket),
            EVENT_TICKET_KEYS,
            "an event's ticket has no position: {ticket}"
        );
        assert_local_timestamp(&ticket["issued_at"]);
    }
}

#[tokio::test]
async fn the_first_message_is_a_snapshot_of_the_status() {
    let h = TestServer::new().await;
    h.issue("registration").await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    h.issue("tax").await;
    let server = RunningServer::start(h.state.clone()).await;
    let mut ws = server.connect(None).await;
    let snapshot = recv(&mut ws).await;
    assert_eq!(keys(&snapshot), ["seq", "status", "type"], "{snapshot}");
    assert_eq!(snapshot["type"], "snapshot");
    let status = h.status().await;
    assert_eq!(snapshot["seq"], status["seq"]);
    assert_eq!(
        snapshot["status"], status,
        "the snapshot is the Status document"
    );
    assert_eq!(snapshot["seq"], 4, "issued, counter opened, called, issued");
    assert_silent(&mut ws, QUIET).await;
    server.stop().await;
}

/// The public and the staff feed of one server, read in step.
struct Both {
    public: support::Ws,
    staff: support::Ws,
}

impl Both {
    /// The next event of both feeds: (public, staff).
    async fn recv(&mut self) -> (Value, Value) {
        recv_both(&mut self.public, &mut self.staff).await
    }

    /// Neither feed says anything for a while.
    async fn assert_silent(&mut self) {
        assert_silent(&mut self.public, QUIET).await;
        assert_silent(&mut self.staff, QUIET).await;
    }
}

#[tokio::test]
async fn events_arrive_in_order_with_consecutive_seq_and_the_spec_fields() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    let mut ws = server.connect(None).await;
    let snapshot = recv(&mut ws).await;
    assert_eq!(snapshot["type"], "snapshot");
    let n = snapshot["seq"].as_u64().unwrap();
    let mut staff = server
        .connect(Some(&format!("token={}", h.tokens.clerk)))
        .await;
    assert_eq!(recv(&mut staff).await["seq"], n);
    let mut ws = Both { public: ws, staff };

    let a1 = h
        .issue_with(json!({"category": "registration", "language": "en"}))
        .await;
    let (event, whole) = ws.recv().await;
    assert_event(&event, "ticket.issued", n + 1, &["ticket"]);
    assert_eq!(event["at"], "2026-11-23T09:00:00.000+01:00");
    assert_eq!(whole["ticket"]["id"], a1["id"]);
    assert_eq!(whole["ticket"]["priority"], false);
    assert_eq!(event["ticket"]["number"], "A001");
    assert_eq!(event["ticket"]["state"], "waiting");
    assert_eq!(event["ticket"]["counter"], Value::Null);

    h.clock.advance(jiff::SignedDuration::from_secs(61));
    h.act("1", "call-next").await.expect(StatusCode::OK);
    let event = ws.recv().await.0;
    assert_event(
        &event,
        "counter.changed",
        n + 2,
        &["counter", "state", "categories", "order"],
    );
    assert_eq!(event["counter"], "1");
    assert_eq!(event["state"], "open");
    assert_eq!(event["categories"], json!(["registration", "tax"]));
    assert_eq!(event["order"], "fifo");
    let event = ws.recv().await.0;
    assert_event(&event, "ticket.called", n + 3, &["ticket", "counter"]);
    assert_eq!(
        event["counter"], "1",
        "event counter fields are counter ids"
    );
    assert_eq!(event["ticket"]["state"], "called");
    assert_eq!(event["ticket"]["counter"], "1");
    assert_eq!(
        event["ticket"]["called_at"],
        "2026-11-23T09:01:01.000+01:00"
    );
    assert_eq!(event["at"], "2026-11-23T09:01:01.000+01:00");

    h.act("1", "recall").await.expect(StatusCode::OK);
    let (event, whole) = ws.recv().await;
    assert_event(&event, "ticket.recalled", n + 4, &["ticket", "counter"]);
    assert_eq!(event["counter"], "1");
    assert_eq!(whole["ticket"]["id"], a1["id"]);

    h.act_with(
        "1",
        "transfer",
        &json!({"category": "tax", "position": "front"}),
    )
    .await
    .expect(StatusCode::OK);
    let event = ws.recv().await.0;
    assert_event(
        &event,
        "ticket.transferred",
        n + 5,
        &["ticket", "from_category", "to_category"],
    );
    assert_eq!(event["from_category"], "registration");
    assert_eq!(event["to_category"], "tax");
    assert_eq!(event["ticket"]["category"], "tax");
    assert_eq!(event["ticket"]["state"], "waiting");
    assert_eq!(event["ticket"]["number"], "A001");
    assert_eq!(event["ticket"]["counter"], Value::Null);
    assert_eq!(event["ticket"]["called_at"], Value::Null);

    h.act("2", "call-next").await.expect(StatusCode::OK);
    let event = ws.recv().await.0;
    assert_event(
        &event,
        "counter.changed",
        n + 6,
        &["counter", "state", "categories", "order"],
    );
    assert_eq!(event["counter"], "2");
    let event = ws.recv().await.0;
    assert_event(&event, "ticket.called", n + 7, &["ticket", "counter"]);
    assert_eq!(event["counter"], "2");

    h.act("2", "finish").await.expect(StatusCode::OK);
    let event = ws.recv().await.0;
    assert_event(&event, "ticket.finished", n + 8, &["ticket", "counter"]);
    assert_eq!(event["ticket"]["state"], "done");
    assert_local_timestamp(&event["ticket"]["finished_at"]);

    h.issue("registration").await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    h.act("1", "no-show").await.expect(StatusCode::OK);
    assert_event(&ws.recv().await.0, "ticket.issued", n + 9, &["ticket"]);
    assert_event(
        &ws.recv().await.0,
        "ticket.called",
        n + 10,
        &["ticket", "counter"],
    );
    let event = ws.recv().await.0;
    assert_event(&event, "ticket.no_show", n + 11, &["ticket", "counter"]);
    assert_eq!(event["ticket"]["state"], "no_show");
    assert_eq!(event["ticket"]["number"], "A002");

    let a3 = h.issue("registration").await;
    h.post(
        &format!("/api/v1/tickets/{}/cancel", a3["id"].as_str().unwrap()),
        None,
        &json!({}),
    )
    .await
    .expect(StatusCode::OK);
    assert_event(&ws.recv().await.0, "ticket.issued", n + 12, &["ticket"]);
    let event = ws.recv().await.0;
    assert_event(&event, "ticket.cancelled", n + 13, &["ticket"]);
    assert_eq!(event["ticket"]["state"], "cancelled");

    // A change that changes nothing emits nothing.
    h.act("1", "open").await.expect(StatusCode::OK);
    ws.assert_silent().await;
    h.act("1", "pause").await.expect(StatusCode::OK);
    let event = ws.recv().await.0;
    assert_event(
        &event,
        "counter.changed",
        n + 14,
        &["counter", "state", "categories", "order"],
    );
    assert_eq!(event["state"], "paused");

    // The new office day: leftovers cancelled, counters closed, then day.started.
    let a4 = h.issue("registration").await;
    assert_event(&ws.recv().await.0, "ticket.issued", n + 15, &["ticket"]);
    h.clock.set(at("2026-11-24T07:00:00+01:00"));
    h.store.start_day_if_due().await.expect("the day starts");
    let (event, whole) = ws.recv().await;
    assert_event(&event, "ticket.cancelled", n + 16, &["ticket"]);
    assert_eq!(whole["ticket"]["id"], a4["id"]);
    assert_eq!(event["ticket"]["number"], a4["number"]);
    let mut closed = Vec::new();
    for seq in [n + 17, n + 18] {
        let event = ws.recv().await.0;
        assert_event(
            &event,
            "counter.changed",
            seq,
            &["counter", "state", "categories", "order"],
        );
        assert_eq!(event["state"], "closed");
        closed.push(event["counter"].as_str().unwrap().to_owned());
    }
    closed.sort();
    assert_eq!(closed, ["1", "2"], "the open and the paused counter close");
    let event = ws.recv().await.0;
    assert_event(&event, "day.started", n + 19, &["office_date"]);
    assert_eq!(event["office_date"], "2026-11-24");
    assert_eq!(event["at"], "2026-11-24T07:00:00.000+01:00");
    ws.assert_silent().await;
    assert_eq!(h.seq().await, n + 19);
    server.stop().await;
}

#[tokio::test]
async fn the_feed_carries_no_personal_data_or_clerk_identity() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    let mut ws = server.connect(None).await;
    recv(&mut ws).await;
    h.issue_with(json!({"category": "registration", "language": "en"}))
        .await;
    h.post_empty("/api/v1/counters/1/call-next", Some(&h.tokens.clerk1))
        .await
        .expect(StatusCode::OK);
    for _ in 0..3 {
        let text = recv(&mut ws).await.to_string();
        for secret in [&h.tokens.clerk1, &h.tokens.kiosk] {
            assert!(!text.contains(secret.as_str()), "{text}");
        }
        for word in ["language", "\"en\"", "label", "token", "clerk"] {
            assert!(!text.contains(word), "{word} in {text}");
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn since_replays_the_missed_events_then_continues_live() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    // A client that sees everything live, to compare the replay with.
    let mut live = server.connect(None).await;
    let start = recv(&mut live).await["seq"].as_u64().unwrap();
    // And one on the staff feed: replays keep each audience's form.
    let staff = format!("token={}", h.tokens.clerk);
    let mut live_staff = server.connect(Some(&staff)).await;
    assert_eq!(recv(&mut live_staff).await["seq"], start);
    for category in ["registration", "tax", "registration"] {
        h.issue(category).await;
    }
    h.act("1", "call-next").await.expect(StatusCode::OK);
    h.act("1", "recall").await.expect(StatusCode::OK);
    let n = h.seq().await;
    assert_eq!(n, start + 6);
    let mut seen = BTreeMap::new();
    let mut seen_staff = BTreeMap::new();
    for seq in start + 1..=n {
        let (event, whole) = recv_both(&mut live, &mut live_staff).await;
        assert_eq!(event["seq"], seq);
        seen.insert(seq, event);
        seen_staff.insert(seq, whole);
    }

    for k in [n - 3, start, n - 1] {
        for (query, seen) in [
            (format!("since={k}"), &seen),
            (format!("{staff}&since={k}"), &seen_staff),
        ] {
            let mut ws = server.connect(Some(&query)).await;
            for seq in k + 1..=n {
                let event = recv(&mut ws).await;
                assert_eq!(
                    &event, &seen[&seq],
                    "{query}: event {seq} as it was sent live"
                );
            }
            assert_silent(&mut ws, QUIET).await;
        }
    }

    // Connected with since, the client then continues live.
    let mut ws = server.connect(Some(&format!("since={}", n - 2))).await;
    assert_eq!(recv(&mut ws).await["seq"], n - 1);
    assert_eq!(recv(&mut ws).await["seq"], n);
    h.issue("passport").await;
    let event = recv(&mut ws).await;
    assert_eq!(event["type"], "ticket.issued");
    assert_eq!(event["seq"], n + 1);
    assert_eq!(event, recv(&mut live).await);
    server.stop().await;
}

#[tokio::test]
async fn since_equal_to_the_current_seq_sends_nothing_until_the_next_event() {
    let h = TestServer::new().await;
    h.issue("registration").await;
    h.issue("registration").await;
    let server = RunningServer::start(h.state.clone()).await;
    let n = h.seq().await;
    let mut ws = server.connect(Some(&format!("since={n}"))).await;
    assert_silent(&mut ws, QUIET).await;
    h.issue("tax").await;
    let event = recv(&mut ws).await;
    assert_eq!(event["type"], "ticket.issued", "{event}");
    assert_eq!(event["seq"], n + 1);
    assert_eq!(event["ticket"]["number"], "B001");
    server.stop().await;
}

#[tokio::test]
async fn since_equal_to_the_current_seq_of_a_fresh_office_waits_too() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    let n = h.seq().await;
    let mut ws = server.connect(Some(&format!("since={n}"))).await;
    assert_silent(&mut ws, QUIET).await;
    h.issue("tax").await;
    let event = recv(&mut ws).await;
    assert_eq!(event["seq"], n + 1, "{event}");
    server.stop().await;
}

#[tokio::test]
async fn a_since_the_server_cannot_serve_gets_a_snapshot() {
    let h = TestServer::new().await;
    h.issue("registration").await;
    h.issue("tax").await;
    let server = RunningServer::start(h.state.clone()).await;
    let status = h.status().await;
    let n = status["seq"].as_u64().unwrap();
    for query in [
        format!("since={}", n + 1),
        format!("since={}", n + 1000),
        "since=abc".to_owned(),
        "since=-1".to_owned(),
        "since=".to_owned(),
        "since=1.5".to_owned(),
        "since=99999999999999999999999".to_owned(),
    ] {
        let mut ws = server.connect(Some(&query)).await;
        let first = recv(&mut ws).await;
        assert_eq!(first["type"], "snapshot", "{query}: {first}");
        assert_eq!(first["seq"], n, "{query}");
        assert_eq!(first["status"], status, "{query}");
        assert_silent(&mut ws, Duration::from_millis(100)).await;
        // And then it continues live from the snapshot.
        drop(ws);
    }
    let mut ws = server.connect(Some("since=nope")).await;
    assert_eq!(recv(&mut ws).await["type"], "snapshot");
    h.issue("tax").await;
    assert_eq!(recv(&mut ws).await["seq"], n + 1);
    server.stop().await;
}

#[tokio::test]
async fn since_after_a_restart_replays_from_the_database() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    let mut live = server.connect(None).await;
    let start = recv(&mut live).await["seq"].as_u64().unwrap();
    let staff = format!("token={}", h.tokens.clerk);
    let mut live_staff = server.connect(Some(&staff)).await;
    assert_eq!(recv(&mut live_staff).await["seq"], start);
    h.issue("registration").await;
    h.issue("tax").await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    h.act_with("1", "transfer", &json!({"category": "tax"}))
        .await
        .expect(StatusCode::OK);
    h.act("2", "pause").await.expect(StatusCode::OK);
    let n = h.seq().await;
    let mut seen = BTreeMap::new();
    let mut seen_staff = BTreeMap::new();
    for seq in start + 1..=n {
        let (event, whole) = recv_both(&mut live, &mut live_staff).await;
        assert_eq!(event["seq"], seq);
        seen.insert(seq, event);
        seen_staff.insert(seq, whole);
    }
    drop(live_staff);

    // Stop the server and the store; open them again on the same data directory.
    server.stop().await;
    match next_message(&mut live, WAIT).await {
        Next::Closed => {}
        other => panic!("the feed closes at shutdown, got {other:?}"),
    }
    let (dir, clock, tokens, weak) = (
        h.dir.clone(),
        h.clock.clone(),
        h.tokens.clone(),
        h.weak_store(),
    );
    drop(h);
    support::wait_until_released(weak).await;
    let tokens_after = tokens.clone();
    let h = TestServer::reopen(dir, clock, tokens);
    assert_eq!(h.seq().await, n, "the sequence survives the restart");
    let server = RunningServer::start(h.state.clone()).await;

    let staff = format!("token={}", tokens_after.clerk);
    for k in [start, start + 2, n - 1] {
        for (query, seen) in [
            (format!("since={k}"), &seen),
            (format!("{staff}&since={k}"), &seen_staff),
        ] {
            let mut ws = server.connect(Some(&query)).await;
            for seq in k + 1..=n {
                let event = recv(&mut ws).await;
                assert_eq!(&event, &seen[&seq], "{query} after a restart");
            }
            assert_silent(&mut ws, QUIET).await;
        }
    }
    let mut ws = server.connect(Some(&format!("since={}", n - 1))).await;
    assert_eq!(recv(&mut ws).await["seq"], n);
    let mut current = server.connect(Some(&format!("since={n}"))).await;
    assert_silent(&mut current, QUIET).await;
    h.issue("registration").await;
    let event = recv(&mut ws).await;
    assert_eq!(event["seq"], n + 1, "then live: {event}");
    assert_eq!(event["ticket"]["number"], "A002");
    assert_eq!(recv(&mut current).await, event);
    server.stop().await;
}

#[tokio::test]
async fn after_a_restart_a_since_older_than_the_kept_log_gets_a_snapshot() {
    let h = TestServer::new().await;
    let start = h.seq().await;
    h.issue("registration").await;
    h.issue("tax").await;
    h.clock.set(at("2026-11-24T08:00:00+01:00"));
    h.store.start_day_if_due().await.expect("day 2");
    h.issue("registration").await;
    h.clock.set(at("2026-11-25T08:00:00+01:00"));
    h.store.start_day_if_due().await.expect("day 3");
    let n = h.seq().await;
    assert_eq!(
        n,
        start + 8,
        "2 issued, 2 cancelled, day, 1 issued, 1 cancelled, day"
    );

    let (dir, clock, tokens, weak) = (
        h.dir.clone(),
        h.clock.clone(),
        h.tokens.clone(),
        h.weak_store(),
    );
    h.store.close();
    drop(h);
    support::wait_until_released(weak).await;
    let h = TestServer::reopen(dir, clock, tokens);
    let server = RunningServer::start(h.state.clone()).await;
    let status = h.status().await;
    assert_eq!(status["office_date"], "2026-11-25");

    // The current office day's events are kept: from just before its day.started.
    let mut ws = server.connect(Some(&format!("since={}", n - 1))).await;
    let event = recv(&mut ws).await;
    assert_eq!(event["type"], "day.started", "{event}");
    assert_eq!(event["seq"], n);
    assert_eq!(event["office_date"], "2026-11-25");
    assert_silent(&mut ws, QUIET).await;

    // The first day's events are gone: a snapshot, never a partial replay.
    let mut ws = server.connect(Some(&format!("since={start}"))).await;
    let first = recv(&mut ws).await;
    assert_eq!(first["type"], "snapshot", "{first}");
    assert_eq!(first["seq"], n);
    assert_eq!(first["status"], status);

    // Whatever a since in between gets, it is never a gap.
    let k = start + 4;
    let mut ws = server.connect(Some(&format!("since={k}"))).await;
    let first = recv(&mut ws).await;
    if first["type"] != "snapshot" {
        assert_eq!(first["seq"], k + 1, "{first}");
        for seq in k + 2..=n {
            assert_eq!(recv(&mut ws).await["seq"], seq);
        }
    }
    assert_silent(&mut ws, QUIET).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lagging_client_gets_a_fresh_snapshot_and_never_a_gap() {
    // The hub's ring holds CLIENT_LAG_LIMIT commits. One writer issuing one ticket at a time
    // makes a commit per ticket, so this many tickets overflow it whatever the buffers hold.
    const WRITERS: usize = 1;
    const TICKETS: usize = numerek_server::hub::CLIENT_LAG_LIMIT + 2000;
    // Issuing them takes seconds (each is a commit to disk), over ten on a busy machine. The
    // client reads nothing meanwhile, on purpose: no time limit of the server may give up on it
    // first (the send limit, the silence limit, a stalled write), or the test would measure
    // the machine's speed instead of the resynchronisation.
    let h = TestServer::new().await;
    let state = AppState::with_feed_timing(
        h.store.clone(),
        FeedTiming {
            ping_every: NEVER,
            silence_limit: NEVER,
            send_timeout: NEVER,
        },
    );
    let options = ServeOptions {
        write_stall_timeout: NEVER,
        ..ServeOptions::default()
    };
    let server = RunningServer::start_with_small_buffers(state, options).await;

    // A client with a tiny receive buffer too, so the backlog cannot be parked in the kernel.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = timeout(WAIT, socket.connect(server.addr))
        .await
        .expect("connect in time")
        .expect("connect");
    let (mut ws, _) = timeout(
        WAIT,
        tokio_tungstenite::client_async(server.events_url(None), stream),
    )
    .await
    .expect("handshake in time")
    .expect("handshake");
    let first = recv(&mut ws).await;
    assert_eq!(first["type"], "snapshot");

    // Produce far more events than the client may fall behind by, without reading.
    let started = std::time::Instant::now();
    let mut writers = Vec::new();
    for _ in 0..WRITERS {
        let app = h.app();
        let kiosk = h.tokens.kiosk.clone();
        writers.push(tokio::spawn(async move {
            use tower::ServiceExt;
            for _ in 0..TICKETS / WRITERS {
                let request = axum::http::Request::post("/api/v1/tickets")
                    .header("authorization", format!("Bearer {kiosk}"))
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(r#"{"category":"registration"}"#))
                    .unwrap();
                let response = app.clone().oneshot(request).await.unwrap();
                assert_eq!(response.status(), StatusCode::CREATED);
            }
        }));
    }
    for writer in writers {
        timeout(HANG_GUARD, writer)
            .await
            .expect("issuing finishes in time")
            .expect("issuing succeeds");
    }
    let produced = started.elapsed();
    let last = h.seq().await;
    assert_eq!(last, first["seq"].as_u64().unwrap() + TICKETS as u64);

    // Now read everything: a snapshot must come, and no gap ever.
    let mut seq = first["seq"].as_u64().unwrap();
    let mut snapshots = 0;
    let mut events = 0;
    let read = timeout(HANG_GUARD, async {
        while seq < last {
            let message = recv(&mut ws).await;
            let at = message["seq"].as_u64().expect("seq");
            if message["type"] == "snapshot" {
                assert!(at >= seq, "a snapshot never goes back: {at} < {seq}");
                snapshots += 1;
            } else {
                assert_eq!(at, seq + 1, "no gap after {seq}: {}", message["type"]);
                events += 1;
            }
            seq = at;
        }
    })
    .await;
    read.unwrap_or_else(|_| {
        panic!("read up to {seq} of {last} ({snapshots} snapshots, {events} events)")
    });
    assert!(
        snapshots >= 1,
        "a client {TICKETS} events behind (produced in {produced:?}) was resynchronised \
         with a snapshot; it got {events} events and no snapshot"
    );
    assert_silent(&mut ws, QUIET).await;
    // It is live again.
    h.issue("tax").await;
    assert_eq!(recv(&mut ws).await["seq"], last + 1);
    server.stop().await;
}

#[tokio::test]
async fn what_clients_send_is_ignored() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    let mut ws = server.connect(None).await;
    let n = recv(&mut ws).await["seq"].as_u64().unwrap();
    send_text(&mut ws, "hello").await;
    send_text(&mut ws, r#"{"type": "issue", "category": "registration"}"#).await;
    timeout(WAIT, ws.send(Message::Ping(vec![1, 2, 3].into())))
        .await
        .unwrap()
        .unwrap();
    assert_silent(&mut ws, QUIET).await;
    assert_eq!(h.seq().await, n);
    h.issue("tax").await;
    assert_eq!(recv(&mut ws).await["seq"], n + 1);
    server.stop().await;
}

#[tokio::test]
async fn connected_clients_are_counted_in_the_metrics() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    let gauge = |h: &TestServer| {
        let app = h.app();
        let manager = h.tokens.manager.clone();
        async move {
            use tower::ServiceExt;
            let request = axum::http::Request::get("/metrics")
                .header("authorization", format!("Bearer {manager}"))
                .body(axum::body::Body::empty())
                .unwrap();
            let response = app.oneshot(request).await.unwrap();
            let bytes = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            String::from_utf8(bytes.to_vec())
                .unwrap()
                .lines()
                .find_map(|l| l.strip_prefix("numerek_websocket_clients "))
                .map(|v| v.parse::<u64>().unwrap())
                .expect("numerek_websocket_clients")
        }
    };
    let mut one = server.connect(None).await;
    recv(&mut one).await;
    let mut two = server.connect(Some("since=0")).await;
    h.issue("tax").await;
    recv(&mut two).await;
    assert_eq!(gauge(&h).await, 2);
    timeout(WAIT, one.close(None)).await.unwrap().unwrap();
    drop(one);
    let counted = timeout(WAIT, async {
        loop {
            if gauge(&h).await == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(counted.is_ok(), "a client that left is no longer counted");
    drop(two);
    server.stop().await;
}

#[tokio::test]
async fn shutting_down_closes_the_feed_with_going_away() {
    let h = TestServer::new().await;
    h.issue("registration").await;
    let mut server = RunningServer::start(h.state.clone()).await;
    let mut ws = server.connect(None).await;
    assert_eq!(recv(&mut ws).await["type"], "snapshot");
    // One client that has read its replay, one that waits for the next event.
    let mut replayed = server.connect(Some("since=0")).await;
    assert_eq!(recv(&mut replayed).await["seq"], 1);
    let mut idle = server.connect(Some("since=1")).await;
    assert_silent(&mut idle, QUIET).await;
    server.signal_shutdown();
    for ws in [&mut ws, &mut replayed, &mut idle] {
        assert_eq!(
            support::close_code(ws, WAIT).await,
            Some(1001),
            "the feed closes with 1001 (going away)"
        );
    }
    server.stop().await;
}

/// A state whose feed pings every `ping_every` and gives up on a client silent for
/// `silence_limit`.
fn with_timing(h: &TestServer, ping_every: Duration, silence_limit: Duration) -> Arc<AppState> {
    AppState::with_feed_timing(
        h.store.clone(),
        FeedTiming {
            ping_every,
            silence_limit,
            ..FeedTiming::default()
        },
    )
}

#[tokio::test]
async fn the_server_pings_and_a_client_that_answers_stays_live() {
    assert!(
        FeedTiming::default().ping_every <= Duration::from_secs(30),
        "the spec asks for a ping at least every 30 s"
    );
    let h = TestServer::new().await;
    let server = RunningServer::start(with_timing(
        &h,
        Duration::from_millis(50),
        FeedTiming::default().silence_limit,
    ))
    .await;
    let mut ws = server.connect(None).await;
    let n = recv(&mut ws).await["seq"].as_u64().unwrap();
    let mut pings = 0;
    timeout(WAIT, async {
        while pings < 3 {
            match ws.next().await {
                Some(Ok(Message::Ping(_))) => pings += 1,
                Some(Ok(Message::Pong(_))) => {}
                other => panic!("expected pings only, got {other:?}"),
            }
        }
    })
    .await
    .expect("the server pings");
    h.issue("tax").await;
    let event = recv(&mut ws).await;
    assert_eq!(event["type"], "ticket.issued");
    assert_eq!(event["seq"], n + 1);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_answers_is_disconnected_one_that_answers_is_not() {
    let h = TestServer::new().await;
    // Two clients connect at the same moment. The server pings every 50 ms; one client reads
    // (and so pongs, as browsers do), the other reads nothing and so never answers. Once the
    // silent one is dropped, the silence limit has passed for the answering one too: it would
    // have been dropped alongside, had its pongs not counted. The limit is seconds long, so
    // that the answering client is never kept from the processor that long, however busy the
    // machine; nothing here measures time.
    let silence = Duration::from_secs(3);
    let state = with_timing(&h, Duration::from_millis(50), silence);
    let server = RunningServer::start(state.clone()).await;
    let mut silent = server.connect(None).await;
    let mut answering = server.connect(None).await;
    let n = recv(&mut silent).await["seq"].as_u64().unwrap();
    assert_eq!(recv(&mut answering).await["seq"], n);
    assert_eq!(state.hub.clients(), 2);

    // `answering` reads until the server has let one client go.
    let one_left = async {
        while state.hub.clients() > 1 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    let reading = async {
        loop {
            match next_message(&mut answering, WAIT).await {
                Next::Nothing => {}
                other => panic!("the answering client got {other:?}"),
            }
        }
    };
    timeout(silence + WAIT, async {
        tokio::select! {
            () = one_left => {}
            () = reading => {}
        }
    })
    .await
    .expect("the silent client is dropped once the silence limit has passed");

    // The one let go is the silent client; the answering client is still live.
    assert_eq!(
        support::close_code(&mut silent, WAIT).await,
        None,
        "a client silent for too long is dropped"
    );
    h.issue("tax").await;
    let event = recv(&mut answering).await;
    assert_eq!(event["seq"], n + 1, "the answering client is still live");
    assert_eq!(state.hub.clients(), 1);
    server.stop().await;
}

/// Sends a raw HTTP/1.1 request to 127.0.0.1 and answers the status code and body.
async fn raw_http(server: &RunningServer, request: &str) -> (u16, Value) {
    let mut stream = timeout(WAIT, tokio::net::TcpStream::connect(server.addr))
        .await
        .expect("connect in time")
        .expect("connect");
    timeout(WAIT, stream.write_all(request.as_bytes()))
        .await
        .unwrap()
        .unwrap();
    let mut response = Vec::new();
    timeout(WAIT, stream.read_to_end(&mut response))
        .await
        .expect("the answer ends in time")
        .expect("read the answer");
    let text = String::from_utf8_lossy(&response);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {text}"));
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        // One chunk is all an error body needs.
        body.split_once("\r\n")
            .map(|(_, rest)| rest.split("\r\n").next().unwrap_or(""))
            .unwrap_or("")
            .to_owned()
    } else {
        body.to_owned()
    };
    let value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("JSON body ({e}): {text}"));
    (status, value)
}

#[tokio::test]
async fn a_plain_get_on_the_feed_is_400() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    let (status, body) = raw_http(
        &server,
        "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 400, "{body}");
    support::assert_error_body(&body, "invalid_request");
    let (status, body) = raw_http(
        &server,
        "GET /api/v1/events?since=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\
         Connection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 400, "{body}");
    support::assert_error_body(&body, "invalid_request");
    // In process too.
    let answer = h.get("/api/v1/events", None).await;
    answer.expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    server.stop().await;
}
