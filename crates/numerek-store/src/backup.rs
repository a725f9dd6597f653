//! Consistent copies of the database, while the server runs or while it is stopped.
//!
//! A redb read transaction sees one committed state for as long as it lives, while the writer
//! goes on committing beside it. A copy is made by reading every table in one read transaction
//! and writing the rows into a fresh database file, which is then a numerek database like any
//! other: restoring is putting it in place as [`DATABASE_FILE`] and starting numerek, which
//! migrates it at start if an older numerek wrote it. Copying the file's bytes instead would not
//! be consistent: redb reuses freed pages in place while it runs.

use crate::StoreError;
use crate::persist::DATABASE_FILE;
use crate::tables::{
    APPOINTMENT_CODES, APPOINTMENTS, COUNTER_DAYS, COUNTER_PROFILES, COUNTERS, DAY_STARTS, EVENTS,
    META, REPORT_FACTS, TICKET_IDS, TICKETS, TOKENS,
};
use redb::{
    Database, Durability, Key, ReadOnlyDatabase, ReadTransaction, ReadableDatabase, ReadableTable,
    ReadableTableMetadata, TableDefinition, TableHandle, Value,
};
use std::path::{Path, PathBuf};

/// Rows per commit while writing a copy; the commits before the last are not made durable
/// one by one (the last one makes all of them durable).
const ROWS_PER_COMMIT: u64 = 50_000;

/// The name prefix of the temporary files backups are written to in the data directory.
pub const TEMPORARY_PREFIX: &str = ".backup-";

/// What a copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// The schema version of the copied database.
    pub schema_version: u32,
    /// The office day it was on.
    pub office_date: String,
    /// The sequence number of its last event.
    pub seq: u64,
    /// How many tickets it holds (of every day).
    pub tickets: u64,
}

/// Writes a copy of everything `source` sees into a new database file at `out`, which must not
/// exist. The copy is durable when this returns.
///
/// # Errors
/// When `out` exists or cannot be written, the source cannot be read, or the source holds a
/// table this build does not know (it would be left out of the copy).
pub(crate) fn write_copy(
    source: &ReadTransaction,
    out: &Path,
) -> Result<BackupSummary, StoreError> {
    if out.exists() {
        return Err(StoreError::Io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} exists already", out.display()),
        )));
    }
    let known = [
        META.name(),
        TICKETS.name(),
        REPORT_FACTS.name(),
        TICKET_IDS.name(),
        EVENTS.name(),
        DAY_STARTS.name(),
        COUNTERS.name(),
        COUNTER_PROFILES.name(),
        COUNTER_DAYS.name(),
        TOKENS.name(),
        APPOINTMENTS.name(),
        APPOINTMENT_CODES.name(),
    ];
    for table in source.list_tables()? {
        if !known.contains(&table.name()) {
            return Err(StoreError::UnknownTable(table.name().to_owned()));
        }
    }
    if source.list_multimap_tables()?.next().is_some() {
        return Err(StoreError::UnknownTable("a multimap table".to_owned()));
    }
    let copy = Database::create(out)?;
    copy_table(source, &copy, META)?;
    copy_table(source, &copy, TICKETS)?;
    copy_table(source, &copy, REPORT_FACTS)?;
    copy_table(source, &copy, TICKET_IDS)?;
    copy_table(source, &copy, EVENTS)?;
    copy_table(source, &copy, DAY_STARTS)?;
    copy_table(source, &copy, COUNTERS)?;
    copy_table(source, &copy, COUNTER_PROFILES)?;
    copy_table(source, &copy, COUNTER_DAYS)?;
    copy_table(source, &copy, TOKENS)?;
    copy_table(source, &copy, APPOINTMENTS)?;
    copy_table(source, &copy, APPOINTMENT_CODES)?;
    // One durable commit makes every earlier one durable too.
    let mut txn = copy.begin_write()?;
    txn.set_durability(Durability::Immediate)?;
    txn.commit()?;
    drop(copy);
    summary(source)
}

