//! Who is asking: the client's address (through trusted reverse proxies), and whether a
//! browser's request comes from a page of another site.
//!
//! - The client address is the connection's peer, unless that peer is one of
//!   `office.trusted_proxies`: then it is the last hop of `X-Forwarded-For` that is not a trusted
//!   proxy itself. Anyone can send `X-Forwarded-For`; only a trusted proxy's is believed.
//! - A write (`POST`, `PUT`, `PATCH`, `DELETE`) or a feed upgrade whose `Origin` is not the
//!   server's own, `office.public_url`'s or one of `office.allowed_origins` is refused with
//!   `403 cross_origin` before anything else is looked at (its token included): a hostile page
//!   opened in an office browser cannot act with what that browser can reach. Requests without
//!   `Origin` (command line tools, scripts, same-origin `GET`s) are not browsers acting for
//!   another site, and pass.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use numerek_core::config::{OfficeInfo, Origin};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// `X-Forwarded-For`: the addresses a request passed through, the client first.
const X_FORWARDED_FOR: &str = "x-forwarded-for";
/// `X-Forwarded-Proto`: the scheme the client used with the proxy.
const X_FORWARDED_PROTO: &str = "x-forwarded-proto";
/// `X-Forwarded-Host`: the `Host` the client sent to the proxy.
const X_FORWARDED_HOST: &str = "x-forwarded-host";

/// The path of the feed, whose upgrades are checked like writes.
pub const FEED_PATH: &str = "/api/v1/events";

/// The client of a request, as a request extension (absent for requests that did not come
/// through a socket, such as in-process tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// The client's address.
    pub address: IpAddr,
    /// Whether the request came through a trusted proxy (its `X-Forwarded-*` are believed).
    pub proxied: bool,
}

/// An `X-Forwarded-For` hop: an IP address, possibly with a port (`203.0.113.7:5123`,
/// `[2001:db8::7]:5123`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(address) = hop.parse::<IpAddr>() {
        return Some(address.to_canonical());
    }
    hop.parse::<SocketAddr>()
        .ok()
        .map(|socket| socket.ip().to_canonical())
}

/// The client's address: `peer`, or behind trusted proxies the last `X-Forwarded-For` hop that
/// is not one of them. A hop that is no address ends the walk (what lies before it was written
/// by someone not trusted): the last address read stands. When every hop is a trusted proxy,
/// the first one is the client.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, office: &OfficeInfo) -> Client {
    let peer = peer.to_canonical();
    if !office.is_trusted_proxy(peer) {
        return Client {
            address: peer,
            proxied: false,
        };
    }
    let hops: Vec<&str> = headers
        .get_all(X_FORWARDED_FOR)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    let mut address = peer;
    for hop in hops.iter().rev() {
        let Some(hop) = parse_hop(hop) else { break };
        address = hop;
        if !office.is_trusted_proxy(hop) {
            break;
        }
    }
    Client {
        address,
        proxied: true,
    }
}

/// Middleware: puts the request's [`Client`] into its extensions.
pub async fn identify(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip());
    if let Some(peer) = peer {
        let client = client_address(peer, request.headers(), &state.store.config().office);
        request.extensions_mut().insert(client);
    }
    next.run(request).await
}

/// The last value of a comma-separated header: what the nearest proxy said.
fn last_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .rfind(|value| !value.is_empty())
}

/// The server's own origin for this request: `http` and its `Host`, or behind a trusted proxy
/// the scheme and host the client used with the proxy (`X-Forwarded-Proto`, `X-Forwarded-Host`,
/// each falling back to `http` and `Host`).
fn own_origin(headers: &HeaderMap, proxied: bool) -> Option<Origin> {
    let forwarded = |name| proxied.then(|| last_value(headers, name)).flatten();
    let scheme = forwarded(X_FORWARDED_PROTO).unwrap_or("http");
    let host = forwarded(X_FORWARDED_HOST)
        .or_else(|| headers.get(header::HOST).and_then(|v| v.to_str().ok()))?;
    Origin::of_request(&scheme.to_ascii_lowercase(), host)
}

/// Whether the request's `Origin` (if any) may write: absent, or the server's own, or
/// `public_url`'s, or one of `allowed_origins`.
pub fn origin_allowed(headers: &HeaderMap, proxied: bool, office: &OfficeInfo) -> bool {
    let mut sent = headers.get_all(header::ORIGIN).iter();
    let Some(value) = sent.next() else {
        return true;
    };
    // A browser sends one Origin; two are not a browser's, and neither is trusted.
    if sent.next().is_some() {
        return false;
    }
    let Some(origin) = value.to_str().ok().and_then(Origin::parse) else {
        // `null` (a sandboxed or local page) or garbage: not a site numerek knows.
        return false;
    };
    own_origin(headers, proxied).as_ref() == Some(&origin)
        || office.public_origin().as_ref() == Some(&origin)
        || office.allowed_origins.contains(&origin)
}

