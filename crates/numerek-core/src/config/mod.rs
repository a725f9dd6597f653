//! The office configuration: what can be queued for, at which counters, when.
//!
//! The file format is described key by key in `docs/configuration.md`; [`OfficeConfig::from_toml`]
//! parses and validates it. Everything downstream works with the validated types in this module
//! and never sees a raw TOML value, so an inconsistency can only exist in a file that was refused.

mod appointments;
mod hours;
mod parse;

pub use appointments::{AppointmentConfig, CheckinWindow};
pub use hours::{DayHours, WeekHours};
pub use parse::ConfigError;
pub use parse::{DEFAULT_KIOSK_RATE_PER_MIN, MAX_KIOSK_RATE_PER_MIN};

use jiff::civil::Date;
use jiff::tz::TimeZone;
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
    /// Optional `closed_dates`: office days on which no ticket is issued and no slot offered
    /// (holidays, a move, a strike), see [`OfficeConfig::is_closed_date`].
    pub closed_dates: BTreeSet<Date>,
    /// Optional `checkin_early_min` and `checkin_late_min`: when a booked visit checks in.
    pub checkin: CheckinWindow,
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
}

/// How a counter chooses among the categories it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounterOrder {
    /// Priority first, then the longest wait across all its categories.
    Fifo,
    /// The first listed category with anyone waiting; within it priority, then longest wait.
    Listed,
}

/// One `[[counter]]`: a desk where a clerk calls tickets.
#[derive(Debug, Clone)]
pub struct CounterConfig {
    /// Short text shown on the display, unique in the office.
    pub id: String,
    /// The name in every office language.
    pub name: LocalizedText,
    /// The categories it serves, in the listed order; every one exists.
    pub categories: Vec<String>,
    /// Its routing order.
    pub order: CounterOrder,
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
