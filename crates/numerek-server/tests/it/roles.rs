//! Every route of API v1 with every kind of caller: nobody, an unknown token, a
//! kiosk, a clerk, a clerk bound to the counter acted at, a clerk bound to another counter, a
//! manager and an admin. Each request is made against an office prepared so that it would
//! succeed; a caller that may use the route gets the route's success status, one that may not
//! gets exactly 401 or 403 with the error body, and a refusal changes nothing.

use crate::support;

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};
use support::{TestServer, assert_error_body};

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    /// No `Authorization` header.
    Nobody,
    /// A bearer secret that is no token.
    UnknownToken,
    Kiosk,
    /// A clerk token bound to no counter.
    Clerk,
    /// A clerk token bound to counter 1, where the counter routes act.
    ClerkHere,
    /// A clerk token bound to counter 2.
    ClerkElsewhere,
    Manager,
    Admin,
}

const CALLERS: [Caller; 8] = [
    Caller::Nobody,
    Caller::UnknownToken,
    Caller::Kiosk,
    Caller::Clerk,
    Caller::ClerkHere,
    Caller::ClerkElsewhere,
    Caller::Manager,
    Caller::Admin,
];

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone, with or without a token.
    Public,
    /// Kiosk (and admin) tokens.
    Kiosk,
    /// Clerk, manager and admin tokens; a clerk bound to another counter is refused.
    Counter,
    /// Manager and admin tokens.
    Manager,
    /// Admin tokens.
    Admin,
}

/// What the spec says a caller gets at a route: `None` when it may use it, else the refusal.
fn refusal(access: Access, caller: Caller) -> Option<(StatusCode, &'static str)> {
    use Caller::*;
    let unauthorized = Some((StatusCode::UNAUTHORIZED, "unauthorized"));
    let forbidden = Some((StatusCode::FORBIDDEN, "forbidden"));
    match (access, caller) {
        (Access::Public, _) => None,
        (_, Nobody | UnknownToken) => unauthorized,
        (Access::Kiosk, Kiosk | Admin) => None,
        (Access::Counter, Clerk | ClerkHere | Manager | Admin) => None,
        (Access::Manager, Manager | Admin) => None,
        (Access::Admin, Admin) => None,
        _ => forbidden,
    }
}

/// A route, by what it does.
#[derive(Debug, Clone, Copy)]
enum Route {
    Healthz,
    Metrics,
    Office,
    Status,
    Events,
    ReadTicket,
    CancelTicket,
    Issue,
    ShowCounter,
    Open,
    Pause,
    Close,
    CallNext,
    Call,
    Recall,
    Finish,
    NoShow,
    Transfer,
    ListTokens,
    CreateToken,
    RevokeToken,
    Backup,
    ReportSummary,
    ReportTickets,
    OpenApi,
    OpenData,
    OpenDataPreflight,
    IndexPage,
    TicketPage,
    TicketQr,
}

const ROUTES: [Route; 30] = [
    Route::Healthz,
    Route::Metrics,
    Route::Office,
    Route::Status,
    Route::Events,
    Route::ReadTicket,
    Route::CancelTicket,
    Route::Issue,
    Route::ShowCounter,
    Route::Open,
    Route::Pause,
    Route::Close,
    Route::CallNext,
    Route::Call,
    Route::Recall,
    Route::Finish,
    Route::NoShow,
    Route::Transfer,
    Route::ListTokens,
    Route::CreateToken,
    Route::RevokeToken,
    Route::Backup,
    Route::ReportSummary,
    Route::ReportTickets,
    Route::OpenApi,
    Route::OpenData,
    Route::OpenDataPreflight,
    Route::IndexPage,
    Route::TicketPage,
    Route::TicketQr,
];

