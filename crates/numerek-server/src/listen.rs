//! Accepting connections: HTTP/1.1 (with WebSocket upgrades) on a TCP listener, with a limit on
//! how long a connection may take to send a request's head, and graceful shutdown.
//!
//! `axum::serve` cannot set a header read timeout, so a connection that never sends a request
//! (a half-open socket, a forgotten keep-alive, a slow-loris client) would be kept forever, each
//! one a task, buffers and an open file. Here every connection must send a complete request head
//! within [`HEADER_READ_TIMEOUT`] of starting one (an idle keep-alive connection is waiting for
//! one), or it is closed. A connection whose peer stops reading is closed once a write has made
//! no progress for [`WRITE_STALL_TIMEOUT`], so an answer nobody takes (a large report, a backup)
//! does not hold its task and buffers forever; this holds for upgraded WebSockets too, beneath
//! the feed's own per-frame limit. HTTP/2 is not offered: browsers speak it only over TLS, which
//! numerek leaves to a reverse proxy, and a cleartext HTTP/2 connection has no such timeouts.
//!
//! One address cannot take the server's connections: an address holding
//! `office.connections_per_address` open connections has any further one closed as soon as it
//! is accepted, and all connections together never take more than
//! [`crate::fdlimit::CONNECTION_SHARE_PERCENT`] % of the open-file limit (beyond it, new ones are
//! closed at once too), so accepting never fails for want of files and the server can always
//! open its own.

use crate::AppState;
use crate::fdlimit;
use crate::hub::MAX_FEED_CLIENTS;
use crate::metrics::ConnectionGuard;
use crate::per_address::{AddressGuard, PerAddress};
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::Sleep;
use tower::ServiceExt;

/// The longest a connection may take to send a request's head (request line and headers); an
/// idle keep-alive connection is closed after this long too.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest a write to a connection may make no progress (the peer reads nothing) before
/// the connection is closed.
pub const WRITE_STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// How long to pause accepting after an accept error such as "too many open files", so the
/// error does not spin the processor while connections close.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_secs(1);

/// How the server treats connections. The defaults are the documented limits
/// (`docs/operations.md`); tests shorten them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// The longest a connection may take to send a request's head, or stay idle between
    /// requests.
    pub header_read_timeout: Duration,
    /// The longest a write may make no progress before the connection is closed.
    pub write_stall_timeout: Duration,
    /// The most WebSocket feed clients at once; more are answered 503 `too_many_clients`.
    pub max_feed_clients: usize,
    /// The most open connections at once; more are closed as soon as they are accepted.
    /// `None`: [`fdlimit::CONNECTION_SHARE_PERCENT`] % of the open-file limit at start.
    pub max_connections: Option<usize>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            header_read_timeout: HEADER_READ_TIMEOUT,
            write_stall_timeout: WRITE_STALL_TIMEOUT,
            max_feed_clients: MAX_FEED_CLIENTS,
            max_connections: None,
        }
    }
}

/// Who may hold an open connection: at most `budget` in all, and at most
/// `office.connections_per_address` from one address (a trusted proxy's connections are not
/// counted per address: behind it every client shares its address, and the proxy limits them).
struct ConnectionLimits {
    budget: usize,
    per_address: Arc<PerAddress>,
}

/// Why an accepted connection was closed at once.
#[derive(Debug, Clone, Copy)]
enum Closed {
    /// The server holds its budget of connections.
    Budget,
    /// The address holds its share.
    Address,
}

/// A connection counted in all and for its address while it is open.
struct Admitted {
    _open: ConnectionGuard,
    _address: Option<AddressGuard>,
}

impl ConnectionLimits {
    fn admit(&self, state: &AppState, peer: IpAddr) -> Result<Admitted, Closed> {
        let open = state
            .metrics
            .try_connection_opened(self.budget)
            .ok_or(Closed::Budget)?;
        let address = if state.store.config().office.is_trusted_proxy(peer) {
            None
        } else {
            Some(self.per_address.take(peer).ok_or(Closed::Address)?)
        };
        Ok(Admitted {
            _open: open,
            _address: address,
        })
    }
}

/// Logs that connections are closed at once for a limit, at most once a minute (a flood would
/// otherwise flood the log too).
fn warn_closed(why: Closed, peer: IpAddr, limits: &ConnectionLimits) {
    static LAST_WARNED_S: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let last = LAST_WARNED_S.load(Ordering::Relaxed);
    if now < last + 60
        || LAST_WARNED_S
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
    {
        return;
    }
    match why {
        Closed::Budget => tracing::warn!(
            budget = limits.budget,
            "connections closed at once: the server holds as many as its open-file limit allows"
        ),
        Closed::Address => tracing::warn!(
            %peer,
            limit = limits.per_address.limit(),
            "connections closed at once: one address holds office.connections_per_address"
        ),
    }
}

