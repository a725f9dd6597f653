//! The API's primitive formats: timestamps, durations and ticket numbers, each written the one
//! way `docs/api.md` (Conventions) promises.

use jiff::fmt::temporal::{DateTimePrinter, Pieces};
use jiff::tz::{Offset, TimeZone};
use jiff::{RoundMode, Timestamp, TimestampRound, Unit};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An instant as the API writes it: RFC 3339 in the office's zone, with its offset and always
/// three fractional digits, `2026-11-23T09:15:02.123+01:00`.
///
/// It keeps the instant (to the millisecond, as written) and the offset it is written with, so a
/// client reads it back exactly and the server formats it only when it is serialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Time {
    at: Timestamp,
    offset: Offset,
}

/// Three fractional digits, an offset as `+01:00` (never `Z`).
const PRINTER: DateTimePrinter = DateTimePrinter::new().precision(Some(3));

impl Time {
    /// `at` in the zone `tz` (its offset at that instant).
    pub fn new(at: Timestamp, tz: &TimeZone) -> Self {
        Self::with_offset(at, tz.to_offset(at))
    }

    /// `at` written with `offset`. The instant is cut to the millisecond, as it is written.
    pub fn with_offset(at: Timestamp, offset: Offset) -> Self {
        let rounding = TimestampRound::new()
            .smallest(Unit::Millisecond)
            .mode(RoundMode::Floor);
        Self {
            at: at.round(rounding).unwrap_or(at),
            offset,
        }
    }

    /// The instant.
    pub fn timestamp(&self) -> Timestamp {
        self.at
    }

    /// The offset it is written with.
    pub fn offset(&self) -> Offset {
        self.offset
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::with_capacity(29);
        PRINTER
            .print_timestamp_with_offset(&self.at, self.offset, &mut text)
            .map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

/// Why a text is not an API timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidTime(String);

impl fmt::Display for InvalidTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an RFC 3339 timestamp with an offset",
            self.0
        )
    }
}

impl std::error::Error for InvalidTime {}

impl FromStr for Time {
    type Err = InvalidTime;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidTime(text.to_owned());
        let at: Timestamp = text.parse().map_err(|_| invalid())?;
        let offset = Pieces::parse(text)
            .ok()
            .and_then(|pieces| pieces.offset())
            .ok_or_else(invalid)?
            .to_numeric_offset();
        Ok(Self::with_offset(at, offset))
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimeVisitor;
        impl Visitor<'_> for TimeVisitor {
            type Value = Time;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp with an offset")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Time, E> {
                text.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(TimeVisitor)
    }
}

/// A duration in seconds, rounded to the millisecond: `1020.5`. Written as a JSON number
/// (`540.0`; clients read `540` alike), or `null` if it is not a finite number.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Seconds(f64);

impl Seconds {
    /// `seconds`, rounded to the millisecond.
    pub fn new(seconds: f64) -> Self {
        Self(round_millis(seconds))
    }

    /// The number of seconds.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// A wait as an honest range, `[low, high]` in seconds (whole seconds, `low ≤ high`): an
/// interval that holds the real wait for about four tickets in five. Written as a JSON array of
/// two numbers, `[540.0, 900.0]`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WaitRange(pub [Seconds; 2]);

impl WaitRange {
    /// The range from `low` to `high` seconds, each rounded to the millisecond.
    pub fn new([low, high]: [f64; 2]) -> Self {
        Self([Seconds::new(low), Seconds::new(high)])
    }

    /// The bounds in seconds, `[low, high]`.
    pub fn get(self) -> [f64; 2] {
        [self.0[0].get(), self.0[1].get()]
    }
}

/// `value` rounded to three decimals, as the API writes seconds (and the report's percentages).
pub fn round_millis(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// A ticket's human number: its category's prefix and at least three digits, `A017`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TicketNumber(pub String);

impl TicketNumber {
    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits after the prefix, `A017` → 17; `None` if there are none.
    pub fn n(&self) -> Option<u32> {
        self.0
            .trim_start_matches(|c: char| c.is_ascii_uppercase())
            .parse()
            .ok()
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(feature = "openapi")]
mod schemas {
    use super::{Seconds, TicketNumber, Time, WaitRange};
    use std::borrow::Cow;
    use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
    use utoipa::openapi::{RefOr, Schema};
    use utoipa::{PartialSchema, ToSchema};

    impl PartialSchema for Time {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
                .description(Some(
                    "RFC 3339 in the office's zone with its offset and milliseconds, e.g. \
                     `2026-11-23T09:15:02.123+01:00`.",
                ))
                .into()
        }
    }

    impl ToSchema for Time {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("Time")
        }
    }

    impl PartialSchema for Seconds {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .minimum(Some(0))
                .description(Some("Seconds, to the millisecond."))
                .into()
        }
    }

