//! Test support for the server tests: a small office, a store on a temporary directory with a
//! hand-set clock, one token per role, in-process requests, and a real server on 127.0.0.1 for
//! the WebSocket feed.
//!
//! Every wait is bounded, so a broken server fails a test instead of hanging it.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use futures_util::{SinkExt, StreamExt};
use http_body_util::BodyExt;
use jiff::Timestamp;
use numerek_core::OfficeConfig;
use numerek_server::{AppState, ServeOptions};
use numerek_store::{Clock, ManualClock, Role, Store, StoreOptions};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tower::ServiceExt;

/// The test office: the shared all-day test office (`tests/fixtures/all-day-office.toml` of the
/// repository), whose hours cover every day entirely so tests do not depend on the time;
/// `archive` issues only 12:00-13:00 (closed at the tests' 09:00), `passport` has a daily limit of
/// 2, `registration` takes bookings in slots of 15 minutes (50 a slot) around the clock, `tax` offers no priority. Counter 1 serves two categories in fifo order, counter 2 serves
/// them in the listed order (tax first), counter 3 serves passport and archive.
pub const OFFICE: &str = concat!(
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/all-day-office.toml"
    )),
    r#"
[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki", en = "Registration" }
target_wait_min = 15
appointments = { slot_min = 15, per_slot = 50, days_ahead = 7, hours = { mon = "00:00-24:00", tue = "00:00-24:00", wed = "00:00-24:00", thu = "00:00-24:00", fri = "00:00-24:00", sat = "00:00-24:00", sun = "00:00-24:00" } }

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki", en = "Taxes" }
target_wait_min = 10
priority = false

[[category]]
id = "passport"
prefix = "C"
name = { pl = "Paszporty", en = "Passports" }
target_wait_min = 20
daily_limit = 2

[[category]]
id = "archive"
prefix = "D"
name = { pl = "Archiwum", en = "Archive" }
target_wait_min = 30
hours = { mon = "12:00-13:00", tue = "12:00-13:00", wed = "12:00-13:00", thu = "12:00-13:00", fri = "12:00-13:00", sat = "12:00-13:00", sun = "12:00-13:00" }

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration", "tax"]

[[counter]]
id = "2"
name = { pl = "Stanowisko 2", en = "Counter 2" }
categories = ["tax", "registration"]
order = "listed"

[[counter]]
id = "3"
name = { pl = "Stanowisko 3", en = "Counter 3" }
categories = ["passport", "archive"]
"#
);

/// When every test starts: Monday 23 November 2026, 09:00 in Warsaw (UTC+1).
pub const START: &str = "2026-11-23T09:00:00+01:00";

/// The bound on any single wait in a test (a hang guard: what is waited for happens in
/// milliseconds).
pub const WAIT: Duration = Duration::from_secs(10);

/// Practically forever: for the server's time limits a test must not run into, however slow
/// the machine.
pub const NEVER: Duration = Duration::from_secs(3600);

/// Parses an RFC 3339 instant.
pub fn at(text: &str) -> Timestamp {
    text.parse().expect("a valid timestamp")
}

/// The test office's configuration.
pub fn config() -> Arc<OfficeConfig> {
    Arc::new(OfficeConfig::from_toml(OFFICE).expect("the test office is valid"))
}

/// One bearer secret per role, and a clerk bound to counter 1.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub kiosk: String,
    pub clerk: String,
    pub manager: String,
    pub admin: String,
    /// A clerk who may work counter "1" only.
    pub clerk1: String,
}

/// An answer: status, headers, the body as JSON (`Value::Null` when empty or not JSON) and as
/// text.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    /// Asserts the status, with the body in the message.
    #[track_caller]
    pub fn expect(&self, status: StatusCode) -> &Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        &self.body
    }

    /// Asserts an error answer: the status, exactly `{"error": {"code", "message"}}` with the
    /// code, a non-empty message, and a JSON content type.
    #[track_caller]
    pub fn expect_error(&self, status: StatusCode, code: &str) {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        assert_error_body(&self.body, code);
        let content_type = self
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            content_type.starts_with("application/json"),
            "an error is JSON, got content type {content_type:?}"
        );
    }

    /// Asserts that the status is one of `allowed`.
    #[track_caller]
    pub fn expect_status_in(&self, allowed: &[StatusCode]) {
        assert!(
            allowed.contains(&self.status),
            "status {} not in {allowed:?}: {}",
            self.status,
            self.text
        );
    }
}

