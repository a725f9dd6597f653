//! The web clients, embedded in the binary so an office needs nothing but the one file.
//!
//! `build.rs` lists every file of the client directories at the repository root (`web/` at `/`,
//! `kiosk-client/` at `/kiosk/`, `display-client/` at `/display/`, `counter-client/` at
//! `/counter/`, `ticket-client/` at `/ticket/`, `reports-client/` at `/reports/`,
//! `booking-client/` at `/book/`), but the unit tests of the page modules, and compiles them in;
//! there is no build step of their own and nothing is fetched at run time.

use crate::error::ApiError;
use crate::extract::PathParam;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use numerek_core::appointment::BookingCode;
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// Every embedded file: (URL path, bytes).
static ASSETS: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/assets.rs"));

mod clients {
    include!("clients.rs");
}

/// For developing the pages: with `NUMEREK_DEV_WEB_ROOT` set to the repository root, files
/// are read from disk at every request instead of the copies built in, so a page change needs
/// a reload, not a rebuild.
///
/// Only in debug builds (`cargo run`): an office runs a release build, where serving files from
/// disk has no use and an environment variable set by mistake would open the server's disk to
/// anyone; there the variable is ignored, with a warning.
#[cfg(debug_assertions)]
fn dev_root() -> Option<&'static Path> {
    static ROOT: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| std::env::var_os(DEV_WEB_ROOT).map(Into::into))
        .as_deref()
}

/// Release builds serve the embedded files only.
#[cfg(not(debug_assertions))]
fn dev_root() -> Option<&'static Path> {
    static WARNED: std::sync::Once = std::sync::Once::new();
    WARNED.call_once(|| {
        if std::env::var_os(DEV_WEB_ROOT).is_some() {
            tracing::warn!(
                "{DEV_WEB_ROOT} is ignored: a release build serves its embedded pages only"
            );
        }
    });
    None
}

/// The environment variable of the development mode.
pub const DEV_WEB_ROOT: &str = "NUMEREK_DEV_WEB_ROOT";

/// A file of the development root `root`, for the URL path it would be served at: only a file
/// inside the directory of the client that path belongs to. A path with an empty, `.`-leading
/// or `..` segment (`//etc/passwd`, `/common/../x`), a backslash or a NUL is refused, and so is
/// any file whose real path (symbolic links resolved) lies outside that directory. The bytes are
/// the request's own, freed with its answer.
pub fn from_disk(root: &Path, path: &str) -> Option<Vec<u8>> {
    let (dir, prefix) = clients::CLIENTS
        .iter()
        .filter(|(_, prefix)| path.starts_with(prefix))
        .max_by_key(|(_, prefix)| prefix.len())?;
    let relative = &path[prefix.len()..];
    let safe = !relative.is_empty()
        && relative
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.') && !part.contains(['\\', '\0']));
    if !safe || !clients::is_page_file(relative) {
        return None;
    }
    let base = root.join(dir).canonicalize().ok()?;
    let file = base.join(relative).canonicalize().ok()?;
    if !file.starts_with(&base) || !file.is_file() {
        return None;
    }
    std::fs::read(file).ok()
}

/// The content type of a file by its name's ending.
fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    match extension {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "webmanifest" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn asset(path: &str) -> Option<Cow<'static, [u8]>> {
    if let Some(root) = dev_root() {
        return from_disk(root, path).map(Cow::Owned);
    }
    ASSETS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, body)| Cow::Borrowed(*body))
}

fn serve(path: &str, body: Cow<'static, [u8]>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type(path)),
            // Revalidate every time: an office updates numerek and expects the new pages.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><html lang=\"pl\"><meta charset=\"utf-8\"><title>404</title>\
         <p>Nie ma takiej strony. / No such page.</p><p><a href=\"/\">numerek</a></p></html>",
    )
        .into_response()
}

/// The URL path of every embedded file, for tests that walk them all.
pub fn asset_paths() -> impl Iterator<Item = &'static str> {
    ASSETS.iter().map(|(path, _)| *path)
}

