//! The cut-off over HTTP: a ticket the estimate says cannot be called before the last call of
//! the day is refused with `409 category_closed` and a sentence that says why, and the status
//! shows the category closed.

use crate::support;

use axum::http::StatusCode;
use serde_json::json;
use support::{OFFICE, TestServer};

#[tokio::test]
async fn a_ticket_past_the_last_call_is_refused_as_category_closed() {
    // The test office with registration open until 10:00 and a last call 10 minutes later;
    // the clock stands at 09:00.
    let office = OFFICE.replacen(
        "target_wait_min = 15",
        "target_wait_min = 15\nexpected_service_min = 20\ncutoff_min = 10\nhours = { mon = \"08:00-10:00\" }",
        1,
    );
    let h = TestServer::with_office(&office).await;
    h.act("1", "open").await.expect(StatusCode::OK);
    // Counter 1 alone serves registration: calls at 09:00, 09:20, 09:40, 10:00 (in time), …
    for _ in 0..4 {
        h.issue("registration").await;
    }
    // The estimate of a fifth ticket, expected at 10:20 and shown as the median, 10:16, is
    // past the last call.
    let status = h.category_status("registration").await;
    let estimate = status["estimated_wait_s"].as_f64().expect("an estimate");
    assert!((4500.0..4800.0).contains(&estimate), "{status}");
    assert_eq!(status["open"], false, "the kiosk shows it closed: {status}");
    assert_eq!(status["closed_reason"], "cut_off", "{status}");
    assert_eq!(
        status["opens_at"], "2026-11-24T00:00:00.000+01:00",
        "with Tuesday's hours (the office's, around the clock)"
    );

    let answer = h
        .post(
            "/api/v1/tickets",
            Some(&h.tokens.kiosk),
            &json!({"category": "registration"}),
        )
        .await;
    answer.expect_error(StatusCode::CONFLICT, "category_closed");
    let message = answer.body["error"]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("no longer issued today") && message.contains("10:10"),
        "{message}"
    );
    assert!(
        message.ends_with("it opens again tomorrow at 00:00"),
        "{message}"
    );
    assert_eq!(
        h.category_status("registration").await["issued_today"],
        4,
        "nothing was issued"
    );
    // Other categories are not concerned.
    assert_eq!(h.issue("tax").await["number"], "B001");
}
