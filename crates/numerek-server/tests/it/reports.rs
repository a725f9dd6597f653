//! The manager reports against hand-computed figures: two office days of a small office, every
//! grouping, JSON and CSV, the ticket listing, and every way to ask wrongly.
//!
//! The history (test office, Monday 23 and Tuesday 24 November 2026, Warsaw):
//!
//! | ticket | issued | first call (counter) | last call | end | wait s | service s |
//! | --- | --- | --- | --- | --- | --- | --- |
//! | A001 | 09:00 | 09:05 (1) | 09:05 | done 09:10 | 300 | 300 |
//! | A002 | 09:01 | 09:30 (1) | 09:30 | no-show 09:31 | 1740 | – |
//! | B001 | 09:02 | 09:10 (2) | recall 09:12 | done 09:20 | 480 | 480 |
//! | A003 | 10:15 | – | – | cancelled 10:20 | – | – |
//! | C001 | 10:30 | 10:40 (3), moved to registration 10:45 | 10:50 (1) | done 11:00 | 600 | 600 |
//! | A004 | 14:00 | – | – | cancelled at the day's end | – | – |
//! | A001 (24th) | 08:00:00 | 08:00:01.500 (1) | 08:00:01.500 | done 08:10 | 1.5 | 598.5 |
//!
//! Targets: registration 900 s, tax 600 s, passport 1200 s.

use crate::support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use support::{TestServer, at};

async fn at_time(h: &TestServer, time: &str) {
    h.clock.set(at(time));
}

/// Builds the history of the module's table; answers the ids by number (`A001` of the 23rd,
/// `A001+` of the 24th).
async fn history() -> (TestServer, std::collections::HashMap<String, String>) {
    let h = TestServer::new().await;
    let mut ids = std::collections::HashMap::new();
    let issue = async |h: &TestServer, time: &str, category: &str| {
        at_time(h, time).await;
        let ticket = h.issue(category).await;
        ticket["id"].as_str().unwrap().to_owned()
    };
    let day1 = |time: &str| format!("2026-11-23T{time}+01:00");
    let act = async |h: &TestServer, time: &str, counter: &str, action: &str| {
        h.clock.set(at(time));
        h.act(counter, action).await.expect(StatusCode::OK).clone()
    };

    ids.insert(
        "A001".into(),
        issue(&h, &day1("09:00:00"), "registration").await,
    );
    ids.insert(
        "A002".into(),
        issue(&h, &day1("09:01:00"), "registration").await,
    );
    ids.insert("B001".into(), issue(&h, &day1("09:02:00"), "tax").await);
    let called = act(&h, &day1("09:05:00"), "1", "call-next").await;
    assert_eq!(called["ticket"]["number"], "A001");
    act(&h, &day1("09:10:00"), "1", "finish").await;
    let called = act(&h, &day1("09:10:00"), "2", "call-next").await;
    assert_eq!(called["ticket"]["number"], "B001");
    act(&h, &day1("09:12:00"), "2", "recall").await;
    act(&h, &day1("09:20:00"), "2", "finish").await;
    let called = act(&h, &day1("09:30:00"), "1", "call-next").await;
    assert_eq!(called["ticket"]["number"], "A002");
    act(&h, &day1("09:31:00"), "1", "no-show").await;

    ids.insert(
        "A003".into(),
        issue(&h, &day1("10:15:00"), "registration").await,
    );
    at_time(&h, &day1("10:20:00")).await;
    h.post(
        &format!("/api/v1/tickets/{}/cancel", ids["A003"]),
        None,
        &json!({}),
    )
    .await
    .expect(StatusCode::OK);

    ids.insert(
        "C001".into(),
        issue(&h, &day1("10:30:00"), "passport").await,
    );
    let called = act(&h, &day1("10:40:00"), "3", "call-next").await;
    assert_eq!(called["ticket"]["number"], "C001");
    at_time(&h, &day1("10:45:00")).await;
    h.act_with(
        "3",
        "transfer",
        &json!({"category": "registration", "position": "back"}),
    )
    .await
    .expect(StatusCode::OK);
    let called = act(&h, &day1("10:50:00"), "1", "call-next").await;
    assert_eq!(called["ticket"]["number"], "C001");
    act(&h, &day1("11:00:00"), "1", "finish").await;

    ids.insert(
        "A004".into(),
        issue(&h, &day1("14:00:00"), "registration").await,
    );

    at_time(&h, "2026-11-24T08:00:00+01:00").await;
    h.store.start_day_if_due().await.expect("the 24th starts");
    ids.insert(
        "A001+".into(),
        issue(&h, "2026-11-24T08:00:00+01:00", "registration").await,
    );
    let called = act(&h, "2026-11-24T08:00:01.500+01:00", "1", "call-next").await;
    assert_eq!(called["ticket"]["number"], "A001");
    act(&h, "2026-11-24T08:10:00+01:00", "1", "finish").await;
    (h, ids)
}

