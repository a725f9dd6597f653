//! Manager reports: `GET /api/v1/reports/summary` and `GET /api/v1/reports/tickets`, as JSON or
//! CSV (`format=csv`, or `Accept: text/csv`).
//!
//! Both read committed data from the database on a blocking thread, in day order. The ticket
//! listing of a long range can be large, so it is streamed a day at a time rather than built in
//! memory.

use crate::auth::{Authorized, ManagerRole};
use crate::csv;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::wire;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use numerek_core::report::{DayRange, GroupBy};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// The answer's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
}

/// The query of a report, checked: only the names the route takes, each at most once.
struct ReportQuery {
    params: HashMap<String, String>,
}

impl ReportQuery {
    fn parse(query: Option<&str>, allowed: &[&str]) -> ApiResult<Self> {
        let pairs: Vec<(String, String)> =
            axum::extract::Query::<Vec<(String, String)>>::try_from_uri(
                &format!("/?{}", query.unwrap_or_default())
                    .parse()
                    .map_err(|_| ApiError::invalid_request("the query cannot be read"))?,
            )
            .map(|q| q.0)
            .map_err(|e| ApiError::invalid_request(format!("the query cannot be read: {e}")))?;
        let mut params = HashMap::new();
        for (name, value) in pairs {
            if !allowed.contains(&name.as_str()) {
                return Err(ApiError::invalid_request(format!(
                    "unknown query parameter `{name}`; this report takes {}",
                    allowed.join(", ")
                )));
            }
            if params.insert(name.clone(), value).is_some() {
                return Err(ApiError::invalid_request(format!(
                    "query parameter `{name}` is given more than once"
                )));
            }
        }
        Ok(Self { params })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    fn range(&self) -> ApiResult<DayRange> {
        DayRange::parse(self.get("from"), self.get("to"))
            .map_err(|e| ApiError::invalid_request(e.to_string()))
    }

    /// `format=csv|json`; without it, CSV when the client accepts `text/csv` and not JSON
    /// first.
    fn format(&self, headers: &HeaderMap) -> ApiResult<Format> {
        match self.get("format") {
            Some("csv") => Ok(Format::Csv),
            Some("json") => Ok(Format::Json),
            Some(other) => Err(ApiError::invalid_request(format!(
                "`format` must be csv or json, not {other:?}"
            ))),
            None => Ok(accepts_csv(headers)),
        }
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
pub async fn summary(
    _: Authorized<ManagerRole>,
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let query = ReportQuery::parse(query.as_deref(), &["from", "to", "group_by", "format"])?;
    let range = query.range()?;
    let group_by: GroupBy = query
        .get("group_by")
        .ok_or_else(|| {
            ApiError::invalid_request("`group_by` is required: category, counter, day or hour")
        })?
        .parse()
        .map_err(|e: numerek_core::report::ReportError| ApiError::invalid_request(e.to_string()))?;
    let format = query.format(&headers)?;
    let store = state.store.clone();
    let summary = tokio::task::spawn_blocking(move || store.summary(range, group_by))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|_| ApiError::storage_unavailable())?;
    let document = wire::summary(&summary);
    Ok(match format {
        Format::Json => axum::Json(document).into_response(),
        Format::Csv => {
            let fields = &wire::REPORT_ROW_FIELDS;
            let mut text = csv::header(fields);
            for row in document["rows"].as_array().into_iter().flatten() {
                text.push_str(&csv::line(fields, row));
            }
            text.push_str(&csv::line(fields, &document["total"]));
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

/// `GET /api/v1/reports/tickets?from=…&to=…[&format=csv]`: every ticket of those days, in
/// order of issue, streamed a day at a time.
pub async fn tickets(
    _: Authorized<ManagerRole>,
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let query = ReportQuery::parse(query.as_deref(), &["from", "to", "format"])?;
    let range = query.range()?;
    let format = query.format(&headers)?;
    // The first day is read before answering, so a storage failure still answers 503; a failure
    // on a later day can only cut the stream short (and is logged).
    let (sender, receiver) = tokio::sync::mpsc::channel::<Bytes>(4);
    let store = state.store.clone();
    let tz = state.tz().clone();
    let (first_tx, first_rx) = tokio::sync::oneshot::channel::<bool>();
    tokio::task::spawn_blocking(move || {
        let mut first = Some(first_tx);
        let mut day = range.from();
        let mut emitted_any = false;
        let (open, close) = match format {
            Format::Json => (
                format!(
                    "{{\"from\":{},\"to\":{},\"tickets\":[",
                    json!(range.from().to_string()),
                    json!(range.to().to_string())
                ),
                "]}".to_owned(),
            ),
            Format::Csv => (csv::header(&wire::REPORT_TICKET_FIELDS), String::new()),
        };
        let mut chunk = open;
        loop {
            let tickets = match store.tickets_between(day, day) {
                Ok(tickets) => tickets,
                Err(error) => {
                    tracing::error!(%error, %day, "ticket report cut short: storage failed");
                    if let Some(tx) = first.take() {
                        let _ = tx.send(false);
                    }
                    return;
                }
            };
            for ticket in &tickets {
                let record = wire::report_ticket(&tz, ticket);
                match format {
                    Format::Json => {
                        if emitted_any {
                            chunk.push(',');
                        }
                        chunk.push_str(&record.to_string());
                    }
                    Format::Csv => {
                        chunk.push_str(&csv::line(&wire::REPORT_TICKET_FIELDS, &record));
                    }
                }
                emitted_any = true;
            }
            if let Some(tx) = first.take() {
                let _ = tx.send(true);
            }
            let last = day >= range.to();
            if last {
                chunk.push_str(&close);
            }
            if !chunk.is_empty() && sender.blocking_send(Bytes::from(chunk)).is_err() {
                return; // the client went away
            }
            chunk = String::new();
            match day.tomorrow() {
                Ok(next) if !last => day = next,
                _ => return,
            }
        }
    });
    if !first_rx.await.unwrap_or(false) {
        return Err(ApiError::storage_unavailable());
    }
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
