//! The office document (`GET /api/v1/office`): the office as its file configures it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A text in every office language, keyed by language code.
pub type LocalizedText = BTreeMap<String, String>;

/// The office, its categories and its counters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Office {
    /// The office itself.
    pub office: OfficeInfo,
    /// Its categories, in the order of the office file (the order kiosks show them in).
    pub categories: Vec<Category>,
    /// Its counters, in the order of the office file.
    pub counters: Vec<Counter>,
}

/// The office itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficeInfo {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// A demonstration office (`numerek demo`): simulated visitors and clerks; every page marks
    /// itself as a demo.
    pub demo: bool,
    /// Its IANA time zone.
    #[cfg_attr(feature = "openapi", schema(example = "Europe/Warsaw"))]
    pub timezone: String,
    /// Its languages; the first is the default.
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub languages: Vec<String>,
    /// Texts for the lobby display's ticker, each in every office language (keyed by language
    /// code).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<LocalizedTextSchema>))]
    pub announcements: Vec<LocalizedText>,
    /// Tickets and events of office days more than this many days before today are deleted at
    /// the day rollover (`office.retention_days`); reports cover only what is kept.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3660))]
    pub retention_days: u32,
    /// Office days on which no ticket is issued and no slot booked (`office.closed_dates`),
    /// `YYYY-MM-DD`, in order.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, format = Date))]
    pub closed_dates: Vec<jiff::civil::Date>,
    /// A booked visit checks in from this many minutes before its slot's start...
    #[serde(default)]
    pub checkin_early_min: u32,
    /// ...to this many minutes after it (excluded); then it is missed.
    #[serde(default)]
    pub checkin_late_min: u32,
}

/// A category of service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    /// Its id.
    pub id: String,
    /// The prefix of its ticket numbers.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Z]{1,2}$"))]
    pub prefix: String,
    /// Its name in every office language, keyed by language code.
    #[cfg_attr(feature = "openapi", schema(value_type = LocalizedTextSchema))]
    pub name: LocalizedText,
    /// The service-level target reports measure against, in seconds.
    pub target_wait_s: u32,
    /// At most this many tickets a day; null for no limit.
    #[cfg_attr(feature = "openapi", schema(required, minimum = 1))]
    pub daily_limit: Option<u32>,
    /// Whether the kiosk may issue priority tickets in it.
    pub priority: bool,
    /// Its effective issuing hours.
    pub hours: WeekHours,
    /// What to bring, in every office language (at most 600 characters each, line breaks
    /// kept); null when the office file says nothing.
    #[cfg_attr(feature = "openapi", schema(required, value_type = Option<LocalizedTextSchema>))]
    pub info: Option<LocalizedText>,
    /// Forms to fill in before coming, with their addresses; `[]` when none.
    pub forms: Vec<Form>,
    /// The category's group id (`idGrupy`) in the open-data feed: stable, unique in the office;
    /// its position in the office file (1 for the first) unless the file gives one.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub open_data_id: u32,
    /// How it takes bookings (`appointments` of the office file), for the booking page and
    /// the kiosk's check-in; null for a category that takes none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required))]
    pub appointments: Option<CategoryAppointments>,
}

/// One of a category's forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Form {
    /// Its name in every office language, keyed by language code.
    #[cfg_attr(feature = "openapi", schema(value_type = LocalizedTextSchema))]
    pub name: LocalizedText,
    /// Where it is: an `http://` or `https://` address.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^https?://",
            example = "https://www.um.example.pl/wnioski/meldunek.pdf"
        )
    )]
    pub url: String,
}

/// How a category takes bookings (`appointments` of the category in the office file): what the
/// booking page needs to offer its days (the slots themselves come from
/// `GET /api/v1/appointments/slots`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryAppointments {
    /// The length of a slot, in minutes.
    #[cfg_attr(feature = "openapi", schema(minimum = 5, maximum = 240))]
    pub slot_min: u32,
    /// How many visits one slot takes.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 50))]
    pub per_slot: u32,
    /// How many office days after today may be booked.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 90))]
    pub days_ahead: u32,
    /// When slots start, by weekday.
    pub hours: WeekHours,
}

/// Issuing hours per weekday, local time, `HH:MM-HH:MM`; a missing day is closed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WeekHours {
    /// Monday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$", nullable = false)
    )]
    pub mon: Option<String>,
    /// Tuesday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$", nullable = false)
    )]
    pub tue: Option<String>,
    /// Wednesday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$", nullable = false)
    )]
    pub wed: Option<String>,
    /// Thursday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$", nullable = false)
    )]
    pub thu: Option<String>,
    /// Friday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$", nullable = false)
    )]
    pub fri: Option<String>,
    /// Saturday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$", nullable = false)
    )]
    pub sat: Option<String>,
    /// Sunday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$", nullable = false)
    )]
    pub sun: Option<String>,
}

impl WeekHours {
    /// The hours of a weekday (`mon` … `sun` by Monday-based index 0 … 6), to read or set.
    pub fn day_mut(&mut self, monday_zero: usize) -> Option<&mut Option<String>> {
        Some(match monday_zero {
            0 => &mut self.mon,
            1 => &mut self.tue,
            2 => &mut self.wed,
            3 => &mut self.thu,
            4 => &mut self.fri,
            5 => &mut self.sat,
            6 => &mut self.sun,
            _ => return None,
        })
    }
}

/// A counter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counter {
    /// Its id.
    pub id: String,
    /// Its name in every office language, keyed by language code.
    #[cfg_attr(feature = "openapi", schema(value_type = LocalizedTextSchema))]
    pub name: LocalizedText,
    /// The categories the office file gives it: what it serves at the start of each day.
    pub categories: Vec<String>,
    /// How it chooses among them at the start of each day.
    pub order: crate::status::CounterOrder,
    /// The categories a clerk may switch it to (its work profiles): the office file's
    /// `may_serve`, by default its `categories`. A manager may move it to any category.
    pub may_serve: Vec<String>,
}

/// A text in every office language, keyed by language code.
// The schema of a `LocalizedText`: a map, which would otherwise be named after `BTreeMap`.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(as = LocalizedText, example = json!({"pl": "Meldunki", "en": "Registration"}))]
#[allow(dead_code)]
#[derive(Debug)]
pub struct LocalizedTextSchema(BTreeMap<String, String>);
