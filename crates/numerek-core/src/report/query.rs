//! What a report is asked for: a range of office days and a grouping of its rows.

use jiff::civil::Date;
use std::fmt;
use std::str::FromStr;

/// The longest range of office days one report covers.
pub const MAX_REPORT_DAYS: i32 = 366;

/// How a summary's rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupBy {
    /// By the category a ticket was issued in.
    Category,
    /// By the counter of a ticket's last call.
    Counter,
    /// By the office day of issue.
    Day,
    /// By the local hour of issue (0–23).
    Hour,
}

impl GroupBy {
    /// Every grouping, in the order the spec lists them.
    pub const ALL: [GroupBy; 4] = [Self::Category, Self::Counter, Self::Day, Self::Hour];

    /// The wire name (`category`, `counter`, `day`, `hour`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Category => "category",
            Self::Counter => "counter",
            Self::Day => "day",
            Self::Hour => "hour",
        }
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GroupBy {
    type Err = ReportError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == text)
            .ok_or_else(|| ReportError::UnknownGrouping(text.to_owned()))
    }
}

/// Why a report cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// A date is missing.
    #[error("`{0}` is required (a date, YYYY-MM-DD)")]
    MissingDate(&'static str),
    /// A date is not a valid `YYYY-MM-DD`.
    #[error("`{name}` must be a date as YYYY-MM-DD, not {value:?}")]
    InvalidDate {
        /// `from` or `to`.
        name: &'static str,
        /// What was given.
        value: String,
    },
    /// `from` is after `to`.
    #[error("`from` ({from}) is after `to` ({to})")]
    Reversed {
        /// The first day asked for.
        from: Date,
        /// The last day asked for.
        to: Date,
    },
    /// The range covers more days than a report may.
    #[error("the range covers {days} days; a report covers at most {MAX_REPORT_DAYS}")]
    TooLong {
        /// How many days were asked for.
        days: i64,
    },
    /// The grouping is not one of `category`, `counter`, `day`, `hour`.
    #[error("`group_by` must be one of category, counter, day, hour, not {0:?}")]
    UnknownGrouping(String),
    /// The staffing advisor's target share is not a number above 0 and below 100.
    #[error("`target_pct` must be a number of percent above 0 and below 100, like 80, not {0:?}")]
    InvalidTargetPct(String),
}

/// A validated range of office days, `from..=to`, at most [`MAX_REPORT_DAYS`] long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    from: Date,
    to: Date,
}

impl DayRange {
    /// Checks a range given as two dates.
    ///
    /// # Errors
    /// [`ReportError::Reversed`] or [`ReportError::TooLong`].
    pub fn new(from: Date, to: Date) -> Result<Self, ReportError> {
        if from > to {
            return Err(ReportError::Reversed { from, to });
        }
        let days = i64::from((to - from).get_days()) + 1;
        if days > i64::from(MAX_REPORT_DAYS) {
            return Err(ReportError::TooLong { days });
        }
        Ok(Self { from, to })
    }

    /// Parses and checks `from` and `to` as given in a request (`YYYY-MM-DD`).
    ///
    /// # Errors
    /// A [`ReportError`] naming the first problem.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, ReportError> {
        let from = parse_date("from", from)?;
        let to = parse_date("to", to)?;
        Self::new(from, to)
    }

    /// The first day.
    pub fn from(&self) -> Date {
        self.from
    }

    /// The last day (included).
    pub fn to(&self) -> Date {
        self.to
    }
}

fn parse_date(name: &'static str, value: Option<&str>) -> Result<Date, ReportError> {
    let value = value.ok_or(ReportError::MissingDate(name))?;
    let invalid = || ReportError::InvalidDate {
        name,
        value: value.to_owned(),
    };
    // Exactly YYYY-MM-DD: jiff alone would also take other ISO 8601 forms.
    let shape_ok = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(invalid());
    }
    value.parse().map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn ranges_are_checked() {
        fn d(s: &str) -> Option<&str> {
            Some(s)
        }
        assert!(DayRange::parse(d("2026-01-01"), d("2026-12-31")).is_ok());
        // 2028 is a leap year: 1 January to 31 December is 366 days, one more is too many.
        assert!(DayRange::parse(d("2028-01-01"), d("2028-12-31")).is_ok());
        assert_eq!(
            DayRange::parse(d("2028-01-01"), d("2029-01-01")),
            Err(ReportError::TooLong { days: 367 })
        );
        assert_eq!(
            DayRange::parse(d("2026-02-02"), d("2026-02-01")),
            Err(ReportError::Reversed {
                from: date(2026, 2, 2),
                to: date(2026, 2, 1)
            })
        );
        for bad in [
            "2026-2-01",
            "2026-02-30",
            "20260201",
            "2026-02-01T00:00",
            "",
        ] {
            assert!(
                matches!(
                    DayRange::parse(d(bad), d("2026-03-01")),
                    Err(ReportError::InvalidDate { name: "from", .. })
                ),
                "{bad}"
            );
        }
        assert_eq!(
            DayRange::parse(None, d("2026-03-01")),
            Err(ReportError::MissingDate("from"))
        );
        assert!("week".parse::<GroupBy>().is_err());
        assert_eq!("hour".parse::<GroupBy>(), Ok(GroupBy::Hour));
    }
}
