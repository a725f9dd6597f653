//! Manager reports: `GET /api/v1/reports/summary`, `GET /api/v1/reports/tickets` and
//! `GET /api/v1/reports/staffing`, as JSON or CSV (`format=csv`, or `Accept: text/csv`).
//!
//! Both read committed data from the database on a blocking thread, in day order. The ticket
//! listing of a long range can be large, so it is streamed a day at a time rather than built in
//! memory.

use crate::csv;
use crate::error::{ApiError, ApiResult};
use crate::extract::StrictQuery;
use crate::openapi::answers::{BadRequest, RequestTimeout, StorageUnavailable};
use crate::openapi::tag;
use crate::state::AppState;
use crate::wire;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use numerek_api::{
    ReportFormat, ReportTicket, StaffingQuery, SummaryQuery, TicketListing, TicketsQuery,
};
use numerek_core::Ticket;
use numerek_core::report::DayRange;
use numerek_core::staffing::TargetPct;
use numerek_store::Store;
use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};
use std::cell::Cell;
use std::io::Write;
use std::sync::Arc;
use tokio::sync::mpsc;

/// The answer's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
}

/// The range a query names: `from` and `to` as `YYYY-MM-DD`, in order, at most 366 days.
fn range(from: &str, to: &str) -> ApiResult<DayRange> {
    DayRange::parse(Some(from), Some(to)).map_err(|e| ApiError::invalid_request(e.to_string()))
}

/// `format=csv|json`; without it, CSV when the client accepts `text/csv` and not JSON first.
fn format(format: Option<ReportFormat>, headers: &HeaderMap) -> Format {
    match format {
        Some(ReportFormat::Csv) => Format::Csv,
        Some(ReportFormat::Json) => Format::Json,
        None => accepts_csv(headers),
    }
}

/// Whether the `Accept` header asks for CSV before JSON.
fn accepts_csv(headers: &HeaderMap) -> Format {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let position = |mime: &str| {
        accept
            .split(',')
            .position(|part| part.split(';').next().unwrap_or("").trim() == mime)
    };
    match (position("text/csv"), position("application/json")) {
        (Some(csv), Some(json)) if csv < json => Format::Csv,
        (Some(_), None) => Format::Csv,
        _ => Format::Json,
    }
}