    impl ToSchema for Seconds {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("Seconds")
        }
    }

    impl PartialSchema for WaitRange {
        fn schema() -> RefOr<Schema> {
            ArrayBuilder::new()
                .items(Seconds::schema())
                .min_items(Some(2))
                .max_items(Some(2))
                .description(Some(
                    "`[low, high]`, whole seconds, `low ≤ high`: an interval that holds the real \
                     wait for about four tickets in five.",
                ))
                .into()
        }
    }

    impl ToSchema for WaitRange {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("WaitRange")
        }
    }

    impl PartialSchema for TicketNumber {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[A-Z]{1,2}[0-9]{3,}$"))
                .description(Some(
                    "The human number: category prefix and at least three digits, `A017`.",
                ))
                .into()
        }
    }

    impl ToSchema for TicketNumber {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("TicketNumber")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The format the server wrote before these types, with jiff's `strftime`.
    fn strftime(at: Timestamp, tz: &TimeZone) -> String {
        at.to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
            .to_string()
    }

    #[test]
    fn timestamps_carry_the_local_offset_and_milliseconds() {
        let tz = TimeZone::get("Europe/Warsaw").unwrap();
        let winter: Timestamp = "2026-11-23T08:15:02.123456Z".parse().unwrap();
        assert_eq!(
            Time::new(winter, &tz).to_string(),
            "2026-11-23T09:15:02.123+01:00"
        );
        let summer: Timestamp = "2026-07-01T08:00:00Z".parse().unwrap();
        assert_eq!(
            Time::new(summer, &tz).to_string(),
            "2026-07-01T10:00:00.000+02:00"
        );
    }

    #[test]
    fn the_format_is_the_one_strftime_wrote_in_any_zone() {
        for zone in ["Europe/Warsaw", "UTC", "America/St_Johns", "Asia/Kolkata"] {
            let tz = TimeZone::get(zone).unwrap();
            for text in [
                "2026-11-23T08:15:02.999999999Z",
                "2026-03-29T01:00:00.000001Z",
                "2026-10-25T00:59:59.5Z",
                "1999-12-31T23:59:59Z",
                "2026-01-01T00:00:00.0005Z",
            ] {
                let at: Timestamp = text.parse().unwrap();
                assert_eq!(
                    Time::new(at, &tz).to_string(),
                    strftime(at, &tz),
                    "{zone} {text}"
                );
            }
        }
    }

    #[test]
    fn a_timestamp_reads_back_as_written() {
        for text in [
            "2026-11-23T09:15:02.123+01:00",
            "2026-07-01T10:00:00.000+02:00",
            "2026-07-01T10:00:00.000+00:00",
            "2026-07-01T06:30:00.007-03:30",
        ] {
            let time: Time = text.parse().unwrap();
            assert_eq!(time.to_string(), text);
            let json = format!("\"{text}\"");
            let read: Time = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&read).unwrap(), json);
        }
        assert!("2026-11-23T09:15:02".parse::<Time>().is_err());
        assert!("yesterday".parse::<Time>().is_err());
    }

    #[test]
    fn a_wait_range_is_an_array_of_two_seconds() {
        let range = WaitRange::new([540.0, 900.0004]);
        assert_eq!(serde_json::to_string(&range).unwrap(), "[540.0,900.0]");
        let read: WaitRange = serde_json::from_str("[600,960]").unwrap();
        assert_eq!(read.get(), [600.0, 960.0]);
        assert!(serde_json::from_str::<WaitRange>("[600]").is_err());
        assert!(serde_json::from_str::<WaitRange>("600").is_err());
    }

    #[test]
    fn seconds_keep_millisecond_precision() {
        let json = |s: Seconds| serde_json::to_string(&s).unwrap();
        assert_eq!(json(Seconds::new(1.23456)), "1.235");
        assert_eq!(json(Seconds::new(540.0)), "540.0");
        assert_eq!(json(Seconds::new(f64::NAN)), "null");
        assert_eq!(
            serde_json::from_str::<Seconds>("540").unwrap(),
            Seconds::new(540.0)
        );
    }

    #[test]
    fn a_ticket_number_has_its_digits() {
        assert_eq!(TicketNumber("A017".into()).n(), Some(17));
        assert_eq!(TicketNumber("AB1000".into()).n(), Some(1000));
        assert_eq!(TicketNumber("A".into()).n(), None);
    }
}
