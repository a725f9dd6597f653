//! Access tokens (admin): listing, creating, the answer that carries a new secret.

use crate::format::Time;
use serde::{Deserialize, Serialize};

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Take tickets.
    Kiosk,
    /// Read and work counters.
    Clerk,
    /// What a clerk may, and read reports.
    Manager,
    /// Everything.
    Admin,
}

/// A token without its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Token {
    /// Its id, for listing and revoking (not secret).
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub id: String,
    /// What it may do.
    pub role: Role,
    /// Where or by whom it is used.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub label: Option<String>,
    /// For a clerk token bound to a counter: that counter.
    #[cfg_attr(feature = "openapi", schema(required))]
    pub counter: Option<String>,
    /// When it was made.
    pub created_at: Time,
}

/// A new token, with its secret: the only answer that carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewToken {
    /// The token.
    #[serde(flatten)]
    pub record: Token,
    /// The bearer secret: shown only in this answer; the server keeps its SHA-256.
    #[cfg_attr(feature = "openapi", schema(pattern = "^nmk_[A-Za-z0-9_-]{43}$"))]
    pub token: String,
}

/// `GET /api/v1/admin/tokens`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenList {
    /// Every token, never with its secret.
    pub tokens: Vec<Token>,
}

/// The body of `POST /api/v1/admin/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    /// `kiosk`, `clerk`, `manager` or `admin`.
    // Text rather than `Role`, so that another value gets the server's own message, which
    // names the roles.
    #[cfg_attr(feature = "openapi", schema(value_type = Role))]
    pub role: String,
    /// Where the token is used, at most 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub label: Option<String>,
    /// Only for the clerk role: the one counter it may work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<String>,
}
