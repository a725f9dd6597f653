//! The figures of a run: a table for people, or one JSON document for programs.

use super::observe::Row;
use super::{Outcome, SimulateArgs, Window};
use numerek_core::OfficeConfig;
use serde_json::{Value, json};

/// Minutes since midnight as `HH:MM`.
pub fn clock(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Seconds as `m:ss` (or `h:mm:ss`), `-` when there is nothing.
fn duration(seconds: Option<f64>) -> String {
    let Some(seconds) = seconds else {
        return "-".to_owned();
    };
    let sign = if seconds < 0.0 { "-" } else { "" };
    let total = seconds.abs().round() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{sign}{h}:{m:02}:{s:02}")
    } else {
        format!("{sign}{m}:{s:02}")
    }
}

/// A share as a whole percentage, `-` when there is nothing.
fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_owned(), |s| format!("{:.0} %", s * 100.0))
}

fn what(args: &SimulateArgs, config: &OfficeConfig, window: &Window) -> String {
    let office = &config.office.name;
    let span = format!(
        "{} {}, arrivals {}-{}",
        window.date.strftime("%A"),
        window.date,
        clock(window.from),
        clock(window.to)
    );
    match &args.url {
        None if args.in_process => format!(
            "{office}, {span}, in process (virtual time), seed {}",
            args.seed
        ),
        None => format!(
            "{office}, {span}, {}x real time, seed {}",
            window.speed, args.seed
        ),
        Some(url) => format!(
            "{office} at {url}, {span}, in real time, seed {}",
            args.seed
        ),
    }
}

/// Prints the figures as a table.
pub fn table(args: &SimulateArgs, config: &OfficeConfig, window: &Window, outcome: &Outcome) {
    let total = &outcome.summary.total;
    println!("numerek simulate: {}", what(args, config, window));
    println!(
        "{} counters staffed; {} tickets issued, {} refused; {} called: {} served, {} no-shows",
        outcome.counters, total.issued, total.refused, total.called, total.served, total.no_show
    );
    println!();
    println!("times in min:s; wait = first call - issue; MAE = mean absolute error of the wait");
    println!("estimated at issue against the realised wait (naive: people ahead x mean service");
    println!("time seen so far / staffed counters of the category); in range = share of realised");
    println!("waits within the range given at issue (meant to hold 80 %)");
    println!();
    println!(
        "{:<16} {:>6} {:>7} {:>6} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>8}",
        "category",
        "issued",
        "refused",
        "served",
        "no-show",
        "wait avg",
        "p50",
        "p90",
        "max",
        "service",
        "MAE",
        "naive MAE",
        "in range"
    );
    for row in outcome.summary.rows.iter().chain([total]) {
        println!(
            "{:<16} {:>6} {:>7} {:>6} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>8}",
            row.key,
            row.issued,
            row.refused,
            row.served,
            row.no_show,
            duration(row.wait_avg_s()),
            duration(row.wait_pct_s(50)),
            duration(row.wait_pct_s(90)),
            duration(row.wait_max_s()),
            duration(row.service_avg_s()),
            duration(row.estimate_mae_s()),
            duration(row.baseline_mae_s()),
            percent(row.range_shares().map(|[within, _, _]| within)),
        );
    }
    if args.booked_share > 0.0 || outcome.summary.booked.issued > 0 {
        let summary = &outcome.summary;
        println!();
        println!(
            "walk-ins and booked visits apart (a booked visit waits from its check-in; its delay \
             is first call - slot start)"
        );
        println!(
            "{:<16} {:>6} {:>6} {:>8} {:>8} {:>8} {:>9}",
            "visits", "issued", "served", "wait avg", "p90", "max", "MAE"
        );
        for row in [&summary.walk_ins, &summary.booked] {
            println!(
                "{:<16} {:>6} {:>6} {:>8} {:>8} {:>8} {:>9}",
                row.key,
                row.issued,
                row.served,
                duration(row.wait_avg_s()),
                duration(row.wait_pct_s(90)),
                duration(row.wait_max_s()),
                duration(row.estimate_mae_s()),
            );
        }
        println!(
            "booked visits called after their slot's start: mean {}, p50 {}, p90 {}",
            duration(summary.delay_avg_s()),
            duration(summary.delay_pct_s(50)),
            duration(summary.delay_pct_s(90)),
        );
    }
    println!();
    println!(
        "wait estimate at issue, mean absolute error: numerek {} (mean error {}), naive {} (mean \
         error {})",
        duration(total.estimate_mae_s()),
        duration(total.estimate_bias_s()),
        duration(total.baseline_mae_s()),
        duration(total.baseline_bias_s()),
    );
    if let Some([within, below, above]) = total.range_shares() {
        println!(
            "wait range at issue: {} of the realised waits within it, {} shorter, {} longer",
            percent(Some(within)),
            percent(Some(below)),
            percent(Some(above)),
        );
    }
    match &outcome.report {
        Ok(()) => println!(
            "report: the summary report matches what the simulator saw (issued, called, served, \
             no-shows, mean and longest wait of every category)"
        ),
        Err(mismatches) => {
            println!("report: the summary report does NOT match what the simulator saw:");
            for mismatch in mismatches {
                println!("  {mismatch}");
            }
        }
    }
}

/// The figures as one JSON document.
pub fn json(
    args: &SimulateArgs,
    config: &OfficeConfig,
    window: &Window,
    outcome: &Outcome,
) -> Value {
    json!({
        "office": config.office.id,
        "date": window.date.to_string(),
        "from": clock(window.from),
        "to": clock(window.to),
        "speed": if args.in_process { None } else { Some(window.speed) },
        "in_process": args.in_process,
        "seed": args.seed,
        "counters": outcome.counters,
        "categories": outcome.summary.rows.iter().map(Row::to_json).collect::<Vec<_>>(),
        "total": outcome.summary.total.to_json(),
        "booked_share": args.booked_share,
        "walk_ins": outcome.summary.walk_ins.to_json(),
        "appointments": outcome.summary.booked.to_json(),
        "appointment_delay_avg_s": outcome.summary.delay_avg_s(),
        "appointment_delay_p90_s": outcome.summary.delay_pct_s(90),
        "checkins_refused": outcome.summary.checkins_refused,
        "report_matches": outcome.report.is_ok(),
        "report_mismatches": outcome
            .report
            .as_ref()
            .err()
            .map(|m| m.iter().map(ToString::to_string).collect::<Vec<_>>())
            .unwrap_or_default(),
    })
}
