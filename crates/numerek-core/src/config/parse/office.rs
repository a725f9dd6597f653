//! The `[office]` table: the office's name, zone, languages and hours, and the keys that limit
//! and open up the server (cut-off, kiosk rate, origins, proxies, connections, retention).

use super::appointments::RawClosedDates;
use super::values::{RawHours, RawText};
use super::{
    Checker, ConfigError, DEFAULT_BOOKING_RATE_PER_HOUR, DEFAULT_CONNECTIONS_PER_ADDRESS,
    DEFAULT_FEED_CLIENTS_PER_ADDRESS, DEFAULT_KIOSK_RATE_PER_MIN, DEFAULT_RETENTION_DAYS,
    MAX_BOOKING_RATE_PER_HOUR, MAX_CONNECTIONS_PER_ADDRESS, MAX_FEED_CLIENTS_PER_ADDRESS,
    MAX_KIOSK_RATE_PER_MIN, MAX_RETENTION_DAYS, RawFile,
};
use crate::config::hours::WeekHours;
use crate::config::network::{AddressRange, Origin};
use crate::config::{OfficeConfig, OfficeInfo};
use jiff::tz::TimeZone;
use serde::Deserialize;
use toml::Spanned;

/// The `[office]` table, as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOffice {
    id: Spanned<String>,
    name: Spanned<String>,
    timezone: Spanned<String>,
    languages: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    hours: Option<Spanned<RawHours>>,
    #[serde(default)]
    announcements: Vec<RawText>,
    #[serde(default)]
    public_url: Option<Spanned<String>>,
    #[serde(default)]
    cutoff_min: Option<Spanned<i64>>,
    /// Tickets a minute per kiosk token, or `false` for no limit.
    #[serde(default)]
    kiosk_rate_per_min: Option<Spanned<toml::Value>>,
    /// Public bookings an hour per client address, or `false` for no limit.
    #[serde(default)]
    booking_rate_per_hour: Option<Spanned<toml::Value>>,
    #[serde(default)]
    allowed_origins: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    trusted_proxies: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    feed_clients_per_address: Option<Spanned<i64>>,
    #[serde(default)]
    connections_per_address: Option<Spanned<i64>>,
    #[serde(default)]
    metrics_public: Option<bool>,
    #[serde(default)]
    retention_days: Option<Spanned<i64>>,
    #[serde(default)]
    closed_dates: Option<RawClosedDates>,
    #[serde(default)]
    checkin_early_min: Option<Spanned<i64>>,
    #[serde(default)]
    checkin_late_min: Option<Spanned<i64>>,
}

