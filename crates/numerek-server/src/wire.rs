//! The JSON shapes of API v1 (`docs/api.md`), built from core's read models.
//!
//! Times are RFC 3339 in the office's zone with its offset and milliseconds; durations are
//! seconds. This module is the only place that knows the wire format, so the format can be read
//! here in one piece.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use numerek_core::config::{LocalizedText, WeekHours};
use numerek_core::report::{Row, RowKey, Summary};
use numerek_core::{CounterView, Event, EventKind, OfficeConfig, StatusView, Ticket, TicketView};
use serde_json::{Map, Value, json};

/// Formats an instant as the API's timestamp, e.g. `2026-11-23T09:15:02.123+01:00`.
pub fn timestamp(tz: &TimeZone, at: Timestamp) -> String {
    at.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

fn opt_timestamp(tz: &TimeZone, at: Option<Timestamp>) -> Value {
    at.map_or(Value::Null, |at| Value::String(timestamp(tz, at)))
}

/// Seconds as a JSON number with millisecond precision.
pub fn seconds(value: f64) -> Value {
    let rounded = (value * 1000.0).round() / 1000.0;
    serde_json::Number::from_f64(rounded).map_or(Value::Null, Value::Number)
}

/// A `Ticket` without `people_ahead` and the estimate: the form events carry.
pub fn ticket_core(tz: &TimeZone, ticket: &Ticket) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("id".into(), json!(ticket.id.as_str()));
    map.insert("number".into(), json!(ticket.number.to_string()));
    map.insert("category".into(), json!(ticket.category));
    map.insert("priority".into(), json!(ticket.priority));
    map.insert("state".into(), json!(ticket.state.as_str()));
    map.insert("issued_at".into(), json!(timestamp(tz, ticket.issued_at)));
    map.insert("called_at".into(), opt_timestamp(tz, ticket.called_at));
    map.insert("finished_at".into(), opt_timestamp(tz, ticket.finished_at));
    map.insert("counter".into(), json!(ticket.counter));
    map
}

/// A full `Ticket`: `people_ahead`, `estimated_wait_s` and `estimated_wait_range_s` are set
/// while it waits, else null.
pub fn ticket(tz: &TimeZone, view: &TicketView) -> Value {
    let mut map = ticket_core(tz, &view.ticket);
    map.insert("people_ahead".into(), json!(view.people_ahead));
    map.insert(
        "estimated_wait_s".into(),
        view.estimated_wait_s.map_or(Value::Null, seconds),
    );
    map.insert(
        "estimated_wait_range_s".into(),
        view.estimated_wait_range_s.map_or(Value::Null, range),
    );
    Value::Object(map)
}

/// A wait range `[low, high]` in seconds.
fn range([low, high]: [f64; 2]) -> Value {
    json!([seconds(low), seconds(high)])
}

/// A `CounterState`: the counter's entry in `Status.counters`.
pub fn counter_state(counter: &CounterView) -> Value {
    json!({
        "id": counter.id,
        "state": counter.state.as_str(),
        "current": counter.current.as_ref().map(|t| json!({
            "id": t.id.as_str(),
            "number": t.number.to_string(),
            "state": t.state.as_str(),
        })),
    })
}

/// The `Status` document.
pub fn status(tz: &TimeZone, status: &StatusView) -> Value {
    json!({
        "seq": status.seq,
        "office_date": status.office_date.to_string(),
        "categories": status.categories.iter().map(|c| json!({
            "id": c.id,
            "prefix": c.prefix,
            "open": c.open,
            "waiting": c.waiting,
            "issued_today": c.issued_today,
            "remaining_today": c.remaining_today,
            "estimated_wait_s": seconds(c.estimated_wait_s),
            "estimated_wait_range_s": range(c.estimated_wait_range_s),
        })).collect::<Vec<_>>(),
        "counters": status.counters.iter().map(counter_state).collect::<Vec<_>>(),
        "recent_calls": status.recent_calls.iter().map(|call| json!({
            "number": call.number.to_string(),
            "counter": call.counter,
            "called_at": timestamp(tz, call.called_at),
        })).collect::<Vec<_>>(),
    })
}

fn hours(hours: &WeekHours) -> Value {
    use jiff::civil::Weekday::*;
    let mut map = Map::new();
    for (name, day) in [
        ("mon", Monday),
        ("tue", Tuesday),
        ("wed", Wednesday),
        ("thu", Thursday),
        ("fri", Friday),
        ("sat", Saturday),
        ("sun", Sunday),
    ] {
        if let Some(h) = hours.day(day) {
            let fmt = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
            map.insert(
                name.into(),
                json!(format!("{}-{}", fmt(h.open_min), fmt(h.close_min))),
            );
        }
    }
    Value::Object(map)
}

fn text(text: &LocalizedText) -> Value {
    json!(text)
}

/// The `GET /api/v1/office` document. Besides the spec's fields it carries each category's
/// effective issuing `hours` and the office's `announcements` (documented in `docs/api.md`).
pub fn office(config: &OfficeConfig) -> Value {
    json!({
        "office": {
            "id": config.office.id,
            "name": config.office.name,
            "timezone": config.office.timezone,
            "languages": config.office.languages,
            "announcements": config.office.announcements.iter().map(text).collect::<Vec<_>>(),
        },
        "categories": config.categories.iter().map(|c| json!({
            "id": c.id,
            "prefix": c.prefix,
            "name": text(&c.name),
            "target_wait_s": c.target_wait_s,
            "daily_limit": c.daily_limit,
            "priority": c.priority,
            "hours": hours(&c.hours),
        })).collect::<Vec<_>>(),
        "counters": config.counters.iter().map(|c| json!({
            "id": c.id,
            "name": text(&c.name),
            "categories": c.categories,
        })).collect::<Vec<_>>(),
    })
}

