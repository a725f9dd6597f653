//! The store's promises: answers come after a durable commit, a failed commit changes nothing
//! and is announced to nobody, the day rolls over at open, and the event log keeps what
//! `?since=` replay needs.

use jiff::{SignedDuration, Timestamp};
use numerek_core::{
    Command, CounterAction, CounterState, Event, EventKind, OfficeConfig, TicketId, TicketState,
};
use numerek_store::{
    Clock, EventSink, ExecError, ManualClock, Role, Store, StoreError, StoreOptions,
};
use std::path::Path;
use std::sync::{Arc, Mutex};

const OFFICE: &str = r#"
[office]
id = "test"
name = "Test"
timezone = "Europe/Warsaw"
languages = ["pl"]

[office.hours]
mon = "00:00-24:00"
tue = "00:00-24:00"
wed = "00:00-24:00"
thu = "00:00-24:00"
fri = "00:00-24:00"
sat = "00:00-24:00"
sun = "00:00-24:00"

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

fn config() -> Arc<OfficeConfig> {
    Arc::new(OfficeConfig::from_toml(OFFICE).expect("test office"))
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

/// Collects published events.
#[derive(Default)]
struct Recorder(Mutex<Vec<Event>>);

impl EventSink for Recorder {
    fn publish(&self, events: &[Event]) {
        self.0.lock().unwrap().extend_from_slice(events);
    }
}

impl Recorder {
    fn seqs(&self) -> Vec<u64> {
        self.0.lock().unwrap().iter().map(|e| e.seq).collect()
    }
}

fn open(dir: &Path, clock: &Arc<ManualClock>) -> (Store, Arc<Recorder>) {
    let clock: Arc<dyn Clock> = clock.clone();
    let store = Store::open(StoreOptions::new(dir.to_path_buf(), config(), clock)).expect("open");
    let recorder = Arc::new(Recorder::default());
    store.set_sink(recorder.clone());
    (store, recorder)
}

fn issue(n: usize) -> Command {
    Command::IssueTicket {
        id: TicketId(format!("t{n}")),
        category: "registration".into(),
        priority: false,
        language: None,
    }
}

fn counter(action: CounterAction) -> Command {
    Command::Counter {
        counter: "1".into(),
        action,
    }
}

#[tokio::test]
async fn what_was_answered_is_there_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    {
        let (store, _) = open(dir.path(), &clock);
        for n in 1..=3 {
            store.execute(issue(n)).await.expect("issue");
        }
        store
            .execute(counter(CounterAction::CallNext))
            .await
            .expect("call");
        store.close();
    }
    let (store, _) = open(dir.path(), &clock);
    let office = store.office();
    assert_eq!(office.seq(), 5, "3 issued, counter opened, 1 called");
    let called = office.ticket(&TicketId("t1".into())).expect("t1");
    assert_eq!(called.state, TicketState::Called);
    assert_eq!(
        office.counter_status("1").unwrap().state,
        CounterState::Open
    );
    assert_eq!(office.issued_today("registration"), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_commands_share_commits_and_all_get_their_own_answer() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    let (store, recorder) = open(dir.path(), &clock);
    let store = Arc::new(store);
    let mut tasks = Vec::new();
    for n in 0..200 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move { store.execute(issue(n)).await }));
    }
    let mut numbers = Vec::new();
    for task in tasks {
        let executed = task.await.unwrap().expect("issued");
        numbers.push(executed.ticket.expect("ticket").ticket.number.n);
    }
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=200).collect::<Vec<_>>(),
        "unique, gap-free numbers"
    );
    assert_eq!(
        recorder.seqs(),
        (1..=200).collect::<Vec<_>>(),
        "published in order"
    );
}

#[tokio::test]
async fn a_failed_commit_changes_nothing_announces_nothing_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    let (store, recorder) = open(dir.path(), &clock);
    store.execute(issue(1)).await.expect("issue");

    store.inject_storage_failure(true);
    let refused = store.execute(issue(2)).await;
    assert!(
        matches!(refused, Err(ExecError::Unavailable)),
        "{refused:?}"
    );
    assert_eq!(
        store.office().seq(),
        1,
        "the read model did not run ahead of the disk"
    );
    assert!(store.office().ticket(&TicketId("t2".into())).is_none());
    assert_eq!(recorder.seqs(), vec![1], "nothing unstored was announced");
    assert!(matches!(
        store.execute(issue(3)).await,
        Err(ExecError::Unavailable)
    ));

    store.inject_storage_failure(false);
    let executed = store.execute(issue(4)).await.expect("storage works again");
    assert_eq!(
        executed.ticket.unwrap().ticket.number.to_string(),
        "A002",
        "no number was used up by the failed commands"
    );
    assert_eq!(recorder.seqs(), vec![1, 2]);
    store.close();
    let (reopened, _) = open(dir.path(), &clock);
    assert_eq!(reopened.office().seq(), 2);
}

