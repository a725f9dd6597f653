//! For tests of other crates, which see the database only through this crate: a database as an
//! older numerek wrote it, to prove that it is migrated. Built only with the `testing` feature.

use crate::StoreError;
use crate::tables::{META, REPORT_FACTS};
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
            "the database has no report facts: it is not at schema version 2".to_owned(),
        ));
    }
    txn.open_table(META)?
        .insert("schema_version", 1u32.to_le_bytes().as_slice())?;
    txn.commit()?;
    Ok(())
}
