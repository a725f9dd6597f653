//! Backup and restore with the real binary: `numerek backup --url` while clients issue tickets,
//! the copy restored into a new data directory and started (every ticket acknowledged before the
//! backup is there, numbering is whole, the old tokens work); `numerek backup --data-dir` refused
//! while the server runs and working once it is stopped; a copy written by an older numerek
//! (schema version 1) migrated when the restored server starts.

use crate::support;

use numerek_store::DATABASE_FILE;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Client, Server, binary, write_config};

/// Runs `numerek backup …`.
fn numerek_backup(args: &[&str]) -> Output {
    Command::new(binary())
        .arg("backup")
        .args(args)
        .env_remove("NUMEREK_TOKEN")
        .env_remove("NUMEREK_DATA_DIR")
        .output()
        .expect("run numerek backup")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Puts a backup in place as the database of a new data directory.
fn restore_into(backup: &Path, data_dir: &Path) {
    std::fs::create_dir_all(data_dir).unwrap();
    std::fs::copy(backup, data_dir.join(DATABASE_FILE)).expect("copy the backup in place");
}

/// Today's tickets of a running server, by the ticket listing (manager token).
async fn listing(client: &Client, base: &str, manager: &str) -> Vec<Value> {
    let (_, status) = client.get("/api/v1/status").await;
    let day = status["office_date"]
        .as_str()
        .expect("office_date")
        .to_owned();
    let response = reqwest::Client::new()
        .get(format!("{base}/api/v1/reports/tickets?from={day}&to={day}"))
        .bearer_auth(manager)
        .send()
        .await
        .expect("the listing");
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("JSON");
    body["tickets"].as_array().expect("tickets").clone()
}

/// Asserts that the numbers of `tickets` are 1..=n per prefix.
#[track_caller]
fn assert_whole_numbering(tickets: &[Value]) {
    let mut numbers: BTreeMap<char, Vec<u32>> = BTreeMap::new();
    for ticket in tickets {
        let number = ticket["number"].as_str().expect("number");
        numbers
            .entry(number.chars().next().expect("prefix"))
            .or_default()
            .push(number[1..].parse().expect("digits"));
    }
    for (prefix, mut list) in numbers {
        list.sort_unstable();
        let expected: Vec<u32> = (1..=list.len() as u32).collect();
        assert_eq!(list, expected, "numbers {prefix}… are whole");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_issuing_restores_every_ticket_acknowledged_before_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let live = dir.path().join("live");
    let backup_file = dir.path().join("backups").join("numerek.redb");
    std::fs::create_dir_all(backup_file.parent().unwrap()).unwrap();

    let server = Server::start(&config, &live);
    let tokens = server.tokens.clone();
    let base = server.base.clone();

    // Two kiosks issue without pause; every 201 is recorded as it arrives.
    let acknowledged: Arc<Mutex<Vec<Value>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let issuers: Vec<_> = ["registration", "tax"]
        .into_iter()
        .map(|category| {
            let client = Client::new(&base);
            let token = tokens["kiosk"].clone();
            let acknowledged = acknowledged.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    let (status, ticket) = client
                        .post("/api/v1/tickets", &token, json!({ "category": category }))
                        .await;
                    assert_eq!(status, 201, "{ticket}");
                    acknowledged.lock().unwrap().push(ticket);
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 40 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let before = acknowledged.lock().unwrap().clone();
    let out = backup_file.to_str().unwrap().to_owned();
    let admin = tokens["admin"].clone();
    let url = base.clone();
    let made = tokio::task::spawn_blocking(move || {
        numerek_backup(&["--url", &url, "--token", &admin, "--out", &out])
    })
    .await
    .unwrap();
    stop.store(true, Ordering::SeqCst);
    for issuer in issuers {
        issuer.await.expect("issuing never fails");
    }
    // Every ticket committed was acknowledged in the end (the issuers wait for each answer).
    let all = acknowledged.lock().unwrap().clone();
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(
        text(&made.stdout).starts_with("numerek: backed up to "),
        "{}",
        text(&made.stdout)
    );
    assert!(backup_file.is_file());
    assert!(
        !backup_file.with_extension("redb.partial").exists(),
        "no partial file is left"
    );

    // Without a token, or with one that is not an admin's, the server refuses.
    let refused = numerek_backup(&["--url", &base, "--out", "unused.redb"]);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("--token"),
        "{}",
        text(&refused.stderr)
    );
    let refused = numerek_backup(&[
        "--url",
        &base,
        "--token",
        &tokens["clerk"],
        "--out",
        dir.path().join("clerk.redb").to_str().unwrap(),
    ]);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("403 forbidden"),
        "{}",
        text(&refused.stderr)
    );
    assert!(!dir.path().join("clerk.redb").exists());
    // The offline copy cannot be made while the server holds the database.
    let busy = numerek_backup(&[
        "--data-dir",
        live.to_str().unwrap(),
        "--out",
        dir.path().join("offline.redb").to_str().unwrap(),
    ]);
    assert!(!busy.status.success());
    assert!(
        text(&busy.stderr).contains("numerek backup --url"),
        "{}",
        text(&busy.stderr)
    );

    // Restore into a new data directory and start there (the live server goes on elsewhere).
    let restored_dir = dir.path().join("restored");
    restore_into(&backup_file, &restored_dir);
    let restored = Server::start(&config, &restored_dir);
    assert!(
        restored.tokens.is_empty(),
        "the tokens came with the backup"
    );
    let client = Client::new(&restored.base);
    let tickets = listing(&client, &restored.base, &tokens["manager"]).await;
    assert_whole_numbering(&tickets);
    let ids: Vec<&str> = tickets.iter().map(|t| t["id"].as_str().unwrap()).collect();
    let acknowledged_ids: Vec<&str> = all.iter().map(|t| t["id"].as_str().unwrap()).collect();
    for id in &ids {
        assert!(
            acknowledged_ids.contains(id),
            "the copy holds only tickets that were issued"
        );
    }
    for ticket in &before {
        let id = ticket["id"].as_str().unwrap();
        assert!(
            ids.contains(&id),
            "{} was acknowledged before the backup",
            ticket["number"]
        );
        let (status, stored) = client.get(&format!("/api/v1/tickets/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(stored["number"], ticket["number"]);
        assert_eq!(stored["issued_at"], ticket["issued_at"]);
    }
    assert!(
        tickets.len() >= before.len(),
        "the copy holds at least what was acknowledged before it: {} tickets, {} before",
        tickets.len(),
        before.len()
    );
    // The restored office takes new work, numbered on from the copy.
    let (status, next) = client
        .post(
            "/api/v1/tickets",
            &tokens["kiosk"],
            json!({"category": "tax"}),
        )
        .await;
    assert_eq!(status, 201, "{next}");
    let taxes = tickets
        .iter()
        .filter(|t| t["number"].as_str().unwrap().starts_with('B'))
        .count();
    assert_eq!(next["number"], format!("B{:03}", taxes + 1));
    assert!(restored.terminate().success());

    // Stopped, the live server's data directory is copied offline.
    let (_, status) = Client::new(&base).get("/api/v1/status").await;
    let live_seq = status["seq"].as_u64().unwrap();
    assert!(server.terminate().success());
    let offline = dir.path().join("offline.redb");
    let made = numerek_backup(&[
        "--data-dir",
        live.to_str().unwrap(),
        "--out",
        offline.to_str().unwrap(),
    ]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(
        text(&made.stdout).contains(&format!("event {live_seq}, ")),
        "{}",
        text(&made.stdout)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_an_older_numerek_is_migrated_when_it_is_started() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let live = dir.path().join("live");
    let server = Server::start(&config, &live);
    let tokens = server.tokens.clone();
    let client = Client::new(&server.base);
    for category in ["registration", "tax", "registration"] {
        let (status, _) = client
            .post(
                "/api/v1/tickets",
                &tokens["kiosk"],
                json!({ "category": category }),
            )
            .await;
        assert_eq!(status, 201);
    }
    let (status, _) = client
        .post("/api/v1/counters/1/call-next", &tokens["clerk"], json!({}))
        .await;
    assert_eq!(status, 200);
    let (_, office_status) = client.get("/api/v1/status").await;
    let day = office_status["office_date"].as_str().unwrap().to_owned();
    let old = dir.path().join("old.redb");
    let made = numerek_backup(&[
        "--url",
        &server.base,
        "--token",
        &tokens["admin"],
        "--out",
        old.to_str().unwrap(),
    ]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(
        text(&made.stdout).contains(&format!("schema version {}", numerek_store::SCHEMA_VERSION)),
        "{}",
        text(&made.stdout)
    );
    assert!(server.terminate().success());

    // Turn the copy into what numerek wrote before schema version 2: no report facts.
    numerek_store::testing::downgrade_to_version_1(&old).expect("a version 1 copy");
    let checked = numerek_backup(&[
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--out",
        dir.path().join("unused.redb").to_str().unwrap(),
    ]);
    assert!(
        !checked.status.success(),
        "there is no database in the bare directory"
    );

    let restored_dir = dir.path().join("restored");
    restore_into(&old, &restored_dir);
    let restored = Server::start(&config, &restored_dir);
    let response = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/reports/summary?from={day}&to={day}&group_by=category",
            restored.base
        ))
        .bearer_auth(&tokens["manager"])
        .send()
        .await
        .expect("the summary");
    assert_eq!(response.status().as_u16(), 200);
    let summary: Value = response.json().await.unwrap();
    assert_eq!(summary["total"]["issued"], 3, "{summary}");
    assert_eq!(summary["total"]["called"], 1, "{summary}");
    assert!(restored.terminate().success());

    // The restored database is at the current schema version now.
    let copy = dir.path().join("migrated.redb");
    let made = numerek_backup(&[
        "--data-dir",
        restored_dir.to_str().unwrap(),
        "--out",
        copy.to_str().unwrap(),
    ]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(
        text(&made.stdout).contains(&format!("schema version {}", numerek_store::SCHEMA_VERSION)),
        "{}",
        text(&made.stdout)
    );
}
