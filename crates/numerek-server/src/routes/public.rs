//! Routes anyone may use: health, the office, its status, a ticket by id; and the metrics,
//! which need a manager token unless the office makes them public.

use super::{find_ticket, run, ticket_answer};
use crate::error::{ApiError, ApiResult};
use crate::extract::{EmptyJsonObject, PathParam};
use crate::openapi::answers::{
    BadRequest, PayloadTooLarge, RequestTimeout, StorageUnavailable, TicketNotWaiting,
    UnknownTicket, UnsupportedMediaType,
};
use crate::openapi::{TicketPath, tag};
use crate::state::AppState;
use crate::wire::{self, Audience};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use numerek_api as api;
use numerek_core::{Command, DomainError, TicketId};
use numerek_store::ExecError;
use std::sync::Arc;

/// `GET /healthz`.
#[utoipa::path(
    get, path = "/healthz", operation_id = "healthz", tag = tag::OPERATIONS,
    summary = "Liveness",
    description = "While the server serves HTTP; it reads no database.",
    responses((status = 200, description = "Serving.", body = api::Health)),
)]
pub async fn healthz() -> Json<api::Health> {
    Json(api::Health::default())
}

/// `GET /metrics`: with a manager or admin token, unless `office.metrics_public` opens it to
/// anyone (queue sizes and request rates tell an outsider how busy the office is, and when; the
/// route's `Access::Metrics` checks it).
#[utoipa::path(
    get, path = "/metrics", operation_id = "metrics", tag = tag::OPERATIONS,
    summary = "Prometheus metrics",
    description = "A manager or admin token (Prometheus sends one with `authorization` in its \
        scrape configuration), unless the office file sets `office.metrics_public = true`.",
    responses((
        status = 200,
        description = "Prometheus text exposition format 0.0.4; the metrics are listed in \
            docs/api.md.",
        body = String, content_type = "text/plain",
    )),
)]
pub async fn metrics(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    let text = state.metrics.render(
        &state.store.office(),
        state.hub.clients(),
        state.store.storage_available(),
    );
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
}

/// `GET /api/v1/office`.
#[utoipa::path(
    get, path = "/api/v1/office", operation_id = "office", tag = tag::PUBLIC,
    summary = "The office: categories and counters",
    responses((status = 200, description = "The office document.", body = api::Office)),
)]
pub async fn office(State(state): State<Arc<AppState>>) -> Json<api::Office> {
    Json(wire::office(state.store.config()))
}

/// `GET /api/v1/status`: for the public, counters' current tickets by number only; with a
/// clerk, manager or admin token (`Authorization: Bearer`), with their ids. Any other
/// `Authorization` (none, a kiosk token, an unknown or revoked one) gets the public answer, as
/// every public endpoint ignores a token it does not need.
#[utoipa::path(
    get, path = "/api/v1/status", operation_id = "status", tag = tag::PUBLIC,
    summary = "The live status",
    description = "Public. With `Authorization: Bearer` of a clerk, manager or admin token, \
        counters' current tickets carry their `id`; otherwise (no token, a kiosk token, a token \
        that is not valid) they are `{number, state}` only. The answer is 200 either way.",
    responses((
        status = 200, description = "Queues, counters and recent calls now.", body = api::Status,
    )),
)]
pub async fn status(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Json<api::Status> {
    let audience = Audience::of(crate::auth::bearer_token(&headers, &state).map(|t| t.role));
    let now = state.store.clock().now();
    let view = state.store.office().status(now);
    Json(wire::status(state.tz(), &view, audience))
}

/// `GET /api/v1/tickets/{id}`: today's tickets from memory, older ones from the database.
#[utoipa::path(
    get, path = "/api/v1/tickets/{id}", operation_id = "ticket", tag = tag::PUBLIC,
    summary = "A ticket by id",
    params(TicketPath),
    responses(
        (status = 200, description = "The ticket, of today or an earlier day.", body = api::Ticket),
        BadRequest, UnknownTicket, RequestTimeout, StorageUnavailable,
    ),
)]
pub async fn ticket(
    State(state): State<Arc<AppState>>,
    PathParam(id): PathParam,
) -> ApiResult<Json<api::Ticket>> {
    let view = find_ticket(&state, &id)
        .await?
        .ok_or_else(|| ApiError::unknown_ticket(&id))?;
    Ok(Json(wire::ticket(state.tz(), &view)))
}

/// `POST /api/v1/tickets/{id}/cancel`: knowing the id is the right to cancel the ticket. The
/// body must be `{}` as JSON, so no page of another site can send it as a simple request.
#[utoipa::path(
    post, path = "/api/v1/tickets/{id}/cancel", operation_id = "cancelTicket", tag = tag::PUBLIC,
    summary = "Cancel a waiting ticket",
    description = "No token: knowing the unguessable id is the right to cancel the ticket. The \
        body must be `{}` sent as `application/json` (no body, `text/plain` or a form: 415; an \
        empty or other JSON body: 400).",
    params(TicketPath),
    request_body(
        content = api::Empty,
        description = "Exactly `{}`, as `application/json`: no page of another site can send \
            that as a simple request.",
    ),
    responses(
        (status = 200, description = "The ticket, now `cancelled`.", body = api::Ticket),
        BadRequest, UnknownTicket, RequestTimeout, TicketNotWaiting, PayloadTooLarge,
        UnsupportedMediaType, StorageUnavailable,
    ),
)]
pub async fn cancel(
    State(state): State<Arc<AppState>>,
    PathParam(id): PathParam,
    _: EmptyJsonObject,
) -> ApiResult<Json<api::Ticket>> {
    match run(
        &state,
        Command::CancelTicket {
            id: TicketId(id.clone()),
        },
    )
    .await
    {
        Ok(executed) => Ok(Json(ticket_answer(&state, &executed)?)),
        // Not among today's tickets: an earlier day's ticket exists but is no longer waiting.
        Err(error) if error.code == "unknown_ticket" => {
            let older = find_ticket(&state, &id).await?;
            Err(match older {
                Some(view) => ApiError::from(ExecError::Domain(DomainError::TicketNotWaiting(
                    view.ticket.number.to_string(),
                ))),
                None => ApiError::unknown_ticket(&id),
            })
        }
        Err(error) => Err(error),
    }
}
