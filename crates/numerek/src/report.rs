//! `numerek report`: the summary report (or, with `--staffing`, the staffing advisor's rows:
//! `report/staffing.rs`) on stdout, as a table, CSV or JSON.
//!
//! It reads the data directory directly while the server is stopped, or asks a running server
//! (`--url` and a manager token), which holds the database open. Both paths produce the API's
//! summary document first (`numerek_api::Summary`: built by `numerek_server::wire::summary`, or
//! read from the server's answer), so the CSV and table are the same whichever way the figures
//! came.

use crate::cli::{ReportArgs, ReportFormat};
use crate::office;
use anyhow::{Context, bail};
use jiff::Timestamp;
use numerek_api::{ErrorBody, Row, RowKey, Status, Summary, SummaryQuery};
use numerek_core::day::office_date;
use numerek_core::report::DayRange;
use numerek_server::{csv, wire};
use numerek_store::{OfflineError, OfflineStore};

mod staffing;

/// Runs `numerek report`.
pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    if args.staffing {
        return staffing::run(args);
    }
    let document = match &args.url {
        Some(url) => fetch(args, url)?,
        None => read_offline(args)?,
    };
    print!("{}", render(&document, args.format));
    Ok(())
}

/// The range asked for: `--from` (default `today`, the office day) to `--to` (default `--from`).
fn range(args: &ReportArgs, today: impl FnOnce() -> String) -> anyhow::Result<DayRange> {
    let from = args.from.clone().unwrap_or_else(today);
    let to = args.to.clone().unwrap_or_else(|| from.clone());
    Ok(DayRange::parse(Some(&from), Some(&to))?)
}

fn read_offline(args: &ReportArgs) -> anyhow::Result<Summary> {
    let (store, range, _) = open_offline(args)?;
    let summary = store.summary(range, args.group_by.into())?;
    Ok(wire::summary(&summary))
}

/// The stopped server's data directory, the range asked for and now.
fn open_offline(args: &ReportArgs) -> anyhow::Result<(OfflineStore, DayRange, Timestamp)> {
    let config = office::load(args.office.config.as_deref())?;
    let now = Timestamp::now();
    let today = office_date(&config.office.tz, now);
    let range = range(args, || today.to_string())?;
    let store = match OfflineStore::open(&args.office.data_dir, config, now) {
        Ok(store) => store,
        Err(OfflineError::ServerRunning(_)) => bail!(
            "the server is running on {}; ask it instead: numerek report --url \
             http://127.0.0.1:8080 --token <manager token> …",
            args.office.data_dir.display()
        ),
        Err(error) => {
            return Err(error).with_context(|| {
                format!(
                    "cannot open the data directory {}",
                    args.office.data_dir.display()
                )
            });
        }
    };
    Ok((store, range, now))
}

fn fetch(args: &ReportArgs, url: &str) -> anyhow::Result<Summary> {
    fetch_report(args, url, "summary", |range| SummaryQuery {
        from: range.from().to_string(),
        to: range.to().to_string(),
        group_by: args.group_by.into(),
        format: None,
    })
}

/// Asks a running server for the report at `/api/v1/reports/{report}` with the query `query`
/// makes of the range, and reads its JSON answer.
fn fetch_report<Q: serde::Serialize, T: serde::de::DeserializeOwned>(
    args: &ReportArgs,
    url: &str,
    report: &str,
    query: impl FnOnce(DayRange) -> Q,
) -> anyhow::Result<T> {
    let token = args
        .token
        .as_deref()
        .context("--url needs --token (a manager or admin token), or NUMEREK_TOKEN")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let base = url.trim_end_matches('/');
        // "Today" is the server's office day, asked for only when needed.
        let today = match &args.from {
            Some(_) => String::new(),
            None => {
                let status: Status = client
                    .get(format!("{base}/api/v1/status"))
                    .send()
                    .await
                    .with_context(|| format!("cannot reach {base}"))?
                    .json()
                    .await
                    .context("the server's status cannot be read")?;
                status.office_date.to_string()
            }
        };
        let range = range(args, || today)?;
        let response = client
            .get(format!("{base}/api/v1/reports/{report}"))
            .bearer_auth(token)
            .query(&query(range))
            .send()
            .await
            .with_context(|| format!("cannot reach {base}"))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .with_context(|| format!("{base} did not answer ({status})"))?;
        if !status.is_success() {
            let reason = serde_json::from_slice::<ErrorBody>(&body)
                .map_or_else(|_| "no reason given".to_owned(), |e| e.error.message);
            bail!("the server refused ({status}): {reason}");
        }
        serde_json::from_slice(&body)
            .with_context(|| format!("{base} did not answer a {report} report ({status})"))
    })
}

