//! The compact form of a ticket that reports read: a few fixed fields and two short ids.
//!
//! A year's summary reads a million tickets. Decoding each ticket's JSON (ids, numbers, four
//! RFC 3339 timestamps) would take about a second; this fixed layout is read in a few dozen
//! nanoseconds and borrows its ids from the database page. It is written next to the ticket in
//! the same transaction whenever the ticket changes, so the two never disagree.
//!
//! Layout 2 (little endian): version `u8` = 2, state `u8`, presence flags `u8`, the holder's
//! rating `u8` (1–5, 0 when not rated), issued, first call, last call, finish as `i64`
//! milliseconds since the Unix epoch (0 when absent), then the issued category and the last
//! counter, each as a `u16` length and UTF-8 bytes, then, for a ticket issued at an
//! appointment's check-in (flag 16), its slot start as `i64` milliseconds.
//!
//! Layout 1 (schema versions 2 and before) had no rating byte; the migration to schema version
//! 3 writes every ticket's facts anew in this layout, into a table of its own
//! ([`crate::tables::REPORT_FACTS`]).

use crate::StoreError;
use crate::tables::{REPORT_FACTS, day_key, key_day};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use numerek_core::TicketState;
use numerek_core::report::{DayRange, LocalHours, ReportTicket};
use redb::ReadTransaction;

const VERSION: u8 = 2;
const FIRST_CALLED: u8 = 1;
const LAST_CALLED: u8 = 2;
const FINISHED: u8 = 4;
const HAS_COUNTER: u8 = 8;
/// The version, state, flags and rating bytes.
const HEAD: usize = 4;
const FIXED: usize = HEAD + 4 * 8;
const APPOINTMENT: u8 = 16;

fn state_code(state: TicketState) -> u8 {
    match state {
        TicketState::Waiting => 0,
        TicketState::Called => 1,
        TicketState::Done => 2,
        TicketState::NoShow => 3,
        TicketState::Cancelled => 4,
    }
}

fn state_of(code: u8) -> Option<TicketState> {
    Some(match code {
        0 => TicketState::Waiting,
        1 => TicketState::Called,
        2 => TicketState::Done,
        3 => TicketState::NoShow,
        4 => TicketState::Cancelled,
        _ => return None,
    })
}

fn push_text(out: &mut Vec<u8>, text: &str) {
    // Ids are slugs and short texts from the office file; longer ones are cut at a character
    // boundary rather than refused, as a report key is all they are used for here.
    let mut end = text.len().min(usize::from(u16::MAX));
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    out.extend_from_slice(&(end as u16).to_le_bytes());
    out.extend_from_slice(&text.as_bytes()[..end]);
}

/// Encodes a ticket's report facts.
pub fn encode(fact: &ReportTicket<'_>) -> Vec<u8> {
    let mut flags = 0;
    let mut time = |value: Option<i64>, flag: u8| {
        if value.is_some() {
            flags |= flag;
        }
        value.unwrap_or(0)
    };
    let times = [
        fact.issued_ms,
        time(fact.first_called_ms, FIRST_CALLED),
        time(fact.last_called_ms, LAST_CALLED),
        time(fact.finished_ms, FINISHED),
    ];
    if fact.counter.is_some() {
        flags |= HAS_COUNTER;
    }
    let mut out = Vec::with_capacity(FIXED + 4 + fact.category.len() + 8);
    let rating = fact
        .feedback
        .filter(|score| (1..=5).contains(score))
        .unwrap_or(0);
    out.extend_from_slice(&[VERSION, state_code(fact.state), flags, rating]);
    for t in times {
        out.extend_from_slice(&t.to_le_bytes());
    }
    push_text(&mut out, fact.category);
    push_text(&mut out, fact.counter.unwrap_or(""));
    if let Some(start) = fact.appointment_start_ms {
        out[2] |= APPOINTMENT;
        out.extend_from_slice(&start.to_le_bytes());
    }
    out
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("report facts: {what}"))
}

fn take_text<'a>(bytes: &'a [u8], at: &mut usize) -> Result<&'a str, StoreError> {
    let len_bytes = bytes
        .get(*at..*at + 2)
        .ok_or_else(|| corrupt("truncated length"))?;
    let len = usize::from(u16::from_le_bytes([len_bytes[0], len_bytes[1]]));
    let text = bytes
        .get(*at + 2..*at + 2 + len)
        .ok_or_else(|| corrupt("truncated text"))?;
    *at += 2 + len;
    std::str::from_utf8(text).map_err(|_| corrupt("text is not UTF-8"))
}