/// Serves an embedded file by its URL path: `/x/` serves `/x/index.html`, `/x` redirects to
/// `/x/` when that is a page, anything else is 404.
pub fn by_path(path: &str) -> Response {
    // Browsers ask for /favicon.ico whatever the page says; answer with the SVG icon.
    let path = if path == "/favicon.ico" {
        "/favicon.svg"
    } else {
        path
    };
    if let Some(body) = asset(path) {
        return serve(path, body);
    }
    if path.ends_with('/') {
        let index = format!("{path}index.html");
        if let Some(body) = asset(&index) {
            return serve(&index, body);
        }
    } else if asset(&format!("{path}/index.html")).is_some() {
        return Redirect::permanent(&format!("{path}/")).into_response();
    }
    not_found()
}

/// `GET /`.
#[utoipa::path(
    get, path = "/", operation_id = "indexPage", tag = crate::openapi::tag::PAGES,
    summary = "The index page",
    description = "The pages' scripts, styles and images under `/common/`, `/kiosk/`, \
        `/display/`, `/counter/`, `/ticket/`, `/reports/` and `/book/` are served by the fallback (any \
        other path is a 404 page) and are not listed here.",
    responses((status = 200, description = "HTML.", body = String, content_type = "text/html")),
)]
pub async fn index() -> Response {
    by_path("/")
}

/// `GET /t/{id}`: the mobile ticket page; its script reads the id from the address.
#[utoipa::path(
    get, path = "/t/{id}", operation_id = "ticketPage", tag = crate::openapi::tag::PAGES,
    summary = "The mobile ticket page",
    params(crate::openapi::TicketPath),
    responses((
        status = 200, description = "HTML; its script reads the ticket id from the address.",
        body = String, content_type = "text/html",
    )),
)]
pub async fn mobile_ticket() -> Response {
    by_path("/ticket/")
}

/// `GET /book/{code}`: the booking page showing one booking; its script reads the code from the
/// address. The page's own scripts and styles (`/book/book.js`) share the pattern and are
/// served as they are.
#[utoipa::path(
    get, path = "/book/{code}", operation_id = "bookingPage", tag = crate::openapi::tag::PAGES,
    summary = "The booking page of one booking",
    params(crate::openapi::AppointmentPath),
    responses((
        status = 200, description = "HTML; its script reads the booking code from the address.",
        body = String, content_type = "text/html",
    )),
)]
pub async fn booking_page(PathParam(code): PathParam) -> Response {
    let own_file = format!("/book/{code}");
    if asset(&own_file).is_some() {
        return by_path(&own_file);
    }
    // A code of any form gets the page, which says when there is no such booking: the page
    // answers alike for a booking that exists and one that does not.
    by_path("/book/")
}

/// The longest `Host` taken for a ticket's address: a DNS name (253) or an IPv6 literal, and a
/// port. A longer one would make the address longer than a QR code holds.
const MAX_HOST_LEN: usize = 260;

/// Whether `host` is a host name or IP address with an optional port, as in a `Host` header:
/// `kolejka.example.pl`, `192.168.1.10:8080`, `[fd00::1]:8080`.
fn is_host(host: &str) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((literal, port)) if !literal.is_empty() => {
                let literal_ok = literal
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
                (literal_ok, port)
            }
            _ => return false,
        },
        None => {
            // The port, if any, with its colon.
            let name = host.split(':').next().unwrap_or_default();
            let port = &host[name.len()..];
            let name_ok = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
            (name_ok, port)
        }
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|digits| {
            (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        });
    host.len() <= MAX_HOST_LEN && name && port_ok
}

/// The address a phone opens for a ticket: the office's `public_url` when configured (the
/// address of the server on the office network or the internet), otherwise the host the
/// kiosk itself reached the server at (`127.0.0.1` when the request names none). A `Host` that
/// is no host name is refused (400): it could only lead the phone astray, and an overlong one
/// would not fit in a QR code.
fn ticket_url(state: &AppState, headers: &HeaderMap, id: &str) -> Result<String, ApiError> {
    page_url(state, headers, &format!("/t/{id}"))
}

/// The address of a page at `path` ("/t/{id}", "/book/{code}") as a phone reaches it: see
/// [`ticket_url`].
fn page_url(state: &AppState, headers: &HeaderMap, path: &str) -> Result<String, ApiError> {
    let base = match &state.store.config().office.public_url {
        Some(url) => url.clone(),
        None => {
            let host = match headers.get(header::HOST) {
                None => "127.0.0.1",
                Some(value) => value.to_str().ok().filter(|h| is_host(h)).ok_or_else(|| {
                    ApiError::invalid_request(
                        "the Host header is not a host name with an optional port, so the \
                         QR code would lead nowhere",
                    )
                })?,
            };
            format!("http://{host}")
        }
    };
    Ok(format!("{base}{path}"))
}

