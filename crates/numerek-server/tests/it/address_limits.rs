//! One address cannot take the office down: it holds at most `office.connections_per_address`
//! open connections and `office.feed_clients_per_address` feed clients, while every other
//! address (127.0.0.2 and up are addresses of this machine too) still connects and `/healthz`
//! answers. Behind a trusted proxy the client is read from `X-Forwarded-For`; from anyone else
//! that header counts for nothing.

use crate::support;

use numerek_server::ServeOptions;
use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;
use support::{OFFICE, RunningServer, TestServer, WAIT, recv};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// The test office with `lines` added to `[office]`.
fn office(lines: &str) -> String {
    let languages = "languages = [\"pl\", \"en\"]";
    OFFICE.replacen(languages, &format!("{languages}\n{lines}"), 1)
}

/// A TCP connection to `server` from the local address `source` (`127.0.0.2`).
async fn connect_from(source: &str, server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind(format!("{source}:0").parse().expect("an address"))
        .expect("bind the source address");
    timeout(WAIT, socket.connect(server))
        .await
        .expect("connect in time")
        .expect("connect")
}

/// Sends `GET path` on `stream` and answers the status, or `None` when the server closed the
/// connection without an answer.
async fn get_on(stream: &mut TcpStream, path: &str, headers: &str) -> Option<u16> {
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: numerek\r\n{headers}Connection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return None;
    }
    let mut answer = Vec::new();
    match timeout(WAIT, stream.read_to_end(&mut answer))
        .await
        .expect("the server answers or closes in time")
    {
        Ok(_) | Err(_) if answer.is_empty() => None,
        _ => {
            let text = String::from_utf8_lossy(&answer);
            text.split(' ').nth(1).and_then(|code| code.parse().ok())
        }
    }
}

/// `GET /healthz` on a new connection from `source`: its status, or `None` when closed.
async fn healthz_from(source: &str, server: SocketAddr) -> Option<u16> {
    let mut stream = connect_from(source, server).await;
    get_on(&mut stream, "/healthz", "").await
}

/// Retries `healthz_from` until it answers 200 (the server frees a closed connection's place
/// as soon as it sees the close), within [`WAIT`].
async fn eventually_healthy(source: &str, server: SocketAddr) {
    timeout(WAIT, async {
        while healthz_from(source, server).await != Some(200) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("a freed place is taken again");
}

#[tokio::test]
async fn one_address_holds_at_most_its_connections_while_others_are_served() {
    let h = TestServer::with_office(&office("connections_per_address = 4")).await;
    let server = RunningServer::start(h.state.clone()).await;
    // Four idle connections from 127.0.0.1 (a flood that sends nothing).
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(connect_from("127.0.0.1", server.addr).await);
    }
    // The fifth from that address is closed without an answer, again and again.
    for _ in 0..3 {
        assert_eq!(healthz_from("127.0.0.1", server.addr).await, None);
    }
    // Another address is served as usual.
    assert_eq!(healthz_from("127.0.0.2", server.addr).await, Some(200));
    let mut other = connect_from("127.0.0.2", server.addr).await;
    assert_eq!(get_on(&mut other, "/api/v1/status", "").await, Some(200));
    // One of the four leaves: the address may connect once more.
    idle.pop();
    eventually_healthy("127.0.0.1", server.addr).await;
    drop(idle);
    server.stop().await;
}

#[tokio::test]
async fn the_server_keeps_its_budget_of_connections_whoever_opens_them() {
    let h = TestServer::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let server = RunningServer::start_on(
        listener,
        h.state.clone(),
        ServeOptions {
            max_connections: Some(6),
            ..ServeOptions::default()
        },
    );
    // Six addresses, one connection each: the budget is full.
    let mut idle = Vec::new();
    for n in 3..9 {
        idle.push(connect_from(&format!("127.0.0.{n}"), server.addr).await);
    }
    assert_eq!(healthz_from("127.0.0.9", server.addr).await, None);
    idle.pop();
    eventually_healthy("127.0.0.9", server.addr).await;
    drop(idle);
    server.stop().await;
}

/// Opens the feed from `source` with extra headers; answers `Ok(ws)` after its snapshot, or
/// `Err((status, Retry-After, body))` when refused.
async fn feed_from(
    source: &str,
    server: &RunningServer,
    forwarded_for: Option<&str>,
) -> Result<support::Ws, (u16, Option<String>, Value)> {
    let stream = connect_from(source, server.addr).await;
    let mut request = server
        .events_url(None)
        .into_client_request()
        .expect("a request");
    if let Some(hops) = forwarded_for {
        request
            .headers_mut()
            .insert("x-forwarded-for", hops.parse().expect("a header value"));
    }
    match timeout(
        WAIT,
        tokio_tungstenite::client_async(request, tokio_tungstenite::MaybeTlsStream::Plain(stream)),
    )
    .await
    .expect("the handshake ends in time")
    {
        Ok((mut ws, _)) => {
            assert_eq!(recv(&mut ws).await["type"], "snapshot");
            Ok(ws)
        }
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = response
                .body()
                .as_deref()
                .and_then(|bytes| serde_json::from_slice(bytes).ok())
                .unwrap_or(Value::Null);
            Err((response.status().as_u16(), retry_after, body))
        }
        Err(other) => panic!("the handshake failed otherwise: {other}"),
    }
}

