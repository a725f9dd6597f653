//! The API's one error type. Every refusal answers its status and
//! `{"error": {"code": "...", "message": "..."}}`; internal failures are logged once and answer
//! a generic message.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use numerek_core::DomainError;
use numerek_store::ExecError;

/// An error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable, snake_case code clients act on.
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
}

impl ApiError {
    /// An error with any status and code.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 `invalid_request`: the body or query is of the wrong shape, type or value.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", message)
    }

    /// 400 `invalid_json`: the body is not JSON at all.
    pub fn invalid_json(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_json", message)
    }

    /// 401 `unauthorized`.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid token is needed: send Authorization: Bearer <token>",
        )
    }

    /// 403 `forbidden`.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404 `not_found`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 404 `unknown_ticket`.
    pub fn unknown_ticket(reference: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "unknown_ticket",
            format!("there is no ticket {reference}"),
        )
    }

    /// 503 `storage_unavailable`.
    pub fn storage_unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "the server cannot store changes right now; nothing was changed, try again shortly",
        )
    }

    /// 500 `internal_error`, after logging the cause once.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "the server failed to answer; the failure is logged",
        )
    }
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        let message = error.to_string();
        let (status, code) = match error {
            DomainError::UnknownCategory(_) => (StatusCode::NOT_FOUND, "unknown_category"),
            DomainError::UnknownCounter(_) => (StatusCode::NOT_FOUND, "unknown_counter"),
            DomainError::UnknownTicket(_) => (StatusCode::NOT_FOUND, "unknown_ticket"),
            DomainError::PriorityNotOffered(_) | DomainError::UnknownLanguage(_) => {
                (StatusCode::BAD_REQUEST, "invalid_request")
            }
            DomainError::CategoryClosed { .. } | DomainError::CutOff { .. } => {
                (StatusCode::CONFLICT, "category_closed")
            }
            DomainError::DailyLimitReached(..) => (StatusCode::CONFLICT, "daily_limit_reached"),
            DomainError::NoCurrentTicket(_) => (StatusCode::CONFLICT, "no_current_ticket"),
            DomainError::TicketNotWaiting(_) => (StatusCode::CONFLICT, "ticket_not_waiting"),
            DomainError::EmptyProfile | DomainError::RepeatedCategory(_) => {
                (StatusCode::BAD_REQUEST, "invalid_request")
            }
            DomainError::NotMayServe { .. } => (StatusCode::FORBIDDEN, "forbidden"),
            DomainError::UnknownAppointment => (StatusCode::NOT_FOUND, "unknown_appointment"),
            DomainError::NoAppointments(_) => (StatusCode::BAD_REQUEST, "invalid_request"),
            DomainError::SlotUnavailable(_) => (StatusCode::CONFLICT, "slot_unavailable"),
            DomainError::SlotFull => (StatusCode::CONFLICT, "slot_full"),
            DomainError::AppointmentNotBooked(_) => {
                (StatusCode::CONFLICT, "appointment_not_booked")
            }
            DomainError::CheckinTooEarly(_) => (StatusCode::CONFLICT, "checkin_too_early"),
            DomainError::CheckinTooLate(_) => (StatusCode::CONFLICT, "checkin_too_late"),
            DomainError::TicketNotDone(_) => (StatusCode::CONFLICT, "ticket_not_done"),
            DomainError::FeedbackGiven(_) => (StatusCode::CONFLICT, "feedback_given"),
            DomainError::FeedbackClosed(_) => (StatusCode::CONFLICT, "feedback_closed"),
            DomainError::NoRecentTicket(_) => (StatusCode::CONFLICT, "no_recent_ticket"),
            // A booking retries with a fresh code, so this never reaches a client.
            DomainError::BookingCodeTaken => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        };
        Self::new(status, code, message)
    }
}

impl From<ExecError> for ApiError {
    fn from(error: ExecError) -> Self {
        match error {
            ExecError::Domain(domain) => domain.into(),
            ExecError::Unavailable => Self::storage_unavailable(),
            ExecError::UnknownToken(id) => Self::not_found(format!("there is no token {id}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = numerek_api::ErrorBody {
            error: numerek_api::ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// What handlers return.
pub type ApiResult<T> = Result<T, ApiError>;
