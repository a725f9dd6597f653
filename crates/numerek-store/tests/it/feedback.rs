//! Ratings in the store: durable with their ticket, counted by the report facts, taken for an
//! earlier day's ticket from storage (also in the very batch that ends that day), and the
//! migration of a version 2 database, whose report facts had no rating.

use jiff::{SignedDuration, Timestamp};
use numerek_core::report::{DayRange, GroupBy};
use numerek_core::{
    Command, CounterAction, DomainError, EventKind, OfficeConfig, Score, TicketId, TicketState,
};
use numerek_store::{Clock, DATABASE_FILE, ExecError, ManualClock, Store, StoreOptions};
use std::path::Path;
use std::sync::Arc;

/// The shared all-day test office (`tests/fixtures/all-day-office.toml` of the repository), with
/// one category and one counter.
const OFFICE: &str = concat!(
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/all-day-office.toml"
    )),
    r#"
[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki", en = "Registration" }
target_wait_min = 15

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration"]
"#
);

fn at(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

fn open(dir: &Path, clock: &Arc<ManualClock>) -> Store {
    let config = Arc::new(OfficeConfig::from_toml(OFFICE).expect("test office"));
    let clock: Arc<dyn Clock> = clock.clone();
    Store::open(StoreOptions::new(dir.to_path_buf(), config, clock)).expect("open")
}

fn monday() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 23)
}

fn rate(id: &str, score: u8) -> Command {
    Command::RateTicket {
        id: TicketId(id.into()),
        score: Score::new(score).expect("1 to 5"),
    }
}

/// Issues `t1` … `tn` and serves each at counter 1, four minutes apiece.
async fn serve(store: &Store, clock: &ManualClock, n: usize) {
    for i in 1..=n {
        store
            .execute(Command::IssueTicket {
                id: TicketId(format!("t{i}")),
                category: "registration".into(),
                priority: false,
                language: None,
            })
            .await
            .expect("issue");
    }
    for _ in 1..=n {
        store
            .execute(Command::Counter {
                counter: "1".into(),
                action: CounterAction::CallNext,
            })
            .await
            .expect("call");
        clock.advance(SignedDuration::from_mins(4));
    }
    store
        .execute(Command::Counter {
            counter: "1".into(),
            action: CounterAction::Finish,
        })
        .await
        .expect("finish");
}

fn summary(store: &Store, day: jiff::civil::Date) -> numerek_core::report::Summary {
    store
        .summary(DayRange::new(day, day).unwrap(), GroupBy::Counter)
        .expect("summary")
}

#[tokio::test]
async fn a_rating_is_durable_with_its_ticket_and_counted_by_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    {
        let store = open(dir.path(), &clock);
        serve(&store, &clock, 3).await;
        store.execute(rate("t1", 5)).await.expect("t1");
        store
            .execute(Command::RateAtCounter {
                counter: "1".into(),
                score: Score::new(2).unwrap(),
            })
            .await
            .expect("t3 at the tablet");
        store.close();
    }
    let store = open(dir.path(), &clock);
    {
        let office = store.office();
        let score = |id: &str| office.ticket(&TicketId(id.into())).unwrap().feedback;
        assert_eq!(score("t1"), Score::new(5));
        assert_eq!(score("t2"), None);
        assert_eq!(score("t3"), Score::new(2));
        assert_eq!(
            office.last_done("1").map(|t| t.id.as_str().to_owned()),
            Some("t3".into()),
            "the tablet's last finish survives a restart"
        );
    }
    let row = &summary(&store, monday()).rows[0];
    assert_eq!(row.feedback_count, 2);
    assert_eq!(row.satisfaction_avg, Some(3.5));
    // The event log holds the ratings, in sequence.
    let events = store.events_after(0).unwrap().expect("every event kept");
    let ratings: Vec<_> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::FeedbackGiven { .. }))
        .collect();
    assert_eq!(ratings.len(), 2);
    let again = store.execute(rate("t3", 4)).await;
    assert!(
        matches!(again, Err(ExecError::Domain(DomainError::FeedbackGiven(_)))),
        "{again:?}"
    );
}

