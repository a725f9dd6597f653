//! The appointment keys of the office file: what they accept, their defaults, and that every
//! refusal names the key and the line.

use crate::config::{ConfigError, OfficeConfig};
use jiff::civil::{Weekday, date};

/// A small valid office whose `registration` takes bookings; tests break one thing at a time.
const BASE: &str = r#"[office]
id = "test"
name = "Urząd Testowy"
timezone = "Europe/Warsaw"
languages = ["pl", "en"]
closed_dates = ["2026-12-24", "2026-12-31"]

[office.hours]
mon = "08:00-16:00"
wed = "08:00-16:00"

[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki", en = "Registration" }
target_wait_min = 15
appointments = { slot_min = 15, per_slot = 2, days_ahead = 14, hours = { mon = "08:00-12:00", wed = "12:00-15:00" } }

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki", en = "Taxes" }
target_wait_min = 10

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration", "tax"]
"#;

const SLOTS: &str = "slot_min = 15, per_slot = 2, days_ahead = 14";
const CLOSED: &str = "closed_dates = [\"2026-12-24\", \"2026-12-31\"]";
const LANGUAGES: &str = "languages = [\"pl\", \"en\"]";

/// Replaces the first `from` by `to` in the base office, and expects a refusal naming `key` on
/// the line where the last line of `to` ends up.
#[track_caller]
fn refused(from: &str, to: &str, key: &str) -> ConfigError {
    assert!(BASE.contains(from), "the base has no {from:?}");
    let text = BASE.replacen(from, to, 1);
    let error = OfficeConfig::from_toml(&text).expect_err("must be refused");
    let offset = BASE.find(from).unwrap_or(0);
    let line = BASE[..offset].matches('\n').count() + to.trim_end().lines().count();
    assert_eq!(error.line, Some(line), "wrong line for {to:?}: {error}");
    let shown = error.to_string();
    assert!(shown.contains(key), "{shown:?} does not name {key:?}");
    assert!(shown.starts_with(&format!("line {line}")), "{shown}");
    error
}

#[test]
fn a_category_with_appointments_and_the_office_keys_parse() {
    let config = OfficeConfig::from_toml(BASE).expect("valid");
    let registration = config.category("registration").expect("registration");
    let rules = registration.appointments.as_ref().expect("bookable");
    assert_eq!(
        (rules.slot_min, rules.per_slot, rules.days_ahead),
        (15, 2, 14)
    );
    let hours = |day| rules.hours.day(day).map(|h| h.to_string());
    assert_eq!(hours(Weekday::Monday).as_deref(), Some("08:00-12:00"));
    assert_eq!(hours(Weekday::Wednesday).as_deref(), Some("12:00-15:00"));
    assert_eq!(
        hours(Weekday::Tuesday),
        None,
        "the office's hours are not inherited"
    );
    assert!(config.category("tax").expect("tax").appointments.is_none());
    assert!(config.is_closed_date(date(2026, 12, 24)));
    assert!(config.is_closed_date(date(2026, 12, 31)));
    assert!(!config.is_closed_date(date(2026, 12, 23)));
    assert_eq!(
        (
            config.office.checkin.early_min,
            config.office.checkin.late_min
        ),
        (30, 10),
        "the default check-in window"
    );
}

#[test]
fn every_key_is_optional_for_an_office_without_bookings() {
    let text = BASE
        .replace(&format!("{CLOSED}\n"), "")
        .replace(
            "appointments = { slot_min = 15, per_slot = 2, days_ahead = 14, hours = { mon = \"08:00-12:00\", wed = \"12:00-15:00\" } }\n",
            "",
        );
    let config = OfficeConfig::from_toml(&text).expect("valid");
    assert!(config.office.closed_dates.is_empty());
    assert!(config.categories.iter().all(|c| c.appointments.is_none()));
}

#[test]
fn the_check_in_window_is_set_within_its_bounds() {
    let text = BASE.replacen(
        LANGUAGES,
        &format!("{LANGUAGES}\ncheckin_early_min = 0\ncheckin_late_min = 120"),
        1,
    );
    let config = OfficeConfig::from_toml(&text).expect("valid");
    assert_eq!(config.office.checkin.early_min, 0);
    assert_eq!(config.office.checkin.late_min, 120);
    let text = BASE.replacen(
        LANGUAGES,
        &format!("{LANGUAGES}\ncheckin_early_min = 240"),
        1,
    );
    assert_eq!(
        OfficeConfig::from_toml(&text)
            .expect("valid")
            .office
            .checkin
            .early_min,
        240
    );
    for (key, bad) in [
        ("checkin_early_min", "-1"),
        ("checkin_early_min", "241"),
        ("checkin_late_min", "-5"),
        ("checkin_late_min", "121"),
    ] {
        let error = refused(
            LANGUAGES,
            &format!("{LANGUAGES}\n{key} = {bad}"),
            &format!("office.{key}"),
        );
        assert!(error.message.contains("minutes"), "{error}");
    }
    refused(
        LANGUAGES,
        &format!("{LANGUAGES}\ncheckin_late_min = \"10\""),
        "invalid type",
    );
}

#[test]
fn closed_dates_are_dates_each_listed_once() {
    for bad in [
        "2026-12-32",
        "2026-2-01",
        "24.12.2026",
        "2026-12-24T00:00",
        "",
    ] {
        let error = refused(
            CLOSED,
            &format!("closed_dates = [\"2026-12-24\", \"{bad}\"]"),
            "office.closed_dates",
        );
        assert!(error.message.contains("YYYY-MM-DD"), "{error}");
    }
    let error = refused(
        CLOSED,
        "closed_dates = [\n  \"2026-12-24\",\n  \"2026-12-24\"]",
        "office.closed_dates",
    );
    assert!(error.message.contains("listed twice"), "{error}");
    // Wrong types are refused by the reader with the line.
    refused(CLOSED, "closed_dates = \"2026-12-24\"", "invalid type");
    refused(CLOSED, "closed_dates = [20261224]", "invalid type");
}

#[test]
fn appointment_values_are_checked_against_their_bounds() {
    for (key, bad) in [
        ("slot_min", "4"),
        ("slot_min", "241"),
        ("per_slot", "0"),
        ("per_slot", "51"),
        ("days_ahead", "0"),
        ("days_ahead", "91"),
        ("days_ahead", "-14"),
    ] {
        let error = refused(
            SLOTS,
            &SLOTS.replacen(
                &format!("{key} = {}", default_of(key)),
                &format!("{key} = {bad}"),
                1,
            ),
            &format!("category.appointments.{key}"),
        );
        assert!(error.message.contains(bad), "{error}");
    }
    for (key, good) in [
        ("slot_min", "5"),
        ("slot_min", "240"),
        ("per_slot", "1"),
        ("per_slot", "50"),
        ("days_ahead", "1"),
        ("days_ahead", "90"),
    ] {
        let text = BASE.replacen(
            &format!("{key} = {}", default_of(key)),
            &format!("{key} = {good}"),
            1,
        );
        OfficeConfig::from_toml(&text).unwrap_or_else(|e| panic!("{key} = {good}: {e}"));
    }
}

/// The value a key has in [`BASE`].
fn default_of(key: &str) -> &'static str {
    match key {
        "slot_min" => "15",
        "per_slot" => "2",
        _ => "14",
    }
}

