//! Bearer tokens and roles. Who may use a route is one fact, its [`Access`] in the route table
//! (`routes::table`): [`authorize`] enforces it as a layer of that route, and the OpenAPI
//! document states it from the same value. The layer runs before any extractor, so the spec's
//! order holds: 401, then 403, then the rate limit, the body's 415/413/400 and the rest.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use numerek_store::{Role, TokenRecord};
use std::sync::Arc;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, with or without a token (a token sent is ignored).
    Public,
    /// A token of this role, or of one that includes it (`Role::allows`).
    Token(Role),
    /// A manager token (or admin), unless the office file sets `office.metrics_public`.
    Metrics,
}

impl Access {
    /// The least role a token needs, if the route needs one at all (metrics: unless made
    /// public).
    pub fn role(self) -> Option<Role> {
        match self {
            Self::Public => None,
            Self::Token(role) => Some(role),
            Self::Metrics => Some(Role::Manager),
        }
    }
}

/// The caller's token, checked by [`authorize`] to have the route's role.
#[derive(Debug, Clone)]
pub struct Caller(pub TokenRecord);

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

/// The token of the request's bearer secret if it has `role` (or one that includes it):
/// otherwise 401 (no valid token) or 403 (another role).
pub fn check(headers: &HeaderMap, state: &AppState, role: Role) -> Result<TokenRecord, ApiError> {
    let token = bearer_token(headers, state).ok_or_else(ApiError::unauthorized)?;
    if !token.role.allows(role) {
        return Err(ApiError::forbidden(format!(
            "a {} token cannot do this; it needs a {role} token",
            token.role
        )));
    }
    Ok(token)
}

/// Route layer: lets the request through when its caller has the route's access, with the
/// token as a [`Caller`] for the handler; answers 401 or 403 otherwise.
pub async fn authorize(
    State((state, access)): State<(Arc<AppState>, Access)>,
    mut request: Request,
    next: Next,
) -> Response {
    let role = match access {
        Access::Metrics if state.store.config().office.metrics_public => None,
        access => access.role(),
    };
    if let Some(role) = role {
        match check(request.headers(), &state, role) {
            Ok(token) => {
                request.extensions_mut().insert(Caller(token));
            }
            Err(refusal) => return refusal.into_response(),
        }
    }
    next.run(request).await
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    /// The token [`authorize`] checked; 401 on a route whose access asks for none.
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(ApiError::unauthorized)
    }
}

/// A clerk (or manager, admin) acting at the counter named in the path `/counters/{id}/…`;
/// a token bound to another counter gets 403.
#[derive(Debug)]
pub struct AtCounter {
    /// The counter id from the path (not yet checked to exist: that is a 404 after the body).
    pub counter: String,
    /// The role of the token acting there (a work profile's choice depends on it).
    pub role: Role,
}

impl FromRequestParts<Arc<AppState>> for AtCounter {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Caller(token) = Caller::from_request_parts(parts, state).await?;
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
        if let Some(bound) = &token.counter
            && counter.as_ref() != Ok(bound)
        {
            return Err(ApiError::forbidden(format!(
                "this token works counter {bound} only"
            )));
        }
        Ok(Self {
            counter: counter?,
            role: token.role,
        })
    }
}
