//! Appointments end to end over HTTP, on the hand-set clock: book, check in, called at the slot
//! before a priority walk-in; missed at the end of the window by the office's timer; cancelling
//! frees the slot; a restart keeps everything; every refusal; the calendar entry; the feeds (the
//! staff's carry the booking, the public's a stand-in without a gap); the public booking limit
//! per address, from 127.0.0.1 while 127.0.0.2 still books.

use crate::support::{RunningServer, TestServer, WAIT, at, read};
use axum::http::{Method, StatusCode, header};
use numerek_server::run_timers;
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The all-day test office with bookable registration (15-minute slots of one visit, Monday
/// and Tuesday 10:00-12:00, a week ahead), taxes without bookings, one counter for both, and
/// Christmas Eve closed.
pub const OFFICE: &str = concat!(
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/all-day-office.toml"
    )),
    r#"closed_dates = ["2026-11-24"]

[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki", en = "Registration" }
target_wait_min = 15
appointments = { slot_min = 15, per_slot = 1, days_ahead = 7, hours = { mon = "10:00-12:00", tue = "10:00-12:00", wed = "10:00-12:00" } }

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki", en = "Taxes" }
target_wait_min = 10

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration", "tax"]
"#
);

/// The 10:00 slot of the tests' Monday.
const TEN: &str = "2026-11-23T10:00:00+01:00";

/// `OFFICE` in a `TestServer` (Monday 09:00); the `closed_dates` line belongs in `[office]`,
/// after the fixture's hours table, so it is moved there.
async fn server_with(extra_office_line: &str) -> TestServer {
    TestServer::with_office(&office(extra_office_line)).await
}

/// The office file, with `extra` added to its `[office]` table.
fn office(extra: &str) -> String {
    OFFICE
        .replacen("closed_dates = [\"2026-11-24\"]\n", "", 1)
        .replacen(
            "kiosk_rate_per_min = false",
            &format!("kiosk_rate_per_min = false\nclosed_dates = [\"2026-11-24\"]\n{extra}"),
            1,
        )
}

async fn server() -> TestServer {
    server_with("booking_rate_per_hour = false").await
}

/// Books `start` in registration as the public; asserts 201 and answers the appointment.
async fn book(h: &TestServer, start: &str) -> Value {
    let answer = h
        .post(
            "/api/v1/appointments",
            None,
            &json!({ "category": "registration", "start": start, "language": "en" }),
        )
        .await;
    let appointment = answer.expect(StatusCode::CREATED).clone();
    read::<numerek_api::Appointment>(&appointment);
    appointment
}

fn code(appointment: &Value) -> String {
    appointment["code"].as_str().expect("a code").to_owned()
}

async fn appointment(h: &TestServer, code: &str) -> Value {
    let answer = h.get(&format!("/api/v1/appointments/{code}"), None).await;
    let appointment = answer.expect(StatusCode::OK).clone();
    read::<numerek_api::Appointment>(&appointment);
    appointment
}

async fn check_in(h: &TestServer, code: &str) -> crate::support::Answer {
    h.post_empty(
        &format!("/api/v1/appointments/{code}/check-in"),
        Some(&h.tokens.kiosk),
    )
    .await
}

async fn free_at_ten(h: &TestServer) -> u64 {
    free_at(h, TEN).await
}

/// The free places of the slot starting at `start`, which is offered.
async fn free_at(h: &TestServer, start: &str) -> u64 {
    let day = &start[..10];
    let answer = h
        .get(
            &format!("/api/v1/appointments/slots?category=registration&from={day}&to={day}"),
            None,
        )
        .await;
    let slots: numerek_api::Slots = read(answer.expect(StatusCode::OK));
    let slot = slots
        .slots
        .iter()
        .find(|s| s.start.timestamp() == at(start))
        .unwrap_or_else(|| panic!("the slot at {start} is offered"));
    u64::from(slot.free)
}

