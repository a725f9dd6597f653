//! Open data: the live queues in the shapes city open-data portals already read
//! (docs/open-data.md). Foreign formats, with their own field names.
//!
//! The City of Warsaw's queue feed ("kolejki w urzędach") in two shapes: [`WarsawQueues`] as
//! Warsaw served it in 2019–2020 (figures as text, the current number with its letter, stable
//! group ids), the default; [`WarsawQueues2016`] as it served it in 2015–2016 (`?shape=2016`).
//! Errors are Warsaw's too: [`WarsawError`].

use serde::{Deserialize, Serialize};

/// The live queues in the shape of the City of Warsaw's open-data queue feed of 2019–2020: the
/// default document of `GET /api/v1/open-data/warsaw`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarsawQueues {
    /// The document.
    pub result: WarsawResult,
}

/// The body of the document of 2019–2020.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarsawResult {
    /// The office's local date, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub date: String,
    /// The office's local time, `HH:MM`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{2}:[0-9]{2}$"))]
    pub time: String,
    /// One group per category, in the order of the office file.
    pub grupy: Vec<WarsawGroup>,
}

/// One category as a Warsaw queue group of 2019–2020: every figure Warsaw wrote as text is
/// text; the counts are numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarsawGroup {
    /// `"1"` while the category issues tickets, else `"0"`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[01]$"))]
    pub status: String,
    /// The mean service time today in whole minutes, as text (`"10"`); the configured
    /// `expected_service_min` before the first ticket is served.
    #[serde(rename = "czasObslugi")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]+$"))]
    pub czas_obslugi: String,
    /// The category's position in the office file, from 1, as text.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[1-9][0-9]*$"))]
    pub lp: String,
    /// The category's stable id (`open_data_id`), as text.
    #[serde(rename = "idGrupy")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[1-9][0-9]*$"))]
    pub id_grupy: String,
    /// Open counters serving it.
    #[serde(rename = "liczbaCzynnychStan")]
    pub liczba_czynnych_stan: u64,
    /// Its name in the office's first language.
    #[serde(rename = "nazwaGrupy")]
    pub nazwa_grupy: String,
    /// Its prefix.
    #[serde(rename = "literaGrupy")]
    pub litera_grupy: String,
    /// Tickets waiting in it.
    #[serde(rename = "liczbaKlwKolejce")]
    pub liczba_klw_kolejce: u64,
    /// The number called (or recalled) last in it today, with its letter (`"A005"`); it stays
    /// after that ticket is finished; `""` before the first call of the day.
    #[serde(rename = "aktualnyNumer")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^([A-Z]{1,2}[0-9]{3,})?$"))]
    pub aktualny_numer: String,
}

/// The live queues in the older shape Warsaw served in 2015–2016: `?shape=2016`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarsawQueues2016 {
    /// The document.
    pub result: WarsawResult2016,
}

/// The body of the document of 2015–2016.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarsawResult2016 {
    /// The office's local date, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub date: String,
    /// The office's local time, `HH:MM`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{2}:[0-9]{2}$"))]
    pub time: String,
    /// One group per category, in the order of the office file.
    pub grupy: Vec<WarsawGroup2016>,
}

/// One category as a Warsaw queue group of 2015–2016.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarsawGroup2016 {
    /// `"1"` while the category issues tickets, else `"0"`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[01]$"))]
    pub status: String,
    /// The mean service time today, `HH:MM`.
    #[serde(rename = "czasObslugi")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{2,}:[0-9]{2}$"))]
    pub czas_obslugi: String,
    /// The category's position in the office file, from 1.
    pub lp: String,
    /// The same position, as the group's id.
    #[serde(rename = "idGrupy")]
    pub id_grupy: String,
    /// Open counters serving it.
    #[serde(rename = "liczbaCzynnychStan")]
    pub liczba_czynnych_stan: u64,
    /// Its name in the office's first language.
    #[serde(rename = "nazwaGrupy")]
    pub nazwa_grupy: String,
    /// Its prefix.
    #[serde(rename = "literaGrupy")]
    pub litera_grupy: String,
    /// Tickets waiting in it.
    #[serde(rename = "liczbaKlwKolejce")]
    pub liczba_klw_kolejce: u64,
    /// The digits of the number called last in it today, without its letter (0 before the
    /// first call).
    #[serde(rename = "aktualnyNumer")]
    pub aktualny_numer: u32,
}

/// An open-data error, as Warsaw writes them: `{"result": "false", "error": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WarsawError {
    /// Always `"false"`, as text.
    #[cfg_attr(feature = "openapi", schema(pattern = "^false$", example = "false"))]
    pub result: String,
    /// What is wrong, in English.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub error: String,
}
