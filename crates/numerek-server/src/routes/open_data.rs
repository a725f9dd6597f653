//! Open data: the live queue state for a city's open-data portal, in the shapes such portals
//! already read (described in `docs/open-data.md`).
//!
//! - `GET /api/v1/open-data/warsaw`: the office's queues as the City of Warsaw's open-data API
//!   publishes the queues of its offices ("kolejki w urzędach"), so that apps and dashboards
//!   written for that feed can read a numerek office unchanged: by default in the shape Warsaw
//!   served in 2019–2020 (numbers as text, the current number with its letter, stable group
//!   ids), with `?shape=2016` in the older shape of 2015–2016 (numbers as numbers, groups by
//!   position). Errors are Warsaw's too: `{"result": "false", "error": "…"}`.
//!
//! These documents are foreign formats, not API v1 shapes: their types are in
//! `numerek_api::open_data`, and they are filled in here rather than in [`crate::wire`]. They
//! are public, carry aggregates only (no ticket id, no token, nothing
//! about a person), are built from the in-memory read model without touching the database, and
//! may be read by a web page of any origin (`Access-Control-Allow-Origin: *`).

use crate::openapi::answers::{OpenDataBadQuery, OpenDataDocument, Preflight};
use crate::openapi::{OpenDataQuery, tag};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use numerek_api::open_data::{
    WarsawError, WarsawGroup, WarsawGroup2016, WarsawQueues, WarsawQueues2016, WarsawResult,
    WarsawResult2016,
};
use numerek_core::day::local_datetime;
use numerek_core::{CounterState, Office, TicketNumber, TicketState};
use std::collections::HashMap;
use std::sync::Arc;

/// How long a cache (a portal's proxy, a browser) may keep a document: short, because the
/// queues change with every call, but long enough that a burst of readers costs one answer.
pub const CACHE_CONTROL: &str = "public, max-age=5";

/// Which of Warsaw's shapes a document takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// As Warsaw served it in 2019–2020: the default.
    Warsaw2019,
    /// As Warsaw served it in 2015–2016 (`?shape=2016`).
    Warsaw2016,
}

impl Shape {
    /// The shape a query asks for: `shape=2016`, `shape=2019` or `shape=2020` (the same), or
    /// the default without it. Other parameters are ignored (a Warsaw consumer sends its `id`
    /// and `apikey`); `shape` given twice, or with another value, is an error.
    ///
    /// # Errors
    /// A sentence for the consumer, in English.
    pub fn from_query(query: Option<&str>) -> Result<Self, String> {
        let pairs: Vec<(String, String)> =
            axum::extract::Query::<Vec<(String, String)>>::try_from_uri(
                &format!("/?{}", query.unwrap_or_default())
                    .parse()
                    .map_err(|_| "the query cannot be read".to_owned())?,
            )
            .map(|q| q.0)
            .map_err(|e| format!("the query cannot be read: {e}"))?;
        let mut shapes = pairs.iter().filter(|(name, _)| name == "shape");
        let shape = match shapes.next().map(|(_, value)| value.as_str()) {
            None | Some("2019" | "2020") => Self::Warsaw2019,
            Some("2016") => Self::Warsaw2016,
            Some(other) => {
                return Err(format!(
                    "unknown shape {other:?}: leave shape out (or give 2019) for the shape of \
                     2019-2020, or give 2016 for the shape of 2015-2016"
                ));
            }
        };
        if shapes.next().is_some() {
            return Err("shape is given more than once".to_owned());
        }
        Ok(shape)
    }
}

/// `GET /api/v1/open-data/warsaw`: `{"result": {"date", "time", "grupy": [...]}}`, one group per
/// category, in the shape the query asks for ([`Shape::from_query`]); other query parameters
/// are ignored, so a consumer that sends the Warsaw API's `id` and `apikey` gets the same
/// document. A query it cannot read answers `400` and Warsaw's error, `{"result": "false",
/// "error": "…"}`.
#[utoipa::path(
    get, path = "/api/v1/open-data/warsaw", operation_id = "openDataWarsaw", tag = tag::OPEN_DATA,
    summary = "Live queues for a city's open-data portal (Warsaw's format)",
    description = "In the shape the City of Warsaw served in 2019-2020 by default (`WarsawQueues`), \
        or in its older shape of 2015-2016 with `shape=2016` (`WarsawQueues2016`). Other query \
        parameters and tokens are ignored (so consumers of the Warsaw API may send their `id` \
        and `apikey`). Any origin may read it; errors are Warsaw's `{\"result\": \"false\", \
        \"error\": \"…\"}`.",
    params(OpenDataQuery),
    responses(OpenDataDocument, OpenDataBadQuery),
)]
pub async fn warsaw(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    let shape = match Shape::from_query(query.as_deref()) {
        Ok(shape) => shape,
        Err(message) => return warsaw_error(StatusCode::BAD_REQUEST, message),
    };
    let now = state.store.clock().now();
    let office = state.store.office();
    let response = match shape {
        Shape::Warsaw2019 => axum::Json(warsaw_document(&office, now)).into_response(),
        Shape::Warsaw2016 => axum::Json(warsaw_document_2016(&office, now)).into_response(),
    };
    with_open_headers(response)
}

