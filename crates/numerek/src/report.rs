//! `numerek report`: the summary report on stdout, as a table, CSV or JSON.
//!
//! It reads the data directory directly while the server is stopped, or asks a running server
//! (`--url` and a manager token), which holds the database open. Both paths produce the API's
//! JSON document first (`numerek_server::wire::summary`), so the CSV and table are the same
//! whichever way the figures came.

use crate::cli::{ReportArgs, ReportFormat};
use crate::office;
use anyhow::{Context, bail};
use jiff::Timestamp;
use numerek_core::day::office_date;
use numerek_core::report::{DayRange, GroupBy};
use numerek_server::{csv, wire};
use numerek_store::{OfflineError, OfflineStore};
use serde_json::Value;

/// Runs `numerek report`.
pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
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

fn read_offline(args: &ReportArgs) -> anyhow::Result<Value> {
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
    let summary = store.summary(range, args.group_by.into())?;
    Ok(wire::summary(&summary))
}

fn fetch(args: &ReportArgs, url: &str) -> anyhow::Result<Value> {
    let token = args
        .token
        .as_deref()
        .context("--url needs --token (a manager or admin token), or NUMEREK_TOKEN")?;
    let group_by = GroupBy::from(args.group_by);
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
                let status: Value = client
                    .get(format!("{base}/api/v1/status"))
                    .send()
                    .await
                    .with_context(|| format!("cannot reach {base}"))?
                    .json()
                    .await?;
                status["office_date"]
                    .as_str()
                    .context("the server's status names no office day")?
                    .to_owned()
            }
        };
        let range = range(args, || today)?;
        let query = [
            ("from", range.from().to_string()),
            ("to", range.to().to_string()),
            ("group_by", group_by.as_str().to_owned()),
        ];
        let response = client
            .get(format!("{base}/api/v1/reports/summary"))
            .bearer_auth(token)
            .query(&query)
            .send()
            .await
            .with_context(|| format!("cannot reach {base}"))?;
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .with_context(|| format!("{base} did not answer JSON ({status})"))?;
        if !status.is_success() {
            bail!(
                "the server refused ({status}): {}",
                body["error"]["message"]
                    .as_str()
                    .unwrap_or("no reason given")
            );
        }
        Ok(body)
    })
}

/// The document as the chosen format.
pub fn render(document: &Value, format: ReportFormat) -> String {
    match format {
        ReportFormat::Json => {
            let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
            text.push('\n');
            text
        }
        ReportFormat::Csv => {
            let fields = &wire::REPORT_ROW_FIELDS;
            let mut text = csv::header(fields);
            for row in rows_and_total(document) {
                text.push_str(&csv::line(fields, row));
            }
            text
        }
        ReportFormat::Table => table(document),
    }
}

fn rows_and_total(document: &Value) -> impl Iterator<Item = &Value> {
    document["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(std::iter::once(&document["total"]))
}

/// Seconds as `m:ss` (or `h:mm:ss`), `–` for none.
fn duration(value: &Value) -> String {
    let Some(seconds) = value.as_f64() else {
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

fn table(document: &Value) -> String {
    let headers = [
        document["group_by"].as_str().unwrap_or("key"),
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
    ];
    let mut lines: Vec<Vec<String>> = vec![headers.iter().map(|h| (*h).to_owned()).collect()];
    for row in rows_and_total(document) {
        let key = match &row["key"] {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let count = |name: &str| row[name].as_u64().unwrap_or(0).to_string();
        lines.push(vec![
            key,
            count("issued"),
            count("called"),
            count("served"),
            count("no_show"),
            count("cancelled"),
            duration(&row["wait_avg_s"]),
            duration(&row["wait_p50_s"]),
            duration(&row["wait_p90_s"]),
            duration(&row["wait_max_s"]),
            duration(&row["service_avg_s"]),
            row["within_target_pct"]
                .as_f64()
                .map_or("–".to_owned(), |pct| format!("{pct:.1}%")),
        ]);
    }
    let widths: Vec<usize> = (0..headers.len())
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = format!(
        "Summary {} – {}, by {}\n",
        document["from"].as_str().unwrap_or(""),
        document["to"].as_str().unwrap_or(""),
        document["group_by"].as_str().unwrap_or("")
    );
    let total_line = lines.len() - 1;
    for (n, line) in lines.iter().enumerate() {
        if n == total_line {
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

fn rule(widths: &[usize]) -> String {
    let total = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
    format!("{}\n", "-".repeat(total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_read_as_clock_times() {
        assert_eq!(duration(&json!(0.4)), "0:00");
        assert_eq!(duration(&json!(59.6)), "1:00");
        assert_eq!(duration(&json!(1740.0)), "29:00");
        assert_eq!(duration(&json!(3725)), "1:02:05");
        assert_eq!(duration(&Value::Null), "–");
    }
}