#[tokio::test]
async fn a_later_day_starts_at_open_and_cancels_what_was_left() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T16:00:00+01:00")));
    {
        let (store, _) = open(dir.path(), &clock);
        store.execute(issue(1)).await.unwrap();
        store.execute(issue(2)).await.unwrap();
        store
            .execute(counter(CounterAction::CallNext))
            .await
            .unwrap();
        store.close();
    }
    clock.set(at("2026-11-25T08:00:00+01:00"));
    let (store, _) = open(dir.path(), &clock);
    {
        let office = store.office();
        assert_eq!(office.office_date().to_string(), "2026-11-25");
        assert_eq!(
            office.counter_status("1").unwrap().state,
            CounterState::Closed
        );
        assert_eq!(office.issued_today("registration"), 0);
    }
    let old = store
        .find_ticket(&TicketId("t1".into()))
        .unwrap()
        .expect("an earlier day's ticket is still readable");
    assert_eq!(old.ticket.state, TicketState::Cancelled);
    let executed = store.execute(issue(3)).await.unwrap();
    assert_eq!(executed.ticket.unwrap().ticket.number.to_string(), "A001");
    let events = store.events_after(0).unwrap().expect("all events kept");
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.type_name()).collect();
    assert_eq!(
        kinds,
        [
            "ticket.issued",
            "ticket.issued",
            "counter.changed",
            "ticket.called",
            "ticket.cancelled",
            "ticket.cancelled",
            "counter.changed",
            "day.started",
            "ticket.issued"
        ]
    );
}

#[tokio::test]
async fn the_event_log_keeps_the_current_and_previous_day() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    let (store, _) = open(dir.path(), &clock);
    store.execute(issue(1)).await.unwrap(); // seq 1, day 1
    clock.advance(SignedDuration::from_hours(24));
    store.execute(issue(2)).await.unwrap(); // cancel t1 (2), day.started (3), issued (4)
    assert!(
        store.events_after(0).unwrap().is_some(),
        "day 1 is the previous day: kept"
    );
    clock.advance(SignedDuration::from_hours(24));
    store.execute(issue(3)).await.unwrap(); // cancel t2 (5), day.started (6), issued (7)
    assert!(
        store.events_after(0).unwrap().is_none(),
        "day 1's events are pruned; a client that old gets a snapshot"
    );
    let kept = store.events_after(2).unwrap().expect("day 2 on is kept");
    assert_eq!(kept.first().map(|e| e.seq), Some(3));
    assert!(matches!(
        kept.last().map(|e| &e.kind),
        Some(EventKind::TicketIssued { .. })
    ));
    assert_eq!(store.events_after(7).unwrap(), Some(Vec::new()));
}

#[tokio::test]
async fn tokens_are_stored_hashed_and_revocation_is_immediate() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    let (store, _) = open(dir.path(), &clock);
    let token = store
        .create_token(Role::Clerk, Some("desk".into()), Some("1".into()))
        .await
        .unwrap();
    assert_eq!(
        store.authenticate(&token.secret),
        Some(token.record.clone())
    );
    assert_eq!(store.authenticate("nmk_wrong"), None);
    store.close();

    let bytes = std::fs::read(dir.path().join(numerek_store::persist::DATABASE_FILE)).unwrap();
    let needle = token.secret.as_bytes();
    assert!(
        !bytes.windows(needle.len()).any(|w| w == needle),
        "the secret is not in the database file"
    );

    let (store, _) = open(dir.path(), &clock);
    assert!(
        store.authenticate(&token.secret).is_some(),
        "tokens survive restarts"
    );
    store.revoke_token(token.record.id.clone()).await.unwrap();
    assert_eq!(store.authenticate(&token.secret), None);
    assert!(matches!(
        store.revoke_token(token.record.id.clone()).await,
        Err(ExecError::UnknownToken(_))
    ));
}

#[test]
fn a_second_process_cannot_open_a_database_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    let (_store, _) = open(dir.path(), &clock);
    let today = at("2026-11-23T09:00:00+01:00")
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let second = numerek_store::persist::open_database(dir.path(), today);
    assert!(
        matches!(second, Err(StoreError::AlreadyOpen(_))),
        "{second:?}"
    );
}

