//! A clerk's counter: read it, and act at it.

use super::{counter_answer, run};
use crate::auth::AtCounter;
use crate::error::{ApiError, ApiResult};
use crate::extract::{NoBody, StrictJson};
use crate::state::AppState;
use crate::wire;
use axum::Json;
use axum::extract::State;
use numerek_api as api;
use numerek_core::{Command, CounterAction, DomainError, TicketId, TicketRef, TransferPosition};
use std::sync::Arc;

/// How many waiting tickets `GET /counters/{id}` lists.
const NEXT_LIMIT: usize = 5;

/// `GET /api/v1/counters/{id}` → `{"counter": CounterState, "next": [Ticket]}`.
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

macro_rules! simple_action {
    ($($name:ident => $action:expr, $doc:literal;)*) => {$(
        #[doc = $doc]
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
    open => CounterAction::Open, "`POST /counters/{id}/open`.";
    pause => CounterAction::Pause, "`POST /counters/{id}/pause`.";
    close => CounterAction::Close, "`POST /counters/{id}/close`.";
    call_next => CounterAction::CallNext, "`POST /counters/{id}/call-next`.";
    recall => CounterAction::Recall, "`POST /counters/{id}/recall`.";
    finish => CounterAction::Finish, "`POST /counters/{id}/finish`.";
    no_show => CounterAction::NoShow, "`POST /counters/{id}/no-show`.";
}

/// `POST /counters/{id}/call` with `{"ticket": "A017"}`.
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