/// `value` read as the wire type `T` of `numerek-api` (the types the server answers with and
/// clients read), or a failed test naming the JSON: every answer the helpers below return is
/// checked to have its type's shape.
#[track_caller]
pub fn read<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone())
        .unwrap_or_else(|error| panic!("not a {}: {error}: {value}", std::any::type_name::<T>()))
}

/// Asserts that `body` is exactly `{"error": {"code": code, "message": "..."}}`.
#[track_caller]
pub fn assert_error_body(body: &Value, code: &str) {
    let typed: numerek_api::ErrorBody = read(body);
    assert_eq!(typed.error.code, code, "{body}");
    let outer = body.as_object().expect("the error body is an object");
    assert_eq!(outer.len(), 1, "the error body has only `error`: {body}");
    let error = outer
        .get("error")
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("the error body has an `error` object: {body}"));
    assert_eq!(
        error.len(),
        2,
        "`error` has only `code` and `message`: {body}"
    );
    assert_eq!(
        error.get("code"),
        Some(&json!(code)),
        "error code in {body}"
    );
    let message = error.get("message").and_then(Value::as_str).unwrap_or("");
    assert!(
        !message.trim().is_empty(),
        "the error message is a sentence: {body}"
    );
}

/// A store on a temporary directory with a hand-set clock, and the server state around it.
pub struct TestServer {
    /// The temporary directory (kept alive as long as anyone needs it).
    pub dir: Arc<tempfile::TempDir>,
    pub clock: Arc<ManualClock>,
    pub store: Arc<Store>,
    pub state: Arc<AppState>,
    pub tokens: Tokens,
}

impl TestServer {
    /// A fresh office at [`START`] with one token per role.
    pub async fn new() -> Self {
        Self::with_office(OFFICE).await
    }

    /// As [`TestServer::new`], running another office file.
    pub async fn with_office(toml: &str) -> Self {
        let config = Arc::new(OfficeConfig::from_toml(toml).expect("the test office is valid"));
        let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
        let clock = Arc::new(ManualClock::new(at(START)));
        let store = open_store_with(&data_dir(&dir), &clock, config);
        let tokens = make_tokens(&store).await;
        let state = AppState::new(store.clone());
        Self {
            dir,
            clock,
            store,
            state,
            tokens,
        }
    }

    /// The office of an earlier `TestServer` reopened from its data directory (after every
    /// handle to the earlier store is gone).
    pub fn reopen(dir: Arc<tempfile::TempDir>, clock: Arc<ManualClock>, tokens: Tokens) -> Self {
        Self::reopen_office(dir, clock, tokens, config())
    }

    /// As [`TestServer::reopen`], running another office file.
    pub fn reopen_office(
        dir: Arc<tempfile::TempDir>,
        clock: Arc<ManualClock>,
        tokens: Tokens,
        config: Arc<OfficeConfig>,
    ) -> Self {
        let store = open_store_with(&data_dir(&dir), &clock, config);
        let state = AppState::new(store.clone());
        Self {
            dir,
            clock,
            store,
            state,
            tokens,
        }
    }

    /// As [`TestServer::reopen`], running another office file (one changed before the
    /// restart).
    pub fn reopen_with_office(
        dir: Arc<tempfile::TempDir>,
        clock: Arc<ManualClock>,
        tokens: Tokens,
        toml: &str,
    ) -> Self {
        let config = Arc::new(OfficeConfig::from_toml(toml).expect("the test office is valid"));
        let store = open_store_with(&data_dir(&dir), &clock, config);
        let state = AppState::new(store.clone());
        Self {
            dir,
            clock,
            store,
            state,
            tokens,
        }
    }

    /// The router, as the binary serves it.
    pub fn app(&self) -> Router {
        numerek_server::app(self.state.clone())
    }

