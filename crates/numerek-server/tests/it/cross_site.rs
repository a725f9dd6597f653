//! No cross-site writes: a page of another site, opened in a browser of the office, can make that
//! browser send requests to numerek. Writes and feed upgrades that carry a foreign `Origin` are
//! refused (`403 cross_origin`) before anything else, and the one write anyone may make without a
//! token, cancelling a ticket, cannot be sent as a "simple" request (no body, `text/plain`, a
//! form), which browsers send cross-site without asking the server first.

use crate::support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use support::{Answer, OFFICE, RunningServer, TestServer, WAIT, recv};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// The test office with a public address and one more allowed origin.
fn office() -> String {
    let languages = "languages = [\"pl\", \"en\"]";
    assert!(OFFICE.contains(languages));
    OFFICE.replacen(
        languages,
        &format!(
            "{languages}\npublic_url = \"https://kolejka.example.pl\"\n\
             allowed_origins = [\"https://portal.example.pl\"]"
        ),
        1,
    )
}

/// The server's own address in these in-process requests (their `Host`).
const HOST: &str = "127.0.0.1:8080";

/// A request with a `Host`, an optional `Origin`, an optional token and a JSON body.
async fn send(
    h: &TestServer,
    method: Method,
    path: &str,
    origin: Option<&str>,
    token: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, HOST);
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(body) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(body.to_string())
        }
        None => Body::empty(),
    };
    h.send(request.body(body).expect("a request")).await
}

/// What a test may change: the status and the tokens.
async fn observable(h: &TestServer) -> (Value, usize) {
    (h.staff_status().await, h.store.tokens().len())
}

const FOREIGN: [&str; 5] = [
    "https://evil.example",
    "http://127.0.0.1:8081",
    "https://127.0.0.1:8080",
    "null",
    "not an origin",
];

