//! Satisfaction over HTTP, in process with the hand-set clock: rating a visit by its ticket (no
//! token; the body JSON-only as for cancelling) and at its counter's tablet (kiosk role), every
//! refusal in the documented order and changing nothing; the `feedback` of a `Ticket`; the
//! `feedback.given` event naming nothing on either feed; and the report's `feedback_count` and
//! `satisfaction_avg` of a hand-computed day in every grouping and in CSV.

use crate::support;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use jiff::SignedDuration;
use numerek_api::RowKey;
use serde_json::{Value, json};
use support::{RunningServer, TestServer, assert_error_body, at, read, recv};

/// Moves the test clock to `time` (RFC 3339).
fn set(h: &TestServer, time: &str) {
    h.clock.set(at(time));
}

fn feedback_path(id: &str) -> String {
    format!("/api/v1/tickets/{id}/feedback")
}

/// Issues a ticket of `category` and serves it at `counter` (called now, finished four minutes
/// later); answers the ticket as `finish` answers it.
async fn serve(h: &TestServer, category: &str, counter: &str) -> Value {
    h.issue(category).await;
    h.act(counter, "call-next").await.expect(StatusCode::OK);
    h.clock.advance(SignedDuration::from_mins(4));
    h.act(counter, "finish")
        .await
        .expect(StatusCode::OK)
        .clone()
        .get("ticket")
        .cloned()
        .expect("the finished ticket")
}

fn id_of(ticket: &Value) -> &str {
    ticket["id"].as_str().expect("an id")
}

async fn rate(h: &TestServer, id: &str, score: Value) -> support::Answer {
    h.post(&feedback_path(id), None, &json!({ "score": score }))
        .await
}

async fn rate_at(h: &TestServer, counter: &str, token: Option<&str>, score: u8) -> support::Answer {
    h.post(
        &format!("/api/v1/counters/{counter}/feedback"),
        token,
        &json!({ "score": score }),
    )
    .await
}

#[tokio::test]
async fn a_served_visit_is_rated_once_by_its_ticket() {
    let h = TestServer::new().await;
    let ticket = serve(&h, "registration", "1").await;
    // The finished ticket says it may be rated, for 24 hours from its finish.
    assert_eq!(
        ticket["feedback"],
        json!({"given": false, "open_until": "2026-11-24T09:04:00.000+01:00"})
    );
    let id = id_of(&ticket);
    let answer = rate(&h, id, json!(4)).await;
    let taken: numerek_api::FeedbackAnswer = read(answer.expect(StatusCode::OK));
    assert_eq!(taken, numerek_api::FeedbackAnswer { score: 4 });
    assert_eq!(
        answer.body,
        json!({"score": 4}),
        "the score and nothing else"
    );
    let read = h.ticket(id).await;
    assert_eq!(read["feedback"]["given"], true);
    assert_eq!(read["state"], "done");
    // The score is in no answer about the ticket.
    assert!(!read.to_string().contains("score"), "{read}");

    let seq = h.seq().await;
    rate(&h, id, json!(5))
        .await
        .expect_error(StatusCode::CONFLICT, "feedback_given");
    assert_eq!(h.seq().await, seq, "a refusal changes nothing");
}

#[tokio::test]
async fn only_a_done_ticket_is_rated_and_only_for_24_hours() {
    let h = TestServer::new().await;
    let waiting = h.issue("registration").await;
    rate(&h, id_of(&waiting), json!(5))
        .await
        .expect_error(StatusCode::CONFLICT, "ticket_not_done");
    h.act("1", "call-next").await.expect(StatusCode::OK);
    rate(&h, id_of(&waiting), json!(5))
        .await
        .expect_error(StatusCode::CONFLICT, "ticket_not_done");
    h.act("1", "no-show").await.expect(StatusCode::OK);
    rate(&h, id_of(&waiting), json!(5))
        .await
        .expect_error(StatusCode::CONFLICT, "ticket_not_done");
    rate(&h, "no-such-ticket", json!(5))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_ticket");

    // Finished Monday 09:04 (one) and 09:08 (other); the next day the office holds neither.
    let one = serve(&h, "registration", "1").await;
    let other = serve(&h, "tax", "1").await;
    set(&h, "2026-11-24T09:04:00+01:00");
    h.store.start_day_if_due().await.expect("a new day");
    let read = h.ticket(id_of(&one)).await;
    assert_eq!(read["feedback"]["given"], false, "{read}");
    rate(&h, id_of(&one), json!(3)).await.expect(StatusCode::OK);
    assert_eq!(h.ticket(id_of(&one)).await["feedback"]["given"], true);
    rate(&h, id_of(&one), json!(3))
        .await
        .expect_error(StatusCode::CONFLICT, "feedback_given");
    set(&h, "2026-11-24T09:08:00.001+01:00");
    rate(&h, id_of(&other), json!(3))
        .await
        .expect_error(StatusCode::CONFLICT, "feedback_closed");
    // An earlier day's ticket that was not served is not done, however late.
    rate(&h, id_of(&waiting), json!(3))
        .await
        .expect_error(StatusCode::CONFLICT, "ticket_not_done");
}