    /// Sends one request in process.
    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = timeout(WAIT, self.app().oneshot(request))
            .await
            .expect("the server answers in time")
            .expect("the router never fails");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = timeout(WAIT, response.into_body().collect())
            .await
            .expect("the body arrives in time")
            .expect("the body can be read")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
            text,
        }
    }

    /// A request with an optional token, content type and raw body.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: impl Into<Body>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        self.send(request.body(body.into()).expect("a valid request"))
            .await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.raw(Method::GET, path, token, None, Body::empty())
            .await
    }

    /// `POST path` with a JSON body.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        self.raw(
            Method::POST,
            path,
            token,
            Some("application/json"),
            body.to_string(),
        )
        .await
    }

    /// `POST path` without a body.
    pub async fn post_empty(&self, path: &str, token: Option<&str>) -> Answer {
        self.raw(Method::POST, path, token, None, Body::empty())
            .await
    }

    /// `GET /api/v1/status`, asserted 200.
    pub async fn status(&self) -> Value {
        let status = self
            .get("/api/v1/status", None)
            .await
            .expect(StatusCode::OK)
            .clone();
        read::<numerek_api::Status>(&status);
        status
    }

    /// The status entry of a category.
    pub async fn category_status(&self, id: &str) -> Value {
        let status = self.status().await;
        status["categories"]
            .as_array()
            .expect("categories")
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("category {id} in the status"))
    }

    /// `GET /api/v1/status` with a clerk token (counters' current tickets with their ids),
    /// asserted 200.
    pub async fn staff_status(&self) -> Value {
        let status = self
            .get("/api/v1/status", Some(&self.tokens.clerk))
            .await
            .expect(StatusCode::OK)
            .clone();
        read::<numerek_api::Status>(&status);
        status
    }

    /// The status entry of a counter, as staff see it (with its current ticket's id), the
    /// form counter actions answer.
    pub async fn counter_status(&self, id: &str) -> Value {
        let status = self.staff_status().await;
        status["counters"]
            .as_array()
            .expect("counters")
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("counter {id} in the status"))
    }

    /// Issues a ticket with the kiosk token; asserts 201 and answers the ticket.
    pub async fn issue(&self, category: &str) -> Value {
        self.issue_with(json!({ "category": category })).await
    }

    /// Issues a ticket with the kiosk token and this body; asserts 201.
    pub async fn issue_with(&self, body: Value) -> Value {
        let answer = self
            .post("/api/v1/tickets", Some(&self.tokens.kiosk), &body)
            .await;
        let ticket = answer.expect(StatusCode::CREATED).clone();
        read::<numerek_api::Ticket>(&ticket);
        ticket
    }

    /// Issues a ticket with another token; asserts 201.
    pub async fn issue_with_token(&self, token: &str, category: &str) -> Value {
        let answer = self
            .post(
                "/api/v1/tickets",
                Some(token),
                &json!({ "category": category }),
            )
            .await;
        answer.expect(StatusCode::CREATED).clone()
    }

    /// The id of a waiting ticket by its number, from a counter's `next` list.
    pub async fn ticket_by_number_in_next(&self, counter: &str, number: &str) -> String {
        let answer = self
            .get(
                &format!("/api/v1/counters/{counter}"),
                Some(&self.tokens.clerk),
            )
            .await;
        answer.expect(StatusCode::OK)["next"]
            .as_array()
            .expect("next")
            .iter()
            .find(|t| t["number"] == number)
            .and_then(|t| t["id"].as_str())
            .unwrap_or_else(|| panic!("{number} waits for counter {counter}"))
            .to_owned()
    }

    /// A counter action without parameters, with the (unbound) clerk token.
    pub async fn act(&self, counter: &str, action: &str) -> Answer {
        let answer = self
            .post_empty(
                &format!("/api/v1/counters/{counter}/{action}"),
                Some(&self.tokens.clerk),
            )
            .await;
        if answer.status == StatusCode::OK {
            read::<numerek_api::CounterAnswer>(&answer.body);
        }
        answer
    }

    /// A counter action with parameters, with the (unbound) clerk token.
    pub async fn act_with(&self, counter: &str, action: &str, body: &Value) -> Answer {
        self.post(
            &format!("/api/v1/counters/{counter}/{action}"),
            Some(&self.tokens.clerk),
            body,
        )
        .await
    }

    /// `GET /api/v1/tickets/{id}`, asserted 200.
    pub async fn ticket(&self, id: &str) -> Value {
        let ticket = self
            .get(&format!("/api/v1/tickets/{id}"), None)
            .await
            .expect(StatusCode::OK)
            .clone();
        read::<numerek_api::Ticket>(&ticket);
        ticket
    }

    /// The office's current event sequence number, from the status.
    pub async fn seq(&self) -> u64 {
        self.status().await["seq"].as_u64().expect("seq")
    }

    /// A weak handle to the store, to wait until every strong one is gone.
    pub fn weak_store(&self) -> Weak<Store> {
        Arc::downgrade(&self.store)
    }
}

