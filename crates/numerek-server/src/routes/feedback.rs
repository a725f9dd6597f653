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
use crate::error::{ApiError, ApiResult};
use crate::extract::{PathParam, StrictJson};
use crate::openapi::answers::{
    BadRequest, CounterRatingRefused, PayloadTooLarge, RatingRefused, RequestTimeout,
    StorageUnavailable, UnknownCounter, UnknownTicket, UnsupportedMediaType,
};
use crate::openapi::{CounterPath, TicketPath, tag};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use numerek_api as api;
use numerek_core::{Command, Score, TicketId};
use std::sync::Arc;

/// The score of a request, 1 to 5; any other number is `400 invalid_request` (one that is not
/// a whole number from 0 to 255 is refused as such by the body's own reading).
fn score(request: api::FeedbackRequest) -> ApiResult<Score> {
    Score::try_from(request.score).map_err(ApiError::invalid_request)
}

/// `POST /api/v1/tickets/{id}/feedback`: the holder of a served ticket rates the visit.
#[utoipa::path(
    post, path = "/api/v1/tickets/{id}/feedback", operation_id = "rateTicket", tag = tag::PUBLIC,
    summary = "Rate a served visit by its ticket",
    description = "No token: knowing the unguessable id is the right to rate the visit, once, \
        from its finish until 24 hours after it (the mobile ticket page offers five faces). \
        Nothing about who rated is kept: the ticket keeps its score alone, which no answer \
        shows (the reports show counts and means). The body is JSON, so no page of another site \
        can send it as a simple request.",
    params(TicketPath),
    request_body = api::FeedbackRequest,
    responses(
        (status = 200, description = "The score taken.", body = api::FeedbackAnswer),
        BadRequest, UnknownTicket, RequestTimeout, RatingRefused, PayloadTooLarge,
        UnsupportedMediaType, StorageUnavailable,
    ),
)]
pub async fn by_ticket(
    State(state): State<Arc<AppState>>,
    PathParam(id): PathParam,
    StrictJson(request): StrictJson<api::FeedbackRequest>,
) -> ApiResult<Json<api::FeedbackAnswer>> {
    let score = score(request)?;
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
            score,
        },
    )
    .await?;
    Ok(Json(api::FeedbackAnswer { score: score.get() }))
}

/// `POST /api/v1/counters/{id}/feedback`: the tablet at a counter rates its last finished
/// ticket.
#[utoipa::path(
    post, path = "/api/v1/counters/{id}/feedback", operation_id = "rateAtCounter",
    tag = tag::KIOSK,
    summary = "Rate the counter's last finished visit, from its tablet",
    description = "Kiosk tokens (and admin tokens) only: the tablet beside the counter \
        (`/feedback/?counter=ID`). Rates the counter's last ticket finished as served today, if \
        it finished at most 3 minutes ago and is not rated yet (on the tablet or the phone). \
        The answer names no ticket.",
    params(CounterPath),
    request_body = api::FeedbackRequest,
    responses(
        (status = 200, description = "The score taken.", body = api::FeedbackAnswer),
        BadRequest, UnknownCounter, RequestTimeout, CounterRatingRefused, PayloadTooLarge,
        UnsupportedMediaType, StorageUnavailable,
    ),
)]
pub async fn at_counter(
    State(state): State<Arc<AppState>>,
    PathParam(counter): PathParam,
    StrictJson(request): StrictJson<api::FeedbackRequest>,
) -> ApiResult<Json<api::FeedbackAnswer>> {
    let score = score(request)?;
    run(&state, Command::RateAtCounter { counter, score }).await?;
    Ok(Json(api::FeedbackAnswer { score: score.get() }))
}
