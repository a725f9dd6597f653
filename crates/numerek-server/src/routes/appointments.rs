//! Appointments: the slots on offer, booking (the public, rate-limited per address, or a clerk
//! for a caller), reading, cancelling and the calendar entry of a booking by its code, the
//! staff's list of a day, and the kiosk's check-in.
//!
//! A booking code is its holder's key, as a ticket id is: it is answered to whoever sent it or
//! booked, listed to staff, and never logged at `info` or shown on a public surface.

use super::kiosk::new_ticket_id;
use super::{run, ticket_answer};
use crate::error::{ApiError, ApiResult};
use crate::extract::{EmptyJsonObject, NoBody, PathParam, StrictJson, StrictQuery};
use crate::openapi::answers::{
    AppointmentNotBooked, BadRequest, BookConflict, BookingRateLimited, CheckinConflict,
    PayloadTooLarge, RateLimited, RequestTimeout, StorageUnavailable, UnknownAppointment,
    UnknownCategory, UnsupportedMediaType,
};
use crate::openapi::{AppointmentPath, tag};
use crate::ratelimit::{Booker, Issuer};
use crate::state::AppState;
use crate::wire;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use numerek_api as api;
use numerek_core::appointment::{CODE_RANDOM_BYTES, LocalWindow};
use numerek_core::{Appointment, AppointmentState, BookingCode, Command, DomainError, SlotRange};
use numerek_store::ExecError;
use std::sync::Arc;

mod calendar;

/// How many fresh codes a booking draws before giving up: a code already in use is drawn with
/// a chance of a few in a trillion, so a second draw is already a curiosity.
const CODE_DRAWS: usize = 4;

/// A code from the path, or 404: a text that is no booking code names no appointment.
fn parse_code(text: &str) -> ApiResult<BookingCode> {
    text.parse()
        .map_err(|error: numerek_core::appointment::InvalidBookingCode| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_appointment",
                error.to_string(),
            )
        })
}

/// A `YYYY-MM-DD` query value, or 400.
fn parse_date(name: &str, text: &str) -> ApiResult<Date> {
    text.parse().map_err(|_| {
        ApiError::invalid_request(format!("{name}: {text:?} is not a date YYYY-MM-DD"))
    })
}

/// An appointment of any stored day, or `None`; blocking reads on a blocking thread.
async fn find(state: &Arc<AppState>, code: BookingCode) -> ApiResult<Option<Appointment>> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || store.find_appointment(&code))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|_| ApiError::storage_unavailable())
}

/// The wire form of an appointment, its ticket's state read where the ticket is (today's in
/// memory, an earlier day's in the database).
async fn answer(state: &Arc<AppState>, appointment: &Appointment) -> ApiResult<api::Appointment> {
    let now_state = match &appointment.ticket {
        None => None,
        Some(ticket) => match today(state, &ticket.id) {
            Some(found) => Some(found),
            None => super::find_ticket(state, ticket.id.as_str())
                .await?
                .map(|view| view.ticket.state),
        },
    };
    Ok(wire::appointment(state.tz(), appointment, now_state))
}

/// The state of one of today's tickets (the read model's guard is let go before any `.await`).
fn today(state: &AppState, id: &numerek_core::TicketId) -> Option<numerek_core::TicketState> {
    state.store.office().ticket(id).map(|t| t.state)
}

/// `GET /api/v1/appointments/slots?category&from&to`.
#[utoipa::path(
    get, path = "/api/v1/appointments/slots", operation_id = "appointmentSlots",
    tag = tag::PUBLIC,
    summary = "The slots of a category on some days",
    description = "Public. Every slot of the days `from..=to` (at most 31) that can still be \
        booked, with its free places (0 when full): slots that have started, days beyond the \
        category's `days_ahead` and closed dates are left out. A category without appointments, \
        or a bad range, is 400. Query parameters are strict: an unknown or repeated one is 400.",
    params(api::SlotsQuery),
    responses(
        (status = 200, description = "The slots, by start.", body = api::Slots),
        BadRequest, UnknownCategory, RequestTimeout,
    ),
)]
pub async fn slots(
    State(state): State<Arc<AppState>>,
    StrictQuery(query): StrictQuery<api::SlotsQuery>,
) -> ApiResult<Json<api::Slots>> {
    let from = parse_date("from", &query.from)?;
    let to = parse_date("to", &query.to)?;
    let range = SlotRange::new(from, to).map_err(|e| ApiError::invalid_request(e.to_string()))?;
    let now = state.store.clock().now();
    let slots = state.store.office().slots(&query.category, range, now)?;
    Ok(Json(api::Slots {
        category: query.category,
        slots: slots
            .iter()
            .map(|slot| api::Slot {
                start: wire::time(state.tz(), slot.start),
                end: wire::time(state.tz(), slot.end),
                free: slot.free,
            })
            .collect(),
    }))
}

