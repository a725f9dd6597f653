//! numerek-server: the HTTP and WebSocket face of an office.
//!
//! # Layout
//! - [`app`] builds the router; [`serve`] runs it on a listener until a shutdown signal, then
//!   closes WebSockets and the store; [`listen`] accepts the connections (header read timeout,
//!   graceful shutdown) with its [`ServeOptions`].
//! - [`routes`]: one module per audience (public, kiosk, counters, admin, open data) and the
//!   event feed; [`routes::table`], every route with who may use it, which the router, the
//!   OpenAPI document and the role tests are all made from.
//! - [`auth`]: bearer tokens and each route's access, checked before its extractors;
//!   [`extract`]: strict JSON bodies and queries.
//! - [`client`]: the client's address (through trusted proxies) and the refusal of writes from
//!   pages of other sites; [`per_address`]: what each address holds, against its limit.
//! - [`csv`]: the CSV form of the reports.
//! - [`wire`]: core's read models as API v1's wire types (`numerek-api`), per audience.
//! - [`hub`]: serialise each event once, fan out to every WebSocket client.
//! - [`metrics`]: Prometheus text; [`pages`]: the embedded web clients.
//! - [`fdlimit`]: the open-file limit, raised at start, and the share connections may take.
//! - [`ratelimit`]: the token bucket of ticket issuing per kiosk token.
//! - [`openapi`]: the OpenAPI document, generated from the route table and the wire types.
//! - [`error`]: the one error type and its body.

pub mod auth;
pub mod client;
pub mod csv;
pub mod error;
pub mod extract;
pub mod fdlimit;
pub mod hub;
pub mod listen;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod per_address;
pub mod ratelimit;
pub mod routes;
pub mod state;
pub mod wire;

pub use listen::ServeOptions;
pub use state::AppState;

use crate::error::ApiError;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use jiff::SignedDuration;
use numerek_store::clock;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// The Content-Security-Policy of every answer: only the server's own scripts, styles, images
/// and connections; no inline script, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; media-src 'self' data:; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The Permissions-Policy of every answer: the pages use sound, speech, printing and vibration
/// (none of which is a policy feature) and nothing below, so every device feature a hostile
/// script could want is off, for the pages and anything they might embed.
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), \
    usb=(), serial=(), hid=(), bluetooth=(), midi=(), magnetometer=(), gyroscope=(), \
    accelerometer=(), display-capture=()";

/// The longest a request may take before it is answered 408 (WebSockets are not affected).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The API router with all routes, middleware and fallbacks. The routes are
/// [`routes::table`]'s, each behind its access check.
pub fn app(state: Arc<AppState>) -> Router {
    let mut router = Router::new();
    for route in routes::table() {
        let handler = match route.access {
            auth::Access::Public => route.handler,
            access => route.handler.route_layer(middleware::from_fn_with_state(
                (state.clone(), access),
                auth::authorize,
            )),
        };
        // Two methods of one path (a list and a create) merge into one method router.
        router = router.route(&route.path, handler);
    }
    router
        .fallback(page_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(
            extract::MAX_BODY_BYTES,
        ))
        // Before routing, authentication and bodies: a foreign page's write is refused first.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            client::refuse_cross_origin,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            client::identify,
        ))
        .layer(middleware::from_fn(request_timeout))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            record_metrics,
        ))
        .with_state(state)
}

/// Answers `408 request_timeout` when a request is not answered within [`REQUEST_TIMEOUT`]
/// (usually a body that arrives too slowly). A middleware of its own rather than tower-http's
/// timeout layer, whose 408 has an empty body: every error carries the API's error body, and
/// sitting inside the header and metrics layers, this one gets the security headers and is
/// counted too. A WebSocket upgrade is answered at once, so feeds are not affected.
async fn request_timeout(request: Request, next: Next) -> Response {
    // A backup copies the whole database before it answers: as long as that takes.
    if request.uri().path() == routes::backup::PATH {
        return next.run(request).await;
    }
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            format!(
                "the request was not received and answered within {} s",
                REQUEST_TIMEOUT.as_secs()
            ),
        )
        .into_response(),
    }
}

async fn api_not_found() -> ApiError {
    ApiError::not_found("there is no such API endpoint")
}

async fn page_not_found(request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        return api_not_found().await.into_response();
    }
    pages::by_path(request.uri().path())
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method",
    )
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        CONTENT_SECURITY_POLICY,
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS_POLICY,
    );
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    response
}

async fn record_metrics(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    tracing::debug!(
        method = method_label(&method),
        route,
        status = response.status().as_u16(),
        elapsed_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    if method != Method::OPTIONS {
        state
            .metrics
            .record_request(method_label(&method), &route, elapsed);
    }
    response
}

/// A request method as a metric label: the standard methods by name, any other as `other`.
/// HTTP allows methods of any name, so labelling them as sent would let a client grow the
/// metrics (and the server's memory) without bound, one invented method at a time.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}

/// How long (of the store's clock) the timers wait before trying again when what fell due (a new
/// day, missed bookings) could not be stored.
const ROLLOVER_RETRY: SignedDuration = SignedDuration::from_secs(10);

/// The office's timers: what falls due without a command. A new office day at local midnight,
/// and the bookings missed at the end of their check-in window (`Office::next_due`, the earlier
/// of the two), each a tick of the store at that instant of the store's clock
/// ([`clock::sleep_until`]): the system's (a changed system time is noticed within a minute), a
/// simulated one (at the simulated instant), or a hand-set one in tests (when it is set past
/// it). A booking with an earlier deadline, or a new day, wakes it to wait for the new one.
///
/// It waits for the office's own next deadline (not the next midnight after now): a clock that
/// jumps past a midnight while the last rollover was being stored still gets that day started.
pub async fn run_timers(state: Arc<AppState>) {
    let clock = state.store.clock().clone();
    loop {
        let due = state.store.office().next_due();
        tokio::select! {
            () = clock::sleep_until(clock.as_ref(), due) => {
                while let Err(error) = state.store.start_day_if_due().await {
                    tracing::warn!(%error, "could not store what fell due yet");
                    clock::sleep(clock.as_ref(), ROLLOVER_RETRY).await;
                }
            }
            () = state.timers.notified() => {}
        }
    }
}

/// Serves `app` on `listener` with the default [`ServeOptions`] until `shutdown` completes;
/// see [`listen::serve`].
///
/// # Errors
/// When the listener fails.
pub async fn serve(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listen::serve(listener, state, shutdown, ServeOptions::default()).await
}
