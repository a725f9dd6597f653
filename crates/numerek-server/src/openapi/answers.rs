//! The answers the OpenAPI document describes beyond a route's success body: every error with
//! the codes it can carry, and the few successes with headers a client may rely on.
//!
//! Each is a unit type implementing utoipa's `IntoResponses`, so a handler's `#[utoipa::path]`
//! lists them by name (`responses(..., UnknownCategory, StorageUnavailable)`). The errors every
//! route can share are components of the document ([`components`]) that operations refer to;
//! the others are written into the operation.

use std::collections::BTreeMap;
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, OneOfBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Schema};
use utoipa::{IntoResponses, ToSchema};

/// The error body whose `code` is one of `codes`: the `Error` schema, narrowed.
fn error_schema(codes: &[&str]) -> Schema {
    let code = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes.iter().copied()));
    let narrowed =
        ObjectBuilder::new().property("error", ObjectBuilder::new().property("code", code));
    AllOfBuilder::new()
        .item(Ref::from_schema_name(numerek_api::ErrorBody::name()))
        .item(narrowed)
        .into()
}

/// An error answer: `description`, and the error body with one of `codes`.
fn error_response(description: &str, codes: &[&str]) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/json",
        ContentBuilder::new()
            .schema(Some(error_schema(codes)))
            .build(),
    )
}

/// An integer header of seconds; a `required` one is always sent, and at least 1.
fn seconds_header(description: &str, required: bool) -> Header {
    let mut schema = ObjectBuilder::new().schema_type(Type::Integer);
    if required {
        schema = schema.minimum(Some(1));
    }
    let mut header = HeaderBuilder::new()
        .schema(Some(schema))
        .description(Some(description))
        .build();
    if required {
        mark_required(&mut header);
    }
    header
}

/// A header the answer always carries, with `values` its only values (if any).
pub(super) fn required_header(values: Option<&[&str]>) -> Header {
    let mut schema = ObjectBuilder::new().schema_type(Type::String);
    if let Some(values) = values {
        schema = schema.enum_values(Some(values.iter().copied()));
    }
    let mut header = HeaderBuilder::new().schema(Some(schema)).build();
    mark_required(&mut header);
    header
}

/// Marks a response header as always present (`required: true`). utoipa's `Header` has no field
/// for OpenAPI's `required`, so it is written among the header's flattened extensions, which
/// serialise beside its other fields.
fn mark_required(header: &mut Header) {
    header
        .extensions
        .get_or_insert_with(Default::default)
        .insert("required".to_owned(), true.into());
}

