//! Reading the TOML office file into validated [`OfficeConfig`] values.
//!
//! Two passes. The first is serde with `deny_unknown_fields` into raw structs whose values keep
//! their byte spans ([`Spanned`]), so a typo in a key or a wrong type is refused by `toml` with
//! its position. The second checks what serde cannot (slugs, ranges, references between tables,
//! uniqueness) and names the key and the line of the first problem.

mod appointments;
mod information;

use super::hours::{DayEntry, WeekHours, weekday_key};
use super::network::{AddressRange, Origin};
use super::{CategoryConfig, CounterConfig, CounterOrder, LocalizedText, OfficeConfig, OfficeInfo};
use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// Why an office file was refused: the line (when known), the key, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The 1-based line of the problem, when it has a place in the file.
    pub line: Option<usize>,
    /// The key, as a dotted path (`category.prefix`), when the problem is a key's value.
    pub key: Option<String>,
    /// What is wrong, as a sentence without a trailing dot.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.key) {
            (Some(line), Some(key)) => write!(f, "line {line}, {key}: {}", self.message),
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            (None, Some(key)) => write!(f, "{key}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

// ----- the file as serde reads it ------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    office: Spanned<RawOffice>,
    #[serde(default)]
    category: Vec<Spanned<RawCategory>>,
    #[serde(default)]
    counter: Vec<Spanned<RawCounter>>,
}

