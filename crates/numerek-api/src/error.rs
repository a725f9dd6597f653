//! The body of every error answer, and the health answer.

use serde::{Deserialize, Serialize};

/// Every error answer: a stable snake_case `code` that clients act on, and an English
/// `message` for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Error))]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorDetail {
    /// What clients act on; it never changes meaning.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z][a-z_]*$"))]
    pub code: String,
    /// A sentence for people; it may be reworded.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub message: String,
}

/// `GET /healthz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `ok`: the server serves HTTP.
    pub status: HealthStatus,
}

/// The one state `/healthz` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    /// Serving.
    #[default]
    Ok,
}
