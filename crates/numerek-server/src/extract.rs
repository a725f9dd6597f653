//! Strict request bodies: a JSON content type, JSON text, and exactly the expected shape.
//!
//! axum's own `Json` answers rejections in its own format; these extractors answer with the
//! API's error body and the spec's codes (415, 413, `invalid_json`, `invalid_request`).

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

/// The largest request body accepted, in bytes; every body of the API is far smaller.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// A JSON body of type `T`, refused unless its content type is JSON and its shape is exact
/// (`T` should deny unknown fields).
#[derive(Debug)]
pub struct StrictJson<T>(pub T);

/// An action without parameters: the body must be empty, or the empty JSON object `{}`.
#[derive(Debug)]
pub struct NoBody;

/// Whether the request declares a JSON body: `application/json`, with any parameters except a
/// `charset` other than UTF-8. Bodies are read as UTF-8 (RFC 8259), so a body declared in
/// another charset would be misread silently; it is refused (415) instead.
fn is_json(request: &Request) -> bool {
    let Some(value) = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut parts = value.split(';');
    let mime = parts.next().unwrap_or("").trim();
    mime.eq_ignore_ascii_case("application/json")
        && parts.all(|parameter| match parameter.split_once('=') {
            Some((name, charset)) if name.trim().eq_ignore_ascii_case("charset") => {
                let charset = charset.trim().trim_matches('"');
                charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8")
            }
            _ => true,
        })
}

async fn body_bytes<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    format!("the body is larger than {MAX_BODY_BYTES} bytes"),
                )
            } else {
                ApiError::invalid_request(format!("the body could not be read: {rejection}"))
            }
        })
}

fn unsupported_media_type() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send the body as JSON with Content-Type: application/json",
    )
}

/// Parses JSON text into `T`: not JSON at all → `invalid_json`, wrong shape → `invalid_request`.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::invalid_json(format!("the body is not valid JSON: {e}")))?;
    // Every body of the API is an object; serde would also fill a struct from an array
    // (`["registration"]`), which must not pass as `{"category": "registration"}`.
    if !value.is_object() {
        return Err(ApiError::invalid_request("the body must be a JSON object"));
    }
    // Typed from the text, not from `value`: a `Value` keeps only the last of repeated names, so
    // `{"category": "tax", "category": "registration"}` would pass silently as one of them. The
    // derived `Deserialize` refuses a repeated field.
    serde_json::from_slice(bytes).map_err(|e| ApiError::invalid_request(e.to_string()))
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for StrictJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&request) {
            return Err(unsupported_media_type());
        }
        let bytes = body_bytes(request, state).await?;
        parse_json(&bytes).map(StrictJson)
    }
}

/// An action without parameters that a browser must not be able to send from another site as
/// a "simple" request (no body, `text/plain`, a form): the body must be exactly `{}` sent as
/// `application/json`, which no page can send cross-site without the server's consent.
#[derive(Debug)]
pub struct EmptyJsonObject;

impl<S: Send + Sync> FromRequest<S> for EmptyJsonObject {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&request) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send {} with Content-Type: application/json",
            ));
        }
        let bytes = body_bytes(request, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::invalid_json(
                "the body is empty; send {} with Content-Type: application/json",
            ));
        }
        parse_json::<Empty>(&bytes)
            .map_err(|e| {
                ApiError::new(
                    e.status,
                    e.code,
                    format!(
                        "this action takes the body {{}} and nothing else: {}",
                        e.message
                    ),
                )
            })
            .map(|_| EmptyJsonObject)
    }
}

/// The shape of `{}`: an object with no fields at all.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Empty {}

impl<S: Send + Sync> FromRequest<S> for NoBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let has_type = request.headers().contains_key(header::CONTENT_TYPE);
        let json = is_json(&request);
        let not_json = || {
            if has_type {
                unsupported_media_type()
            } else {
                ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "this action takes no body; send none, or {} as application/json",
                )
            }
        };
        // A body too large to read is certainly not empty: without a JSON content type it is
        // refused for its type, as the order of checks says (415 before 413).
        let bytes = body_bytes(request, state).await.map_err(|error| {
            if error.status == StatusCode::PAYLOAD_TOO_LARGE && !json {
                not_json()
            } else {
                error
            }
        })?;
        if bytes.is_empty() {
            return Ok(NoBody);
        }
        if !json {
            return Err(not_json());
        }
        parse_json::<Empty>(&bytes)
            .map_err(|e| {
                ApiError::new(
                    e.status,
                    e.code,
                    format!("this action takes no parameters: {}", e.message),
                )
            })
            .map(|_| NoBody)
    }
}

/// The one parameter of a path such as `/tickets/{id}`. axum's own `Path` answers an
/// undecodable parameter (`%FF`) in plain text; this answers `400 invalid_request` in the API's
/// error body.
#[derive(Debug)]
pub struct PathParam(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathParam {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| PathParam(value))
            .map_err(|rejection| ApiError::invalid_request(rejection.body_text()))
    }
}

/// A query string of type `T` (axum's `Query`), refused with `400 invalid_request` in the API's
/// error body when it does not fit: an unknown or repeated parameter (`T` denies unknown
/// fields), a missing one, or a value of the wrong kind.
#[derive(Debug)]
pub struct StrictQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for StrictQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(query)| StrictQuery(query))
            .map_err(|rejection| {
                use std::error::Error;
                // The cause alone ("unknown field `grup_by`, expected one of …"), without
                // axum's "Failed to deserialize query string" before it.
                let cause = rejection
                    .source()
                    .map_or_else(|| rejection.body_text(), ToString::to_string);
                ApiError::invalid_request(format!("the query does not fit this report: {cause}"))
            })
    }
}
