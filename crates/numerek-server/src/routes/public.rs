//! Routes anyone may use: health, the office, its status, a ticket by id; and the metrics,
//! which need a manager token unless the office makes them public.

use super::{find_ticket, run, ticket_answer};
use crate::auth::{Authorized, ManagerRole};
use crate::error::{ApiError, ApiResult};
use crate::extract::{EmptyJsonObject, PathParam};
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
pub async fn healthz() -> Json<api::Health> {
    Json(api::Health::default())
}

/// `GET /metrics`: with a manager or admin token, unless `office.metrics_public` opens it to
/// anyone (queue sizes and request rates tell an outsider how busy the office is, and when).
pub async fn metrics(
    State(state): State<Arc<AppState>>,
    reader: Result<Authorized<ManagerRole>, ApiError>,
) -> ApiResult<impl IntoResponse> {
    if !state.store.config().office.metrics_public {
        reader?;
    }
    let text = state.metrics.render(
        &state.store.office(),
        state.hub.clients(),
        state.store.storage_available(),
    );
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    ))
}

/// `GET /api/v1/office`.
pub async fn office(State(state): State<Arc<AppState>>) -> Json<api::Office> {
    Json(wire::office(state.store.config()))
}

/// `GET /api/v1/status`: for the public, counters' current tickets by number only; with a
/// clerk, manager or admin token (`Authorization: Bearer`), with their ids. Any other
/// `Authorization` (none, a kiosk token, an unknown or revoked one) gets the public answer, as
/// every public endpoint ignores a token it does not need.
pub async fn status(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Json<api::Status> {
    let audience = Audience::of(crate::auth::bearer_token(&headers, &state).map(|t| t.role));
    let now = state.store.clock().now();
    let view = state.store.office().status(now);
    Json(wire::status(state.tz(), &view, audience))
}

/// `GET /api/v1/tickets/{id}`: today's tickets from memory, older ones from the database.
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
