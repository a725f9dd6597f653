//! The office configuration: what can be queued for, at which counters, when.
//!
//! The file format is described key by key in `docs/configuration.md`; [`OfficeConfig::from_toml`]
//! parses and validates it. Everything downstream works with the validated types in this module
//! and never sees a raw TOML value, so an inconsistency can only exist in a file that was refused.

mod appointments;
mod hours;
mod information;
mod network;
mod parse;

pub use appointments::{AppointmentConfig, CheckinWindow};
pub use hours::{DayHours, WeekHours, weekday_key};
pub use information::{
    FormLink, MAX_FORMS, MAX_INFO_LEN, MAX_OPEN_DATA_ID, MAX_URL_LEN, is_form_url,
};
pub use network::{AddressRange, Origin};
pub use parse::ConfigError;
pub use parse::{
    DEFAULT_BOOKING_RATE_PER_HOUR, DEFAULT_CONNECTIONS_PER_ADDRESS,
    DEFAULT_FEED_CLIENTS_PER_ADDRESS, DEFAULT_KIOSK_RATE_PER_MIN, DEFAULT_RETENTION_DAYS,
    MAX_BOOKING_RATE_PER_HOUR, MAX_KIOSK_RATE_PER_MIN,
};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A text in every language of the office, keyed by language code (`"pl"`, `"en"`).
///
/// Validation guarantees that every language of `office.languages` is present.
pub type LocalizedText = BTreeMap<String, String>;

/// One validated office.
#[derive(Debug, Clone)]
pub struct OfficeConfig {
    /// The `[office]` table.
    pub office: OfficeInfo,
    /// The `[[category]]` tables, in file order (the order kiosks show them in).
    pub categories: Vec<CategoryConfig>,
    /// The `[[counter]]` tables, in file order.
    pub counters: Vec<CounterConfig>,
}

/// The `[office]` table.
#[derive(Debug, Clone)]
pub struct OfficeInfo {
    /// Slug identifying the office.
    pub id: String,
    /// The office's display name.
    pub name: String,
    /// A demonstration office (`numerek demo`): simulated visitors and clerks, every page marked
    /// as a demo. Never set by an office file; always `false` for `numerek serve`.
    pub demo: bool,
    /// The IANA name as written in the file, e.g. `Europe/Warsaw`.
    pub timezone: String,
    /// The resolved zone; office days and issuing hours are local to it.
    pub tz: TimeZone,
    /// Language codes; the first is the default.
    pub languages: Vec<String>,
    /// When tickets may be taken, for categories without their own `hours`.
    pub hours: WeekHours,
    /// Optional `announcements`: texts the lobby display runs as a ticker.
    pub announcements: Vec<LocalizedText>,
    /// Optional `public_url`: the address phones reach the server at (`https://kolejka.example.pl`,
    /// no trailing slash), used in the QR codes of tickets; without it, the address the kiosk
    /// uses.
    pub public_url: Option<String>,
    /// Optional `cutoff_min`: the cut-off of every category that does not set its own (see
    /// [`CategoryConfig::cutoff_min`]).
    pub cutoff_min: Option<u32>,
    /// Optional `kiosk_rate_per_min` (default [`DEFAULT_KIOSK_RATE_PER_MIN`]): at most this many
    /// tickets a minute per kiosk token, as a burst of as many after a quiet minute. `None`
    /// (`kiosk_rate_per_min = false`): no limit. The server enforces it; the core has no clock.
    pub kiosk_rate_per_min: Option<u32>,
    /// Optional `booking_rate_per_hour` (default [`DEFAULT_BOOKING_RATE_PER_HOUR`]): at most
    /// this many public booking attempts an hour per client address (an IPv6 address by its
    /// /64), as a burst of as many after a quiet hour. `None` (`false`): no limit. Staff
    /// tokens booking for a caller are not limited. The server enforces it.
    pub booking_rate_per_hour: Option<u32>,
    /// Optional `closed_dates`: office days on which no ticket is issued and no slot offered
    /// (holidays, a move, a strike), see [`OfficeConfig::is_closed_date`].
    pub closed_dates: BTreeSet<Date>,
    /// Optional `checkin_early_min` and `checkin_late_min`: when a booked visit checks in.
    pub checkin: CheckinWindow,
    /// Optional `allowed_origins`: web origins besides the server's own and `public_url`'s
    /// whose pages may write to the API (a city portal embedding the booking). A write or a feed
    /// upgrade with any other `Origin` is refused (`403 cross_origin`).
    pub allowed_origins: Vec<Origin>,
    /// Optional `trusted_proxies`: the reverse proxies whose `X-Forwarded-For`,
    /// `X-Forwarded-Proto` and `X-Forwarded-Host` are believed. Empty by default: the client is
    /// the address of the connection.
    pub trusted_proxies: Vec<AddressRange>,
    /// `feed_clients_per_address` (default [`DEFAULT_FEED_CLIENTS_PER_ADDRESS`]): the most feed
    /// connections one client address holds at once.
    pub feed_clients_per_address: u32,
    /// `connections_per_address` (default [`DEFAULT_CONNECTIONS_PER_ADDRESS`]): the most open
    /// HTTP connections one address holds at once (a trusted proxy's are not counted: the proxy
    /// limits its own clients).
    pub connections_per_address: u32,
    /// `metrics_public` (default false): whether `/metrics` answers without a manager token.
    pub metrics_public: bool,
    /// `retention_days` (default [`DEFAULT_RETENTION_DAYS`]): tickets and events of office days
    /// older than this many days are deleted at the day rollover.
    pub retention_days: u32,
}