/// The method and path pattern of a route, as the OpenAPI document names it.
fn pattern(route: Route) -> (&'static str, &'static str) {
    match route {
        Route::Healthz => ("GET", "/healthz"),
        Route::Metrics => ("GET", "/metrics"),
        Route::Office => ("GET", "/api/v1/office"),
        Route::Status => ("GET", "/api/v1/status"),
        Route::Events => ("GET", "/api/v1/events"),
        Route::ReadTicket => ("GET", "/api/v1/tickets/{id}"),
        Route::CancelTicket => ("POST", "/api/v1/tickets/{id}/cancel"),
        Route::Issue => ("POST", "/api/v1/tickets"),
        Route::ShowCounter => ("GET", "/api/v1/counters/{id}"),
        Route::Open => ("POST", "/api/v1/counters/{id}/open"),
        Route::Pause => ("POST", "/api/v1/counters/{id}/pause"),
        Route::Close => ("POST", "/api/v1/counters/{id}/close"),
        Route::CallNext => ("POST", "/api/v1/counters/{id}/call-next"),
        Route::Call => ("POST", "/api/v1/counters/{id}/call"),
        Route::Recall => ("POST", "/api/v1/counters/{id}/recall"),
        Route::Finish => ("POST", "/api/v1/counters/{id}/finish"),
        Route::NoShow => ("POST", "/api/v1/counters/{id}/no-show"),
        Route::Transfer => ("POST", "/api/v1/counters/{id}/transfer"),
        Route::ListTokens => ("GET", "/api/v1/admin/tokens"),
        Route::CreateToken => ("POST", "/api/v1/admin/tokens"),
        Route::RevokeToken => ("DELETE", "/api/v1/admin/tokens/{id}"),
        Route::Backup => ("GET", "/api/v1/admin/backup"),
        Route::ReportSummary => ("GET", "/api/v1/reports/summary"),
        Route::ReportTickets => ("GET", "/api/v1/reports/tickets"),
        Route::OpenApi => ("GET", "/api/v1/openapi.json"),
        Route::OpenData => ("GET", "/api/v1/open-data/warsaw"),
        Route::OpenDataPreflight => ("OPTIONS", "/api/v1/open-data/warsaw"),
        Route::IndexPage => ("GET", "/"),
        Route::TicketPage => ("GET", "/t/{id}"),
        Route::TicketQr => ("GET", "/t/{id}/qr.svg"),
    }
}

/// Who may use a route by the OpenAPI document: its `security` and `x-numerek-role`.
fn documented_access(route: Route) -> Access {
    let document: Value =
        serde_json::from_str(numerek_server::openapi::DOCUMENT).expect("the OpenAPI document");
    let (method, path) = pattern(route);
    let operation = &document["paths"][path][method.to_lowercase()];
    let public = operation["security"]
        .as_array()
        .is_some_and(|security| security.is_empty());
    match operation["x-numerek-role"].as_str() {
        None if public => Access::Public,
        Some("kiosk") => Access::Kiosk,
        Some("clerk") => Access::Counter,
        Some("manager") => Access::Manager,
        Some("admin") => Access::Admin,
        other => panic!("{method} {path}: unexpected security {other:?}"),
    }
}

/// This walk covers every route: the OpenAPI document lists exactly the router's routes (a test
/// of the server crate checks that), and every one of them is in [`ROUTES`].
#[test]
fn every_route_of_the_api_is_walked() {
    let document: Value =
        serde_json::from_str(numerek_server::openapi::DOCUMENT).expect("the OpenAPI document");
    let mut documented = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    documented.sort();
    let mut walked: Vec<(String, String)> = ROUTES
        .iter()
        .map(|route| {
            let (method, path) = pattern(*route);
            (method.to_owned(), path.to_owned())
        })
        .collect();
    walked.sort();
    assert_eq!(
        walked, documented,
        "tests/roles.rs walks every route of the OpenAPI document: add a new route to ROUTES \
         with who may use it"
    );
}

/// A request ready to send, and what a permitted caller gets.
struct Prepared {
    method: Method,
    path: String,
    body: Option<Value>,
    access: Access,
    success: StatusCode,
    /// Whether a permitted request changes the office or its tokens.
    changes: bool,
}

