//! Satisfaction: a served visit rated 1 to 5, on the phone that follows the ticket or on the
//! tablet at the counter (`docs/api.md`, Satisfaction).
//!
//! - `POST /api/v1/tickets/{id}/feedback` `{"score": 1..5}`: no token, the id is the right (as
//!   for cancelling), and the body is JSON as cancelling's is, so no page of another site can
//!   send it as a simple request.
//! - `POST /api/v1/counters/{id}/feedback` `{"score": 1..5}` (kiosk role): the counter's last
//!   finished ticket, within 3 minutes of its finish.
//!
//! Both answer `200 {"score"}` and nothing else: not the ticket, not when, not who.

use super::{find_ticket, run};
use crate::auth::{Authorized, KioskRole};
use crate::error::{ApiError, ApiResult};
use crate::extract::{PathParam, StrictJson};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use numerek_core::{Command, Score, TicketId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The body of both routes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    /// 1 (very dissatisfied) to 5 (very satisfied); any other number, or not a whole number,
    /// is `400 invalid_request`.
    score: Score,
}

/// The answer of both routes: the score taken.
#[derive(Debug, Serialize)]
pub struct FeedbackAnswer {
    /// The score, as given.
    pub score: u8,
}

/// `POST /api/v1/tickets/{id}/feedback`: the holder of a served ticket rates the visit.
pub async fn by_ticket(
    State(state): State<Arc<AppState>>,
    PathParam(id): PathParam,
    StrictJson(request): StrictJson<FeedbackRequest>,
) -> ApiResult<Json<FeedbackAnswer>> {
    // An id nobody issued is answered here, from the read model and the database, so that
    // made-up ids never reach the writer; the writer decides on the ticket it reads itself.
    let known = state.store.office().ticket(&TicketId(id.clone())).is_some();
    if !known && find_ticket(&state, &id).await?.is_none() {
        return Err(ApiError::unknown_ticket(&id));
    }
    run(
        &state,
        Command::RateTicket {
            id: TicketId(id),
            score: request.score,
        },
    )
    .await?;
    Ok(Json(FeedbackAnswer {
        score: request.score.get(),
    }))
}

/// `POST /api/v1/counters/{id}/feedback`: the tablet at a counter rates its last finished
/// ticket.
pub async fn at_counter(
    State(state): State<Arc<AppState>>,
    _tablet: Authorized<KioskRole>,
    PathParam(counter): PathParam,
    StrictJson(request): StrictJson<FeedbackRequest>,
) -> ApiResult<Json<FeedbackAnswer>> {
    run(
        &state,
        Command::RateAtCounter {
            counter,
            score: request.score,
        },
    )
    .await?;
    Ok(Json(FeedbackAnswer {
        score: request.score.get(),
    }))
}
