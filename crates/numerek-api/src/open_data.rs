//! Open data: the live queues in the shapes city open-data portals already read
//! (docs/open-data.md). Foreign formats, with their own field names.

use serde::{Deserialize, Serialize};

/// The live queues in the shape of the City of Warsaw's open-data queue feed; see
/// docs/open-data.md.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarsawQueues {
    /// The document.
    pub result: WarsawResult,
}

/// The Warsaw document's body.
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

/// One category as a Warsaw queue group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarsawGroup {
    /// `"1"` while the category issues tickets, else `"0"`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[01]$"))]
    pub status: String,
    /// The mean service time today, `HH:MM`.
    #[serde(rename = "czasObslugi")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{2,}:[0-9]{2}$"))]
    pub czas_obslugi: String,
    /// The category's ordinal, from 1.
    pub lp: String,
    /// The same ordinal, as the group's id.
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
    /// The number of its latest call today (0 before the first).
    #[serde(rename = "aktualnyNumer")]
    pub aktualny_numer: u32,
}
