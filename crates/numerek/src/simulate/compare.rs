//! Does the manager's report tell what happened? The summary report of the simulated day,
//! grouped by category, against what the simulator itself saw: the counts exactly, the mean and
//! longest wait within the report's rounding.

use super::observe::{Row, Summary};
use numerek_api::{RowKey, Seconds};
use std::fmt;

/// The largest difference in seconds that rounding explains: the report gives waits to the
/// millisecond, rounded half up.
const WAIT_TOLERANCE_S: f64 = 0.002;

/// One figure on which the report and the simulator disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The row: a category id or `total`.
    pub key: String,
    /// The field, as the report names it.
    pub field: &'static str,
    /// What the report says (JSON).
    pub report: String,
    /// What the simulator saw.
    pub seen: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: the report says {}, the simulator saw {}",
            self.key, self.field, self.report, self.seen
        )
    }
}

/// Compares a `GET /api/v1/reports/summary?…&group_by=category` answer with what was seen.
///
/// # Errors
/// Every disagreement; a report row of a category the simulator saw nothing of must be empty.
pub fn compare(report: &numerek_api::Summary, seen: &Summary) -> Result<(), Vec<Mismatch>> {
    let key = |row: &numerek_api::Row| match &row.key {
        RowKey::Name(name) => name.clone(),
        hour @ RowKey::Hour(_) => hour.to_string(),
    };
    let mut mismatches = Vec::new();
    for row in &seen.rows {
        let reported = report.rows.iter().find(|r| key(r) == row.key);
        compare_row(reported, row, &mut mismatches);
    }
    for reported in &report.rows {
        let key = key(reported);
        if !seen.rows.iter().any(|row| row.key == key) {
            compare_row(
                Some(reported),
                &Row {
                    key,
                    ..Row::default()
                },
                &mut mismatches,
            );
        }
    }
    compare_row(Some(&report.total), &seen.total, &mut mismatches);
    compare_appointments(&report.total, seen, &mut mismatches);
    if mismatches.is_empty() {
        Ok(())
    } else {
        Err(mismatches)
    }
}

/// Compares the report's appointment figures with the booked visits seen: how many tickets
/// came from a check-in, how many bookings were missed (every booked visitor comes, so only
/// those refused at the kiosk as too late), and their mean delay.
fn compare_appointments(total: &numerek_api::Row, seen: &Summary, out: &mut Vec<Mismatch>) {
    let mut mismatch = |field: &'static str, report: String, saw: String| {
        out.push(Mismatch {
            key: "total".to_owned(),
            field,
            report,
            seen: saw,
        });
    };
    if total.appointments != seen.booked.issued {
        mismatch(
            "appointments",
            total.appointments.to_string(),
            seen.booked.issued.to_string(),
        );
    }
    if total.appointments_missed != seen.checkins_refused {
        mismatch(
            "appointments_missed",
            total.appointments_missed.to_string(),
            seen.checkins_refused.to_string(),
        );
    }
    let reported = total.appointment_delay_avg_s.map(Seconds::get);
    let agrees = match (reported, seen.delay_avg_s()) {
        (Some(report), Some(expected)) => (report - expected).abs() <= WAIT_TOLERANCE_S,
        (None, None) => true,
        _ => false,
    };
    if !agrees {
        mismatch(
            "appointment_delay_avg_s",
            reported.map_or_else(|| "null".to_owned(), |s| s.to_string()),
            seen.delay_avg_s()
                .map_or_else(|| "nothing".to_owned(), |s| format!("{s:.3}")),
        );
    }
}

