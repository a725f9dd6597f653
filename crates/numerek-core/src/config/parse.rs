//! Reading the TOML office file into validated [`OfficeConfig`] values.
//!
//! Two passes. The first is serde with `deny_unknown_fields` into raw structs whose values keep
//! their byte spans ([`Spanned`]), so a typo in a key or a wrong type is refused by `toml` with
//! its position. The second checks what serde cannot (slugs, ranges, references between tables,
//! uniqueness) and names the key and the line of the first problem.
//!
//! The second pass is one `impl Checker` per table of the file: [`office`] (the `[office]`
//! table and its keys), [`category`] (each `[[category]]`), [`counter`] (each `[[counter]]`),
//! [`appointments`] (the appointment keys of both), [`information`] (what a category tells
//! citizens before the counter: `info`, `forms`, `open_data_id`), on the helpers of [`values`]
//! (slugs, texts, texts in every language, hours tables, cut-off minutes). The limits of every
//! key are here, but for those of [`information`], which `config/information.rs` holds.

mod appointments;
mod category;
mod counter;
mod information;
mod office;
mod values;

use super::OfficeConfig;
use category::RawCategory;
use counter::RawCounter;
use office::RawOffice;
use serde::Deserialize;
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
/// The default `booking_rate_per_hour`: a family booking its members' visits, and far from a
/// day's slots.
pub const DEFAULT_BOOKING_RATE_PER_HOUR: u32 = 10;
/// The largest `booking_rate_per_hour`; `false` turns the limit off.
pub const MAX_BOOKING_RATE_PER_HOUR: u32 = 10_000;
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
}