fn summary_path(from: &str, to: &str, group_by: &str) -> String {
    format!("/api/v1/reports/summary?from={from}&to={to}&group_by={group_by}")
}

/// A row as the spec's `Row`, from a compact list of its values in field order.
fn row(
    key: Value,
    counts: [u64; 5],
    waits: [Option<f64>; 4],
    service: Option<f64>,
    pct: Option<f64>,
) -> Value {
    json!({
        "key": key,
        "issued": counts[0], "called": counts[1], "served": counts[2],
        "no_show": counts[3], "cancelled": counts[4],
        "wait_avg_s": waits[0], "wait_p50_s": waits[1], "wait_p90_s": waits[2], "wait_max_s": waits[3],
        "service_avg_s": service, "within_target_pct": pct,
        // Nobody rated a visit of this history (satisfaction.rs has ratings).
        "feedback_count": 0, "satisfaction_avg": null,
        "appointments": 0, "appointments_missed": 0, "appointment_delay_avg_s": null,
    })
}

const NONE4: [Option<f64>; 4] = [None, None, None, None];

#[tokio::test]
async fn summary_by_category_of_one_day_matches_the_hand_computed_figures() {
    let (h, _) = history().await;
    let answer = h
        .get(
            &summary_path("2026-11-23", "2026-11-23", "category"),
            Some(&h.tokens.manager),
        )
        .await;
    let body = answer.expect(StatusCode::OK);
    assert_eq!(body["from"], "2026-11-23");
    assert_eq!(body["to"], "2026-11-23");
    assert_eq!(body["group_by"], "category");
    let expected_rows = json!([
        row(
            json!("registration"),
            [4, 2, 1, 1, 2],
            [Some(1020.0), Some(300.0), Some(1740.0), Some(1740.0)],
            Some(300.0),
            Some(50.0)
        ),
        row(
            json!("tax"),
            [1, 1, 1, 0, 0],
            [Some(480.0), Some(480.0), Some(480.0), Some(480.0)],
            Some(480.0),
            Some(100.0)
        ),
        row(
            json!("passport"),
            [1, 1, 1, 0, 0],
            [Some(600.0), Some(600.0), Some(600.0), Some(600.0)],
            Some(600.0),
            Some(100.0)
        ),
        row(json!("archive"), [0, 0, 0, 0, 0], NONE4, None, None),
    ]);
    assert_eq!(body["rows"], expected_rows);
    assert_eq!(
        body["total"],
        row(
            json!("total"),
            [6, 4, 3, 1, 2],
            [Some(780.0), Some(480.0), Some(1740.0), Some(1740.0)],
            Some(460.0),
            Some(75.0)
        )
    );
}

