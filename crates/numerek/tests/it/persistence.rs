//! Durability end to end: the real binary is killed with SIGKILL (no shutdown code runs, as in
//! a crash or a power cut) and restarted on the same data directory; everything it acknowledged
//! must be back, and numbering must continue without reusing a number.

use crate::support;

use serde_json::{Value, json};
use support::{Client, Server, write_config};

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
