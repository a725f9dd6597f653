//! The kiosk's one route: take a ticket.

use super::{run, ticket_answer};
use crate::error::{ApiError, ApiResult};
use crate::extract::StrictJson;
use crate::openapi::answers::{
    BadRequest, IssueConflict, PayloadTooLarge, RateLimited, RequestTimeout, StorageUnavailable,
    UnknownCategory, UnsupportedMediaType,
};
use crate::openapi::tag;
use crate::ratelimit::Issuer;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use numerek_api as api;
use numerek_core::{Command, DomainError, TicketId};
use std::sync::Arc;

/// A new opaque ticket id: 128 random bits, base64url (22 characters).
pub fn new_ticket_id() -> Result<TicketId, ApiError> {
    use base64::Engine;
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(&e))?;
    Ok(TicketId(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
    ))
}

/// `POST /api/v1/tickets` → 201 Ticket.
#[utoipa::path(
    post, path = "/api/v1/tickets", operation_id = "issueTicket", tag = tag::KIOSK,
    summary = "Take a ticket",
    description = "Kiosk tokens (and admin tokens) only. A kiosk token may take at most \
        `office.kiosk_rate_per_min` tickets a minute (429 beyond); admin tokens are not limited.",
    request_body = api::IssueRequest,
    responses(
        (
            status = 201, description = "The new ticket.", body = api::Ticket,
            links(
                ("read" = (
                    operation_id = "ticket", parameters(("id" = "$response.body#/id")),
                    description = "The ticket, as its phone page reads it.",
                )),
                ("cancel" = (
                    operation_id = "cancelTicket", parameters(("id" = "$response.body#/id")),
                    description = "Cancel it.",
                )),
                ("qr" = (
                    operation_id = "ticketQr", parameters(("id" = "$response.body#/id")),
                    description = "The QR code printed on it.",
                )),
                ("page" = (
                    operation_id = "ticketPage", parameters(("id" = "$response.body#/id")),
                    description = "Its mobile page.",
                )),
            ),
        ),
        BadRequest, UnknownCategory, RequestTimeout, IssueConflict, PayloadTooLarge,
        UnsupportedMediaType, RateLimited, StorageUnavailable,
    ),
)]
pub async fn issue(
    State(state): State<Arc<AppState>>,
    _issuer: Issuer,
    StrictJson(request): StrictJson<api::IssueRequest>,
) -> ApiResult<(StatusCode, Json<api::Ticket>)> {
    // The language is part of the request's form: checked before the category it names, so an
    // unknown language is 400 even for an unknown category (the spec's order: 400 before 404).
    if let Some(language) = &request.language
        && !state.store.config().office.languages.contains(language)
    {
        return Err(DomainError::UnknownLanguage(language.clone()).into());
    }
    let command = Command::IssueTicket {
        id: new_ticket_id()?,
        category: request.category,
        priority: request.priority.unwrap_or(false),
        language: request.language,
    };
    let executed = run(&state, command).await?;
    Ok((StatusCode::CREATED, Json(ticket_answer(&state, &executed)?)))
}