/// An error in Warsaw's shape, with the open-data headers.
fn warsaw_error(status: StatusCode, error: String) -> Response {
    let body = WarsawError {
        result: "false".to_owned(),
        error,
    };
    with_open_headers((status, axum::Json(body)).into_response())
}

/// `OPTIONS` on an open-data path: the CORS preflight a browser sends before a cross-origin
/// request that is not "simple" (one with an `Authorization` header, say, which is ignored).
#[utoipa::path(
    options, path = "/api/v1/open-data/warsaw", operation_id = "openDataWarsawPreflight",
    tag = tag::OPEN_DATA,
    summary = "CORS preflight",
    responses(Preflight),
)]
pub async fn preflight() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, HEAD, OPTIONS"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    response
}

/// Adds the headers every open-data answer carries.
fn with_open_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    response
}

/// What today's tickets say about one category.
#[derive(Debug, Default)]
struct CategoryDay {
    /// The latest call or recall in the category: (its event's sequence number, the number).
    last_call: Option<(u64, TicketNumber)>,
    /// Sum and count of the service times (last call to finish) of the tickets served in it.
    service_sum_s: f64,
    served: u32,
}

/// The category a ticket's latest call (or recall) was made in: where it waits now, unless it
/// was transferred after that call (its `called_at` is then cleared, and the call was made in
/// the category it was transferred from).
fn category_of_last_call(ticket: &numerek_core::Ticket) -> Option<&str> {
    ticket.last_called_at?;
    if ticket.called_at.is_some() {
        Some(&ticket.category)
    } else {
        ticket.transferred_from.as_deref()
    }
}

/// One pass over today's tickets: the latest call and the service times of every category.
fn categories_today(office: &Office) -> HashMap<&str, CategoryDay> {
    let mut days: HashMap<&str, CategoryDay> = HashMap::new();
    for ticket in office.tickets() {
        if let Some(category) = category_of_last_call(ticket) {
            let day = days.entry(category).or_default();
            if day
                .last_call
                .as_ref()
                .is_none_or(|(seq, _)| ticket.last_call_seq >= *seq)
            {
                day.last_call = Some((ticket.last_call_seq, ticket.number.clone()));
            }
        }
        if ticket.state == TicketState::Done
            && let (Some(called), Some(finished)) = (ticket.last_called_at, ticket.finished_at)
        {
            let day = days.entry(ticket.category.as_str()).or_default();
            day.service_sum_s += finished.duration_since(called).as_secs_f64().max(0.0);
            day.served += 1;
        }
    }
    days
}

/// Whole minutes of a duration, rounded.
fn whole_minutes(seconds: f64) -> u64 {
    (seconds.max(0.0) / 60.0).round() as u64
}