/// Brings the office into a state where `route` would succeed, and builds its request.
async fn prepare(h: &TestServer, route: Route) -> Prepared {
    let plain = |method: Method, path: &str, access: Access, success: StatusCode| Prepared {
        method,
        path: path.to_owned(),
        body: None,
        access,
        success,
        changes: false,
    };
    let counter_action = |action: &str, body: Option<Value>| Prepared {
        method: Method::POST,
        path: format!("/api/v1/counters/1/{action}"),
        body,
        access: Access::Counter,
        success: StatusCode::OK,
        changes: true,
    };
    // Counter 1 holds a called ticket (the one before, if any, is served).
    let with_current = || async {
        h.issue("registration").await;
        h.act("1", "call-next").await.expect(StatusCode::OK);
    };
    match route {
        Route::Healthz => plain(Method::GET, "/healthz", Access::Public, StatusCode::OK),
        Route::Metrics => plain(Method::GET, "/metrics", Access::Manager, StatusCode::OK),
        Route::Office => plain(
            Method::GET,
            "/api/v1/office",
            Access::Public,
            StatusCode::OK,
        ),
        Route::Status => plain(
            Method::GET,
            "/api/v1/status",
            Access::Public,
            StatusCode::OK,
        ),
        // In process there is no WebSocket upgrade: every caller gets the same 400, never a
        // 401 or 403, because the feed is public.
        Route::Events => plain(
            Method::GET,
            "/api/v1/events",
            Access::Public,
            StatusCode::BAD_REQUEST,
        ),
        Route::ReadTicket => {
            let ticket = h.issue("tax").await;
            let path = format!("/api/v1/tickets/{}", ticket["id"].as_str().unwrap());
            plain(Method::GET, &path, Access::Public, StatusCode::OK)
        }
        Route::CancelTicket => {
            let ticket = h.issue("tax").await;
            Prepared {
                changes: true,
                body: Some(json!({})),
                ..plain(
                    Method::POST,
                    &format!("/api/v1/tickets/{}/cancel", ticket["id"].as_str().unwrap()),
                    Access::Public,
                    StatusCode::OK,
                )
            }
        }
        Route::Issue => Prepared {
            method: Method::POST,
            path: "/api/v1/tickets".into(),
            body: Some(json!({"category": "registration"})),
            access: Access::Kiosk,
            success: StatusCode::CREATED,
            changes: true,
        },
        Route::ShowCounter => plain(
            Method::GET,
            "/api/v1/counters/1",
            Access::Counter,
            StatusCode::OK,
        ),
        Route::Open => {
            h.act("1", "close").await.expect(StatusCode::OK);
            counter_action("open", None)
        }
        Route::Pause => {
            h.act("1", "open").await.expect(StatusCode::OK);
            counter_action("pause", None)
        }
        Route::Close => {
            h.act("1", "open").await.expect(StatusCode::OK);
            counter_action("close", None)
        }
        Route::CallNext => {
            h.issue("registration").await;
            counter_action("call-next", None)
        }
        Route::Call => {
            let ticket = h.issue("tax").await;
            counter_action("call", Some(json!({"ticket": ticket["id"]})))
        }
        Route::Recall => {
            with_current().await;
            counter_action("recall", None)
        }
        Route::Finish => {
            with_current().await;
            counter_action("finish", None)
        }
        Route::NoShow => {
            with_current().await;
            counter_action("no-show", None)
        }
        Route::Transfer => {
            with_current().await;
            counter_action("transfer", Some(json!({"category": "tax"})))
        }
        Route::ListTokens => plain(
            Method::GET,
            "/api/v1/admin/tokens",
            Access::Admin,
            StatusCode::OK,
        ),
        Route::CreateToken => Prepared {
            method: Method::POST,
            path: "/api/v1/admin/tokens".into(),
            body: Some(json!({"role": "kiosk", "label": "made by the roles test"})),
            access: Access::Admin,
            success: StatusCode::CREATED,
            changes: true,
        },
        Route::RevokeToken => {
            let token = h
                .store
                .create_token(numerek_store::Role::Kiosk, Some("to revoke".into()), None)
                .await
                .expect("a token to revoke");
            Prepared {
                changes: true,
                ..plain(
                    Method::DELETE,
                    &format!("/api/v1/admin/tokens/{}", token.record.id),
                    Access::Admin,
                    StatusCode::NO_CONTENT,
                )
            }
        }
        Route::Backup => plain(
            Method::GET,
            "/api/v1/admin/backup",
            Access::Admin,
            StatusCode::OK,
        ),
        Route::ReportSummary => plain(
            Method::GET,
            "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&group_by=category",
            Access::Manager,
            StatusCode::OK,
        ),
        Route::ReportTickets => plain(
            Method::GET,
            "/api/v1/reports/tickets?from=2026-11-23&to=2026-11-23&format=csv",
            Access::Manager,
            StatusCode::OK,
        ),
        Route::OpenApi => plain(
            Method::GET,
            "/api/v1/openapi.json",
            Access::Public,
            StatusCode::OK,
        ),
        Route::OpenData => plain(
            Method::GET,
            "/api/v1/open-data/warsaw",
            Access::Public,
            StatusCode::OK,
        ),
        Route::OpenDataPreflight => plain(
            Method::OPTIONS,
            "/api/v1/open-data/warsaw",
            Access::Public,
            StatusCode::NO_CONTENT,
        ),
        Route::IndexPage => plain(Method::GET, "/", Access::Public, StatusCode::OK),
        Route::TicketPage => {
            let ticket = h.issue("tax").await;
            let path = format!("/t/{}", ticket["id"].as_str().unwrap());
            plain(Method::GET, &path, Access::Public, StatusCode::OK)
        }
        Route::TicketQr => {
            let ticket = h.issue("tax").await;
            let path = format!("/t/{}/qr.svg", ticket["id"].as_str().unwrap());
            plain(Method::GET, &path, Access::Public, StatusCode::OK)
        }
    }
}

