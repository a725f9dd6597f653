//! A failing disk, end to end through HTTP and the WebSocket feed: while commits fail, every
//! change answers `503 storage_unavailable` with the error body, reads show nothing of it, the
//! feed announces nothing of it, and the metrics say so; once storage works again the server
//! reopens the database by itself and the next change gets the next sequence number and the next
//! ticket number, as if the refused ones had never been tried.

use crate::support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{RunningServer, TestServer, recv};

const ISSUE: &str = "/api/v1/tickets";

/// The `numerek_storage_available` gauge.
async fn storage_gauge(h: &TestServer) -> u64 {
    let text = h.get("/metrics", Some(&h.tokens.manager)).await.text;
    text.lines()
        .find_map(|line| line.strip_prefix("numerek_storage_available "))
        .expect("numerek_storage_available in the metrics")
        .parse()
        .expect("a number")
}

/// Every kind of change, each refused with 503 and the error body.
async fn every_change_is_refused(h: &TestServer, waiting_id: &str) {
    let refusals = [
        h.post(
            ISSUE,
            Some(&h.tokens.kiosk),
            &json!({"category": "registration"}),
        )
        .await,
        h.act("1", "call-next").await,
        h.act_with("1", "call", &json!({"ticket": waiting_id}))
            .await,
        h.act("2", "open").await,
        h.post(
            &format!("/api/v1/tickets/{waiting_id}/cancel"),
            None,
            &json!({}),
        )
        .await,
        h.post(
            "/api/v1/admin/tokens",
            Some(&h.tokens.admin),
            &json!({"role": "kiosk"}),
        )
        .await,
        h.get("/api/v1/admin/backup", Some(&h.tokens.admin)).await,
    ];
    for answer in refusals {
        answer.expect_error(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_disk_changes_nothing_announces_nothing_and_the_server_recovers_by_itself() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    let mut feed = server.connect(None).await;
    let first = recv(&mut feed).await["seq"].as_u64().unwrap();
    let a001 = h.issue("registration").await;
    let waiting_id = a001["id"].as_str().unwrap().to_owned();
    assert_eq!(recv(&mut feed).await["seq"], first + 1);
    let status_before = h.status().await;
    let ticket_before = h.ticket(&waiting_id).await;
    assert_eq!(storage_gauge(&h).await, 1);

    h.store.inject_storage_failure(true);
    every_change_is_refused(&h, &waiting_id).await;
    // Many at once (one group commit, or several) are refused alike.
    let concurrent: Vec<_> = (0..16)
        .map(|_| {
            let app = h.app();
            let kiosk = h.tokens.kiosk.clone();
            tokio::spawn(async move {
                use tower::ServiceExt;
                let request = axum::http::Request::post(ISSUE)
                    .header("authorization", format!("Bearer {kiosk}"))
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(r#"{"category":"tax"}"#))
                    .unwrap();
                app.oneshot(request).await.unwrap().status()
            })
        })
        .collect();
    for task in concurrent {
        assert_eq!(task.await.unwrap(), StatusCode::SERVICE_UNAVAILABLE);
    }
    // Reads work and show nothing of what was refused; the metrics tell the failure.
    assert_eq!(h.status().await, status_before);
    assert_eq!(h.ticket(&waiting_id).await, ticket_before);
    assert_eq!(storage_gauge(&h).await, 0);
    assert!(!h.store.storage_available());
    // A client connecting now gets the committed state.
    let mut late = server.connect(None).await;
    let snapshot = recv(&mut late).await;
    assert_eq!(snapshot["type"], "snapshot");
    assert_eq!(snapshot["status"], status_before);

    // The disk works again. The minute tick of the day rollover is the server's own command:
    // it reopens the database before any client asks for a change.
    h.store.inject_storage_failure(false);
    h.store
        .start_day_if_due()
        .await
        .expect("the tick goes through");
    assert!(h.store.storage_available());
    assert_eq!(storage_gauge(&h).await, 1);

    let a002 = h.issue("registration").await;
    assert_eq!(a002["number"], "A002", "the refused tickets took no number");
    let b001 = h.issue("tax").await;
    assert_eq!(b001["number"], "B001");
    // The feed's next events are exactly these: nothing refused was announced before them.
    for (ws, expected) in [(&mut feed, first + 2), (&mut late, first + 2)] {
        let event = recv(ws).await;
        assert_eq!(event["seq"], expected, "{event}");
        assert_eq!(event["ticket"]["number"], a002["number"]);
        let event = recv(ws).await;
        assert_eq!(event["seq"], expected + 1, "{event}");
        assert_eq!(event["ticket"]["number"], b001["number"]);
    }
    let status = h.status().await;
    assert_eq!(status["seq"], first + 3);
    assert_eq!(h.ticket(&waiting_id).await["state"], "waiting");
    let called = h.act("1", "call-next").await;
    assert_eq!(
        called.expect(StatusCode::OK)["ticket"]["number"],
        "A001",
        "the refused call called nobody"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_failure_in_a_later_batch_leaves_earlier_commits_whole() {
    let h = TestServer::new().await;
    let mut issued: Vec<Value> = Vec::new();
    for _ in 0..3 {
        issued.push(h.issue("tax").await);
    }
    h.store.inject_storage_failure(true);
    h.act("2", "call-next")
        .await
        .expect_error(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable");
    h.store.inject_storage_failure(false);
    // Reopened from disk: every earlier ticket is there as it was committed.
    for ticket in &issued {
        let stored = h.ticket(ticket["id"].as_str().unwrap()).await;
        assert_eq!(stored["number"], ticket["number"]);
        assert_eq!(stored["state"], "waiting");
    }
    let answer = h.act("2", "call-next").await;
    assert_eq!(answer.expect(StatusCode::OK)["ticket"]["number"], "B001");
}
