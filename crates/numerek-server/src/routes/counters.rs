//! A clerk's counter: read it, and act at it.

use super::{counter_answer, run};
use crate::auth::AtCounter;
use crate::error::{ApiError, ApiResult};
use crate::extract::{NoBody, StrictJson};
use crate::openapi::answers::{
    BadRequest, NoCurrentTicket, PayloadTooLarge, RequestTimeout, StorageUnavailable,
    TicketNotWaiting, UnknownCounter, UnknownCounterOrCategory, UnknownCounterOrTicket,
    UnsupportedMediaType,
};
use crate::openapi::{CounterPath, tag};
use crate::state::AppState;
use crate::wire;
use axum::Json;
use axum::extract::State;
use numerek_api as api;
use numerek_core::{
    Command, CounterAction, DomainError, StaffRole, TicketId, TicketRef, TransferPosition,
};
use numerek_store::Role;
use std::sync::Arc;

/// How many waiting tickets `GET /counters/{id}` lists.
const NEXT_LIMIT: usize = 5;

/// The sentence every counter route's description ends with.
macro_rules! counter_roles {
    () => {
        "Clerk, manager and admin tokens; a clerk token bound to another counter gets 403."
    };
}

/// `GET /api/v1/counters/{id}` → `{"counter": CounterState, "next": [Ticket]}`.
#[utoipa::path(
    get, path = "/api/v1/counters/{id}", operation_id = "counter", tag = tag::COUNTER,
    summary = "A counter and the tickets it would call next",
    description = counter_roles!(),
    params(CounterPath),
    responses(
        (
            status = 200, description = "The counter's state and its next tickets.",
            body = api::CounterView,
        ),
        BadRequest, UnknownCounter, RequestTimeout,
    ),
)]
pub async fn show(
    State(state): State<Arc<AppState>>,
    at: AtCounter,
) -> ApiResult<Json<api::CounterView>> {
    let now = state.store.clock().now();
    let office = state.store.office();
    let unknown = || ApiError::from(DomainError::UnknownCounter(at.counter.clone()));
    let counter = office.counter_view(&at.counter).ok_or_else(unknown)?;
    let next = office
        .next_for_counter(&at.counter, NEXT_LIMIT, now)
        .ok_or_else(unknown)?;
    Ok(Json(api::CounterView {
        counter: wire::counter_state(&counter, wire::Audience::Staff),
        next: next.iter().map(|t| wire::ticket(state.tz(), t)).collect(),
    }))
}

async fn act(
    state: &Arc<AppState>,
    counter: String,
    action: CounterAction,
) -> ApiResult<Json<api::CounterAnswer>> {
    let executed = run(state, Command::Counter { counter, action }).await?;
    counter_answer(state, &executed)
}

/// The counter actions without parameters: each a handler with its documentation.
macro_rules! simple_action {
    ($(
        $name:ident => $action:expr, $path:tt, $id:tt, $summary:tt, $description:expr,
        [$($conflict:ident)?];
    )*) => {$(
        #[doc = concat!("`POST ", $path, "`: ", $summary, ".")]
        #[utoipa::path(
            post, path = $path, operation_id = $id, tag = tag::COUNTER,
            summary = $summary, description = $description,
            params(CounterPath),
            request_body(
                content = Option<api::Empty>,
                description = "None, or `{}`: the action takes no parameters.",
            ),
            responses(
                (
                    status = 200, description = "The ticket concerned (or null) and the counter.",
                    body = api::CounterAnswer,
                ),
                BadRequest, UnknownCounter, RequestTimeout, $($conflict,)? PayloadTooLarge,
                UnsupportedMediaType, StorageUnavailable,
            ),
        )]
        pub async fn $name(
            State(state): State<Arc<AppState>>,
            at: AtCounter,
            _: NoBody,
        ) -> ApiResult<Json<api::CounterAnswer>> {
            act(&state, at.counter, $action).await
        }
    )*};
}

simple_action! {
    open => CounterAction::Open, "/api/v1/counters/{id}/open", "openCounter",
        "Open the counter", counter_roles!(), [];
    pause => CounterAction::Pause, "/api/v1/counters/{id}/pause", "pauseCounter",
        "Pause the counter (a called ticket stays until finished)", counter_roles!(), [];
    close => CounterAction::Close, "/api/v1/counters/{id}/close", "closeCounter",
        "Close the counter (a called ticket stays until finished)", counter_roles!(), [];
    call_next => CounterAction::CallNext, "/api/v1/counters/{id}/call-next", "callNext",
        "Finish the current ticket and call the next",
        concat!(
            "Finishes the counter's current ticket (as served), opens the counter if needed, and \
             calls the next ticket by the routing rule; `ticket` is null when nobody waits. ",
            counter_roles!()
        ),
        [];
    recall => CounterAction::Recall, "/api/v1/counters/{id}/recall", "recall",
        "Announce the current ticket again", counter_roles!(), [NoCurrentTicket];
    finish => CounterAction::Finish, "/api/v1/counters/{id}/finish", "finish",
        "The current ticket is served", counter_roles!(), [NoCurrentTicket];
    no_show => CounterAction::NoShow, "/api/v1/counters/{id}/no-show", "noShow",
        "The current ticket did not come", counter_roles!(), [NoCurrentTicket];
}