impl Checker<'_> {
    pub(super) fn office(&self, raw: RawFile) -> Result<OfficeConfig, ConfigError> {
        let office_span = raw.office.span();
        let office = raw.office.into_inner();
        let languages = self.languages(&office.languages)?;
        let timezone = office.timezone.get_ref().trim().to_owned();
        let tz = TimeZone::get(&timezone).map_err(|_| {
            self.error(
                &office.timezone.span(),
                "office.timezone",
                format!("\"{timezone}\" is not an IANA time zone name like \"Europe/Warsaw\""),
            )
        })?;
        let hours = match &office.hours {
            Some(hours) => self.hours(hours.get_ref(), "office.hours", &WeekHours::default())?,
            None => WeekHours::default(),
        };
        let announcements = office
            .announcements
            .iter()
            .map(|text| self.localized(text, "office.announcements", &languages))
            .collect::<Result<Vec<_>, _>>()?;
        let public_url = office
            .public_url
            .as_ref()
            .map(|url| self.public_url(url))
            .transpose()?;
        let cutoff_min = office
            .cutoff_min
            .as_ref()
            .map(|value| self.cutoff_minutes(*value.get_ref(), &value.span(), "office.cutoff_min"))
            .transpose()?;
        let kiosk_rate_per_min = self.rate(
            office.kiosk_rate_per_min.as_ref(),
            "office.kiosk_rate_per_min",
            "tickets a minute",
            DEFAULT_KIOSK_RATE_PER_MIN,
            MAX_KIOSK_RATE_PER_MIN,
        )?;
        let booking_rate_per_hour = self.rate(
            office.booking_rate_per_hour.as_ref(),
            "office.booking_rate_per_hour",
            "bookings an hour",
            DEFAULT_BOOKING_RATE_PER_HOUR,
            MAX_BOOKING_RATE_PER_HOUR,
        )?;
        let allowed_origins = self.allowed_origins(office.allowed_origins.as_ref())?;
        let trusted_proxies = self.trusted_proxies(office.trusted_proxies.as_ref())?;
        let feed_clients_per_address = self.whole_number(
            office.feed_clients_per_address.as_ref(),
            "office.feed_clients_per_address",
            "feed connections",
            1..=MAX_FEED_CLIENTS_PER_ADDRESS,
            DEFAULT_FEED_CLIENTS_PER_ADDRESS,
        )?;
        let connections_per_address = self.whole_number(
            office.connections_per_address.as_ref(),
            "office.connections_per_address",
            "connections",
            1..=MAX_CONNECTIONS_PER_ADDRESS,
            DEFAULT_CONNECTIONS_PER_ADDRESS,
        )?;
        let retention_days = self.whole_number(
            office.retention_days.as_ref(),
            "office.retention_days",
            "days",
            1..=MAX_RETENTION_DAYS,
            DEFAULT_RETENTION_DAYS,
        )?;
        let info = OfficeInfo {
            id: self.slug(&office.id, "office.id")?,
            name: self.plain_text(&office.name, "office.name")?,
            demo: false,
            timezone,
            tz,
            languages,
            hours,
            announcements,
            public_url,
            cutoff_min,
            kiosk_rate_per_min,
            booking_rate_per_hour,
            allowed_origins,
            trusted_proxies,
            feed_clients_per_address,
            connections_per_address,
            metrics_public: office.metrics_public.unwrap_or(false),
            retention_days,
            closed_dates: self.closed_dates(office.closed_dates.as_ref())?,
            checkin: self.checkin_window(
                office.checkin_early_min.as_ref(),
                office.checkin_late_min.as_ref(),
            )?,
        };
        let categories = self.categories(&raw.category, &info, &office_span)?;
        let counters = self.counters(&raw.counter, &info.languages, &categories, &office_span)?;
        self.every_category_served(&raw.category, &categories, &counters)?;
        Ok(OfficeConfig {
            office: info,
            categories,
            counters,
        })
    }

    /// A rate limit (`office.kiosk_rate_per_min`, `office.booking_rate_per_hour`): a whole
    /// number of `unit` from 1 to `max`, or `false` for no limit; left out, `default`.
    fn rate(
        &self,
        value: Option<&Spanned<toml::Value>>,
        key: &str,
        unit: &str,
        default: u32,
        max: u32,
    ) -> Result<Option<u32>, ConfigError> {
        let Some(value) = value else {
            return Ok(Some(default));
        };
        let allowed = 1..=i64::from(max);
        match value.get_ref() {
            toml::Value::Integer(rate) if allowed.contains(rate) => Ok(u32::try_from(*rate).ok()),
            toml::Value::Boolean(false) => Ok(None),
            other => Err(self.error(
                &value.span(),
                key,
                format!(
                    "{other} is not a number of {unit} from 1 to {max} (or false for no limit)"
                ),
            )),
        }
    }

    /// A whole number in `allowed` for `key` (counting `what`), or `default` when left out.
    fn whole_number(
        &self,
        value: Option<&Spanned<i64>>,
        key: &str,
        what: &str,
        allowed: std::ops::RangeInclusive<i64>,
        default: u32,
    ) -> Result<u32, ConfigError> {
        let Some(value) = value else {
            return Ok(default);
        };
        let number = *value.get_ref();
        if !allowed.contains(&number) {
            return Err(self.error(
                &value.span(),
                key,
                format!(
                    "{number} is not a number of {what} from {} to {}",
                    allowed.start(),
                    allowed.end()
                ),
            ));
        }
        Ok(u32::try_from(number).unwrap_or(default))
    }

    /// `office.allowed_origins`: web origins (`https://host[:port]`), each once.
    fn allowed_origins(
        &self,
        raw: Option<&Spanned<Vec<Spanned<String>>>>,
    ) -> Result<Vec<Origin>, ConfigError> {
        const KEY: &str = "office.allowed_origins";
        let mut out: Vec<Origin> = Vec::new();
        for text in raw.map(Spanned::get_ref).into_iter().flatten() {
            let origin = Origin::parse(text.get_ref()).ok_or_else(|| {
                self.error(
                    &text.span(),
                    KEY,
                    format!(
                        "\"{}\" is not a web origin like \"https://portal.example.pl\" (scheme, \
                         host, optional port; no path)",
                        text.get_ref()
                    ),
                )
            })?;
            if out.contains(&origin) {
                return Err(self.error(&text.span(), KEY, format!("\"{origin}\" is listed twice")));
            }
            out.push(origin);
        }
        Ok(out)
    }

    /// `office.trusted_proxies`: IP addresses or blocks (`10.0.0.0/8`), each once.
    fn trusted_proxies(
        &self,
        raw: Option<&Spanned<Vec<Spanned<String>>>>,
    ) -> Result<Vec<AddressRange>, ConfigError> {
        const KEY: &str = "office.trusted_proxies";
        let mut out: Vec<AddressRange> = Vec::new();
        for text in raw.map(Spanned::get_ref).into_iter().flatten() {
            let range = AddressRange::parse(text.get_ref()).ok_or_else(|| {
                self.error(
                    &text.span(),
                    KEY,
                    format!(
                        "\"{}\" is not an IP address like \"127.0.0.1\" or \"::1\", or a block \
                         of them like \"10.0.0.0/8\" (with its host bits zero)",
                        text.get_ref()
                    ),
                )
            })?;
            if out.contains(&range) {
                return Err(self.error(&text.span(), KEY, format!("\"{range}\" is listed twice")));
            }
            out.push(range);
        }
        Ok(out)
    }

    /// An `http://` or `https://` address without a path, query or trailing slash.
    fn public_url(&self, url: &Spanned<String>) -> Result<String, ConfigError> {
        let text = url.get_ref().trim().trim_end_matches('/');
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"));
        let valid = rest.is_some_and(|host| {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        });
        if !valid {
            return Err(self.error(
                &url.span(),
                "office.public_url",
                format!(
                    "\"{}\" is not an address like \"https://kolejka.example.pl\" or \
                     \"http://192.168.1.10:8080\" (scheme, host, optional port; no path)",
                    url.get_ref()
                ),
            ));
        }
        Ok(text.to_owned())
    }

    fn languages(&self, raw: &Spanned<Vec<Spanned<String>>>) -> Result<Vec<String>, ConfigError> {
        if raw.get_ref().is_empty() {
            return Err(self.error(
                &raw.span(),
                "office.languages",
                "at least one language is needed, like [\"pl\", \"en\"]",
            ));
        }
        let mut out: Vec<String> = Vec::new();
        for language in raw.get_ref() {
            let code = language.get_ref();
            let valid =
                (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
            if !valid {
                return Err(self.error(
                    &language.span(),
                    "office.languages",
                    format!("\"{code}\" is not a language code like \"pl\" or \"en\""),
                ));
            }
            if out.contains(code) {
                return Err(self.error(
                    &language.span(),
                    "office.languages",
                    format!("\"{code}\" is listed twice"),
                ));
            }
            out.push(code.clone());
        }
        Ok(out)
    }
}
