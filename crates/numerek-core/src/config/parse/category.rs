//! Each `[[category]]` table: its id, ticket prefix, names, targets and limits, hours, cut-off
//! and appointments, and the check that some counter serves it. What to bring and the open-data
//! id are read by [`super::information`].

use super::appointments::RawAppointments;
use super::information::RawForms;
use super::values::{RawHours, RawText};
use super::{
    Checker, ConfigError, DEFAULT_SERVICE_MIN, MAX_CUTOFF_MIN, MAX_DAILY_LIMIT, MAX_SERVICE_MIN,
    MAX_TARGET_MIN,
};
use crate::config::hours::WeekHours;
use crate::config::{CategoryConfig, CounterConfig, OfficeInfo};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use toml::Spanned;

/// One `[[category]]` table, as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCategory {
    pub(super) id: Spanned<String>,
    prefix: Spanned<String>,
    name: RawText,
    target_wait_min: Spanned<i64>,
    #[serde(default)]
    daily_limit: Option<Spanned<i64>>,
    #[serde(default)]
    priority: Option<bool>,
    #[serde(default)]
    hours: Option<Spanned<RawHours>>,
    #[serde(default)]
    expected_service_min: Option<Spanned<f64>>,
    /// Minutes, or `false` to turn off the office's cut-off for this category.
    #[serde(default)]
    cutoff_min: Option<Spanned<toml::Value>>,
    #[serde(default)]
    appointments: Option<Spanned<RawAppointments>>,
    #[serde(default)]
    info: Option<RawText>,
    #[serde(default)]
    forms: Option<RawForms>,
    #[serde(default)]
    pub(super) open_data_id: Option<Spanned<i64>>,
}