#[tokio::test]
async fn two_days_by_category_counter_day_and_hour() {
    let (h, _) = history().await;
    let get = async |group_by: &str| {
        h.get(
            &summary_path("2026-11-23", "2026-11-24", group_by),
            Some(&h.tokens.manager),
        )
        .await
        .expect(StatusCode::OK)
        .clone()
    };
    let total = row(
        json!("total"),
        [7, 5, 4, 1, 2],
        [Some(624.3), Some(480.0), Some(1740.0), Some(1740.0)],
        Some(494.625),
        Some(80.0),
    );

    let by_category = get("category").await;
    assert_eq!(
        by_category["rows"][0],
        row(
            json!("registration"),
            [5, 3, 2, 1, 2],
            [Some(680.5), Some(300.0), Some(1740.0), Some(1740.0)],
            Some(449.25),
            Some(66.7)
        )
    );
    assert_eq!(by_category["total"], total);

    // By the counter of the last call: C001 counts at counter 1, where it was served, and the
    // two tickets never called belong to no counter (only to the total).
    let by_counter = get("counter").await;
    assert_eq!(
        by_counter["rows"],
        json!([
            row(
                json!("1"),
                [4, 4, 3, 1, 0],
                [Some(660.375), Some(300.0), Some(1740.0), Some(1740.0)],
                Some(499.5),
                Some(75.0)
            ),
            row(
                json!("2"),
                [1, 1, 1, 0, 0],
                [Some(480.0), Some(480.0), Some(480.0), Some(480.0)],
                Some(480.0),
                Some(100.0)
            ),
            row(json!("3"), [0, 0, 0, 0, 0], NONE4, None, None),
        ])
    );
    assert_eq!(by_counter["total"], total);

    let by_day = get("day").await;
    assert_eq!(
        by_day["rows"],
        json!([
            row(
                json!("2026-11-23"),
                [6, 4, 3, 1, 2],
                [Some(780.0), Some(480.0), Some(1740.0), Some(1740.0)],
                Some(460.0),
                Some(75.0)
            ),
            row(
                json!("2026-11-24"),
                [1, 1, 1, 0, 0],
                [Some(1.5), Some(1.5), Some(1.5), Some(1.5)],
                Some(598.5),
                Some(100.0)
            ),
        ])
    );

    // Hours are numbers, of the local time of issue, ascending.
    let by_hour = get("hour").await;
    assert_eq!(
        by_hour["rows"],
        json!([
            row(
                json!(8),
                [1, 1, 1, 0, 0],
                [Some(1.5), Some(1.5), Some(1.5), Some(1.5)],
                Some(598.5),
                Some(100.0)
            ),
            row(
                json!(9),
                [3, 3, 2, 1, 0],
                [Some(840.0), Some(480.0), Some(1740.0), Some(1740.0)],
                Some(390.0),
                Some(66.7)
            ),
            row(
                json!(10),
                [2, 1, 1, 0, 1],
                [Some(600.0), Some(600.0), Some(600.0), Some(600.0)],
                Some(600.0),
                Some(100.0)
            ),
            row(json!(14), [1, 0, 0, 0, 1], NONE4, None, None),
        ])
    );
    assert_eq!(by_hour["total"], total);
}

#[tokio::test]
async fn a_range_without_tickets_has_zero_rows_and_null_measures() {
    let (h, _) = history().await;
    let body = h
        .get(
            &summary_path("2026-10-01", "2026-10-31", "day"),
            Some(&h.tokens.admin),
        )
        .await
        .expect(StatusCode::OK)
        .clone();
    assert_eq!(body["rows"], json!([]));
    assert_eq!(
        body["total"],
        row(json!("total"), [0; 5], NONE4, None, None)
    );
}

#[tokio::test]
async fn summary_as_csv_by_format_and_by_accept_header() {
    let (h, _) = history().await;
    let expected = "\
key,issued,called,served,no_show,cancelled,wait_avg_s,wait_p50_s,wait_p90_s,wait_max_s,service_avg_s,within_target_pct,appointments,appointments_missed,appointment_delay_avg_s,feedback_count,satisfaction_avg
registration,4,2,1,1,2,1020.0,300.0,1740.0,1740.0,300.0,50.0,0,0,,0,
tax,1,1,1,0,0,480.0,480.0,480.0,480.0,480.0,100.0,0,0,,0,
passport,1,1,1,0,0,600.0,600.0,600.0,600.0,600.0,100.0,0,0,,0,
archive,0,0,0,0,0,,,,,,,0,0,,0,
total,6,4,3,1,2,780.0,480.0,1740.0,1740.0,460.0,75.0,0,0,,0,
";
    let path = summary_path("2026-11-23", "2026-11-23", "category");
    let answer = h
        .get(&format!("{path}&format=csv"), Some(&h.tokens.manager))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.headers[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        answer.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"numerek-summary-2026-11-23-2026-11-23-category.csv\""
    );
    assert_eq!(answer.text, expected);

    let request = Request::builder()
        .uri(&path)
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", h.tokens.manager),
        )
        .header(header::ACCEPT, "text/csv")
        .body(Body::empty())
        .unwrap();
    let answer = h.send(request).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.text, expected);

    // JSON stays the answer for clients preferring it, and for `format=json`.
    let request = Request::builder()
        .uri(format!("{path}&format=json"))
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", h.tokens.manager),
        )
        .header(header::ACCEPT, "text/csv")
        .body(Body::empty())
        .unwrap();
    assert_eq!(h.send(request).await.body["group_by"], "category");
    let request = Request::builder()
        .uri(&path)
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", h.tokens.manager),
        )
        .header(header::ACCEPT, "application/json, text/csv")
        .body(Body::empty())
        .unwrap();
    assert_eq!(h.send(request).await.body["group_by"], "category");
}

