//! The appointments an office holds: every one whose slot is on the office's current day or
//! later, whatever its state. Older ones are final (a day's leftovers are missed when it ends)
//! and live only in storage.

use super::{Appointment, AppointmentState, BookingCode};
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::{BTreeSet, HashMap};

/// Appointments by code, with the orders the office asks for.
#[derive(Debug, Clone, Default)]
pub struct AppointmentBook {
    by_code: HashMap<BookingCode, Appointment>,
    /// Every appointment by slot start: a day's or a slot's appointments.
    by_start: BTreeSet<(Timestamp, BookingCode)>,
    /// The `booked` ones by slot start: the next to be missed, the visits still to come.
    booked: BTreeSet<(Timestamp, BookingCode)>,
}

impl AppointmentBook {
    /// The appointment with this code.
    pub fn get(&self, code: &BookingCode) -> Option<&Appointment> {
        self.by_code.get(code)
    }

    /// Adds an appointment or replaces its earlier version.
    pub fn put(&mut self, appointment: Appointment) {
        let key = (appointment.start, appointment.code);
        if let Some(old) = self.by_code.get(&appointment.code) {
            let old_key = (old.start, old.code);
            self.by_start.remove(&old_key);
            self.booked.remove(&old_key);
        }
        self.by_start.insert(key);
        if appointment.state == AppointmentState::Booked {
            self.booked.insert(key);
        }
        self.by_code.insert(appointment.code, appointment);
    }

    /// How many appointments of `category` hold the slot starting at `start`.
    pub fn held(&self, category: &str, start: Timestamp) -> u32 {
        let count = self
            .starting_within(start, start)
            .filter(|a| a.category == category && a.state.holds_slot())
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// The appointments whose slots start from `from` to `to` (both included), by start, then
    /// code.
    pub fn starting_within(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> impl Iterator<Item = &Appointment> {
        self.by_start
            .range((from, BookingCode::FIRST)..=(to, BookingCode::LAST))
            .filter_map(|(_, code)| self.by_code.get(code))
    }

    /// The `booked` appointments, by slot start, then code.
    pub fn booked(&self) -> impl Iterator<Item = &Appointment> {
        self.booked
            .iter()
            .filter_map(|(_, code)| self.by_code.get(code))
    }

    /// Every appointment, by slot start, then code.
    pub fn iter(&self) -> impl Iterator<Item = &Appointment> {
        self.by_start
            .iter()
            .filter_map(|(_, code)| self.by_code.get(code))
    }

    /// How many appointments it holds.
    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// Forgets the appointments of office days before `date` (a new day began).
    pub fn drop_before(&mut self, date: Date) {
        self.by_code.retain(|_, a| a.office_date >= date);
        let by_code = &self.by_code;
        self.by_start.retain(|(_, code)| by_code.contains_key(code));
        self.booked.retain(|(_, code)| by_code.contains_key(code));
    }
}