/// Declares error answers: `Name: status [codes], "description";`. `shared` ones are components
/// of the document, referred to by name; the others are written into each operation.
macro_rules! error_answers {
    (
        shared { $( $(#[$sdoc:meta])* $shared:ident: $sstatus:literal [$($scode:literal),+], $sdescription:literal; )* }
        inline { $( $(#[$idoc:meta])* $inline:ident: $istatus:literal [$($icode:literal),+], $idescription:literal; )* }
    ) => {
        $(
            $(#[$sdoc])*
            #[derive(Debug)]
            pub struct $shared;

            impl IntoResponses for $shared {
                fn responses() -> BTreeMap<String, RefOr<Response>> {
                    BTreeMap::from([(
                        $sstatus.to_string(),
                        RefOr::Ref(Ref::from_response_name(stringify!($shared))),
                    )])
                }
            }
        )*

        /// The shared error answers, as the document's `components/responses`.
        pub fn components() -> Vec<(String, RefOr<Response>)> {
            vec![$(
                (
                    stringify!($shared).to_owned(),
                    with_headers(stringify!($shared), error_response($sdescription, &[$($scode),+])).into(),
                ),
            )*]
        }

        $(
            $(#[$idoc])*
            #[derive(Debug)]
            pub struct $inline;

            impl IntoResponses for $inline {
                fn responses() -> BTreeMap<String, RefOr<Response>> {
                    BTreeMap::from([(
                        $istatus.to_string(),
                        with_headers(stringify!($inline), error_response($idescription, &[$($icode),+])).into(),
                    )])
                }
            }
        )*
    };
}

/// The headers an error answer always carries beside its body.
fn with_headers(name: &str, response: ResponseBuilder) -> Response {
    match name {
        "Unauthorized" => response.header("WWW-Authenticate", required_header(Some(&["Bearer"]))),
        "RateLimited" => response.header(
            "Retry-After",
            seconds_header("Seconds until the next ticket may be taken.", true),
        ),
        "BookingRateLimited" => response.header(
            "Retry-After",
            seconds_header("Seconds until this address may book again.", true),
        ),
        "FeedAddressFull" => response.header(
            "Retry-After",
            seconds_header("Seconds to wait before trying again.", true),
        ),
        "FeedFull" => response.header(
            "Retry-After",
            seconds_header("Seconds to wait before trying again.", false),
        ),
        _ => response,
    }
    .build()
}

error_answers! {
    shared {
        /// 400: the request's form.
        BadRequest: 400 ["invalid_json", "invalid_request"],
            "The request's form is wrong: `invalid_json` when the body is not JSON at all, `invalid_request` for a wrong shape, type or value (also a path parameter that is not UTF-8).";
        /// 401: no valid token.
        Unauthorized: 401 ["unauthorized"], "No valid bearer token.";
        /// 403: the token's role.
        Forbidden: 403 ["forbidden"],
            "The token's role may not do this, or a clerk token is bound to another counter.";
        /// 403: a page of another site.
        CrossOrigin: 403 ["cross_origin"],
            "The request carries an `Origin` that is not the server's own, `office.public_url`'s or one of `office.allowed_origins`: a page of another site. Checked before anything else.";
        /// 403: either.
        ForbiddenOrCrossOrigin: 403 ["forbidden", "cross_origin"],
            "`forbidden`: the token's role may not do this, or a clerk token is bound to another counter. `cross_origin`: the request carries an `Origin` that is not the server's own, `office.public_url`'s or one of `office.allowed_origins` (checked before anything else).";
        /// 408: too slow.
        RequestTimeout: 408 ["request_timeout"],
            "The request was not received and answered within 30 s (usually a slow body).";
        /// 413: too large.
        PayloadTooLarge: 413 ["payload_too_large"], "The body is larger than 16 KiB.";
        /// 415: not JSON.
        UnsupportedMediaType: 415 ["unsupported_media_type"],
            "A body without `Content-Type: application/json` (or with a charset other than UTF-8).";
        /// 429: the kiosk's rate.
        RateLimited: 429 ["rate_limited"],
            "This kiosk token takes tickets faster than `office.kiosk_rate_per_min` allows.";
        /// 503: the disk.
        StorageUnavailable: 503 ["storage_unavailable"],
            "The database cannot be written or read right now; nothing was changed.";
    }
    inline {
        /// 404 for a category.
        UnknownCategory: 404 ["unknown_category"], "No such category.";
        /// 404 for a ticket id.
        UnknownTicket: 404 ["unknown_ticket"], "Nobody issued this id.";
        /// 404 for a ticket whose QR code is asked for.
        UnknownQrTicket: 404 ["unknown_ticket"],
            "Nobody issued this id (so no QR code of arbitrary text is drawn).";
        /// 404 for a counter.
        UnknownCounter: 404 ["unknown_counter"], "No such counter.";
        /// 404 for a counter or the ticket to call.
        UnknownCounterOrTicket: 404 ["unknown_counter", "unknown_ticket"],
            "No such counter, or no such ticket.";
        /// 404 for a counter or the category to transfer to.
        UnknownCounterOrCategory: 404 ["unknown_counter", "unknown_category"],
            "No such counter, or no such category.";
        /// 404 for the counter a new token is bound to.
        UnknownBindingCounter: 404 ["unknown_counter"], "The counter to bind to does not exist.";
        /// 404 for a token id.
        UnknownToken: 404 ["not_found"], "No token has this id.";
        /// 409 when a ticket cannot be issued.
        IssueConflict: 409 ["category_closed", "daily_limit_reached"],
            "The category issues no tickets now (its hours, or the cut-off), or its daily limit is reached.";
        /// 409 for a ticket that is not waiting.
        TicketNotWaiting: 409 ["ticket_not_waiting"], "The ticket is not waiting.";
        /// 409 for a counter without a ticket.
        NoCurrentTicket: 409 ["no_current_ticket"], "The counter holds no ticket.";
        /// 409 for a ticket that cannot be rated.
        RatingRefused: 409 ["ticket_not_done", "feedback_given", "feedback_closed"],
            "`ticket_not_done`: the ticket is not `done` (waiting, called, a no-show or cancelled). `feedback_given`: it was rated already (here or at its counter's tablet). `feedback_closed`: it finished more than 24 hours ago.";
        /// 409 for a counter's tablet with nothing to rate.
        CounterRatingRefused: 409 ["no_recent_ticket", "feedback_given"],
            "`no_recent_ticket`: the counter finished no ticket in the last 3 minutes (today). `feedback_given`: its last finished ticket was rated already (on the tablet or on the phone).";
        /// 404 for a booking code.
        UnknownAppointment: 404 ["unknown_appointment"],
            "No appointment has this code (or the text is no booking code).";
        /// 409 when a slot cannot be booked.
        BookConflict: 409 ["slot_full", "slot_unavailable"],
            "`slot_full`: every place of the slot is taken. `slot_unavailable`: not a slot start of the category, past, beyond its `days_ahead`, or on a closed date.";
        /// 409 for an appointment that is not booked.
        AppointmentNotBooked: 409 ["appointment_not_booked"],
            "The appointment is checked in, cancelled or missed already.";
        /// 409 when a check-in is refused.
        CheckinConflict: 409 ["checkin_too_early", "checkin_too_late", "appointment_not_booked", "category_closed"],
            "`checkin_too_early` / `checkin_too_late`: outside the check-in window (the message gives it); `appointment_not_booked`: checked in, cancelled or missed already; `category_closed`: the office is closed today (a closed date).";
        /// 429 for an address that books too often.
        BookingRateLimited: 429 ["rate_limited"],
            "This client address booked `office.booking_rate_per_hour` times within the last hour (staff tokens are not limited); try again after `Retry-After` seconds.";
        /// 400 for a request to the feed that is no WebSocket upgrade.
        NotAnUpgrade: 400 ["invalid_request"], "Not a WebSocket upgrade request.";
        /// 401 for the feed's `token` parameter.
        FeedUnauthorized: 401 ["unauthorized"],
            "`token` is given but is no valid token (unknown or revoked).";
        /// 429 for an address with its share of the feed.
        FeedAddressFull: 429 ["rate_limited"],
            "This client address holds `office.feed_clients_per_address` feeds already; try again after `Retry-After` seconds.";
        /// 503 for a full feed.
        FeedFull: 503 ["too_many_clients"],
            "The feed has its maximum of clients; try again after `Retry-After` seconds.";
        /// 503 for a backup that could not be made.
        BackupUnavailable: 503 ["storage_unavailable"],
            "The copy could not be made (the database is unavailable, or the disk is full); nothing was changed.";
    }
}

/// `101` of the feed: the switch to a WebSocket.
#[derive(Debug)]
pub struct Upgraded;

impl IntoResponses for Upgraded {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let response = ResponseBuilder::new().description(
            "Switching protocols: a WebSocket whose first message is a `snapshot` (or, with \
             `since`, the events after it), followed by every event in order; each message a \
             `FeedMessage`.",
        );
        BTreeMap::from([("101".to_owned(), response.build().into())])
    }
}

/// `200` of the open-data document: any origin may read it, and caches keep it briefly.
#[derive(Debug)]
pub struct OpenDataDocument;

impl IntoResponses for OpenDataDocument {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let shapes = OneOfBuilder::new()
            .item(Ref::from_schema_name(numerek_api::WarsawQueues::name()))
            .item(Ref::from_schema_name(numerek_api::WarsawQueues2016::name()));
        let response = ResponseBuilder::new()
            .description(
                "One group per category: in the shape of 2019-2020 (`WarsawQueues`) unless \
                 `shape=2016` asks for the shape of 2015-2016 (`WarsawQueues2016`).",
            )
            .content(
                "application/json",
                ContentBuilder::new().schema(Some(shapes)).build(),
            )
            .header("Access-Control-Allow-Origin", required_header(Some(&["*"])))
            .header("Cache-Control", required_header(None));
        BTreeMap::from([("200".to_owned(), response.build().into())])
    }
}

/// `400` of the open-data document, in Warsaw's error shape.
#[derive(Debug)]
pub struct OpenDataBadQuery;

impl IntoResponses for OpenDataBadQuery {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let response = ResponseBuilder::new()
            .description(
                "`shape` names no shape (or is given twice), or the query cannot be read: \
                 Warsaw's error, `{\"result\": \"false\", \"error\": \"…\"}`.",
            )
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(RefOr::Ref(Ref::from_schema_name(
                        numerek_api::WarsawError::name(),
                    ))))
                    .build(),
            )
            .header("Access-Control-Allow-Origin", required_header(Some(&["*"])))
            .header("Cache-Control", required_header(None));
        BTreeMap::from([("400".to_owned(), response.build().into())])
    }
}

/// `204` of the open-data preflight.
#[derive(Debug)]
pub struct Preflight;

impl IntoResponses for Preflight {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let response = ResponseBuilder::new()
            .description("Allowed from any origin.")
            .header("Access-Control-Allow-Origin", required_header(Some(&["*"])))
            .header("Access-Control-Allow-Methods", required_header(None));
        BTreeMap::from([("204".to_owned(), response.build().into())])
    }
}
