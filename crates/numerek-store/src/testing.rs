//! For tests of other crates, which see the database only through this crate: a database as an
//! older numerek wrote it, to prove that it is migrated. Built only with the `testing` feature.

use crate::StoreError;
use crate::tables::{META, REPORT_FACTS, REPORT_FACTS_1};
use redb::{ReadableTable, ReadableTableMetadata, TableHandle};
use std::path::Path;

/// Turns the (closed) database file at `path` into what numerek wrote at schema version 1:
/// no report facts, version 1 recorded.
///
/// # Errors
/// When the file cannot be opened or written, or has no report facts to remove.
pub fn downgrade_to_version_1(path: &Path) -> Result<(), StoreError> {
    let db = redb::Database::create(path)?;
    let txn = db.begin_write()?;
    if !txn.delete_table(REPORT_FACTS)? {
        return Err(StoreError::Corrupt(
            "the database has no report facts: it is not at the current schema version".to_owned(),
        ));
    }
    txn.open_table(META)?
        .insert("schema_version", 1u32.to_le_bytes().as_slice())?;
    txn.commit()?;
    Ok(())
}

/// Turns the (closed) database file at `path` into what numerek wrote at schema version 2: the
/// report facts in their first layout, without the holder's rating, in the table of that
/// version; version 2 recorded.
///
/// # Errors
/// When the file cannot be opened or written, or has no report facts of the current layout.
pub fn downgrade_to_version_2(path: &Path) -> Result<(), StoreError> {
    let db = redb::Database::create(path)?;
    let txn = db.begin_write()?;
    let facts: Vec<((u32, u64), Vec<u8>)> = {
        let table = txn.open_table(REPORT_FACTS)?;
        table
            .iter()?
            .map(|row| row.map(|(key, value)| (key.value(), value.value().to_vec())))
            .collect::<Result<_, _>>()?
    };
    {
        let mut old = txn.open_table(REPORT_FACTS_1)?;
        for (key, bytes) in &facts {
            // Layout 2 is layout 1 with the rating as its fourth byte.
            if bytes.len() < 4 || bytes[0] != 2 {
                return Err(StoreError::Corrupt(
                    "the report facts are not of layout 2".to_owned(),
                ));
            }
            let mut layout_1 = Vec::with_capacity(bytes.len() - 1);
            layout_1.extend_from_slice(&[1, bytes[1], bytes[2]]);
            layout_1.extend_from_slice(&bytes[4..]);
            old.insert(*key, layout_1.as_slice())?;
        }
    }
    txn.delete_table(REPORT_FACTS)?;
    txn.open_table(META)?
        .insert("schema_version", 2u32.to_le_bytes().as_slice())?;
    txn.commit()?;
    Ok(())
}

/// What a migration test asks of a (closed) database file: its recorded schema version, how
/// many report facts of the current layout it holds, and whether the table of the facts of
/// schema version 2 is still there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaState {
    /// `meta.schema_version`.
    pub version: Option<u32>,
    /// Rows of the current report facts.
    pub report_facts: u64,
    /// Whether the facts of schema version 2 (without ratings) are still stored.
    pub version_2_facts: bool,
}

/// The [`SchemaState`] of the database file at `path`.
///
/// # Errors
/// When the file cannot be opened or read.
pub fn schema_state(path: &Path) -> Result<SchemaState, StoreError> {
    let db = redb::Database::create(path)?;
    let txn = db.begin_write()?;
    let version = txn
        .open_table(META)?
        .get("schema_version")?
        .and_then(|v| <[u8; 4]>::try_from(v.value()).ok())
        .map(u32::from_le_bytes);
    let report_facts = txn.open_table(REPORT_FACTS)?.len()?;
    let version_2_facts = txn
        .list_tables()?
        .any(|table| table.name() == REPORT_FACTS_1.name());
    // Read only: nothing is committed.
    txn.abort()?;
    Ok(SchemaState {
        version,
        report_facts,
        version_2_facts,
    })
}