/// A database of schema version 1 (before report facts) is upgraded at open: the facts of its
/// tickets are filled in and reports see every ticket.
#[tokio::test]
async fn opening_a_version_1_database_fills_in_the_report_facts() {
    use numerek_core::report::{DayRange, GroupBy};
    use numerek_store::tables::{META, REPORT_FACTS, SCHEMA_VERSION};
    use redb::ReadableDatabase;

    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    {
        let (store, _) = open(dir.path(), &clock);
        for n in 1..=3 {
            store.execute(issue(n)).await.expect("issue");
        }
        clock.advance(SignedDuration::from_secs(120));
        store
            .execute(counter(CounterAction::CallNext))
            .await
            .expect("call");
        store.close();
    }
    // Turn the file back into version 1: no facts table, version 1 recorded.
    {
        let db =
            redb::Database::create(dir.path().join(numerek_store::persist::DATABASE_FILE)).unwrap();
        let txn = db.begin_write().unwrap();
        txn.delete_table(REPORT_FACTS).unwrap();
        txn.open_table(META)
            .unwrap()
            .insert("schema_version", 1u32.to_le_bytes().as_slice())
            .unwrap();
        txn.commit().unwrap();
    }
    let (store, _) = open(dir.path(), &clock);
    let day = jiff::civil::date(2026, 11, 23);
    let summary = store
        .summary(DayRange::new(day, day).unwrap(), GroupBy::Category)
        .unwrap();
    assert_eq!(summary.total.issued, 3);
    assert_eq!(summary.total.called, 1);
    assert_eq!(summary.total.wait_max_s, Some(120.0));
    store.close();
    let db =
        redb::Database::create(dir.path().join(numerek_store::persist::DATABASE_FILE)).unwrap();
    let version = db
        .begin_read()
        .unwrap()
        .open_table(META)
        .unwrap()
        .get("schema_version")
        .unwrap()
        .map(|v| u32::from_le_bytes(v.value().try_into().unwrap()));
    assert_eq!(version, Some(SCHEMA_VERSION));
}

fn open_with(dir: &Path, clock: &Arc<ManualClock>, office: &str) -> Store {
    let clock: Arc<dyn Clock> = clock.clone();
    let config = Arc::new(OfficeConfig::from_toml(office).expect("test office"));
    Store::open(StoreOptions::new(dir.to_path_buf(), config, clock)).expect("open")
}

fn with_retention(days: u32) -> String {
    OFFICE.replacen(
        "languages = [\"pl\"]",
        &format!("languages = [\"pl\"]\nretention_days = {days}"),
        1,
    )
}

fn day(text: &str) -> jiff::civil::Date {
    text.parse().expect("a date")
}

#[tokio::test]
async fn retention_deletes_older_days_at_the_rollover_durably() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    let office = with_retention(2);
    let store = open_with(dir.path(), &clock, &office);
    // One ticket a day on the 23rd, 24th and 25th.
    for n in 1..=3 {
        store.execute(issue(n)).await.unwrap();
        clock.advance(SignedDuration::from_hours(24));
    }
    // The 26th begins: the 24th and 25th are kept (two days back), the 23rd goes.
    store.start_day_if_due().await.unwrap();
    let id = |n: usize| TicketId(format!("t{n}"));
    assert_eq!(store.find_ticket(&id(1)).unwrap(), None, "t1 is gone");
    assert!(store.find_ticket(&id(2)).unwrap().is_some(), "t2 is kept");
    assert!(store.find_ticket(&id(3)).unwrap().is_some(), "t3 is kept");
    let kept: Vec<String> = store
        .tickets_between(day("2026-11-01"), day("2026-11-26"))
        .unwrap()
        .into_iter()
        .map(|t| t.id.0)
        .collect();
    assert_eq!(kept, ["t2", "t3"]);
    let range =
        numerek_core::report::DayRange::new(day("2026-11-01"), day("2026-11-26")).expect("a range");
    let summary = store
        .summary(range, numerek_core::report::GroupBy::Day)
        .unwrap();
    assert_eq!(summary.total.issued, 2, "reports cover only what is kept");
    let days: Vec<String> = summary.rows.iter().map(|r| r.key.to_string()).collect();
    assert_eq!(days, ["2026-11-24", "2026-11-25"]);

    // Durable: a reopened store holds no more than that.
    store.close();
    drop(store);
    let store = open_with(dir.path(), &clock, &office);
    assert_eq!(store.find_ticket(&id(1)).unwrap(), None);
    assert_eq!(
        store
            .tickets_between(day("2026-11-01"), day("2026-11-26"))
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn retention_of_one_day_after_a_long_pause_keeps_only_the_new_days_events() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    let store = open_with(dir.path(), &clock, &with_retention(1));
    store.execute(issue(1)).await.unwrap(); // seq 1
    // A week without the server running a command: the 30th begins.
    clock.advance(SignedDuration::from_hours(24 * 7));
    store.execute(issue(2)).await.unwrap(); // cancel t1 (2), day.started (3), issued (4)
    assert_eq!(
        store.events_after(0).unwrap(),
        None,
        "the 23rd is older than a day: its events are gone"
    );
    let kept = store
        .events_after(2)
        .unwrap()
        .expect("the new day's events");
    assert_eq!(kept.first().map(|e| e.seq), Some(3));
    assert_eq!(store.find_ticket(&TicketId("t1".into())).unwrap(), None);
    assert!(store.find_ticket(&TicketId("t2".into())).unwrap().is_some());
}

#[tokio::test]
async fn without_a_rollover_nothing_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    let store = open_with(dir.path(), &clock, &with_retention(1));
    store.execute(issue(1)).await.unwrap();
    clock.advance(SignedDuration::from_hours(10));
    store.execute(issue(2)).await.unwrap();
    assert_eq!(
        store
            .tickets_between(day("2026-11-23"), day("2026-11-23"))
            .unwrap()
            .len(),
        2
    );
}