/// The body is checked as cancel's is: a JSON content type (415 without), JSON text (400
/// `invalid_json`), exactly `{"score": 1..5}` (400 `invalid_request`), all before the ticket.
#[tokio::test]
async fn the_body_is_json_only_and_checked_before_the_ticket() {
    let h = TestServer::new().await;
    let ticket = serve(&h, "registration", "1").await;
    let seq = h.seq().await;
    for path in [
        feedback_path(id_of(&ticket)),
        feedback_path("no-such-ticket"),
    ] {
        let send = async |content_type: Option<&str>, body: &str| {
            h.raw(
                Method::POST,
                &path,
                None,
                content_type,
                Body::from(body.to_owned()),
            )
            .await
        };
        send(None, "")
            .await
            .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        send(Some("text/plain"), r#"{"score": 5}"#)
            .await
            .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        send(Some("application/x-www-form-urlencoded"), "score=5")
            .await
            .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        send(Some("application/json"), "")
            .await
            .expect_error(StatusCode::BAD_REQUEST, "invalid_json");
        send(Some("application/json"), "score: 5")
            .await
            .expect_error(StatusCode::BAD_REQUEST, "invalid_json");
        for body in [
            "{}",
            "[5]",
            r#"{"score": 0}"#,
            r#"{"score": 6}"#,
            r#"{"score": -1}"#,
            r#"{"score": 4.5}"#,
            r#"{"score": "5"}"#,
            r#"{"score": null}"#,
            r#"{"score": 300}"#,
            r#"{"score": 5, "comment": "miło"}"#,
            r#"{"score": 5, "score": 4}"#,
        ] {
            let answer = send(Some("application/json"), body).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path} {body}");
            assert_error_body(&answer.body, "invalid_request");
        }
    }
    assert_eq!(h.seq().await, seq, "nothing was rated");
    // A charset parameter is fine.
    let answer = h
        .raw(
            Method::POST,
            &feedback_path(id_of(&ticket)),
            None,
            Some("application/json; charset=utf-8"),
            Body::from(r#"{"score": 1}"#),
        )
        .await;
    assert_eq!(answer.expect(StatusCode::OK), &json!({"score": 1}));
}

#[tokio::test]
async fn another_sites_page_cannot_rate() {
    let h = TestServer::new().await;
    let ticket = serve(&h, "registration", "1").await;
    let request = Request::builder()
        .method(Method::POST)
        .uri(feedback_path(id_of(&ticket)))
        .header(header::ORIGIN, "https://evil.example.com")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"score": 1}"#))
        .unwrap();
    h.send(request)
        .await
        .expect_error(StatusCode::FORBIDDEN, "cross_origin");
    assert_eq!(h.ticket(id_of(&ticket)).await["feedback"]["given"], false);
}

