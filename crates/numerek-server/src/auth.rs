//! Bearer-token authentication and role checks, as extractors that run before the body is read,
//! so the spec's order holds: 401, then 403, then the body's 415/400.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use numerek_store::{Role, TokenRecord};
use std::marker::PhantomData;
use std::sync::Arc;

/// A role a route requires, as a type so each route states it in its signature.
pub trait RequiredRole: Send + Sync {
    /// The role.
    const ROLE: Role;
}

/// Marker: the route needs a kiosk token.
#[derive(Debug)]
pub struct KioskRole;
/// Marker: the route needs a clerk token (or manager, admin).
#[derive(Debug)]
pub struct ClerkRole;
/// Marker: the route needs a manager token (or admin).
#[derive(Debug)]
pub struct ManagerRole;
/// Marker: the route needs an admin token.
#[derive(Debug)]
pub struct AdminRole;

impl RequiredRole for KioskRole {
    const ROLE: Role = Role::Kiosk;
}
impl RequiredRole for ClerkRole {
    const ROLE: Role = Role::Clerk;
}
impl RequiredRole for ManagerRole {
    const ROLE: Role = Role::Manager;
}
impl RequiredRole for AdminRole {
    const ROLE: Role = Role::Admin;
}

/// The caller's token, checked to have role `R` (or one that includes it).
#[derive(Debug)]
pub struct Authorized<R> {
    /// The token.
    pub token: TokenRecord,
    role: PhantomData<R>,
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The valid token of the request's bearer secret, if it has one.
pub fn bearer_token(headers: &HeaderMap, state: &AppState) -> Option<TokenRecord> {
    bearer(headers)
        .filter(|secret| !secret.is_empty())
        .and_then(|secret| state.store.authenticate(secret))
}

/// The token of the request's bearer secret, or 401.
pub fn authenticate(parts: &Parts, state: &AppState) -> Result<TokenRecord, ApiError> {
    bearer_token(&parts.headers, state).ok_or_else(ApiError::unauthorized)
}

impl<R: RequiredRole> FromRequestParts<Arc<AppState>> for Authorized<R> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let token = authenticate(parts, state)?;
        if !token.role.allows(R::ROLE) {
            return Err(ApiError::forbidden(format!(
                "a {} token cannot do this; it needs a {} token",
                token.role,
                R::ROLE
            )));
        }
        Ok(Self {
            token,
            role: PhantomData,
        })
    }
}

/// A clerk (or manager, admin) acting at the counter named in the path `/counters/{id}/…`;
/// a token bound to another counter gets 403.
#[derive(Debug)]
pub struct AtCounter {
    /// The counter id from the path (not yet checked to exist: that is a 404 after the body).
    pub counter: String,
}

impl FromRequestParts<Arc<AppState>> for AtCounter {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let clerk = Authorized::<ClerkRole>::from_request_parts(parts, state).await?;
        let counter = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::invalid_request(e.to_string()))
            .and_then(|Path(params)| {
                params
                    .into_iter()
                    .find(|(name, _)| name == "id")
                    .map(|(_, value)| value)
                    .ok_or_else(|| ApiError::invalid_request("the path names no counter"))
            });
        // The role comes before the form: a token bound to a counter gets 403 for any other
        // path, an undecodable one (`/counters/%FF/open`) included, never its 400.
        if let Some(bound) = &clerk.token.counter
            && counter.as_ref() != Ok(bound)
        {
            return Err(ApiError::forbidden(format!(
                "this token works counter {bound} only"
            )));
        }
        Ok(Self { counter: counter? })
    }
}
