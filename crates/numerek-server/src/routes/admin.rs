//! Token administration (admin role).

use crate::error::{ApiError, ApiResult};
use crate::extract::{NoBody, PathParam, StrictJson};
use crate::openapi::answers::{
    BadRequest, PayloadTooLarge, RequestTimeout, StorageUnavailable, UnknownBindingCounter,
    UnknownToken, UnsupportedMediaType,
};
use crate::openapi::{TokenPath, tag};
use crate::state::AppState;
use crate::wire;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use numerek_api as api;
use numerek_core::DomainError;
use numerek_store::Role;
use std::sync::Arc;

/// The longest label accepted.
const MAX_LABEL_CHARS: usize = 200;

/// Checks a create request's values; the form comes before the resources (400 before 404).
pub fn validate(
    state: &AppState,
    request: api::CreateTokenRequest,
) -> ApiResult<(Role, Option<String>, Option<String>)> {
    let role: Role = request
        .role
        .parse()
        .map_err(|e: numerek_store::tokens::UnknownRole| {
            ApiError::invalid_request(e.to_string())
        })?;
    if let Some(label) = &request.label
        && label.chars().count() > MAX_LABEL_CHARS
    {
        return Err(ApiError::invalid_request(format!(
            "label is longer than {MAX_LABEL_CHARS} characters"
        )));
    }
    if let Some(counter) = &request.counter {
        if role != Role::Clerk {
            return Err(ApiError::invalid_request(
                "only clerk tokens can be bound to a counter",
            ));
        }
        if state.store.config().counter(counter).is_none() {
            return Err(DomainError::UnknownCounter(counter.clone()).into());
        }
    }
    Ok((role, request.label, request.counter))
}

/// `POST /api/v1/admin/tokens` → 201 `{"id", "token", "role", "label", "counter", "created_at"}`.
#[utoipa::path(
    post, path = "/api/v1/admin/tokens", operation_id = "createToken", tag = tag::ADMIN,
    summary = "Create a token",
    request_body = api::CreateTokenRequest,
    responses(
        (
            status = 201, description = "The new token with its secret (shown only here).",
            body = api::NewToken,
            links(("revoke" = (
                operation_id = "revokeToken", parameters(("id" = "$response.body#/id")),
                description = "Revoke it.",
            ))),
        ),
        BadRequest, UnknownBindingCounter, RequestTimeout, PayloadTooLarge, UnsupportedMediaType,
        StorageUnavailable,
    ),
)]
pub async fn create(
    State(state): State<Arc<AppState>>,
    StrictJson(request): StrictJson<api::CreateTokenRequest>,
) -> ApiResult<(StatusCode, Json<api::NewToken>)> {
    let (role, label, counter) = validate(&state, request)?;
    let token = state.store.create_token(role, label, counter).await?;
    let body = api::NewToken {
        record: wire::token(state.tz(), &token.record),
        token: token.secret,
    };
    Ok((StatusCode::CREATED, Json(body)))
}

/// `GET /api/v1/admin/tokens` → `{"tokens": [...]}`, never with secrets.
#[utoipa::path(
    get, path = "/api/v1/admin/tokens", operation_id = "listTokens", tag = tag::ADMIN,
    summary = "List tokens",
    responses(
        (
            status = 200, description = "Every token, oldest first, never with secrets.",
            body = api::TokenList,
        ),
        RequestTimeout,
    ),
)]
pub async fn list(State(state): State<Arc<AppState>>) -> Json<api::TokenList> {
    let tokens = state
        .store
        .tokens()
        .iter()
        .map(|t| wire::token(state.tz(), t))
        .collect();
    Json(api::TokenList { tokens })
}

/// `DELETE /api/v1/admin/tokens/{id}` → 204.
#[utoipa::path(
    delete, path = "/api/v1/admin/tokens/{id}", operation_id = "revokeToken", tag = tag::ADMIN,
    summary = "Revoke a token",
    params(TokenPath),
    request_body(
        content = Option<api::Empty>,
        description = "None, or `{}`: the action takes no parameters.",
    ),
    responses(
        (status = 204, description = "Revoked: the token stops working with the next request."),
        BadRequest, UnknownToken, RequestTimeout, PayloadTooLarge, UnsupportedMediaType,
        StorageUnavailable,
    ),
)]
pub async fn revoke(
    State(state): State<Arc<AppState>>,
    PathParam(id): PathParam,
    _: NoBody,
) -> ApiResult<StatusCode> {
    state.store.revoke_token(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
