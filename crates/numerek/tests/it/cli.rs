//! The command line: `check-config`, `token create|list|revoke`, `report`, and `--help`.

use crate::support;

use std::process::Command;
use support::{Server, binary, write_config};

fn numerek(args: &[&str]) -> std::process::Output {
    Command::new(binary())
        .args(args)
        .env_remove("NUMEREK_CONFIG")
        .env_remove("NUMEREK_DATA_DIR")
        .env_remove("NUMEREK_LISTEN")
        .output()
        .expect("run numerek")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_config_accepts_the_example_office_and_names_the_line_of_an_error() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../config/example-office.toml"
    );
    let ok = numerek(&["check-config", example]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("valid"));

    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.toml");
    let broken = support::ALWAYS_OPEN_OFFICE.replace("prefix = \"B\"", "prefix = \"A\"");
    std::fs::write(&bad, &broken).expect("write");
    let refused = numerek(&["check-config", bad.to_str().expect("path")]);
    assert!(!refused.status.success());
    let message = text(&refused.stderr);
    let duplicate_line = broken
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("prefix = \"A\""))
        .nth(1)
        .map(|(i, _)| i + 1)
        .expect("a second prefix A");
    assert!(message.contains("prefix"), "{message}");
    assert!(
        message.contains(&format!("line {duplicate_line}")),
        "the message names line {duplicate_line}: {message}"
    );
}

#[test]
fn tokens_are_managed_offline_and_refused_while_the_server_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let data = dir.path().join("data");
    let config = config.to_str().expect("path");
    let data = data.to_str().expect("path");

    let created = numerek(&[
        "token",
        "create",
        "--role",
        "clerk",
        "--counter",
        "2",
        "--label",
        "desk two",
        "--config",
        config,
        "--data-dir",
        data,
    ]);
    assert!(created.status.success(), "{}", text(&created.stderr));
    let stdout = text(&created.stdout);
    let secret = stdout
        .lines()
        .last()
        .expect("a last line")
        .trim()
        .to_owned();
    assert!(
        secret.starts_with("nmk_"),
        "the token alone on the last line: {stdout}"
    );

    let listed = numerek(&["token", "list", "--config", config, "--data-dir", data]);
    let listing = text(&listed.stdout);
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), 2, "a header and the token: {listing}");
    assert!(
        lines[0].starts_with("ID ") && lines[0].ends_with("LABEL"),
        "{listing}"
    );
    assert!(
        lines[1].contains("clerk") && lines[1].ends_with("desk two"),
        "{listing}"
    );
    // The label's column is where the header says.
    assert_eq!(
        lines[0].find("LABEL"),
        lines[1].find("desk two"),
        "{listing}"
    );
    assert!(!listing.contains(&secret), "secrets are never listed");

    let unknown_counter = numerek(&[
        "token",
        "create",
        "--role",
        "clerk",
        "--counter",
        "99",
        "--config",
        config,
        "--data-dir",
        data,
    ]);
    assert!(!unknown_counter.status.success());
    assert!(text(&unknown_counter.stderr).contains("99"));
    let bad_role = numerek(&["token", "create", "--role", "root", "--data-dir", data]);
    assert!(!bad_role.status.success());
    assert!(text(&bad_role.stderr).contains("unknown role"));

    // The data dir has a token, so the server prints none; while it runs, the CLI refuses and
    // says what to send to the admin API instead.
    let server = Server::start(
        dir.path().join("office.toml").as_path(),
        dir.path().join("data").as_path(),
    );
    assert!(server.tokens.is_empty());
    let busy = numerek(&[
        "token",
        "create",
        "--role",
        "kiosk",
        "--label",
        "the hall's kiosk",
        "--config",
        config,
        "--data-dir",
        data,
    ]);
    assert!(!busy.status.success());
    let advice = text(&busy.stderr);
    for part in [
        "server is running",
        "admin API",
        "curl -s -H \"Authorization: Bearer $ADMIN_TOKEN\"",
        r#"-d '{"role":"kiosk","label":"the hall'\''s kiosk"}'"#,
        "/api/v1/admin/tokens",
    ] {
        assert!(advice.contains(part), "{part:?} in {advice}");
    }
    let id = lines[1]
        .split_whitespace()
        .next()
        .expect("an id")
        .to_owned();
    let busy = numerek(&["token", "list", "--config", config, "--data-dir", data]);
    assert!(!busy.status.success());
    assert!(
        text(&busy.stderr).contains("/api/v1/admin/tokens"),
        "{}",
        text(&busy.stderr)
    );
    let busy = numerek(&[
        "token",
        "revoke",
        &id,
        "--config",
        config,
        "--data-dir",
        data,
    ]);
    assert!(!busy.status.success());
    assert!(
        text(&busy.stderr).contains(&format!(
            "-X DELETE http://127.0.0.1:8080/api/v1/admin/tokens/{id}"
        )),
        "{}",
        text(&busy.stderr)
    );
    drop(server);

    let revoked = numerek(&[
        "token",
        "revoke",
        &id,
        "--config",
        config,
        "--data-dir",
        data,
    ]);
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    let again = numerek(&[
        "token",
        "revoke",
        &id,
        "--config",
        config,
        "--data-dir",
        data,
    ]);
    assert!(!again.status.success());
}