/// `GET /t/{id}/qr.svg`: the QR code printed on a ticket, leading to its mobile page.
/// Only for tickets that exist, so the server draws no QR codes of arbitrary text.
#[utoipa::path(
    get, path = "/t/{id}/qr.svg", operation_id = "ticketQr", tag = crate::openapi::tag::PAGES,
    summary = "The QR code printed on a ticket",
    params(crate::openapi::TicketPath, crate::openapi::QrHost),
    responses(
        (
            status = 200, description = "An SVG QR code leading to `{public_url}/t/{id}`.",
            body = String, content_type = "image/svg+xml",
        ),
        crate::openapi::answers::BadRequest, crate::openapi::answers::UnknownQrTicket,
        crate::openapi::answers::RequestTimeout, crate::openapi::answers::StorageUnavailable,
    ),
)]
pub async fn ticket_qr(
    State(state): State<Arc<AppState>>,
    PathParam(id): PathParam,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // The request's form before the resource it names: a bad Host is 400 even for an unknown
    // ticket.
    let url = ticket_url(&state, &headers, &id)?;
    if crate::routes::find_ticket(&state, &id).await?.is_none() {
        return Err(ApiError::unknown_ticket(&id));
    }
    qr_svg(&url)
}

/// `GET /book/{code}/qr.svg`: the QR code on a booking's confirmation, leading to the booking's
/// page, so a phone can keep it. Only for a code of a booking that exists, so the server draws
/// no QR codes of arbitrary text.
#[utoipa::path(
    get, path = "/book/{code}/qr.svg", operation_id = "bookingQr", tag = crate::openapi::tag::PAGES,
    summary = "The QR code of a booking",
    params(crate::openapi::AppointmentPath, crate::openapi::QrHost),
    responses(
        (
            status = 200, description = "An SVG QR code leading to `{public_url}/book/{code}`.",
            body = String, content_type = "image/svg+xml",
        ),
        crate::openapi::answers::BadRequest, crate::openapi::answers::UnknownAppointment,
        crate::openapi::answers::RequestTimeout, crate::openapi::answers::StorageUnavailable,
    ),
)]
pub async fn booking_qr(
    State(state): State<Arc<AppState>>,
    PathParam(code): PathParam,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let unknown = || ApiError::from(numerek_core::DomainError::UnknownAppointment);
    let code: BookingCode = code.parse().map_err(|_| unknown())?;
    // The request's form before the resource it names, as for a ticket's QR code.
    let url = page_url(&state, &headers, &format!("/book/{code}"))?;
    if !appointment_exists(&state, code).await? {
        return Err(unknown());
    }
    qr_svg(&url)
}

/// Whether a booking has `code` (of any state and day the store keeps).
async fn appointment_exists(state: &AppState, code: BookingCode) -> Result<bool, ApiError> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || store.find_appointment(&code))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map(|found| found.is_some())
        .map_err(|_| ApiError::storage_unavailable())
}