/// `POST /counters/{id}/call` with `{"ticket": "A017"}`.
#[utoipa::path(
    post, path = "/api/v1/counters/{id}/call", operation_id = "callTicket", tag = tag::COUNTER,
    summary = "Call a waiting ticket out of order",
    description = concat!(
        "Like call-next, but calls that waiting ticket, whatever its category. ",
        counter_roles!()
    ),
    params(CounterPath),
    request_body = api::CallRequest,
    responses(
        (
            status = 200, description = "The ticket concerned (or null) and the counter.",
            body = api::CounterAnswer,
        ),
        BadRequest, UnknownCounterOrTicket, RequestTimeout, TicketNotWaiting, PayloadTooLarge,
        UnsupportedMediaType, StorageUnavailable,
    ),
)]
pub async fn call(
    State(state): State<Arc<AppState>>,
    at: AtCounter,
    StrictJson(request): StrictJson<api::CallRequest>,
) -> ApiResult<Json<api::CounterAnswer>> {
    let reference = match request.ticket.parse() {
        Ok(number) => TicketRef::Number(number),
        Err(_) if !request.ticket.trim().is_empty() => TicketRef::Id(TicketId(request.ticket)),
        Err(_) => {
            return Err(ApiError::invalid_request(
                "`ticket` must name a ticket number or id",
            ));
        }
    };
    act(&state, at.counter, CounterAction::Call(reference)).await
}

/// `POST /counters/{id}/transfer` with `{"category": "tax", "position": "front"}`.
#[utoipa::path(
    post, path = "/api/v1/counters/{id}/transfer", operation_id = "transfer", tag = tag::COUNTER,
    summary = "Send the current ticket to another category's queue",
    description = concat!(
        "The ticket waits again in that category, keeping its number, issue time and priority. ",
        counter_roles!()
    ),
    params(CounterPath),
    request_body = api::TransferRequest,
    responses(
        (
            status = 200, description = "The ticket concerned (or null) and the counter.",
            body = api::CounterAnswer,
        ),
        BadRequest, UnknownCounterOrCategory, RequestTimeout, NoCurrentTicket, PayloadTooLarge,
        UnsupportedMediaType, StorageUnavailable,
    ),
)]
pub async fn transfer(
    State(state): State<Arc<AppState>>,
    at: AtCounter,
    StrictJson(request): StrictJson<api::TransferRequest>,
) -> ApiResult<Json<api::CounterAnswer>> {
    let position = match request.position.unwrap_or_default() {
        api::Position::Front => TransferPosition::Front,
        api::Position::Back => TransferPosition::Back,
    };
    let action = CounterAction::Transfer {
        category: request.category,
        position,
    };
    act(&state, at.counter, action).await
}

/// `POST /counters/{id}/profile` with `{"categories": ["registration", "tax"], "order": "fifo"}`.
#[utoipa::path(
    post, path = "/api/v1/counters/{id}/profile", operation_id = "setProfile",
    tag = tag::COUNTER,
    summary = "Change what the counter serves for the rest of the day (its work profile)",
    description = "The counter serves these categories from now on, in this order (`order` \
        left out keeps the order in force), until changed again or until the office day ends, \
        when it goes back to the office file's. A called ticket stays with the counter; the \
        answer and the `counter.changed` event carry the new `categories` and `order`. Asking \
        for the profile in force changes nothing and sends no event. Manager and admin tokens \
        may choose any category; a clerk token only among the counter's `may_serve` (403 \
        `forbidden` otherwise), and a token bound to another counter gets 403. An empty or \
        repeated category is 400 `invalid_request`; an unknown one 404 `unknown_category`.",
    params(CounterPath),
    request_body = api::ProfileRequest,
    responses(
        (
            status = 200, description = "The counter with its work profile in force.",
            body = api::ProfileAnswer,
        ),
        BadRequest, UnknownCounterOrCategory, RequestTimeout, PayloadTooLarge,
        UnsupportedMediaType, StorageUnavailable,
    ),
)]
pub async fn profile(
    State(state): State<Arc<AppState>>,
    at: AtCounter,
    StrictJson(request): StrictJson<api::ProfileRequest>,
) -> ApiResult<Json<api::ProfileAnswer>> {
    let by = match at.role {
        Role::Manager | Role::Admin => StaffRole::Manager,
        Role::Clerk | Role::Kiosk => StaffRole::Clerk,
    };
    let action = CounterAction::SetProfile {
        categories: request.categories,
        order: request.order.map(wire::core_counter_order),
        by,
    };
    let executed = run(
        &state,
        Command::Counter {
            counter: at.counter.clone(),
            action,
        },
    )
    .await?;
    let counter = executed
        .counter
        .ok_or_else(|| ApiError::from(DomainError::UnknownCounter(at.counter)))?;
    Ok(Json(api::ProfileAnswer {
        counter: wire::counter_state(&counter, wire::Audience::Staff),
    }))
}