#[test]
fn help_explains_every_subcommand() {
    let help = text(&numerek(&["--help"]).stdout);
    for word in ["serve", "token", "check-config", "report"] {
        assert!(help.contains(word), "{help}");
    }
    let serve = text(&numerek(&["serve", "--help"]).stdout);
    for flag in [
        "--config",
        "--data-dir",
        "--listen",
        "NUMEREK_CONFIG",
        "NUMEREK_DATA_DIR",
        "NUMEREK_LISTEN",
    ] {
        assert!(serve.contains(flag), "{serve}");
    }
    // simulate says that it runs a server of its own, and what --url changes.
    // (The help is wrapped to the terminal's width: compared word by word.)
    let simulate = text(&numerek(&["simulate", "--help"]).stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for part in [
        "It runs a server of its own",
        "temporary data directory",
        "--url (with --token, an admin token) drives the server running at that address",
        "--date and --speed do not apply",
    ] {
        assert!(simulate.contains(part), "{part:?} in {simulate}");
    }
}

/// `numerek report` prints the API's summary: asking the running server with `--url`, and
/// reading the data directory once it is stopped, with the same figures either way, the
/// satisfaction columns included.
#[test]
fn report_asks_the_running_server_or_reads_the_stopped_office() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let data = dir.path().join("data");
    let server = Server::start(&config, &data);
    let manager = server.tokens["manager"].clone();
    let kiosk = server.tokens["kiosk"].clone();
    let base = server.base.clone();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let client = support::Client::new(&base);
    let today = runtime.block_on(async {
        for category in ["registration", "registration", "tax"] {
            let (status, _) = client
                .post(
                    "/api/v1/tickets",
                    &kiosk,
                    serde_json::json!({"category": category}),
                )
                .await;
            assert_eq!(status, 201);
        }
        let (status, called) = client
            .post(
                "/api/v1/counters/1/call-next",
                &manager,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = client
            .post("/api/v1/counters/1/finish", &manager, serde_json::json!({}))
            .await;
        assert_eq!(status, 200);
        // Its holder rates the visit on the phone (the route is public: the token is ignored).
        let id = called["ticket"]["id"].as_str().expect("the called ticket");
        let (status, _) = client
            .post(
                &format!("/api/v1/tickets/{id}/feedback"),
                &kiosk,
                serde_json::json!({"score": 4}),
            )
            .await;
        assert_eq!(status, 200);
        let (_, status_body) = client.get("/api/v1/status").await;
        status_body["office_date"]
            .as_str()
            .expect("office date")
            .to_owned()
    });
    let config = config.to_str().expect("path");
    let data = data.to_str().expect("path");

    let online = numerek(&[
        "report", "--url", &base, "--token", &manager, "--format", "csv", "--from", &today,
    ]);
    assert!(online.status.success(), "{}", text(&online.stderr));
    let csv = text(&online.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "key,issued,called,served,no_show,cancelled,wait_avg_s,wait_p50_s,wait_p90_s,\
         wait_max_s,service_avg_s,within_target_pct,appointments,appointments_missed,\
         appointment_delay_avg_s,feedback_count,satisfaction_avg",
        "{csv}"
    );
    assert!(lines[1].starts_with("registration,2,1,1,0,0,"), "{csv}");
    assert!(lines[1].ends_with(",1,4.0"), "one rating of 4: {csv}");
    assert!(lines[2].starts_with("tax,1,0,0,0,0,"), "{csv}");
    assert!(lines[2].ends_with(",0,"), "nobody rated: {csv}");
    let total = lines.last().expect("total");
    assert!(total.starts_with("total,3,1,1,"), "{csv}");
    assert!(total.ends_with(",1,4.0"), "{csv}");

    // While the server runs, the data directory is its alone.
    let busy = numerek(&["report", "--config", config, "--data-dir", data]);
    assert!(!busy.status.success());
    assert!(
        text(&busy.stderr).contains("--url"),
        "{}",
        text(&busy.stderr)
    );
    let refused = numerek(&["report", "--url", &base, "--token", &kiosk]);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("403"),
        "{}",
        text(&refused.stderr)
    );

    drop(server);
    let offline = numerek(&[
        "report",
        "--config",
        config,
        "--data-dir",
        data,
        "--format",
        "csv",
        "--from",
        &today,
        "--to",
        &today,
    ]);
    assert!(offline.status.success(), "{}", text(&offline.stderr));
    assert_eq!(
        text(&offline.stdout),
        csv,
        "the same figures from the stopped office"
    );

    let table = numerek(&[
        "report",
        "--config",
        config,
        "--data-dir",
        data,
        "--from",
        &today,
        "--group-by",
        "counter",
    ]);
    assert!(table.status.success(), "{}", text(&table.stderr));
    let table = text(&table.stdout);
    assert!(
        table.contains("counter") && table.contains("in target"),
        "{table}"
    );
    let header = table.lines().nth(1).expect("the header");
    assert!(header.ends_with("rated  satisfaction"), "{table}");
    let total = table
        .lines()
        .find(|l| l.starts_with("total "))
        .expect("the total");
    assert!(total.ends_with(" 1          4.00"), "{table}");

    let bad = numerek(&[
        "report",
        "--config",
        config,
        "--data-dir",
        data,
        "--from",
        "2026-13-01",
    ]);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("YYYY-MM-DD"),
        "{}",
        text(&bad.stderr)
    );
}

