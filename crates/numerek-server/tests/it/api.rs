//! The HTTP API against its contract (`docs/api.md`), in process: every endpoint, every
//! error code that applies, the order of checks, and that a refused request changes nothing.

use crate::support;

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use jiff::SignedDuration;
use numerek_core::{CategoryStatus, TicketId, TicketView};
use numerek_store::Clock;
use serde_json::{Value, json};
use support::{TestServer, assert_error_body, assert_local_timestamp, at};

const ISSUE: &str = "/api/v1/tickets";

/// The keys of a `Ticket`.
const TICKET_KEYS: [&str; 13] = [
    "id",
    "number",
    "category",
    "priority",
    "state",
    "issued_at",
    "called_at",
    "finished_at",
    "counter",
    "people_ahead",
    "estimated_wait_s",
    "estimated_wait_range_s",
    "feedback",
];

#[track_caller]
fn assert_ticket_shape(ticket: &Value) {
    let object = ticket
        .as_object()
        .unwrap_or_else(|| panic!("a ticket object, got {ticket}"));
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = TICKET_KEYS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected, "the Ticket's fields: {ticket}");
    assert_local_timestamp(&ticket["issued_at"]);
    for key in ["called_at", "finished_at"] {
        if !ticket[key].is_null() {
            assert_local_timestamp(&ticket[key]);
        }
    }
    let waiting = ticket["state"] == "waiting";
    assert_eq!(
        ticket["people_ahead"].is_u64(),
        waiting,
        "people_ahead is a number exactly while waiting: {ticket}"
    );
    assert_eq!(
        ticket["estimated_wait_s"].is_number(),
        waiting,
        "estimated_wait_s is a number exactly while waiting: {ticket}"
    );
    // Whether it was rated, and until when it may be, once it is done; null before.
    let done = ticket["state"] == "done";
    assert_eq!(ticket["feedback"].is_object(), done, "{ticket}");
    if done {
        assert!(ticket["feedback"]["given"].is_boolean(), "{ticket}");
        assert_local_timestamp(&ticket["feedback"]["open_until"]);
    }
    if waiting {
        assert_range(
            &ticket["estimated_wait_range_s"],
            &ticket["estimated_wait_s"],
        );
    } else {
        assert_eq!(ticket["estimated_wait_range_s"], Value::Null, "{ticket}");
    }
}

/// A wait range: `[low, high]`, whole seconds, around the estimate, at least a minute wide.
#[track_caller]
fn assert_range(range: &Value, estimate: &Value) {
    let bounds: Vec<f64> = range
        .as_array()
        .unwrap_or_else(|| panic!("a range [low, high], got {range}"))
        .iter()
        .map(secs)
        .collect();
    let [low, high] = bounds[..] else {
        panic!("two bounds: {range}");
    };
    let estimate = secs(estimate);
    assert!(
        low >= 0.0 && low <= estimate && estimate <= high,
        "{range} around {estimate}"
    );
    assert!(high - low >= 60.0, "at least a minute wide: {range}");
    assert!(
        low.fract() == 0.0 && high.fract() == 0.0,
        "whole seconds: {range}"
    );
}

/// A waiting ticket as the office itself sees it now: what the wire must show.
fn core_ticket(h: &TestServer, ticket: &Value) -> TicketView {
    let id = TicketId(ticket["id"].as_str().expect("an id").to_owned());
    h.store
        .office()
        .ticket_view(&id, h.clock.now())
        .expect("a ticket of today")
}

/// A category as the office itself sees it now.
fn core_category(h: &TestServer, id: &str) -> CategoryStatus {
    h.store
        .office()
        .status(h.clock.now())
        .categories
        .into_iter()
        .find(|c| c.id == id)
        .expect("a configured category")
}

/// The wire shows the estimate and the range the office computed.
#[track_caller]
fn assert_shows(wire: &Value, estimate: Option<f64>, range: Option<[f64; 2]>) {
    assert_eq!(wire["estimated_wait_s"].as_f64(), estimate, "{wire}");
    let shown = wire["estimated_wait_range_s"]
        .as_array()
        .map(|r| [secs(&r[0]), secs(&r[1])]);
    assert_eq!(shown, range, "{wire}");
}

fn secs(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("a number of seconds, got {value}"))
}

/// The office's observable state: the status and the tokens. A refused request changes neither.
async fn observable(h: &TestServer) -> (Value, Vec<String>) {
    let tokens = h.store.tokens().into_iter().map(|t| t.id).collect();
    (h.status().await, tokens)
}

// ----- public endpoints ----------------------------------------------------------------------

#[tokio::test]
async fn healthz_answers_ok_with_security_headers() {
    let h = TestServer::new().await;
    let answer = h.get("/healthz", None).await;
    assert_eq!(answer.expect(StatusCode::OK), &json!({"status": "ok"}));
    let csp = answer
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .expect("Content-Security-Policy on every answer")
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert_eq!(
        answer.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
}

#[tokio::test]
async fn security_headers_are_on_errors_and_api_answers_too() {
    let h = TestServer::new().await;
    for answer in [
        h.get("/api/v1/status", None).await,
        h.get("/api/v1/nope", None).await,
        h.post_empty(ISSUE, None).await,
    ] {
        assert!(
            answer.headers.contains_key(header::CONTENT_SECURITY_POLICY),
            "CSP on a {} answer",
            answer.status
        );
    }
}

#[tokio::test]
async fn office_describes_categories_and_counters() {
    let h = TestServer::new().await;
    let answer = h.get("/api/v1/office", None).await;
    let body = answer.expect(StatusCode::OK);
    let office = &body["office"];
    assert_eq!(office["id"], "test-office");
    assert_eq!(office["name"], "Urząd Testowy");
    assert_eq!(office["timezone"], "Europe/Warsaw");
    assert_eq!(office["languages"], json!(["pl", "en"]));

    let categories = body["categories"].as_array().expect("categories");
    let ids: Vec<&str> = categories
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["registration", "tax", "passport", "archive"],
        "file order"
    );
    let registration = &categories[0];
    assert_eq!(registration["prefix"], "A");
    assert_eq!(
        registration["name"],
        json!({"pl": "Meldunki", "en": "Registration"})
    );
    assert_eq!(registration["target_wait_s"], 900);
    assert_eq!(registration["daily_limit"], Value::Null);
    assert_eq!(registration["priority"], true, "priority defaults to true");
    assert_eq!(categories[1]["priority"], false);
    assert_eq!(categories[1]["target_wait_s"], 600);
    assert_eq!(categories[2]["daily_limit"], 2);

    let counters = body["counters"].as_array().expect("counters");
    assert_eq!(counters.len(), 3);
    assert_eq!(counters[0]["id"], "1");
    assert_eq!(
        counters[0]["name"],
        json!({"pl": "Stanowisko 1", "en": "Counter 1"})
    );
    assert_eq!(counters[0]["categories"], json!(["registration", "tax"]));
    assert_eq!(counters[1]["categories"], json!(["tax", "registration"]));
    assert_eq!(counters[2]["categories"], json!(["passport", "archive"]));

    // Exactly the spec's fields, and the documented additions (`announcements`, `demo`,
    // `retention_days`, `hours`, `open_data_id`).
    let sorted_keys = |value: &Value| {
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort_unstable();
        keys
    };
    assert_eq!(sorted_keys(body), ["categories", "counters", "office"]);
    assert_eq!(
        sorted_keys(office),
        [
            "announcements",
            "checkin_early_min",
            "checkin_late_min",
            "closed_dates",
            "demo",
            "id",
            "languages",
            "name",
            "retention_days",
            "timezone"
        ]
    );
    assert_eq!(office["closed_dates"], json!([]));
    assert_eq!(
        (&office["checkin_early_min"], &office["checkin_late_min"]),
        (&json!(30), &json!(10)),
        "the defaults"
    );
    assert_eq!(office["announcements"], json!([]));
    assert_eq!(office["demo"], false, "only `numerek demo` runs a demo");
    assert_eq!(office["retention_days"], 730, "the default");
    for category in categories {
        assert_eq!(
            sorted_keys(category),
            [
                "appointments",
                "daily_limit",
                "forms",
                "hours",
                "id",
                "info",
                "name",
                "open_data_id",
                "prefix",
                "priority",
                "target_wait_s"
            ]
        );
        // The test office says nothing of what to bring.
        assert_eq!(category["info"], Value::Null);
        assert_eq!(category["forms"], json!([]));
    }
    assert_eq!(
        registration["appointments"],
        json!({"slot_min": 15, "per_slot": 50, "days_ahead": 7,
               "hours": {"mon": "00:00-24:00", "tue": "00:00-24:00", "wed": "00:00-24:00",
                         "thu": "00:00-24:00", "fri": "00:00-24:00", "sat": "00:00-24:00",
                         "sun": "00:00-24:00"}})
    );
    assert_eq!(
        categories[1]["appointments"],
        Value::Null,
        "tax takes no bookings"
    );
    for counter in counters {
        assert_eq!(
            sorted_keys(counter),
            ["categories", "id", "may_serve", "name", "order"]
        );
    }
    let all_week = |hours: &str| {
        json!({"mon": hours, "tue": hours, "wed": hours, "thu": hours, "fri": hours,
               "sat": hours, "sun": hours})
    };
    assert_eq!(
        registration["hours"],
        all_week("00:00-24:00"),
        "the office's hours"
    );
    assert_eq!(
        categories[3]["hours"],
        all_week("12:00-13:00"),
        "its own hours"
    );
}

/// What to bring, as the office file says it: `info` in every language with its line breaks,
/// `forms` in their order; and a category's own `open_data_id`.
#[tokio::test]
async fn office_says_what_to_bring_per_category() {
    let toml = support::OFFICE.replacen(
        "name = { pl = \"Meldunki\", en = \"Registration\" }\ntarget_wait_min = 15\n",
        concat!(
            "name = { pl = \"Meldunki\", en = \"Registration\" }\ntarget_wait_min = 15\n",
            "open_data_id = 40\n",
            "info = { pl = \"Dowód osobisty.\\nFormularz.\", en = \"Your ID card.\\nThe form.\" }\n",
            "forms = [\n",
            "  { name = { pl = \"Zgłoszenie pobytu\", en = \"Registration form\" }, ",
            "url = \"https://bip.example.pl/meldunek.pdf\" },\n",
            "  { name = { pl = \"Pełnomocnictwo\", en = \"Power of attorney\" }, ",
            "url = \"http://bip.example.pl/pelnomocnictwo.pdf\" },\n",
            "]\n",
        ),
        1,
    );
    assert_ne!(toml, support::OFFICE);
    let h = TestServer::with_office(&toml).await;
    let body = h
        .get("/api/v1/office", None)
        .await
        .expect(StatusCode::OK)
        .clone();
    let office: numerek_api::Office = support::read(&body);
    let registration = &office.categories[0];
    assert_eq!(registration.id, "registration");
    assert_eq!(
        body["categories"][0]["info"],
        json!({"pl": "Dowód osobisty.\nFormularz.", "en": "Your ID card.\nThe form."})
    );
    assert_eq!(
        body["categories"][0]["forms"],
        json!([
            {
                "name": {"pl": "Zgłoszenie pobytu", "en": "Registration form"},
                "url": "https://bip.example.pl/meldunek.pdf"
            },
            {
                "name": {"pl": "Pełnomocnictwo", "en": "Power of attorney"},
                "url": "http://bip.example.pl/pelnomocnictwo.pdf"
            },
        ])
    );
    assert_eq!(registration.open_data_id, 40);
    // The others say nothing, and keep their positions as their open-data ids.
    let tax = &office.categories[1];
    assert_eq!(
        (&tax.info, tax.forms.len(), tax.open_data_id),
        (&None, 0, 2)
    );
}

