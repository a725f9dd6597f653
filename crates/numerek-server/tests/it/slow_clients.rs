//! Slow, dead and too many clients against a real server on 127.0.0.1: a feed client that never
//! reads holds up nobody and is dropped once its socket has been stuck for the send time limit;
//! the feed admits at most its client limit; hundreds of idle feed clients block nobody; an HTTP
//! connection that sends no request, or never reads its answer, is closed.
//!
//! Time limits are shortened so that what they cause happens soon; every assertion is about
//! what happened, never about how long it took (each wait is bounded only so that a broken
//! server fails instead of hanging).

use crate::support;

use axum::http::StatusCode;
use numerek_server::routes::events::FeedTiming;
use numerek_server::{AppState, ServeOptions};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use support::{NEVER, Next, TestServer, WAIT, Ws, assert_error_body, next_message, recv};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite;

/// A short limit, for limits a test wants to see act.
const SHORT: Duration = Duration::from_millis(200);

/// A server run with chosen [`ServeOptions`].
struct Served {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    handle: JoinHandle<std::io::Result<()>>,
}

impl Served {
    /// Serves `state` on 127.0.0.1; with `small_buffers`, accepted sockets have 4 KiB kernel
    /// send buffers, so a client that does not read soon blocks the server's writes.
    async fn start(state: Arc<AppState>, options: ServeOptions, small_buffers: bool) -> Self {
        Self::serve(listen(small_buffers), state, options)
    }

    /// Serves `state` on `listener`: connections made before are accepted now, with what they
    /// have sent waiting for the server.
    fn serve(listener: TcpListener, state: Arc<AppState>, options: ServeOptions) -> Self {
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
            handle,
        }
    }

    fn feed_url(&self) -> String {
        format!("ws://{}/api/v1/events", self.addr)
    }

    /// A feed client.
    async fn connect(&self) -> Ws {
        timeout(WAIT, tokio_tungstenite::connect_async(self.feed_url()))
            .await
            .expect("the handshake finishes in time")
            .expect("the handshake succeeds")
            .0
    }

    /// A feed client whose kernel receive buffer is 4 KiB, so what it does not read soon
    /// backs up into the server.
    async fn connect_small(&self) -> tokio_tungstenite::WebSocketStream<TcpStream> {
        let socket = TcpSocket::new_v4().expect("a socket");
        socket.set_recv_buffer_size(4096).expect("SO_RCVBUF");
        let stream = timeout(WAIT, socket.connect(self.addr))
            .await
            .expect("connect in time")
            .expect("connect");
        timeout(
            WAIT,
            tokio_tungstenite::client_async(self.feed_url(), stream),
        )
        .await
        .expect("the handshake finishes in time")
        .expect("the handshake succeeds")
        .0
    }

    async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        timeout(WAIT, self.handle)
            .await
            .expect("serve returns after shutdown")
            .expect("the serve task did not panic")
            .expect("serve ends without error");
    }
}

/// A listening socket on a free port of 127.0.0.1 (nobody accepts yet: the kernel completes
/// connections and keeps what they send until then); with `small_buffers`, accepted sockets
/// have 4 KiB kernel send buffers.
fn listen(small_buffers: bool) -> TcpListener {
    let socket = TcpSocket::new_v4().expect("a socket");
    if small_buffers {
        socket.set_send_buffer_size(4096).expect("SO_SNDBUF");
    }
    socket
        .bind("127.0.0.1:0".parse().expect("an address"))
        .expect("bind 127.0.0.1");
    socket.listen(1024).expect("listen")
}

/// A state whose feed gives up on a client whose socket does not take a frame within
/// `send_timeout`, and never pings: clients that read nothing for as long as a slow machine
/// takes are never dropped for their silence, only ever for the limit under test.
fn with_send_timeout(h: &TestServer, send_timeout: Duration) -> Arc<AppState> {
    AppState::with_feed_timing(
        h.store.clone(),
        FeedTiming {
            ping_every: NEVER,
            silence_limit: NEVER,
            send_timeout,
        },
    )
}

