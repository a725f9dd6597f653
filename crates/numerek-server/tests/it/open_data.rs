//! The open-data feed (`docs/open-data.md`), in process: the Warsaw-compatible view of a
//! hand-made situation field by field, in the shape of 2019–2020 (the default) and of 2015–2016
//! (`?shape=2016`), each against a fixture written from the fields' descriptions
//! (`tests/fixtures/open-data/`); Warsaw's error shape; and that it is public, readable from any
//! origin, and free of anything personal.

use crate::support;

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use jiff::SignedDuration;
use serde_json::{Value, json};
use support::TestServer;

const WARSAW: &str = "/api/v1/open-data/warsaw";
const WARSAW_2016: &str = "/api/v1/open-data/warsaw?shape=2016";

/// A fixture of `tests/fixtures/open-data/`.
fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/open-data/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The test office, with stable group ids of its own for tax (35) and archive (12); registration
/// and passport keep their positions (1 and 3).
fn office_with_group_ids() -> String {
    let office = support::OFFICE
        .replacen(
            "target_wait_min = 10\npriority = false\n",
            "target_wait_min = 10\npriority = false\nopen_data_id = 35\n",
            1,
        )
        .replacen(
            "target_wait_min = 30\n",
            "target_wait_min = 30\nopen_data_id = 12\n",
            1,
        );
    assert_eq!(office.matches("open_data_id").count(), 2, "{office}");
    office
}

/// The groups of the Warsaw document, checking the envelope on the way.
#[track_caller]
fn groups(document: &Value) -> &Vec<Value> {
    let result = document["result"]
        .as_object()
        .unwrap_or_else(|| panic!("`result` is an object: {document}"));
    let mut keys: Vec<&str> = result.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["date", "grupy", "time"], "{document}");
    document["result"]["grupy"]
        .as_array()
        .unwrap_or_else(|| panic!("`grupy` is an array: {document}"))
}

/// Moves the test clock on.
fn advance(h: &TestServer, minutes: i64) {
    h.clock.advance(SignedDuration::from_mins(minutes));
}

/// The office at 09:00 on Monday 23 November 2026, then:
/// - 09:00–09:06 A001, A002, B001, C001, A003, C002, B002 are issued, one a minute (passport
///   reaches its daily limit of 2);
/// - 09:10 counter 1 calls A001; 09:14 it finishes A001 (4 min of service) by calling A002;
/// - 09:15 counter 2 (tax first) calls B001 and pauses;
/// - 09:16 counter 1 transfers A002 to the back of the tax queue.
///
/// Tax and archive have open-data ids of their own (35, 12).
async fn situation() -> TestServer {
    let h = TestServer::with_office(&office_with_group_ids()).await;
    for category in [
        "registration",
        "registration",
        "tax",
        "passport",
        "registration",
        "passport",
        "tax",
    ] {
        h.issue(category).await;
        advance(&h, 1);
    }
    advance(&h, 3);
    let called = h.act("1", "call-next").await;
    assert_eq!(called.expect(StatusCode::OK)["ticket"]["number"], "A001");
    advance(&h, 4);
    let called = h.act("1", "call-next").await;
    assert_eq!(called.expect(StatusCode::OK)["ticket"]["number"], "A002");
    advance(&h, 1);
    let called = h.act("2", "call-next").await;
    assert_eq!(called.expect(StatusCode::OK)["ticket"]["number"], "B001");
    h.act("2", "pause").await.expect(StatusCode::OK);
    advance(&h, 1);
    h.act_with(
        "1",
        "transfer",
        &json!({"category": "tax", "position": "back"}),
    )
    .await
    .expect(StatusCode::OK);
    h
}