/// Serves the app on `listener` until `shutdown` completes; then stops accepting, closes every
/// WebSocket (graceful shutdown does not end them by itself), lets requests in flight finish,
/// and closes the store.
///
/// # Errors
/// None so far: accept errors are logged and accepting goes on (the signature leaves room).
pub async fn serve(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
    options: ServeOptions,
) -> std::io::Result<()> {
    state.hub.set_client_limit(options.max_feed_clients);
    let office = &state.store.config().office;
    let limits = ConnectionLimits {
        budget: options
            .max_connections
            .unwrap_or_else(|| fdlimit::connection_budget(fdlimit::open_file_limit())),
        per_address: PerAddress::new(office.connections_per_address),
    };
    if usize::try_from(office.connections_per_address).unwrap_or(usize::MAX) >= limits.budget {
        tracing::warn!(
            connections_per_address = office.connections_per_address,
            budget = limits.budget,
            "office.connections_per_address is not below what the open-file limit allows in \
             all: one address could take every connection; raise the limit (LimitNOFILE) or \
             lower the setting"
        );
    }
    let rollover = tokio::spawn(crate::run_timers(state.clone()));
    let router = crate::app(state.clone());
    // Every connection holds a receiver; when all are gone, every connection has ended.
    let (open_tx, open_rx) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        match accepted {
            Ok((stream, peer)) => {
                let counted = match limits.admit(&state, peer.ip()) {
                    Ok(admitted) => admitted,
                    Err(why) => {
                        // Closed at once: the connection costs nothing more.
                        drop(stream);
                        warn_closed(why, peer.ip(), &limits);
                        continue;
                    }
                };
                let connection =
                    serve_connection(stream, peer, router.clone(), state.clone(), options);
                let open = open_rx.clone();
                tokio::spawn(async move {
                    connection.await;
                    drop(counted);
                    drop(open);
                });
            }
            Err(error) if is_connection_error(&error) => {}
            Err(error) => {
                tracing::error!(%error, "cannot accept connections; pausing");
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
            }
        }
    }
    tracing::info!("shutting down");
    drop(listener);
    state.hub.shut_down();
    drop(open_rx);
    open_tx.closed().await;
    rollover.abort();
    let store = state.store.clone();
    // Joining the writer blocks; keep that off the async workers.
    let _ = tokio::task::spawn_blocking(move || store.close()).await;
    Ok(())
}

/// Serves one connection until it ends, or until the server shuts down and what is in flight
/// on it is answered.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: axum::Router,
    state: Arc<AppState>,
    options: ServeOptions,
) {
    // Small frames of the feed go out at once.
    let _ = stream.set_nodelay(true);
    let stream = StallLimit::new(stream, options.write_stall_timeout);
    let service = router.map_request(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_read_timeout);
    let connection = builder
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
        .with_upgrades();
    let mut connection = pin!(connection);
    let mut stopping = state.hub.shutdown_signal();
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, "connection ended with an error");
            }
            return;
        }
        _ = stopping.wait_for(|stopping| *stopping) => {}
    }
    connection.as_mut().graceful_shutdown();
    if let Err(error) = connection.await {
        tracing::debug!(%error, "connection ended with an error while shutting down");
    }
}

/// Errors of one connection that came and went, not of the listener.
fn is_connection_error(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// A stream whose writes fail with `TimedOut` once one has been pending (the peer's window and
/// the kernel's buffer full) for longer than its limit.
struct StallLimit<S> {
    inner: S,
    limit: Duration,
    /// The deadline of the current stall, kept between stalls so that it is allocated once.
    deadline: Option<Pin<Box<Sleep>>>,
    /// Whether a write is stalled now (set when one returns pending, cleared when one gets
    /// through).
    stalled: bool,
}

impl<S> StallLimit<S> {
    fn new(inner: S, limit: Duration) -> Self {
        Self {
            inner,
            limit,
            deadline: None,
            stalled: false,
        }
    }

    /// Called when a write is pending: `TimedOut` once the stall has lasted the limit.
    fn poll_stall<T>(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<T>> {
        let limit = self.limit;
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        if !self.stalled {
            self.stalled = true;
            deadline.as_mut().reset(tokio::time::Instant::now() + limit);
        }
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the peer has not read for too long",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    /// Passes a write's result on, arming or clearing the stall deadline.
    fn track<T>(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<std::io::Result<T>>,
    ) -> Poll<std::io::Result<T>> {
        match result {
            Poll::Ready(result) => {
                self.stalled = false;
                Poll::Ready(result)
            }
            Poll::Pending => self.poll_stall(cx),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for StallLimit<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for StallLimit<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.track(cx, result)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.track(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let result = Pin::new(&mut self.inner).poll_flush(cx);
        self.track(cx, result)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let result = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.track(cx, result)
    }
}