/// The office's observable state: the status and the token ids.
async fn observable(h: &TestServer) -> (Value, Vec<String>) {
    let tokens = h.store.tokens().into_iter().map(|t| t.id).collect();
    (h.status().await, tokens)
}

#[tokio::test]
async fn every_route_with_every_caller() {
    let h = TestServer::new().await;
    let elsewhere = h
        .store
        .create_token(numerek_store::Role::Clerk, None, Some("2".into()))
        .await
        .expect("a clerk token bound to counter 2")
        .secret;
    let secret = |caller: Caller| -> Option<String> {
        match caller {
            Caller::Nobody => None,
            Caller::UnknownToken => Some("nmk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into()),
            Caller::Kiosk => Some(h.tokens.kiosk.clone()),
            Caller::Clerk => Some(h.tokens.clerk.clone()),
            Caller::ClerkHere => Some(h.tokens.clerk1.clone()),
            Caller::ClerkElsewhere => Some(elsewhere.clone()),
            Caller::Manager => Some(h.tokens.manager.clone()),
            Caller::Admin => Some(h.tokens.admin.clone()),
        }
    };
    let mut checked = 0;
    for route in ROUTES {
        for caller in CALLERS {
            let request = prepare(&h, route).await;
            assert_eq!(
                documented_access(route),
                request.access,
                "{route:?}: the OpenAPI document names the roles this test expects"
            );
            let before = observable(&h).await;
            let (content_type, body) = match &request.body {
                Some(body) => (Some("application/json"), Body::from(body.to_string())),
                None => (None, Body::empty()),
            };
            let answer = h
                .raw(
                    request.method.clone(),
                    &request.path,
                    secret(caller).as_deref(),
                    content_type,
                    body,
                )
                .await;
            let what = format!(
                "{route:?} as {caller:?}: {} {}",
                request.method, request.path
            );
            let after = observable(&h).await;
            match refusal(request.access, caller) {
                Some((status, code)) => {
                    assert_eq!(answer.status, status, "{what}: {}", answer.text);
                    assert_error_body(&answer.body, code);
                    if status == StatusCode::UNAUTHORIZED {
                        assert_eq!(
                            answer.headers.get(header::WWW_AUTHENTICATE).unwrap(),
                            "Bearer",
                            "{what}"
                        );
                    }
                    assert_eq!(after, before, "{what}: a refusal changes nothing");
                }
                None => {
                    assert_eq!(answer.status, request.success, "{what}: {}", answer.text);
                    if request.success.is_client_error() {
                        assert_error_body(&answer.body, "invalid_request");
                    }
                    if request.changes {
                        assert_ne!(after, before, "{what}: the request took effect");
                    } else {
                        assert_eq!(after, before, "{what}: a read changes nothing");
                    }
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, ROUTES.len() * CALLERS.len());
}

/// A bound clerk is refused any counter but its own, whatever the action and even for a counter
/// that does not exist or a path that cannot be decoded: the role comes before the form (400)
/// and before the resources (404).
#[tokio::test]
async fn a_bound_clerk_is_refused_every_other_counter_before_anything_else() {
    let h = TestServer::new().await;
    h.issue("registration").await;
    let clerk1 = Some(h.tokens.clerk1.as_str());
    let before = observable(&h).await;
    let actions = [
        "open",
        "pause",
        "close",
        "call-next",
        "call",
        "recall",
        "finish",
        "no-show",
        "transfer",
    ];
    for counter in ["2", "3", "99", "%FF", "1%20", "01"] {
        for action in actions {
            let path = format!("/api/v1/counters/{counter}/{action}");
            for (content_type, body) in [
                (None, ""),
                (Some("application/json"), "{"),
                (Some("text/plain"), "x"),
            ] {
                let answer = h.raw(Method::POST, &path, clerk1, content_type, body).await;
                assert_eq!(
                    answer.status,
                    StatusCode::FORBIDDEN,
                    "{path}: {}",
                    answer.text
                );
                assert_error_body(&answer.body, "forbidden");
            }
        }
        let path = format!("/api/v1/counters/{counter}");
        h.get(&path, clerk1)
            .await
            .expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    assert_eq!(observable(&h).await, before);
    // At its own counter the usual order holds: the form, then the state.
    h.raw(
        Method::POST,
        "/api/v1/counters/1/call",
        clerk1,
        Some("application/json"),
        "{",
    )
    .await
    .expect_error(StatusCode::BAD_REQUEST, "invalid_json");
    h.post_empty("/api/v1/counters/1/finish", clerk1)
        .await
        .expect_error(StatusCode::CONFLICT, "no_current_ticket");
    assert_eq!(observable(&h).await, before);
}

/// Public routes ignore the `Authorization` header altogether: a revoked or unknown token does
/// not turn a lobby display's status request into a 401.
#[tokio::test]
async fn public_routes_ignore_any_authorization_header() {
    let h = TestServer::new().await;
    let ticket = h.issue("registration").await;
    let id = ticket["id"].as_str().unwrap();
    for authorization in [
        "Bearer nmk_unknown",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "garbage",
    ] {
        for path in [
            "/healthz".to_owned(),
            "/api/v1/office".to_owned(),
            "/api/v1/status".to_owned(),
            format!("/api/v1/tickets/{id}"),
        ] {
            let request = axum::http::Request::get(&path)
                .header(header::AUTHORIZATION, authorization)
                .body(Body::empty())
                .unwrap();
            let answer = h.send(request).await;
            assert_eq!(
                answer.status,
                StatusCode::OK,
                "{path} with {authorization:?}"
            );
        }
    }
    let request = axum::http::Request::post(format!("/api/v1/tickets/{id}/cancel"))
        .header(header::AUTHORIZATION, "Bearer nmk_unknown")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(
        h.send(request).await.expect(StatusCode::OK)["state"],
        "cancelled"
    );
}