/// The shape of 2019–2020, the default: every figure Warsaw sent as text is text; the current
/// number has its letter (`""` before the first call); `idGrupy` is the stable id.
///
/// Registration: A003 waits (A002 left for tax); counter 1 is open for it, counter 2 is paused;
/// A002 was its last call, although it waits in tax now; A001 was served in 4 minutes. Tax
/// (open-data id 35): B002 and the transferred A002 wait; B001 is called at the paused counter
/// 2; nobody was served yet, so the configured 5 minutes. Passport: its daily limit of 2 is
/// reached, so no more tickets today; counter 3 is closed; nobody called yet. Archive (id 12)
/// issues 12:00-13:00 only.
#[tokio::test]
async fn the_warsaw_view_of_2019_maps_every_category_to_a_group() {
    let h = situation().await;
    let document = h.get(WARSAW, None).await.expect(StatusCode::OK).clone();
    groups(&document);
    assert_eq!(document, fixture("warsaw-2019.json"));
    // Exactly the wire type's fields, nothing more.
    let typed: numerek_api::WarsawQueues = support::read(&document);
    assert_eq!(serde_json::to_value(&typed).unwrap(), document);
    // The same with the shape named.
    for shape in ["2019", "2020"] {
        let named = h.get(&format!("{WARSAW}?shape={shape}"), None).await;
        assert_eq!(named.expect(StatusCode::OK), &document, "shape={shape}");
    }
}

/// The shape of 2015–2016, unchanged: numbers are numbers, the current number has no letter (0
/// before the first call), groups are numbered by position whatever their open-data ids.
#[tokio::test]
async fn the_warsaw_view_of_2016_is_the_older_shape() {
    let h = situation().await;
    let document = h
        .get(WARSAW_2016, None)
        .await
        .expect(StatusCode::OK)
        .clone();
    assert_eq!(document, fixture("warsaw-2016.json"));
    let typed: numerek_api::WarsawQueues2016 = support::read(&document);
    assert_eq!(serde_json::to_value(&typed).unwrap(), document);
}

#[tokio::test]
async fn the_warsaw_view_maps_every_category_to_a_group() {
    let h = situation().await;
    let answer = h.get(WARSAW_2016, None).await;
    let document = answer.expect(StatusCode::OK).clone();
    assert_eq!(document["result"]["date"], "2026-11-23");
    assert_eq!(document["result"]["time"], "09:16");
    let expected = json!([
        {
            // Registration: A003 waits (A002 left for tax); counter 1 is open for it, counter 2
            // is paused; A002 was its last call, although it waits in tax now; A001 was served
            // in 4 minutes.
            "status": "1",
            "czasObslugi": "00:04",
            "lp": "1",
            "idGrupy": "1",
            "liczbaCzynnychStan": 1,
            "nazwaGrupy": "Meldunki",
            "literaGrupy": "A",
            "liczbaKlwKolejce": 1,
            "aktualnyNumer": 2,
        },
        {
            // Tax: B002 and the transferred A002 wait; B001 is called at the paused counter 2;
            // nobody was served yet, so the configured 5 minutes.
            "status": "1",
            "czasObslugi": "00:05",
            "lp": "2",
            "idGrupy": "2",
            "liczbaCzynnychStan": 1,
            "nazwaGrupy": "Podatki",
            "literaGrupy": "B",
            "liczbaKlwKolejce": 2,
            "aktualnyNumer": 1,
        },
        {
            // Passport: its daily limit of 2 is reached, so no more tickets today; counter 3 is
            // closed; nobody called yet.
            "status": "0",
            "czasObslugi": "00:05",
            "lp": "3",
            "idGrupy": "3",
            "liczbaCzynnychStan": 0,
            "nazwaGrupy": "Paszporty",
            "literaGrupy": "C",
            "liczbaKlwKolejce": 2,
            "aktualnyNumer": 0,
        },
        {
            // Archive issues 12:00-13:00 only.
            "status": "0",
            "czasObslugi": "00:05",
            "lp": "4",
            "idGrupy": "4",
            "liczbaCzynnychStan": 0,
            "nazwaGrupy": "Archiwum",
            "literaGrupy": "D",
            "liczbaKlwKolejce": 0,
            "aktualnyNumer": 0,
        },
    ]);
    assert_eq!(groups(&document), expected.as_array().expect("an array"));
}