impl OfficeInfo {
    /// The origin of `public_url`, if configured.
    pub fn public_origin(&self) -> Option<Origin> {
        self.public_url.as_deref().and_then(Origin::parse)
    }

    /// Whether `address` is one of the trusted proxies.
    pub fn is_trusted_proxy(&self, address: std::net::IpAddr) -> bool {
        self.trusted_proxies
            .iter()
            .any(|range| range.contains(address))
    }
}

/// One `[[category]]`: a queue citizens can take a ticket for.
#[derive(Debug, Clone)]
pub struct CategoryConfig {
    /// Slug, unique in the office.
    pub id: String,
    /// One or two capital letters, unique in the office; the start of every ticket number.
    pub prefix: String,
    /// The name in every office language.
    pub name: LocalizedText,
    /// Service-level target in seconds (`target_wait_min` × 60).
    pub target_wait_s: u32,
    /// At most this many tickets a day, if set.
    pub daily_limit: Option<u32>,
    /// Whether the kiosk may issue priority tickets in this category.
    pub priority: bool,
    /// Issuing hours: the office hours with this category's `hours` laid over them.
    pub hours: WeekHours,
    /// Optional `expected_service_min` × 60 (default 5 minutes): the service time the wait
    /// estimate assumes until the day has measured real ones.
    pub expected_service_s: u32,
    /// The cut-off: a ticket is refused when its estimated call falls more than this many
    /// minutes after the category's issuing hours close that day. The category's own
    /// `cutoff_min`, else the office's; `None` (the default, or `cutoff_min = false`): tickets
    /// are issued until closing time whatever the wait.
    pub cutoff_min: Option<u32>,
    /// Optional `appointments`: the slots citizens may book; `None`, the category takes no
    /// bookings.
    pub appointments: Option<AppointmentConfig>,
    /// Optional `info`: what to bring, in every office language (at most
    /// [`MAX_INFO_LEN`] characters each); shown after a ticket is taken.
    pub info: Option<LocalizedText>,
    /// Optional `forms`: forms to fill in before coming, with their addresses.
    pub forms: Vec<FormLink>,
    /// `open_data_id`: the category's group id (`idGrupy`) in the open-data feed, unique in the
    /// office; its position in the file (1 for the first) unless the file gives one, so that a
    /// portal's ids survive reordering once they are written down.
    pub open_data_id: u32,
}

/// How a counter chooses among the categories it serves.
///
/// Serialized as in the office file (`"fifo"`, `"listed"`): it travels in `counter.changed`
/// events with a counter's work profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CounterOrder {
    /// Priority first, then the longest wait across all its categories.
    #[default]
    Fifo,
    /// The first listed category with anyone waiting; within it priority, then longest wait.
    Listed,
}

impl CounterOrder {
    /// The name, as in the office file and the API (`"fifo"`, `"listed"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fifo => "fifo",
            Self::Listed => "listed",
        }
    }
}

/// One `[[counter]]`: a desk where a clerk calls tickets.
#[derive(Debug, Clone)]
pub struct CounterConfig {
    /// Short text shown on the display, unique in the office.
    pub id: String,
    /// The name in every office language.
    pub name: LocalizedText,
    /// The categories it serves at the start of every office day, in the listed order; every
    /// one exists. A work profile may change them for the rest of the day.
    pub categories: Vec<String>,
    /// Its routing order at the start of every office day.
    pub order: CounterOrder,
    /// `may_serve`: the categories a clerk may switch the counter among during the day (a
    /// manager may choose any category). Every one exists, each once, and it includes every
    /// one of `categories`; left out, it is `categories`.
    pub may_serve: Vec<String>,
}

impl OfficeConfig {
    /// Parses and validates a configuration file's text.
    ///
    /// # Errors
    /// [`ConfigError`] naming the key and the line of the first problem found.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        parse::parse(text)
    }

    /// The category with this id.
    pub fn category(&self, id: &str) -> Option<&CategoryConfig> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The counter with this id.
    pub fn counter(&self, id: &str) -> Option<&CounterConfig> {
        self.counters.iter().find(|c| c.id == id)
    }

    /// The office's default language (the first listed).
    pub fn default_language(&self) -> &str {
        &self.office.languages[0]
    }
}

#[cfg(test)]
mod tests;