/// An SVG QR code of `url`, as printed and shown.
fn qr_svg(url: &str) -> Result<Response, ApiError> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| ApiError::internal(&e))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .quiet_zone(true)
        .min_dimensions(160, 160)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "private, max-age=86400"),
        ],
        svg,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_headers_are_host_names_with_an_optional_port() {
        for good in [
            "kolejka.example.pl",
            "192.168.1.10:8080",
            "localhost",
            "[fd00::1]",
            "[fd00::1]:8080",
            "a-b.c:1",
        ] {
            assert!(is_host(good), "{good}");
        }
        let long = "a".repeat(MAX_HOST_LEN + 1);
        for bad in [
            "",
            ":80",
            "host:",
            "host:123456",
            "host:8o",
            "a b",
            "a/b",
            "user@host",
            "host:80:80",
            "[]",
            "[fd00::1",
            "[fd00::1]x",
            "[g::1]",
            "<script>",
            long.as_str(),
        ] {
            assert!(!is_host(bad), "{bad:?}");
        }
    }

    /// A development root: `web/index.html`, `kiosk-client/kiosk.js`, the page modules' unit
    /// tests, a secret beside the root's client directories, and symbolic links out of and
    /// within a client directory.
    fn dev_tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let root = dir.path();
        std::fs::create_dir_all(root.join("web/common/test")).unwrap();
        std::fs::create_dir_all(root.join("web/common/texts")).unwrap();
        std::fs::create_dir_all(root.join("kiosk-client")).unwrap();
        std::fs::write(root.join("web/index.html"), "index").unwrap();
        std::fs::write(root.join("web/common/api.js"), "api").unwrap();
        std::fs::write(root.join("web/common/texts/pl.js"), "pl").unwrap();
        std::fs::write(root.join("web/common/test/api.test.js"), "test").unwrap();
        std::fs::write(root.join("web/common/api.test.js"), "test").unwrap();
        std::fs::write(root.join("web/package.json"), "{}").unwrap();
        std::fs::write(root.join("kiosk-client/kiosk.js"), "kiosk").unwrap();
        std::fs::write(root.join("secret.redb"), "secret").unwrap();
        std::fs::write(root.join("web/.env"), "hidden").unwrap();
        std::os::unix::fs::symlink(root.join("secret.redb"), root.join("web/escape.js")).unwrap();
        std::os::unix::fs::symlink("/etc", root.join("web/etc")).unwrap();
        std::os::unix::fs::symlink(root.join("web/common/api.js"), root.join("web/alias.js"))
            .unwrap();
        dir
    }

    #[test]
    fn the_development_mode_serves_files_inside_its_client_directories_only() {
        let dir = dev_tree();
        let root = dir.path();
        let read = |path: &str| from_disk(root, path).map(|b| String::from_utf8(b).unwrap());
        assert_eq!(read("/index.html").as_deref(), Some("index"));
        assert_eq!(read("/common/api.js").as_deref(), Some("api"));
        assert_eq!(read("/kiosk/kiosk.js").as_deref(), Some("kiosk"));
        assert_eq!(read("/common/texts/pl.js").as_deref(), Some("pl"));
        assert_eq!(
            read("/alias.js").as_deref(),
            Some("api"),
            "a link within is fine"
        );
        let secret = root.join("secret.redb");
        let escapes = [
            "//etc/passwd".to_owned(),
            format!("/{}", secret.display()),
            format!("/{}", root.join("web/index.html").display()),
            "/../secret.redb".into(),
            "/common/../../secret.redb".into(),
            "/kiosk/../../secret.redb".into(),
            "/kiosk/..".into(),
            "/./index.html".into(),
            "/common//api.js".into(),
            "/.env".into(),
            "/escape.js".into(),
            "/etc/passwd".into(),
            "/etc/hostname".into(),
            "/common\\..\\..\\secret.redb".into(),
            "/index.html\0".into(),
            "/common".into(),
            "/".into(),
            "/nothing.js".into(),
            "/common/test/api.test.js".into(),
            "/common/api.test.js".into(),
            "/package.json".into(),
        ];
        for path in &escapes {
            assert_eq!(read(path), None, "{path:?} is refused");
        }
    }

    #[test]
    fn every_client_has_an_index_and_types_are_known() {
        assert!(asset("/index.html").is_some(), "web/index.html is embedded");
        for (path, _) in ASSETS {
            assert_ne!(
                content_type(path),
                "application/octet-stream",
                "{path} has an unknown type"
            );
        }
    }

    #[test]
    fn the_page_modules_unit_tests_are_not_part_of_the_pages() {
        for page in [
            "common/i18n.js",
            "common/texts/pl.js",
            "index.html",
            "testing.js",
            "tests/x.js",
        ] {
            assert!(clients::is_page_file(page), "{page}");
        }
        for developers in [
            "common/test/i18n.test.js",
            "test/fakes.js",
            "common/feed.test.js",
            "package.json",
            "common/package.json",
        ] {
            assert!(!clients::is_page_file(developers), "{developers}");
        }
        assert!(asset("/common/i18n.js").is_some());
        assert!(asset("/common/texts/pl.js").is_some());
        for path in asset_paths() {
            assert!(
                clients::is_page_file(path.trim_start_matches('/')),
                "{path} is embedded"
            );
        }
    }
}
