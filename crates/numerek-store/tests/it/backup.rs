//! Database copies: a copy holds every table of the source with every row; a table this build
//! does not know makes the copy fail rather than be left out; a stopped server's data directory
//! is copied without being changed.

use numerek_store::backup::{self, BackupSummary};
use numerek_store::{
    Clock, DATABASE_FILE, ManualClock, Role, SCHEMA_VERSION, Store, StoreError, StoreOptions,
};
use redb::{ReadableDatabase, ReadableTableMetadata, TableDefinition, TableHandle};
use std::path::Path;
use std::sync::Arc;

const OFFICE: &str = r#"
[office]
id = "o"
name = "Office"
timezone = "Europe/Warsaw"
languages = ["pl"]

[office.hours]
mon = "00:00-24:00"

[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki" }
target_wait_min = 15

[[counter]]
id = "1"
name = { pl = "Stanowisko 1" }
categories = ["registration"]
"#;

/// A data directory with a few tickets, a call and a token, the server stopped.
async fn office_in(data_dir: &Path) {
    let config = Arc::new(numerek_core::OfficeConfig::from_toml(OFFICE).unwrap());
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(
        "2026-11-23T09:00:00+01:00".parse().unwrap(),
    ));
    let store = Store::open(StoreOptions::new(data_dir.to_path_buf(), config, clock)).unwrap();
    for n in 1..=3 {
        store
            .execute(numerek_core::Command::IssueTicket {
                id: numerek_core::TicketId(format!("t{n}")),
                category: "registration".into(),
                priority: false,
                language: None,
            })
            .await
            .unwrap();
    }
    store
        .create_token(Role::Admin, Some("admin".into()), None)
        .await
        .unwrap();
    store.close();
}

/// Every table of a database and its number of rows.
fn tables(path: &Path) -> Vec<(String, u64)> {
    let db = redb::ReadOnlyDatabase::open(path).unwrap();
    let txn = db.begin_read().unwrap();
    let mut out: Vec<(String, u64)> = txn
        .list_tables()
        .unwrap()
        .map(|handle| {
            let name = handle.name().to_owned();
            let rows = txn.open_untyped_table(handle).unwrap().len().unwrap();
            (name, rows)
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_copy_holds_every_table_with_every_row_and_the_source_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    office_in(&data).await;
    let source = data.join(DATABASE_FILE);
    let before = std::fs::read(&source).unwrap();

    let out = dir.path().join("copy.redb");
    let summary = backup::copy_data_dir(&data, &out).unwrap();
    assert_eq!(
        summary,
        BackupSummary {
            schema_version: SCHEMA_VERSION,
            office_date: "2026-11-23".into(),
            seq: 3,
            tickets: 3,
        }
    );
    assert_eq!(tables(&out), tables(&source));
    assert!(
        tables(&out)
            .iter()
            .any(|(name, rows)| name == "tokens-1" && *rows == 1)
    );
    assert_eq!(backup::verify(&out).unwrap(), summary);
    assert_eq!(
        std::fs::read(&source).unwrap(),
        before,
        "the source is untouched"
    );
    // A copy is never written over an existing file.
    assert!(matches!(
        backup::copy_data_dir(&data, &out),
        Err(StoreError::Io(e)) if e.kind() == std::io::ErrorKind::AlreadyExists
    ));
}

#[tokio::test]
async fn a_table_this_build_does_not_know_fails_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    office_in(&data).await;
    {
        let db = redb::Database::create(data.join(DATABASE_FILE)).unwrap();
        let txn = db.begin_write().unwrap();
        let extra: TableDefinition<&str, &str> = TableDefinition::new("from-the-future-1");
        txn.open_table(extra).unwrap().insert("k", "v").unwrap();
        txn.commit().unwrap();
    }
    let out = dir.path().join("copy.redb");
    let copied = backup::copy_data_dir(&data, &out);
    assert!(
        matches!(&copied, Err(StoreError::UnknownTable(name)) if name == "from-the-future-1"),
        "{copied:?}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[tokio::test]
async fn a_running_server_keeps_the_offline_copy_out_and_a_file_that_is_no_database_fails() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    office_in(&data).await;
    let running = redb::Database::create(data.join(DATABASE_FILE)).unwrap();
    let copied = backup::copy_data_dir(&data, &dir.path().join("copy.redb"));
    assert!(
        matches!(copied, Err(StoreError::AlreadyOpen(_))),
        "{copied:?}"
    );
    drop(running);

    let missing = backup::copy_data_dir(&dir.path().join("nothing"), &dir.path().join("c.redb"));
    assert!(matches!(missing, Err(StoreError::Io(_))), "{missing:?}");
    let other = dir.path().join("other.redb");
    {
        let db = redb::Database::create(&other).unwrap();
        let txn = db.begin_write().unwrap();
        let table: TableDefinition<&str, &str> = TableDefinition::new("x");
        txn.open_table(table).unwrap().insert("k", "v").unwrap();
        txn.commit().unwrap();
    }
    assert!(matches!(
        backup::verify(&other),
        Err(StoreError::Corrupt(_))
    ));
}