#[track_caller]
fn assert_rate_limited(refused: Result<support::Ws, (u16, Option<String>, Value)>) {
    let Err((status, retry_after, body)) = refused else {
        panic!("the feed was opened, but the address holds its share");
    };
    assert_eq!(status, 429, "{body}");
    support::assert_error_body(&body, "rate_limited");
    let seconds: u64 = retry_after
        .expect("a Retry-After header")
        .parse()
        .expect("whole seconds");
    assert!(seconds >= 1);
}

#[tokio::test]
async fn one_address_holds_at_most_its_feed_clients_while_others_connect() {
    let h = TestServer::with_office(&office("feed_clients_per_address = 2")).await;
    let server = RunningServer::start(h.state.clone()).await;
    let mut first = feed_from("127.0.0.1", &server, None)
        .await
        .expect("the first feed");
    let _second = feed_from("127.0.0.1", &server, None)
        .await
        .expect("the second feed");
    // The feed answers pings by itself, so these two stay; the third is refused.
    assert_rate_limited(feed_from("127.0.0.1", &server, None).await);
    // A made-up X-Forwarded-For from an address that is no trusted proxy changes nothing.
    assert_rate_limited(feed_from("127.0.0.1", &server, Some("203.0.113.9")).await);
    // Another address gets its feed, and /healthz answers it.
    let _other = feed_from("127.0.0.2", &server, None)
        .await
        .expect("another address's feed");
    assert_eq!(healthz_from("127.0.0.2", server.addr).await, Some(200));
    assert_eq!(h.state.hub.clients(), 3);
    // One of the two leaves: the address may open one again.
    first.close(None).await.expect("closed");
    drop(first);
    timeout(WAIT, async {
        while feed_from("127.0.0.1", &server, None).await.is_err() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("a freed place is taken again");
    server.stop().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_client_is_the_last_untrusted_forwarded_hop() {
    let h = TestServer::with_office(&office(
        "trusted_proxies = [\"127.0.0.1\"]\nfeed_clients_per_address = 1\n\
         connections_per_address = 2",
    ))
    .await;
    let server = RunningServer::start(h.state.clone()).await;
    // Through the proxy (127.0.0.1): each client has its own share.
    let _a = feed_from("127.0.0.1", &server, Some("203.0.113.1"))
        .await
        .expect("client .1");
    assert_rate_limited(feed_from("127.0.0.1", &server, Some("203.0.113.1")).await);
    assert_rate_limited(feed_from("127.0.0.1", &server, Some("198.51.100.7, 203.0.113.1")).await);
    let _b = feed_from("127.0.0.1", &server, Some("203.0.113.2"))
        .await
        .expect("client .2 is another client");
    // The proxy's own connections are not capped per address (it holds four now, and the
    // office allows two per address): it limits its clients itself.
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(connect_from("127.0.0.1", server.addr).await);
    }
    assert_eq!(healthz_from("127.0.0.1", server.addr).await, Some(200));
    // From an address that is no proxy, X-Forwarded-For is the client's own invention.
    let _c = feed_from("127.0.0.2", &server, Some("203.0.113.3"))
        .await
        .expect("127.0.0.2's feed");
    assert_rate_limited(feed_from("127.0.0.2", &server, Some("203.0.113.4")).await);
    drop(idle);
    server.stop().await;
}