/// Waits (bounded) until `condition` holds.
async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let reached = timeout(WAIT, async {
        while !condition() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(reached.is_ok(), "{what} did not happen within {WAIT:?}");
}

/// A metric's value, from the in-process `/metrics` (which opens no connection of its own).
async fn metric(h: &TestServer, name: &str) -> u64 {
    let text = h.get("/metrics", Some(&h.tokens.manager)).await.text;
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("{name} in the metrics"))
        .parse()
        .expect("a number")
}

/// Waits (bounded) until a metric has `value`.
async fn metric_reaches(h: &TestServer, name: &str, value: u64) {
    let reached = timeout(WAIT, async {
        while metric(h, name).await != value {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(
        reached.is_ok(),
        "{name} did not reach {value} within {WAIT:?}"
    );
}

/// Issues `count` tickets, and checks that `reader` receives each one's event, in order, right
/// after `first`.
async fn issue_and_follow(h: &TestServer, reader: &mut Ws, first: u64, count: u64) {
    for n in 1..=count {
        h.issue(if n % 2 == 0 { "tax" } else { "registration" })
            .await;
        let event = recv(reader).await;
        assert_eq!(event["seq"], first + n, "{event}");
        assert_eq!(event["type"], "ticket.issued");
    }
}

/// Reads every text frame of a feed until it ends or falls silent for `quiet`; answers the
/// messages and whether the stream ended.
async fn drain<S>(
    ws: &mut tokio_tungstenite::WebSocketStream<S>,
    quiet: Duration,
) -> (Vec<Value>, bool)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut messages = Vec::new();
    loop {
        match next_message(ws, quiet).await {
            Next::Json(value) => messages.push(value),
            Next::Closed => return (messages, true),
            Next::Nothing => return (messages, false),
        }
    }
}

/// The events a feed delivered are consecutive from `after`: no gap, no snapshot.
#[track_caller]
fn assert_consecutive(messages: &[Value], after: u64) {
    for (i, message) in messages.iter().enumerate() {
        assert_eq!(message["type"], "ticket.issued", "{message}");
        assert_eq!(message["seq"], after + 1 + i as u64, "no gap: {message}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_reads_holds_up_no_one_and_loses_nothing() {
    const EVENTS: u64 = 400;
    let h = TestServer::new().await;
    let options = ServeOptions {
        write_stall_timeout: NEVER,
        ..ServeOptions::default()
    };
    let server = Served::start(with_send_timeout(&h, NEVER), options, true).await;
    let mut stuck = server.connect_small().await;
    let mut reader = server.connect().await;
    let first = recv(&mut stuck).await["seq"].as_u64().unwrap();
    assert_eq!(recv(&mut reader).await["seq"], first);

    // `stuck` reads nothing more: after a few dozen events its socket is full and the server's
    // write to it waits. `reader` gets every event all the same, one after the other.
    issue_and_follow(&h, &mut reader, first, EVENTS).await;

    // What `stuck` did not take waited in the hub's shared ring (far below the lag limit), so
    // once it reads it gets everything, in order.
    let mut received = Vec::new();
    let mut bytes = 0;
    while received.len() < EVENTS as usize {
        let message = recv(&mut stuck).await;
        bytes += message.to_string().len();
        received.push(message);
    }
    assert_consecutive(&received, first);
    assert!(
        bytes > 64 * 1024,
        "the events ({bytes} bytes) were more than the 4 KiB socket buffers could hold, so \
         the server's write to the stuck client did wait"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_stuck_longer_than_the_send_limit_is_dropped_with_little_buffered() {
    const EVENTS: u64 = 400;
    let h = TestServer::new().await;
    let state = with_send_timeout(&h, SHORT);
    let hub = state.hub.clone();
    let server = Served::start(state, ServeOptions::default(), true).await;
    let mut stuck = server.connect_small().await;
    let mut reader = server.connect().await;
    let first = recv(&mut stuck).await["seq"].as_u64().unwrap();
    assert_eq!(recv(&mut reader).await["seq"], first);
    assert_eq!(hub.clients(), 2);

    issue_and_follow(&h, &mut reader, first, EVENTS).await;
    eventually("dropping the stuck client", || hub.clients() == 1).await;

    // The reader is live; the stuck client gets what was in its socket, then the end: the
    // server never queued the rest for it.
    issue_and_follow(&h, &mut reader, first + EVENTS, 1).await;
    let (received, ended) = drain(&mut stuck, WAIT).await;
    assert!(ended, "the stuck client's connection was closed");
    assert_consecutive(&received, first);
    assert!(
        (received.len() as u64) < EVENTS / 2,
        "only what fit in the socket buffers reached the stuck client, not all {EVENTS} \
         events: {} did",
        received.len()
    );
    server.stop().await;
}

#[tokio::test]
async fn the_feed_admits_at_most_its_client_limit_and_answers_503_before_the_upgrade() {
    let h = TestServer::new().await;
    let state = h.state.clone();
    let options = ServeOptions {
        max_feed_clients: 3,
        ..ServeOptions::default()
    };
    let server = Served::start(state.clone(), options, false).await;
    let mut clients = Vec::new();
    for _ in 0..3 {
        let mut ws = server.connect().await;
        assert_eq!(recv(&mut ws).await["type"], "snapshot");
        clients.push(ws);
    }
    let refused = timeout(WAIT, tokio_tungstenite::connect_async(server.feed_url()))
        .await
        .expect("answered in time");
    let Err(tungstenite::Error::Http(response)) = refused else {
        panic!("a fourth client is refused with an HTTP answer: {refused:?}");
    };
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        response.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"10"[..])
    );
    let body: Value =
        serde_json::from_slice(response.body().as_deref().unwrap_or_default()).expect("JSON");
    assert_error_body(&body, "too_many_clients");
    assert_eq!(
        state.hub.clients(),
        3,
        "the refused client was never counted"
    );

    // The clients in are served as before; one leaving makes room for another.
    h.issue("tax").await;
    for ws in &mut clients {
        assert_eq!(recv(ws).await["type"], "ticket.issued");
    }
    let mut leaving = clients.pop().expect("a client");
    timeout(WAIT, leaving.close(None))
        .await
        .expect("closed in time")
        .expect("closed");
    drop(leaving);
    eventually("counting the client that left", || state.hub.clients() == 2).await;
    let mut ws = server.connect().await;
    assert_eq!(recv(&mut ws).await["type"], "snapshot");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_idle_clients_block_nobody() {
    const IDLE: usize = 400;
    let h = TestServer::new().await;
    // Idle feed clients are not dropped for their silence, however long connecting them takes.
    let state = with_send_timeout(&h, FeedTiming::default().send_timeout);
    let server = Served::start(state.clone(), ServeOptions::default(), false).await;
    let url = server.feed_url();
    let addr = server.addr;
    let connecting: Vec<_> = (0..IDLE)
        .map(|n| {
            let url = url.clone();
            tokio::spawn(async move {
                // Hundreds of screens and phones, from as many addresses (one address may hold
                // only a few feeds).
                let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
                let source = format!("127.0.{}.{}:0", n / 200 + 1, n % 200 + 10);
                socket
                    .bind(source.parse().expect("an address"))
                    .expect("bind");
                let stream = timeout(WAIT, socket.connect(addr))
                    .await
                    .expect("connected in time")
                    .expect("connected");
                let (mut ws, _) = timeout(WAIT, tokio_tungstenite::client_async(url, stream))
                    .await
                    .expect("the handshake finishes in time")
                    .expect("the handshake succeeds");
                assert_eq!(recv(&mut ws).await["type"], "snapshot");
                ws
            })
        })
        .collect();
    let mut idle = Vec::with_capacity(IDLE);
    for task in connecting {
        idle.push(task.await.expect("connected"));
    }
    assert_eq!(state.hub.clients(), IDLE);

    // None of them reads; a new client still gets every event, and requests are answered.
    let mut reader = server.connect().await;
    let first = recv(&mut reader).await["seq"].as_u64().unwrap();
    issue_and_follow(&h, &mut reader, first, 20).await;
    let mut stream = timeout(WAIT, TcpStream::connect(server.addr))
        .await
        .expect("connect in time")
        .expect("connect");
    let answer = http_exchange(
        &mut stream,
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(idle);
    server.stop().await;
}

/// Sends `request` and reads until the server closes the connection.
async fn http_exchange(stream: &mut TcpStream, request: &str) -> String {
    timeout(WAIT, stream.write_all(request.as_bytes()))
        .await
        .expect("sent in time")
        .expect("sent");
    let mut answer = Vec::new();
    timeout(WAIT, stream.read_to_end(&mut answer))
        .await
        .expect("the server ends the answer in time")
        .expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

/// Writes all of `bytes`.
async fn send(stream: &mut TcpStream, bytes: &[u8]) {
    timeout(WAIT, stream.write_all(bytes))
        .await
        .expect("sent in time")
        .expect("sent");
}

/// Reads until the server closes the connection; answers what arrived.
async fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut received = Vec::new();
    timeout(WAIT, stream.read_to_end(&mut received))
        .await
        .expect("the server closes the connection")
        .expect("read");
    received
}

#[tokio::test]
async fn a_connection_that_sends_no_request_head_in_time_is_closed() {
    let h = TestServer::new().await;
    let options = ServeOptions {
        header_read_timeout: SHORT,
        ..ServeOptions::default()
    };
    // The clients connect and send what they will before the server accepts any connection,
    // so the server's time limit starts with all of it there, however slow the test is.
    let listener = listen(false);
    let addr = listener.local_addr().expect("local address");
    let connect = || async {
        timeout(WAIT, TcpStream::connect(addr))
            .await
            .expect("connect in time")
            .expect("connect")
    };
    // Connected, never a byte.
    let mut silent = connect().await;
    // Half a request head.
    let mut partial = connect().await;
    send(
        &mut partial,
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    )
    .await;
    // A whole request, on a connection kept alive.
    let mut kept = connect().await;
    send(
        &mut kept,
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    )
    .await;
    let server = Served::serve(listener, h.state.clone(), options);

    // Without a whole head in time: closed without an answer.
    assert!(until_closed(&mut silent).await.is_empty());
    assert!(until_closed(&mut partial).await.is_empty());
    // The keep-alive connection gets its answer, then is closed once idle.
    let answer = String::from_utf8_lossy(&until_closed(&mut kept).await).into_owned();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with(r#"{"status":"ok"}"#), "{answer}");
    metric_reaches(&h, "numerek_http_connections", 0).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_never_reads_its_answers_is_closed() {
    let h = TestServer::new().await;
    let options = ServeOptions {
        write_stall_timeout: SHORT,
        ..ServeOptions::default()
    };
    let server = Served::start(h.state.clone(), options, true).await;
    let socket = TcpSocket::new_v4().expect("a socket");
    socket.set_recv_buffer_size(4096).expect("SO_RCVBUF");
    let mut stream = timeout(WAIT, socket.connect(server.addr))
        .await
        .expect("connect in time")
        .expect("connect");
    // One whole exchange first: the connection is accepted and counted.
    timeout(
        WAIT,
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
    )
    .await
    .expect("sent in time")
    .expect("sent");
    let mut answer = Vec::new();
    while !answer.ends_with(br#"{"status":"ok"}"#) {
        let mut buffer = [0; 1024];
        let n = timeout(WAIT, stream.read(&mut buffer))
            .await
            .expect("answered in time")
            .expect("read");
        assert!(n > 0, "the connection stays open");
        answer.extend_from_slice(&buffer[..n]);
    }
    assert_eq!(metric(&h, "numerek_http_connections").await, 1);
    // Fifty pipelined requests for a 30 KB script: far more than the socket buffers hold.
    let request = "GET /reports/reports.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(50);
    timeout(WAIT, stream.write_all(request.as_bytes()))
        .await
        .expect("sent in time")
        .expect("sent");
    // Reading nothing, the client stalls the server's writes until the server gives up.
    metric_reaches(&h, "numerek_http_connections", 0).await;
    let received = until_closed(&mut stream).await;
    assert!(
        received.len() < 50 * 29_000,
        "the client got only part of the answers: {} bytes",
        received.len()
    );
    server.stop().await;
}