/// Compares one row of the report (`None`: the report has no such row, which reads as a row of
/// zeros) with what was seen.
fn compare_row(reported: Option<&numerek_api::Row>, seen: &Row, out: &mut Vec<Mismatch>) {
    let mut mismatch = |field: &'static str, report: String, saw: String| {
        out.push(Mismatch {
            key: seen.key.clone(),
            field,
            report,
            seen: saw,
        });
    };
    let count = |pick: fn(&numerek_api::Row) -> u64| reported.map_or(0, pick);
    let counts: [(&'static str, u64, u64); 5] = [
        ("issued", count(|r| r.issued), seen.issued),
        ("called", count(|r| r.called), seen.called),
        ("served", count(|r| r.served), seen.served),
        ("no_show", count(|r| r.no_show), seen.no_show),
        // The simulator never cancels.
        ("cancelled", count(|r| r.cancelled), 0),
    ];
    for (field, report, expected) in counts {
        if report != expected {
            mismatch(field, report.to_string(), expected.to_string());
        }
    }
    let wait = |pick: fn(&numerek_api::Row) -> Option<Seconds>| reported.and_then(pick);
    for (field, report, expected) in [
        ("wait_avg_s", wait(|r| r.wait_avg_s), seen.wait_avg_s()),
        ("wait_max_s", wait(|r| r.wait_max_s), seen.wait_max_s()),
    ] {
        let agrees = match (report, expected) {
            (Some(report), Some(expected)) => (report.get() - expected).abs() <= WAIT_TOLERANCE_S,
            (None, None) => true,
            _ => false,
        };
        if !agrees {
            mismatch(
                field,
                report.map_or_else(|| "null".to_owned(), |s| s.get().to_string()),
                expected.map_or_else(|| "nothing".to_owned(), |s| format!("{s:.3}")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use numerek_api::Row as ApiRow;

    fn row(key: &str, issued: u64, served: u64, no_show: u64, wait_ms: Vec<i64>) -> Row {
        Row {
            key: key.to_owned(),
            issued,
            called: wait_ms.len() as u64,
            served,
            no_show,
            wait_ms,
            ..Row::default()
        }
    }

    fn summary() -> Summary {
        Summary {
            rows: vec![
                row("a", 3, 2, 1, vec![1000, 2001, 4000]),
                row("b", 0, 0, 0, vec![]),
            ],
            total: row("total", 3, 2, 1, vec![1000, 2001, 4000]),
            walk_ins: row("walk-ins", 2, 1, 1, vec![1000, 2001]),
            booked: row("appointments", 1, 1, 0, vec![4000]),
            delays_ms: vec![-500],
            checkins_refused: 0,
        }
    }

    fn report_row(key: &str, issued: u64, wait_avg: Option<f64>, wait_max: Option<f64>) -> ApiRow {
        ApiRow {
            key: RowKey::Name(key.to_owned()),
            issued,
            called: issued,
            served: issued.min(2),
            no_show: issued.min(1),
            cancelled: 0,
            wait_avg_s: wait_avg.map(Seconds::new),
            wait_p50_s: None,
            wait_p90_s: None,
            wait_max_s: wait_max.map(Seconds::new),
            service_avg_s: None,
            within_target_pct: None,
            feedback_count: 0,
            satisfaction_avg: None,
            appointments: if key == "total" { 1 } else { 0 },
            appointments_missed: 0,
            appointment_delay_avg_s: (key == "total").then(|| Seconds::new(-0.5)),
        }
    }

    fn report(rows: Vec<ApiRow>, total: ApiRow) -> numerek_api::Summary {
        numerek_api::Summary {
            from: jiff::civil::date(2026, 11, 23),
            to: jiff::civil::date(2026, 11, 23),
            group_by: numerek_api::GroupBy::Category,
            rows,
            total,
        }
    }

    #[test]
    fn a_report_that_tells_what_happened_matches() {
        let report = report(
            vec![
                report_row("a", 3, Some(2.334), Some(4.0)),
                report_row("b", 0, None, None),
            ],
            report_row("total", 3, Some(2.334), Some(4.0)),
        );
        assert_eq!(compare(&report, &summary()), Ok(()));
    }

    #[test]
    fn every_disagreement_is_named() {
        let report = report(
            vec![
                report_row("a", 4, Some(2.5), Some(4.0)),
                report_row("old", 1, Some(1.0), Some(1.0)),
            ],
            report_row("total", 3, Some(2.334), Some(4.0)),
        );
        let mismatches = compare(&report, &summary()).expect_err("they disagree");
        let named: Vec<String> = mismatches
            .iter()
            .map(|m| format!("{} {}", m.key, m.field))
            .collect();
        assert!(named.contains(&"a issued".to_owned()), "{named:?}");
        assert!(named.contains(&"a wait_avg_s".to_owned()), "{named:?}");
        assert!(named.contains(&"old issued".to_owned()), "{named:?}");
        assert!(!named.iter().any(|n| n.starts_with("total")), "{named:?}");
        assert!(mismatches[0].to_string().contains("the report says"));
    }

    #[test]
    fn the_booked_visits_are_checked_too() {
        let mut total = report_row("total", 3, Some(2.334), Some(4.0));
        total.appointments = 2;
        total.appointments_missed = 1;
        total.appointment_delay_avg_s = Some(Seconds::new(3.0));
        let report = report(
            vec![
                report_row("a", 3, Some(2.334), Some(4.0)),
                report_row("b", 0, None, None),
            ],
            total,
        );
        let mismatches = compare(&report, &summary()).expect_err("they disagree");
        let named: Vec<&str> = mismatches.iter().map(|m| m.field).collect();
        assert_eq!(
            named,
            [
                "appointments",
                "appointments_missed",
                "appointment_delay_avg_s"
            ]
        );
    }
}
