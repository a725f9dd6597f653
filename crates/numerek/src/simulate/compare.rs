//! Does the manager's report tell what happened? The summary report of the simulated day,
//! grouped by category, against what the simulator itself saw: the counts exactly, the mean and
//! longest wait within the report's rounding.

use super::observe::{Row, Summary};
use serde_json::Value;
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
pub fn compare(report: &Value, seen: &Summary) -> Result<(), Vec<Mismatch>> {
    let rows = report["rows"].as_array().map_or(&[][..], Vec::as_slice);
    let mut mismatches = Vec::new();
    for row in &seen.rows {
        let reported = rows.iter().find(|r| r["key"] == row.key.as_str());
        compare_row(reported.unwrap_or(&Value::Null), row, &mut mismatches);
    }
    for reported in rows {
        let key = reported["key"].as_str().unwrap_or("");
        if !seen.rows.iter().any(|row| row.key == key) {
            compare_row(
                reported,
                &Row {
                    key: key.to_owned(),
                    ..Row::default()
                },
                &mut mismatches,
            );
        }
    }
    compare_row(&report["total"], &seen.total, &mut mismatches);
    if mismatches.is_empty() {
        Ok(())
    } else {
        Err(mismatches)
    }
}

fn compare_row(reported: &Value, seen: &Row, out: &mut Vec<Mismatch>) {
    let mut mismatch = |field: &'static str, report: &Value, saw: String| {
        out.push(Mismatch {
            key: seen.key.clone(),
            field,
            report: report.to_string(),
            seen: saw,
        });
    };
    let counts: [(&'static str, u64); 5] = [
        ("issued", seen.issued),
        ("called", seen.called),
        ("served", seen.served),
        ("no_show", seen.no_show),
        // The simulator never cancels.
        ("cancelled", 0),
    ];
    for (field, expected) in counts {
        let value = &reported[field];
        if value.as_u64().unwrap_or(0) != expected || !(value.is_u64() || value.is_null()) {
            mismatch(field, value, expected.to_string());
        }
    }
    for (field, expected) in [
        ("wait_avg_s", seen.wait_avg_s()),
        ("wait_max_s", seen.wait_max_s()),
    ] {
        let value = &reported[field];
        let agrees = match (value.as_f64(), expected) {
            (Some(report), Some(expected)) => (report - expected).abs() <= WAIT_TOLERANCE_S,
            (None, None) => value.is_null(),
            _ => false,
        };
        if !agrees {
            mismatch(
                field,
                value,
                expected.map_or_else(|| "nothing".to_owned(), |s| format!("{s:.3}")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        }
    }

    fn report_row(key: &str, issued: u64, wait_avg: Value, wait_max: Value) -> Value {
        json!({"key": key, "issued": issued, "called": issued, "served": issued.min(2),
               "no_show": issued.min(1), "cancelled": 0, "wait_avg_s": wait_avg,
               "wait_max_s": wait_max})
    }

    #[test]
    fn a_report_that_tells_what_happened_matches() {
        let report = json!({
            "rows": [report_row("a", 3, json!(2.334), json!(4.0)),
                     report_row("b", 0, Value::Null, Value::Null)],
            "total": report_row("total", 3, json!(2.334), json!(4.0)),
        });
        assert_eq!(compare(&report, &summary()), Ok(()));
    }

    #[test]
    fn every_disagreement_is_named() {
        let report = json!({
            "rows": [report_row("a", 4, json!(2.5), json!(4.0)),
                     report_row("old", 1, json!(1.0), json!(1.0))],
            "total": report_row("total", 3, json!(2.334), json!(4.0)),
        });
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
}
