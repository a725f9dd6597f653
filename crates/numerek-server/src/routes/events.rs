//! `GET /api/v1/events`: the WebSocket feed. A snapshot (or the missed events, with `?since=`),
//! then every event in order; never a silent gap.
//!
//! The feed is public. A client may still connect with `?token=SECRET` (browsers cannot send an
//! `Authorization` header with a WebSocket): the token must be valid (401 otherwise), and when it
//! is revoked the connection is closed at once with code 1008 (policy violation).
//!
//! Every connection is bounded: at most [`crate::hub::Hub::client_limit`] are admitted (503
//! `too_many_clients` before the upgrade), what a client sends is capped at
//! [`MAX_CLIENT_MESSAGE`] and read through a [`READ_BUFFER_BYTES`] buffer, and what is written
//! is flushed before more is taken: a client that does not read holds up only its own
//! connection, for at most [`SEND_TIMEOUT`], and is then dropped, while the frames it has not
//! taken stay in the hub's shared ring (falling too far behind there means a snapshot).
//!
//! Writing is the feed's main cost: with 5,000 lobby screens and phones, one call is 10,000
//! frames (`ticket.finished`, `ticket.called`). A connection therefore writes every frame that
//! is ready when it wakes (up to [`FRAMES_PER_WRITE`]) in one write: half the system calls, and
//! half the wake-ups of the client.

use crate::client::{Client, FEED_PATH};
use crate::error::ApiError;
use crate::hub::{Chunk, Frame, Refused, frame};
use crate::openapi::answers::{
    FeedAddressFull, FeedFull, FeedUnauthorized, NotAnUpgrade, Upgraded,
};
use crate::openapi::{FeedQuery, tag};
use crate::state::AppState;
use crate::wire::{self, Audience};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Extension, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::watch;
use tokio::time::{Instant, MissedTickBehavior, interval, timeout};

/// How often the server pings (the spec asks for at least every 30 s).
pub const PING_EVERY: Duration = Duration::from_secs(20);
/// A client that sends nothing, not even a pong, for this long is taken for dead.
pub const SILENCE_LIMIT: Duration = Duration::from_secs(65);
/// A single frame that cannot be written within this time means the client does not read.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest message (and frame) a client may send (clients have nothing to say; this bounds
/// abuse).
pub const MAX_CLIENT_MESSAGE: usize = 4 * 1024;
/// The read buffer of a connection (the WebSocket library's default, 128 KiB, would cost every
/// idle lobby screen that much memory).
pub const READ_BUFFER_BYTES: usize = 4 * 1024;
/// The most a connection buffers of what it writes. It is flushed before more is taken, so this
/// only ever holds one snapshot (a few KiB) or at most [`FRAMES_PER_WRITE`] events.
pub const MAX_WRITE_BUFFER_BYTES: usize = 4 * 1024 * 1024;
/// Up to this many buffered bytes wait for the flush rather than being written at once (more
/// than [`FRAMES_PER_WRITE`] events ever take).
const WRITE_BUFFER_BYTES: usize = 256 * 1024;
/// The most frames a connection takes from the hub for one write: a client that fell behind
/// catches up in writes of this many events.
pub const FRAMES_PER_WRITE: usize = 64;
/// How long a client refused for the client limit is asked to wait (`Retry-After`).
pub const RETRY_AFTER_FULL_S: u64 = 10;
/// The close code for a feed whose token was revoked: 1008, policy violation.
pub const CLOSE_REVOKED: u16 = 1008;

/// The feed's timing. The defaults are the documented ones ([`PING_EVERY`], [`SILENCE_LIMIT`],
/// [`SEND_TIMEOUT`]); tests shorten them to see pings and silent clients within their bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedTiming {
    /// How often the server pings.
    pub ping_every: Duration,
    /// A client that sends nothing, not even a pong, for this long is taken for dead.
    pub silence_limit: Duration,
    /// A single frame that cannot be written within this time means the client does not read.
    pub send_timeout: Duration,
}

impl Default for FeedTiming {
    fn default() -> Self {
        Self {
            ping_every: PING_EVERY,
            silence_limit: SILENCE_LIMIT,
            send_timeout: SEND_TIMEOUT,
        }
    }
}

