//! Reading and writing the database inside redb transactions. Nothing here holds state between
//! calls: the writer thread decides *what* to write, this module knows *how*.

mod appointments;

use crate::codec::{decode, encode};
use crate::counter_days;
use crate::facts;
use crate::tables::{
    APPOINTMENT_CODES, APPOINTMENTS, COUNTER_DAYS, COUNTER_PROFILES, COUNTERS, DAY_STARTS, EVENTS,
    META, REPORT_FACTS, REPORT_FACTS_1, SCHEMA_VERSION, TICKET_IDS, TICKETS, TOKENS, day_key,
};
use crate::{StoreError, TokenRecord};
use appointments::delete_appointments_before;
pub use appointments::{appointments_on, find_appointment};
use jiff::civil::Date;
use numerek_core::report::{
    DayRange, GroupBy, ReportAppointment, ReportTicket, Summary, SummaryBuilder,
};
use numerek_core::{
    Appointment, CounterState, Event, EventKind, Office, OfficeConfig, Restored, Ticket,
    WorkProfile,
};
use redb::{Database, Durability, ReadableDatabase, ReadableTable, WriteTransaction};
use std::path::Path;
use std::sync::Arc;

/// The database file inside the data directory.
pub const DATABASE_FILE: &str = "numerek.redb";

/// Memory redb may use to cache pages. Its default (1 GiB) would let a busy day's writes grow
/// the server far beyond what a small office machine should give it; the working set (today's
/// tickets, the newest events, the index pages) is a few megabytes, and a year's report scan
/// reads its ~50 MB of facts sequentially, where a cache gains little.
pub const CACHE_BYTES: usize = 32 * 1024 * 1024;

/// Opens (or creates) the database in `data_dir`, creating the directory if needed, and brings
/// its schema up to date. `today` is the office day a brand-new database starts on.
///
/// # Errors
/// [`StoreError::AlreadyOpen`] when another process holds it; others when it cannot be used.
pub fn open_database(data_dir: &Path, today: Date) -> Result<Database, StoreError> {
    std::fs::create_dir_all(data_dir)?;
    let path = data_dir.join(DATABASE_FILE);
    let db = redb::Builder::new()
        .set_cache_size(CACHE_BYTES)
        .create(&path)
        .map_err(|error| match error {
            redb::DatabaseError::DatabaseAlreadyOpen => {
                StoreError::AlreadyOpen(path.display().to_string())
            }
            other => other.into(),
        })?;
    migrate(&db, today)?;
    Ok(db)
}