#[tokio::test]
async fn a_checked_in_visit_is_called_at_its_slot_before_a_priority_walk_in() {
    let h = server().await;
    let booked = book(&h, TEN).await;
    let code = code(&booked);
    assert_eq!(code.len(), 8);
    assert_eq!(booked["state"], "booked");
    assert_eq!(booked["ticket"], Value::Null);
    assert_eq!(booked["end"], "2026-11-23T10:15:00.000+01:00");
    // Codes are read in either case.
    let lower = appointment(&h, &code.to_lowercase()).await;
    assert_eq!(lower["code"], code.as_str());

    h.clock.set(at("2026-11-23T09:45:00+01:00"));
    let ticket = check_in(&h, &code).await;
    let ticket = ticket.expect(StatusCode::CREATED).clone();
    read::<numerek_api::Ticket>(&ticket);
    assert_eq!(ticket["category"], "registration");
    assert_eq!(ticket["appointment"]["code"], code.as_str());
    assert_eq!(
        ticket["appointment"]["start"],
        "2026-11-23T10:00:00.000+01:00"
    );
    let number = ticket["number"].as_str().expect("a number").to_owned();

    let priority = h
        .issue_with(json!({ "category": "registration", "priority": true }))
        .await;
    let walk_in = h.issue("registration").await;
    // Before its slot the visit waits while others can be called.
    h.clock.set(at("2026-11-23T09:55:00+01:00"));
    let first = h.act("1", "call-next").await;
    assert_eq!(
        first.expect(StatusCode::OK)["ticket"]["number"],
        priority["number"]
    );
    // From its slot's start it comes first, ahead of the walk-in.
    h.clock.set(at("2026-11-23T10:02:00+01:00"));
    let second = h.act("1", "call-next").await;
    assert_eq!(second.expect(StatusCode::OK)["ticket"]["number"], number);
    let third = h.act("1", "call-next").await;
    assert_eq!(
        third.expect(StatusCode::OK)["ticket"]["number"],
        walk_in["number"]
    );

    let after = appointment(&h, &code).await;
    assert_eq!(after["state"], "checked_in");
    assert_eq!(after["ticket"]["number"], number.as_str());
    assert_eq!(after["ticket"]["state"], "done");
    // Checked in once only.
    check_in(&h, &code)
        .await
        .expect_error(StatusCode::CONFLICT, "appointment_not_booked");

    // The report counts the visit and its delay (first call 10:02, slot 10:00).
    h.act("1", "finish").await.expect(StatusCode::OK);
    let report = h
        .get(
            "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&group_by=category",
            Some(&h.tokens.manager),
        )
        .await;
    let summary: numerek_api::Summary = read(report.expect(StatusCode::OK));
    assert_eq!(summary.total.appointments, 1);
    assert_eq!(summary.total.issued, 3);
    assert_eq!(
        summary.total.appointment_delay_avg_s.map(|s| s.get()),
        Some(120.0)
    );
    let csv = h
        .get(
            "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&group_by=hour&format=csv",
            Some(&h.tokens.manager),
        )
        .await;
    assert!(
        csv.text
            .starts_with("key,issued,called,served,no_show,cancelled,wait_avg_s,wait_p50_s,"),
        "{}",
        csv.text
    );
    assert!(
        csv.text.lines().next().is_some_and(|l| l.contains(
            ",within_target_pct,appointments,appointments_missed,appointment_delay_avg_s,"
        )),
        "{}",
        csv.text
    );
}

