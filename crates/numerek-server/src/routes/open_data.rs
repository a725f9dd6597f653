//! Open data: the live queue state for a city's open-data portal, in the shapes such portals
//! already read (described in `docs/open-data.md`).
//!
//! - `GET /api/v1/open-data/warsaw`: the office's queues as the City of Warsaw's open-data API
//!   publishes the queues of its offices ("kolejki w urzędach"), so that apps and dashboards
//!   written for that feed can read a numerek office unchanged.
//!
//! These documents are foreign formats, not API v1 shapes: their types are in
//! `numerek_api::open_data`, and they are filled in here rather than in [`crate::wire`]. They
//! are public, carry aggregates only (no ticket id, no token, nothing
//! about a person), are built from the in-memory read model without touching the database, and
//! may be read by a web page of any origin (`Access-Control-Allow-Origin: *`).

use crate::openapi::answers::{OpenDataDocument, Preflight};
use crate::openapi::tag;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use numerek_api::open_data::{WarsawGroup, WarsawQueues, WarsawResult};
use numerek_core::day::local_datetime;
use numerek_core::{CounterState, Office, TicketState};
use std::collections::HashMap;
use std::sync::Arc;

/// How long a cache (a portal's proxy, a browser) may keep a document: short, because the
/// queues change with every call, but long enough that a burst of readers costs one answer.
pub const CACHE_CONTROL: &str = "public, max-age=5";

/// `GET /api/v1/open-data/warsaw`: `{"result": {"date", "time", "grupy": [...]}}`, one group per
/// category. Query parameters are ignored, so a consumer that sends the Warsaw API's `id` and
/// `apikey` parameters gets the same document.
#[utoipa::path(
    get, path = "/api/v1/open-data/warsaw", operation_id = "openDataWarsaw", tag = tag::OPEN_DATA,
    summary = "Live queues for a city's open-data portal (Warsaw's format)",
    description = "Query parameters and tokens are ignored (so consumers of the Warsaw API may \
        send their `id` and `apikey`). Any origin may read it.",
    responses(OpenDataDocument),
)]
pub async fn warsaw(State(state): State<Arc<AppState>>) -> Response {
    let now = state.store.clock().now();
    let document = warsaw_document(&state.store.office(), now);
    with_open_headers(axum::Json(document).into_response())
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
    last_call: Option<(u64, u32)>,
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
            let call = (ticket.last_call_seq, ticket.number.n);
            if day.last_call.is_none_or(|last| call.0 >= last.0) {
                day.last_call = Some(call);
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

/// Whole minutes as the Warsaw feed writes durations: `"HH:MM"`.
fn hours_minutes(seconds: f64) -> String {
    let minutes = (seconds.max(0.0) / 60.0).round() as u64;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The Warsaw document for `office` at `now` (see `docs/open-data.md` for every field).
pub fn warsaw_document(office: &Office, now: Timestamp) -> WarsawQueues {
    let config = office.config();
    let status = office.status(now);
    let days = categories_today(office);
    let language = config.default_language();
    let groups: Vec<WarsawGroup> = config
        .categories
        .iter()
        .enumerate()
        .map(|(index, category)| {
            let ordinal = (index + 1).to_string();
            let live = status.categories.iter().find(|c| c.id == category.id);
            let open_for_issuing = live.is_some_and(|c| c.open && c.remaining_today != Some(0));
            let waiting = live.map_or(0, |c| c.waiting);
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
            let day = days.get(category.id.as_str());
            let current = day.and_then(|d| d.last_call).map_or(0, |(_, n)| n);
            let service_s = day
                .filter(|d| d.served > 0)
                .map_or(f64::from(category.expected_service_s), |d| {
                    d.service_sum_s / f64::from(d.served)
                });
            let name = category
                .name
                .get(language)
                .cloned()
                .unwrap_or_else(|| category.id.clone());
            WarsawGroup {
                status: if open_for_issuing { "1" } else { "0" }.to_owned(),
                czas_obslugi: hours_minutes(service_s),
                lp: ordinal.clone(),
                id_grupy: ordinal,
                liczba_czynnych_stan: open_counters as u64,
                nazwa_grupy: name,
                litera_grupy: category.prefix.clone(),
                liczba_klw_kolejce: waiting as u64,
                aktualny_numer: current,
            }
        })
        .collect();
    let local = local_datetime(&config.office.tz, now);
    WarsawQueues {
        result: WarsawResult {
            date: local.date().to_string(),
            time: local.strftime("%H:%M").to_string(),
            grupy: groups,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