#[tokio::test]
async fn writes_from_a_foreign_origin_are_refused_first_and_change_nothing() {
    let h = TestServer::with_office(&office()).await;
    let waiting = h.issue("registration").await;
    let id = waiting["id"].as_str().unwrap();
    let admin_token = h.store.tokens()[0].id.clone();
    let before = observable(&h).await;
    let t = &h.tokens;
    let writes: Vec<(Method, String, Option<&str>, Option<Value>)> = vec![
        (
            Method::POST,
            "/api/v1/tickets".into(),
            Some(t.kiosk.as_str()),
            Some(json!({"category": "registration"})),
        ),
        (
            Method::POST,
            format!("/api/v1/tickets/{id}/cancel"),
            None,
            Some(json!({})),
        ),
        (
            Method::POST,
            "/api/v1/counters/1/call-next".into(),
            Some(t.clerk.as_str()),
            None,
        ),
        (
            Method::POST,
            "/api/v1/admin/tokens".into(),
            Some(t.admin.as_str()),
            Some(json!({"role": "admin"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/admin/tokens/{admin_token}"),
            Some(t.admin.as_str()),
            None,
        ),
        // Before authentication (no token at all) and before routing (no such path).
        (Method::POST, "/api/v1/tickets".into(), None, None),
        (Method::PUT, "/api/v1/nowhere".into(), None, None),
        (Method::PATCH, "/api/v1/status".into(), None, None),
    ];
    for (method, path, token, body) in &writes {
        for origin in FOREIGN {
            let answer = send(&h, method.clone(), path, Some(origin), *token, body.clone()).await;
            answer.expect_error(StatusCode::FORBIDDEN, "cross_origin");
            assert!(
                answer.headers.contains_key(header::CONTENT_SECURITY_POLICY),
                "the refusal carries the security headers"
            );
        }
    }
    assert_eq!(observable(&h).await, before, "nothing changed");
    assert_eq!(h.ticket(id).await["state"], "waiting");

    // Reads are not writes: a foreign page may read the public status (CORS keeps the answer
    // from its script).
    let read = send(
        &h,
        Method::GET,
        "/api/v1/status",
        Some("https://evil.example"),
        None,
        None,
    );
    read.await.expect(StatusCode::OK);
}

#[tokio::test]
async fn writes_from_the_servers_own_and_configured_origins_or_without_origin_pass() {
    let h = TestServer::with_office(&office()).await;
    for origin in [
        None,
        Some("http://127.0.0.1:8080"),
        Some("HTTP://127.0.0.1:8080/"),
        Some("https://kolejka.example.pl"),
        Some("https://kolejka.example.pl:443"),
        Some("https://portal.example.pl"),
    ] {
        let issued = send(
            &h,
            Method::POST,
            "/api/v1/tickets",
            origin,
            Some(&h.tokens.kiosk),
            Some(json!({"category": "registration"})),
        )
        .await;
        let ticket = issued.expect(StatusCode::CREATED).clone();
        let id = ticket["id"].as_str().unwrap();
        let cancelled = send(
            &h,
            Method::POST,
            &format!("/api/v1/tickets/{id}/cancel"),
            origin,
            None,
            Some(json!({})),
        )
        .await;
        assert_eq!(
            cancelled.expect(StatusCode::OK)["state"],
            "cancelled",
            "{origin:?}"
        );
    }
}

/// Opens the feed with these extra headers; answers the refusal's status and body, or `None`
/// when the upgrade succeeded (and its first message is a snapshot).
async fn open_feed(
    server: &RunningServer,
    query: Option<&str>,
    origin: Option<&str>,
) -> Option<(u16, Value)> {
    let mut request = server
        .events_url(query)
        .into_client_request()
        .expect("a WebSocket request");
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert(header::ORIGIN, origin.parse().expect("a header value"));
    }
    match timeout(WAIT, tokio_tungstenite::connect_async(request))
        .await
        .expect("the handshake ends in time")
    {
        Ok((mut ws, _)) => {
            assert_eq!(recv(&mut ws).await["type"], "snapshot");
            None
        }
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            let body = response
                .body()
                .as_deref()
                .and_then(|bytes| serde_json::from_slice(bytes).ok())
                .unwrap_or(Value::Null);
            Some((response.status().as_u16(), body))
        }
        Err(other) => panic!("the handshake failed otherwise: {other}"),
    }
}

#[tokio::test]
async fn a_feed_upgrade_from_a_foreign_origin_is_refused() {
    let h = TestServer::with_office(&office()).await;
    let server = RunningServer::start(h.state.clone()).await;
    let own = format!("http://{}", server.addr);
    let kiosk = format!("token={}", h.tokens.kiosk);
    let clerk = format!("token={}", h.tokens.clerk);
    for origin in ["https://evil.example", "null", "http://127.0.0.1:1"] {
        for query in [
            None,
            Some(kiosk.as_str()),
            Some(clerk.as_str()),
            Some("token=nmk_bad"),
        ] {
            let (status, body) = open_feed(&server, query, Some(origin))
                .await
                .unwrap_or_else(|| panic!("{origin} with {query:?} is refused"));
            assert_eq!(status, 403, "{origin}: {body}");
            support::assert_error_body(&body, "cross_origin");
        }
    }
    for origin in [
        None,
        Some(own.as_str()),
        Some("https://kolejka.example.pl"),
        Some("https://portal.example.pl"),
    ] {
        assert_eq!(open_feed(&server, None, origin).await, None, "{origin:?}");
        assert_eq!(
            open_feed(&server, Some(&clerk), origin).await,
            None,
            "{origin:?} with a clerk token"
        );
    }
    // A bad token from an allowed origin is the token's refusal, as before.
    let refused = open_feed(&server, Some("token=nmk_bad"), Some(&own)).await;
    assert_eq!(refused.map(|(status, _)| status), Some(401));
    server.stop().await;
}

#[tokio::test]
async fn a_cancel_sent_as_a_simple_request_is_refused_and_the_ticket_still_waits() {
    let h = TestServer::with_office(&office()).await;
    let ticket = h.issue("registration").await;
    let path = format!("/api/v1/tickets/{}/cancel", ticket["id"].as_str().unwrap());
    let before = observable(&h).await;
    // What a page of another site can make a browser send without asking: no body, an empty
    // text/plain body, a form.
    h.raw(Method::POST, &path, None, None, Body::empty())
        .await
        .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    h.raw(Method::POST, &path, None, Some("text/plain"), Body::empty())
        .await
        .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    h.raw(
        Method::POST,
        &path,
        None,
        Some("text/plain;charset=UTF-8"),
        Body::from("{}"),
    )
    .await
    .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    h.raw(
        Method::POST,
        &path,
        None,
        Some("application/x-www-form-urlencoded"),
        Body::from("cancel=1"),
    )
    .await
    .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    h.raw(
        Method::POST,
        &path,
        None,
        Some("multipart/form-data; boundary=x"),
        Body::from("--x--\r\n"),
    )
    .await
    .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    // JSON, but not `{}`.
    h.raw(
        Method::POST,
        &path,
        None,
        Some("application/json"),
        Body::empty(),
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_json");
    h.raw(Method::POST, &path, None, Some("application/json"), "[]")
        .await
        .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    h.raw(
        Method::POST,
        &path,
        None,
        Some("application/json"),
        r#"{"now": true}"#,
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    assert_eq!(observable(&h).await, before, "nothing changed");
    assert_eq!(
        h.ticket(ticket["id"].as_str().unwrap()).await["state"],
        "waiting"
    );
    // `{}` as JSON cancels it.
    let answer = h.post(&path, None, &json!({})).await;
    assert_eq!(answer.expect(StatusCode::OK)["state"], "cancelled");
}