#[tokio::test]
async fn status_of_a_fresh_day() {
    let h = TestServer::new().await;
    let status = h.status().await;
    assert!(status["seq"].is_u64(), "{status}");
    assert_eq!(status["office_date"], "2026-11-23");
    let categories = status["categories"].as_array().unwrap();
    assert_eq!(categories.len(), 4);
    for category in categories {
        let keys: Vec<&str> = category
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in [
            "id",
            "prefix",
            "open",
            "waiting",
            "issued_today",
            "remaining_today",
            "estimated_wait_s",
            "estimated_wait_range_s",
        ] {
            assert!(keys.contains(&key), "{key} in {category}");
        }
        assert_eq!(category["waiting"], 0);
        assert_eq!(category["issued_today"], 0);
        assert_eq!(secs(&category["estimated_wait_s"]), 0.0);
        assert_eq!(category["estimated_wait_range_s"], json!([0.0, 60.0]));
    }
    assert_eq!(categories[0]["id"], "registration");
    assert_eq!(categories[0]["prefix"], "A");
    assert_eq!(categories[0]["open"], true);
    assert_eq!(categories[0]["remaining_today"], Value::Null);
    assert_eq!(categories[2]["remaining_today"], 2);
    assert_eq!(
        categories[3]["open"], false,
        "archive issues 12:00-13:00 only"
    );
    let counters = status["counters"].as_array().unwrap();
    assert_eq!(counters.len(), 3);
    let profiles = [
        (json!(["registration", "tax"]), "fifo"),
        (json!(["tax", "registration"]), "listed"),
        (json!(["passport", "archive"]), "fifo"),
    ];
    for ((counter, id), (categories, order)) in counters.iter().zip(["1", "2", "3"]).zip(profiles) {
        assert_eq!(
            counter,
            &json!({"id": id, "state": "closed", "current": null,
                    "categories": categories, "order": order})
        );
    }
    assert_eq!(status["recent_calls"], json!([]));
}