/// Whole minutes as the Warsaw feed of 2015–2016 writes durations: `"HH:MM"`.
fn hours_minutes(seconds: f64) -> String {
    let minutes = whole_minutes(seconds);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// One group (a category) of the document, in numbers, before it takes a shape.
struct Group {
    /// Its position in the office file, 1 for the first.
    position: usize,
    /// Its stable id (`open_data_id`).
    open_data_id: u32,
    name: String,
    prefix: String,
    /// Whether the kiosk issues tickets of it now.
    issuing: bool,
    waiting: usize,
    open_counters: usize,
    /// The number called or recalled last in it today.
    last_call: Option<TicketNumber>,
    /// The mean service time of the day, seconds (the configured one before the first).
    service_s: f64,
}

/// The groups of `office` at `now` (see `docs/open-data.md` for every field).
fn groups(office: &Office, now: Timestamp) -> Vec<Group> {
    let config = office.config();
    let status = office.status(now);
    let mut days = categories_today(office);
    let language = config.default_language();
    config
        .categories
        .iter()
        .enumerate()
        .map(|(index, category)| {
            let live = status.categories.iter().find(|c| c.id == category.id);
            // What a counter serves now is its work profile in force, not the office file.
            let open_counters = status
                .counters
                .iter()
                .filter(|view| {
                    view.state == CounterState::Open
                        && office
                            .profile(&view.id)
                            .is_some_and(|p| p.categories.contains(&category.id))
                })
                .count();
            let day = days.remove(category.id.as_str()).unwrap_or_default();
            let service_s = if day.served > 0 {
                day.service_sum_s / f64::from(day.served)
            } else {
                f64::from(category.expected_service_s)
            };
            Group {
                position: index + 1,
                open_data_id: category.open_data_id,
                name: category
                    .name
                    .get(language)
                    .cloned()
                    .unwrap_or_else(|| category.id.clone()),
                prefix: category.prefix.clone(),
                issuing: live.is_some_and(|c| c.open && c.remaining_today != Some(0)),
                waiting: live.map_or(0, |c| c.waiting),
                open_counters,
                last_call: day.last_call.map(|(_, number)| number),
                service_s,
            }
        })
        .collect()
}

/// A group in the shape of 2019–2020: every figure Warsaw wrote as text is text, the counts
/// stay numbers.
impl From<Group> for WarsawGroup {
    fn from(group: Group) -> Self {
        Self {
            status: status(group.issuing),
            czas_obslugi: whole_minutes(group.service_s).to_string(),
            lp: group.position.to_string(),
            id_grupy: group.open_data_id.to_string(),
            liczba_czynnych_stan: group.open_counters as u64,
            nazwa_grupy: group.name,
            litera_grupy: group.prefix,
            liczba_klw_kolejce: group.waiting as u64,
            aktualny_numer: group
                .last_call
                .map(|number| number.to_string())
                .unwrap_or_default(),
        }
    }
}

/// A group in the shape of 2015–2016 (unchanged since numerek first served it): `aktualnyNumer`
/// a number without its letter (0 before the first call), `czasObslugi` `"HH:MM"`, groups by
/// position.
impl From<Group> for WarsawGroup2016 {
    fn from(group: Group) -> Self {
        let ordinal = group.position.to_string();
        Self {
            status: status(group.issuing),
            czas_obslugi: hours_minutes(group.service_s),
            lp: ordinal.clone(),
            id_grupy: ordinal,
            liczba_czynnych_stan: group.open_counters as u64,
            nazwa_grupy: group.name,
            litera_grupy: group.prefix,
            liczba_klw_kolejce: group.waiting as u64,
            aktualny_numer: group.last_call.map_or(0, |number| number.n),
        }
    }
}

/// A group's `status`: `"1"` while the kiosk issues its tickets, else `"0"`.
fn status(issuing: bool) -> String {
    if issuing { "1" } else { "0" }.to_owned()
}

/// The office's local date (`YYYY-MM-DD`) and time (`HH:MM`) at `now`.
fn date_and_time(office: &Office, now: Timestamp) -> (String, String) {
    let local = local_datetime(&office.config().office.tz, now);
    (
        local.date().to_string(),
        local.strftime("%H:%M").to_string(),
    )
}

/// The Warsaw document of 2019–2020 for `office` at `now` (see `docs/open-data.md` for every
/// field).
pub fn warsaw_document(office: &Office, now: Timestamp) -> WarsawQueues {
    let (date, time) = date_and_time(office, now);
    WarsawQueues {
        result: WarsawResult {
            date,
            time,
            grupy: groups(office, now).into_iter().map(Into::into).collect(),
        },
    }
}

/// The Warsaw document of 2015–2016 for `office` at `now`.
pub fn warsaw_document_2016(office: &Office, now: Timestamp) -> WarsawQueues2016 {
    let (date, time) = date_and_time(office, now);
    WarsawQueues2016 {
        result: WarsawResult2016 {
            date,
            time,
            grupy: groups(office, now).into_iter().map(Into::into).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_read_from_the_query() {
        assert_eq!(Shape::from_query(None), Ok(Shape::Warsaw2019));
        assert_eq!(
            Shape::from_query(Some("id=abc&apikey=x")),
            Ok(Shape::Warsaw2019)
        );
        assert_eq!(Shape::from_query(Some("shape=2020")), Ok(Shape::Warsaw2019));
        assert_eq!(Shape::from_query(Some("shape=2019")), Ok(Shape::Warsaw2019));
        assert_eq!(
            Shape::from_query(Some("apikey=x&shape=2016")),
            Ok(Shape::Warsaw2016)
        );
        assert!(Shape::from_query(Some("shape=2017")).is_err());
        assert!(Shape::from_query(Some("shape=")).is_err());
        assert!(Shape::from_query(Some("shape=2016&shape=2016")).is_err());
    }

    #[test]
    fn durations_are_whole_minutes_as_hours_and_minutes() {
        assert_eq!(hours_minutes(0.0), "00:00");
        assert_eq!(hours_minutes(29.0), "00:00");
        assert_eq!(hours_minutes(30.0), "00:01");
        assert_eq!(hours_minutes(300.0), "00:05");
        assert_eq!(hours_minutes(3725.0), "01:02");
        assert_eq!(hours_minutes(-5.0), "00:00");
    }
}
