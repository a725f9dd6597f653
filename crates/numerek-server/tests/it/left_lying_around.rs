//! Less left lying around: `/metrics` (queue sizes and request rates) answers only a manager or
//! admin token unless the office makes it public, and office days older than
//! `office.retention_days` are deleted at the day rollover, after which reports cover only what
//! is kept.

use crate::support;

use axum::http::StatusCode;
use jiff::SignedDuration;
use serde_json::{Value, json};
use support::{OFFICE, TestServer};

/// The test office with `lines` added to `[office]`.
fn office(lines: &str) -> String {
    let languages = "languages = [\"pl\", \"en\"]";
    OFFICE.replacen(languages, &format!("{languages}\n{lines}"), 1)
}

#[tokio::test]
async fn metrics_need_a_manager_or_admin_token() {
    let h = TestServer::new().await;
    let t = &h.tokens;
    h.get("/metrics", None)
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    h.get("/metrics", Some("nmk_unknown"))
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    for token in [&t.kiosk, &t.clerk, &t.clerk1] {
        h.get("/metrics", Some(token))
            .await
            .expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    for token in [&t.manager, &t.admin] {
        let answer = h.get("/metrics", Some(token)).await;
        answer.expect(StatusCode::OK);
        assert!(
            answer.text.contains("numerek_tickets_waiting"),
            "{}",
            answer.text
        );
    }
}

#[tokio::test]
async fn metrics_public_opens_the_metrics_to_anyone() {
    let h = TestServer::with_office(&office("metrics_public = true")).await;
    for token in [None, Some("nmk_unknown"), Some(h.tokens.kiosk.as_str())] {
        let answer = h.get("/metrics", token).await;
        answer.expect(StatusCode::OK);
        assert!(answer.text.contains("numerek_event_seq"), "{}", answer.text);
    }
}

/// The summary report of November 2026 by day, with the manager token.
async fn november_by_day(h: &TestServer) -> Value {
    h.get(
        "/api/v1/reports/summary?from=2026-11-01&to=2026-11-30&group_by=day",
        Some(&h.tokens.manager),
    )
    .await
    .expect(StatusCode::OK)
    .clone()
}

/// Every ticket id of November 2026 in the ticket report.
async fn november_ids(h: &TestServer) -> Vec<String> {
    let answer = h
        .get(
            "/api/v1/reports/tickets?from=2026-11-01&to=2026-11-30",
            Some(&h.tokens.manager),
        )
        .await;
    answer.expect(StatusCode::OK)["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| t["id"].as_str().expect("an id").to_owned())
        .collect()
}

#[tokio::test]
async fn office_days_past_retention_are_deleted_at_the_rollover() {
    let h = TestServer::with_office(&office("retention_days = 2")).await;
    let office_doc = h.get("/api/v1/office", None).await;
    assert_eq!(
        office_doc.expect(StatusCode::OK)["office"]["retention_days"],
        2
    );
    // A served ticket a day on Monday 23, Tuesday 24 and Wednesday 25 November.
    let mut ids = Vec::new();
    for _ in 0..3 {
        let ticket = h.issue("registration").await;
        ids.push(ticket["id"].as_str().unwrap().to_owned());
        h.act("1", "call-next").await.expect(StatusCode::OK);
        h.clock.advance(SignedDuration::from_mins(5));
        h.act("1", "finish").await.expect(StatusCode::OK);
        h.clock
            .advance(SignedDuration::from_hours(24) - SignedDuration::from_mins(5));
        h.store.start_day_if_due().await.expect("the day starts");
    }
    // Thursday 26 began: Monday is more than two days back, and gone.
    h.get(&format!("/api/v1/tickets/{}", ids[0]), None)
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_ticket");
    for id in &ids[1..] {
        assert_eq!(h.ticket(id).await["state"], "done");
    }
    let report = november_by_day(&h).await;
    let days: Vec<&str> = report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["key"].as_str().expect("a day"))
        .collect();
    assert_eq!(days, ["2026-11-24", "2026-11-25"], "only what is kept");
    assert_eq!(report["total"]["issued"], 2);
    assert_eq!(report["total"]["served"], 2);
    assert_eq!(november_ids(&h).await, ids[1..].to_vec());

    // A day later, Tuesday goes too; the kept days are always the last two and today.
    h.clock.advance(SignedDuration::from_hours(24));
    h.store.start_day_if_due().await.expect("the day starts");
    assert_eq!(november_ids(&h).await, ids[2..].to_vec());
    assert_eq!(november_by_day(&h).await["total"]["issued"], 1);
    // Nothing else was lost: the office works on.
    let today = h.issue("registration").await;
    assert_eq!(today["number"], "A001");
    assert_eq!(
        h.ticket(today["id"].as_str().unwrap()).await["state"],
        json!("waiting")
    );
}