#[tokio::test]
async fn hour_csv_keys_are_plain_numbers() {
    let (h, _) = history().await;
    let answer = h
        .get(
            &format!(
                "{}&format=csv",
                summary_path("2026-11-24", "2026-11-24", "hour")
            ),
            Some(&h.tokens.manager),
        )
        .await;
    let lines: Vec<&str> = answer.text.lines().collect();
    assert_eq!(lines.len(), 3, "{}", answer.text);
    assert_eq!(lines[1], "8,1,1,1,0,0,1.5,1.5,1.5,1.5,598.5,100.0,0,0,,0,");
    assert!(lines[2].starts_with("total,1,"));
}

#[tokio::test]
async fn the_ticket_listing_in_order_of_issue() {
    let (h, ids) = history().await;
    let body = h
        .get(
            "/api/v1/reports/tickets?from=2026-11-23&to=2026-11-24",
            Some(&h.tokens.manager),
        )
        .await
        .expect(StatusCode::OK)
        .clone();
    assert_eq!(body["from"], "2026-11-23");
    assert_eq!(body["to"], "2026-11-24");
    let tickets = body["tickets"].as_array().expect("tickets");
    let numbers: Vec<&str> = tickets
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        numbers,
        ["A001", "A002", "B001", "A003", "C001", "A004", "A001"]
    );
    assert_eq!(tickets[0]["id"], ids["A001"].as_str());
    assert_eq!(tickets[6]["id"], ids["A001+"].as_str());
    for ticket in tickets {
        let mut keys: Vec<&str> = ticket
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "called_at",
                "category",
                "counter",
                "finished_at",
                "id",
                "issued_at",
                "number",
                "priority",
                "recalls",
                "state",
                "transferred_from"
            ]
        );
    }
    assert_eq!(
        tickets[2],
        json!({
            "id": ids["B001"], "number": "B001", "category": "tax", "priority": false,
            "state": "done", "issued_at": "2026-11-23T09:02:00.000+01:00",
            "called_at": "2026-11-23T09:10:00.000+01:00",
            "finished_at": "2026-11-23T09:20:00.000+01:00",
            "counter": "2", "recalls": 1, "transferred_from": null,
        })
    );
    // The moved ticket: where it ended, where it came from, its first call and its last counter.
    assert_eq!(tickets[4]["category"], "registration");
    assert_eq!(tickets[4]["transferred_from"], "passport");
    assert_eq!(tickets[4]["called_at"], "2026-11-23T10:40:00.000+01:00");
    assert_eq!(tickets[4]["counter"], "1");
    assert_eq!(tickets[3]["state"], "cancelled");
    assert_eq!(tickets[3]["called_at"], Value::Null);
    assert_eq!(tickets[5]["state"], "cancelled");
    assert_eq!(tickets[5]["finished_at"], "2026-11-24T08:00:00.000+01:00");
}

