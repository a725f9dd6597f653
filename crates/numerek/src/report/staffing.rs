//! `numerek report --staffing`: the staffing advisor's rows, read as `report` reads the
//! summary (the stopped server's data directory, or `--url` of a running one), printed as a
//! table, CSV or JSON.

use super::{columns, duration, fetch_report, open_offline};
use crate::cli::{ReportArgs, ReportFormat};
use anyhow::Context;
use numerek_api::{Staffing, StaffingQuery, StaffingRow};
use numerek_core::staffing::TargetPct;
use numerek_server::{csv, wire};

/// Runs `numerek report --staffing`.
pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let target_pct = TargetPct::new(args.target_pct).context("--target-pct")?;
    let document = match &args.url {
        Some(url) => fetch_report(args, url, "staffing", |range| StaffingQuery {
            from: range.from().to_string(),
            to: range.to().to_string(),
            target_pct: Some(target_pct.pct()),
            format: None,
        })?,
        None => {
            let (store, range, now) = open_offline(args)?;
            wire::staffing(&store.staffing(range, target_pct, now)?)
        }
    };
    print!("{}", render(&document, args.format));
    Ok(())
}

/// The document as the chosen format.
pub fn render(document: &Staffing, format: ReportFormat) -> String {
    match format {
        ReportFormat::Json => {
            let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
            text.push('\n');
            text
        }
        ReportFormat::Csv => {
            let mut text = csv::header::<StaffingRow>();
            for row in &document.rows {
                text.push_str(&csv::line(row));
            }
            text
        }
        ReportFormat::Table => table(document),
    }
}

/// One line per row; `short` marks the rows staffed below what the model needs.
fn table(document: &Staffing) -> String {
    let headers = [
        "category",
        "day",
        "hour",
        "days",
        "arrivals/h",
        "service avg",
        "staffed",
        "needed",
        "predicted in target",
        "",
    ];
    let lines: Vec<Vec<String>> = document
        .rows
        .iter()
        .map(|row| {
            let short = row
                .counters_staffed_avg
                .is_some_and(|staffed| staffed < f64::from(row.counters_needed));
            vec![
                row.category.clone(),
                row.weekday.as_str().to_owned(),
                format!("{:02}:00", row.hour),
                row.days.to_string(),
                format!("{:.2}", row.arrivals_per_h),
                duration(row.service_avg_s),
                row.counters_staffed_avg
                    .map_or("–".to_owned(), |c| format!("{c:.2}")),
                row.counters_needed.to_string(),
                row.predicted_within_target_pct
                    .map_or("–".to_owned(), |pct| format!("{pct:.1}%")),
                if short { "short" } else { "" }.to_owned(),
            ]
        })
        .collect();
    let mut out = format!(
        "Staffing {} – {}, {}% of waits within target\n",
        document.from, document.to, document.target_pct
    );
    if lines.is_empty() {
        out.push_str("No arrivals in this range.\n");
    } else {
        out.push_str(&columns(&headers, &lines, false));
    }
    out
}