/// The first value of the query parameter `name`, as sent (token secrets and numbers need no
/// decoding).
fn query_value<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The `since` query parameter, if it is a number; anything else means "send a snapshot".
fn since(query: Option<&str>) -> Option<u64> {
    query_value(query, "since").and_then(|value| value.parse().ok())
}

/// Logs that clients are refused for the client limit, at most once a minute (refused clients
/// retry, and one line per attempt would flood the log).
fn warn_full(limit: usize) {
    static LAST_WARNED_S: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let last = LAST_WARNED_S.load(Ordering::Relaxed);
    if now >= last + 60
        && LAST_WARNED_S
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    {
        tracing::warn!(
            limit,
            "feed clients refused: the feed has its maximum of clients (--max-feed-clients)"
        );
    }
}

/// 503 `too_many_clients`: the feed has its maximum of clients.
fn too_many_clients(limit: usize) -> Response {
    let mut response = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "too_many_clients",
        format!("the live feed has its maximum of {limit} clients; try again later"),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_FULL_S));
    response
}

/// `429 rate_limited`: this address holds its share of the feed.
fn address_full(limit: u32) -> Response {
    let mut response = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!(
            "this address has {limit} live feeds open already (office.feed_clients_per_address); \
             close one or try again later"
        ),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_FULL_S));
    response
}

/// The upgrade handler. Checks, in order: a WebSocket upgrade (400), the token if one is given
/// (401), the address's share of the feed (429), the feed's room (503). The `Origin` was checked
/// before (`403 cross_origin`, [`crate::client`]).
#[utoipa::path(
    get, path = FEED_PATH, operation_id = "events", tag = tag::PUBLIC,
    summary = "The live event feed (WebSocket)",
    description = "A GET with `Connection: Upgrade`, `Upgrade: websocket` (RFC 6455). Each \
        message is one JSON text, a `FeedMessage`: a snapshot (at connect, or whenever a slow \
        client fell behind) or an event. Without `token`, or with a kiosk token, it is the public \
        feed: tickets are `PublicTicket`s and counters' current tickets carry no id. With the \
        token of a clerk, manager or admin it is the staff feed, with whole tickets. The server \
        pings every 20 s and ignores what clients send (at most 4 KiB a message). With `token`, \
        the connection is bound to that token and closed (code 1008) when it is revoked. An \
        `Origin` of another site is refused (403). At most `office.feed_clients_per_address` \
        clients from one address (32 by default; 429) and a configured number in all (10,000 by \
        default; 503) are admitted at once. See docs/api.md, The live feed.",
    params(FeedQuery),
    responses(Upgraded, NotAnUpgrade, FeedUnauthorized, FeedAddressFull, FeedFull),
)]
pub async fn feed(
    State(state): State<Arc<AppState>>,
    client: Option<Extension<Client>>,
    RawQuery(query): RawQuery,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => {
            return ApiError::invalid_request(format!(
                "this is a WebSocket endpoint; connect with a WebSocket client ({rejection})"
            ))
            .into_response();
        }
    };
    // Subscribe before the token is checked, so a revocation right after the check is seen.
    let revocations = state.hub.revocation_signal();
    let token = match query_value(query.as_deref(), "token") {
        None => None,
        Some(secret) => match state.store.authenticate(secret) {
            Some(record) => Some(record),
            None => return ApiError::unauthorized().into_response(),
        },
    };
    let audience = Audience::of(token.as_ref().map(|record| record.role));
    let token = token.map(|record| record.id);
    let admitted = match state
        .hub
        .admit(client.map(|Extension(client)| client.address))
    {
        Ok(admitted) => admitted,
        Err(Refused::AddressFull) => {
            return address_full(state.hub.address_limit());
        }
        Err(Refused::Full) => {
            warn_full(state.hub.client_limit());
            return too_many_clients(state.hub.client_limit());
        }
    };
    let since = since(query.as_deref());
    upgrade
        .max_message_size(MAX_CLIENT_MESSAGE)
        .max_frame_size(MAX_CLIENT_MESSAGE)
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .max_write_buffer_size(MAX_WRITE_BUFFER_BYTES)
        .on_upgrade(move |socket| async move {
            // Counted from admission until the connection ends (or the upgrade fails and this
            // closure is dropped unrun).
            let _admitted = admitted;
            let bound = token.map(|id| Bound { id, revocations });
            if let Err(reason) = Connection::new(socket, state.clone(), audience, bound)
                .run(since)
                .await
            {
                tracing::debug!(reason, "feed client left");
            }
        })
}