/// The document as the chosen format.
pub fn render(document: &Summary, format: ReportFormat) -> String {
    match format {
        ReportFormat::Json => {
            let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
            text.push('\n');
            text
        }
        ReportFormat::Csv => {
            let mut text = csv::header::<Row>();
            for row in rows_and_total(document) {
                text.push_str(&csv::line(row));
            }
            text
        }
        ReportFormat::Table => table(document),
    }
}

fn rows_and_total(document: &Summary) -> impl Iterator<Item = &Row> {
    document.rows.iter().chain(std::iter::once(&document.total))
}

/// A table: a header line, a rule, the lines (cells padded to their column, the first to the
/// left and the others to the right), and a rule before the last line if `total_last`.
fn columns(headers: &[&str], lines: &[Vec<String>], total_last: bool) -> String {
    let mut all: Vec<Vec<String>> = vec![headers.iter().map(|h| (*h).to_owned()).collect()];
    all.extend(lines.iter().cloned());
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| all.iter().map(|l| l[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    let total_line = all.len() - 1;
    for (n, line) in all.iter().enumerate() {
        if total_last && n == total_line && n > 0 {
            out.push_str(&rule(&widths));
        }
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, width))| {
                let pad = width - cell.chars().count();
                if i == 0 {
                    format!("{cell}{}", " ".repeat(pad))
                } else {
                    format!("{}{cell}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if n == 0 {
            out.push_str(&rule(&widths));
        }
    }
    out
}

/// Seconds as `m:ss` (or `h:mm:ss`), `–` for none.
fn duration(seconds: Option<f64>) -> String {
    let Some(seconds) = seconds else {
        return "–".to_owned();
    };
    let whole = seconds.round() as u64;
    let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

fn table(document: &Summary) -> String {
    let group_by = wire::group_by(document.group_by).as_str();
    let headers = [
        group_by,
        "issued",
        "called",
        "served",
        "no-show",
        "cancelled",
        "wait avg",
        "p50",
        "p90",
        "max",
        "service avg",
        "in target",
        "appts",
        "missed",
        "appt delay",
        "rated",
        "satisfaction",
    ];
    let mut lines: Vec<Vec<String>> = Vec::new();
    for row in rows_and_total(document) {
        let seconds = |value: Option<numerek_api::Seconds>| duration(value.map(|s| s.get()));
        lines.push(vec![
            match &row.key {
                RowKey::Name(name) => name.clone(),
                hour @ RowKey::Hour(_) => hour.to_string(),
            },
            row.issued.to_string(),
            row.called.to_string(),
            row.served.to_string(),
            row.no_show.to_string(),
            row.cancelled.to_string(),
            seconds(row.wait_avg_s),
            seconds(row.wait_p50_s),
            seconds(row.wait_p90_s),
            seconds(row.wait_max_s),
            seconds(row.service_avg_s),
            row.within_target_pct
                .map_or("–".to_owned(), |pct| format!("{pct:.1}%")),
            row.appointments.to_string(),
            row.appointments_missed.to_string(),
            signed_duration(row.appointment_delay_avg_s.map(|s| s.get())),
            row.feedback_count.to_string(),
            row.satisfaction_avg
                .map_or("–".to_owned(), |avg| format!("{avg:.2}")),
        ]);
    }
    format!(
        "Summary {} – {}, by {group_by}\n{}",
        document.from,
        document.to,
        columns(&headers, &lines, true)
    )
}

/// A duration that may be negative (an appointment called before its slot), as a clock time
/// with its sign.
fn signed_duration(seconds: Option<f64>) -> String {
    match seconds {
        Some(s) if s < -0.5 => format!("-{}", duration(Some(-s))),
        other => duration(other),
    }
}

fn rule(widths: &[usize]) -> String {
    let total = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
    format!("{}\n", "-".repeat(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_clock_times() {
        assert_eq!(duration(Some(0.4)), "0:00");
        assert_eq!(duration(Some(59.6)), "1:00");
        assert_eq!(duration(Some(1740.0)), "29:00");
        assert_eq!(duration(Some(3725.0)), "1:02:05");
        assert_eq!(duration(None), "–");
        assert_eq!(signed_duration(Some(-90.0)), "-1:30");
        assert_eq!(signed_duration(Some(-0.2)), "0:00");
        assert_eq!(signed_duration(Some(125.0)), "2:05");
    }
}