#[tokio::test]
async fn the_counter_tablet_rates_its_counters_last_finish_within_three_minutes() {
    let h = TestServer::new().await;
    let kiosk = h.tokens.kiosk.clone();
    rate_at(&h, "1", Some(&kiosk), 5)
        .await
        .expect_error(StatusCode::CONFLICT, "no_recent_ticket");
    let served = serve(&h, "registration", "1").await;
    // Who may: a kiosk or admin token; nobody else.
    rate_at(&h, "1", None, 5)
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    rate_at(&h, "1", Some(&h.tokens.clerk), 5)
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    rate_at(&h, "1", Some(&h.tokens.manager), 5)
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    // The form before the counter, the counter before the state.
    let bad = h
        .post(
            "/api/v1/counters/9/feedback",
            Some(&kiosk),
            &json!({"score": 9}),
        )
        .await;
    bad.expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    rate_at(&h, "9", Some(&kiosk), 5)
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_counter");
    rate_at(&h, "2", Some(&kiosk), 5)
        .await
        .expect_error(StatusCode::CONFLICT, "no_recent_ticket");

    h.clock.advance(SignedDuration::from_mins(3));
    let answer = rate_at(&h, "1", Some(&kiosk), 5).await;
    assert_eq!(answer.expect(StatusCode::OK), &json!({"score": 5}));
    assert_eq!(h.ticket(id_of(&served)).await["feedback"]["given"], true);
    rate_at(&h, "1", Some(&kiosk), 4)
        .await
        .expect_error(StatusCode::CONFLICT, "feedback_given");
    // The phone cannot rate it again either.
    rate(&h, id_of(&served), json!(1))
        .await
        .expect_error(StatusCode::CONFLICT, "feedback_given");

    let next = serve(&h, "registration", "1").await;
    h.clock
        .advance(SignedDuration::from_mins(3) + SignedDuration::from_millis(1));
    rate_at(&h, "1", Some(&h.tokens.admin), 3)
        .await
        .expect_error(StatusCode::CONFLICT, "no_recent_ticket");
    assert_eq!(h.ticket(id_of(&next)).await["feedback"]["given"], false);
}

/// The rating is an event of the office-wide sequence, on both feeds, naming neither the
/// ticket nor the score.
#[tokio::test]
async fn the_feedback_event_names_nothing_on_either_feed() {
    let h = TestServer::new().await;
    let ticket = serve(&h, "registration", "1").await;
    let server = RunningServer::start(h.state.clone()).await;
    let mut public = server.connect(None).await;
    let mut staff = server
        .connect(Some(&format!("token={}", h.tokens.manager)))
        .await;
    let seq = recv(&mut public).await["seq"].as_u64().expect("a snapshot");
    recv(&mut staff).await;
    rate(&h, id_of(&ticket), json!(2))
        .await
        .expect(StatusCode::OK);
    for feed in [&mut public, &mut staff] {
        let event = recv(feed).await;
        assert_eq!(event["type"], "feedback.given", "{event}");
        assert_eq!(event["seq"], seq + 1);
        let mut keys: Vec<&str> = event
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["at", "seq", "type"], "{event}");
        let text = event.to_string();
        assert!(!text.contains(id_of(&ticket)), "{text}");
        assert!(!text.contains(ticket["number"].as_str().unwrap()), "{text}");
    }
    // A client catching up with `?since=` gets the same.
    let mut replay = server.connect(Some(&format!("since={seq}"))).await;
    let event = recv(&mut replay).await;
    assert_eq!(event["type"], "feedback.given");
    assert!(event.get("ticket").is_none());
    server.stop().await;
}

// ----- the report of a hand-computed day -------------------------------------------------------

