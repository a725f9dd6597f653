//! The API's routes, one module per audience (and `feedback`, the satisfaction ratings of both
//! the public and the counters' tablets), and [`table`]: every route in one list.

pub mod admin;
pub mod appointments;
pub mod backup;
pub mod counters;
pub mod events;
pub mod feedback;
pub mod kiosk;
pub mod open_data;
pub mod public;
pub mod reports;
mod table;

pub use table::{Route, table};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::wire;
use axum::Json;
use numerek_api as api;
use numerek_core::{Command, TicketId, TicketView};
use numerek_store::Executed;
use std::sync::Arc;

/// Runs a command and answers `Executed` as the spec's `{"ticket", "counter"}` document (or the
/// bare ticket for ticket commands).
pub(crate) async fn run(state: &Arc<AppState>, command: Command) -> ApiResult<Executed> {
    Ok(state.store.execute(command).await?)
}

/// `{"ticket": Ticket or null, "counter": CounterState}`.
pub(crate) fn counter_answer(
    state: &AppState,
    executed: &Executed,
) -> ApiResult<Json<api::CounterAnswer>> {
    let counter = executed
        .counter
        .as_ref()
        .ok_or_else(|| ApiError::internal(&"a counter action answered no counter"))?;
    Ok(Json(api::CounterAnswer {
        ticket: executed
            .ticket
            .as_ref()
            .map(|t| wire::ticket(state.tz(), t)),
        counter: wire::counter_state(counter, wire::Audience::Staff),
    }))
}

/// The bare `Ticket` of a ticket command.
pub(crate) fn ticket_answer(state: &AppState, executed: &Executed) -> ApiResult<api::Ticket> {
    executed
        .ticket
        .as_ref()
        .map(|t| wire::ticket(state.tz(), t))
        .ok_or_else(|| ApiError::internal(&"a ticket command answered no ticket"))
}

/// A ticket of any day by id: today's from the read model, older ones from the database on a
/// blocking thread. A storage failure answers 503.
pub(crate) async fn find_ticket(state: &Arc<AppState>, id: &str) -> ApiResult<Option<TicketView>> {
    let store = state.store.clone();
    let ticket_id = TicketId(id.to_owned());
    tokio::task::spawn_blocking(move || store.find_ticket(&ticket_id))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|_| ApiError::storage_unavailable())
}