/// `numerek report --staffing` prints the staffing advisor's rows, asking the running server
/// or reading the stopped office's data directory, with the same figures either way.
#[test]
fn report_staffing_prints_the_advisors_rows_online_and_offline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let data = dir.path().join("data");
    let server = Server::start(&config, &data);
    let manager = server.tokens["manager"].clone();
    let kiosk = server.tokens["kiosk"].clone();
    let base = server.base.clone();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let client = support::Client::new(&base);
    let today = runtime.block_on(async {
        for category in ["registration", "registration"] {
            let (status, _) = client
                .post(
                    "/api/v1/tickets",
                    &kiosk,
                    serde_json::json!({"category": category}),
                )
                .await;
            assert_eq!(status, 201);
        }
        for action in ["call-next", "finish", "close"] {
            let (status, _) = client
                .post(
                    &format!("/api/v1/counters/1/{action}"),
                    &manager,
                    serde_json::json!({}),
                )
                .await;
            assert_eq!(status, 200, "{action}");
        }
        let (_, status_body) = client.get("/api/v1/status").await;
        status_body["office_date"]
            .as_str()
            .expect("office date")
            .to_owned()
    });
    let config = config.to_str().expect("path");
    let data = data.to_str().expect("path");
    let online = numerek(&[
        "report",
        "--staffing",
        "--url",
        &base,
        "--token",
        &manager,
        "--format",
        "csv",
        "--from",
        &today,
    ]);
    assert!(online.status.success(), "{}", text(&online.stderr));
    let csv = text(&online.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "category,weekday,hour,days,arrivals_per_h,service_avg_s,counters_staffed_avg,\
         counters_needed,predicted_within_target_pct",
        "{csv}"
    );
    assert_eq!(lines.len(), 2, "one category at one hour: {csv}");
    let fields: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(fields[0], "registration", "{csv}");
    assert_eq!(fields[3], "1", "{csv}");
    assert_eq!(fields[4], "2.0", "two arrivals: {csv}");
    assert_eq!(fields[7], "1", "one counter is enough: {csv}");
    drop(server);

    let offline = numerek(&[
        "report",
        "--staffing",
        "--config",
        config,
        "--data-dir",
        data,
        "--format",
        "csv",
        "--from",
        &today,
    ]);
    assert!(offline.status.success(), "{}", text(&offline.stderr));
    assert_eq!(
        text(&offline.stdout),
        csv,
        "the same figures from the stopped office"
    );

    let table = numerek(&[
        "report",
        "--staffing",
        "--config",
        config,
        "--data-dir",
        data,
        "--from",
        &today,
    ]);
    assert!(table.status.success(), "{}", text(&table.stderr));
    let table = text(&table.stdout);
    assert!(table.starts_with("Staffing "), "{table}");
    assert!(
        table.contains("needed") && table.contains("registration"),
        "{table}"
    );

    let bad = numerek(&[
        "report",
        "--staffing",
        "--config",
        config,
        "--data-dir",
        data,
        "--target-pct",
        "100",
    ]);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("target"),
        "{}",
        text(&bad.stderr)
    );
}

/// A stop right after "ready" (a service manager stopping a server it just started) is a clean
/// shutdown: the signal handlers are in place before the server says it is ready.
#[test]
fn sigterm_right_after_ready_stops_the_server_cleanly() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = write_config(dir.path());
        let server = Server::start(&config, &dir.path().join("data"));
        let status = server.terminate();
        assert!(status.success(), "SIGTERM right after ready: {status}");
    }
}
