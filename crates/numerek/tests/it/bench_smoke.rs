//! `numerek bench --quick`: the benchmark runs end to end in a few seconds, so it never rots.
//! Its figures are not checked (a test never asserts timings); only that every section ran,
//! nothing failed and no feed client missed an event.

use crate::support;

use std::process::Command;

#[test]
fn the_benchmark_runs_end_to_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("bench.json");
    let output = Command::new(support::binary())
        .args(["bench", "--quick", "--json"])
        .arg(&json)
        .env_remove("NUMEREK_CONFIG")
        .env_remove("NUMEREK_DATA_DIR")
        .env_remove("NUMEREK_LISTEN")
        .output()
        .expect("run numerek bench");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let figures: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("the JSON figures"))
            .expect("valid JSON");
    let results = &figures["results"];
    for section in [
        "fsync_baseline",
        "trivial_route",
        "issuing",
        "call_to_screen",
        "idle_sockets",
        "history_startup",
        "history_summary",
    ] {
        assert!(results[section].is_object(), "{section} in {figures}");
    }
    assert!(results["issuing"]["tickets"].as_u64() > Some(0));
    assert_eq!(results["call_to_screen"]["missed_events"], 0);
    assert_eq!(results["call_to_screen"]["gaps"], 0);
    assert_eq!(results["history_summary"]["tickets"], 5000);
    assert!(results["idle_sockets"]["rss_bytes"].as_u64() > Some(0));
}