#[test]
fn appointment_hours_are_checked_and_needed() {
    refused(
        "mon = \"08:00-12:00\", wed",
        "mon = \"12:00-08:00\", wed",
        "category.appointments.hours.mon",
    );
    refused(
        "wed = \"12:00-15:00\" }",
        "wed = \"noon\" }",
        "category.appointments.hours.wed",
    );
    let error = refused(
        "hours = { mon = \"08:00-12:00\", wed = \"12:00-15:00\" }",
        "hours = { mon = \"closed\" }",
        "category.appointments.hours",
    );
    assert!(error.message.contains("no day"), "{error}");
    refused(
        "hours = { mon = \"08:00-12:00\", wed = \"12:00-15:00\" }",
        "hours = { mon = \"08:00-12:00\", wen = \"12:00-15:00\" }",
        "wen",
    );
}

#[test]
fn every_appointment_key_is_needed_and_no_other_is_taken() {
    for key in ["slot_min", "per_slot", "days_ahead"] {
        let without = SLOTS
            .split(", ")
            .filter(|part| !part.starts_with(key))
            .collect::<Vec<_>>()
            .join(", ");
        let error = refused(SLOTS, &without, key);
        assert!(error.message.contains("missing"), "{error}");
    }
    let error = refused(
        "hours = { mon = \"08:00-12:00\", wed = \"12:00-15:00\" } }",
        "}",
        "hours",
    );
    assert!(error.message.contains("missing"), "{error}");
    refused(SLOTS, &format!("{SLOTS}, per_day = 20"), "per_day");
    refused(
        SLOTS,
        &SLOTS.replace("per_slot = 2", "per_slot = \"2\""),
        "invalid type",
    );
    let line = "appointments = { slot_min = 15, per_slot = 2, days_ahead = 14, hours = { mon = \"08:00-12:00\", wed = \"12:00-15:00\" } }";
    refused(line, "appointments = true", "invalid type");
}
