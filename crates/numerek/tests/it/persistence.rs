//! Durability end to end: the real binary is killed with SIGKILL (no shutdown code runs, as in
//! a crash or a power cut) and restarted on the same data directory; everything it acknowledged
//! must be back, and numbering must continue without reusing a number.

use crate::support;

use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;
use support::{Client, Server, binary, serve_command, write_config};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_changes_survive_sigkill_and_numbering_continues() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let data = dir.path().join("data");

    let server = Server::start(&config, &data);
    let kiosk = server.tokens["kiosk"].clone();
    let clerk = server.tokens["clerk"].clone();
    assert_eq!(server.tokens.len(), 4, "one token per role at first start");
    let client = Client::new(&server.base);

    let mut issued: Vec<Value> = Vec::new();
    for i in 0..12 {
        let category = if i % 3 == 0 { "tax" } else { "registration" };
        let (status, ticket) = client
            .post("/api/v1/tickets", &kiosk, json!({"category": category}))
            .await;
        assert_eq!(status, 201, "{ticket}");
        issued.push(ticket);
    }
    let (status, called) = client
        .post("/api/v1/counters/1/call-next", &clerk, json!({}))
        .await;
    assert_eq!(status, 200, "{called}");
    let called_id = called["ticket"]["id"]
        .as_str()
        .expect("called id")
        .to_owned();
    let (status, _) = client
        .post("/api/v1/counters/2/pause", &clerk, json!({}))
        .await;
    assert_eq!(status, 200);
    let (_, before) = client.get("/api/v1/status").await;
    let seq_before = before["seq"].as_u64().expect("seq");

    server.kill();

    let server = Server::start(&config, &data);
    assert!(server.tokens.is_empty(), "no new tokens on a later start");
    let client = Client::new(&server.base);

    for ticket in &issued {
        let id = ticket["id"].as_str().expect("id");
        let (status, stored) = client.get(&format!("/api/v1/tickets/{id}")).await;
        assert_eq!(status, 200, "ticket {id} lost");
        assert_eq!(stored["number"], ticket["number"]);
        assert_eq!(stored["issued_at"], ticket["issued_at"]);
        let expected_state = if id == called_id { "called" } else { "waiting" };
        assert_eq!(stored["state"], expected_state, "{stored}");
    }
    let (_, after) = client.get("/api/v1/status").await;
    assert_eq!(
        after["seq"].as_u64(),
        Some(seq_before),
        "the event sequence is back"
    );
    assert_eq!(after["counters"][0]["state"], "open");
    assert_eq!(
        after["counters"][0]["current"]["number"],
        called["ticket"]["number"]
    );
    assert_eq!(after["counters"][1]["state"], "paused");
    assert_eq!(
        after["recent_calls"][0]["number"],
        called["ticket"]["number"]
    );

    let (status, next) = client
        .post(
            "/api/v1/tickets",
            &kiosk,
            json!({"category": "registration"}),
        )
        .await;
    assert_eq!(status, 201, "the old tokens still work: {next}");
    assert_eq!(
        next["number"], "A009",
        "8 A-tickets were issued before the crash"
    );
    let (status, next_tax) = client
        .post("/api/v1/tickets", &kiosk, json!({"category": "tax"}))
        .await;
    assert_eq!(status, 201);
    assert_eq!(next_tax["number"], "B005");
    let (_, last) = client.get("/api/v1/status").await;
    assert_eq!(last["seq"].as_u64(), Some(seq_before + 2), "seq continues");

    let status = server.terminate();
    assert!(
        status.success(),
        "SIGTERM stops the server cleanly: {status}"
    );
}

/// `numerek serve` on a simulated clock standing at `start` (RFC 3339), running at real speed.
fn start_at(config: &Path, data_dir: &Path, start: &str) -> Server {
    let mut command = serve_command(Command::new(binary()), config, data_dir);
    command.args(["--sim-clock-start", start, "--sim-clock-speed", "1"]);
    Server::start_command(command)
}

/// Books `start` in registration as the public: the booking.
async fn book(base: &str, start: &str) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1/appointments"))
        .json(&json!({"category": "registration", "start": start}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201);
    response.json().await.expect("an appointment")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bookings_and_check_ins_survive_sigkill_and_the_missed_are_marked_after_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let data = dir.path().join("data");

    // Monday 23 November 2026, 09:00.
    let server = start_at(&config, &data, "2026-11-23T09:00:00+01:00");
    let kiosk = server.tokens["kiosk"].clone();
    let client = Client::new(&server.base);
    let checked = book(&server.base, "2026-11-23T09:15:00+01:00").await;
    let later = book(&server.base, "2026-11-23T10:00:00+01:00").await;
    let dropped = book(&server.base, "2026-11-25T10:00:00+01:00").await;
    let code = |a: &Value| a["code"].as_str().expect("a code").to_owned();
    let (checked, later, dropped) = (code(&checked), code(&later), code(&dropped));
    let (status, ticket) = client
        .post(
            &format!("/api/v1/appointments/{checked}/check-in"),
            &kiosk,
            json!({}),
        )
        .await;
    assert_eq!(status, 201, "{ticket}");
    let (status, _) = client
        .post(
            &format!("/api/v1/appointments/{dropped}/cancel"),
            &kiosk,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);

    server.kill();

    // Back at 09:05: everything acknowledged is there.
    let server = start_at(&config, &data, "2026-11-23T09:05:00+01:00");
    let client = Client::new(&server.base);
    async fn state(client: &Client, code: String) -> Value {
        let path = format!("/api/v1/appointments/{code}");
        let (status, appointment) = client.get(&path).await;
        assert_eq!(status, 200, "{path}: {appointment}");
        appointment
    }
    let after = state(&client, checked.clone()).await;
    assert_eq!(after["state"], "checked_in");
    assert_eq!(after["ticket"]["number"], ticket["number"]);
    assert_eq!(state(&client, later.clone()).await["state"], "booked");
    assert_eq!(state(&client, dropped.clone()).await["state"], "cancelled");
    let id = ticket["id"].as_str().expect("an id");
    let (_, stored) = client.get(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(stored["appointment"]["code"], checked.as_str());
    let (_, slots) = client
        .get("/api/v1/appointments/slots?category=registration&from=2026-11-23&to=2026-11-23")
        .await;
    let free_at = |start: &str| {
        slots["slots"]
            .as_array()
            .and_then(|slots| slots.iter().find(|s| s["start"] == start))
            .map(|s| s["free"].clone())
    };
    assert_eq!(free_at("2026-11-23T09:15:00.000+01:00"), Some(json!(3)));
    assert_eq!(free_at("2026-11-23T10:00:00.000+01:00"), Some(json!(3)));
    let status = server.terminate();
    assert!(status.success(), "{status}");

    // At 10:30, past the 10:00 booking's window (to 10:10), it was missed while stopped.
    let server = start_at(&config, &data, "2026-11-23T10:30:00+01:00");
    let client = Client::new(&server.base);
    assert_eq!(state(&client, later).await["state"], "missed");
    assert_eq!(state(&client, checked).await["state"], "checked_in");
    let status = server.terminate();
    assert!(status.success(), "{status}");
}