#[tokio::test]
async fn a_booking_not_checked_in_is_missed_when_its_window_ends() {
    let h = server().await;
    let timers = tokio::spawn(run_timers(h.state.clone()));
    let code = code(&book(&h, TEN).await);
    let status = h.category_status("registration").await;
    assert_eq!(status["appointments_today"], 1);
    // The window closes 10 minutes after the start; the timer fires on the clock, not on a
    // request.
    h.clock.set(at("2026-11-23T10:09:59+01:00"));
    tokio::task::yield_now().await;
    assert_eq!(appointment(&h, &code).await["state"], "booked");
    h.clock.set(at("2026-11-23T10:10:00+01:00"));
    tokio::time::timeout(WAIT, async {
        while appointment(&h, &code).await["state"] != "missed" {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the timer marks the booking missed");
    timers.abort();
    assert_eq!(
        h.category_status("registration").await["appointments_today"],
        0
    );
    let late = check_in(&h, &code).await;
    late.expect_error(StatusCode::CONFLICT, "checkin_too_late");
    assert!(
        late.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("09:30") && m.contains("10:10")),
        "the window is in the message: {}",
        late.text
    );
    h.post(
        &format!("/api/v1/appointments/{code}/cancel"),
        None,
        &json!({}),
    )
    .await
    .expect_error(StatusCode::CONFLICT, "appointment_not_booked");
    let report = h
        .get(
            "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&group_by=day",
            Some(&h.tokens.manager),
        )
        .await;
    let summary: numerek_api::Summary = read(report.expect(StatusCode::OK));
    assert_eq!(summary.total.appointments_missed, 1);
    assert_eq!(summary.rows[0].appointments_missed, 1);
}

#[tokio::test]
async fn cancelling_frees_the_slot() {
    let h = server().await;
    assert_eq!(free_at_ten(&h).await, 1);
    let code = code(&book(&h, TEN).await);
    assert_eq!(free_at_ten(&h).await, 0);
    h.post(
        "/api/v1/appointments",
        None,
        &json!({ "category": "registration", "start": TEN }),
    )
    .await
    .expect_error(StatusCode::CONFLICT, "slot_full");
    // The cancel takes `{}` as JSON, nothing else.
    let path = format!("/api/v1/appointments/{code}/cancel");
    h.post_empty(&path, None)
        .await
        .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    h.post(&path, None, &json!({ "x": 1 }))
        .await
        .expect_status_in(&[StatusCode::BAD_REQUEST]);
    let cancelled = h.post(&path, None, &json!({})).await;
    assert_eq!(cancelled.expect(StatusCode::OK)["state"], "cancelled");
    h.post(&path, None, &json!({}))
        .await
        .expect_error(StatusCode::CONFLICT, "appointment_not_booked");
    assert_eq!(free_at_ten(&h).await, 1);
    book(&h, TEN).await;
}

#[tokio::test]
async fn a_restart_keeps_bookings_and_check_ins() {
    let h = server().await;
    let kept = code(&book(&h, TEN).await);
    let checked = code(&book(&h, "2026-11-23T10:15:00+01:00").await);
    let tomorrow = code(&book(&h, "2026-11-25T10:00:00+01:00").await);
    h.clock.set(at("2026-11-23T10:00:00+01:00"));
    let ticket = check_in(&h, &checked)
        .await
        .expect(StatusCode::CREATED)
        .clone();
    let (dir, clock, tokens) = (h.dir.clone(), h.clock.clone(), h.tokens.clone());
    let store = h.weak_store();
    drop(h);
    crate::support::wait_until_released(store).await;
    let config = numerek_core::OfficeConfig::from_toml(&office("booking_rate_per_hour = false"))
        .expect("the office is valid");
    let h = TestServer::reopen_office(dir, clock, tokens, Arc::new(config));
    assert_eq!(appointment(&h, &kept).await["state"], "booked");
    assert_eq!(appointment(&h, &tomorrow).await["state"], "booked");
    let after = appointment(&h, &checked).await;
    assert_eq!(after["state"], "checked_in");
    assert_eq!(after["ticket"]["number"], ticket["number"]);
    let reread = h.ticket(ticket["id"].as_str().expect("an id")).await;
    assert_eq!(reread["appointment"]["code"], checked.as_str());
    // The slots stay taken.
    assert_eq!(free_at(&h, "2026-11-25T10:00:00+01:00").await, 0);
    assert_eq!(free_at(&h, "2026-11-25T10:15:00+01:00").await, 1);
    // And the staff's list has all of the day's.
    let list = h
        .get(
            "/api/v1/appointments?date=2026-11-23",
            Some(&h.tokens.clerk),
        )
        .await;
    let list: numerek_api::AppointmentList = read(list.expect(StatusCode::OK));
    let codes: Vec<&str> = list.appointments.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(codes, [kept.as_str(), checked.as_str()]);
}

#[tokio::test]
async fn bookings_and_check_ins_are_refused_with_a_reason() {
    let h = server().await;
    let refuse = async |body: Value, status: StatusCode, code: &str| {
        h.post("/api/v1/appointments", None, &body)
            .await
            .expect_error(status, code);
    };
    let conflict = StatusCode::CONFLICT;
    let start = |s: &str| json!({ "category": "registration", "start": s });
    refuse(
        start("2026-11-23T10:05:00+01:00"),
        conflict,
        "slot_unavailable",
    )
    .await;
    refuse(
        start("2026-11-23T08:45:00+01:00"),
        conflict,
        "slot_unavailable",
    )
    .await;
    refuse(
        start("2026-11-24T10:00:00+01:00"),
        conflict,
        "slot_unavailable",
    )
    .await;
    refuse(
        start("2026-12-02T10:00:00+01:00"),
        conflict,
        "slot_unavailable",
    )
    .await;
    let not_found = StatusCode::NOT_FOUND;
    let bad = StatusCode::BAD_REQUEST;
    refuse(
        json!({ "category": "nope", "start": TEN }),
        not_found,
        "unknown_category",
    )
    .await;
    refuse(
        json!({ "category": "tax", "start": TEN }),
        bad,
        "invalid_request",
    )
    .await;
    refuse(
        json!({ "category": "registration", "start": TEN, "language": "de" }),
        bad,
        "invalid_request",
    )
    .await;
    refuse(
        json!({ "category": "registration", "start": TEN, "name": "Jan" }),
        bad,
        "invalid_request",
    )
    .await;
    refuse(
        json!({ "category": "registration", "start": "10:00" }),
        bad,
        "invalid_request",
    )
    .await;

    let slots = async |query: &str, status: StatusCode, code: &str| {
        h.get(&format!("/api/v1/appointments/slots?{query}"), None)
            .await
            .expect_error(status, code);
    };
    slots(
        "category=nope&from=2026-11-23&to=2026-11-23",
        not_found,
        "unknown_category",
    )
    .await;
    slots(
        "category=tax&from=2026-11-23&to=2026-11-23",
        bad,
        "invalid_request",
    )
    .await;
    slots(
        "category=registration&from=2026-11-23&to=2026-12-31",
        bad,
        "invalid_request",
    )
    .await;
    slots(
        "category=registration&from=2026-11-24&to=2026-11-23",
        bad,
        "invalid_request",
    )
    .await;
    slots(
        "category=registration&from=tomorrow&to=2026-11-23",
        bad,
        "invalid_request",
    )
    .await;
    slots(
        "category=registration&from=2026-11-23",
        bad,
        "invalid_request",
    )
    .await;

    // Unknown codes, and texts that are no codes, name no appointment.
    for code in ["ZZZZZZZZ", "0OI1abcd", "short"] {
        h.get(&format!("/api/v1/appointments/{code}"), None)
            .await
            .expect_error(not_found, "unknown_appointment");
        check_in(&h, code)
            .await
            .expect_error(not_found, "unknown_appointment");
        h.post(
            &format!("/api/v1/appointments/{code}/cancel"),
            None,
            &json!({}),
        )
        .await
        .expect_error(not_found, "unknown_appointment");
    }
    // A slot that has started is past.
    h.clock.set(at("2026-11-23T10:01:00+01:00"));
    refuse(start(TEN), conflict, "slot_unavailable").await;
    // Too early: the window opens 30 minutes before the start.
    let code = code(&book(&h, "2026-11-23T11:00:00+01:00").await);
    h.clock.set(at("2026-11-23T10:29:59+01:00"));
    let early = check_in(&h, &code).await;
    early.expect_error(conflict, "checkin_too_early");
    assert!(early.text.contains("10:30"), "{}", early.text);
    let wednesday = crate::appointments::code(&book(&h, "2026-11-25T10:00:00+01:00").await);
    check_in(&h, &wednesday)
        .await
        .expect_error(conflict, "checkin_too_early");
    // A clerk cannot check in (the kiosk does), the public cannot list.
    h.post_empty(
        &format!("/api/v1/appointments/{code}/check-in"),
        Some(&h.tokens.clerk),
    )
    .await
    .expect_error(StatusCode::FORBIDDEN, "forbidden");
    h.get("/api/v1/appointments?date=2026-11-23", None)
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    h.get(
        "/api/v1/appointments?date=2026-11-23&category=nope",
        Some(&h.tokens.clerk),
    )
    .await
    .expect_error(not_found, "unknown_category");
    h.get(
        "/api/v1/appointments?date=23.11.2026",
        Some(&h.tokens.clerk),
    )
    .await
    .expect_error(bad, "invalid_request");
    // Nothing of the refusals was stored.
    assert_eq!(
        h.get(
            "/api/v1/appointments?date=2026-11-23",
            Some(&h.tokens.clerk)
        )
        .await
        .expect(StatusCode::OK)["appointments"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn the_calendar_entry_has_the_visit_and_keeps_the_code_out_of_its_summary() {
    let h = server().await;
    let code = code(&book(&h, TEN).await);
    let answer = h
        .get(&format!("/api/v1/appointments/{code}/calendar.ics"), None)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let content_type = answer.headers[header::CONTENT_TYPE].to_str().unwrap_or("");
    assert!(content_type.starts_with("text/calendar"), "{content_type}");
    let text = &answer.text;
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{text}"
    );
    assert!(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"), "{text}");
    let unfolded = text.replace("\r\n ", "");
    let field = |name: &str| {
        unfolded
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .unwrap_or_else(|| panic!("{name} in {text}"))
            .to_owned()
    };
    assert_eq!(field("DTSTART"), "20261123T090000Z");
    assert_eq!(field("DTEND"), "20261123T091500Z");
    assert_eq!(field("DTSTAMP"), "20261123T080000Z");
    assert!(field("SUMMARY").contains("Registration"), "{text}");
    assert!(!field("SUMMARY").contains(&code), "{text}");
    assert!(!field("UID").contains(&code), "{text}");
    assert!(field("DESCRIPTION").contains(&code), "{text}");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{line:?} is longer than 75 octets");
    }
}

#[tokio::test]
async fn the_staff_feed_carries_bookings_and_the_public_feed_a_stand_in_without_a_gap() {
    let h = server().await;
    let mut feed = h.state.hub.subscribe().expect("the hub is open");
    let code = code(&book(&h, TEN).await);
    h.clock.set(at("2026-11-23T09:45:00+01:00"));
    check_in(&h, &code).await.expect(StatusCode::CREATED);
    let mut frames = Vec::new();
    while frames.len() < 3 {
        let chunk = tokio::time::timeout(WAIT, feed.recv())
            .await
            .expect("events arrive")
            .expect("the feed stays open");
        frames.extend(chunk.iter().cloned());
    }
    let seqs: Vec<u64> = frames.iter().map(|f| f.seq).collect();
    assert_eq!(seqs, [seqs[0], seqs[0] + 1, seqs[0] + 2], "contiguous");
    let types = |audience: fn(&numerek_server::hub::Frame) -> &str| {
        frames
            .iter()
            .map(|f| {
                let message: numerek_api::FeedMessage =
                    serde_json::from_str(audience(f)).expect("a feed message");
                assert_eq!(message.seq(), f.seq);
                serde_json::to_value(&message).expect("JSON")["type"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        types(|f| f.staff.as_str()),
        [
            "appointment.booked",
            "ticket.issued",
            "appointment.checked_in"
        ]
    );
    assert_eq!(
        types(|f| f.public.as_str()),
        [
            "appointments.changed",
            "ticket.issued",
            "appointments.changed"
        ]
    );
    assert!(frames[0].staff.as_str().contains(&code));
    for frame in &frames {
        assert!(
            !frame.public.as_str().contains(&code),
            "no code on the public feed: {}",
            frame.public.as_str()
        );
    }
    let public: Value = serde_json::from_str(frames[0].public.as_str()).expect("JSON");
    assert_eq!(
        public,
        json!({ "type": "appointments.changed", "seq": frames[0].seq,
                "at": "2026-11-23T09:00:00.000+01:00", "category": "registration" })
    );
    // The public status says how many are expected, not who.
    let status = h.status().await;
    assert!(!status.to_string().contains(&code));
}

#[tokio::test]
async fn staff_book_for_callers_beyond_the_public_limit() {
    let h = server_with("booking_rate_per_hour = 2").await;
    let body = |start: &str| json!({ "category": "registration", "start": start });
    for start in [TEN, "2026-11-23T10:15:00+01:00"] {
        book(&h, start).await;
    }
    // Every attempt counts, and the limit comes before the body is read.
    let limited = h
        .post(
            "/api/v1/appointments",
            None,
            &body("2026-11-23T10:30:00+01:00"),
        )
        .await;
    limited.expect_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let retry: u64 = limited.headers[header::RETRY_AFTER]
        .to_str()
        .ok()
        .and_then(|s| s.parse().ok())
        .expect("Retry-After in seconds");
    assert_eq!(retry, 1800, "2 an hour: the next in half an hour");
    h.raw(
        Method::POST,
        "/api/v1/appointments",
        None,
        Some("text/plain"),
        "x",
    )
    .await
    .expect_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let staff = h
        .post(
            "/api/v1/appointments",
            Some(&h.tokens.clerk),
            &body("2026-11-23T10:30:00+01:00"),
        )
        .await;
    staff.expect(StatusCode::CREATED);
    // Half an hour later the public may book one more.
    h.clock.set(at("2026-11-23T09:30:00+01:00"));
    book(&h, "2026-11-23T10:45:00+01:00").await;
}

/// One HTTP/1.1 request from `source` (an address of 127.0.0.0/8) to the server: the status.
async fn post_from(source: &str, server: &RunningServer, path: &str, body: &str) -> u16 {
    let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
    socket
        .bind(format!("{source}:0").parse().expect("an address"))
        .expect("bind the source address");
    let mut stream = tokio::time::timeout(WAIT, socket.connect(server.addr))
        .await
        .expect("connects in time")
        .expect("connects");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.addr,
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut answer = Vec::new();
    tokio::time::timeout(WAIT, stream.read_to_end(&mut answer))
        .await
        .expect("answered in time")
        .expect("read");
    let text = String::from_utf8_lossy(&answer);
    text.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("an HTTP answer: {text}"))
}

#[tokio::test]
async fn the_public_limit_counts_each_address_apart() {
    let h = server_with("booking_rate_per_hour = 3").await;
    let server = RunningServer::start(Arc::clone(&h.state)).await;
    let starts = [
        "10:00", "10:15", "10:30", "10:45", "11:00", "11:15", "11:30",
    ];
    let body = |hm: &str| {
        json!({ "category": "registration", "start": format!("2026-11-23T{hm}:00+01:00") })
            .to_string()
    };
    let mut statuses = Vec::new();
    for hm in &starts[..4] {
        statuses.push(post_from("127.0.0.1", &server, "/api/v1/appointments", &body(hm)).await);
    }
    assert_eq!(statuses, [201, 201, 201, 429]);
    for hm in &starts[4..] {
        assert_eq!(
            post_from("127.0.0.2", &server, "/api/v1/appointments", &body(hm)).await,
            201,
            "another address still books"
        );
    }
    assert_eq!(
        post_from("127.0.0.1", &server, "/api/v1/appointments", &body("11:45")).await,
        429
    );
    server.stop().await;
}