/// `POST /api/v1/appointments` → 201 Appointment.
#[utoipa::path(
    post, path = "/api/v1/appointments", operation_id = "book", tag = tag::PUBLIC,
    summary = "Book a slot",
    description = "Public: at most `office.booking_rate_per_hour` attempts an hour per client \
        address (429 beyond, whatever their outcome). With a clerk, manager or admin token, \
        staff book for a caller (by phone, at the desk) without that limit. Nothing personal is \
        asked for: the answer's `code` is the booking's only key.",
    request_body = api::BookRequest,
    responses(
        (
            status = 201, description = "The new booking, with its code.",
            body = api::Appointment,
            links(
                ("read" = (
                    operation_id = "appointment",
                    parameters(("code" = "$response.body#/code")),
                    description = "The booking.",
                )),
                ("cancel" = (
                    operation_id = "cancelAppointment",
                    parameters(("code" = "$response.body#/code")),
                    description = "Cancel it.",
                )),
                ("calendar" = (
                    operation_id = "appointmentCalendar",
                    parameters(("code" = "$response.body#/code")),
                    description = "Its calendar entry.",
                )),
            ),
        ),
        BadRequest, UnknownCategory, RequestTimeout, BookConflict, PayloadTooLarge,
        UnsupportedMediaType, BookingRateLimited, StorageUnavailable,
    ),
)]
pub async fn book(
    State(state): State<Arc<AppState>>,
    _booker: Booker,
    StrictJson(request): StrictJson<api::BookRequest>,
) -> ApiResult<(StatusCode, Json<api::Appointment>)> {
    let start = request.start.timestamp();
    for _ in 0..CODE_DRAWS {
        let code = new_code()?;
        // Unique over every stored day, not only those the office holds.
        if find(&state, code).await?.is_some() {
            continue;
        }
        let command = Command::BookAppointment {
            code,
            category: request.category.clone(),
            start,
            language: request.language.clone(),
        };
        match state.store.execute(command).await {
            Ok(executed) => {
                let appointment = executed
                    .appointment
                    .ok_or_else(|| ApiError::internal(&"a booking answered no appointment"))?;
                return Ok((
                    StatusCode::CREATED,
                    Json(wire::appointment(state.tz(), &appointment, None)),
                ));
            }
            Err(ExecError::Domain(DomainError::BookingCodeTaken)) => continue,
            Err(error) => return Err(error.into()),
        }
    }
    Err(ApiError::internal(
        &"no free booking code after several draws",
    ))
}

/// A new booking code from 40 random bits.
fn new_code() -> ApiResult<BookingCode> {
    let mut bytes = [0u8; CODE_RANDOM_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(&e))?;
    Ok(BookingCode::from_random(bytes))
}

/// `GET /api/v1/appointments?date[&category]` (staff).
#[utoipa::path(
    get, path = "/api/v1/appointments", operation_id = "appointments", tag = tag::COUNTER,
    summary = "A day's appointments, with their codes",
    description = "Clerk, manager and admin tokens. Every appointment of the office day (every \
        state), by slot start, then code; earlier days' from storage while retention keeps \
        them. Query parameters are strict: an unknown or repeated one is 400.",
    params(api::AppointmentListQuery),
    responses(
        (status = 200, description = "The day's appointments.", body = api::AppointmentList),
        BadRequest, UnknownCategory, RequestTimeout, StorageUnavailable,
    ),
)]
pub async fn list(
    State(state): State<Arc<AppState>>,
    StrictQuery(query): StrictQuery<api::AppointmentListQuery>,
) -> ApiResult<Json<api::AppointmentList>> {
    let date = parse_date("date", &query.date)?;
    if let Some(category) = &query.category
        && state.store.config().category(category).is_none()
    {
        return Err(DomainError::UnknownCategory(category.clone()).into());
    }
    let store = state.store.clone();
    let category = query.category.clone();
    let found =
        tokio::task::spawn_blocking(move || store.appointments_on(date, category.as_deref()))
            .await
            .map_err(|e| ApiError::internal(&e))?
            .map_err(|_| ApiError::storage_unavailable())?;
    let mut appointments = Vec::with_capacity(found.len());
    for appointment in &found {
        appointments.push(answer(&state, appointment).await?);
    }
    Ok(Json(api::AppointmentList { date, appointments }))
}

/// `GET /api/v1/appointments/{code}`.
#[utoipa::path(
    get, path = "/api/v1/appointments/{code}", operation_id = "appointment", tag = tag::PUBLIC,
    summary = "A booking by its code",
    description = "No token: knowing the code is the right to read the booking. Codes are \
        case-insensitive.",
    params(AppointmentPath),
    responses(
        (status = 200, description = "The booking.", body = api::Appointment),
        BadRequest, UnknownAppointment, RequestTimeout, StorageUnavailable,
    ),
)]
pub async fn read(
    State(state): State<Arc<AppState>>,
    PathParam(code): PathParam,
) -> ApiResult<Json<api::Appointment>> {
    let code = parse_code(&code)?;
    let appointment = find(&state, code)
        .await?
        .ok_or(DomainError::UnknownAppointment)?;
    Ok(Json(answer(&state, &appointment).await?))
}

