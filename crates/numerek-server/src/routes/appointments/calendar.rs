//! A booking as an iCalendar (RFC 5545) document, for any calendar app.
//!
//! One `VEVENT`: the slot in UTC (no time-zone definition to get wrong), `SUMMARY` the category
//! and the office in the booking's language, `LOCATION` the office, and `DESCRIPTION` the code
//! the kiosk asks for. The code stays out of `SUMMARY` (what shared calendars and lock screens
//! show) and out of `UID`, which is a hash of it: stable, so importing the file again updates
//! the entry instead of adding another.

use jiff::Timestamp;
use numerek_core::{Appointment, AppointmentState, OfficeConfig};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The longest line, in octets, before it is folded (RFC 5545, 3.1).
const LINE_OCTETS: usize = 75;

/// The calendar document of `appointment`, stamped `now`.
pub fn entry(config: &OfficeConfig, appointment: &Appointment, now: Timestamp) -> String {
    let office = &config.office;
    let language = appointment
        .language
        .clone()
        .unwrap_or_else(|| config.default_language().to_owned());
    let category = config
        .category(&appointment.category)
        .and_then(|c| c.name.get(&language).or_else(|| c.name.values().next()))
        .cloned()
        .unwrap_or_else(|| appointment.category.clone());
    let polish = language == "pl";
    let description = if polish {
        format!(
            "Kod rezerwacji: {} — podaj go w kiosku od {} min przed wizytą do {} min po jej \
             początku.",
            appointment.code.as_str(),
            office.checkin.early_min,
            office.checkin.late_min
        )
    } else {
        format!(
            "Booking code: {} — enter it at the kiosk from {} min before your visit to {} min \
             after its start.",
            appointment.code.as_str(),
            office.checkin.early_min,
            office.checkin.late_min
        )
    };
    let uid = {
        let digest = Sha256::digest(appointment.code.as_str().as_bytes());
        let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        format!("{hex}@{}.numerek", office.id)
    };
    let status = match appointment.state {
        AppointmentState::Cancelled => "CANCELLED",
        _ => "CONFIRMED",
    };
    let mut out = String::new();
    let mut line = |text: String| out.push_str(&fold(&text));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//numerek//appointments//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line("BEGIN:VEVENT".into());
    line(format!("UID:{uid}"));
    line(format!("DTSTAMP:{}", utc(now)));
    line(format!("DTSTART:{}", utc(appointment.start)));
    line(format!("DTEND:{}", utc(appointment.end)));
    line(format!(
        "SUMMARY:{}",
        escape(&format!("{category} — {}", office.name))
    ));
    line(format!("LOCATION:{}", escape(&office.name)));
    line(format!("DESCRIPTION:{}", escape(&description)));
    line(format!("STATUS:{status}"));
    line("TRANSP:OPAQUE".into());
    line("END:VEVENT".into());
    line("END:VCALENDAR".into());
    out
}

/// An instant as a UTC date-time, `20261207T081500Z`.
fn utc(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value escaped: backslash, semicolon, comma and line breaks (RFC 5545, 3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line ended by CRLF, folded into lines of at most [`LINE_OCTETS`] octets, never
/// inside a character (continuations start with a space).
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += width;
    }
    let _ = write!(out, "\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let text = format!("SUMMARY:{}", "ż".repeat(60));
        let folded = fold(&text);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(
                part.len() <= LINE_OCTETS,
                "{part:?} is {} octets",
                part.len()
            );
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{text}\r\n"));
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