/// Calls `each` with the facts of every ticket of the office days of `range`, in key order
/// (day, then issue): the one scan the summary and the staffing report share. Each day's date is
/// worked out once, not per ticket.
///
/// # Errors
/// When the table cannot be read or holds damaged facts.
pub fn scan(
    txn: &ReadTransaction,
    tz: &TimeZone,
    range: DayRange,
    mut each: impl FnMut(&ReportTicket<'_>),
) -> Result<(), StoreError> {
    let table = txn.open_table(REPORT_FACTS)?;
    let mut hours = LocalHours::new(tz.clone());
    let keys = (day_key(range.from()), 0)..=(day_key(range.to()), u64::MAX);
    let mut day = None;
    for row in table.range(keys)? {
        let (key, value) = row?;
        let (day_number, _) = key.value();
        let date = match day {
            Some((number, date)) if number == day_number => date,
            _ => {
                let date = key_day(day_number)
                    .ok_or_else(|| StoreError::Corrupt(format!("ticket key day {day_number}")))?;
                day = Some((day_number, date));
                date
            }
        };
        each(&decode(date, value.value(), &mut hours)?);
    }
    Ok(())
}

/// Decodes the facts of a ticket of `office_date`, borrowing its ids from `bytes`; `hours`
/// gives the local hour of issue (not stored: it follows from the time and the office's zone).
///
/// # Errors
/// [`StoreError::Corrupt`] when the bytes are not facts of this layout.
pub fn decode<'a>(
    office_date: Date,
    bytes: &'a [u8],
    hours: &mut LocalHours,
) -> Result<ReportTicket<'a>, StoreError> {
    if bytes.len() < FIXED || bytes[0] != VERSION {
        return Err(corrupt("unknown layout"));
    }
    let state = state_of(bytes[1]).ok_or_else(|| corrupt("unknown state"))?;
    let flags = bytes[2];
    let feedback = match bytes[3] {
        0 => None,
        score @ 1..=5 => Some(score),
        _ => return Err(corrupt("unknown rating")),
    };
    let time = |index: usize| {
        let start = HEAD + index * 8;
        let mut raw = [0u8; 8];
        raw.copy_from_slice(&bytes[start..start + 8]);
        i64::from_le_bytes(raw)
    };
    let optional = |index: usize, flag: u8| (flags & flag != 0).then(|| time(index));
    let mut at = FIXED;
    let category = take_text(bytes, &mut at)?;
    let counter = take_text(bytes, &mut at)?;
    let appointment_start_ms = if flags & APPOINTMENT != 0 {
        let raw = bytes
            .get(at..at + 8)
            .ok_or_else(|| corrupt("truncated appointment start"))?;
        let mut start = [0u8; 8];
        start.copy_from_slice(raw);
        Some(i64::from_le_bytes(start))
    } else {
        None
    };
    Ok(ReportTicket {
        office_date,
        issue_hour: hours.hour(office_date, time(0)),
        category,
        counter: (flags & HAS_COUNTER != 0).then_some(counter),
        state,
        issued_ms: time(0),
        first_called_ms: optional(1, FIRST_CALLED),
        last_called_ms: optional(2, LAST_CALLED),
        finished_ms: optional(3, FINISHED),
        appointment_start_ms,
        feedback,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use jiff::tz::TimeZone;

    fn hours() -> LocalHours {
        LocalHours::new(TimeZone::get("Europe/Warsaw").unwrap())
    }

    #[test]
    fn facts_survive_the_round_trip() {
        let day = date(2026, 11, 23);
        let full = ReportTicket {
            office_date: day,
            issue_hour: 9,
            category: "rejestracja-pojazdów",
            counter: Some("3"),
            state: TicketState::Done,
            // 09:15:00.123 in Warsaw.
            issued_ms: 1_795_421_700_123,
            first_called_ms: Some(1_795_422_000_000),
            last_called_ms: Some(1_795_422_100_000),
            finished_ms: Some(1_795_422_400_999),
            appointment_start_ms: None,
            feedback: Some(4),
        };
        assert_eq!(decode(day, &encode(&full), &mut hours()).unwrap(), full);
        let bare = ReportTicket {
            counter: None,
            feedback: None,
            state: TicketState::Waiting,
            first_called_ms: None,
            last_called_ms: None,
            finished_ms: None,
            ..full
        };
        assert_eq!(decode(day, &encode(&bare), &mut hours()).unwrap(), bare);
        // An empty counter id is still a counter, told apart from none by its flag.
        let empty = ReportTicket {
            counter: Some(""),
            ..full
        };
        assert_eq!(decode(day, &encode(&empty), &mut hours()).unwrap(), empty);
        // A check-in's ticket keeps its slot start; cut short, it is refused.
        let booked = ReportTicket {
            appointment_start_ms: Some(1_795_421_600_000),
            ..full
        };
        let mut bytes = encode(&booked);
        assert_eq!(decode(day, &bytes, &mut hours()).unwrap(), booked);
        bytes.pop();
        assert!(decode(day, &bytes, &mut hours()).is_err());
    }

    #[test]
    fn damaged_facts_are_refused() {
        let day = date(2026, 11, 23);
        assert!(decode(day, &[], &mut hours()).is_err());
        assert!(decode(day, &[3; 40], &mut hours()).is_err());
        let mut bytes = encode(&ReportTicket {
            office_date: day,
            issue_hour: 1,
            category: "a",
            counter: None,
            state: TicketState::Waiting,
            issued_ms: 0,
            first_called_ms: None,
            last_called_ms: None,
            finished_ms: None,
            appointment_start_ms: None,
            feedback: None,
        });
        let mut rating = bytes.clone();
        rating[3] = 6;
        assert!(decode(day, &rating, &mut hours()).is_err());
        // The layout before ratings is no longer read: the migration rewrote every fact.
        let mut older = bytes.clone();
        older[0] = 1;
        assert!(decode(day, &older, &mut hours()).is_err());
        bytes.pop();
        assert!(decode(day, &bytes, &mut hours()).is_err());
    }
}