fn csv_response(filename: &str, body: Body) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /api/v1/reports/summary?from=…&to=…&group_by=…[&format=csv]`.
#[utoipa::path(
    get, path = "/api/v1/reports/summary", operation_id = "reportSummary", tag = tag::REPORTS,
    summary = "Summary report of a range of office days",
    description = "Manager and admin tokens. Query parameters are strict: an unknown or repeated \
        one is 400. See docs/reports.md.",
    params(SummaryQuery),
    responses(
        (
            status = 200, description = "The summary, as JSON or CSV.",
            content(
                (numerek_api::Summary = "application/json"),
                (String = "text/csv"),
            ),
            headers((
                "Content-Disposition" = String,
                description = "For CSV: `attachment` with a file name."
            )),
        ),
        BadRequest, RequestTimeout, StorageUnavailable,
    ),
)]
pub async fn summary(
    State(state): State<Arc<AppState>>,
    StrictQuery(query): StrictQuery<SummaryQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let range = range(&query.from, &query.to)?;
    let group_by = wire::group_by(query.group_by);
    let format = format(query.format, &headers);
    let store = state.store.clone();
    let summary = tokio::task::spawn_blocking(move || store.summary(range, group_by))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|_| ApiError::storage_unavailable())?;
    let document = wire::summary(&summary);
    Ok(match format {
        Format::Json => axum::Json(document).into_response(),
        Format::Csv => {
            let mut text = csv::header::<numerek_api::Row>();
            for row in document.rows.iter().chain([&document.total]) {
                text.push_str(&csv::line(row));
            }
            csv_response(
                &format!(
                    "numerek-summary-{}-{}-{}.csv",
                    range.from(),
                    range.to(),
                    group_by
                ),
                Body::from(text),
            )
        }
    })
}

/// `GET /api/v1/reports/staffing?from=…&to=…[&target_pct=80][&format=csv]`.
#[utoipa::path(
    get, path = "/api/v1/reports/staffing", operation_id = "reportStaffing",
    tag = tag::REPORTS,
    summary = "The staffing advisor: counters needed against counters staffed",
    description = "Manager and admin tokens. For each category, weekday and hour that had \
        arrivals in the range: the mean arrivals and service, the counters staffed on average \
        and the counters the Erlang C model needs to put `target_pct` % of waits within the \
        category's target. Query parameters are strict: an unknown or repeated one is 400. See \
        docs/reports.md, Staffing.",
    params(StaffingQuery),
    responses(
        (
            status = 200, description = "The staffing rows, as JSON or CSV.",
            content(
                (numerek_api::Staffing = "application/json"),
                (String = "text/csv"),
            ),
            headers((
                "Content-Disposition" = String,
                description = "For CSV: `attachment` with a file name."
            )),
        ),
        BadRequest, RequestTimeout, StorageUnavailable,
    ),
)]
pub async fn staffing(
    State(state): State<Arc<AppState>>,
    StrictQuery(query): StrictQuery<StaffingQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let range = range(&query.from, &query.to)?;
    let target_pct = match query.target_pct {
        None => TargetPct::default(),
        Some(pct) => TargetPct::new(pct).map_err(|e| ApiError::invalid_request(e.to_string()))?,
    };
    let format = format(query.format, &headers);
    let store = state.store.clone();
    let staffing = tokio::task::spawn_blocking(move || store.staffing(range, target_pct))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|_| ApiError::storage_unavailable())?;
    let document = wire::staffing(&staffing);
    Ok(match format {
        Format::Json => axum::Json(document).into_response(),
        Format::Csv => {
            let mut text = csv::header::<numerek_api::StaffingRow>();
            for row in &document.rows {
                text.push_str(&csv::line(row));
            }
            csv_response(
                &format!("numerek-staffing-{}-{}.csv", range.from(), range.to()),
                Body::from(text),
            )
        }
    })
}

/// How much of the ticket listing is gathered before it is sent: large enough that a year of
/// tickets is a few thousand writes, small enough that the answer starts at once.
const CHUNK_BYTES: usize = 64 * 1024;

/// Where the ticket listing is written: chunks of [`CHUNK_BYTES`] to the answer's body. Writing
/// fails once the client has gone away, which ends the listing.
struct Chunks {
    buffer: Vec<u8>,
    sender: mpsc::Sender<Bytes>,
}

impl Chunks {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        self.sender
            .blocking_send(chunk)
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl Write for Chunks {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// The tickets of a range of days, read from the database a day at a time as they are written
/// (the first day read already, to answer 503 rather than a cut stream when the disk fails).
struct Days {
    store: Arc<Store>,
    tz: TimeZone,
    range: DayRange,
    first: Cell<Option<Vec<Ticket>>>,
}

impl Days {
    /// Calls `each` with every ticket of the range, in order of issue.
    fn for_each<E>(
        &self,
        mut each: impl FnMut(ReportTicket) -> Result<(), E>,
        storage_failed: impl Fn(String) -> E,
    ) -> Result<(), E> {
        let mut day = self.range.from();
        loop {
            let tickets = match self.first.take() {
                Some(tickets) => tickets,
                None => self.store.tickets_between(day, day).map_err(|error| {
                    tracing::error!(%error, %day, "ticket report cut short: storage failed");
                    storage_failed(error.to_string())
                })?,
            };
            for ticket in &tickets {
                each(wire::report_ticket(&self.tz, ticket))?;
            }
            match day.tomorrow() {
                Ok(next) if day < self.range.to() => day = next,
                _ => return Ok(()),
            }
        }
    }
}

/// The JSON listing's `tickets`: an array written as the days are read.
impl Serialize for Days {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut tickets = serializer.serialize_seq(None)?;
        self.for_each(
            |ticket| tickets.serialize_element(&ticket),
            S::Error::custom,
        )?;
        tickets.end()
    }
}

/// Writes the listing of `days` in `format` to `out`; an error cuts it short.
fn write_listing(days: Days, format: Format, mut out: Chunks) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let listing = TicketListing {
                from: days.range.from(),
                to: days.range.to(),
                tickets: days,
            };
            serde_json::to_writer(&mut out, &listing)?;
        }
        Format::Csv => {
            out.write_all(csv::header::<ReportTicket>().as_bytes())?;
            days.for_each(
                |ticket| out.write_all(csv::line(&ticket).as_bytes()),
                std::io::Error::other,
            )?;
        }
    }
    out.flush()
}

/// `GET /api/v1/reports/tickets?from=…&to=…[&format=csv]`: every ticket of those days, in
/// order of issue, streamed a day at a time.
#[utoipa::path(
    get, path = "/api/v1/reports/tickets", operation_id = "reportTickets", tag = tag::REPORTS,
    summary = "Every ticket of a range of office days",
    description = "Manager and admin tokens. Query parameters are strict: an unknown or repeated \
        one is 400.",
    params(TicketsQuery),
    responses(
        (
            status = 200,
            description = "The tickets in issue order, as JSON or CSV (streamed a day at a time).",
            content(
                (TicketListing = "application/json"),
                (String = "text/csv"),
            ),
            headers((
                "Content-Disposition" = String,
                description = "For CSV: `attachment` with a file name."
            )),
        ),
        BadRequest, RequestTimeout, StorageUnavailable,
    ),
)]
pub async fn tickets(
    State(state): State<Arc<AppState>>,
    StrictQuery(query): StrictQuery<TicketsQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let range = range(&query.from, &query.to)?;
    let format = format(query.format, &headers);
    // The first day is read before answering, so a storage failure still answers 503; a failure
    // on a later day can only cut the stream short (and is logged).
    let (sender, receiver) = mpsc::channel::<Bytes>(4);
    let store = state.store.clone();
    let tz = state.tz().clone();
    let first_day: Date = range.from();
    let first = tokio::task::spawn_blocking(move || {
        let first = store.tickets_between(first_day, first_day)?;
        Ok::<_, numerek_store::StoreError>((store, first))
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    let (store, first) = match first {
        Ok(read) => read,
        Err(error) => {
            tracing::error!(%error, day = %first_day, "ticket report: storage failed");
            return Err(ApiError::storage_unavailable());
        }
    };
    let days = Days {
        store,
        tz,
        range,
        first: Cell::new(Some(first)),
    };
    let out = Chunks {
        buffer: Vec::with_capacity(CHUNK_BYTES),
        sender,
    };
    tokio::task::spawn_blocking(move || {
        if let Err(error) = write_listing(days, format, out) {
            // The client left, or a later day could not be read (logged where it failed).
            tracing::debug!(%error, "ticket report ended early");
        }
    });
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver
            .recv()
            .await
            .map(|bytes| (Ok::<_, std::io::Error>(bytes), receiver))
    });
    let body = Body::from_stream(stream);
    Ok(match format {
        Format::Json => {
            let mut response = body.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        Format::Csv => csv_response(
            &format!("numerek-tickets-{}-{}.csv", range.from(), range.to()),
            body,
        ),
    })
}
