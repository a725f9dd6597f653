//! Every route of the route table (`numerek_server::routes::table`, which the router and the
//! OpenAPI document are made from) with every kind of caller: nobody, an unknown token, a
//! kiosk, a clerk, a clerk bound to the counter acted at, a clerk bound to another counter, a
//! manager and an admin. Each request is made against an office prepared so that it would
//! succeed; a caller that may use the route gets the route's success status, one that may not
//! gets exactly 401 or 403 with the error body, and a refusal changes nothing.

use crate::support;

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use numerek_server::auth;
use numerek_server::routes::{self, Route};
use numerek_store::Role;
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
    /// Clerk, manager and admin tokens, a clerk bound to any counter too (not a counter's
    /// route: the day's appointments).
    Staff,
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
        (Access::Staff, Clerk | ClerkHere | ClerkElsewhere | Manager | Admin) => None,
        (Access::Manager, Manager | Admin) => None,
        (Access::Admin, Admin) => None,
        _ => forbidden,
    }
}

/// Who may use a route by the route table, which the router enforces and the OpenAPI
/// document states.
fn table_access(route: &Route) -> Access {
    match route.access {
        auth::Access::Public => Access::Public,
        auth::Access::Token(Role::Kiosk) => Access::Kiosk,
        auth::Access::Token(Role::Clerk) if route.path.starts_with("/api/v1/counters/") => {
            Access::Counter
        }
        auth::Access::Token(Role::Clerk) => Access::Staff,
        auth::Access::Token(Role::Manager) | auth::Access::Metrics => Access::Manager,
        auth::Access::Token(Role::Admin) => Access::Admin,
    }
}