impl Checker<'_> {
    pub(super) fn categories(
        &self,
        raw: &[Spanned<RawCategory>],
        office: &OfficeInfo,
        office_span: &Range<usize>,
    ) -> Result<Vec<CategoryConfig>, ConfigError> {
        if raw.is_empty() {
            return Err(ConfigError {
                line: Some(self.line(office_span)),
                key: Some("category".into()),
                message: "the office has no [[category]]: at least one is needed".into(),
            });
        }
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut prefixes: HashMap<String, (String, usize)> = HashMap::new();
        let mut out = Vec::with_capacity(raw.len());
        for spanned in raw {
            let category = spanned.get_ref();
            let id = self.slug(&category.id, "category.id")?;
            if let Some(first) = ids.insert(id.clone(), self.line(&category.id.span())) {
                return Err(self.error(
                    &category.id.span(),
                    "category.id",
                    format!("\"{id}\" is already the id of the category on line {first}"),
                ));
            }
            let prefix = category.prefix.get_ref();
            let prefix_ok =
                (1..=2).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_uppercase());
            if !prefix_ok {
                return Err(self.error(
                    &category.prefix.span(),
                    "category.prefix",
                    format!("\"{prefix}\" is not 1-2 capital letters A-Z, like \"A\" or \"PA\""),
                ));
            }
            if let Some((other, line)) = prefixes.insert(
                prefix.clone(),
                (id.clone(), self.line(&category.prefix.span())),
            ) {
                return Err(self.error(
                    &category.prefix.span(),
                    "category.prefix",
                    format!(
                        "\"{prefix}\" is already the prefix of category \"{other}\" (line {line})"
                    ),
                ));
            }
            let target = *category.target_wait_min.get_ref();
            if !(1..=MAX_TARGET_MIN).contains(&target) {
                return Err(self.error(
                    &category.target_wait_min.span(),
                    "category.target_wait_min",
                    format!("{target} is not a number of minutes from 1 to {MAX_TARGET_MIN}"),
                ));
            }
            let daily_limit = match &category.daily_limit {
                None => None,
                Some(limit) if (1..=MAX_DAILY_LIMIT).contains(limit.get_ref()) => {
                    u32::try_from(*limit.get_ref()).ok()
                }
                Some(limit) => {
                    return Err(self.error(
                        &limit.span(),
                        "category.daily_limit",
                        format!(
                            "{} is not a number of tickets from 1 to {MAX_DAILY_LIMIT} (leave the \
                             key out for no limit)",
                            limit.get_ref()
                        ),
                    ));
                }
            };
            let service_min = match &category.expected_service_min {
                None => DEFAULT_SERVICE_MIN,
                Some(value) => {
                    let minutes = *value.get_ref();
                    if !(minutes.is_finite() && minutes > 0.0 && minutes <= MAX_SERVICE_MIN) {
                        return Err(self.error(
                            &value.span(),
                            "category.expected_service_min",
                            format!(
                                "{minutes} is not a number of minutes above 0 and at most \
                                 {MAX_SERVICE_MIN}"
                            ),
                        ));
                    }
                    minutes
                }
            };
            let hours = match &category.hours {
                Some(hours) => self.hours(hours.get_ref(), "category.hours", &office.hours)?,
                None => office.hours.clone(),
            };
            if hours == WeekHours::default() {
                return Err(self.error(
                    &spanned.span(),
                    "category.hours",
                    format!(
                        "category \"{id}\" is open on no day: give office.hours, or its own hours"
                    ),
                ));
            }
            out.push(CategoryConfig {
                name: self.localized(&category.name, "category.name", &office.languages)?,
                id,
                prefix: prefix.clone(),
                target_wait_s: u32::try_from(target * 60).unwrap_or(u32::MAX),
                daily_limit,
                priority: category.priority.unwrap_or(true),
                hours,
                // Bounded above by MAX_SERVICE_MIN × 60, so the cast cannot truncate.
                expected_service_s: (service_min * 60.0).round() as u32,
                cutoff_min: self.category_cutoff(category.cutoff_min.as_ref(), office)?,
                appointments: match &category.appointments {
                    Some(raw) => Some(self.appointments(raw, category.id.get_ref())?),
                    None => None,
                },
                info: self.info(category.info.as_ref(), &office.languages)?,
                forms: self.forms(category.forms.as_ref(), &office.languages)?,
                open_data_id: 0,
            });
        }
        self.open_data_ids(raw, &mut out)?;
        Ok(out)
    }

    /// A category's `cutoff_min`: its own minutes, `false` for none, or else the office's.
    fn category_cutoff(
        &self,
        value: Option<&Spanned<toml::Value>>,
        office: &OfficeInfo,
    ) -> Result<Option<u32>, ConfigError> {
        const KEY: &str = "category.cutoff_min";
        let Some(value) = value else {
            return Ok(office.cutoff_min);
        };
        match value.get_ref() {
            toml::Value::Integer(minutes) => {
                self.cutoff_minutes(*minutes, &value.span(), KEY).map(Some)
            }
            toml::Value::Boolean(false) => Ok(None),
            other => Err(self.error(
                &value.span(),
                KEY,
                format!(
                    "{other} is not a number of minutes from 0 to {MAX_CUTOFF_MIN} (or false for \
                     no cut-off in this category)"
                ),
            )),
        }
    }

    /// A category no counter serves would take tickets that nobody ever calls.
    pub(super) fn every_category_served(
        &self,
        raw: &[Spanned<RawCategory>],
        categories: &[CategoryConfig],
        counters: &[CounterConfig],
    ) -> Result<(), ConfigError> {
        let served: HashSet<&str> = counters
            .iter()
            .flat_map(|c| c.categories.iter().map(String::as_str))
            .collect();
        for (category, spanned) in categories.iter().zip(raw) {
            if !served.contains(category.id.as_str()) {
                return Err(self.error(
                    &spanned.get_ref().id.span(),
                    "category.id",
                    format!(
                        "no counter serves category \"{}\": add it to a counter's categories",
                        category.id
                    ),
                ));
            }
        }
        Ok(())
    }
}