#[tokio::test]
async fn the_ticket_listing_as_csv() {
    let (h, ids) = history().await;
    let answer = h
        .get(
            "/api/v1/reports/tickets?from=2026-11-23&to=2026-11-23&format=csv",
            Some(&h.tokens.manager),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.headers[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    let lines: Vec<&str> = answer.text.lines().collect();
    assert_eq!(
        lines[0],
        "id,number,category,priority,state,issued_at,called_at,finished_at,counter,recalls,transferred_from"
    );
    assert_eq!(lines.len(), 7);
    assert_eq!(
        lines[3],
        format!(
            "{},B001,tax,false,done,2026-11-23T09:02:00.000+01:00,2026-11-23T09:10:00.000+01:00,\
             2026-11-23T09:20:00.000+01:00,2,1,",
            ids["B001"]
        )
    );
    assert_eq!(
        lines[4],
        format!(
            "{},A003,registration,false,cancelled,2026-11-23T10:15:00.000+01:00,,\
             2026-11-23T10:20:00.000+01:00,,0,",
            ids["A003"]
        )
    );
    // An empty range is a header alone.
    let answer = h
        .get(
            "/api/v1/reports/tickets?from=2026-01-01&to=2026-01-02&format=csv",
            Some(&h.tokens.manager),
        )
        .await;
    assert_eq!(answer.text.lines().count(), 1);
    let answer = h
        .get(
            "/api/v1/reports/tickets?from=2026-01-01&to=2026-01-02",
            Some(&h.tokens.manager),
        )
        .await;
    assert_eq!(
        *answer.expect(StatusCode::OK),
        json!({"from": "2026-01-01", "to": "2026-01-02", "tickets": []})
    );
}

#[tokio::test]
async fn reports_need_a_manager_or_admin_token() {
    let h = TestServer::new().await;
    for path in [
        summary_path("2026-11-23", "2026-11-23", "day"),
        "/api/v1/reports/tickets?from=2026-11-23&to=2026-11-23".to_owned(),
    ] {
        h.get(&path, None)
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
        h.get(&path, Some("not-a-token"))
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
        for token in [&h.tokens.kiosk, &h.tokens.clerk, &h.tokens.clerk1] {
            h.get(&path, Some(token))
                .await
                .expect_error(StatusCode::FORBIDDEN, "forbidden");
        }
        for token in [&h.tokens.manager, &h.tokens.admin] {
            h.get(&path, Some(token)).await.expect(StatusCode::OK);
        }
        // The role is checked before the query.
        h.get(&format!("{path}&format=xml"), Some(&h.tokens.kiosk))
            .await
            .expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
}

#[tokio::test]
async fn bad_report_queries_are_refused_with_400() {
    let h = TestServer::new().await;
    let bad = [
        "/api/v1/reports/summary?to=2026-11-23&group_by=day",
        "/api/v1/reports/summary?from=2026-11-23&group_by=day",
        "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23",
        "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&group_by=week",
        "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&group_by=",
        "/api/v1/reports/summary?from=2026-11-24&to=2026-11-23&group_by=day",
        "/api/v1/reports/summary?from=2025-11-23&to=2026-11-24&group_by=day",
        "/api/v1/reports/summary?from=2026-02-30&to=2026-03-01&group_by=day",
        "/api/v1/reports/summary?from=23.11.2026&to=2026-11-24&group_by=day",
        "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&group_by=day&format=xml",
        "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&group_by=day&grup_by=day",
        "/api/v1/reports/summary?from=2026-11-23&from=2026-11-22&to=2026-11-23&group_by=day",
        "/api/v1/reports/summary?from=%FF&to=2026-11-23&group_by=day",
        "/api/v1/reports/tickets?from=2026-11-23",
        "/api/v1/reports/tickets?from=2026-11-23&to=2026-11-23&group_by=day",
        "/api/v1/reports/tickets?from=2025-01-01&to=2026-01-02",
    ];
    for path in bad {
        let answer = h.get(path, Some(&h.tokens.manager)).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            answer.text
        );
        support::assert_error_body(&answer.body, "invalid_request");
    }
    // 366 days is the longest range.
    h.get(
        &summary_path("2025-11-24", "2026-11-24", "day"),
        Some(&h.tokens.manager),
    )
    .await
    .expect(StatusCode::OK);
    // Only GET.
    h.raw(
        Method::POST,
        &summary_path("2026-11-23", "2026-11-23", "day"),
        Some(&h.tokens.manager),
        None,
        Body::empty(),
    )
    .await
    .expect_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

#[tokio::test]
async fn reports_include_today_as_committed_so_far() {
    let h = TestServer::new().await;
    h.issue("registration").await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    let body = h
        .get(
            &summary_path("2026-11-23", "2026-11-23", "category"),
            Some(&h.tokens.manager),
        )
        .await
        .expect(StatusCode::OK)
        .clone();
    // Called but not finished: counted as issued and called, not yet served.
    assert_eq!(body["rows"][0]["issued"], 1);
    assert_eq!(body["rows"][0]["called"], 1);
    assert_eq!(body["rows"][0]["served"], 0);
    assert_eq!(body["rows"][0]["wait_avg_s"], 0.0);
    assert_eq!(body["rows"][0]["service_avg_s"], Value::Null);
}