/// Creates the tables of a new database, or checks and upgrades an existing one.
///
/// Migrations are numbered steps from one schema version to the next; each runs only when the
/// stored version is below its number, all in the one transaction that records the new version.
fn migrate(db: &Database, today: Date) -> Result<(), StoreError> {
    let txn = begin(db)?;
    let stored = txn
        .open_table(META)?
        .get("schema_version")?
        .map(|v| read_u32(v.value()));
    match stored {
        Some(found) if found > SCHEMA_VERSION => {
            return Err(StoreError::SchemaTooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        Some(found) => {
            // Version 2 added the report facts and version 3 gave them the rating: one fill in
            // the current layout serves both.
            if found < 3 {
                txn.delete_table(REPORT_FACTS_1)?;
                fill_report_facts(&txn)?;
            }
            if found < SCHEMA_VERSION {
                tracing::info!(
                    from = found,
                    to = SCHEMA_VERSION,
                    "database schema upgraded"
                );
                txn.open_table(META)?
                    .insert("schema_version", SCHEMA_VERSION.to_le_bytes().as_slice())?;
            }
        }
        None => {
            let mut meta = txn.open_table(META)?;
            meta.insert("schema_version", SCHEMA_VERSION.to_le_bytes().as_slice())?;
            meta.insert("office_date", today.to_string().as_bytes())?;
            meta.insert("seq", 0u64.to_le_bytes().as_slice())?;
            txn.open_table(DAY_STARTS)?.insert(day_key(today), 1)?;
        }
    }
    // Opening every table creates the missing ones, so readers never meet an absent table.
    txn.open_table(TICKETS)?;
    txn.open_table(REPORT_FACTS)?;
    txn.open_table(TICKET_IDS)?;
    txn.open_table(EVENTS)?;
    txn.open_table(COUNTERS)?;
    txn.open_table(COUNTER_PROFILES)?;
    txn.open_table(COUNTER_DAYS)?;
    txn.open_table(TOKENS)?;
    txn.open_table(APPOINTMENTS)?;
    txn.open_table(APPOINTMENT_CODES)?;
    txn.commit()?;
    Ok(())
}

/// Migrations to versions 2 and 3: the report facts of every stored ticket, in the current
/// layout.
fn fill_report_facts(txn: &WriteTransaction) -> Result<(), StoreError> {
    let tickets = txn.open_table(TICKETS)?;
    let mut facts = txn.open_table(REPORT_FACTS)?;
    for row in tickets.iter()? {
        let (key, value) = row?;
        let ticket: Ticket = decode(value.value(), "ticket")?;
        facts.insert(key.value(), facts_of(&ticket).as_slice())?;
    }
    Ok(())
}

/// The stored report facts of a ticket.
fn facts_of(ticket: &Ticket) -> Vec<u8> {
    facts::encode(&ReportTicket::without_hour(ticket))
}

/// A write transaction that is durable when its commit returns.
fn begin(db: &Database) -> Result<WriteTransaction, StoreError> {
    let mut txn = db.begin_write()?;
    txn.set_durability(Durability::Immediate)?;
    Ok(txn)
}

fn read_u32(bytes: &[u8]) -> u32 {
    bytes.try_into().map(u32::from_le_bytes).unwrap_or(0)
}

fn read_u64(bytes: &[u8]) -> u64 {
    bytes.try_into().map(u64::from_le_bytes).unwrap_or(0)
}

/// Rebuilds the office from the database: its day, sequence number, that day's tickets and the
/// counters' modes and work profiles.
///
/// # Errors
/// When the database cannot be read or holds damaged values.
pub fn load_office(db: &Database, config: Arc<OfficeConfig>) -> Result<Office, StoreError> {
    let txn = db.begin_read()?;
    let meta = txn.open_table(META)?;
    let date_text = meta
        .get("office_date")?
        .map(|v| String::from_utf8_lossy(v.value()).into_owned())
        .ok_or_else(|| StoreError::Corrupt("meta has no office_date".into()))?;
    let office_date: Date = date_text
        .parse()
        .map_err(|e| StoreError::Corrupt(format!("meta office_date {date_text:?}: {e}")))?;
    let seq = meta.get("seq")?.map_or(0, |v| read_u64(v.value()));
    let day = day_key(office_date);
    let mut tickets = Vec::new();
    for row in txn.open_table(TICKETS)?.range((day, 0)..=(day, u64::MAX))? {
        let (_, value) = row?;
        tickets.push(decode::<Ticket>(value.value(), "ticket")?);
    }
    let mut counter_states = Vec::new();
    for row in txn.open_table(COUNTERS)?.iter()? {
        let (id, state) = row?;
        let state = match state.value() {
            "open" => CounterState::Open,
            "paused" => CounterState::Paused,
            _ => CounterState::Closed,
        };
        counter_states.push((id.value().to_owned(), state));
    }
    let mut appointments = Vec::new();
    for row in txn.open_table(APPOINTMENTS)?.range((day, "")..)? {
        let (_, value) = row?;
        appointments.push(decode::<Appointment>(value.value(), "appointment")?);
    }
    let mut counter_profiles = Vec::new();
    for row in txn.open_table(COUNTER_PROFILES)?.iter()? {
        let (id, profile) = row?;
        let profile: WorkProfile = decode(profile.value(), "work profile")?;
        counter_profiles.push((id.value().to_owned(), profile));
    }
    Ok(Office::restore(
        config,
        Restored {
            office_date,
            seq,
            tickets,
            counter_states,
            counter_profiles,
            appointments,
        },
    ))
}

/// Every stored token.
///
/// # Errors
/// When the database cannot be read or holds damaged values.
pub fn load_tokens(db: &Database) -> Result<Vec<TokenRecord>, StoreError> {
    let txn = db.begin_read()?;
    let mut tokens = Vec::new();
    for row in txn.open_table(TOKENS)?.iter()? {
        let (_, value) = row?;
        tokens.push(decode(value.value(), "token")?);
    }
    Ok(tokens)
}

/// What one commit stores.
#[derive(Debug, Default)]
pub struct Batch {
    /// Events in sequence order.
    pub events: Vec<Event>,
    /// Tokens to add.
    pub new_tokens: Vec<TokenRecord>,
    /// Token ids to remove.
    pub revoked_tokens: Vec<String>,
    /// The work profiles to keep for the counters whose `counter.changed` is among `events`:
    /// the profile in force after the batch where it differs from the office file's, `None`
    /// where it is the office file's (nothing is kept then, so a restart with a changed office
    /// file serves what the new file says). Made by [`profiles_after`].
    pub profiles: Vec<(String, Option<WorkProfile>)>,
    /// `office.retention_days`: when the batch starts a new office day, tickets (with their
    /// report facts and id index entries) and events of office days more than this many days
    /// before the new day are deleted in the same commit. `None` keeps everything.
    pub retention_days: Option<u32>,
}

impl Batch {
    /// Whether there is nothing to store.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.new_tokens.is_empty() && self.revoked_tokens.is_empty()
    }
}

/// What [`Batch::profiles`] holds for `events`, given `office` with them applied: for each
/// counter they change, its profile in force unless it is the office file's.
pub fn profiles_after(office: &Office, events: &[Event]) -> Vec<(String, Option<WorkProfile>)> {
    let mut out: Vec<(String, Option<WorkProfile>)> = Vec::new();
    for event in events {
        let EventKind::CounterChanged { counter, .. } = &event.kind else {
            continue;
        };
        if out.iter().any(|(id, _)| id == counter) {
            continue;
        }
        let in_file = office
            .config()
            .counters
            .iter()
            .find(|c| c.id == *counter)
            .map(WorkProfile::of);
        let kept = office
            .profile(counter)
            .filter(|profile| Some(*profile) != in_file.as_ref())
            .cloned();
        out.push((counter.clone(), kept));
    }
    out
}

/// Stores a batch in one durable commit: when this returns `Ok`, every part of it survives a
/// crash; when it returns `Err`, none of it was stored.
///
/// # Errors
/// When the transaction cannot be written or committed.
pub fn write_batch(db: &Database, batch: &Batch) -> Result<(), StoreError> {
    let txn = begin(db)?;
    {
        let mut events = txn.open_table(EVENTS)?;
        let mut tickets = txn.open_table(TICKETS)?;
        let mut report_facts = txn.open_table(REPORT_FACTS)?;
        let mut ticket_ids = txn.open_table(TICKET_IDS)?;
        let mut counters = txn.open_table(COUNTERS)?;
        let mut profiles = txn.open_table(COUNTER_PROFILES)?;
        let mut meta = txn.open_table(META)?;
        let mut appointments = txn.open_table(APPOINTMENTS)?;
        let mut codes = txn.open_table(APPOINTMENT_CODES)?;
        for event in &batch.events {
            if let Some(appointment) = event.kind.appointment() {
                let day = day_key(appointment.office_date);
                let code = appointment.code.as_str();
                appointments.insert((day, code), encode(appointment).as_slice())?;
                codes.insert(code, day)?;
            }
            events.insert(event.seq, encode(event).as_slice())?;
            if let Some(ticket) = event.kind.ticket() {
                let key = (day_key(ticket.office_date), ticket.issue_seq);
                tickets.insert(key, encode(ticket).as_slice())?;
                report_facts.insert(key, facts_of(ticket).as_slice())?;
            }
            match &event.kind {
                EventKind::CounterChanged { counter, state, .. } => {
                    counters.insert(counter.as_str(), state.as_str())?;
                }
                EventKind::DayStarted { office_date } => {
                    let ended = meta
                        .get("office_date")?
                        .and_then(|v| std::str::from_utf8(v.value()).ok()?.parse::<Date>().ok());
                    if let Some(ended) = ended {
                        index_day(&tickets, &mut ticket_ids, ended)?;
                        counter_days::store_ended_day(&txn, &events, ended, event.at)?;
                    }
                    meta.insert("office_date", office_date.to_string().as_bytes())?;
                    let keep_from = batch
                        .retention_days
                        .and_then(|days| first_kept_day(*office_date, days));
                    start_day(&txn, &mut events, *office_date, event.seq, keep_from)?;
                    if let Some(keep_from) = keep_from {
                        delete_tickets_before(
                            &mut tickets,
                            &mut report_facts,
                            &mut ticket_ids,
                            keep_from,
                        )?;
                        delete_appointments_before(&mut appointments, &mut codes, keep_from)?;
                        counter_days::delete_before(&txn, keep_from)?;
                    }
                }
                _ => {}
            }
        }
        for (counter, profile) in &batch.profiles {
            match profile {
                Some(profile) => {
                    profiles.insert(counter.as_str(), encode(profile).as_slice())?;
                }
                None => {
                    profiles.remove(counter.as_str())?;
                }
            }
        }
        if let Some(last) = batch.events.last() {
            meta.insert("seq", last.seq.to_le_bytes().as_slice())?;
        }
        let mut tokens = txn.open_table(TOKENS)?;
        for token in &batch.new_tokens {
            tokens.insert(token.id.as_str(), encode(token).as_slice())?;
        }
        for id in &batch.revoked_tokens {
            tokens.remove(id.as_str())?;
        }
    }
    txn.commit()?;
    Ok(())
}

/// Indexes the ids of an office day's tickets, when the day has ended.
///
/// Today's tickets are found by id in the office's memory, so the index is written once a day
/// rather than with every ticket: ids are random, and inserting each into the index as it was
/// issued dirtied a different index page per ticket, which made every commit write (and sync)
/// several times the data of the tickets themselves. In one transaction at the end of the day,
/// each index page is written once.
fn index_day(
    tickets: &redb::Table<(u32, u64), &[u8]>,
    ticket_ids: &mut redb::Table<&str, (u32, u64)>,
    day: Date,
) -> Result<(), StoreError> {
    let key = day_key(day);
    for row in tickets.range((key, 0)..=(key, u64::MAX))? {
        let (key, value) = row?;
        let ticket: Ticket = decode(value.value(), "ticket")?;
        ticket_ids.insert(ticket.id.as_str(), key.value())?;
    }
    Ok(())
}

/// The first office day kept when `today` begins and `retention_days` are kept: the days
/// `today - retention_days ..= today` stay, older ones go. `None` when that is before any date.
pub fn first_kept_day(today: Date, retention_days: u32) -> Option<Date> {
    today
        .checked_sub(jiff::Span::new().days(i64::from(retention_days)))
        .ok()
}

/// Records where a new office day's events begin, and prunes events older than the previous
/// office day (`?since=` replay promises the current day, and one more costs little), and
/// older than `keep_from`, the first day retention keeps (when the previous office day lies
/// further back than retention, only the new day's events stay).
fn start_day(
    txn: &WriteTransaction,
    events: &mut redb::Table<u64, &[u8]>,
    date: Date,
    first_seq: u64,
    keep_from: Option<Date>,
) -> Result<(), StoreError> {
    let mut starts = txn.open_table(DAY_STARTS)?;
    let day = day_key(date);
    let previous = starts
        .range(..day)?
        .next_back()
        .transpose()?
        .map(|(previous_day, seq)| (previous_day.value(), seq.value()));
    starts.insert(day, first_seq)?;
    let retained = |previous_day: u32| keep_from.is_none_or(|keep| previous_day >= day_key(keep));
    let keep_seq = match previous {
        Some((previous_day, seq)) if retained(previous_day) => Some(seq),
        Some(_) => Some(first_seq),
        None => None,
    };
    if let Some(keep_seq) = keep_seq {
        events.retain_in(..keep_seq, |_, _| false)?;
        starts.retain_in(..day, |_, seq| seq >= keep_seq)?;
    }
    Ok(())
}

/// A stored ticket's id, read without decoding the rest of it.
#[derive(serde::Deserialize)]
struct StoredId {
    id: String,
}

/// Deletes the tickets of office days before `keep_from`, their report facts and their
/// entries in the id index, so that nothing of those days is left (`office.retention_days`).
/// Usually one day's worth, at each rollover; the first rollover after retention was lowered
/// deletes everything it newly excludes, in the same commit.
fn delete_tickets_before(
    tickets: &mut redb::Table<(u32, u64), &[u8]>,
    report_facts: &mut redb::Table<(u32, u64), &[u8]>,
    ticket_ids: &mut redb::Table<&str, (u32, u64)>,
    keep_from: Date,
) -> Result<(), StoreError> {
    let end = (day_key(keep_from), 0u64);
    let mut ids = Vec::new();
    for row in tickets.range(..end)? {
        let (_, value) = row?;
        ids.push(decode::<StoredId>(value.value(), "ticket")?.id);
    }
    if ids.is_empty() {
        return Ok(());
    }
    for id in &ids {
        ticket_ids.remove(id.as_str())?;
    }
    tickets.retain_in(..end, |_, _| false)?;
    report_facts.retain_in(..end, |_, _| false)?;
    tracing::info!(
        tickets = ids.len(),
        before = %keep_from,
        "deleted the tickets of office days past retention"
    );
    Ok(())
}

/// A ticket of any day by id.
///
/// # Errors
/// When the database cannot be read or holds damaged values.
pub fn find_ticket(db: &Database, id: &str) -> Result<Option<Ticket>, StoreError> {
    let txn = db.begin_read()?;
    let Some(key) = txn.open_table(TICKET_IDS)?.get(id)?.map(|k| k.value()) else {
        return Ok(None);
    };
    let tickets = txn.open_table(TICKETS)?;
    let Some(value) = tickets.get(key)? else {
        return Ok(None);
    };
    decode(value.value(), "ticket").map(Some)
}

/// A ticket of the office day the database is on (`meta.office_date`) by id, when that day's
/// tickets are not indexed yet (they are, in the commit that starts the next day): a scan of
/// that one day, for the rare rating decided in the same batch as the day's end.
///
/// # Errors
/// When the database cannot be read or holds damaged values.
pub fn find_ticket_of_stored_day(db: &Database, id: &str) -> Result<Option<Ticket>, StoreError> {
    let txn = db.begin_read()?;
    let Some(day) = txn
        .open_table(META)?
        .get("office_date")?
        .and_then(|v| std::str::from_utf8(v.value()).ok()?.parse::<Date>().ok())
    else {
        return Ok(None);
    };
    let key = day_key(day);
    for row in txn.open_table(TICKETS)?.range((key, 0)..=(key, u64::MAX))? {
        let (_, value) = row?;
        if decode::<StoredId>(value.value(), "ticket")?.id == id {
            return decode(value.value(), "ticket").map(Some);
        }
    }
    Ok(None)
}

/// The events after `seq` up to the newest, if the log still holds all of them; `None` when
/// some were pruned (the caller then sends a snapshot instead).
///
/// # Errors
/// When the database cannot be read or holds damaged values.
pub fn events_after(db: &Database, seq: u64) -> Result<Option<Vec<Event>>, StoreError> {
    let txn = db.begin_read()?;
    let table = txn.open_table(EVENTS)?;
    let oldest = table.first()?.map(|(k, _)| k.value());
    let newest = txn
        .open_table(META)?
        .get("seq")?
        .map_or(0, |v| read_u64(v.value()));
    if seq >= newest {
        return Ok(Some(Vec::new()));
    }
    match oldest {
        Some(oldest) if oldest <= seq + 1 => {}
        _ => return Ok(None),
    }
    let mut out = Vec::new();
    for row in table.range(seq + 1..)? {
        let (_, value) = row?;
        out.push(decode(value.value(), "event")?);
    }
    Ok(Some(out))
}

/// The tickets issued on the office days `from..=to`, in order of issue.
///
/// # Errors
/// When the database cannot be read or holds damaged values.
pub fn tickets_between(db: &Database, from: Date, to: Date) -> Result<Vec<Ticket>, StoreError> {
    let txn = db.begin_read()?;
    let table = txn.open_table(TICKETS)?;
    let mut out = Vec::new();
    for row in table.range((day_key(from), 0)..=(day_key(to), u64::MAX))? {
        let (_, value) = row?;
        out.push(decode(value.value(), "ticket")?);
    }
    Ok(out)
}

/// The summary report of a range of days, read from the report facts in day order: one range
/// scan over the days asked for, nothing else.
///
/// # Errors
/// When the database cannot be read or holds damaged values.
pub fn summary(
    db: &Database,
    config: &OfficeConfig,
    range: DayRange,
    group_by: GroupBy,
) -> Result<Summary, StoreError> {
    let txn = db.begin_read()?;
    let mut builder = SummaryBuilder::new(config, range, group_by);
    facts::scan(&txn, &config.office.tz, range, |fact| builder.add(fact))?;
    let appointments = txn.open_table(APPOINTMENTS)?;
    let keys = (day_key(range.from()), "")..(day_key(range.to()) + 1, "");
    for row in appointments.range(keys)? {
        let (_, value) = row?;
        let appointment: Appointment = decode(value.value(), "appointment")?;
        builder.add_appointment(&ReportAppointment::of(&appointment, &config.office.tz));
    }
    Ok(builder.finish())
}

/// Stores tickets of past days directly, outside the event log, in one durable commit: for
/// loading history (a benchmark's year of tickets, or an import from an earlier system). Each
/// ticket is stored as an office's own ticket would be: whole, with its report facts and its id.
/// It must not be used for the current office day while a server runs on the database.
///
/// # Errors
/// When the transaction cannot be written or committed.
pub fn import_tickets<'a>(
    db: &Database,
    tickets: impl IntoIterator<Item = &'a Ticket>,
) -> Result<usize, StoreError> {
    let txn = begin(db)?;
    let mut count = 0;
    {
        let mut table = txn.open_table(TICKETS)?;
        let mut report_facts = txn.open_table(REPORT_FACTS)?;
        let mut ticket_ids = txn.open_table(TICKET_IDS)?;
        for ticket in tickets {
            let key = (day_key(ticket.office_date), ticket.issue_seq);
            table.insert(key, encode(ticket).as_slice())?;
            report_facts.insert(key, facts_of(ticket).as_slice())?;
            ticket_ids.insert(ticket.id.as_str(), key)?;
            count += 1;
        }
    }
    txn.commit()?;
    Ok(count)
}
