//! Bad input of any kind, at every route: each answers 4xx with exactly the API's error body,
//! none answers 5xx, and none changes anything (the status, its `seq` and the tokens are as they
//! were). The office is prepared so that the same requests, well formed, would change it.

use crate::support;

use axum::body::{Body, Bytes};
use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};
use support::{TestServer, assert_error_body};
use tower::ServiceExt;

const JSON: Option<&str> = Some("application/json");

/// The observable state: the status (with `seq`) and the token ids.
async fn observable(h: &TestServer) -> (Value, Vec<String>) {
    let tokens = h.store.tokens().into_iter().map(|t| t.id).collect();
    (h.status().await, tokens)
}

/// One bad request and the refusal it must get.
struct Case {
    method: Method,
    path: String,
    token: Option<String>,
    content_type: Option<String>,
    body: Body,
    /// A readable form of the body, for messages.
    shown: String,
    status: StatusCode,
    code: &'static str,
    /// For a 405: the methods its `Allow` header must list.
    allow: Vec<Method>,
}

impl Case {
    fn new(method: Method, path: &str, token: Option<&str>) -> Self {
        Self {
            method,
            path: path.to_owned(),
            token: token.map(str::to_owned),
            content_type: None,
            body: Body::empty(),
            shown: String::new(),
            status: StatusCode::BAD_REQUEST,
            code: "invalid_request",
            allow: Vec::new(),
        }
    }

    fn body(mut self, content_type: Option<&str>, body: impl Into<Vec<u8>>) -> Self {
        let body = body.into();
        self.shown = String::from_utf8_lossy(&body).chars().take(80).collect();
        self.content_type = content_type.map(str::to_owned);
        self.body = Body::from(body);
        self
    }

    /// A body streamed in chunks without a length, as `Transfer-Encoding: chunked` sends it.
    fn streamed(mut self, content_type: Option<&str>, chunks: usize) -> Self {
        let stream = futures_util::stream::iter(
            (0..chunks).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b' '; 1024]))),
        );
        self.shown = format!("<{chunks} KiB streamed>");
        self.content_type = content_type.map(str::to_owned);
        self.body = Body::from_stream(stream);
        self
    }

    fn expect(mut self, status: StatusCode, code: &'static str) -> Self {
        self.status = status;
        self.code = code;
        self
    }
}

/// A JSON body of more than 16 KiB.
fn oversized() -> String {
    json!({"category": "registration", "label": "x".repeat(17 * 1024)}).to_string()
}

