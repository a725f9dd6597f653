//! The web clients, embedded in the binary so an office needs nothing but the one file.
//!
//! Each client directory at the repository root (`kiosk-client/`, `display-client/`, …) is
//! compiled in with `include_str!`; there is no build step and nothing is fetched at run time.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One embedded file.
struct Asset {
    /// The URL path it is served at.
    path: &'static str,
    /// Its content type.
    content_type: &'static str,
    /// Its bytes.
    body: &'static str,
}

macro_rules! asset {
    ($path:literal, $type:literal, $file:literal) => {
        Asset {
            path: $path,
            content_type: $type,
            body: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../", $file)),
        }
    };
}

const HTML: &str = "text/html; charset=utf-8";

static ASSETS: &[Asset] = &[asset!("/", "text/html; charset=utf-8", "web/index.html")];

fn serve(asset: &Asset) -> Response {
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        asset.body,
    )
        .into_response()
}

/// Serves an embedded file by its URL path, or 404.
pub fn by_path(path: &str) -> Response {
    match ASSETS.iter().find(|a| a.path == path) {
        Some(asset) => serve(asset),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, HTML)],
            "<!doctype html><html lang=\"pl\"><title>404</title><p>Nie ma takiej strony. / No such page.</p></html>",
        )
            .into_response(),
    }
}

/// `GET /`.
pub async fn index() -> Response {
    by_path("/")
}

/// `GET /t/{id}`: the mobile ticket page (the id is read by the page's script).
pub async fn mobile_ticket(Path(_id): Path<String>) -> Response {
    by_path("/t/")
}
