//! The store's promises: answers come after a durable commit, a failed commit changes nothing
//! and is announced to nobody, the day rolls over at open, and the event log keeps what
//! `?since=` replay needs.

use jiff::{SignedDuration, Timestamp};
use numerek_core::{
    Command, CounterAction, CounterState, Event, EventKind, OfficeConfig, TicketId, TicketState,
};
use numerek_store::{
    Clock, DATABASE_FILE, ExecError, ManualClock, OfflineError, OfflineStore, Role, Store,
    StoreOptions, Subscriber, Subscription,
};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

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

/// Collects published events, subscribed for as long as the store lives.
#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<Event>>,
    subscription: OnceLock<Subscription>,
}

impl Subscriber for Recorder {
    fn events(&self, events: &[Event]) {
        self.events.lock().unwrap().extend_from_slice(events);
    }
}

impl Recorder {
    fn seqs(&self) -> Vec<u64> {
        self.events.lock().unwrap().iter().map(|e| e.seq).collect()
    }
}

fn open(dir: &Path, clock: &Arc<ManualClock>) -> (Store, Arc<Recorder>) {
    let clock: Arc<dyn Clock> = clock.clone();
    let store = Store::open(StoreOptions::new(dir.to_path_buf(), config(), clock)).expect("open");
    let recorder = Arc::new(Recorder::default());
    let subscription = store.subscribe("recorder", recorder.clone());
    let _ = recorder.subscription.set(subscription);
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

    let bytes = std::fs::read(dir.path().join(DATABASE_FILE)).unwrap();
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
    let second = OfflineStore::open(dir.path(), config(), at("2026-11-23T09:00:00+01:00"));
    assert!(
        matches!(&second, Err(OfflineError::ServerRunning(path)) if path == dir.path()),
        "{second:?}"
    );
}