/// Where a test's database lives.
pub fn data_dir(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("data")
}

fn open_store(data_dir: &Path, clock: &Arc<ManualClock>) -> Arc<Store> {
    open_store_with(data_dir, clock, config())
}

fn open_store_with(
    data_dir: &Path,
    clock: &Arc<ManualClock>,
    config: Arc<OfficeConfig>,
) -> Arc<Store> {
    let clock: Arc<dyn Clock> = clock.clone();
    Arc::new(
        Store::open(StoreOptions::new(data_dir.to_path_buf(), config, clock))
            .expect("the store opens"),
    )
}

async fn make_tokens(store: &Store) -> Tokens {
    async fn make(store: &Store, role: Role, counter: Option<&str>) -> String {
        timeout(
            WAIT,
            store.create_token(
                role,
                Some(format!("test {role}")),
                counter.map(str::to_owned),
            ),
        )
        .await
        .expect("token created in time")
        .expect("token created")
        .secret
    }
    Tokens {
        kiosk: make(store, Role::Kiosk, None).await,
        clerk: make(store, Role::Clerk, None).await,
        manager: make(store, Role::Manager, None).await,
        admin: make(store, Role::Admin, None).await,
        clerk1: make(store, Role::Clerk, Some("1")).await,
    }
}

/// Waits (bounded) until nothing holds the store any more, so its database can be reopened.
pub async fn wait_until_released(store: Weak<Store>) {
    timeout(WAIT, async {
        while store.strong_count() > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the server lets go of the store after shutting down");
}

/// Asserts that a timestamp is RFC 3339 in the office's local time in winter: milliseconds and
/// the `+01:00` offset, e.g. `2026-11-23T09:15:02.123+01:00`.
#[track_caller]
pub fn assert_local_timestamp(value: &Value) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("a timestamp string, got {value}"));
    assert!(text.ends_with("+01:00"), "{text} carries the office offset");
    assert_eq!(text.len(), "2026-11-23T09:15:02.123+01:00".len(), "{text}");
    assert_eq!(&text[19..20], ".", "{text} has milliseconds");
    text.parse::<Timestamp>()
        .unwrap_or_else(|e| panic!("{text} is RFC 3339: {e}"));
}

// ----- a real server ---------------------------------------------------------------------------

/// A server running [`numerek_server::serve`] on 127.0.0.1.
pub struct RunningServer {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningServer {
    /// Serves `state` on a free port of 127.0.0.1.
    pub async fn start(state: Arc<AppState>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        Self::start_on(listener, state, ServeOptions::default())
    }

    /// Serves `state` with `options` on a free port of 127.0.0.1 whose connections have small
    /// kernel send buffers (accepted sockets inherit them), like a slow network: a client that
    /// does not read soon blocks the server's writes instead of being buffered by the kernel.
    pub async fn start_with_small_buffers(state: Arc<AppState>, options: ServeOptions) -> Self {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        socket.set_send_buffer_size(4096).expect("SO_SNDBUF");
        socket
            .bind("127.0.0.1:0".parse().expect("an address"))
            .expect("bind 127.0.0.1");
        let listener = socket.listen(64).expect("listen");
        Self::start_on(listener, state, options)
    }