/// Monday 23 November 2026:
/// - 09:00 A001, A002 (registration), B001 (tax) are issued;
/// - 09:01 counter 1 calls A001, 09:05 finishes it; its holder rates it 5 on the phone;
/// - 09:06 counter 2 calls B001 (tax first), 09:10 finishes it; its tablet gives 2 at 09:11;
/// - 09:12 counter 1 calls A002, 09:20 finishes it; its tablet gives 4 at 09:21;
/// - 10:05 C001 (passport) and A003 are issued; counter 3 calls C001 at 10:06 and finishes it
///   at 10:10; counter 1 calls A003 at 10:11: a no-show (nobody to rate it);
/// - Tuesday 09:00: C001's holder rates it 3 on the phone, within 24 hours.
///
/// So ratings 5 (A001: registration, counter 1, hour 9), 2 (B001: tax, counter 2, hour 9),
/// 4 (A002: registration, counter 1, hour 9), 3 (C001: passport, counter 3, hour 10), all of
/// Monday (where their tickets were issued), none of Tuesday.
async fn rated_day() -> TestServer {
    let h = TestServer::new().await;
    let kiosk = h.tokens.kiosk.clone();
    let a001 = h.issue("registration").await;
    h.issue("registration").await;
    h.issue("tax").await;
    set(&h, "2026-11-23T09:01:00+01:00");
    h.act("1", "call-next").await.expect(StatusCode::OK);
    set(&h, "2026-11-23T09:05:00+01:00");
    h.act("1", "finish").await.expect(StatusCode::OK);
    rate(&h, id_of(&a001), json!(5))
        .await
        .expect(StatusCode::OK);
    set(&h, "2026-11-23T09:06:00+01:00");
    let called = h.act("2", "call-next").await;
    assert_eq!(called.expect(StatusCode::OK)["ticket"]["number"], "B001");
    set(&h, "2026-11-23T09:10:00+01:00");
    h.act("2", "finish").await.expect(StatusCode::OK);
    set(&h, "2026-11-23T09:11:00+01:00");
    rate_at(&h, "2", Some(&kiosk), 2)
        .await
        .expect(StatusCode::OK);
    set(&h, "2026-11-23T09:12:00+01:00");
    h.act("1", "call-next").await.expect(StatusCode::OK);
    set(&h, "2026-11-23T09:20:00+01:00");
    h.act("1", "finish").await.expect(StatusCode::OK);
    set(&h, "2026-11-23T09:21:00+01:00");
    rate_at(&h, "1", Some(&kiosk), 4)
        .await
        .expect(StatusCode::OK);
    set(&h, "2026-11-23T10:05:00+01:00");
    let c001 = h.issue("passport").await;
    let a003 = h.issue("registration").await;
    set(&h, "2026-11-23T10:06:00+01:00");
    h.act("3", "call-next").await.expect(StatusCode::OK);
    set(&h, "2026-11-23T10:10:00+01:00");
    h.act("3", "finish").await.expect(StatusCode::OK);
    set(&h, "2026-11-23T10:11:00+01:00");
    h.act("1", "call-next").await.expect(StatusCode::OK);
    h.act("1", "no-show").await.expect(StatusCode::OK);
    rate(&h, id_of(&a003), json!(1))
        .await
        .expect_error(StatusCode::CONFLICT, "ticket_not_done");
    set(&h, "2026-11-24T09:00:00+01:00");
    h.store.start_day_if_due().await.expect("Tuesday");
    rate(&h, id_of(&c001), json!(3))
        .await
        .expect(StatusCode::OK);
    h
}

/// `(key, feedback_count, satisfaction_avg)` of each row, then of the total.
async fn ratings(
    h: &TestServer,
    from: &str,
    to: &str,
    group_by: &str,
) -> Vec<(RowKey, u64, Option<f64>)> {
    let body = h
        .get(
            &format!("/api/v1/reports/summary?from={from}&to={to}&group_by={group_by}"),
            Some(&h.tokens.manager),
        )
        .await
        .expect(StatusCode::OK)
        .clone();
    let summary: numerek_api::Summary = read(&body);
    summary
        .rows
        .into_iter()
        .chain([summary.total])
        .map(|row| (row.key, row.feedback_count, row.satisfaction_avg))
        .collect()
}

fn r(key: RowKey, count: u64, average: Option<f64>) -> (RowKey, u64, Option<f64>) {
    (key, count, average)
}

/// A row's key that names a category, a counter, a day or the total.
fn name(key: &str) -> RowKey {
    RowKey::Name(key.to_owned())
}