/// A database of schema version 1 (before report facts) is upgraded at open: the facts of its
/// tickets are filled in and reports see every ticket.
#[tokio::test]
async fn opening_a_version_1_database_fills_in_the_report_facts() {
    use numerek_core::report::{DayRange, GroupBy};

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
    let file = dir.path().join(DATABASE_FILE);
    numerek_store::testing::downgrade_to_version_1(&file).unwrap();
    assert_eq!(
        numerek_store::backup::verify(&file).unwrap().schema_version,
        1
    );
    let (store, _) = open(dir.path(), &clock);
    let day = jiff::civil::date(2026, 11, 23);
    let summary = store
        .summary(DayRange::new(day, day).unwrap(), GroupBy::Category)
        .unwrap();
    assert_eq!(summary.total.issued, 3);
    assert_eq!(summary.total.called, 1);
    assert_eq!(summary.total.wait_max_s, Some(120.0));
    store.close();
    let version = numerek_store::backup::verify(&file).unwrap().schema_version;
    assert_eq!(version, numerek_store::SCHEMA_VERSION);
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

/// Records what each subscriber got, in one log shared by several, in order of calls.
struct Logged {
    name: &'static str,
    log: Arc<Mutex<Vec<(&'static str, u64)>>>,
}

impl Subscriber for Logged {
    fn events(&self, events: &[Event]) {
        let mut log = self.log.lock().unwrap();
        log.extend(events.iter().map(|event| (self.name, event.seq)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_subscriber_gets_every_commit_in_order_and_in_order_of_subscription() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    let (store, _) = open(dir.path(), &clock);
    let log = Arc::new(Mutex::new(Vec::new()));
    let subscribe = |name| {
        let log = log.clone();
        store.subscribe(name, Arc::new(Logged { name, log }))
    };
    let first = subscribe("first");
    let second = subscribe("second");
    let store = Arc::new(store);
    let tasks: Vec<_> = (0..100)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move { store.execute(issue(n)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().expect("issued");
    }
    let seen = log.lock().unwrap().clone();
    let seqs = |name| -> Vec<u64> {
        seen.iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, seq)| *seq)
            .collect()
    };
    let all: Vec<u64> = (1..=100).collect();
    assert_eq!(seqs("first"), all, "every event, in order, once");
    assert_eq!(seqs("second"), all, "every event, in order, once");
    for seq in all {
        let place = |name| seen.iter().position(|entry| *entry == (name, seq));
        assert!(
            place("first") < place("second"),
            "event {seq}: the first subscriber is called first"
        );
    }
    assert!(first.is_active() && second.is_active());

    // A dropped subscription hears nothing more; the others go on.
    drop(first);
    store.execute(issue(100)).await.expect("issued");
    assert_eq!(log.lock().unwrap()[seen.len()..], [("second", 101)]);
    drop(second);
}

/// Panics when called; counts its calls.
#[derive(Default)]
struct Panicking(Mutex<usize>);

impl Subscriber for Panicking {
    fn events(&self, _events: &[Event]) {
        *self.0.lock().unwrap() += 1;
        panic!("a subscriber's bug");
    }
}

#[tokio::test]
async fn a_subscriber_that_panics_is_dropped_and_the_others_and_the_writer_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    let (store, before) = open(dir.path(), &clock);
    let panicking = Arc::new(Panicking::default());
    let broken = store.subscribe("panicking", panicking.clone());
    let after = Arc::new(Recorder::default());
    let _after = store.subscribe("after", after.clone());

    for n in 1..=3 {
        store
            .execute(issue(n))
            .await
            .expect("answered despite the panic");
    }
    assert_eq!(
        *panicking.0.lock().unwrap(),
        1,
        "not called after its panic"
    );
    assert!(!broken.is_active());
    assert_eq!(before.seqs(), vec![1, 2, 3]);
    assert_eq!(
        after.seqs(),
        vec![1, 2, 3],
        "the one after it got every event"
    );
    store.close();
    let (store, _) = open(dir.path(), &clock);
    assert_eq!(store.office().seq(), 3, "every commit was stored");
}

/// Blocks in its first call until released; then reports each call on a channel.
struct Slow {
    blocked: std::sync::atomic::AtomicBool,
    entered: std::sync::mpsc::SyncSender<()>,
    release: Mutex<std::sync::mpsc::Receiver<()>>,
    calls: Mutex<std::sync::mpsc::Sender<String>>,
}

impl Subscriber for Slow {
    fn events(&self, events: &[Event]) {
        if !self.blocked.swap(true, std::sync::atomic::Ordering::SeqCst) {
            self.entered.send(()).unwrap();
            self.release.lock().unwrap().recv().unwrap();
        }
        let seqs: Vec<String> = events.iter().map(|e| e.seq.to_string()).collect();
        self.calls.lock().unwrap().send(seqs.join(",")).unwrap();
    }

    fn missed(&self) {
        self.calls.lock().unwrap().send("missed".into()).unwrap();
    }
}

#[tokio::test]
async fn a_slow_queued_subscriber_holds_up_nobody_and_hears_what_it_missed() {
    use std::sync::mpsc::{channel, sync_channel};
    use std::time::Duration;

    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    let (store, recorder) = open(dir.path(), &clock);
    let (entered, inside) = sync_channel(1);
    let (release, released) = channel();
    let (calls, heard) = channel();
    let slow = Slow {
        blocked: false.into(),
        entered,
        release: Mutex::new(released),
        calls: Mutex::new(calls),
    };
    let queued = numerek_store::Queued::start("slow", 1, Arc::new(slow)).unwrap();
    let _slow = store.subscribe("slow", Arc::new(queued));

    store.execute(issue(1)).await.expect("issued");
    // A hang guard only: the subscriber's thread takes the first commit at once.
    inside.recv_timeout(Duration::from_secs(30)).unwrap();
    // It is stuck in commit 1: commit 2 fills its queue, 3 and 4 do not fit.
    for n in 2..=4 {
        store
            .execute(issue(n))
            .await
            .expect("the writer does not wait");
    }
    assert_eq!(
        recorder.seqs(),
        vec![1, 2, 3, 4],
        "the others got every commit"
    );

    release.send(()).unwrap();
    store.execute(issue(5)).await.expect("issued");
    let heard: Vec<String> = (0..4)
        .map(|_| heard.recv_timeout(Duration::from_secs(30)).unwrap())
        .collect();
    assert_eq!(heard, ["1", "2", "missed", "5"]);
}

#[test]
fn the_offline_store_manages_tokens_and_imports_history_for_the_report() {
    use numerek_core::report::{DayRange, GroupBy};

    let dir = tempfile::tempdir().unwrap();
    let now = at("2026-11-23T09:00:00+01:00");
    let offline = OfflineStore::open(dir.path(), config(), now).unwrap();
    assert!(offline.tokens().unwrap().is_empty());
    let older = offline
        .create_token(Role::Admin, Some("it".into()), None, now)
        .unwrap();
    let newer = offline
        .create_token(
            Role::Clerk,
            None,
            Some("1".into()),
            at("2026-11-23T10:00:00+01:00"),
        )
        .unwrap();
    assert_eq!(
        offline.tokens().unwrap(),
        [older.record.clone(), newer.record.clone()],
        "oldest first, as the API lists them"
    );
    assert!(matches!(
        offline.revoke_token("no-such-id"),
        Err(OfflineError::UnknownToken(id)) if id == "no-such-id"
    ));
    offline.revoke_token(&older.record.id).unwrap();
    assert_eq!(
        offline.tokens().unwrap(),
        std::slice::from_ref(&newer.record)
    );

    // A day of history: two tickets of the Friday before, one served after 5 minutes.
    let friday = jiff::civil::date(2026, 11, 20);
    let ticket = |n: u32, called: bool| {
        let issued_at = at("2026-11-20T09:00:00+01:00");
        let called_at = called.then(|| issued_at + SignedDuration::from_mins(5));
        numerek_core::Ticket {
            id: TicketId(format!("h{n}")),
            number: numerek_core::TicketNumber {
                prefix: "A".into(),
                n,
            },
            office_date: friday,
            issue_seq: u64::from(n),
            issued_category: "registration".into(),
            category: "registration".into(),
            priority: false,
            language: None,
            state: if called {
                TicketState::Done
            } else {
                TicketState::Cancelled
            },
            issued_at,
            called_at,
            first_called_at: called_at,
            last_called_at: called_at,
            last_call_seq: 0,
            finished_at: Some(issued_at + SignedDuration::from_mins(10)),
            counter: None,
            last_counter: called.then(|| "1".to_owned()),
            recalls: 0,
            transferred_from: None,
            queue_key: numerek_core::ticket::QueueKey {
                at_ms: issued_at.as_millisecond(),
                order: 0,
            },
            appointment: None,
            feedback: None,
        }
    };
    assert_eq!(
        offline
            .import_history(&[ticket(1, true), ticket(2, false)])
            .unwrap(),
        2
    );
    let summary = offline
        .summary(DayRange::new(friday, friday).unwrap(), GroupBy::Category)
        .unwrap();
    assert_eq!(summary.total.issued, 2);
    assert_eq!(summary.total.called, 1);
    assert_eq!(summary.total.wait_max_s, Some(300.0));
    drop(offline);

    // What the offline store wrote, a server finds: the token works, the history is reported.
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(now));
    let store = Store::open(StoreOptions::new(dir.path().to_path_buf(), config(), clock)).unwrap();
    assert!(store.authenticate(&newer.secret).is_some());
    assert!(store.authenticate(&older.secret).is_none());
    let summary = store
        .summary(DayRange::new(friday, friday).unwrap(), GroupBy::Category)
        .unwrap();
    assert_eq!(summary.total.issued, 2);
}

/// The test office with bookable registration: 15-minute slots of two visits, every day
/// 09:00-12:00, three days ahead; `retention_days` of `days`.
fn bookable(days: u32) -> String {
    with_retention(days).replacen(
        "target_wait_min = 15",
        "target_wait_min = 15\nappointments = { slot_min = 15, per_slot = 2, days_ahead = 3, \
         hours = { mon = \"09:00-12:00\", tue = \"09:00-12:00\", wed = \"09:00-12:00\", \
         thu = \"09:00-12:00\", fri = \"09:00-12:00\" } }",
        1,
    )
}

fn code(text: &str) -> numerek_core::BookingCode {
    text.parse().expect("a booking code")
}

async fn book(store: &Store, code_text: &str, start: &str) {
    store
        .execute(Command::BookAppointment {
            code: code(code_text),
            category: "registration".into(),
            start: at(start),
            language: None,
        })
        .await
        .expect("booked");
}

#[tokio::test]
async fn bookings_are_durable_missed_at_open_kept_by_day_and_deleted_with_their_day() {
    use numerek_core::AppointmentState as State;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T08:00:00+01:00")));
    let office = bookable(1);
    let store = open_with(dir.path(), &clock, &office);
    book(&store, "AAAAAAAA", "2026-11-23T09:00:00+01:00").await;
    book(&store, "BBBBBBBB", "2026-11-23T09:15:00+01:00").await;
    book(&store, "CCCCCCCC", "2026-11-24T09:00:00+01:00").await;
    book(&store, "DDDDDDDD", "2026-11-25T09:00:00+01:00").await;
    clock.set(at("2026-11-23T08:45:00+01:00"));
    store
        .execute(Command::CheckIn {
            code: code("AAAAAAAA"),
            ticket: TicketId("t-a".into()),
        })
        .await
        .expect("checked in");
    store.close();
    drop(store);

    // Reopened at 09:30: B's window closed at 09:25 while the store was closed.
    clock.set(at("2026-11-23T09:30:00+01:00"));
    let store = open_with(dir.path(), &clock, &office);
    let state = |text: &str| {
        store
            .find_appointment(&code(text))
            .unwrap()
            .map(|a| a.state)
    };
    assert_eq!(state("AAAAAAAA"), Some(State::CheckedIn));
    assert_eq!(state("BBBBBBBB"), Some(State::Missed), "missed at open");
    assert_eq!(state("CCCCCCCC"), Some(State::Booked));
    assert_eq!(state("ZZZZZZZZ"), None);
    // The 24th: the day before is read from storage, settled; the report counts the missed one.
    clock.set(at("2026-11-24T08:00:00+01:00"));
    store.start_day_if_due().await.unwrap();
    assert_eq!(state("AAAAAAAA"), Some(State::CheckedIn));
    let day23 = store.appointments_on(day("2026-11-23"), None).unwrap();
    assert_eq!(day23.len(), 2);
    let range =
        numerek_core::report::DayRange::new(day("2026-11-23"), day("2026-11-24")).expect("a range");
    let summary = store
        .summary(range, numerek_core::report::GroupBy::Day)
        .unwrap();
    assert_eq!(summary.total.appointments, 1, "A's ticket");
    assert_eq!(summary.total.appointments_missed, 1, "B");
    // The 26th: with one day kept (the 25th), the 23rd's and 24th's bookings go with their
    // tickets; the 25th's stays, missed when its day ended.
    clock.set(at("2026-11-26T08:00:00+01:00"));
    store.start_day_if_due().await.unwrap();
    assert_eq!(state("AAAAAAAA"), None);
    assert_eq!(state("BBBBBBBB"), None);
    assert_eq!(state("CCCCCCCC"), None);
    assert_eq!(
        state("DDDDDDDD"),
        Some(State::Missed),
        "missed with its day"
    );
    assert!(
        store
            .appointments_on(day("2026-11-23"), None)
            .unwrap()
            .is_empty()
    );
}

/// A ticket of an earlier day, imported as history: issued at `issued_at`, never called.
fn history_ticket(n: u32, issued_at: Timestamp) -> numerek_core::Ticket {
    numerek_core::Ticket {
        id: TicketId(format!("old{n}")),
        number: numerek_core::TicketNumber {
            prefix: "A".into(),
            n,
        },
        office_date: numerek_core::day::office_date(&config().office.tz, issued_at),
        issue_seq: u64::from(n),
        issued_category: "registration".into(),
        category: "registration".into(),
        priority: false,
        language: None,
        state: TicketState::Cancelled,
        issued_at,
        called_at: None,
        first_called_at: None,
        last_called_at: None,
        last_call_seq: 0,
        finished_at: Some(issued_at + SignedDuration::from_mins(10)),
        counter: None,
        last_counter: None,
        recalls: 0,
        transferred_from: None,
        queue_key: numerek_core::ticket::QueueKey {
            at_ms: issued_at.as_millisecond(),
            order: 0,
        },
        appointment: None,
        feedback: None,
    }
}

/// Each ended day's counter record is kept for the staffing report (stored at the rollover,
/// so it outlives the event log) and deleted with the day's tickets by retention.
#[tokio::test]
async fn counter_records_outlive_the_event_log_and_leave_with_their_day() {
    use numerek_core::report::DayRange;
    use numerek_core::staffing::TargetPct;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    let office = with_retention(2);
    let store = open_with(dir.path(), &clock, &office);
    // Monday 23rd to Wednesday 25th: a ticket at 09:00 and counter 1 open 09:00-09:30.
    for n in 1..=3 {
        store.execute(issue(n)).await.unwrap();
        store.execute(counter(CounterAction::Open)).await.unwrap();
        clock.advance(SignedDuration::from_mins(30));
        store.execute(counter(CounterAction::Close)).await.unwrap();
        clock.advance(SignedDuration::from_mins(24 * 60 - 30));
    }
    let range = DayRange::new(day("2026-11-23"), day("2026-11-26")).unwrap();
    let staffed = |store: &Store| -> Vec<(String, Option<f64>)> {
        store
            .staffing(range, TargetPct::default())
            .unwrap()
            .rows
            .iter()
            .map(|r| {
                (
                    numerek_core::config::weekday_key(r.weekday).to_owned(),
                    r.counters_staffed_avg,
                )
            })
            .collect()
    };
    // Before the 26th: Monday's and Tuesday's records were stored at their rollovers (the log
    // no longer holds Monday's events), Wednesday's is made from today's events.
    assert_eq!(
        staffed(&store),
        [
            ("mon".to_owned(), Some(0.5)),
            ("tue".to_owned(), Some(0.5)),
            ("wed".to_owned(), Some(0.5)),
        ]
    );
    // The 26th begins: the 23rd goes, its tickets and its counter record alike.
    store.start_day_if_due().await.unwrap();
    assert_eq!(
        staffed(&store),
        [("tue".to_owned(), Some(0.5)), ("wed".to_owned(), Some(0.5)),]
    );
    store.close();
    drop(store);
    // A ticket of the 23rd imported again finds no counter record of its day: no staffed
    // figure, rather than the deleted one.
    let offline = OfflineStore::open(
        dir.path(),
        Arc::new(OfficeConfig::from_toml(&office).unwrap()),
        clock.now(),
    )
    .unwrap();
    offline
        .import_history(&[history_ticket(1, at("2026-11-23T09:05:00+01:00"))])
        .unwrap();
    let rows = offline
        .staffing(range, TargetPct::default(), clock.now())
        .unwrap()
        .rows;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].counters_staffed_avg, None, "{rows:?}");
    assert_eq!(rows[1].counters_staffed_avg, Some(0.5));
}
