//! The appointments' two tables: every booking by (office day, code), and each code's day.
//! Written with the events that change them (`write_batch`), read back by code or by day, and
//! deleted with their day by retention.

use crate::StoreError;
use crate::codec::decode;
use crate::tables::{APPOINTMENT_CODES, APPOINTMENTS, day_key};
use jiff::civil::Date;
use numerek_core::{Appointment, BookingCode};
use redb::{Database, ReadableDatabase, ReadableTable};

/// Deletes the appointments of office days before `keep_from` and their codes
/// (`office.retention_days`, as for tickets).
pub(super) fn delete_appointments_before(
    appointments: &mut redb::Table<(u32, &str), &[u8]>,
    codes: &mut redb::Table<&str, u32>,
    keep_from: Date,
) -> Result<(), StoreError> {
    let end = (day_key(keep_from), "");
    let mut old = Vec::new();
    for row in appointments.range(..end)? {
        let (key, _) = row?;
        old.push(key.value().1.to_owned());
    }
    if old.is_empty() {
        return Ok(());
    }
    for code in &old {
        codes.remove(code.as_str())?;
    }
    appointments.retain_in(..end, |_, _| false)?;
    tracing::info!(
        appointments = old.len(),
        before = %keep_from,
        "deleted the appointments of office days past retention"
    );
    Ok(())
}

/// An appointment of any stored day by its code.
///
/// # Errors
/// When the database cannot be read or holds damaged values.
pub fn find_appointment(
    db: &Database,
    code: &BookingCode,
) -> Result<Option<Appointment>, StoreError> {
    let txn = db.begin_read()?;
    let Some(day) = txn
        .open_table(APPOINTMENT_CODES)?
        .get(code.as_str())?
        .map(|d| d.value())
    else {
        return Ok(None);
    };
    let table = txn.open_table(APPOINTMENTS)?;
    let Some(value) = table.get((day, code.as_str()))? else {
        return Ok(None);
    };
    decode(value.value(), "appointment").map(Some)
}

/// The stored appointments of an office day, by code.
///
/// # Errors
/// When the database cannot be read or holds damaged values.
pub fn appointments_on(db: &Database, date: Date) -> Result<Vec<Appointment>, StoreError> {
    let txn = db.begin_read()?;
    let table = txn.open_table(APPOINTMENTS)?;
    let day = day_key(date);
    let mut out = Vec::new();
    for row in table.range((day, "")..(day + 1, ""))? {
        let (_, value) = row?;
        out.push(decode(value.value(), "appointment")?);
    }
    Ok(out)
}