#[tokio::test]
async fn the_current_number_follows_calls_recalls_and_calls_out_of_order() {
    let h = TestServer::new().await;
    for _ in 0..4 {
        h.issue("registration").await;
        advance(&h, 1);
    }
    let current = |document: &Value| groups(document)[0]["aktualnyNumer"].clone();
    let current_2019 = async || {
        let document = h.get(WARSAW, None).await.expect(StatusCode::OK).clone();
        groups(&document)[0]["aktualnyNumer"].clone()
    };
    assert_eq!(current_2019().await, json!(""), "before the first call");
    let document = h
        .get(WARSAW_2016, None)
        .await
        .expect(StatusCode::OK)
        .clone();
    assert_eq!(current(&document), json!(0), "before the first call");
    // A call of a specific number sets it, even out of order.
    h.act_with("1", "call", &json!({"ticket": "A003"}))
        .await
        .expect(StatusCode::OK);
    let document = h
        .get(WARSAW_2016, None)
        .await
        .expect(StatusCode::OK)
        .clone();
    assert_eq!(current(&document), json!(3));
    assert_eq!(current_2019().await, json!("A003"));
    // Counter 2 calls A001; counter 1 then recalls A003, which is announced last.
    h.act("2", "call-next").await.expect(StatusCode::OK);
    let document = h
        .get(WARSAW_2016, None)
        .await
        .expect(StatusCode::OK)
        .clone();
    assert_eq!(current(&document), json!(1));
    assert_eq!(current_2019().await, json!("A001"));
    h.act("1", "recall").await.expect(StatusCode::OK);
    let document = h
        .get(WARSAW_2016, None)
        .await
        .expect(StatusCode::OK)
        .clone();
    assert_eq!(current(&document), json!(3));
    assert_eq!(current_2019().await, json!("A003"));
    // Both counters are open for registration now; two wait.
    assert_eq!(groups(&document)[0]["liczbaCzynnychStan"], 2);
    assert_eq!(groups(&document)[0]["liczbaKlwKolejce"], 2);
    // A served ticket keeps the number; service times are averaged over the day.
    advance(&h, 2);
    h.act("1", "finish").await.expect(StatusCode::OK);
    advance(&h, 4);
    h.act("2", "finish").await.expect(StatusCode::OK);
    let document = h
        .get(WARSAW_2016, None)
        .await
        .expect(StatusCode::OK)
        .clone();
    assert_eq!(current(&document), json!(3));
    // The number stays once its ticket is finished.
    assert_eq!(current_2019().await, json!("A003"));
    // A003: recalled at 09:04, finished 09:06 (2 min); A001: called 09:04, finished 09:10.
    assert_eq!(groups(&document)[0]["czasObslugi"], "00:04");
    let document = h.get(WARSAW, None).await.expect(StatusCode::OK).clone();
    assert_eq!(groups(&document)[0]["czasObslugi"], "4");
    // A new day: nobody called yet.
    h.clock.set(support::at("2026-11-24T08:00:00+01:00"));
    h.store.start_day_if_due().await.expect("a new day");
    assert_eq!(current_2019().await, json!(""));
}

#[tokio::test]
async fn long_services_are_whole_minutes_in_both_shapes() {
    let h = TestServer::new().await;
    h.issue("registration").await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    advance(&h, 75);
    h.act("1", "finish").await.expect(StatusCode::OK);
    let now = h.get(WARSAW, None).await.expect(StatusCode::OK).clone();
    assert_eq!(groups(&now)[0]["czasObslugi"], "75");
    let old = h
        .get(WARSAW_2016, None)
        .await
        .expect(StatusCode::OK)
        .clone();
    assert_eq!(groups(&old)[0]["czasObslugi"], "01:15");
}