#[tokio::test]
async fn the_report_counts_and_averages_ratings_in_every_grouping() {
    let h = rated_day().await;
    let (monday, tuesday) = ("2026-11-23", "2026-11-24");
    assert_eq!(
        ratings(&h, monday, monday, "category").await,
        [
            r(name("registration"), 2, Some(4.5)),
            r(name("tax"), 1, Some(2.0)),
            r(name("passport"), 1, Some(3.0)),
            r(name("archive"), 0, None),
            r(name("total"), 4, Some(3.5)),
        ]
    );
    // By counter: the counter, never a person.
    assert_eq!(
        ratings(&h, monday, monday, "counter").await,
        [
            r(name("1"), 2, Some(4.5)),
            r(name("2"), 1, Some(2.0)),
            r(name("3"), 1, Some(3.0)),
            r(name("total"), 4, Some(3.5)),
        ]
    );
    // (5 + 2 + 4) / 3 = 3.666…
    assert_eq!(
        ratings(&h, monday, monday, "hour").await,
        [
            r(RowKey::Hour(9), 3, Some(3.67)),
            r(RowKey::Hour(10), 1, Some(3.0)),
            r(name("total"), 4, Some(3.5)),
        ]
    );
    assert_eq!(
        ratings(&h, monday, tuesday, "day").await,
        [
            r(name(monday), 4, Some(3.5)),
            r(name("total"), 4, Some(3.5))
        ]
    );
    assert_eq!(
        ratings(&h, tuesday, tuesday, "category").await.last(),
        Some(&r(name("total"), 0, None)),
        "a rating belongs to its ticket's day, not to the day it was given"
    );
    // The ticket listing carries no score.
    let listing = h
        .get(
            &format!("/api/v1/reports/tickets?from={monday}&to={monday}"),
            Some(&h.tokens.manager),
        )
        .await;
    assert!(!listing.text.contains("score"), "{}", listing.text);
    assert!(!listing.text.contains("feedback"), "{}", listing.text);

    let csv = h
        .get(
            &format!(
                "/api/v1/reports/summary?from={monday}&to={monday}&group_by=counter&format=csv"
            ),
            Some(&h.tokens.manager),
        )
        .await;
    let lines: Vec<&str> = csv.text.lines().collect();
    assert!(
        lines[0].ends_with(",appointment_delay_avg_s,feedback_count,satisfaction_avg"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("1,") && lines[1].ends_with(",2,4.5"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("2,") && lines[2].ends_with(",1,2.0"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("3,") && lines[3].ends_with(",1,3.0"),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].starts_with("total,") && lines[4].ends_with(",4,3.5"),
        "{}",
        lines[4]
    );
    let empty = h
        .get(
            &format!("/api/v1/reports/summary?from={tuesday}&to={tuesday}&group_by=day&format=csv"),
            Some(&h.tokens.manager),
        )
        .await;
    assert!(empty.text.ends_with(",0,\n"), "{}", empty.text);
}

/// The codes of the error answer `status` of `method path` in the served OpenAPI document.
fn documented_codes(document: &Value, method: &str, path: &str, status: &str) -> Vec<String> {
    let response = &document["paths"][path][method]["responses"][status];
    let schema = &response["content"]["application/json"]["schema"];
    let codes = schema["allOf"][1]["properties"]["error"]["properties"]["code"]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{method} {path} documents no {status}: {response}"));
    codes
        .iter()
        .map(|code| code.as_str().expect("a code").to_owned())
        .collect()
}

/// The generated OpenAPI document states both routes with their body, answer, access and every
/// refusal.
#[tokio::test]
async fn the_openapi_document_lists_every_refusal_of_the_rating_routes() {
    let h = TestServer::new().await;
    let document = h
        .get("/api/v1/openapi.json", None)
        .await
        .expect(StatusCode::OK)
        .clone();
    let by_ticket = "/api/v1/tickets/{id}/feedback";
    let at_counter = "/api/v1/counters/{id}/feedback";
    assert_eq!(
        documented_codes(&document, "post", by_ticket, "409"),
        ["ticket_not_done", "feedback_given", "feedback_closed"]
    );
    assert_eq!(
        documented_codes(&document, "post", by_ticket, "404"),
        ["unknown_ticket"]
    );
    assert_eq!(
        documented_codes(&document, "post", at_counter, "409"),
        ["no_recent_ticket", "feedback_given"]
    );
    assert_eq!(
        documented_codes(&document, "post", at_counter, "404"),
        ["unknown_counter"]
    );
    for path in [by_ticket, at_counter] {
        let operation = &document["paths"][path]["post"];
        for status in ["400", "403", "413", "415", "503"] {
            assert!(
                operation["responses"][status].is_object(),
                "{path} documents {status}: {operation}"
            );
        }
        assert_eq!(
            operation["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/FeedbackRequest"
        );
        assert_eq!(
            operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/FeedbackAnswer"
        );
    }
    // The phone needs no token; the tablet a kiosk token.
    assert_eq!(document["paths"][by_ticket]["post"]["security"], json!([]));
    assert_eq!(
        document["paths"][at_counter]["post"]["x-numerek-role"],
        "kiosk"
    );
    let score = &document["components"]["schemas"]["FeedbackRequest"]["properties"]["score"];
    assert_eq!(
        (&score["minimum"], &score["maximum"]),
        (&json!(1), &json!(5))
    );
}