/// Copies one table, if the source has it.
fn copy_table<K: Key + 'static, V: Value + 'static>(
    source: &ReadTransaction,
    copy: &Database,
    definition: TableDefinition<K, V>,
) -> Result<(), StoreError> {
    let table = match source.open_table(definition) {
        Ok(table) => table,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(()),
        Err(error) => return Err(error.into()),
    };
    let mut rows = table.iter()?;
    loop {
        let mut txn = copy.begin_write()?;
        txn.set_durability(Durability::None)?;
        let mut copied = 0;
        {
            let mut target = txn.open_table(definition)?;
            for row in rows.by_ref() {
                let (key, value) = row?;
                target.insert(key.value(), value.value())?;
                copied += 1;
                if copied == ROWS_PER_COMMIT {
                    break;
                }
            }
        }
        txn.commit()?;
        if copied < ROWS_PER_COMMIT {
            return Ok(());
        }
    }
}

/// What a database holds, read from its bookkeeping.
///
/// # Errors
/// When it cannot be read or has no bookkeeping (it is no numerek database).
pub(crate) fn summary(txn: &ReadTransaction) -> Result<BackupSummary, StoreError> {
    let meta = match txn.open_table(META) {
        Ok(meta) => meta,
        Err(redb::TableError::TableDoesNotExist(_)) => {
            return Err(StoreError::Corrupt(
                "the file is a redb database but no numerek database (it has no meta table)"
                    .to_owned(),
            ));
        }
        Err(error) => return Err(error.into()),
    };
    let bytes = |key: &str| -> Result<Option<Vec<u8>>, StoreError> {
        Ok(meta.get(key)?.map(|value| value.value().to_vec()))
    };
    let schema_version = bytes("schema_version")?
        .and_then(|b| b.try_into().ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| StoreError::Corrupt("meta has no schema_version".to_owned()))?;
    let office_date = bytes("office_date")?
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let seq = bytes("seq")?
        .and_then(|b| b.try_into().ok())
        .map_or(0, u64::from_le_bytes);
    let tickets = match txn.open_table(TICKETS) {
        Ok(tickets) => tickets.len()?,
        Err(redb::TableError::TableDoesNotExist(_)) => 0,
        Err(error) => return Err(error.into()),
    };
    Ok(BackupSummary {
        schema_version,
        office_date,
        seq,
        tickets,
    })
}

/// Opens a database file read-only (a backup, or a data directory's database while no server
/// runs on it).
///
/// # Errors
/// When it does not exist, is in use by a running server, or is no redb database.
pub(crate) fn open_read_only(path: &Path) -> Result<ReadOnlyDatabase, StoreError> {
    if !path.is_file() {
        return Err(StoreError::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("there is no database file {}", path.display()),
        )));
    }
    ReadOnlyDatabase::open(path).map_err(|error| match error {
        redb::DatabaseError::DatabaseAlreadyOpen => {
            StoreError::AlreadyOpen(path.display().to_string())
        }
        other => other.into(),
    })
}

/// Copies the database of a data directory while no server runs on it. Nothing in the data
/// directory is changed (an older database is not migrated: the copy is what was there).
///
/// # Errors
/// When there is no database, a running server holds it ([`StoreError::AlreadyOpen`]), or it is
/// no redb database; when `out` exists or cannot be written, or the database holds a table this
/// build does not know ([`StoreError::UnknownTable`]).
pub fn copy_data_dir(data_dir: &Path, out: &Path) -> Result<BackupSummary, StoreError> {
    let db = open_read_only(&data_dir.join(DATABASE_FILE))?;
    let txn = db.begin_read()?;
    write_copy(&txn, out)
}

/// Checks a backup file: it opens as a numerek database and its bookkeeping can be read.
///
/// # Errors
/// When it cannot be opened or read.
pub fn verify(path: &Path) -> Result<BackupSummary, StoreError> {
    let db = open_read_only(path)?;
    let txn = db.begin_read()?;
    summary(&txn)
}

/// A fresh path for a temporary backup file in `dir`.
///
/// # Errors
/// When the system has no randomness.
pub(crate) fn temporary_path(dir: &Path) -> Result<PathBuf, StoreError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?;
    let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(dir.join(format!("{TEMPORARY_PREFIX}{suffix}.redb")))
}

/// Removes temporary backup files left in `dir` by a backup that was cut short (a crash while
/// copying). Failures are only logged: they cost disk space, nothing else.
pub(crate) fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(TEMPORARY_PREFIX)
            && let Err(error) = std::fs::remove_file(entry.path())
        {
            tracing::warn!(%error, file = %entry.path().display(), "cannot remove a leftover backup file");
        }
    }
}
