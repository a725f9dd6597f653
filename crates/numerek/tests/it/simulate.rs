//! `numerek simulate` end to end: the real binary starts a server of its own with a fast clock,
//! drives a short simulated day over HTTP, and the summary report of that day must match what
//! the simulator saw, ticket for ticket. Nothing here is timed: the counts hold whatever the
//! machine's speed. The simulated clock does run with real time (`--speed` times faster), so a
//! machine slow to start the server starts the day late in simulated time; each run's speed
//! leaves seconds of such delay before it could change what is checked.

use serde_json::Value;
use std::process::Command;

/// Runs `numerek simulate --json` with `args`; answers its JSON document.
fn simulate(args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_numerek"))
        .arg("simulate")
        .arg("--json")
        .args(args)
        .env_remove("NUMEREK_CONFIG")
        .env_remove("NUMEREK_DATA_DIR")
        .env_remove("NUMEREK_LISTEN")
        .env_remove("NUMEREK_TOKEN")
        .output()
        .expect("run numerek simulate");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "numerek simulate failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn count(row: &Value, field: &str) -> u64 {
    row[field]
        .as_u64()
        .unwrap_or_else(|| panic!("{field} in {row}"))
}

#[test]
fn a_simulated_morning_is_reported_as_the_simulator_saw_it() {
    let run = simulate(&[
        "--from", "09:00", "--to", "09:40", "--speed", "600", "--seed", "3", "--load", "1.0",
    ]);
    assert_eq!(run["office"], "um-przyklad", "the built-in example office");
    assert_eq!(
        run["report_matches"], true,
        "{:#}",
        run["report_mismatches"]
    );
    assert_eq!(run["report_mismatches"], Value::Array(Vec::new()));
    let total = &run["total"];
    let issued = count(total, "issued");
    assert!(issued > 20, "a busy morning: {total}");
    // The clerks serve everyone before going home.
    assert_eq!(count(total, "called"), issued, "{total}");
    assert_eq!(
        count(total, "served") + count(total, "no_show"),
        issued,
        "{total}"
    );
    let sum: u64 = run["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|row| count(row, "issued"))
        .sum();
    assert_eq!(sum, issued);
    for figure in [
        "estimate_mae_s",
        "baseline_mae_s",
        "wait_avg_s",
        "service_avg_s",
    ] {
        assert!(
            total[figure].as_f64().is_some_and(|s| s >= 0.0),
            "{figure}: {total}"
        );
    }
}

#[test]
fn a_morning_with_booked_visits_reports_walk_ins_and_appointments_apart() {
    // The example office books ID cards, two to a 15-minute slot.
    let run = simulate(&[
        "--from",
        "09:00",
        "--to",
        "09:40",
        "--speed",
        "600",
        "--seed",
        "5",
        "--load",
        "1.0",
        "--booked-share",
        "0.5",
    ]);
    assert_eq!(
        run["report_matches"], true,
        "{:#}",
        run["report_mismatches"]
    );
    let (total, walk_ins, booked) = (&run["total"], &run["walk_ins"], &run["appointments"]);
    assert!(
        count(booked, "issued") > 0,
        "booked visits checked in: {run:#}"
    );
    assert!(
        count(walk_ins, "issued") > count(booked, "issued"),
        "{run:#}"
    );
    assert_eq!(
        count(walk_ins, "issued") + count(booked, "issued"),
        count(total, "issued")
    );
    assert!(run["appointment_delay_avg_s"].is_number(), "{run:#}");
    assert!(booked["wait_avg_s"].is_number(), "{run:#}");
}

/// One category, one counter, issuing 09:00-09:30 with the cut-off at closing time.
const CUT_OFF_OFFICE: &str = r#"
[office]
id = "cut-off"
name = "Urząd z ostatnim wywołaniem"
timezone = "Europe/Warsaw"
languages = ["pl"]
cutoff_min = 0

[office.hours]
tue = "09:00-09:30"

[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki" }
target_wait_min = 15
expected_service_min = 4

[[counter]]
id = "1"
name = { pl = "Stanowisko 1" }
categories = ["registration"]
"#;

#[test]
fn an_overloaded_office_with_a_cut_off_refuses_the_late_ones_and_reports_the_rest() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = dir.path().join("office.toml");
    std::fs::write(&config, CUT_OFF_OFFICE).expect("write the office");
    // Three times what the counter can serve: the line soon reaches past 09:30. At 120 times
    // real time the half hour of issuing lasts 15 s: the first arrivals come before the line
    // is too long for the cut-off even if starting the server took ten seconds more than it
    // does (at 600 times a busy machine's two seconds would be enough to lose the morning).
    let run = simulate(&[
        "--config",
        config.to_str().expect("a path"),
        "--from",
        "09:00",
        "--to",
        "09:30",
        "--speed",
        "120",
        "--seed",
        "5",
        "--load",
        "3",
    ]);
    assert_eq!(
        run["report_matches"], true,
        "{:#}",
        run["report_mismatches"]
    );
    let total = &run["total"];
    assert!(
        count(total, "refused") > 0,
        "the cut-off refused some: {total}"
    );
    assert!(count(total, "issued") > 0, "{total}");
    assert_eq!(count(total, "called"), count(total, "issued"), "{total}");
}
