//! Every table of the database, in one place. A table's name carries its version: a change of
//! key or value layout gets a new name and a numbered migration (see [`SCHEMA_VERSION`]).
//!
//! Values are the JSON encoding of the core types (`Ticket`, `Event`) and of
//! [`crate::TokenRecord`]: readable with any redb tool, and tolerant of added optional fields.

use redb::TableDefinition;

/// The schema version this build writes. Version history:
/// 1. The first layout.
/// 2. Adds the report facts (`report-facts-1`), filled from [`TICKETS`] by the migration.
/// 3. The report facts gain the holder's rating (`crate::facts`, layout 2): a new table,
///    [`REPORT_FACTS`], filled from [`TICKETS`] by the migration, which drops
///    [`REPORT_FACTS_1`].
pub const SCHEMA_VERSION: u32 = 3;

/// Bookkeeping: `"schema_version"` → u32 (little endian), `"office_date"` → `YYYY-MM-DD`,
/// `"seq"` → u64 (little endian), the last committed event's sequence number.
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta-1");

/// Every ticket ever issued: (office day as `YYYYMMDD`, issue sequence number) → JSON `Ticket`.
/// Ordered by day, then by order of issue, so a day or a range of days is one range scan.
pub const TICKETS: TableDefinition<(u32, u64), &[u8]> = TableDefinition::new("tickets-1");

/// The compact facts reports read of every ticket (`crate::facts`, layout 2), under the same key
/// as in [`TICKETS`] and written in the same transaction.
pub const REPORT_FACTS: TableDefinition<(u32, u64), &[u8]> = TableDefinition::new("report-facts-2");

/// The report facts of schema version 2 (layout 1, without ratings): read by nothing, dropped by
/// the migration to version 3.
pub const REPORT_FACTS_1: TableDefinition<(u32, u64), &[u8]> =
    TableDefinition::new("report-facts-1");

/// Ticket id → its key in [`TICKETS`], to find an earlier day's ticket by its id. A day's tickets
/// are indexed when the day ends (with its `day.started` successor); the current day's are found
/// in the office's memory.
pub const TICKET_IDS: TableDefinition<&str, (u32, u64)> = TableDefinition::new("ticket-ids-1");

/// The event log: sequence number → JSON `Event`. Kept for the current and the previous office
/// day, so a WebSocket client can catch up with `?since=` after a restart.
pub const EVENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("events-1");

/// The first sequence number of each office day (its `day.started` event, or 1): office day as
/// `YYYYMMDD` → u64. Tells which events belong to which day when old ones are pruned.
pub const DAY_STARTS: TableDefinition<u32, u64> = TableDefinition::new("day-starts-1");

/// Counter id → its mode (`"closed"`, `"open"`, `"paused"`) on the current office day.
pub const COUNTERS: TableDefinition<&str, &str> = TableDefinition::new("counters-1");

/// Every appointment: (office day of its slot as `YYYYMMDD`, booking code) → JSON
/// `Appointment`, rewritten at each change of its state. By day, so the office's current and
/// later days load with one range scan, a report reads its days' appointments, and retention
/// deletes a day's with one range. Added without a schema version: a new table.
pub const APPOINTMENTS: TableDefinition<(u32, &str), &[u8]> =
    TableDefinition::new("appointments-1");

/// Booking code → the office day of its slot (`YYYYMMDD`): finds an appointment of any day by
/// its code, and keeps codes unique over every stored day.
pub const APPOINTMENT_CODES: TableDefinition<&str, u32> =
    TableDefinition::new("appointment-codes-1");

/// Counter id → its work profile in force on the current office day (JSON `WorkProfile`:
/// `categories` and `order`), for the counters whose profile differs from the office file's
/// (a counter not listed serves what the file says, so a file changed before a restart
/// applies to it). The rollover's `counter.changed` events put every counter back to the
/// office file's profile, which removes them all.
/// Added without a schema version: a database without it is given an empty one, which restores
/// every counter with the office file's profile, as before work profiles.
pub const COUNTER_PROFILES: TableDefinition<&str, &[u8]> =
    TableDefinition::new("counter-profiles-1");

/// Office day as `YYYYMMDD` → JSON record of its counters (`crate::counter_days`): when each
/// counter was open or paused and on which categories, for the staffing report. Written in the
/// commit that ends the day; deleted with the day's tickets by retention. Added without a schema
/// version: an older database simply has no record of its days.
pub const COUNTER_DAYS: TableDefinition<u32, &[u8]> = TableDefinition::new("counter-days-1");

/// Token id → JSON [`crate::TokenRecord`] (holding the secret's SHA-256, never the secret).
pub const TOKENS: TableDefinition<&str, &[u8]> = TableDefinition::new("tokens-1");

/// A date as the `YYYYMMDD` number used in keys.
pub fn day_key(date: jiff::civil::Date) -> u32 {
    // Office dates are within years 1..9999, so the arithmetic cannot go negative or overflow.
    u32::try_from(
        i32::from(date.year()) * 10_000 + i32::from(date.month()) * 100 + i32::from(date.day()),
    )
    .unwrap_or(0)
}

/// The date of a `YYYYMMDD` key number, if it is one.
pub fn key_day(key: u32) -> Option<jiff::civil::Date> {
    let year = i16::try_from(key / 10_000).ok()?;
    let month = i8::try_from(key / 100 % 100).ok()?;
    let day = i8::try_from(key % 100).ok()?;
    jiff::civil::Date::new(year, month, day).ok()
}