/// `POST /api/v1/appointments/{code}/cancel` with `{}`.
#[utoipa::path(
    post, path = "/api/v1/appointments/{code}/cancel", operation_id = "cancelAppointment",
    tag = tag::PUBLIC,
    summary = "Cancel a booking",
    description = "No token: knowing the code is the right to cancel the booking, which frees \
        its place in the slot. The body must be `{}` sent as `application/json` (no body, \
        `text/plain` or a form: 415; an empty or other JSON body: 400).",
    params(AppointmentPath),
    request_body(
        content = api::Empty,
        description = "Exactly `{}`, as `application/json`: no page of another site can send \
            that as a simple request.",
    ),
    responses(
        (status = 200, description = "The booking, now `cancelled`.", body = api::Appointment),
        BadRequest, UnknownAppointment, RequestTimeout, AppointmentNotBooked, PayloadTooLarge,
        UnsupportedMediaType, StorageUnavailable,
    ),
)]
pub async fn cancel(
    State(state): State<Arc<AppState>>,
    PathParam(code): PathParam,
    _: EmptyJsonObject,
) -> ApiResult<Json<api::Appointment>> {
    let code = parse_code(&code)?;
    match state
        .store
        .execute(Command::CancelAppointment { code })
        .await
    {
        Ok(executed) => {
            let appointment = executed
                .appointment
                .ok_or_else(|| ApiError::internal(&"a cancellation answered no appointment"))?;
            Ok(Json(wire::appointment(state.tz(), &appointment, None)))
        }
        // Not among the office's: an earlier day's booking is settled already.
        Err(ExecError::Domain(DomainError::UnknownAppointment)) => {
            Err(match find(&state, code).await? {
                Some(older) => DomainError::AppointmentNotBooked(older.state).into(),
                None => DomainError::UnknownAppointment.into(),
            })
        }
        Err(error) => Err(error.into()),
    }
}

/// `GET /api/v1/appointments/{code}/calendar.ics`.
#[utoipa::path(
    get, path = "/api/v1/appointments/{code}/calendar.ics", operation_id = "appointmentCalendar",
    tag = tag::PUBLIC,
    summary = "A booking as a calendar entry",
    description = "No token. An iCalendar (RFC 5545) document with one event: the visit, in \
        UTC, its summary the category and the office (never the code, which only its \
        description carries, for the check-in).",
    params(AppointmentPath),
    responses(
        (
            status = 200, description = "The calendar entry.", body = String,
            content_type = "text/calendar",
        ),
        BadRequest, UnknownAppointment, RequestTimeout, StorageUnavailable,
    ),
)]
pub async fn calendar(
    State(state): State<Arc<AppState>>,
    PathParam(code): PathParam,
) -> ApiResult<Response> {
    let code = parse_code(&code)?;
    let appointment = find(&state, code)
        .await?
        .ok_or(DomainError::UnknownAppointment)?;
    let now = state.store.clock().now();
    let text = calendar::entry(state.store.config(), &appointment, now);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"appointment.ics\"".to_owned(),
            ),
        ],
        text,
    )
        .into_response())
}

/// `POST /api/v1/appointments/{code}/check-in` → 201 Ticket.
#[utoipa::path(
    post, path = "/api/v1/appointments/{code}/check-in", operation_id = "checkIn",
    tag = tag::KIOSK,
    summary = "Check a booking in for its ticket",
    description = "Kiosk tokens (and admin tokens), counted in the kiosk's \
        `office.kiosk_rate_per_min` like a ticket. Within the check-in window (from \
        `office.checkin_early_min` before the slot's start to `office.checkin_late_min` after \
        it) the booking gets a ticket numbered in its category, with `appointment`, called \
        from its slot's start ahead of walk-ins.",
    params(AppointmentPath),
    request_body(
        content = Option<api::Empty>,
        description = "None, or `{}`: the action takes no parameters.",
    ),
    responses(
        (status = 201, description = "The new ticket.", body = api::Ticket),
        BadRequest, UnknownAppointment, RequestTimeout, CheckinConflict, PayloadTooLarge,
        UnsupportedMediaType, RateLimited, StorageUnavailable,
    ),
)]
pub async fn check_in(
    State(state): State<Arc<AppState>>,
    _issuer: Issuer,
    PathParam(code): PathParam,
    _: NoBody,
) -> ApiResult<(StatusCode, Json<api::Ticket>)> {
    let code = parse_code(&code)?;
    let command = Command::CheckIn {
        code,
        ticket: new_ticket_id()?,
    };
    match run(&state, command).await {
        Ok(executed) => Ok((StatusCode::CREATED, Json(ticket_answer(&state, &executed)?))),
        // Not among the office's: an earlier day's booking, missed or settled.
        Err(error) if error.code == "unknown_appointment" => {
            Err(match find(&state, code).await? {
                Some(older) if older.state == AppointmentState::Missed => {
                    let checkin = state.store.config().office.checkin;
                    let tz = state.tz();
                    DomainError::CheckinTooLate(LocalWindow {
                        opens: tz.to_datetime(checkin.opens(older.start)),
                        closes: tz.to_datetime(checkin.closes(older.start)),
                    })
                    .into()
                }
                Some(older) => DomainError::AppointmentNotBooked(older.state).into(),
                None => error,
            })
        }
        Err(error) => Err(error),
    }
}