type RawText = Spanned<BTreeMap<String, Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffice {
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
    closed_dates: Option<appointments::RawClosedDates>,
    #[serde(default)]
    checkin_early_min: Option<Spanned<i64>>,
    #[serde(default)]
    checkin_late_min: Option<Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHours {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: Spanned<String>,
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
    appointments: Option<Spanned<appointments::RawAppointments>>,
    #[serde(default)]
    info: Option<RawText>,
    #[serde(default)]
    forms: Option<information::RawForms>,
    #[serde(default)]
    open_data_id: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCounter {
    id: Spanned<String>,
    name: RawText,
    categories: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    order: Option<Spanned<String>>,
    #[serde(default)]
    may_serve: Option<Spanned<Vec<Spanned<String>>>>,
}

// ----- limits ----------------------------------------------------------------------------------

/// The longest office, category or counter id.
const MAX_ID_LEN: usize = 40;
/// The longest counter id: it is shown large on the lobby display.
const MAX_COUNTER_ID_LEN: usize = 8;
/// The longest name or announcement.
const MAX_TEXT_LEN: usize = 300;
/// The largest `target_wait_min`: a whole day.
const MAX_TARGET_MIN: i64 = 24 * 60;
/// The largest `daily_limit`: numbers beyond five digits help nobody at a kiosk.
const MAX_DAILY_LIMIT: i64 = 99_999;
/// The largest `expected_service_min`: a whole working day.
const MAX_SERVICE_MIN: f64 = 8.0 * 60.0;
/// The default `expected_service_min`.
const DEFAULT_SERVICE_MIN: f64 = 5.0;
/// The largest `cutoff_min`: a whole day after closing.
const MAX_CUTOFF_MIN: i64 = 24 * 60;
/// The default `kiosk_rate_per_min`: about twice what one kiosk and its printer can serve, so
/// people never meet it and a script takes at most this many tickets a minute.
pub const DEFAULT_KIOSK_RATE_PER_MIN: u32 = 20;
/// The largest `kiosk_rate_per_min` (100 a second); `false` turns the limit off.
pub const MAX_KIOSK_RATE_PER_MIN: u32 = 6000;
/// The default `feed_clients_per_address`: a family's phones, or a few screens behind one
/// address, and far from a feed's worth.
pub const DEFAULT_FEED_CLIENTS_PER_ADDRESS: u32 = 32;
/// The largest `feed_clients_per_address`.
pub const MAX_FEED_CLIENTS_PER_ADDRESS: i64 = 1_000_000;
/// The default `connections_per_address`: a browser opens about six connections to a server,
/// so this is dozens of devices behind one address (an office's NAT), and a small share of
/// what the server can hold.
pub const DEFAULT_CONNECTIONS_PER_ADDRESS: u32 = 256;
/// The largest `connections_per_address`.
pub const MAX_CONNECTIONS_PER_ADDRESS: i64 = 1_000_000;
/// The default `retention_days`: two years of history for reports.
pub const DEFAULT_RETENTION_DAYS: u32 = 730;
/// The largest `retention_days`: about ten years.
pub const MAX_RETENTION_DAYS: i64 = 3660;

// ----- validation ------------------------------------------------------------------------------

/// Parses and validates an office file.
pub(super) fn parse(text: &str) -> Result<OfficeConfig, ConfigError> {
    let raw: RawFile = toml::from_str(text).map_err(|error| ConfigError {
        line: error.span().map(|span| line_of(text, span.start)),
        key: None,
        message: error.message().trim_end_matches('.').to_owned(),
    })?;
    Checker { text }.office(raw)
}

/// The second pass, holding the text to turn spans into lines.
struct Checker<'a> {
    text: &'a str,
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
    fn error(&self, span: &Range<usize>, key: &str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            line: Some(line_of(self.text, span.start)),
            key: Some(key.to_owned()),
            message: message.into(),
        }
    }

    fn line(&self, span: &Range<usize>) -> usize {
        line_of(self.text, span.start)
    }

    fn slug(&self, value: &Spanned<String>, key: &str) -> Result<String, ConfigError> {
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

    fn plain_text(&self, value: &Spanned<String>, key: &str) -> Result<String, ConfigError> {
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
    fn localized(
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
    fn hours(&self, raw: &RawHours, key: &str, base: &WeekHours) -> Result<WeekHours, ConfigError> {
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

    fn office(&self, raw: RawFile) -> Result<OfficeConfig, ConfigError> {
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
        let kiosk_rate_per_min = self.kiosk_rate(office.kiosk_rate_per_min.as_ref())?;
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

    /// A `cutoff_min` number: whole minutes from 0 to [`MAX_CUTOFF_MIN`].
    fn cutoff_minutes(
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

    /// `office.kiosk_rate_per_min`: tickets a minute from 1 to [`MAX_KIOSK_RATE_PER_MIN`], or
    /// `false` for no limit; left out, [`DEFAULT_KIOSK_RATE_PER_MIN`].
    fn kiosk_rate(&self, value: Option<&Spanned<toml::Value>>) -> Result<Option<u32>, ConfigError> {
        const KEY: &str = "office.kiosk_rate_per_min";
        let Some(value) = value else {
            return Ok(Some(DEFAULT_KIOSK_RATE_PER_MIN));
        };
        let allowed = 1..=i64::from(MAX_KIOSK_RATE_PER_MIN);
        match value.get_ref() {
            toml::Value::Integer(rate) if allowed.contains(rate) => Ok(u32::try_from(*rate).ok()),
            toml::Value::Boolean(false) => Ok(None),
            other => Err(self.error(
                &value.span(),
                KEY,
                format!(
                    "{other} is not a number of tickets a minute from 1 to \
                     {MAX_KIOSK_RATE_PER_MIN} (or false for no limit)"
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

    fn categories(
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

    fn counters(
        &self,
        raw: &[Spanned<RawCounter>],
        languages: &[String],
        categories: &[CategoryConfig],
        office_span: &Range<usize>,
    ) -> Result<Vec<CounterConfig>, ConfigError> {
        if raw.is_empty() {
            return Err(ConfigError {
                line: Some(self.line(office_span)),
                key: Some("counter".into()),
                message: "the office has no [[counter]]: at least one is needed".into(),
            });
        }
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::with_capacity(raw.len());
        for spanned in raw {
            let counter = spanned.get_ref();
            let id = counter.id.get_ref();
            let id_ok = !id.is_empty()
                && id.len() <= MAX_COUNTER_ID_LEN
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if !id_ok {
                return Err(self.error(
                    &counter.id.span(),
                    "counter.id",
                    format!(
                        "\"{id}\" is not a counter id: use 1-{MAX_COUNTER_ID_LEN} letters A-Z, \
                         a-z, digits or hyphens, like \"3\" or \"K2\""
                    ),
                ));
            }
            if let Some(first) = ids.insert(id.clone(), self.line(&counter.id.span())) {
                return Err(self.error(
                    &counter.id.span(),
                    "counter.id",
                    format!("\"{id}\" is already the id of the counter on line {first}"),
                ));
            }
            if counter.categories.get_ref().is_empty() {
                return Err(self.error(
                    &counter.categories.span(),
                    "counter.categories",
                    "a counter must serve at least one category",
                ));
            }
            let served = self.category_list(
                counter.categories.get_ref(),
                categories,
                "counter.categories",
            )?;
            let may_serve = match &counter.may_serve {
                None => served.clone(),
                Some(list) => {
                    let allowed =
                        self.category_list(list.get_ref(), categories, "counter.may_serve")?;
                    if let Some(missing) = served.iter().find(|c| !allowed.contains(c)) {
                        return Err(self.error(
                            &list.span(),
                            "counter.may_serve",
                            format!(
                                "counter \"{id}\" serves \"{missing}\" (counter.categories), so \
                                 may_serve must list it too"
                            ),
                        ));
                    }
                    allowed
                }
            };
            let order = match counter.order.as_ref().map(|o| (o.get_ref().as_str(), o)) {
                None | Some(("fifo", _)) => CounterOrder::Fifo,
                Some(("listed", _)) => CounterOrder::Listed,
                Some((other, spanned)) => {
                    return Err(self.error(
                        &spanned.span(),
                        "counter.order",
                        format!("\"{other}\" is not an order: use \"fifo\" or \"listed\""),
                    ));
                }
            };
            out.push(CounterConfig {
                id: id.clone(),
                name: self.localized(&counter.name, "counter.name", languages)?,
                categories: served,
                order,
                may_serve,
            });
        }
        Ok(out)
    }

    /// A list of category ids under `key`: each an existing category, each once, in the order
    /// given.
    fn category_list(
        &self,
        list: &[Spanned<String>],
        categories: &[CategoryConfig],
        key: &str,
    ) -> Result<Vec<String>, ConfigError> {
        let mut out: Vec<String> = Vec::with_capacity(list.len());
        for category in list {
            let name = category.get_ref();
            if !categories.iter().any(|c| &c.id == name) {
                let known: Vec<&str> = categories.iter().map(|c| c.id.as_str()).collect();
                return Err(self.error(
                    &category.span(),
                    key,
                    format!(
                        "there is no category \"{name}\"; the categories are {}",
                        known.join(", ")
                    ),
                ));
            }
            if out.contains(name) {
                return Err(self.error(
                    &category.span(),
                    key,
                    format!("\"{name}\" is listed twice"),
                ));
            }
            out.push(name.clone());
        }
        Ok(out)
    }

    /// A category no counter serves would take tickets that nobody ever calls.
    fn every_category_served(
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