/// The token a connection was opened with, and the signal that tokens were revoked.
struct Bound {
    id: String,
    revocations: watch::Receiver<u64>,
}

/// Completes when the bound token (if any) is no longer valid; never without a token.
async fn revoked(bound: Option<Bound>, state: &AppState) {
    let Some(mut bound) = bound else {
        return std::future::pending().await;
    };
    loop {
        if !state.store.has_token(&bound.id) {
            return;
        }
        if bound.revocations.changed().await.is_err() {
            return std::future::pending().await;
        }
    }
}

/// The frames after `since`, from the hub's memory or the database; `None` when they cannot all
/// be had (the caller sends a snapshot instead).
async fn replay(state: &Arc<AppState>, since: u64) -> Option<Vec<Frame>> {
    let current = state.store.office().seq();
    if since > current {
        return None;
    }
    if let Some(frames) = state.hub.replay_from_memory(since) {
        return Some(frames);
    }
    let store = state.store.clone();
    let events = tokio::task::spawn_blocking(move || store.events_after(since))
        .await
        .ok()?
        .ok()??;
    let tz = state.tz();
    Some(events.iter().map(|event| frame(tz, event)).collect())
}

/// Runs `write` with the send timeout: a write that the client's socket cannot take within
/// `limit` means the client does not read.
async fn within<T>(
    limit: Duration,
    write: impl Future<Output = Result<T, &'static str>>,
) -> Result<T, &'static str> {
    timeout(limit, write)
        .await
        .map_err(|_| "client does not read")?
}

/// One client's connection.
struct Connection {
    socket: WebSocket,
    state: Arc<AppState>,
    /// The sequence number of the last event the client has (by snapshot or event).
    last_seq: u64,
    /// Whether it gets public tickets or whole ones.
    audience: Audience,
    /// The token the client connected with, if any.
    bound: Option<Bound>,
}

impl Connection {
    fn new(
        socket: WebSocket,
        state: Arc<AppState>,
        audience: Audience,
        bound: Option<Bound>,
    ) -> Self {
        Self {
            socket,
            state,
            last_seq: 0,
            audience,
            bound,
        }
    }