/// Whether a request of `method` to `path` is one a hostile page must not be able to make: a
/// write, or the feed. (The OpenAPI document lists `403 cross_origin` for exactly these.)
pub fn is_guarded(method: &Method, path: &str) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    ) || (method == Method::GET && path == FEED_PATH)
}

/// `403 cross_origin`.
fn cross_origin() -> Response {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "cross_origin",
        "this request comes from a page of another site (its Origin is not this server's, \
         office.public_url's or one of office.allowed_origins)",
    )
    .into_response()
}

/// Middleware: refuses writes and feed upgrades from foreign origins, before anything else.
pub async fn refuse_cross_origin(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    if is_guarded(request.method(), request.uri().path()) {
        let proxied = request
            .extensions()
            .get::<Client>()
            .is_some_and(|client| client.proxied);
        if !origin_allowed(request.headers(), proxied, &state.store.config().office) {
            return cross_origin();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderName, HeaderValue};
    use numerek_core::OfficeConfig;

    const OFFICE: &str = r#"
[office]
id = "t"
name = "T"
timezone = "Europe/Warsaw"
languages = ["pl"]
public_url = "https://kolejka.example.pl"
allowed_origins = ["https://portal.example.pl"]
trusted_proxies = ["127.0.0.1", "10.0.0.0/8"]
[office.hours]
mon = "08:00-16:00"
[[category]]
id = "a"
prefix = "A"
name = { pl = "A" }
target_wait_min = 15
[[counter]]
id = "1"
name = { pl = "1" }
categories = ["a"]
"#;

    fn office() -> OfficeInfo {
        OfficeConfig::from_toml(OFFICE).expect("valid").office
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let office = office();
        let spoofed = headers(&[("x-forwarded-for", "198.51.100.1")]);
        // Not a proxy: its own address, whatever it says.
        let client = client_address(ip("203.0.113.5"), &spoofed, &office);
        assert_eq!(client.address, ip("203.0.113.5"));
        assert!(!client.proxied);
        // A trusted proxy: the last hop that is not one.
        let chain = headers(&[("x-forwarded-for", "198.51.100.1, 203.0.113.9, 10.1.1.1")]);
        let client = client_address(ip("127.0.0.1"), &chain, &office);
        assert_eq!(client.address, ip("203.0.113.9"));
        assert!(client.proxied);
        // Two headers are one list; ports are allowed.
        let two = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            ("x-forwarded-for", "203.0.113.9:4431"),
        ]);
        assert_eq!(
            client_address(ip("::ffff:127.0.0.1"), &two, &office).address,
            ip("203.0.113.9")
        );
        // Garbage ends the walk at the last address read.
        let garbage = headers(&[("x-forwarded-for", "198.51.100.1, junk, 10.0.0.7")]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &garbage, &office).address,
            ip("10.0.0.7")
        );
        // No header: the proxy itself.
        assert_eq!(
            client_address(ip("127.0.0.1"), &HeaderMap::new(), &office).address,
            ip("127.0.0.1")
        );
    }

    #[test]
    fn writes_are_allowed_from_the_servers_own_and_configured_origins_only() {
        let office = office();
        let allowed = |pairs: &[(&str, &str)], proxied: bool| {
            origin_allowed(&headers(pairs), proxied, &office)
        };
        assert!(allowed(&[("host", "127.0.0.1:8080")], false), "no Origin");
        assert!(allowed(
            &[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080")
            ],
            false
        ));
        assert!(!allowed(
            &[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8081")
            ],
            false
        ));
        assert!(!allowed(
            &[
                ("host", "127.0.0.1:8080"),
                ("origin", "https://evil.example")
            ],
            false
        ));
        assert!(!allowed(
            &[("host", "127.0.0.1"), ("origin", "null")],
            false
        ));
        assert!(allowed(
            &[
                ("host", "10.0.0.2"),
                ("origin", "https://kolejka.example.pl")
            ],
            false
        ));
        assert!(allowed(
            &[
                ("host", "10.0.0.2"),
                ("origin", "https://portal.example.pl:443")
            ],
            false
        ));
        // Behind a trusted proxy, the scheme and host the client used with it.
        let behind = [
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "numerek.lan"),
            ("origin", "https://numerek.lan"),
        ];
        assert!(allowed(&behind, true));
        assert!(
            !allowed(&behind, false),
            "X-Forwarded-* of a stranger count for nothing"
        );
        // Two Origin headers are nobody's.
        assert!(!allowed(
            &[
                ("host", "10.0.0.2"),
                ("origin", "https://kolejka.example.pl"),
                ("origin", "https://kolejka.example.pl"),
            ],
            false
        ));
    }
}