/// A query the document cannot answer gets Warsaw's error shape, readable from any origin.
#[tokio::test]
async fn errors_come_in_warsaws_shape() {
    let h = TestServer::new().await;
    for query in [
        "shape=2017",
        "shape=",
        "shape=2016&shape=2019",
        "shape=2016&shape=2016",
    ] {
        let answer = h.get(&format!("{WARSAW}?{query}"), None).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        let body = answer.body.as_object().expect("an object");
        let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["error", "result"], "{query}: {:?}", answer.body);
        assert_eq!(answer.body["result"], "false", "text, as Warsaw sends it");
        let typed: numerek_api::WarsawError = support::read(&answer.body);
        assert_eq!(typed.result, "false");
        assert!(
            answer.body["error"]
                .as_str()
                .is_some_and(|e| e.contains("shape")),
            "{query}: {:?}",
            answer.body
        );
        assert_eq!(
            answer.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "*",
            "{query}"
        );
    }
    // The generated OpenAPI document says so: `shape`, both shapes, and the error's.
    let document = h
        .get("/api/v1/openapi.json", None)
        .await
        .expect(StatusCode::OK)
        .clone();
    let operation = &document["paths"][WARSAW]["get"];
    assert_eq!(operation["parameters"][0]["name"], "shape", "{operation}");
    let content = |status: &str| &operation["responses"][status]["content"]["application/json"];
    assert_eq!(
        content("200")["schema"]["oneOf"],
        json!([
            {"$ref": "#/components/schemas/WarsawQueues"},
            {"$ref": "#/components/schemas/WarsawQueues2016"},
        ])
    );
    assert_eq!(
        content("400")["schema"]["$ref"],
        "#/components/schemas/WarsawError"
    );
}

#[tokio::test]
async fn the_feed_is_public_cross_origin_and_ignores_query_parameters() {
    let h = situation().await;
    let anonymous = h.get(WARSAW, None).await;
    let body = anonymous.expect(StatusCode::OK).clone();
    let header_of = |answer: &support::Answer, name: header::HeaderName| {
        answer
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(
        header_of(&anonymous, header::ACCESS_CONTROL_ALLOW_ORIGIN),
        "*"
    );
    assert_eq!(
        header_of(&anonymous, header::CACHE_CONTROL),
        "public, max-age=5"
    );
    assert!(header_of(&anonymous, header::CONTENT_TYPE).starts_with("application/json"));

    // Any token, valid or not, and the Warsaw API's own parameters change nothing.
    for token in [
        Some(h.tokens.kiosk.as_str()),
        Some(h.tokens.manager.as_str()),
        Some("nmk_not-a-token"),
    ] {
        let answer = h.get(WARSAW, token).await;
        assert_eq!(answer.expect(StatusCode::OK), &body, "token {token:?}");
    }
    let answer = h
        .get(&format!("{WARSAW}?id=9c3d5770-57d8&apikey=anything"), None)
        .await;
    assert_eq!(answer.expect(StatusCode::OK), &body);

    // The preflight of a cross-origin request that is not simple.
    let request = axum::http::Request::builder()
        .method(Method::OPTIONS)
        .uri(WARSAW)
        .header(header::ORIGIN, "https://dane.example.org")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .body(Body::empty())
        .expect("a request");
    let preflight = h.send(request).await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert_eq!(
        header_of(&preflight, header::ACCESS_CONTROL_ALLOW_ORIGIN),
        "*"
    );
    assert!(header_of(&preflight, header::ACCESS_CONTROL_ALLOW_METHODS).contains("GET"));

    // Read-only: a write is not a method of the path.
    let post = h
        .raw(
            Method::POST,
            WARSAW,
            None,
            Some("application/json"),
            Body::from("{}"),
        )
        .await;
    post.expect_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

#[tokio::test]
async fn the_feed_carries_no_ticket_ids_and_no_tokens() {
    let h = situation().await;
    let text = h.get(WARSAW, None).await.text;
    let status = h.staff_status().await;
    let mut ids = Vec::new();
    for counter in status["counters"].as_array().expect("counters") {
        if let Some(id) = counter["current"]["id"].as_str() {
            ids.push(id.to_owned());
        }
    }
    assert!(!ids.is_empty(), "some ticket is at a counter");
    for id in &ids {
        assert!(!text.contains(id.as_str()), "ticket id {id} in {text}");
    }
    assert!(!text.contains("nmk_"), "{text}");
    // Only the Warsaw fields, nothing else per group.
    for group in groups(&serde_json::from_str(&text).expect("JSON")) {
        let mut keys: Vec<&str> = group
            .as_object()
            .expect("a group")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "aktualnyNumer",
                "czasObslugi",
                "idGrupy",
                "liczbaCzynnychStan",
                "liczbaKlwKolejce",
                "literaGrupy",
                "lp",
                "nazwaGrupy",
                "status",
            ]
        );
    }
}