    /// Writes one message at once.
    async fn send(&mut self, message: Message) -> Result<(), &'static str> {
        let limit = self.state.feed_timing.send_timeout;
        within(limit, async {
            self.queue(message).await?;
            self.flush().await
        })
        .await
    }

    /// Adds a message to what the next [`Connection::flush`] writes. Callers bound the time:
    /// this waits only when an earlier write found the client's socket full.
    async fn queue(&mut self, message: Message) -> Result<(), &'static str> {
        self.socket.feed(message).await.map_err(|_| "send failed")
    }

    /// Writes what is queued. Callers bound the time.
    async fn flush(&mut self) -> Result<(), &'static str> {
        self.socket.flush().await.map_err(|_| "send failed")
    }

    /// Sends a fresh snapshot of the committed state.
    async fn send_snapshot(&mut self) -> Result<(), &'static str> {
        let now = self.state.store.clock().now();
        let view = self.state.store.office().status(now);
        self.last_seq = view.seq;
        let text = crate::hub::to_text(&wire::snapshot(self.state.tz(), &view, self.audience));
        self.send(Message::Text(text.into())).await
    }

    /// Serves the client until it leaves, falls silent, stops reading, or the server stops.
    async fn run(mut self, since: Option<u64>) -> Result<(), &'static str> {
        // Subscribe before the snapshot or replay is read, so nothing falls between them.
        let Some(mut events) = self.state.hub.subscribe() else {
            return self.close(1001, "server stopping").await;
        };
        match since {
            Some(since) => match replay(&self.state, since).await {
                Some(frames) => {
                    self.last_seq = since;
                    let limit = self.state.feed_timing.send_timeout;
                    for frames in frames.chunks(FRAMES_PER_WRITE) {
                        within(limit, async {
                            for frame in frames {
                                self.forward(frame).await?;
                            }
                            self.flush().await
                        })
                        .await?;
                    }
                }
                None => self.send_snapshot().await?,
            },
            None => self.send_snapshot().await?,
        }
        let timing = self.state.feed_timing;
        let mut ping = interval(timing.ping_every);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        ping.reset();
        let mut last_heard = Instant::now();
        let state = self.state.clone();
        let mut revoked = std::pin::pin!(revoked(self.bound.take(), &state));
        loop {
            // In this order, and only until one is ready: a wake-up for an event costs no more
            // than taking the event (the revocation check of a connection without a token is
            // free). The event channel ends when the server stops.
            tokio::select! {
                biased;
                () = &mut revoked => {
                    return self.close(CLOSE_REVOKED, "token revoked").await;
                }
                received = events.recv() => match received {
                    Ok(frame) => self.forward_ready(frame, &mut events).await?,
                    Err(RecvError::Lagged(_)) => self.send_snapshot().await?,
                    Err(RecvError::Closed) => return self.close(1001, "server stopping").await,
                },
                incoming = self.socket.recv() => match incoming {
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return Ok(()),
                    Some(Ok(_)) => last_heard = Instant::now(),
                },
                _ = ping.tick() => {
                    if last_heard.elapsed() > timing.silence_limit {
                        return Err("client went silent");
                    }
                    self.send(Message::Ping(Default::default())).await?;
                }
            }
        }
    }

    /// Writes the frames of `first` and of every chunk already waiting behind it (up to about
    /// [`FRAMES_PER_WRITE`] frames) in one write.
    async fn forward_ready(
        &mut self,
        first: Chunk,
        events: &mut broadcast::Receiver<Chunk>,
    ) -> Result<(), &'static str> {
        let limit = self.state.feed_timing.send_timeout;
        let lagged = within(limit, async {
            let mut queued = 0;
            let mut chunk = first;
            let lagged = loop {
                for frame in chunk.iter() {
                    self.forward(frame).await?;
                }
                queued += chunk.len();
                if queued >= FRAMES_PER_WRITE {
                    break false;
                }
                match events.try_recv() {
                    Ok(next) => chunk = next,
                    Err(TryRecvError::Lagged(_)) => break true,
                    Err(TryRecvError::Empty | TryRecvError::Closed) => break false,
                }
            };
            self.flush().await.map(|()| lagged)
        })
        .await?;
        if lagged {
            // The ring moved on past frames this client never took.
            self.send_snapshot().await?;
        }
        Ok(())
    }

    /// Queues a frame unless the client already has it; a frame beyond the next one means a gap
    /// (which the hub should never cause), answered with a snapshot rather than passed on.
    async fn forward(&mut self, frame: &Frame) -> Result<(), &'static str> {
        if frame.seq <= self.last_seq {
            return Ok(());
        }
        if frame.seq != self.last_seq + 1 {
            return self.send_snapshot().await;
        }
        self.last_seq = frame.seq;
        self.queue(Message::Text(frame.json(self.audience).clone()))
            .await
    }

    /// Sends a Close frame (1001 going away, or 1008 for a revoked token) and ends.
    async fn close(mut self, code: u16, reason: &'static str) -> Result<(), &'static str> {
        let close = Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        }));
        // The client may already be gone; closing is best effort.
        let _ = timeout(Duration::from_secs(1), self.socket.send(close)).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{query_value, since};

    #[test]
    fn the_token_is_the_first_token_parameter() {
        assert_eq!(
            query_value(Some("token=nmk_a&since=3"), "token"),
            Some("nmk_a")
        );
        assert_eq!(query_value(Some("since=3&token="), "token"), Some(""));
        assert_eq!(query_value(Some("since=3"), "token"), None);
        assert_eq!(query_value(None, "token"), None);
    }

    #[test]
    fn since_is_read_only_when_it_is_a_number() {
        assert_eq!(since(Some("since=12")), Some(12));
        assert_eq!(since(Some("a=1&since=7")), Some(7));
        assert_eq!(since(Some("since=abc")), None);
        assert_eq!(since(Some("since=-1")), None);
        assert_eq!(since(None), None);
    }
}
