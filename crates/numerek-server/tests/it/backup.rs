//! `GET /api/v1/admin/backup`: a consistent copy of the database while tickets are issued, that
//! opens as an office again (restore), holding every change acknowledged before the backup and
//! nothing half-done.

use crate::support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use numerek_store::{Clock, ManualClock, Store, StoreOptions};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use support::{START, TestServer, WAIT, at, config};
use tokio::sync::Mutex;
use tokio::time::timeout;
use tower::ServiceExt;

const BACKUP: &str = "/api/v1/admin/backup";

/// Takes a backup with the admin token; answers the response's headers and the file's bytes.
async fn take_backup(h: &TestServer) -> (axum::http::HeaderMap, Vec<u8>) {
    let request = Request::get(BACKUP)
        .header(header::AUTHORIZATION, format!("Bearer {}", h.tokens.admin))
        .body(Body::empty())
        .unwrap();
    let response = timeout(WAIT, h.app().oneshot(request))
        .await
        .expect("answered in time")
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    let bytes = timeout(WAIT, response.into_body().collect())
        .await
        .expect("the copy arrives in time")
        .expect("the copy can be read")
        .to_bytes()
        .to_vec();
    (headers, bytes)
}

/// Puts `bytes` in place as the database of a new data directory and opens a store on it.
fn restore(bytes: &[u8]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join(numerek_store::DATABASE_FILE), bytes).unwrap();
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(at(START)));
    let store = Store::open(StoreOptions::new(data, config(), clock)).expect("the copy opens");
    (dir, store)
}

#[tokio::test]
async fn a_backup_opens_as_the_same_office() {
    let h = TestServer::new().await;
    let a = h.issue("registration").await;
    h.issue("tax").await;
    h.act("1", "call-next").await.expect(StatusCode::OK);
    h.act("2", "pause").await.expect(StatusCode::OK);
    let status = h.status().await;

    let (headers, bytes) = take_backup(&h).await;
    assert_eq!(headers[header::CONTENT_TYPE], "application/octet-stream");
    assert_eq!(
        headers[header::CONTENT_LENGTH].to_str().unwrap(),
        bytes.len().to_string()
    );
    let seq = status["seq"].as_u64().unwrap();
    assert_eq!(
        headers[header::CONTENT_DISPOSITION].to_str().unwrap(),
        format!("attachment; filename=\"numerek-2026-11-23-seq{seq}.redb\"")
    );
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    // Nothing is left behind in the data directory.
    let names: Vec<String> = std::fs::read_dir(support::data_dir(&h.dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [numerek_store::DATABASE_FILE]);

    let (_dir, restored) = restore(&bytes);
    let now = restored.clock().now();
    assert_eq!(restored.office().seq(), seq);
    let restored_status = restored.office().status(now);
    assert_eq!(restored_status.seq, seq);
    let id = numerek_core::TicketId(a["id"].as_str().unwrap().to_owned());
    let ticket = restored
        .find_ticket(&id)
        .unwrap()
        .expect("A001 is in the copy");
    assert_eq!(ticket.ticket.number.to_string(), "A001");
    // Tokens are part of the copy: the admin token works on the restored office.
    assert!(restored.authenticate(&h.tokens.admin).is_some());
    restored.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_tickets_are_issued_holds_everything_acknowledged_before_it() {
    let h = TestServer::new().await;
    // Acknowledged tickets, in the order the answers came.
    let acknowledged: Arc<Mutex<Vec<Value>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let issuers: Vec<_> = (0..4)
        .map(|n| {
            let app = h.app();
            let kiosk = h.tokens.kiosk.clone();
            let acknowledged = acknowledged.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                let category = if n % 2 == 0 { "registration" } else { "tax" };
                while !stop.load(Ordering::SeqCst) {
                    let request = Request::post("/api/v1/tickets")
                        .header(header::AUTHORIZATION, format!("Bearer {kiosk}"))
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from(json!({"category": category}).to_string()))
                        .unwrap();
                    let response = app.clone().oneshot(request).await.unwrap();
                    assert_eq!(response.status(), StatusCode::CREATED);
                    let bytes = response.into_body().collect().await.unwrap().to_bytes();
                    acknowledged
                        .lock()
                        .await
                        .push(serde_json::from_slice(&bytes).unwrap());
                }
            })
        })
        .collect();
    // Let some tickets through first, then back up while the issuers go on.
    while acknowledged.lock().await.len() < 50 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before: Vec<Value> = acknowledged.lock().await.clone();
    let (_, bytes) = take_backup(&h).await;
    let after: Vec<Value> = acknowledged.lock().await.clone();
    stop.store(true, Ordering::SeqCst);
    for issuer in issuers {
        issuer.await.unwrap();
    }
    let all = acknowledged.lock().await.clone();

    let (_dir, restored) = restore(&bytes);
    let find = |ticket: &Value| {
        let id = numerek_core::TicketId(ticket["id"].as_str().unwrap().to_owned());
        restored.find_ticket(&id).unwrap()
    };
    for ticket in &before {
        let found = find(ticket).unwrap_or_else(|| panic!("{ticket} was acknowledged before"));
        assert_eq!(found.ticket.number.to_string(), ticket["number"]);
    }
    // The copy is one moment: per category, the numbers it holds are 1..=n, and each is the
    // ticket that was acknowledged with that number.
    let mut held: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for ticket in &all {
        if let Some(found) = find(ticket) {
            let number = ticket["number"].as_str().unwrap();
            assert_eq!(found.ticket.number.to_string(), number);
            held.entry(number[..1].to_owned())
                .or_default()
                .push(number[1..].parse().unwrap());
        }
    }
    let mut total = 0;
    for (prefix, mut numbers) in held {
        numbers.sort_unstable();
        let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
        assert_eq!(numbers, expected, "category {prefix}: no gap in the copy");
        total += numbers.len();
    }
    // At least what was acknowledged before the backup; what was committed while it ran may be
    // in it too, though its answer came later (every ticket committed is acknowledged in the
    // end: the issuers wait for each answer).
    assert!(
        total >= before.len() && total <= all.len(),
        "{total} tickets in the copy; {} acknowledged before, {} when the copy arrived, {} in all",
        before.len(),
        after.len(),
        all.len()
    );
    assert_eq!(
        restored.office().seq(),
        total as u64,
        "one event per ticket"
    );
    restored.close();
}

#[tokio::test]
async fn only_an_admin_may_take_a_backup() {
    let h = TestServer::new().await;
    h.get(BACKUP, None)
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
    for token in [&h.tokens.kiosk, &h.tokens.clerk, &h.tokens.manager] {
        h.get(BACKUP, Some(token))
            .await
            .expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    h.post(BACKUP, Some(&h.tokens.admin), &json!({}))
        .await
        .expect_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

#[tokio::test]
async fn a_backup_cut_short_by_a_crash_is_removed_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let leftover = data.join(format!(
        "{}0123.redb",
        numerek_store::backup::TEMPORARY_PREFIX
    ));
    std::fs::write(&leftover, b"half a copy").unwrap();
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(at(START)));
    let store = Store::open(StoreOptions::new(data.clone(), config(), clock)).unwrap();
    assert!(!leftover.exists());
    store.close();
}
