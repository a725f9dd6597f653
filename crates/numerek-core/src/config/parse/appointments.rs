//! The appointment keys of the office file: a category's `appointments` table, and the
//! office's `closed_dates`, `checkin_early_min` and `checkin_late_min`. Kept apart from the rest
//! of the parser, which only hooks these in.

use super::super::appointments::{
    CHECKIN_EARLY_MIN, CHECKIN_LATE_MIN, DAYS_AHEAD, PER_SLOT, SLOT_MIN,
};
use super::Checker;
use super::values::RawHours;
use crate::config::{AppointmentConfig, CheckinWindow, WeekHours};
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;
use toml::Spanned;

/// `appointments = { slot_min, per_slot, days_ahead, hours }` of a category, as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAppointments {
    slot_min: Spanned<i64>,
    per_slot: Spanned<i64>,
    days_ahead: Spanned<i64>,
    hours: Spanned<RawHours>,
}

/// `office.closed_dates`, as serde reads it.
pub(super) type RawClosedDates = Spanned<Vec<Spanned<String>>>;

impl Checker<'_> {
    /// A category's `appointments` table.
    pub(super) fn appointments(
        &self,
        raw: &Spanned<RawAppointments>,
        category: &str,
    ) -> Result<AppointmentConfig, super::ConfigError> {
        const KEY: &str = "category.appointments";
        let table = raw.get_ref();
        let hours = self.hours(
            table.hours.get_ref(),
            &format!("{KEY}.hours"),
            &WeekHours::default(),
        )?;
        if hours == WeekHours::default() {
            return Err(self.error(
                &table.hours.span(),
                &format!("{KEY}.hours"),
                format!(
                    "category \"{category}\" takes appointments on no day: give the hours slots \
                     start in, like {{ mon = \"08:00-12:00\" }}"
                ),
            ));
        }
        Ok(AppointmentConfig {
            slot_min: self.bounded(
                &table.slot_min,
                &format!("{KEY}.slot_min"),
                SLOT_MIN,
                "minutes",
            )?,
            per_slot: self.bounded(
                &table.per_slot,
                &format!("{KEY}.per_slot"),
                PER_SLOT,
                "bookings",
            )?,
            days_ahead: self.bounded(
                &table.days_ahead,
                &format!("{KEY}.days_ahead"),
                DAYS_AHEAD,
                "days",
            )?,
            hours,
        })
    }

    /// `office.closed_dates`: dates as `"YYYY-MM-DD"`, each once.
    pub(super) fn closed_dates(
        &self,
        raw: Option<&RawClosedDates>,
    ) -> Result<BTreeSet<Date>, super::ConfigError> {
        const KEY: &str = "office.closed_dates";
        let mut dates: BTreeMap<Date, usize> = BTreeMap::new();
        for text in raw.map_or(&[][..], |list| list.get_ref().as_slice()) {
            let date = parse_date(text.get_ref().trim()).ok_or_else(|| {
                self.error(
                    &text.span(),
                    KEY,
                    format!(
                        "\"{}\" is not a date written as \"YYYY-MM-DD\", like \"2026-12-24\"",
                        text.get_ref()
                    ),
                )
            })?;
            if let Some(first) = dates.insert(date, self.line(&text.span())) {
                return Err(self.error(
                    &text.span(),
                    KEY,
                    format!("{date} is listed twice (first on line {first})"),
                ));
            }
        }
        Ok(dates.into_keys().collect())
    }

    /// `office.checkin_early_min` and `office.checkin_late_min`, with their defaults.
    pub(super) fn checkin_window(
        &self,
        early: Option<&Spanned<i64>>,
        late: Option<&Spanned<i64>>,
    ) -> Result<CheckinWindow, super::ConfigError> {
        let default = CheckinWindow::default();
        Ok(CheckinWindow {
            early_min: match early {
                Some(value) => self.bounded(
                    value,
                    "office.checkin_early_min",
                    CHECKIN_EARLY_MIN,
                    "minutes before a slot starts",
                )?,
                None => default.early_min,
            },
            late_min: match late {
                Some(value) => self.bounded(
                    value,
                    "office.checkin_late_min",
                    CHECKIN_LATE_MIN,
                    "minutes after a slot starts",
                )?,
                None => default.late_min,
            },
        })
    }

    /// A whole number within `allowed`, refused with its key and line otherwise.
    fn bounded(
        &self,
        value: &Spanned<i64>,
        key: &str,
        allowed: RangeInclusive<u32>,
        unit: &str,
    ) -> Result<u32, super::ConfigError> {
        let number = *value.get_ref();
        u32::try_from(number)
            .ok()
            .filter(|n| allowed.contains(n))
            .ok_or_else(|| {
                self.error(
                    &value.span(),
                    key,
                    format!(
                        "{number} is not a number of {unit} from {} to {}",
                        allowed.start(),
                        allowed.end()
                    ),
                )
            })
    }
}

/// Exactly `YYYY-MM-DD` (jiff alone would also take other ISO 8601 forms).
fn parse_date(text: &str) -> Option<Date> {
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shape_ok.then(|| text.parse().ok()).flatten()
}