/// The refusals every route with a JSON body shares: its content type, JSON text that is not
/// JSON, JSON that is not an object, and bodies too large. `valid` is a body the route takes.
fn json_body_cases(method: &Method, path: &str, token: &str, valid: &Value) -> Vec<Case> {
    let case = || Case::new(method.clone(), path, Some(token));
    let valid = valid.to_string();
    let mut cases = Vec::new();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/json-patch+json"),
        Some("application/jsonx"),
        Some("json"),
        Some("application/json; charset=iso-8859-1"),
        Some("application/json; charset=utf-16"),
    ] {
        cases.push(
            case()
                .body(content_type, valid.clone())
                .expect(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        );
    }
    let mut not_json: Vec<Vec<u8>> = [
        "",
        "   ",
        "{",
        "}",
        "nul",
        "{'a': 1}",
        "{a: 1}",
        "{\"a\": 1,}",
        "[1, 2",
        "\"unterminated",
        "{\"a\": 1e400}",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    not_json.push(format!("{valid} trailing").into_bytes());
    not_json.push(format!("{valid}{valid}").into_bytes());
    not_json.push(format!("\u{feff}{valid}").into_bytes());
    not_json.push(vec![b'{', 0xff, 0xfe, b'}']);
    // A control character inside a string must be escaped.
    not_json.push(b"{\"category\": \"regis\x01tration\"}".to_vec());
    not_json.push(format!("{}{}", "[".repeat(500), "]".repeat(500)).into_bytes());
    not_json.push(format!("{}1{}", "{\"a\":".repeat(300), "}".repeat(300)).into_bytes());
    for body in not_json {
        cases.push(
            case()
                .body(JSON, body)
                .expect(StatusCode::BAD_REQUEST, "invalid_json"),
        );
    }
    for body in [
        "[]",
        "[{}]",
        "null",
        "true",
        "0",
        "-1.5",
        "\"text\"",
        "{}",
        "{\"\": null}",
        "{\"__proto__\": {}}",
    ] {
        cases.push(case().body(JSON, body));
    }
    let mut unknown_field: Value = serde_json::from_str(&valid).unwrap();
    unknown_field["unexpected"] = json!(true);
    cases.push(case().body(JSON, unknown_field.to_string()));
    let mut wrong_case: serde_json::Map<String, Value> = serde_json::from_str(&valid).unwrap();
    let (first, value) = wrong_case
        .iter()
        .next()
        .map(|(k, v)| (k.clone(), v.clone()))
        .unwrap();
    wrong_case.remove(&first);
    wrong_case.insert(first.to_uppercase(), value);
    cases.push(case().body(JSON, Value::Object(wrong_case).to_string()));
    // The same field twice is ambiguous: refused, not read as either value.
    let inner = valid.trim_start_matches('{').trim_end_matches('}');
    cases.push(case().body(JSON, format!("{{{inner}, {inner}}}")));
    cases.push(
        case()
            .body(JSON, oversized())
            .expect(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
    );
    cases.push(
        case()
            .streamed(JSON, 20)
            .expect(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
    );
    cases
}

/// The refusals of routes that take no parameters (no body, or `{}` as JSON).
fn no_body_cases(method: &Method, path: &str, token: Option<&str>) -> Vec<Case> {
    let case = || Case::new(method.clone(), path, token);
    let unsupported = (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    let mut cases = vec![
        case().body(None, "{}").expect(unsupported.0, unsupported.1),
        case().body(None, "x").expect(unsupported.0, unsupported.1),
        case()
            .body(Some("text/plain"), "{}")
            .expect(unsupported.0, unsupported.1),
        case()
            .body(Some("application/x-www-form-urlencoded"), "a=1")
            .expect(unsupported.0, unsupported.1),
        case()
            .body(Some("application/json; charset=latin1"), "{}")
            .expect(unsupported.0, unsupported.1),
        // Too large and not JSON: the type is refused first (415 before 413).
        case()
            .body(Some("text/plain"), "x".repeat(17 * 1024))
            .expect(unsupported.0, unsupported.1),
        case()
            .body(None, "x".repeat(17 * 1024))
            .expect(unsupported.0, unsupported.1),
        case()
            .body(JSON, oversized())
            .expect(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        case()
            .streamed(JSON, 20)
            .expect(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
    ];
    for body in ["{", "nul", "{} x", "{}{}", "\u{feff}{}"] {
        cases.push(
            case()
                .body(JSON, body)
                .expect(StatusCode::BAD_REQUEST, "invalid_json"),
        );
    }
    cases.push(
        case()
            .body(JSON, vec![0xff])
            .expect(StatusCode::BAD_REQUEST, "invalid_json"),
    );
    for body in [
        "[]",
        "null",
        "0",
        "\"\"",
        "{\"x\": 1}",
        "{\"ticket\": \"A001\"}",
        "{\"category\": \"tax\"}",
        "{\"force\": true}",
    ] {
        cases.push(case().body(JSON, body));
    }
    cases
}

/// Every method but `allowed`, each answered 405 with the error body.
fn wrong_methods(path: &str, allowed: &[Method], token: Option<&str>) -> Vec<Case> {
    [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
        Method::from_bytes(b"PURGE").unwrap(),
        Method::from_bytes(b"BREW").unwrap(),
    ]
    .into_iter()
    // HEAD answers carry no body, and GET routes answer HEAD as GET.
    .filter(|m| !allowed.contains(m))
    .map(|method| Case {
        allow: allowed.to_vec(),
        ..Case::new(method, path, token)
            .body(JSON, "{}")
            .expect(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    })
    .collect()
}

#[tokio::test]
async fn malformed_requests_at_every_route_answer_4xx_and_change_nothing() {
    let h = TestServer::new().await;
    let t = h.tokens.clone();
    // An office where well-formed requests would change things: tickets waiting, counter 1
    // holding a called ticket, counter 2 open, a spare token to revoke.
    h.issue("registration").await;
    let waiting = h.issue("registration").await;
    let waiting_id = waiting["id"].as_str().unwrap().to_owned();
    h.issue("tax").await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    h.act("2", "open").await.expect(StatusCode::OK);
    let spare = h
        .store
        .create_token(numerek_store::Role::Kiosk, None, None)
        .await
        .unwrap()
        .record
        .id;
    let kiosk = Some(t.kiosk.as_str());
    let clerk = Some(t.clerk.as_str());
    let admin = Some(t.admin.as_str());

    let mut cases = Vec::new();
    // Routes with a JSON body.
    let issue = "/api/v1/tickets";
    cases.extend(json_body_cases(
        &Method::POST,
        issue,
        &t.kiosk,
        &json!({"category": "registration"}),
    ));
    for body in [
        json!({"category": 1}),
        json!({"category": null}),
        json!({"category": ["registration"]}),
        json!({"category": {"id": "registration"}}),
        json!({"category": "registration", "priority": "yes"}),
        json!({"category": "registration", "priority": 1}),
        json!({"category": "registration", "priority": [true]}),
        json!({"category": "registration", "language": 7}),
        json!({"category": "registration", "language": "de"}),
        json!({"category": "registration", "language": ""}),
        json!({"category": "registration", "language": "PL"}),
        json!({"category": "tax", "priority": true}),
        json!({"category": "unknown", "language": "xx"}),
    ] {
        cases.push(Case::new(Method::POST, issue, kiosk).body(JSON, body.to_string()));
    }
    for (body, status, code) in [
        (
            json!({"category": "unknown"}),
            StatusCode::NOT_FOUND,
            "unknown_category",
        ),
        (
            json!({"category": "Registration"}),
            StatusCode::NOT_FOUND,
            "unknown_category",
        ),
        (
            json!({"category": ""}),
            StatusCode::NOT_FOUND,
            "unknown_category",
        ),
        (
            json!({"category": "archive"}),
            StatusCode::CONFLICT,
            "category_closed",
        ),
    ] {
        cases.push(
            Case::new(Method::POST, issue, kiosk)
                .body(JSON, body.to_string())
                .expect(status, code),
        );
    }
    let call = "/api/v1/counters/2/call";
    cases.extend(json_body_cases(
        &Method::POST,
        call,
        &t.clerk,
        &json!({"ticket": waiting_id}),
    ));
    for body in [
        json!({"ticket": 17}),
        json!({"ticket": null}),
        json!({"ticket": ""}),
        json!({"ticket": "   "}),
        json!({"ticket": ["A001"]}),
        json!({"ticket": {"number": "A001"}}),
        json!({"number": "A002"}),
    ] {
        cases.push(Case::new(Method::POST, call, clerk).body(JSON, body.to_string()));
    }
    for (body, status, code) in [
        (
            json!({"ticket": "A999"}),
            StatusCode::NOT_FOUND,
            "unknown_ticket",
        ),
        (
            json!({"ticket": "A0"}),
            StatusCode::NOT_FOUND,
            "unknown_ticket",
        ),
        (
            json!({"ticket": "A99999999999"}),
            StatusCode::NOT_FOUND,
            "unknown_ticket",
        ),
        (
            json!({"ticket": "no-such-id"}),
            StatusCode::NOT_FOUND,
            "unknown_ticket",
        ),
        (
            json!({"ticket": "A001"}),
            StatusCode::CONFLICT,
            "ticket_not_waiting",
        ),
    ] {
        cases.push(
            Case::new(Method::POST, call, clerk)
                .body(JSON, body.to_string())
                .expect(status, code),
        );
    }
    let transfer = "/api/v1/counters/1/transfer";
    cases.extend(json_body_cases(
        &Method::POST,
        transfer,
        &t.clerk,
        &json!({"category": "tax", "position": "front"}),
    ));
    for body in [
        json!({"category": 1}),
        json!({"category": "tax", "position": "middle"}),
        json!({"category": "tax", "position": "FRONT"}),
        json!({"category": "tax", "position": 0}),
        json!({"category": "tax", "position": true}),
        json!({"position": "back"}),
    ] {
        cases.push(Case::new(Method::POST, transfer, clerk).body(JSON, body.to_string()));
    }
    cases.push(
        Case::new(Method::POST, transfer, clerk)
            .body(JSON, json!({"category": "nope"}).to_string())
            .expect(StatusCode::NOT_FOUND, "unknown_category"),
    );
    cases.push(
        Case::new(Method::POST, "/api/v1/counters/3/transfer", clerk)
            .body(JSON, json!({"category": "tax"}).to_string())
            .expect(StatusCode::CONFLICT, "no_current_ticket"),
    );
    let tokens = "/api/v1/admin/tokens";
    cases.extend(json_body_cases(
        &Method::POST,
        tokens,
        &t.admin,
        &json!({"role": "clerk", "label": "x", "counter": "1"}),
    ));
    for body in [
        json!({"role": "root"}),
        json!({"role": "Admin"}),
        json!({"role": " kiosk"}),
        json!({"role": null}),
        json!({"role": ["kiosk"]}),
        json!({"role": "kiosk", "label": 5}),
        json!({"role": "kiosk", "label": "x".repeat(201)}),
        json!({"role": "kiosk", "counter": "1"}),
        json!({"role": "admin", "counter": "1"}),
        json!({"role": "clerk", "counter": 1}),
        json!({"role": "clerk", "token": "nmk_mine"}),
        json!({"role": "clerk", "id": "mine"}),
    ] {
        cases.push(Case::new(Method::POST, tokens, admin).body(JSON, body.to_string()));
    }
    for counter in ["99", "", "1 "] {
        cases.push(
            Case::new(Method::POST, tokens, admin)
                .body(
                    JSON,
                    json!({"role": "clerk", "counter": counter}).to_string(),
                )
                .expect(StatusCode::NOT_FOUND, "unknown_counter"),
        );
    }

    // Routes without parameters.
    for action in [
        "open",
        "pause",
        "close",
        "call-next",
        "recall",
        "finish",
        "no-show",
    ] {
        cases.extend(no_body_cases(
            &Method::POST,
            &format!("/api/v1/counters/1/{action}"),
            clerk,
        ));
        cases.push(
            Case::new(
                Method::POST,
                &format!("/api/v1/counters/99/{action}"),
                clerk,
            )
            .expect(StatusCode::NOT_FOUND, "unknown_counter"),
        );
        cases.push(
            Case::new(
                Method::POST,
                &format!("/api/v1/counters/%FF/{action}"),
                clerk,
            )
            .expect(StatusCode::BAD_REQUEST, "invalid_request"),
        );
    }
    for action in ["recall", "finish", "no-show"] {
        cases.push(
            Case::new(Method::POST, &format!("/api/v1/counters/3/{action}"), clerk)
                .expect(StatusCode::CONFLICT, "no_current_ticket"),
        );
    }
    let cancel = format!("/api/v1/tickets/{waiting_id}/cancel");
    cases.extend(no_body_cases(&Method::POST, &cancel, None));
    // Unlike other actions, a cancel needs its `{}` (a page of another site could send it
    // without a body).
    cases.push(
        Case::new(Method::POST, &cancel, None)
            .expect(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
    );
    cases.push(
        Case::new(Method::POST, &cancel, None)
            .body(JSON, "")
            .expect(StatusCode::BAD_REQUEST, "invalid_json"),
    );
    let revoke = format!("/api/v1/admin/tokens/{spare}");
    cases.extend(no_body_cases(&Method::DELETE, &revoke, admin));

    // Resources that do not exist, and paths that cannot be decoded.
    for (method, path, token, status, code) in [
        (
            Method::GET,
            "/api/v1/tickets/nope",
            None,
            StatusCode::NOT_FOUND,
            "unknown_ticket",
        ),
        (
            Method::GET,
            "/api/v1/tickets/A001",
            None,
            StatusCode::NOT_FOUND,
            "unknown_ticket",
        ),
        (
            Method::POST,
            "/api/v1/tickets/nope/cancel",
            None,
            StatusCode::NOT_FOUND,
            "unknown_ticket",
        ),
        (
            Method::GET,
            "/api/v1/counters/99",
            clerk,
            StatusCode::NOT_FOUND,
            "unknown_counter",
        ),
        (
            Method::DELETE,
            "/api/v1/admin/tokens/nope",
            admin,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::GET,
            "/api/v1/tickets/%FF",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            Method::POST,
            "/api/v1/tickets/%C3%28/cancel",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            Method::GET,
            "/api/v1/counters/%FF",
            clerk,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            Method::DELETE,
            "/api/v1/admin/tokens/%FF",
            admin,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            Method::GET,
            "/api/v1/nope",
            admin,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::POST,
            "/api/v1/counters/1/dance",
            clerk,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::POST,
            "/api/v1/counters/1/open/",
            clerk,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::GET,
            "/api/v1/status/",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Method::GET,
            "/api/v1/events",
            None,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
    ] {
        let case = Case::new(method, path, token);
        // A cancel takes `{}` as JSON; only then is the ticket looked for.
        let case = if path.ends_with("/cancel") {
            case.body(JSON, "{}")
        } else {
            case
        };
        cases.push(case.expect(status, code));
    }

    // Methods a route does not take.
    let ticket_path = format!("/api/v1/tickets/{waiting_id}");
    let routes: [(&str, &[Method], Option<&str>); 19] = [
        ("/healthz", &[Method::GET, Method::HEAD], None),
        ("/metrics", &[Method::GET, Method::HEAD], None),
        ("/api/v1/office", &[Method::GET, Method::HEAD], None),
        ("/api/v1/status", &[Method::GET, Method::HEAD], None),
        ("/api/v1/events", &[Method::GET, Method::HEAD], None),
        (issue, &[Method::POST], kiosk),
        (&ticket_path, &[Method::GET, Method::HEAD], None),
        (&cancel, &[Method::POST], None),
        ("/api/v1/counters/1", &[Method::GET, Method::HEAD], clerk),
        ("/api/v1/counters/1/open", &[Method::POST], clerk),
        ("/api/v1/counters/1/pause", &[Method::POST], clerk),
        ("/api/v1/counters/1/close", &[Method::POST], clerk),
        ("/api/v1/counters/1/call-next", &[Method::POST], clerk),
        (call, &[Method::POST], clerk),
        ("/api/v1/counters/1/recall", &[Method::POST], clerk),
        ("/api/v1/counters/1/finish", &[Method::POST], clerk),
        ("/api/v1/counters/1/no-show", &[Method::POST], clerk),
        (transfer, &[Method::POST], clerk),
        (tokens, &[Method::GET, Method::HEAD, Method::POST], admin),
    ];
    for (path, allowed, token) in routes {
        cases.extend(wrong_methods(path, allowed, token));
    }
    cases.extend(wrong_methods(&revoke, &[Method::DELETE], admin));

    let before = observable(&h).await;
    let count = cases.len();
    for case in cases {
        let what = format!(
            "{} {} [{}] {:?}",
            case.method,
            case.path,
            case.content_type.as_deref().unwrap_or("no content type"),
            case.shown
        );
        let answer = h
            .raw(
                case.method,
                &case.path,
                case.token.as_deref(),
                case.content_type.as_deref(),
                case.body,
            )
            .await;
        assert!(
            answer.status.is_client_error(),
            "{what}: 4xx, got {} {}",
            answer.status,
            answer.text
        );
        assert_eq!(answer.status, case.status, "{what}: {}", answer.text);
        answer.expect_error(case.status, case.code);
        if case.status == StatusCode::METHOD_NOT_ALLOWED {
            let allow = answer
                .headers
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_else(|| panic!("{what}: a 405 says what is allowed"));
            let listed: Vec<&str> = allow.split(',').map(str::trim).collect();
            for method in &case.allow {
                assert!(listed.contains(&method.as_str()), "{what}: Allow: {allow}");
            }
        }
        assert_eq!(
            observable(&h).await,
            before,
            "{what}: a refused request changes nothing"
        );
    }
    assert!(count > 500, "{count} cases");

    // The same requests, well formed, do change the office.
    h.post(issue, kiosk, &json!({"category": "registration"}))
        .await
        .expect(StatusCode::CREATED);
    h.act_with(
        "1",
        "transfer",
        &json!({"category": "tax", "position": "front"}),
    )
    .await
    .expect(StatusCode::OK);
    h.act_with("2", "call", &json!({"ticket": waiting_id}))
        .await
        .expect(StatusCode::OK);
    let answer = h.raw(Method::DELETE, &revoke, admin, JSON, "{}").await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "{}", answer.text);
    let after = observable(&h).await;
    assert_eq!(
        after.0["seq"].as_u64().unwrap(),
        before.0["seq"].as_u64().unwrap() + 3,
        "issued, transferred, called (and the token revoked, which is no event)"
    );
    assert_eq!(after.1.len(), before.1.len() - 1);
}

#[tokio::test]
async fn json_content_types_with_parameters_are_accepted_when_utf_8() {
    let h = TestServer::new().await;
    let body = json!({"category": "registration"}).to_string();
    for content_type in [
        "application/json",
        "Application/JSON",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "application/json; charset=\"utf-8\"",
        "application/json; charset=utf8",
        "application/json; foo=bar",
    ] {
        let answer = h
            .raw(
                Method::POST,
                "/api/v1/tickets",
                Some(&h.tokens.kiosk),
                Some(content_type),
                body.clone(),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::CREATED,
            "{content_type}: {}",
            answer.text
        );
    }
    // `{}` and an empty body for an action without parameters, whatever its content type.
    for content_type in [None, Some("application/json"), Some("text/plain")] {
        h.raw(
            Method::POST,
            "/api/v1/counters/1/open",
            Some(&h.tokens.clerk),
            content_type,
            "",
        )
        .await
        .expect(StatusCode::OK);
    }
}

/// A request whose body does not arrive in time is answered `408 request_timeout` with the
/// error body (and the security headers), not with an empty answer.
#[tokio::test]
async fn a_body_that_never_arrives_is_408_with_the_error_body() {
    let h = TestServer::new().await;
    let before = observable(&h).await;
    // From here on nothing needs the store's writer: time may jump while the server waits.
    tokio::time::pause();
    let first = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(
        b"{\"category\": ",
    ))]);
    let never = futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
    let request = axum::http::Request::post("/api/v1/tickets")
        .header(header::AUTHORIZATION, format!("Bearer {}", h.tokens.kiosk))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(futures_util::StreamExt::chain(
            first, never,
        )))
        .unwrap();
    let response = tokio::time::timeout(
        numerek_server::REQUEST_TIMEOUT * 4,
        h.app().oneshot(request),
    )
    .await
    .expect("the server gives up on the body")
    .unwrap();
    assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
    assert!(
        response
            .headers()
            .contains_key(header::CONTENT_SECURITY_POLICY)
    );
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let body: Value = serde_json::from_slice(&bytes).expect("a JSON error body");
    assert_error_body(&body, "request_timeout");
    tokio::time::resume();
    assert_eq!(observable(&h).await, before);
    // The server waited, it did not fail: a request in time is answered.
    assert_eq!(h.issue("registration").await["number"], "A001");
}

/// Methods of any name are refused, and do not become metric labels one by one.
#[tokio::test]
async fn invented_methods_do_not_grow_the_metrics() {
    let h = TestServer::new().await;
    for i in 0..20 {
        let method = Method::from_bytes(format!("X-INVENTED-{i}").as_bytes()).unwrap();
        h.raw(method, "/api/v1/status", None, None, Body::empty())
            .await
            .expect_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    }
    let text = h.get("/metrics", Some(&h.tokens.manager)).await.text;
    assert!(!text.contains("X-INVENTED"), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with(
            "numerek_http_request_duration_seconds_count{method=\"other\",route=\"/api/v1/status\"} 20"
        )),
        "{text}"
    );
}
