//! Values several tables share: slugs, plain texts, texts in every office language, hours
//! tables over a base week, and cut-off minutes.

use super::{Checker, ConfigError, MAX_CUTOFF_MIN, MAX_ID_LEN, MAX_TEXT_LEN};
use crate::config::LocalizedText;
use crate::config::hours::{DayEntry, WeekHours, weekday_key};
use jiff::civil::Weekday;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// A text in every office language (`{ pl = "…", en = "…" }`), as serde reads it.
pub(super) type RawText = Spanned<BTreeMap<String, Spanned<String>>>;

/// An hours table (`mon = "08:00-16:00"`, … `sun`), as serde reads it.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHours {
    mon: Option<Spanned<String>>,
    tue: Option<Spanned<String>>,
    wed: Option<Spanned<String>>,
    thu: Option<Spanned<String>>,
    fri: Option<Spanned<String>>,
    sat: Option<Spanned<String>>,
    sun: Option<Spanned<String>>,
}

impl RawHours {
    fn days(&self) -> [(Weekday, &'static str, Option<&Spanned<String>>); 7] {
        [
            (Weekday::Monday, self.mon.as_ref()),
            (Weekday::Tuesday, self.tue.as_ref()),
            (Weekday::Wednesday, self.wed.as_ref()),
            (Weekday::Thursday, self.thu.as_ref()),
            (Weekday::Friday, self.fri.as_ref()),
            (Weekday::Saturday, self.sat.as_ref()),
            (Weekday::Sunday, self.sun.as_ref()),
        ]
        .map(|(weekday, entry)| (weekday, weekday_key(weekday), entry))
    }
}

fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= MAX_ID_LEN
        && value.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

impl Checker<'_> {
    pub(super) fn slug(&self, value: &Spanned<String>, key: &str) -> Result<String, ConfigError> {
        if !is_slug(value.get_ref()) {
            return Err(self.error(
                &value.span(),
                key,
                format!(
                    "\"{}\" is not a slug: use 1-{MAX_ID_LEN} lower-case letters a-z, digits and \
                     single hyphens, like \"civil-registry\"",
                    value.get_ref()
                ),
            ));
        }
        Ok(value.get_ref().clone())
    }

    pub(super) fn plain_text(
        &self,
        value: &Spanned<String>,
        key: &str,
    ) -> Result<String, ConfigError> {
        let text = value.get_ref().trim();
        if text.is_empty() {
            return Err(self.error(&value.span(), key, "the text is empty"));
        }
        if text.chars().count() > MAX_TEXT_LEN {
            return Err(self.error(
                &value.span(),
                key,
                format!("the text is longer than {MAX_TEXT_LEN} characters"),
            ));
        }
        if text.chars().any(char::is_control) {
            return Err(self.error(&value.span(), key, "the text has a control character"));
        }
        Ok(text.to_owned())
    }

    /// A `{ pl = "...", en = "..." }` table: exactly the office's languages, none empty.
    pub(super) fn localized(
        &self,
        value: &RawText,
        key: &str,
        languages: &[String],
    ) -> Result<LocalizedText, ConfigError> {
        let mut out = LocalizedText::new();
        for (language, text) in value.get_ref() {
            if !languages.contains(language) {
                return Err(self.error(
                    &text.span(),
                    &format!("{key}.{language}"),
                    format!(
                        "\"{language}\" is not one of office.languages ({})",
                        languages.join(", ")
                    ),
                ));
            }
            out.insert(
                language.clone(),
                self.plain_text(text, &format!("{key}.{language}"))?,
            );
        }
        if let Some(missing) = languages.iter().find(|l| !out.contains_key(*l)) {
            return Err(self.error(
                &value.span(),
                key,
                format!(
                    "the text in \"{missing}\" is missing: every language of office.languages \
                     ({}) is needed",
                    languages.join(", ")
                ),
            ));
        }
        Ok(out)
    }

    /// Lays an hours table over `base`: listed days replace the base's, others keep it.
    pub(super) fn hours(
        &self,
        raw: &RawHours,
        key: &str,
        base: &WeekHours,
    ) -> Result<WeekHours, ConfigError> {
        let mut week = base.clone();
        for (weekday, name, entry) in raw.days() {
            let Some(entry) = entry else { continue };
            let parsed: DayEntry =
                entry.get_ref().trim().parse().map_err(|e| {
                    self.error(&entry.span(), &format!("{key}.{name}"), format!("{e}"))
                })?;
            week.set_day(
                weekday,
                match parsed {
                    DayEntry::Open(hours) => Some(hours),
                    DayEntry::Closed => None,
                },
            );
        }
        Ok(week)
    }

    /// A `cutoff_min` number: whole minutes from 0 to [`MAX_CUTOFF_MIN`].
    pub(super) fn cutoff_minutes(
        &self,
        minutes: i64,
        span: &Range<usize>,
        key: &str,
    ) -> Result<u32, ConfigError> {
        if !(0..=MAX_CUTOFF_MIN).contains(&minutes) {
            return Err(self.error(
                span,
                key,
                format!(
                    "{minutes} is not a number of minutes from 0 to {MAX_CUTOFF_MIN} after closing \
                     time"
                ),
            ));
        }
        Ok(u32::try_from(minutes).unwrap_or(0))
    }
}