    /// Serves `state` on `listener` with `options`.
    pub fn start_on(
        listener: tokio::net::TcpListener,
        state: Arc<AppState>,
        options: ServeOptions,
    ) -> Self {
        let addr = listener.local_addr().expect("local address");
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(numerek_server::listen::serve(
            listener,
            state,
            async move {
                let _ = rx.await;
            },
            options,
        ));
        Self {
            addr,
            shutdown: Some(tx),
            handle: Some(handle),
        }
    }

    /// The feed's URL with an optional query (`"since=3"`).
    pub fn events_url(&self, query: Option<&str>) -> String {
        match query {
            Some(query) => format!("ws://{}/api/v1/events?{query}", self.addr),
            None => format!("ws://{}/api/v1/events", self.addr),
        }
    }

    /// Connects to the feed.
    pub async fn connect(&self, query: Option<&str>) -> Ws {
        let (ws, _) = timeout(
            WAIT,
            tokio_tungstenite::connect_async(self.events_url(query)),
        )
        .await
        .expect("the WebSocket handshake finishes in time")
        .expect("the WebSocket handshake succeeds");
        ws
    }

    /// Signals shutdown without waiting.
    pub fn signal_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Shuts the server down and waits (bounded) for `serve` to return.
    pub async fn stop(mut self) {
        self.signal_shutdown();
        let handle = self.handle.take().expect("running");
        timeout(WAIT, handle)
            .await
            .expect("serve returns after shutdown")
            .expect("the serve task did not panic")
            .expect("serve ends without error");
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.signal_shutdown();
    }
}

/// A WebSocket client connection.
pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What the feed did next.
#[derive(Debug)]
pub enum Next {
    /// A JSON text message.
    Json(Value),
    /// A Close frame or the end of the stream (or a connection error).
    Closed,
    /// Nothing within the time given.
    Nothing,
}

/// The next text message or close within `within`, skipping pings and pongs.
pub async fn next_message<S>(ws: &mut WebSocketStream<S>, within: Duration) -> Next
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return Next::Nothing,
            Ok(None) | Ok(Some(Err(_))) | Ok(Some(Ok(Message::Close(_)))) => return Next::Closed,
            Ok(Some(Ok(Message::Text(text)))) => {
                let value = serde_json::from_str(text.as_str())
                    .unwrap_or_else(|e| panic!("the feed sends JSON ({e}): {text}"));
                return Next::Json(value);
            }
            Ok(Some(Ok(Message::Binary(_)))) => panic!("the feed sends text frames only"),
            Ok(Some(Ok(_))) => {}
        }
    }
}

/// The next JSON message; fails the test on close or silence.
#[track_caller]
pub fn expect_json(next: Next) -> Value {
    match next {
        Next::Json(value) => value,
        other => panic!("expected a feed message, got {other:?}"),
    }
}

/// The next JSON message within [`WAIT`].
pub async fn recv<S>(ws: &mut WebSocketStream<S>) -> Value
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let message = expect_json(next_message(ws, WAIT).await);
    read::<numerek_api::FeedMessage>(&message);
    message
}

/// Asserts that nothing arrives within `within`.
pub async fn assert_silent<S>(ws: &mut WebSocketStream<S>, within: Duration)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    match next_message(ws, within).await {
        Next::Nothing => {}
        other => panic!("expected nothing from the feed, got {other:?}"),
    }
}

/// Sends a text message from the client.
pub async fn send_text<S>(ws: &mut WebSocketStream<S>, text: &str)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    timeout(WAIT, ws.send(Message::text(text)))
        .await
        .expect("sent in time")
        .expect("sent");
}

/// Reads until the server closes the feed and answers the close code: `Some(code)` for a Close
/// frame, `None` when the stream ended or failed without one. Pings are skipped; a text message
/// before the close fails the test, as does nothing within `within`.
pub async fn close_code<S>(ws: &mut WebSocketStream<S>, within: Duration) -> Option<u16>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => panic!("the feed did not close within {within:?}"),
            Ok(None) | Ok(Some(Err(_))) => return None,
            Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|f| u16::from(f.code)),
            Ok(Some(Ok(Message::Text(text)))) => panic!("expected the feed to close, got {text}"),
            Ok(Some(Ok(_))) => {}
        }
    }
}