#[tokio::test]
async fn status_has_exactly_the_spec_fields() {
    let h = TestServer::new().await;
    let a1 = h.issue("registration").await;
    h.issue("registration").await;
    h.issue("passport").await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    h.clock.advance(SignedDuration::from_secs(5));
    h.act("3", "call-next").await.expect(StatusCode::OK);
    h.act("2", "pause").await.expect(StatusCode::OK);
    let status = h.status().await;
    let keys = |value: &Value| {
        let mut keys: Vec<String> = value
            .as_object()
            .unwrap_or_else(|| panic!("an object, got {value}"))
            .keys()
            .cloned()
            .collect();
        keys.sort_unstable();
        keys
    };
    assert_eq!(
        keys(&status),
        [
            "categories",
            "counters",
            "office_date",
            "recent_calls",
            "seq"
        ]
    );
    assert_eq!(status["seq"], h.store.office().seq());
    for category in status["categories"].as_array().unwrap() {
        assert_eq!(
            keys(category),
            [
                "appointments_today",
                "closed_reason",
                "estimated_wait_range_s",
                "estimated_wait_s",
                "id",
                "issued_today",
                "open",
                "opens_at",
                "prefix",
                "remaining_today",
                "waiting"
            ],
            "the spec's fields and the documented `closed_reason` and `opens_at`"
        );
        assert_eq!(category["appointments_today"], 0, "{category}");
        assert!(category["open"].is_boolean(), "{category}");
        assert!(category["waiting"].is_u64(), "{category}");
        assert!(category["issued_today"].is_u64(), "{category}");
        assert!(category["estimated_wait_s"].is_number(), "{category}");
        assert_range(
            &category["estimated_wait_range_s"],
            &category["estimated_wait_s"],
        );
    }
    let registration = h.category_status("registration").await;
    assert_eq!(registration["waiting"], 1);
    assert_eq!(registration["issued_today"], 2);
    assert_eq!(
        registration["remaining_today"],
        Value::Null,
        "no daily limit"
    );
    let passport = h.category_status("passport").await;
    assert_eq!(passport["waiting"], 0, "called, so no longer waiting");
    assert_eq!(passport["remaining_today"], 1, "limit 2, one issued");

    let counters = status["counters"].as_array().unwrap();
    let states: Vec<&str> = counters
        .iter()
        .map(|c| c["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        ["open", "paused", "open"],
        "in the configured order"
    );
    for counter in counters {
        assert_eq!(
            keys(counter),
            ["categories", "current", "id", "order", "state"]
        );
    }
    assert_eq!(
        counters[0]["current"],
        json!({"number": "A001", "state": "called"}),
        "the public status names no ticket id"
    );
    // Staff (a clerk, manager or admin token) see the current ticket's id too; a kiosk token
    // or an unknown one gets the public answer.
    for token in [&h.tokens.clerk, &h.tokens.manager, &h.tokens.admin] {
        let staff = h.get("/api/v1/status", Some(token)).await;
        assert_eq!(
            staff.expect(StatusCode::OK)["counters"][0]["current"],
            json!({"id": a1["id"], "number": "A001", "state": "called"})
        );
    }
    for token in [h.tokens.kiosk.as_str(), "nmk_unknown"] {
        let public = h.get("/api/v1/status", Some(token)).await;
        assert_eq!(public.expect(StatusCode::OK), &status);
    }
    assert_eq!(counters[1]["current"], Value::Null);
    assert_eq!(counters[2]["current"]["number"], "C001");

    let recent = status["recent_calls"].as_array().unwrap();
    assert_eq!(recent.len(), 2);
    for call in recent {
        assert_eq!(keys(call), ["called_at", "counter", "number"]);
        assert_local_timestamp(&call["called_at"]);
    }
    assert_eq!(recent[0]["number"], "C001", "newest first");
    assert_eq!(recent[0]["counter"], "3");
    assert_eq!(recent[0]["called_at"], "2026-11-23T09:00:05.000+01:00");
    assert_eq!(recent[1]["number"], "A001");
}

// ----- issuing -------------------------------------------------------------------------------

#[tokio::test]
async fn issuing_answers_201_with_the_ticket() {
    let h = TestServer::new().await;
    let seq = h.seq().await;
    let first = h.issue("registration").await;
    assert_ticket_shape(&first);
    assert_eq!(first["number"], "A001");
    assert_eq!(first["category"], "registration");
    assert_eq!(first["priority"], false);
    assert_eq!(first["state"], "waiting");
    assert_eq!(first["issued_at"], "2026-11-23T09:00:00.000+01:00");
    assert_eq!(first["called_at"], Value::Null);
    assert_eq!(first["finished_at"], Value::Null);
    assert_eq!(first["counter"], Value::Null);
    assert_eq!(first["people_ahead"], 0);
    assert_eq!(secs(&first["estimated_wait_s"]), 0.0);
    let id = first["id"].as_str().unwrap();
    assert!(id.len() >= 16, "at least 96 random bits: {id}");
    assert!(
        id.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "URL-safe: {id}"
    );
    assert_eq!(h.seq().await, seq + 1, "one event");

    h.clock.advance(SignedDuration::from_millis(1500));
    let second = h
        .issue_with(json!({"category": "registration", "priority": false, "language": "en"}))
        .await;
    assert_ticket_shape(&second);
    assert_eq!(second["number"], "A002");
    assert_ne!(second["id"], first["id"]);
    assert_eq!(second["issued_at"], "2026-11-23T09:00:01.500+01:00");
    assert_eq!(second["people_ahead"], 1);
    let view = core_ticket(&h, &second);
    assert_shows(&second, view.estimated_wait_s, view.estimated_wait_range_s);
    assert_eq!(
        view.wait.map(|w| w.mean_s),
        Some(300.0),
        "one ahead, the default 5 minutes of service, no counter open (one assumed)"
    );

    let other = h.issue("tax").await;
    assert_eq!(other["number"], "B001", "numbering is per category");
    assert_eq!(other["people_ahead"], 0);

    // A priority ticket waits behind priority tickets only.
    let priority = h
        .issue_with(json!({"category": "registration", "priority": true, "language": "pl"}))
        .await;
    assert_eq!(priority["number"], "A003");
    assert_eq!(priority["priority"], true);
    assert_eq!(priority["people_ahead"], 0);
    let first_now = h.ticket(first["id"].as_str().unwrap()).await;
    assert_eq!(
        first_now["people_ahead"], 1,
        "the priority ticket goes first"
    );

    let registration = h.category_status("registration").await;
    assert_eq!(registration["waiting"], 3);
    assert_eq!(registration["issued_today"], 3);
    let core = core_category(&h, "registration");
    assert_shows(
        &registration,
        Some(core.estimated_wait_s),
        Some(core.estimated_wait_range_s),
    );
    assert_eq!(core.wait.mean_s, 900.0);
}

#[tokio::test]
async fn an_admin_may_issue_but_clerks_and_managers_may_not() {
    let h = TestServer::new().await;
    let body = json!({"category": "registration"});
    let admin = h.post(ISSUE, Some(&h.tokens.admin), &body).await;
    assert_eq!(admin.expect(StatusCode::CREATED)["number"], "A001");
    for token in [&h.tokens.clerk, &h.tokens.manager, &h.tokens.clerk1] {
        let before = observable(&h).await;
        h.post(ISSUE, Some(token), &body)
            .await
            .expect_error(StatusCode::FORBIDDEN, "forbidden");
        assert_eq!(observable(&h).await, before);
    }
}

#[tokio::test]
async fn priority_where_not_offered_and_unknown_languages_are_invalid_requests() {
    let h = TestServer::new().await;
    let before = observable(&h).await;
    for body in [
        json!({"category": "tax", "priority": true}),
        json!({"category": "registration", "language": "de"}),
        json!({"category": "registration", "language": ""}),
    ] {
        h.post(ISSUE, Some(&h.tokens.kiosk), &body)
            .await
            .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    assert_eq!(observable(&h).await, before);
    // Without priority the same category issues.
    assert_eq!(
        h.issue_with(json!({"category": "tax", "priority": false}))
            .await["number"],
        "B001"
    );
}

#[tokio::test]
async fn unknown_category_is_404() {
    let h = TestServer::new().await;
    let before = observable(&h).await;
    h.post(ISSUE, Some(&h.tokens.kiosk), &json!({"category": "nope"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_category");
    // The form comes before the resources: a bad value is 400 even for an unknown category.
    h.post(
        ISSUE,
        Some(&h.tokens.kiosk),
        &json!({"category": "nope", "priority": "yes"}),
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    h.post(
        ISSUE,
        Some(&h.tokens.kiosk),
        &json!({"category": "nope", "language": "xx"}),
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    assert_eq!(observable(&h).await, before);
}

#[tokio::test]
async fn a_category_outside_its_hours_is_closed() {
    let h = TestServer::new().await;
    let before = observable(&h).await;
    let refused = h
        .post(
            ISSUE,
            Some(&h.tokens.kiosk),
            &json!({"category": "archive"}),
        )
        .await;
    refused.expect_error(StatusCode::CONFLICT, "category_closed");
    assert_eq!(
        refused.body["error"]["message"],
        "category \"archive\" is not issuing tickets now; it opens today at 12:00"
    );
    assert_eq!(observable(&h).await, before);
    let archive = h.category_status("archive").await;
    assert_eq!(archive["closed_reason"], "hours");
    assert_eq!(archive["opens_at"], "2026-11-23T12:00:00.000+01:00");

    h.clock.set(at("2026-11-23T12:30:00+01:00"));
    let archive = h.category_status("archive").await;
    assert_eq!(archive["open"], true);
    assert_eq!(archive["closed_reason"], Value::Null);
    assert_eq!(archive["opens_at"], Value::Null);
    assert_eq!(h.issue("archive").await["number"], "D001");

    h.clock.set(at("2026-11-23T13:00:00+01:00"));
    let archive = h.category_status("archive").await;
    assert_eq!(archive["open"], false);
    assert_eq!(archive["opens_at"], "2026-11-24T12:00:00.000+01:00");
    let refused = h
        .post(
            ISSUE,
            Some(&h.tokens.kiosk),
            &json!({"category": "archive"}),
        )
        .await;
    refused.expect_error(StatusCode::CONFLICT, "category_closed");
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.ends_with("it opens tomorrow at 12:00")),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn the_daily_limit_is_enforced() {
    let h = TestServer::new().await;
    assert_eq!(h.issue("passport").await["number"], "C001");
    assert_eq!(h.category_status("passport").await["remaining_today"], 1);
    assert_eq!(h.issue("passport").await["number"], "C002");
    let passport = h.category_status("passport").await;
    assert_eq!(passport["remaining_today"], 0);
    assert_eq!(passport["issued_today"], 2);

    let before = observable(&h).await;
    h.post(
        ISSUE,
        Some(&h.tokens.kiosk),
        &json!({"category": "passport"}),
    )
    .await
    .expect_error(StatusCode::CONFLICT, "daily_limit_reached");
    assert_eq!(observable(&h).await, before);

    // A cancelled ticket still counts against the limit.
    let c1 = h.ticket_by_number_in_next("3", "C001").await;
    h.post(&format!("/api/v1/tickets/{c1}/cancel"), None, &json!({}))
        .await
        .expect(StatusCode::OK);
    h.post(
        ISSUE,
        Some(&h.tokens.kiosk),
        &json!({"category": "passport"}),
    )
    .await
    .expect_error(StatusCode::CONFLICT, "daily_limit_reached");
}

// ----- strict bodies -------------------------------------------------------------------------

#[tokio::test]
async fn issuing_bodies_are_strict() {
    let h = TestServer::new().await;
    let kiosk = Some(h.tokens.kiosk.as_str());
    let before = observable(&h).await;
    let json_type = Some("application/json");
    let invalid_request = [
        r#"{"category": "registration", "priorty": true}"#,
        r#"{"category": "registration", "extra": null}"#,
        r#"{"category": 7}"#,
        r#"{"category": "registration", "priority": "yes"}"#,
        r#"{"category": "registration", "priority": 1}"#,
        r#"{"category": "registration", "language": 5}"#,
        r#"{"priority": false}"#,
        r#"{}"#,
        r#"[]"#,
        r#"["registration"]"#,
        r#"null"#,
        r#""registration""#,
        r#"42"#,
    ];
    for body in invalid_request {
        h.raw(Method::POST, ISSUE, kiosk, json_type, body)
            .await
            .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    for body in [
        "",
        "category=registration",
        r#"{"category": "registration""#,
        "{'category': 'registration'}",
        "\u{feff}{}x",
    ] {
        h.raw(Method::POST, ISSUE, kiosk, json_type, body)
            .await
            .expect_error(StatusCode::BAD_REQUEST, "invalid_json");
    }
    let good = r#"{"category": "registration"}"#;
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        h.raw(Method::POST, ISSUE, kiosk, content_type, good)
            .await
            .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    }
    assert_eq!(observable(&h).await, before, "no refusal changed anything");

    let with_charset = h
        .raw(
            Method::POST,
            ISSUE,
            kiosk,
            Some("application/json; charset=utf-8"),
            good,
        )
        .await;
    assert_eq!(with_charset.expect(StatusCode::CREATED)["number"], "A001");
}

#[tokio::test]
async fn a_body_over_16_kib_is_payload_too_large() {
    let h = TestServer::new().await;
    let before = observable(&h).await;
    let big = json!({"category": "registration", "language": "x".repeat(17 * 1024)}).to_string();
    assert!(big.len() > 16 * 1024);
    let json_type = Some("application/json");
    h.raw(
        Method::POST,
        ISSUE,
        Some(&h.tokens.kiosk),
        json_type,
        big.clone(),
    )
    .await
    .expect_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    h.raw(
        Method::POST,
        "/api/v1/counters/1/open",
        Some(&h.tokens.clerk),
        json_type,
        big.clone(),
    )
    .await
    .expect_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    h.raw(
        Method::POST,
        "/api/v1/admin/tokens",
        Some(&h.tokens.admin),
        json_type,
        big.clone(),
    )
    .await
    .expect_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    h.raw(
        Method::POST,
        "/api/v1/tickets/whatever/cancel",
        None,
        json_type,
        big,
    )
    .await
    .expect_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    assert_eq!(observable(&h).await, before);
}

#[tokio::test]
async fn actions_without_parameters_take_no_body_or_an_empty_object() {
    let h = TestServer::new().await;
    let clerk = Some(h.tokens.clerk.as_str());
    let path = "/api/v1/counters/1/open";
    let before = observable(&h).await;
    h.raw(
        Method::POST,
        path,
        clerk,
        Some("application/json"),
        r#"{"x": 1}"#,
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    h.raw(Method::POST, path, clerk, Some("application/json"), "[]")
        .await
        .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    h.raw(Method::POST, path, clerk, Some("application/json"), "{")
        .await
        .expect_error(StatusCode::BAD_REQUEST, "invalid_json");
    h.raw(Method::POST, path, clerk, Some("text/plain"), "{}")
        .await
        .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    h.raw(Method::POST, path, clerk, None, "{}")
        .await
        .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    assert_eq!(observable(&h).await, before);

    let answer = h
        .raw(Method::POST, path, clerk, Some("application/json"), "{}")
        .await;
    assert_eq!(answer.expect(StatusCode::OK)["counter"]["state"], "open");
    let answer = h
        .raw(Method::POST, "/api/v1/counters/1/pause", clerk, None, "")
        .await;
    assert_eq!(answer.expect(StatusCode::OK)["counter"]["state"], "paused");
}

// ----- authentication and roles --------------------------------------------------------------

#[tokio::test]
async fn missing_malformed_and_unknown_tokens_are_401() {
    let h = TestServer::new().await;
    let before = observable(&h).await;
    let body = r#"{"category": "registration"}"#;
    let headers: [Option<String>; 8] = [
        None,
        Some(String::new()),
        Some("Bearer".into()),
        Some("Bearer ".into()),
        Some(format!("Token {}", h.tokens.kiosk)),
        Some(format!("Basic {}", h.tokens.kiosk)),
        Some("Bearer nmk_not-a-real-token".into()),
        Some(format!("Bearer {}x", h.tokens.kiosk)),
    ];
    for authorization in headers {
        let mut request = axum::http::Request::builder()
            .method(Method::POST)
            .uri(ISSUE)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(value) = &authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        let answer = h.send(request.body(Body::from(body)).unwrap()).await;
        answer.expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
        assert!(
            answer.headers.contains_key(header::WWW_AUTHENTICATE),
            "401 says how to authenticate ({authorization:?})"
        );
    }
    // The scheme is case-insensitive (RFC 9110).
    let request = axum::http::Request::get("/api/v1/counters/1")
        .header(header::AUTHORIZATION, format!("bearer {}", h.tokens.clerk))
        .body(Body::empty())
        .unwrap();
    h.send(request).await.expect(StatusCode::OK);
    // Every protected route, without a token.
    for (method, path) in [
        (Method::GET, "/api/v1/counters/1"),
        (Method::POST, "/api/v1/counters/1/open"),
        (Method::POST, "/api/v1/counters/1/call-next"),
        (Method::POST, "/api/v1/counters/1/call"),
        (Method::POST, "/api/v1/counters/1/transfer"),
        (Method::GET, "/api/v1/admin/tokens"),
        (Method::POST, "/api/v1/admin/tokens"),
        (Method::DELETE, "/api/v1/admin/tokens/abc"),
    ] {
        h.raw(method.clone(), path, None, None, Body::empty())
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    assert_eq!(observable(&h).await, before);
}

#[tokio::test]
async fn each_role_is_refused_routes_it_may_not_use() {
    let h = TestServer::new().await;
    let t = h.tokens.clone();
    let counter_routes: Vec<(Method, String, Option<Value>)> = [
        "open",
        "pause",
        "close",
        "call-next",
        "recall",
        "finish",
        "no-show",
    ]
    .iter()
    .map(|a| (Method::POST, format!("/api/v1/counters/1/{a}"), None))
    .chain([
        (
            Method::POST,
            "/api/v1/counters/1/call".to_owned(),
            Some(json!({"ticket": "A001"})),
        ),
        (
            Method::POST,
            "/api/v1/counters/1/transfer".to_owned(),
            Some(json!({"category": "tax"})),
        ),
        (Method::GET, "/api/v1/counters/1".to_owned(), None),
    ])
    .collect();
    let admin_routes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/admin/tokens".into(), None),
        (
            Method::POST,
            "/api/v1/admin/tokens".into(),
            Some(json!({"role": "kiosk"})),
        ),
        (Method::DELETE, "/api/v1/admin/tokens/abc".into(), None),
    ];
    let before = observable(&h).await;
    let refuse = |routes: &[(Method, String, Option<Value>)], token: &str| {
        let routes = routes.to_vec();
        let token = token.to_owned();
        let h = &h;
        async move {
            for (method, path, body) in routes {
                let answer = match body {
                    Some(body) => {
                        h.raw(
                            method,
                            &path,
                            Some(&token),
                            Some("application/json"),
                            body.to_string(),
                        )
                        .await
                    }
                    None => {
                        h.raw(method, &path, Some(&token), None, Body::empty())
                            .await
                    }
                };
                assert_eq!(
                    answer.status,
                    StatusCode::FORBIDDEN,
                    "{path}: {}",
                    answer.text
                );
                assert_error_body(&answer.body, "forbidden");
            }
        }
    };
    refuse(&counter_routes, &t.kiosk).await;
    refuse(&admin_routes, &t.kiosk).await;
    refuse(&admin_routes, &t.clerk).await;
    refuse(&admin_routes, &t.clerk1).await;
    refuse(&admin_routes, &t.manager).await;
    assert_eq!(observable(&h).await, before, "no refusal changed anything");

    // Clerks, managers and admins work counters.
    for (token, action) in [
        (&t.clerk, "open"),
        (&t.manager, "pause"),
        (&t.admin, "close"),
    ] {
        let answer = h
            .post_empty(&format!("/api/v1/counters/2/{action}"), Some(token))
            .await;
        answer.expect(StatusCode::OK);
        for path in ["/api/v1/counters/2", "/api/v1/counters/3"] {
            h.get(path, Some(token)).await.expect(StatusCode::OK);
        }
    }
    // Only the admin manages tokens.
    h.get("/api/v1/admin/tokens", Some(&t.admin))
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn a_clerk_bound_to_a_counter_gets_403_at_any_other() {
    let h = TestServer::new().await;
    let clerk1 = Some(h.tokens.clerk1.as_str());
    h.issue("registration").await;
    let before = observable(&h).await;
    for counter in ["2", "3", "99"] {
        h.post_empty(&format!("/api/v1/counters/{counter}/call-next"), clerk1)
            .await
            .expect_error(StatusCode::FORBIDDEN, "forbidden");
        h.get(&format!("/api/v1/counters/{counter}"), clerk1)
            .await
            .expect_error(StatusCode::FORBIDDEN, "forbidden");
        // Even with a bad body: the role comes before the form.
        h.raw(
            Method::POST,
            &format!("/api/v1/counters/{counter}/call"),
            clerk1,
            Some("application/json"),
            "not json",
        )
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    assert_eq!(observable(&h).await, before);
    let answer = h.post_empty("/api/v1/counters/1/call-next", clerk1).await;
    assert_eq!(answer.expect(StatusCode::OK)["ticket"]["number"], "A001");
    h.get("/api/v1/counters/1", clerk1)
        .await
        .expect(StatusCode::OK);
}

// ----- order of checks -----------------------------------------------------------------------

#[tokio::test]
async fn checks_run_in_the_spec_order() {
    let h = TestServer::new().await;
    let t = h.tokens.clone();
    let before = observable(&h).await;
    let json_type = Some("application/json");

    // 401 before 403, 415 and 400.
    h.raw(
        Method::POST,
        "/api/v1/counters/1/call",
        None,
        None,
        "garbage",
    )
    .await
    .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    h.raw(Method::POST, ISSUE, Some("nope"), json_type, "{")
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    // 403 before 415 and 400.
    h.raw(
        Method::POST,
        "/api/v1/counters/1/call",
        Some(&t.kiosk),
        json_type,
        "{",
    )
    .await
    .expect_error(StatusCode::FORBIDDEN, "forbidden");
    h.raw(
        Method::POST,
        "/api/v1/counters/99/transfer",
        Some(&t.kiosk),
        None,
        "x",
    )
    .await
    .expect_error(StatusCode::FORBIDDEN, "forbidden");
    h.raw(Method::POST, ISSUE, Some(&t.clerk), json_type, "{")
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    h.raw(
        Method::POST,
        "/api/v1/admin/tokens",
        Some(&t.manager),
        None,
        "x",
    )
    .await
    .expect_error(StatusCode::FORBIDDEN, "forbidden");
    // 415 and 400 before 404.
    h.raw(
        Method::POST,
        "/api/v1/counters/99/call",
        Some(&t.clerk),
        json_type,
        "{",
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_json");
    h.raw(
        Method::POST,
        "/api/v1/counters/99/call",
        Some(&t.clerk),
        json_type,
        r#"{"ticket": 5}"#,
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    h.raw(
        Method::POST,
        "/api/v1/counters/99/transfer",
        Some(&t.clerk),
        None,
        r#"{"category": "tax"}"#,
    )
    .await
    .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    h.raw(
        Method::POST,
        "/api/v1/counters/99/transfer",
        Some(&t.clerk),
        json_type,
        r#"{"category": "nope", "position": "middle"}"#,
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    h.raw(
        Method::POST,
        "/api/v1/counters/99/open",
        Some(&t.clerk),
        json_type,
        "{",
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_json");
    h.raw(
        Method::POST,
        "/api/v1/admin/tokens",
        Some(&t.admin),
        json_type,
        r#"{"role": "root", "counter": "99"}"#,
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    // 404 before 409.
    h.act_with("1", "transfer", &json!({"category": "nope"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_category");
    h.act_with("99", "transfer", &json!({"category": "tax"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_counter");
    h.act("99", "finish")
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_counter");
    h.act_with("99", "call", &json!({"ticket": "A001"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_counter");
    h.get("/api/v1/counters/99", Some(&t.clerk))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_counter");
    // The counter is the first resource checked.
    h.act_with("99", "transfer", &json!({"category": "nope"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_counter");
    h.act_with("99", "call", &json!({"ticket": "Z999"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_counter");
    h.post(
        ISSUE,
        Some(&t.kiosk),
        &json!({"category": "nope", "priority": true}),
    )
    .await
    .expect_error(StatusCode::NOT_FOUND, "unknown_category");
    assert_eq!(observable(&h).await, before, "no refusal changed anything");
    // Only then the state.
    h.act_with("1", "transfer", &json!({"category": "tax"}))
        .await
        .expect_error(StatusCode::CONFLICT, "no_current_ticket");
    assert_eq!(observable(&h).await, before);
    // A called ticket: 404 for the counter before 409 for the ticket.
    h.issue("registration").await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    let before = observable(&h).await;
    h.act_with("99", "call", &json!({"ticket": "A001"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_counter");
    h.act_with("2", "call", &json!({"ticket": "A001"}))
        .await
        .expect_error(StatusCode::CONFLICT, "ticket_not_waiting");
    // A closed category with a wrong-typed field: the form first.
    h.post(
        ISSUE,
        Some(&t.kiosk),
        &json!({"category": "archive", "priority": "no"}),
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    h.post(ISSUE, Some(&t.kiosk), &json!({"category": "archive"}))
        .await
        .expect_error(StatusCode::CONFLICT, "category_closed");
    assert_eq!(observable(&h).await, before);
}

// ----- routing errors ------------------------------------------------------------------------

#[tokio::test]
async fn unknown_api_paths_are_404_not_found() {
    let h = TestServer::new().await;
    for (method, path) in [
        (Method::GET, "/api/v1/nope"),
        (Method::GET, "/api/v2/status"),
        (Method::GET, "/api/v1/"),
        (Method::POST, "/api/v1/counters/1/dance"),
        (Method::GET, "/api/v1/tickets/abc/def"),
    ] {
        let answer = h
            .raw(method, path, Some(&h.tokens.admin), None, Body::empty())
            .await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            answer.text
        );
        assert_error_body(&answer.body, "not_found");
    }
}

#[tokio::test]
async fn undecodable_path_parameters_answer_the_error_body() {
    let h = TestServer::new().await;
    let before = observable(&h).await;
    for (method, path, token) in [
        (Method::GET, "/api/v1/tickets/%FF", None),
        (Method::POST, "/api/v1/tickets/%FF%FE/cancel", None),
        (
            Method::GET,
            "/api/v1/counters/%C3%28",
            Some(&h.tokens.clerk),
        ),
        (
            Method::POST,
            "/api/v1/counters/%FF/open",
            Some(&h.tokens.clerk),
        ),
        (
            Method::DELETE,
            "/api/v1/admin/tokens/%FF",
            Some(&h.tokens.admin),
        ),
    ] {
        let answer = h
            .raw(method, path, token.map(String::as_str), None, Body::empty())
            .await;
        assert!(
            answer.status.is_client_error(),
            "{path}: {} {}",
            answer.status,
            answer.text
        );
        let code = answer.body["error"]["code"].as_str().unwrap_or_else(|| {
            panic!("{path}: the error body, got {}", answer.text);
        });
        assert_error_body(&answer.body, code);
    }
    assert_eq!(observable(&h).await, before);
}

#[tokio::test]
async fn a_wrong_method_is_405() {
    let h = TestServer::new().await;
    let before = observable(&h).await;
    for (method, path) in [
        (Method::DELETE, "/api/v1/status"),
        (Method::POST, "/api/v1/office"),
        (Method::GET, ISSUE),
        (Method::PUT, "/api/v1/counters/1/open"),
        (Method::GET, "/api/v1/counters/1/call-next"),
        (Method::DELETE, "/api/v1/tickets/abc"),
        (Method::PATCH, "/api/v1/admin/tokens"),
        (Method::GET, "/api/v1/admin/tokens/abc"),
        (Method::POST, "/healthz"),
    ] {
        let answer = h
            .raw(
                method.clone(),
                path,
                Some(&h.tokens.admin),
                None,
                Body::empty(),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {}",
            answer.text
        );
        assert_error_body(&answer.body, "method_not_allowed");
    }
    assert_eq!(observable(&h).await, before);
}

// ----- storage failure -----------------------------------------------------------------------

#[tokio::test]
async fn a_failing_disk_answers_503_changes_nothing_and_recovers() {
    let h = TestServer::new().await;
    let waiting = h.issue("registration").await;
    let waiting_id = waiting["id"].as_str().unwrap().to_owned();
    let before = observable(&h).await;

    h.store.inject_storage_failure(true);
    h.post(
        ISSUE,
        Some(&h.tokens.kiosk),
        &json!({"category": "registration"}),
    )
    .await
    .expect_error(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable");
    h.act("1", "call-next")
        .await
        .expect_error(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable");
    h.act("2", "open")
        .await
        .expect_error(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable");
    h.post(
        &format!("/api/v1/tickets/{waiting_id}/cancel"),
        None,
        &json!({}),
    )
    .await
    .expect_error(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable");
    h.post(
        "/api/v1/admin/tokens",
        Some(&h.tokens.admin),
        &json!({"role": "kiosk"}),
    )
    .await
    .expect_error(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable");
    // Refusals that need no storage are still the usual ones.
    h.post(ISSUE, Some(&h.tokens.kiosk), &json!({"category": "nope"}))
        .await
        .expect_status_in(&[StatusCode::NOT_FOUND, StatusCode::SERVICE_UNAVAILABLE]);
    // Reads keep working and show nothing of the refused changes.
    assert_eq!(observable(&h).await, before);
    assert_eq!(h.ticket(&waiting_id).await["state"], "waiting");

    h.store.inject_storage_failure(false);
    let next = h.issue("registration").await;
    assert_eq!(next["number"], "A002", "the refused ticket took no number");
    let answer = h.act("1", "call-next").await;
    assert_eq!(answer.expect(StatusCode::OK)["ticket"]["number"], "A001");
    assert_eq!(h.seq().await, before.0["seq"].as_u64().unwrap() + 3);
}

// ----- counter actions -----------------------------------------------------------------------

#[tokio::test]
async fn open_pause_close_set_the_state_and_answer_the_current_ticket() {
    let h = TestServer::new().await;
    let seq = h.seq().await;
    let answer = h.act("1", "open").await;
    assert_eq!(
        answer.expect(StatusCode::OK),
        &json!({"ticket": null, "counter": {"id": "1", "state": "open", "current": null, "categories": ["registration", "tax"], "order": "fifo"}})
    );
    assert_eq!(h.seq().await, seq + 1);
    // Opening an open counter changes nothing and emits no event.
    let again = h.act("1", "open").await;
    assert_eq!(again.expect(StatusCode::OK)["counter"]["state"], "open");
    assert_eq!(
        h.seq().await,
        seq + 1,
        "no event for a change that changes nothing"
    );

    let ticket = h.issue("registration").await;
    let called = h.act("1", "call-next").await;
    let called = called.expect(StatusCode::OK);
    assert_eq!(called["ticket"]["id"], ticket["id"]);

    for (action, state) in [("pause", "paused"), ("close", "closed"), ("open", "open")] {
        let answer = h.act("1", action).await;
        let body = answer.expect(StatusCode::OK);
        assert_eq!(body["counter"]["state"], state, "{action}");
        assert_eq!(
            body["ticket"]["id"], ticket["id"],
            "{action} answers the current ticket"
        );
        assert_eq!(
            body["ticket"]["state"], "called",
            "{action} keeps the called ticket"
        );
        assert_ticket_shape(&body["ticket"]);
        assert_eq!(
            body["counter"]["current"],
            json!({"id": ticket["id"], "number": "A001", "state": "called"})
        );
        assert_eq!(body["counter"], h.counter_status("1").await);
    }
    // A paused counter still finishes its ticket, and stays paused.
    h.act("1", "pause").await.expect(StatusCode::OK);
    let answer = h.act("1", "finish").await;
    let body = answer.expect(StatusCode::OK);
    assert_eq!(body["ticket"]["state"], "done");
    assert_eq!(
        body["counter"],
        json!({"id": "1", "state": "paused", "current": null,
               "categories": ["registration", "tax"], "order": "fifo"})
    );
    // Pausing with nothing current answers a null ticket.
    let answer = h.act("1", "close").await;
    assert_eq!(
        answer.expect(StatusCode::OK),
        &json!({"ticket": null, "counter": {"id": "1", "state": "closed", "current": null, "categories": ["registration", "tax"], "order": "fifo"}})
    );
}

/// Every counter action answers exactly `{"ticket", "counter"}`: the ticket it concerned as it
/// is after the action (what `GET /tickets/{id}` then answers) and the counter's entry in the
/// status.
#[tokio::test]
async fn every_counter_action_answers_the_ticket_as_after_it_and_the_counter_state() {
    let h = TestServer::new().await;
    let a1 = h.issue("registration").await;
    let a2 = h.issue("registration").await;
    let a3 = h.issue("registration").await;
    let b1 = h.issue("tax").await;
    let id = |t: &Value| t["id"].as_str().unwrap().to_owned();
    // (action, body, the ticket concerned or None, the ticket's state after it).
    type Step = (
        &'static str,
        Option<Value>,
        Option<String>,
        Option<&'static str>,
    );
    let steps: Vec<Step> = vec![
        ("open", None, None, None),
        ("call-next", None, Some(id(&a1)), Some("called")),
        ("pause", None, Some(id(&a1)), Some("called")),
        ("recall", None, Some(id(&a1)), Some("called")),
        ("close", None, Some(id(&a1)), Some("called")),
        ("open", None, Some(id(&a1)), Some("called")),
        ("finish", None, Some(id(&a1)), Some("done")),
        ("pause", None, None, None),
        (
            "call",
            Some(json!({"ticket": "A003"})),
            Some(id(&a3)),
            Some("called"),
        ),
        ("no-show", None, Some(id(&a3)), Some("no_show")),
        (
            "call",
            Some(json!({"ticket": b1["id"]})),
            Some(id(&b1)),
            Some("called"),
        ),
        (
            "transfer",
            Some(json!({"category": "registration", "position": "back"})),
            Some(id(&b1)),
            Some("waiting"),
        ),
        ("call-next", None, Some(id(&a2)), Some("called")),
        (
            "transfer",
            Some(json!({"category": "passport"})),
            Some(id(&a2)),
            Some("waiting"),
        ),
        ("call-next", None, Some(id(&b1)), Some("called")),
        ("call-next", None, None, None),
        ("close", None, None, None),
    ];
    for (action, body, ticket, state) in steps {
        let answer = match &body {
            Some(body) => h.act_with("1", action, body).await,
            None => h.act("1", action).await,
        };
        let answer = answer.expect(StatusCode::OK).clone();
        assert_eq!(
            answer.as_object().unwrap().len(),
            2,
            "{action}: only ticket and counter: {answer}"
        );
        assert_eq!(
            answer["counter"],
            h.counter_status("1").await,
            "{action}: the counter as the status shows it"
        );
        match ticket {
            Some(ticket) => {
                assert_ticket_shape(&answer["ticket"]);
                assert_eq!(answer["ticket"]["id"], ticket.as_str(), "{action}");
                assert_eq!(answer["ticket"]["state"], state.unwrap(), "{action}");
                assert_eq!(
                    answer["ticket"],
                    h.ticket(&ticket).await,
                    "{action}: the ticket as it is after the action"
                );
            }
            None => assert_eq!(answer["ticket"], Value::Null, "{action}: {answer}"),
        }
    }
}

/// An action that changes nothing answers 200 and emits no event (and so no new `seq`).
#[tokio::test]
async fn actions_that_change_nothing_answer_200_and_emit_no_event() {
    let h = TestServer::new().await;
    let unchanged = |action: &'static str| {
        let h = &h;
        async move {
            let before = h.status().await;
            let answer = h.act("1", action).await;
            let body = answer.expect(StatusCode::OK).clone();
            assert_eq!(h.status().await, before, "{action} changed nothing");
            body
        }
    };
    // Every counter starts closed: closing it again changes nothing.
    let body = unchanged("close").await;
    assert_eq!(
        body,
        json!({"ticket": null, "counter": {"id": "1", "state": "closed", "current": null, "categories": ["registration", "tax"], "order": "fifo"}})
    );
    let seq = h.seq().await;
    h.act("1", "open").await.expect(StatusCode::OK);
    assert_eq!(h.seq().await, seq + 1);
    unchanged("open").await;
    // Nobody waits and nothing is current at an open counter: call-next changes nothing.
    let body = unchanged("call-next").await;
    assert_eq!(body["ticket"], Value::Null);
    h.act("1", "pause").await.expect(StatusCode::OK);
    unchanged("pause").await;
    h.act("1", "close").await.expect(StatusCode::OK);
    unchanged("close").await;
    // With a called ticket too: the repeated pause answers the ticket, and nothing happens.
    let a1 = h.issue("registration").await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    h.act("1", "pause").await.expect(StatusCode::OK);
    let body = unchanged("pause").await;
    assert_eq!(body["ticket"]["id"], a1["id"]);
    assert_eq!(body["ticket"]["state"], "called");
}

#[tokio::test]
async fn call_next_serves_the_current_ticket_and_calls_the_next() {
    let h = TestServer::new().await;
    // Nobody waits: the counter opens, the ticket is null.
    let seq = h.seq().await;
    let answer = h.act("1", "call-next").await;
    assert_eq!(
        answer.expect(StatusCode::OK),
        &json!({"ticket": null, "counter": {"id": "1", "state": "open", "current": null, "categories": ["registration", "tax"], "order": "fifo"}})
    );
    assert_eq!(h.seq().await, seq + 1, "only counter.changed");

    let a1 = h.issue("registration").await;
    h.clock.advance(SignedDuration::from_secs(1));
    let a2 = h.issue("registration").await;
    h.clock.advance(SignedDuration::from_secs(1));
    let b1 = h.issue("tax").await;
    h.clock.advance(SignedDuration::from_secs(60));

    let answer = h.act("1", "call-next").await;
    let body = answer.expect(StatusCode::OK);
    let ticket = &body["ticket"];
    assert_ticket_shape(ticket);
    assert_eq!(ticket["id"], a1["id"]);
    assert_eq!(ticket["number"], "A001");
    assert_eq!(ticket["state"], "called");
    assert_eq!(ticket["counter"], "1");
    assert_eq!(ticket["called_at"], "2026-11-23T09:01:02.000+01:00");
    assert_eq!(ticket["finished_at"], Value::Null);
    assert_eq!(ticket["people_ahead"], Value::Null);
    assert_eq!(
        body["counter"],
        json!({"id": "1", "state": "open",
               "current": {"id": a1["id"], "number": "A001", "state": "called"},
               "categories": ["registration", "tax"], "order": "fifo"})
    );
    let status = h.status().await;
    assert_eq!(
        status["recent_calls"],
        json!([{"number": "A001", "counter": "1", "called_at": "2026-11-23T09:01:02.000+01:00"}])
    );
    assert_eq!(
        h.ticket(a2["id"].as_str().unwrap()).await["people_ahead"],
        0
    );

    // The next call serves A001 and calls A002 (the longest wait across both categories).
    h.clock.advance(SignedDuration::from_secs(30));
    let answer = h.act("1", "call-next").await;
    assert_eq!(answer.expect(StatusCode::OK)["ticket"]["id"], a2["id"]);
    let a1_now = h.ticket(a1["id"].as_str().unwrap()).await;
    assert_eq!(
        a1_now["state"], "done",
        "call-next finished the current ticket as served"
    );
    assert_eq!(a1_now["finished_at"], "2026-11-23T09:01:32.000+01:00");
    assert_ticket_shape(&a1_now);

    let answer = h.act("1", "call-next").await;
    assert_eq!(answer.expect(StatusCode::OK)["ticket"]["id"], b1["id"]);
    let answer = h.act("1", "call-next").await;
    let body = answer.expect(StatusCode::OK);
    assert_eq!(body["ticket"], Value::Null, "nobody waits any more");
    assert_eq!(body["counter"]["current"], Value::Null);
    assert_eq!(h.ticket(b1["id"].as_str().unwrap()).await["state"], "done");

    let status = h.status().await;
    let recent: Vec<&str> = status["recent_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap())
        .collect();
    assert_eq!(recent, ["B001", "A002", "A001"], "newest first");
}

#[tokio::test]
async fn recent_calls_are_newest_first_at_most_10_a_ticket_once() {
    let h = TestServer::new().await;
    for _ in 0..12 {
        h.issue("registration").await;
    }
    for _ in 0..11 {
        h.clock.advance(SignedDuration::from_secs(30));
        h.act("1", "call-next").await.expect(StatusCode::OK);
    }
    let status = h.status().await;
    let recent: Vec<&str> = status["recent_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        recent,
        [
            "A011", "A010", "A009", "A008", "A007", "A006", "A005", "A004", "A003", "A002"
        ]
    );
    for call in status["recent_calls"].as_array().unwrap() {
        assert_eq!(call["counter"], "1");
        assert_local_timestamp(&call["called_at"]);
    }
    // A recall moves the ticket to the top, listed once.
    h.act_with("2", "call", &json!({"ticket": "A012"}))
        .await
        .expect(StatusCode::OK);
    h.act("1", "recall").await.expect(StatusCode::OK);
    let status = h.status().await;
    let recent: Vec<&str> = status["recent_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap())
        .collect();
    assert_eq!(recent.len(), 10);
    assert_eq!(&recent[..3], ["A011", "A012", "A010"]);
    assert_eq!(status["recent_calls"][1]["counter"], "2");
}

#[tokio::test]
async fn open_counters_share_the_wait_estimate() {
    let h = TestServer::new().await;
    for _ in 0..4 {
        h.issue("registration").await;
    }
    let alone = h.category_status("registration").await;
    assert_eq!(
        core_category(&h, "registration").wait.mean_s,
        1200.0,
        "4 waiting × 300 s, no counter open (one assumed)"
    );
    h.act("1", "open").await.expect(StatusCode::OK);
    h.act("2", "open").await.expect(StatusCode::OK);
    h.act("3", "open").await.expect(StatusCode::OK);
    let shared = h.category_status("registration").await;
    let core = core_category(&h, "registration");
    assert_shows(
        &shared,
        Some(core.estimated_wait_s),
        Some(core.estimated_wait_range_s),
    );
    assert!(
        core.wait.mean_s <= 600.0
            && secs(&shared["estimated_wait_s"]) < secs(&alone["estimated_wait_s"]),
        "two open counters serve registration: {shared}"
    );
    // A ticket taken now is told what the kiosk showed for it.
    let last = h.issue("registration").await;
    assert_eq!(last["people_ahead"], 4);
    assert_eq!(last["estimated_wait_s"], shared["estimated_wait_s"]);
    assert_eq!(
        last["estimated_wait_range_s"],
        shared["estimated_wait_range_s"]
    );
}

#[tokio::test]
async fn a_paused_or_closed_counter_opens_again_on_call_next() {
    let h = TestServer::new().await;
    h.issue("registration").await;
    h.act("1", "pause").await.expect(StatusCode::OK);
    let answer = h.act("1", "call-next").await;
    let body = answer.expect(StatusCode::OK);
    assert_eq!(body["counter"]["state"], "open");
    assert_eq!(body["ticket"]["number"], "A001");
}

#[tokio::test]
async fn recall_finish_and_no_show_concern_the_current_ticket() {
    let h = TestServer::new().await;
    let before = observable(&h).await;
    for action in ["recall", "finish", "no-show"] {
        h.act("1", action)
            .await
            .expect_error(StatusCode::CONFLICT, "no_current_ticket");
    }
    assert_eq!(observable(&h).await, before);

    let a1 = h.issue("registration").await;
    let a2 = h.issue("registration").await;
    let b1 = h.issue("tax").await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    h.clock.advance(SignedDuration::from_secs(20));
    let answer = h.act("1", "recall").await;
    let body = answer.expect(StatusCode::OK);
    assert_eq!(body["ticket"]["id"], a1["id"]);
    assert_eq!(body["ticket"]["state"], "called");
    assert_eq!(
        body["ticket"]["called_at"], "2026-11-23T09:00:00.000+01:00",
        "called_at keeps the first call"
    );
    assert_eq!(body["counter"]["current"]["id"], a1["id"]);
    let status = h.status().await;
    assert_eq!(
        status["recent_calls"],
        json!([{"number": "A001", "counter": "1", "called_at": "2026-11-23T09:00:20.000+01:00"}]),
        "a recall is listed, the ticket once"
    );

    h.clock.advance(SignedDuration::from_secs(100));
    let answer = h.act("1", "finish").await;
    let body = answer.expect(StatusCode::OK);
    assert_eq!(body["ticket"]["id"], a1["id"]);
    assert_eq!(body["ticket"]["state"], "done");
    assert_eq!(
        body["ticket"]["finished_at"],
        "2026-11-23T09:02:00.000+01:00"
    );
    assert_eq!(
        body["counter"],
        json!({"id": "1", "state": "open", "current": null, "categories": ["registration", "tax"], "order": "fifo"})
    );
    for action in ["recall", "finish", "no-show"] {
        h.act("1", action)
            .await
            .expect_error(StatusCode::CONFLICT, "no_current_ticket");
    }

    let answer = h.act("1", "call-next").await;
    assert_eq!(answer.expect(StatusCode::OK)["ticket"]["id"], a2["id"]);
    let answer = h.act("1", "no-show").await;
    let body = answer.expect(StatusCode::OK);
    assert_eq!(body["ticket"]["id"], a2["id"]);
    assert_eq!(body["ticket"]["state"], "no_show");
    assert_eq!(body["counter"]["current"], Value::Null);
    assert_ticket_shape(&body["ticket"]);
    assert_eq!(
        h.ticket(a2["id"].as_str().unwrap()).await["state"],
        "no_show"
    );
    assert_eq!(
        h.ticket(b1["id"].as_str().unwrap()).await["state"],
        "waiting"
    );

    // Another counter's current ticket is not this one's.
    h.act("2", "call-next").await.expect(StatusCode::OK);
    h.act("1", "finish")
        .await
        .expect_error(StatusCode::CONFLICT, "no_current_ticket");
}

#[tokio::test]
async fn call_takes_a_ticket_out_of_order_by_number_or_id() {
    let h = TestServer::new().await;
    let a1 = h.issue("registration").await;
    let a2 = h.issue("registration").await;
    let a3 = h.issue("registration").await;
    let c1 = h.issue("passport").await;

    let answer = h.act_with("1", "call", &json!({"ticket": "A003"})).await;
    let body = answer.expect(StatusCode::OK);
    assert_eq!(body["ticket"]["id"], a3["id"]);
    assert_eq!(body["ticket"]["state"], "called");
    assert_eq!(body["counter"]["state"], "open", "call opens the counter");
    assert_eq!(body["counter"]["current"]["number"], "A003");

    let answer = h.act_with("1", "call", &json!({"ticket": a2["id"]})).await;
    assert_eq!(answer.expect(StatusCode::OK)["ticket"]["id"], a2["id"]);
    assert_eq!(
        h.ticket(a3["id"].as_str().unwrap()).await["state"],
        "done",
        "call finishes the current ticket like call-next"
    );

    // Whatever its category: counter 3 does not serve registration.
    let answer = h.act_with("3", "call", &json!({"ticket": "a1"})).await;
    let body = answer.expect(StatusCode::OK);
    assert_eq!(body["ticket"]["id"], a1["id"], "a typed a1 means A001");
    assert_eq!(body["ticket"]["counter"], "3");

    let before = observable(&h).await;
    for reference in ["A003", "A002"] {
        h.act_with("2", "call", &json!({"ticket": reference}))
            .await
            .expect_error(StatusCode::CONFLICT, "ticket_not_waiting");
    }
    for reference in ["A999", "Z001", "no-such-ticket-id-000000"] {
        h.act_with("2", "call", &json!({"ticket": reference}))
            .await
            .expect_error(StatusCode::NOT_FOUND, "unknown_ticket");
    }
    for body in [
        json!({}),
        json!({"ticket": 17}),
        json!({"ticket": null}),
        json!({"ticket": ""}),
        json!({"ticket": "A001", "counter": "1"}),
        json!(["A001"]),
    ] {
        h.act_with("2", "call", &body)
            .await
            .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    h.post_empty("/api/v1/counters/2/call", Some(&h.tokens.clerk))
        .await
        .expect_status_in(&[StatusCode::UNSUPPORTED_MEDIA_TYPE, StatusCode::BAD_REQUEST]);
    assert_eq!(observable(&h).await, before);
    assert_eq!(
        h.ticket(c1["id"].as_str().unwrap()).await["state"],
        "waiting"
    );
}

#[tokio::test]
async fn transfer_puts_the_ticket_back_in_line_keeping_its_number() {
    let h = TestServer::new().await;
    let a1 = h
        .issue_with(json!({"category": "registration", "priority": true}))
        .await;
    h.clock.advance(SignedDuration::from_secs(10));
    let b1 = h.issue("tax").await;
    h.clock.advance(SignedDuration::from_secs(10));
    let b2 = h.issue("tax").await;
    h.clock.advance(SignedDuration::from_secs(10));
    h.act("1", "call-next").await.expect(StatusCode::OK);
    h.clock.advance(SignedDuration::from_secs(10));

    let before = observable(&h).await;
    for body in [
        json!({"category": "tax", "position": "middle"}),
        json!({"category": "tax", "position": 1}),
        json!({"category": "tax", "extra": true}),
        json!({"position": "front"}),
        json!({"category": ["tax"]}),
    ] {
        h.act_with("1", "transfer", &body)
            .await
            .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    h.act_with("1", "transfer", &json!({"category": "nope"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_category");
    h.act_with("2", "transfer", &json!({"category": "tax"}))
        .await
        .expect_error(StatusCode::CONFLICT, "no_current_ticket");
    assert_eq!(observable(&h).await, before);

    let tax_before = h.category_status("tax").await;
    // Default position: back.
    let answer = h
        .act_with("1", "transfer", &json!({"category": "tax"}))
        .await;
    let body = answer.expect(StatusCode::OK);
    let ticket = &body["ticket"];
    assert_ticket_shape(ticket);
    assert_eq!(ticket["id"], a1["id"]);
    assert_eq!(ticket["number"], "A001", "keeps its number");
    assert_eq!(ticket["category"], "tax");
    assert_eq!(ticket["priority"], true, "keeps its priority");
    assert_eq!(ticket["issued_at"], a1["issued_at"], "keeps its issue time");
    assert_eq!(ticket["state"], "waiting");
    assert_eq!(ticket["counter"], Value::Null);
    assert_eq!(ticket["called_at"], Value::Null);
    assert_eq!(ticket["finished_at"], Value::Null);
    assert_eq!(
        ticket["people_ahead"], 0,
        "a priority ticket goes before B001, B002"
    );
    assert_eq!(
        body["counter"],
        json!({"id": "1", "state": "open", "current": null, "categories": ["registration", "tax"], "order": "fifo"})
    );

    let tax = h.category_status("tax").await;
    assert_eq!(tax["waiting"], tax_before["waiting"].as_u64().unwrap() + 1);
    assert_eq!(
        tax["issued_today"], tax_before["issued_today"],
        "a ticket counts where it was issued"
    );
    let registration = h.category_status("registration").await;
    assert_eq!(registration["issued_today"], 1);
    assert_eq!(registration["waiting"], 0);

    // Counter 2 serves tax first: the transferred priority ticket, then B001, B002.
    let answer = h.get("/api/v1/counters/2", Some(&h.tokens.clerk)).await;
    let next: Vec<Value> = answer.expect(StatusCode::OK)["next"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].clone())
        .collect();
    assert_eq!(next, [a1["id"].clone(), b1["id"].clone(), b2["id"].clone()]);
    assert_eq!(
        h.ticket(b1["id"].as_str().unwrap()).await["people_ahead"],
        1
    );
}

#[tokio::test]
async fn transfer_front_and_back_take_their_places() {
    let h = TestServer::new().await;
    let a1 = h.issue("registration").await;
    let a2 = h.issue("registration").await;
    h.clock.advance(SignedDuration::from_secs(10));
    let b1 = h.issue("tax").await;
    h.clock.advance(SignedDuration::from_secs(10));
    let b2 = h.issue("tax").await;
    h.clock.advance(SignedDuration::from_secs(10));

    // A001 to the front of tax, A002 to the back.
    h.act_with("3", "call", &json!({"ticket": "A001"}))
        .await
        .expect(StatusCode::OK);
    let answer = h
        .act_with(
            "3",
            "transfer",
            &json!({"category": "tax", "position": "front"}),
        )
        .await;
    let body = answer.expect(StatusCode::OK);
    assert_eq!(body["ticket"]["id"], a1["id"]);
    assert_eq!(
        body["ticket"]["people_ahead"], 0,
        "front: ahead of everyone"
    );
    assert_eq!(body["ticket"]["category"], "tax");

    h.clock.advance(SignedDuration::from_secs(10));
    h.act_with("3", "call", &json!({"ticket": "A002"}))
        .await
        .expect(StatusCode::OK);
    let answer = h
        .act_with(
            "3",
            "transfer",
            &json!({"category": "tax", "position": "back"}),
        )
        .await;
    let body = answer.expect(StatusCode::OK);
    assert_eq!(body["ticket"]["id"], a2["id"]);
    assert_eq!(
        body["ticket"]["people_ahead"], 3,
        "back: behind A001, B001, B002"
    );

    let answer = h.get("/api/v1/counters/2", Some(&h.tokens.clerk)).await;
    let next: Vec<Value> = answer.expect(StatusCode::OK)["next"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].clone())
        .collect();
    assert_eq!(
        next,
        [json!("A001"), json!("B001"), json!("B002"), json!("A002")]
    );

    // Into the limited category: a transfer does not use up its daily limit.
    h.act_with("1", "call", &json!({"ticket": b2["id"]}))
        .await
        .expect(StatusCode::OK);
    h.act_with(
        "1",
        "transfer",
        &json!({"category": "passport", "position": "front"}),
    )
    .await
    .expect(StatusCode::OK);
    let passport = h.category_status("passport").await;
    assert_eq!(passport["waiting"], 1);
    assert_eq!(passport["issued_today"], 0);
    assert_eq!(passport["remaining_today"], 2);
    assert_eq!(h.issue("passport").await["number"], "C001");
    assert_eq!(h.issue("passport").await["number"], "C002");

    // A transferred ticket can be called again and keeps its number.
    let answer = h.act("3", "call-next").await;
    let body = answer.expect(StatusCode::OK);
    assert_eq!(body["ticket"]["number"], "B002");
    assert_eq!(body["ticket"]["category"], "passport");
    let answer = h.act("2", "call-next").await;
    assert_eq!(answer.expect(StatusCode::OK)["ticket"]["id"], a1["id"]);
    assert_eq!(
        h.ticket(b1["id"].as_str().unwrap()).await["people_ahead"],
        0
    );
}

#[tokio::test]
async fn counter_view_lists_the_next_tickets_in_calling_order() {
    let h = TestServer::new().await;
    let issue = |body: Value| {
        h.clock.advance(SignedDuration::from_secs(5));
        h.issue_with(body)
    };
    issue(json!({"category": "registration"})).await; // A001
    issue(json!({"category": "tax"})).await; // B001
    issue(json!({"category": "registration", "priority": true})).await; // A002
    issue(json!({"category": "tax"})).await; // B002
    issue(json!({"category": "registration"})).await; // A003
    issue(json!({"category": "registration"})).await; // A004
    issue(json!({"category": "passport"})).await; // C001

    let next = |counter: &'static str| {
        let h = &h;
        async move {
            let answer = h
                .get(
                    &format!("/api/v1/counters/{counter}"),
                    Some(&h.tokens.manager),
                )
                .await;
            let body = answer.expect(StatusCode::OK).clone();
            assert_eq!(body["counter"], h.counter_status(counter).await);
            assert_eq!(
                body.as_object().unwrap().len(),
                2,
                "counter and next: {body}"
            );
            body["next"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    assert_ticket_shape(t);
                    assert_eq!(t["state"], "waiting");
                    t["number"].as_str().unwrap().to_owned()
                })
                .collect::<Vec<_>>()
        }
    };
    // fifo: priority first, then the longest wait across its categories; at most 5.
    assert_eq!(next("1").await, ["A002", "A001", "B001", "B002", "A003"]);
    // listed: tax first, then registration (priority first within it).
    assert_eq!(next("2").await, ["B001", "B002", "A002", "A001", "A003"]);
    assert_eq!(next("3").await, ["C001"]);

    // call-next follows the same order.
    let answer = h.act("2", "call-next").await;
    assert_eq!(answer.expect(StatusCode::OK)["ticket"]["number"], "B001");
    let answer = h.act("1", "call-next").await;
    assert_eq!(answer.expect(StatusCode::OK)["ticket"]["number"], "A002");
    assert_eq!(next("1").await, ["A001", "B002", "A003", "A004"]);
    assert_eq!(next("2").await, ["B002", "A001", "A003", "A004"]);
}

// ----- tickets -------------------------------------------------------------------------------

#[tokio::test]
async fn a_ticket_can_be_read_by_anyone_knowing_its_id() {
    let h = TestServer::new().await;
    let a1 = h.issue("registration").await;
    let id = a1["id"].as_str().unwrap();
    assert_eq!(
        h.ticket(id).await,
        a1,
        "reading answers what issuing answered"
    );
    h.get("/api/v1/tickets/not-a-ticket", None)
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_ticket");
    h.get("/api/v1/tickets/A001", None)
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_ticket");

    h.act("1", "call-next").await.expect(StatusCode::OK);
    let called = h.ticket(id).await;
    assert_ticket_shape(&called);
    assert_eq!(called["state"], "called");
    assert_eq!(called["counter"], "1");
    assert_local_timestamp(&called["called_at"]);
}

#[tokio::test]
async fn a_waiting_ticket_can_be_cancelled_by_its_id_without_a_token() {
    let h = TestServer::new().await;
    let a1 = h.issue("registration").await;
    let a2 = h.issue("registration").await;
    let id = a1["id"].as_str().unwrap();
    h.clock.advance(SignedDuration::from_secs(42));

    let answer = h
        .post(&format!("/api/v1/tickets/{id}/cancel"), None, &json!({}))
        .await;
    let ticket = answer.expect(StatusCode::OK);
    assert_ticket_shape(ticket);
    assert_eq!(ticket["id"], a1["id"]);
    assert_eq!(ticket["state"], "cancelled");
    assert_eq!(ticket["finished_at"], "2026-11-23T09:00:42.000+01:00");
    assert_eq!(h.category_status("registration").await["waiting"], 1);
    assert_eq!(
        h.ticket(a2["id"].as_str().unwrap()).await["people_ahead"],
        0
    );

    let before = observable(&h).await;
    h.post(&format!("/api/v1/tickets/{id}/cancel"), None, &json!({}))
        .await
        .expect_error(StatusCode::CONFLICT, "ticket_not_waiting");
    h.post("/api/v1/tickets/nope/cancel", None, &json!({}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_ticket");
    h.raw(
        Method::POST,
        &format!("/api/v1/tickets/{}/cancel", a2["id"].as_str().unwrap()),
        None,
        Some("application/json"),
        r#"{"reason": "bored"}"#,
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    assert_eq!(observable(&h).await, before);

    // A called ticket is not waiting.
    h.act("1", "call-next").await.expect(StatusCode::OK);
    let before = observable(&h).await;
    h.post(
        &format!("/api/v1/tickets/{}/cancel", a2["id"].as_str().unwrap()),
        None,
        &json!({}),
    )
    .await
    .expect_error(StatusCode::CONFLICT, "ticket_not_waiting");
    assert_eq!(observable(&h).await, before);

    // With `{}` as JSON it works too.
    let a3 = h.issue("registration").await;
    let answer = h
        .raw(
            Method::POST,
            &format!("/api/v1/tickets/{}/cancel", a3["id"].as_str().unwrap()),
            None,
            Some("application/json"),
            "{}",
        )
        .await;
    assert_eq!(answer.expect(StatusCode::OK)["state"], "cancelled");
}

// ----- the office day ------------------------------------------------------------------------

#[tokio::test]
async fn a_new_office_day_cancels_leftovers_restarts_numbering_and_closes_counters() {
    let h = TestServer::new().await;
    let a1 = h.issue("registration").await;
    let a2 = h.issue("registration").await;
    let a3 = h.issue("registration").await;
    let c1 = h.issue("passport").await;
    h.issue("passport").await;
    h.act("1", "call-next").await.expect(StatusCode::OK); // A001 called
    h.act("1", "call-next").await.expect(StatusCode::OK); // A001 done, A002 called
    h.act("2", "pause").await.expect(StatusCode::OK);

    h.clock.set(at("2026-11-24T06:30:00+01:00"));
    h.store.start_day_if_due().await.expect("the day starts");

    let status = h.status().await;
    assert_eq!(status["office_date"], "2026-11-24");
    for counter in status["counters"].as_array().unwrap() {
        assert_eq!(counter["state"], "closed", "{counter}");
        assert_eq!(counter["current"], Value::Null, "{counter}");
    }
    for category in status["categories"].as_array().unwrap() {
        assert_eq!(category["waiting"], 0, "{category}");
        assert_eq!(category["issued_today"], 0, "{category}");
    }
    assert_eq!(h.category_status("passport").await["remaining_today"], 2);
    assert_eq!(status["recent_calls"], json!([]));

    // Yesterday's tickets can still be read: served stays done, the rest are cancelled.
    let done = h.ticket(a1["id"].as_str().unwrap()).await;
    assert_eq!(done["state"], "done");
    for old in [&a2, &a3, &c1] {
        let ticket = h.ticket(old["id"].as_str().unwrap()).await;
        assert_ticket_shape(&ticket);
        assert_eq!(ticket["state"], "cancelled", "{ticket}");
        assert_eq!(ticket["finished_at"], "2026-11-24T06:30:00.000+01:00");
        assert_eq!(ticket["issued_at"], "2026-11-23T09:00:00.000+01:00");
    }
    let before = observable(&h).await;
    h.post(
        &format!("/api/v1/tickets/{}/cancel", a3["id"].as_str().unwrap()),
        None,
        &json!({}),
    )
    .await
    .expect_error(StatusCode::CONFLICT, "ticket_not_waiting");
    h.act_with("1", "call", &json!({"ticket": "A003"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_ticket");
    assert_eq!(observable(&h).await, before);

    let new = h.issue("registration").await;
    assert_eq!(new["number"], "A001", "numbering restarts every office day");
    assert_ne!(new["id"], a1["id"]);
    assert_eq!(new["issued_at"], "2026-11-24T06:30:00.000+01:00");
    assert_eq!(h.issue("passport").await["number"], "C001");
    let answer = h.act("1", "call-next").await;
    assert_eq!(answer.expect(StatusCode::OK)["ticket"]["id"], new["id"]);

    // Starting a day that already started changes nothing.
    let before = observable(&h).await;
    h.store.start_day_if_due().await.expect("no-op");
    assert_eq!(observable(&h).await, before);
}

#[tokio::test]
async fn the_office_day_turns_at_local_midnight() {
    let h = TestServer::new().await;
    h.issue("registration").await;
    // 23:59:59 local is still the same day (22:59:59 UTC).
    h.clock.set(at("2026-11-23T22:59:59Z"));
    h.store.start_day_if_due().await.unwrap();
    assert_eq!(h.status().await["office_date"], "2026-11-23");
    assert_eq!(h.issue("registration").await["number"], "A002");
    // Midnight in Warsaw is 23:00 UTC.
    h.clock.set(at("2026-11-23T23:00:00Z"));
    let ticket = h.issue("registration").await;
    assert_eq!(
        ticket["number"], "A001",
        "a command after midnight starts the day first"
    );
    assert_eq!(ticket["issued_at"], "2026-11-24T00:00:00.000+01:00");
    assert_eq!(h.status().await["office_date"], "2026-11-24");
}

// ----- metrics -------------------------------------------------------------------------------

#[tokio::test]
async fn metrics_are_prometheus_text() {
    let h = TestServer::new().await;
    let ticket = h.issue("registration").await;
    h.issue("tax").await;
    h.ticket(ticket["id"].as_str().unwrap()).await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    let answer = h.get("/metrics", Some(&h.tokens.manager)).await;
    assert_eq!(answer.status, StatusCode::OK);
    let content_type = answer.headers[header::CONTENT_TYPE].to_str().unwrap();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = &answer.text;
    assert!(
        content_type.contains("version=0.0.4"),
        "text format 0.0.4: {content_type}"
    );
    let seq_line = format!("numerek_event_seq {}", h.seq().await);
    for line in [
        "numerek_tickets_issued_total{category=\"registration\"} 1",
        "numerek_tickets_issued_total{category=\"tax\"} 1",
        "numerek_tickets_called_total{category=\"registration\"} 1",
        "numerek_tickets_waiting{category=\"registration\"} 0",
        "numerek_tickets_waiting{category=\"tax\"} 1",
        "numerek_tickets_waiting{category=\"passport\"} 0",
        "numerek_tickets_waiting{category=\"archive\"} 0",
        "numerek_websocket_clients 0",
        &seq_line,
        "# TYPE numerek_tickets_issued_total counter",
        "# TYPE numerek_tickets_called_total counter",
        "# TYPE numerek_tickets_waiting gauge",
        "# TYPE numerek_websocket_clients gauge",
        "# TYPE numerek_event_seq gauge",
        "# TYPE numerek_http_request_duration_seconds histogram",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "metrics have `{line}`:\n{text}"
        );
    }
    assert!(
        text.lines().any(|l| l.starts_with(
            "numerek_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/tickets\"}"
        )),
        "{text}"
    );
    assert!(
        text.contains("route=\"/api/v1/tickets/{id}\""),
        "routes are labelled by their pattern:\n{text}"
    );
    assert!(
        !text.contains(ticket["id"].as_str().unwrap()),
        "no ticket id becomes a label"
    );
    // Every sample line is `name{labels} value` with a number value, of a documented family
    // that has its HELP and TYPE.
    let families = [
        "numerek_tickets_issued_total",
        "numerek_tickets_called_total",
        "numerek_tickets_waiting",
        "numerek_websocket_clients",
        "numerek_http_connections",
        "numerek_storage_available",
        "numerek_event_seq",
        "numerek_http_request_duration_seconds",
    ];
    for family in families {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("# HELP {family} "))),
            "HELP for {family}:\n{text}"
        );
    }
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let value = line.rsplit(' ').next().unwrap();
        assert!(value.parse::<f64>().is_ok(), "a number in `{line}`");
        let name = line.split(['{', ' ']).next().unwrap();
        assert!(
            families.iter().any(|f| name == *f
                || name
                    .strip_prefix(f)
                    .is_some_and(|rest| ["_bucket", "_sum", "_count"].contains(&rest))),
            "`{name}` is a documented metric"
        );
    }
}

// ----- admin: tokens -------------------------------------------------------------------------

#[tokio::test]
async fn admins_create_list_and_revoke_tokens() {
    let h = TestServer::new().await;
    let admin = Some(h.tokens.admin.as_str());
    let answer = h
        .post(
            "/api/v1/admin/tokens",
            admin,
            &json!({"role": "clerk", "label": "Stanowisko 2 — rano", "counter": "2"}),
        )
        .await;
    let created = answer.expect(StatusCode::CREATED).clone();
    let secret = created["token"]
        .as_str()
        .expect("the secret, once")
        .to_owned();
    let id = created["id"].as_str().expect("an id").to_owned();
    assert_eq!(created["role"], "clerk");
    assert_eq!(created["label"], "Stanowisko 2 — rano");
    assert_eq!(created["counter"], "2");
    assert_local_timestamp(&created["created_at"]);
    assert_ne!(secret, id);
    let mut keys: Vec<&str> = created
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["counter", "created_at", "id", "label", "role", "token"],
        "{created}"
    );
    assert!(secret.starts_with("nmk_") && secret.len() == 47, "{secret}");

    // The new token works at its counter, and only there.
    let answer = h.post_empty("/api/v1/counters/2/open", Some(&secret)).await;
    assert_eq!(answer.expect(StatusCode::OK)["counter"]["state"], "open");
    h.post_empty("/api/v1/counters/1/open", Some(&secret))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    h.post(ISSUE, Some(&secret), &json!({"category": "registration"}))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    h.get("/api/v1/admin/tokens", Some(&secret))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");

    // Minimal body: a kiosk token without label.
    let answer = h
        .post("/api/v1/admin/tokens", admin, &json!({"role": "kiosk"}))
        .await;
    let kiosk = answer.expect(StatusCode::CREATED).clone();
    let kiosk_secret = kiosk["token"].as_str().unwrap();
    assert_eq!(kiosk["role"], "kiosk");
    assert_eq!(kiosk["counter"], Value::Null);
    assert_eq!(
        h.issue_with_token(kiosk_secret, "tax").await["number"],
        "B001"
    );

    // The list: every token, never a secret or its hash.
    let answer = h.get("/api/v1/admin/tokens", admin).await;
    let list = answer.expect(StatusCode::OK).clone();
    let tokens = list["tokens"].as_array().expect("tokens");
    assert_eq!(tokens.len(), 7, "five made by the test setup, two here");
    for token in tokens {
        let mut keys: Vec<&str> = token
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["counter", "created_at", "id", "label", "role"],
            "{token}"
        );
        assert_local_timestamp(&token["created_at"]);
    }
    let listed = tokens
        .iter()
        .find(|t| t["id"] == id.as_str())
        .expect("listed");
    assert_eq!(
        listed,
        &json!({"id": id, "role": "clerk", "label": "Stanowisko 2 — rano", "counter": "2",
                "created_at": created["created_at"]})
    );
    for secret in [&secret, &h.tokens.admin, &h.tokens.kiosk, &h.tokens.clerk1] {
        assert!(
            !answer.text.contains(secret.as_str()),
            "no secret in the list"
        );
        let hash = numerek_store::tokens::hex(&numerek_store::tokens::hash_secret(secret));
        assert!(!answer.text.contains(&hash), "no hash in the list");
    }

    // Revoking: 204 with no body, then the token no longer works.
    let answer = h
        .raw(
            Method::DELETE,
            &format!("/api/v1/admin/tokens/{id}"),
            admin,
            None,
            Body::empty(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "{}", answer.text);
    assert!(answer.text.is_empty());
    h.post_empty("/api/v1/counters/2/close", Some(&secret))
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    let answer = h.get("/api/v1/admin/tokens", admin).await;
    let after = answer.expect(StatusCode::OK)["tokens"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(after.len(), 6);
    assert!(after.iter().all(|t| t["id"] != id.as_str()));
    // Revoking again, or an unknown id: 404.
    let answer = h
        .raw(
            Method::DELETE,
            &format!("/api/v1/admin/tokens/{id}"),
            admin,
            None,
            Body::empty(),
        )
        .await;
    answer.expect_error(StatusCode::NOT_FOUND, "not_found");
    h.raw(
        Method::DELETE,
        "/api/v1/admin/tokens/no-such-token",
        admin,
        None,
        Body::empty(),
    )
    .await
    .expect_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        h.get("/api/v1/admin/tokens", admin).await.body["tokens"]
            .as_array()
            .unwrap()
            .len(),
        6,
        "a refused revoke removed nothing"
    );
}

#[tokio::test]
async fn token_requests_are_checked() {
    let h = TestServer::new().await;
    let admin = Some(h.tokens.admin.as_str());
    let before = observable(&h).await;
    for body in [
        json!({"role": "root"}),
        json!({"role": "Clerk"}),
        json!({"role": ""}),
        json!({}),
        json!({"role": 1}),
        json!({"role": "clerk", "counter": 2}),
        json!({"role": "clerk", "label": "x", "secret": "mine"}),
        json!({"role": "kiosk", "counter": "1"}),
        json!({"role": "clerk", "label": "x".repeat(1000)}),
    ] {
        let answer = h.post("/api/v1/admin/tokens", admin, &body).await;
        answer.expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    h.post(
        "/api/v1/admin/tokens",
        admin,
        &json!({"role": "clerk", "counter": "99"}),
    )
    .await
    .expect_error(StatusCode::NOT_FOUND, "unknown_counter");
    h.raw(
        Method::POST,
        "/api/v1/admin/tokens",
        admin,
        None,
        r#"{"role":"kiosk"}"#,
    )
    .await
    .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    h.raw(
        Method::POST,
        "/api/v1/admin/tokens",
        admin,
        Some("application/json"),
        "role=kiosk",
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_json");
    assert_eq!(observable(&h).await, before, "no token was made");
}

#[tokio::test]
async fn an_admin_can_revoke_its_own_token() {
    let h = TestServer::new().await;
    let admin = Some(h.tokens.admin.as_str());
    let answer = h.get("/api/v1/admin/tokens", admin).await;
    let own = answer.expect(StatusCode::OK)["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["role"] == "admin")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let answer = h
        .raw(
            Method::DELETE,
            &format!("/api/v1/admin/tokens/{own}"),
            admin,
            None,
            Body::empty(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    h.get("/api/v1/admin/tokens", admin)
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
}

// ----- durability ----------------------------------------------------------------------------

#[tokio::test]
async fn answered_changes_and_counter_states_survive_a_restart() {
    let h = TestServer::new().await;
    let a1 = h.issue("registration").await;
    h.issue("registration").await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    h.act("2", "pause").await.expect(StatusCode::OK);
    let answer = h
        .post(
            "/api/v1/admin/tokens",
            Some(&h.tokens.admin),
            &json!({"role": "kiosk"}),
        )
        .await;
    let secret = answer.expect(StatusCode::CREATED)["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let status = h.status().await;

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
    assert_eq!(h.status().await, status);
    assert_eq!(
        h.ticket(a1["id"].as_str().unwrap()).await["state"],
        "called"
    );
    assert_eq!(
        h.issue_with_token(&secret, "registration").await["number"],
        "A003"
    );
    assert_eq!(h.issue("registration").await["number"], "A004");
}