/// Whether `path` (with its query) is one of the route pattern `pattern` (`/t/{id}`).
fn matches_pattern(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let (pattern, path): (Vec<&str>, Vec<&str>) =
        (pattern.split('/').collect(), path.split('/').collect());
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(&path)
            .all(|(want, got)| want == got || (want.starts_with('{') && !got.is_empty()))
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

/// Brings the office into a state where `route` would succeed, and builds its request, with who
/// the API's contract (`docs/api.md`) says may use it.
async fn prepare(h: &TestServer, route: &Route) -> Prepared {
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
    match route.operation_id() {
        "healthz" => plain(Method::GET, "/healthz", Access::Public, StatusCode::OK),
        "metrics" => plain(Method::GET, "/metrics", Access::Manager, StatusCode::OK),
        "office" => plain(
            Method::GET,
            "/api/v1/office",
            Access::Public,
            StatusCode::OK,
        ),
        "status" => plain(
            Method::GET,
            "/api/v1/status",
            Access::Public,
            StatusCode::OK,
        ),
        // In process there is no WebSocket upgrade: every caller gets the same 400, never a
        // 401 or 403, because the feed is public.
        "events" => plain(
            Method::GET,
            "/api/v1/events",
            Access::Public,
            StatusCode::BAD_REQUEST,
        ),
        "ticket" => {
            let ticket = h.issue("tax").await;
            let path = format!("/api/v1/tickets/{}", ticket["id"].as_str().unwrap());
            plain(Method::GET, &path, Access::Public, StatusCode::OK)
        }
        "cancelTicket" => {
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
        "rateTicket" => {
            with_current().await;
            let served = h.act("1", "finish").await.expect(StatusCode::OK).clone();
            Prepared {
                changes: true,
                body: Some(json!({"score": 4})),
                ..plain(
                    Method::POST,
                    &format!(
                        "/api/v1/tickets/{}/feedback",
                        served["ticket"]["id"].as_str().unwrap()
                    ),
                    Access::Public,
                    StatusCode::OK,
                )
            }
        }
        "issueTicket" => Prepared {
            method: Method::POST,
            path: "/api/v1/tickets".into(),
            body: Some(json!({"category": "registration"})),
            access: Access::Kiosk,
            success: StatusCode::CREATED,
            changes: true,
        },
        "counter" => plain(
            Method::GET,
            "/api/v1/counters/1",
            Access::Counter,
            StatusCode::OK,
        ),
        "openCounter" => {
            h.act("1", "close").await.expect(StatusCode::OK);
            counter_action("open", None)
        }
        "pauseCounter" => {
            h.act("1", "open").await.expect(StatusCode::OK);
            counter_action("pause", None)
        }
        "closeCounter" => {
            h.act("1", "open").await.expect(StatusCode::OK);
            counter_action("close", None)
        }
        "callNext" => {
            h.issue("registration").await;
            counter_action("call-next", None)
        }
        "callTicket" => {
            let ticket = h.issue("tax").await;
            counter_action("call", Some(json!({"ticket": ticket["id"]})))
        }
        "recall" => {
            with_current().await;
            counter_action("recall", None)
        }
        "finish" => {
            with_current().await;
            counter_action("finish", None)
        }
        "noShow" => {
            with_current().await;
            counter_action("no-show", None)
        }
        "transfer" => {
            with_current().await;
            counter_action("transfer", Some(json!({"category": "tax"})))
        }
        // The tablet at counter 1 rates the ticket it has just finished. Counter 1 serves tax
        // whatever its work profile (the profile route may have set one).
        "rateAtCounter" => {
            h.issue("tax").await;
            h.act("1", "call-next").await.expect(StatusCode::OK);
            h.act("1", "finish").await.expect(StatusCode::OK);
            Prepared {
                method: Method::POST,
                path: "/api/v1/counters/1/feedback".into(),
                body: Some(json!({"score": 5})),
                access: Access::Kiosk,
                success: StatusCode::OK,
                changes: true,
            }
        }
        "setProfile" => {
            // Back to the office file's profile, so that asking for another one is a change.
            h.post(
                "/api/v1/counters/1/profile",
                Some(&h.tokens.manager),
                &json!({"categories": ["registration", "tax"], "order": "fifo"}),
            )
            .await
            .expect(StatusCode::OK);
            counter_action("profile", Some(json!({"categories": ["tax"]})))
        }
        "listTokens" => plain(
            Method::GET,
            "/api/v1/admin/tokens",
            Access::Admin,
            StatusCode::OK,
        ),
        "createToken" => Prepared {
            method: Method::POST,
            path: "/api/v1/admin/tokens".into(),
            body: Some(json!({"role": "kiosk", "label": "made by the roles test"})),
            access: Access::Admin,
            success: StatusCode::CREATED,
            changes: true,
        },
        "revokeToken" => {
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
        "backup" => plain(
            Method::GET,
            "/api/v1/admin/backup",
            Access::Admin,
            StatusCode::OK,
        ),
        "reportSummary" => plain(
            Method::GET,
            "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&group_by=category",
            Access::Manager,
            StatusCode::OK,
        ),
        "reportTickets" => plain(
            Method::GET,
            "/api/v1/reports/tickets?from=2026-11-23&to=2026-11-23&format=csv",
            Access::Manager,
            StatusCode::OK,
        ),
        "reportStaffing" => plain(
            Method::GET,
            "/api/v1/reports/staffing?from=2026-11-23&to=2026-11-23&target_pct=90",
            Access::Manager,
            StatusCode::OK,
        ),
        "openapi" => plain(
            Method::GET,
            "/api/v1/openapi.json",
            Access::Public,
            StatusCode::OK,
        ),
        "openDataWarsaw" => plain(
            Method::GET,
            "/api/v1/open-data/warsaw",
            Access::Public,
            StatusCode::OK,
        ),
        "openDataWarsawPreflight" => plain(
            Method::OPTIONS,
            "/api/v1/open-data/warsaw",
            Access::Public,
            StatusCode::NO_CONTENT,
        ),
        "indexPage" => plain(Method::GET, "/", Access::Public, StatusCode::OK),
        "ticketPage" => {
            let ticket = h.issue("tax").await;
            let path = format!("/t/{}", ticket["id"].as_str().unwrap());
            plain(Method::GET, &path, Access::Public, StatusCode::OK)
        }
        "bookingPage" => plain(
            Method::GET,
            "/book/ZZZZ2222",
            Access::Public,
            StatusCode::OK,
        ),
        "bookingQr" => {
            let code = staff_booking(h).await;
            plain(
                Method::GET,
                &format!("/book/{code}/qr.svg"),
                Access::Public,
                StatusCode::OK,
            )
        }
        "ticketQr" => {
            let ticket = h.issue("tax").await;
            let path = format!("/t/{}/qr.svg", ticket["id"].as_str().unwrap());
            plain(Method::GET, &path, Access::Public, StatusCode::OK)
        }
        "appointmentSlots" => plain(
            Method::GET,
            "/api/v1/appointments/slots?category=registration&from=2026-11-23&to=2026-11-24",
            Access::Public,
            StatusCode::OK,
        ),
        "book" => Prepared {
            method: Method::POST,
            path: "/api/v1/appointments".into(),
            body: Some(json!({"category": "registration", "start": "2026-11-23T09:30:00+01:00"})),
            access: Access::Public,
            success: StatusCode::CREATED,
            changes: true,
        },
        "appointments" => plain(
            Method::GET,
            "/api/v1/appointments?date=2026-11-23",
            Access::Staff,
            StatusCode::OK,
        ),
        "appointment" => {
            let code = staff_booking(h).await;
            plain(
                Method::GET,
                &format!("/api/v1/appointments/{code}"),
                Access::Public,
                StatusCode::OK,
            )
        }
        "appointmentCalendar" => {
            let code = staff_booking(h).await;
            plain(
                Method::GET,
                &format!("/api/v1/appointments/{code}/calendar.ics"),
                Access::Public,
                StatusCode::OK,
            )
        }
        "cancelAppointment" => {
            let code = staff_booking(h).await;
            Prepared {
                changes: true,
                body: Some(json!({})),
                ..plain(
                    Method::POST,
                    &format!("/api/v1/appointments/{code}/cancel"),
                    Access::Public,
                    StatusCode::OK,
                )
            }
        }
        "checkIn" => {
            let code = staff_booking(h).await;
            Prepared {
                changes: true,
                ..plain(
                    Method::POST,
                    &format!("/api/v1/appointments/{code}/check-in"),
                    Access::Kiosk,
                    StatusCode::CREATED,
                )
            }
        }
        other => panic!(
            "{other} ({route:?}) is a route of the table this test cannot prepare: add it to \
             prepare() with who may use it"
        ),
    }
}

/// A booking of today's 09:15 slot (its check-in window open at the tests' 09:00), made by a
/// clerk so that no public limit is spent: its code.
async fn staff_booking(h: &TestServer) -> String {
    let answer = h
        .post(
            "/api/v1/appointments",
            Some(&h.tokens.clerk),
            &json!({"category": "registration", "start": "2026-11-23T09:15:00+01:00"}),
        )
        .await;
    answer.expect(StatusCode::CREATED)["code"]
        .as_str()
        .expect("a code")
        .to_owned()
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
    let table = routes::table();
    assert!(table.len() >= 30, "the route table has every route");
    for route in &table {
        let expected = prepare(&h, route).await;
        assert!(
            expected.method == numerek_server::openapi::http_method(&route.method)
                && matches_pattern(&route.path, &expected.path),
            "{route:?}: prepared as {} {}",
            expected.method,
            expected.path
        );
        assert_eq!(
            table_access(route),
            expected.access,
            "{route:?}: the route table gives the route the roles the contract names"
        );
        for caller in CALLERS {
            let request = prepare(&h, route).await;
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
    assert_eq!(checked, table.len() * CALLERS.len());
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
        "profile",
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
