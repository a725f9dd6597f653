//! What the staffing advisor needs of the counters, kept per office day: the counter record of
//! each ended day ([`CounterDay`]: when each counter was open or paused, on which categories),
//! written in the rollover's commit from that day's `counter.changed` events, and the staffing
//! report read from it and the report facts.
//!
//! The record is made from the event log, which keeps the current and the previous office day
//! only, so it is made while the ended day's events are still there: in the transaction that
//! starts the next day. Today's record is made from today's events when a report asks.

use crate::StoreError;
use crate::codec::{decode, encode};
use crate::facts;
use crate::tables::{COUNTER_DAYS, DAY_STARTS, EVENTS, META, day_key, key_day};
use jiff::Timestamp;
use jiff::civil::Date;
use numerek_core::report::DayRange;
use numerek_core::staffing::{
    CounterDay, CounterDayRecorder, CounterSpan, Staffing, StaffingBuilder, TargetPct,
};
use numerek_core::{CounterState, Event, OfficeConfig};
use redb::{Database, ReadableDatabase, ReadableTable, Table};
use serde::{Deserialize, Serialize};

/// A stored [`CounterDay`]: its stretches as `[counter, state, start_ms, end_ms, categories]`.
#[derive(Debug, Serialize, Deserialize)]
struct StoredDay {
    spans: Vec<StoredSpan>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredSpan {
    counter: String,
    state: CounterState,
    start_ms: i64,
    end_ms: i64,
    categories: Vec<String>,
}

fn to_stored(day: &CounterDay) -> StoredDay {
    StoredDay {
        spans: day
            .spans
            .iter()
            .map(|s| StoredSpan {
                counter: s.counter.clone(),
                state: s.state,
                start_ms: s.start_ms,
                end_ms: s.end_ms,
                categories: s.categories.clone(),
            })
            .collect(),
    }
}

fn from_stored(office_date: Date, day: StoredDay) -> CounterDay {
    CounterDay {
        office_date,
        spans: day
            .spans
            .into_iter()
            .map(|s| CounterSpan {
                counter: s.counter,
                state: s.state,
                start_ms: s.start_ms,
                end_ms: s.end_ms,
                categories: s.categories,
            })
            .collect(),
    }
}

/// Whether a stored event may be a `counter.changed`, told without decoding it: the record
/// needs those alone, and a busy day's log is mostly ticket events.
fn may_be_counter_change(bytes: &[u8]) -> bool {
    const TAG: &[u8] = b"\"counter_changed\"";
    bytes.windows(TAG.len()).any(|w| w == TAG)
}

/// The counter record of `day` from the events `first_seq..` of the log that belong to it
/// (up to the next day's `day.started`, or the end of the log), with stretches still running
/// ended at `end`.
fn record_from_log(
    events: &impl ReadableTable<u64, &'static [u8]>,
    day: Date,
    first_seq: u64,
    end: Timestamp,
) -> Result<CounterDay, StoreError> {
    let mut recorder = CounterDayRecorder::new(day);
    for row in events.range(first_seq..)? {
        let (_, value) = row?;
        let bytes = value.value();
        if !may_be_counter_change(bytes) && !bytes.windows(13).any(|w| w == b"\"day_started\"") {
            continue;
        }
        let event: Event = decode(bytes, "event")?;
        if let numerek_core::EventKind::DayStarted { office_date } = &event.kind
            && *office_date > day
        {
            recorder.record(&event);
            return Ok(recorder.record_until(event.at));
        }
        recorder.record(&event);
    }
    Ok(recorder.record_until(end))
}

/// Stores the counter record of `ended`, the day a `day.started` at `at` ends, from its events
/// in the log (written earlier in the same transaction, the closing `counter.changed` of the
/// rollover among them). A day whose events are gone (the log kept nothing of it) gets no
/// record: the staffing report then has no staffed figure for it, rather than a wrong one.
pub(crate) fn store_ended_day(
    txn: &redb::WriteTransaction,
    events: &Table<u64, &[u8]>,
    ended: Date,
    at: Timestamp,
) -> Result<(), StoreError> {
    let Some(first_seq) = txn
        .open_table(DAY_STARTS)?
        .get(day_key(ended))?
        .map(|seq| seq.value())
    else {
        return Ok(());
    };
    let oldest = events.first()?.map(|(seq, _)| seq.value());
    if oldest.is_none_or(|oldest| oldest > first_seq.max(1)) {
        return Ok(());
    }
    let record = record_from_log(events, ended, first_seq, at)?;
    txn.open_table(COUNTER_DAYS)?
        .insert(day_key(ended), encode(&to_stored(&record)).as_slice())?;
    Ok(())
}

/// Deletes the counter records of days before `keep_from` (retention, with their tickets).
pub(crate) fn delete_before(
    txn: &redb::WriteTransaction,
    keep_from: Date,
) -> Result<(), StoreError> {
    txn.open_table(COUNTER_DAYS)?
        .retain_in(..day_key(keep_from), |_, _| false)?;
    Ok(())
}

/// The staffing advisor's rows for a range of days: the report facts of its tickets, the
/// stored counter records of its ended days, and, when the range holds the database's current
/// office day, that day's record made from its events up to `now`.
///
/// # Errors
/// When the database cannot be read or holds damaged values.
pub fn staffing(
    db: &Database,
    config: &OfficeConfig,
    range: DayRange,
    target_pct: TargetPct,
    now: Timestamp,
) -> Result<Staffing, StoreError> {
    let txn = db.begin_read()?;
    let today = txn
        .open_table(META)?
        .get("office_date")?
        .and_then(|v| std::str::from_utf8(v.value()).ok()?.parse::<Date>().ok());
    let mut builder = StaffingBuilder::new(config, range, target_pct);
    facts::scan(&txn, &config.office.tz, range, |fact| {
        builder.add_ticket(fact)
    })?;
    for row in txn
        .open_table(COUNTER_DAYS)?
        .range(day_key(range.from())..=day_key(range.to()))?
    {
        let (key, value) = row?;
        let date = key_day(key.value())
            .ok_or_else(|| StoreError::Corrupt(format!("counter day {}", key.value())))?;
        let stored: StoredDay = decode(value.value(), "counter day")?;
        builder.add_counter_day(&from_stored(date, stored));
    }
    if let Some(today) = today.filter(|d| range.from() <= *d && *d <= range.to()) {
        let first_seq = txn
            .open_table(DAY_STARTS)?
            .get(day_key(today))?
            .map_or(1, |seq| seq.value());
        let events = txn.open_table(EVENTS)?;
        builder.add_counter_day(&record_from_log(&events, today, first_seq, now)?);
    }
    Ok(builder.finish())
}