#[tokio::test]
async fn an_earlier_days_ticket_is_rated_from_storage_for_24_hours() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T15:00:00+01:00")));
    let store = open(dir.path(), &clock);
    serve(&store, &clock, 2).await;
    // t1 finished 15:04 (by the call of t2), t2 15:08. The next morning:
    clock.set(at("2026-11-24T10:00:00+01:00"));
    store.start_day_if_due().await.expect("a new day");
    assert!(store.office().ticket(&TicketId("t1".into())).is_none());
    let seq = store.office().seq();
    store.execute(rate("t1", 4)).await.expect("the day after");
    assert_eq!(store.office().seq(), seq + 1, "the rating is an event");
    let again = store.execute(rate("t1", 1)).await;
    assert!(
        matches!(again, Err(ExecError::Domain(DomainError::FeedbackGiven(_)))),
        "{again:?}"
    );
    let stored = store
        .find_ticket(&TicketId("t1".into()))
        .unwrap()
        .expect("t1");
    assert_eq!(stored.ticket.feedback, Score::new(4));
    assert_eq!(stored.ticket.state, TicketState::Done);
    // Monday's report counts it; Tuesday's has nothing.
    assert_eq!(summary(&store, monday()).total.feedback_count, 1);
    assert_eq!(summary(&store, monday()).total.satisfaction_avg, Some(4.0));
    assert_eq!(
        summary(&store, jiff::civil::date(2026, 11, 24))
            .total
            .feedback_count,
        0
    );
    // t2 finished 15:08 on Monday: at 15:08 on Tuesday it may still be rated, a moment later
    // not.
    clock.set(at("2026-11-24T15:08:00.001+01:00"));
    let late = store.execute(rate("t2", 5)).await;
    assert!(
        matches!(late, Err(ExecError::Domain(DomainError::FeedbackClosed(_)))),
        "{late:?}"
    );
    let unknown = store.execute(rate("nobody", 5)).await;
    assert!(
        matches!(
            unknown,
            Err(ExecError::Domain(DomainError::UnknownTicket(_)))
        ),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn a_rating_in_the_batch_that_ends_its_day_finds_the_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T23:40:00+01:00")));
    let store = open(dir.path(), &clock);
    serve(&store, &clock, 2).await;
    // Nothing has told the store that the day ended: the rating's batch starts the new day,
    // and Monday's tickets are not indexed by id before that batch is stored.
    clock.set(at("2026-11-24T00:00:05+01:00"));
    store
        .execute(rate("t2", 3))
        .await
        .expect("rated in the batch that ends its day");
    assert_eq!(
        store.office().office_date(),
        jiff::civil::date(2026, 11, 24)
    );
    let stored = store.find_ticket(&TicketId("t2".into())).unwrap().unwrap();
    assert_eq!(stored.ticket.feedback, Score::new(3));
    assert_eq!(summary(&store, monday()).total.feedback_count, 1);
}

/// A database of schema version 2 (report facts without ratings) is upgraded at open: the
/// facts are written anew, ratings included, and the old table is gone.
#[tokio::test]
async fn opening_a_version_2_database_rewrites_the_report_facts_with_ratings() {
    use numerek_store::testing::{SchemaState, downgrade_to_version_2, schema_state};
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(at("2026-11-23T09:00:00+01:00")));
    {
        let store = open(dir.path(), &clock);
        serve(&store, &clock, 2).await;
        store.execute(rate("t1", 5)).await.expect("rated");
        store.execute(rate("t2", 2)).await.expect("rated");
        store.close();
    }
    // Turn the file back into version 2: the facts in the old table and layout.
    let file = dir.path().join(DATABASE_FILE);
    downgrade_to_version_2(&file).expect("a version 2 file");
    assert_eq!(
        schema_state(&file).unwrap(),
        SchemaState {
            version: Some(2),
            report_facts: 0,
            version_2_facts: true,
        }
    );
    let store = open(dir.path(), &clock);
    let total = summary(&store, monday()).total;
    assert_eq!(total.served, 2);
    assert_eq!(total.feedback_count, 2);
    assert_eq!(total.satisfaction_avg, Some(3.5));
    store.close();
    assert_eq!(
        schema_state(&file).unwrap(),
        SchemaState {
            version: Some(3),
            report_facts: 2,
            version_2_facts: false,
        },
        "the facts are rewritten with their ratings, and those without ratings are gone"
    );
}