/// An event of the WebSocket feed.
pub fn event(tz: &TimeZone, event: &Event) -> Value {
    let mut map = Map::new();
    map.insert("type".into(), json!(event.kind.type_name()));
    map.insert("seq".into(), json!(event.seq));
    map.insert("at".into(), json!(timestamp(tz, event.at)));
    let ticket = |t: &Ticket| Value::Object(ticket_core(tz, t));
    match &event.kind {
        EventKind::TicketIssued { ticket: t } | EventKind::TicketCancelled { ticket: t } => {
            map.insert("ticket".into(), ticket(t));
        }
        EventKind::TicketCalled { ticket: t, counter }
        | EventKind::TicketRecalled { ticket: t, counter }
        | EventKind::TicketFinished { ticket: t, counter }
        | EventKind::TicketNoShow { ticket: t, counter } => {
            map.insert("ticket".into(), ticket(t));
            map.insert("counter".into(), json!(counter));
        }
        EventKind::TicketTransferred {
            ticket: t,
            from_category,
            to_category,
        } => {
            map.insert("ticket".into(), ticket(t));
            map.insert("from_category".into(), json!(from_category));
            map.insert("to_category".into(), json!(to_category));
        }
        EventKind::CounterChanged { counter, state } => {
            map.insert("counter".into(), json!(counter));
            map.insert("state".into(), json!(state.as_str()));
        }
        EventKind::DayStarted { office_date } => {
            map.insert("office_date".into(), json!(office_date.to_string()));
        }
    }
    Value::Object(map)
}

/// The feed's first message: `{"type": "snapshot", "seq": N, "status": Status}`.
pub fn snapshot(tz: &TimeZone, view: &StatusView) -> Value {
    json!({"type": "snapshot", "seq": view.seq, "status": status(tz, view)})
}

/// A summary report: `{"from", "to", "group_by", "rows": [Row], "total": Row}`.
pub fn summary(summary: &Summary) -> Value {
    json!({
        "from": summary.range.from().to_string(),
        "to": summary.range.to().to_string(),
        "group_by": summary.group_by.as_str(),
        "rows": summary.rows.iter().map(report_row).collect::<Vec<_>>(),
        "total": report_row(&summary.total),
    })
}

/// The names of a report `Row`'s fields, in order: the CSV header.
pub const REPORT_ROW_FIELDS: [&str; 12] = [
    "key",
    "issued",
    "called",
    "served",
    "no_show",
    "cancelled",
    "wait_avg_s",
    "wait_p50_s",
    "wait_p90_s",
    "wait_max_s",
    "service_avg_s",
    "within_target_pct",
];

/// A row's key: the id or day as a string, the hour as a number, `"total"` for the total.
fn row_key(key: &RowKey) -> Value {
    match key {
        RowKey::Hour(hour) => json!(hour),
        other => json!(other.to_string()),
    }
}

/// A report `Row`, its fields in [`REPORT_ROW_FIELDS`] order.
pub fn report_row(row: &Row) -> Value {
    let optional = |value: Option<f64>| value.map_or(Value::Null, seconds);
    let fields = [
        row_key(&row.key),
        json!(row.issued),
        json!(row.called),
        json!(row.served),
        json!(row.no_show),
        json!(row.cancelled),
        optional(row.wait_avg_s),
        optional(row.wait_p50_s),
        optional(row.wait_p90_s),
        optional(row.wait_max_s),
        optional(row.service_avg_s),
        optional(row.within_target_pct),
    ];
    Value::Object(
        REPORT_ROW_FIELDS
            .iter()
            .map(|name| (*name).to_owned())
            .zip(fields)
            .collect(),
    )
}

/// The names of a ticket's fields in the ticket report, in order: the CSV header.
pub const REPORT_TICKET_FIELDS: [&str; 11] = [
    "id",
    "number",
    "category",
    "priority",
    "state",
    "issued_at",
    "called_at",
    "finished_at",
    "counter",
    "recalls",
    "transferred_from",
];

/// A ticket as the ticket report lists it: `called_at` is its first call (the end of its wait)
/// and `counter` the counter of its last call, so that waits and the `counter` grouping of the
/// summary can be recomputed from the listing; `category` is where it ended, and
/// `transferred_from` where it was last transferred from.
pub fn report_ticket(tz: &TimeZone, ticket: &Ticket) -> Value {
    let fields = [
        json!(ticket.id.as_str()),
        json!(ticket.number.to_string()),
        json!(ticket.category),
        json!(ticket.priority),
        json!(ticket.state.as_str()),
        json!(timestamp(tz, ticket.issued_at)),
        opt_timestamp(tz, ticket.first_called_at),
        opt_timestamp(tz, ticket.finished_at),
        json!(ticket.last_counter),
        json!(ticket.recalls),
        json!(ticket.transferred_from),
    ];
    Value::Object(
        REPORT_TICKET_FIELDS
            .iter()
            .map(|name| (*name).to_owned())
            .zip(fields)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_carry_the_local_offset_and_milliseconds() {
        let tz = TimeZone::get("Europe/Warsaw").unwrap();
        let winter: Timestamp = "2026-11-23T08:15:02.123456Z".parse().unwrap();
        assert_eq!(timestamp(&tz, winter), "2026-11-23T09:15:02.123+01:00");
        let summer: Timestamp = "2026-07-01T08:00:00Z".parse().unwrap();
        assert_eq!(timestamp(&tz, summer), "2026-07-01T10:00:00.000+02:00");
    }

    #[test]
    fn seconds_keep_millisecond_precision() {
        assert_eq!(seconds(1.23456), json!(1.235));
        assert_eq!(seconds(540.0), json!(540.0));
    }
}
