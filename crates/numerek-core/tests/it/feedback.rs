//! Satisfaction in the core: the rules of rating a visit one by one (only a served ticket, only
//! once, within 24 hours by its id, within 3 minutes at its counter's tablet, the counter's own
//! last ticket), the rating's event and what an office restored from stored tickets knows; and,
//! over random ticket histories, the report's `feedback_count` and `satisfaction_avg` against a
//! plain count and mean.

use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use numerek_core::report::{DayRange, GroupBy, ReportTicket, summarize};
use numerek_core::{
    Command, CounterAction, Decision, DomainError, EventKind, Office, OfficeConfig, Restored,
    Score, Subject, Ticket, TicketId, TicketState,
};
use proptest::prelude::*;
use std::sync::Arc;

/// The shared all-day test office (`tests/fixtures/all-day-office.toml` of the repository);
/// counter 1 and 2 serve registration, counter 3 passports.
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

[[category]]
id = "passports"
prefix = "P"
name = { pl = "Paszporty", en = "Passports" }
target_wait_min = 20

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration"]

[[counter]]
id = "2"
name = { pl = "Stanowisko 2", en = "Counter 2" }
categories = ["registration"]

[[counter]]
id = "3"
name = { pl = "Stanowisko 3", en = "Counter 3" }
categories = ["passports"]
"#
);

fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

fn score(value: u8) -> Score {
    Score::new(value).expect("1 to 5")
}

/// An office and its clock, driven as the store's writer drives it: the day rolls over if due,
/// then the command runs.
struct Desk {
    office: Office,
    now: Timestamp,
    issued: u32,
}

impl Desk {
    /// Monday 23 November 2026, 09:00 in Warsaw.
    fn new() -> Self {
        let config = Arc::new(OfficeConfig::from_toml(OFFICE).expect("valid"));
        Self {
            office: Office::new(config, date(2026, 11, 23)),
            now: at("2026-11-23T09:00:00+01:00"),
            issued: 0,
        }
    }

    fn later(&mut self, duration: SignedDuration) {
        self.now = self.now.checked_add(duration).expect("in range");
    }

    fn run(&mut self, command: &Command) -> Result<Decision, DomainError> {
        self.office.start_day_if_due(self.now);
        self.office.execute(command, self.now)
    }

    fn issue(&mut self, category: &str) -> TicketId {
        self.issued += 1;
        let id = TicketId(format!("ticket-{}", self.issued));
        self.run(&Command::IssueTicket {
            id: id.clone(),
            category: category.to_owned(),
            priority: false,
            language: None,
        })
        .expect("issued");
        id
    }

    fn act(&mut self, counter: &str, action: CounterAction) {
        self.run(&Command::Counter {
            counter: counter.to_owned(),
            action,
        })
        .unwrap_or_else(|e| panic!("counter {counter}: {e}"));
    }

    /// Issues a ticket, calls and finishes it at `counter`.
    fn serve(&mut self, category: &str, counter: &str) -> TicketId {
        let id = self.issue(category);
        self.act(counter, CounterAction::CallNext);
        self.later(SignedDuration::from_mins(4));
        self.act(counter, CounterAction::Finish);
        id
    }

    fn rate(&mut self, id: &TicketId, value: u8) -> Result<Decision, DomainError> {
        self.run(&Command::RateTicket {
            id: id.clone(),
            score: score(value),
        })
    }

    fn rate_at(&mut self, counter: &str, value: u8) -> Result<Decision, DomainError> {
        self.run(&Command::RateAtCounter {
            counter: counter.to_owned(),
            score: score(value),
        })
    }

    fn ticket(&self, id: &TicketId) -> &Ticket {
        self.office.ticket(id).expect("today's ticket")
    }

    fn number(&self, id: &TicketId) -> String {
        self.ticket(id).number.to_string()
    }
}

/// The one event of a rating, with its ticket.
#[track_caller]
fn rated_ticket(decision: &Decision) -> &Ticket {
    assert_eq!(decision.events.len(), 1, "{decision:?}");
    match &decision.events[0].kind {
        EventKind::FeedbackGiven { ticket } => ticket,
        other => panic!("not a rating: {other:?}"),
    }
}

#[test]
fn scores_are_one_to_five() {
    assert!(Score::new(0).is_none());
    assert!(Score::new(6).is_none());
    assert_eq!(
        (1..=5)
            .filter_map(Score::new)
            .map(Score::get)
            .collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    assert!(Score::try_from(9).is_err());
}

#[test]
fn a_served_ticket_is_rated_once_by_its_id() {
    let mut desk = Desk::new();
    let id = desk.serve("registration", "1");
    let seq = desk.office.seq();
    let before = desk.ticket(&id).clone();
    let decision = desk.rate(&id, 4).expect("rated");
    assert_eq!(decision.subject, Subject::Ticket(id.clone()));
    let event = &decision.events[0];
    assert_eq!(event.seq, seq + 1);
    assert_eq!(event.at, desk.now);
    assert_eq!(event.kind.type_name(), "feedback.given");
    let rated = rated_ticket(&decision);
    assert_eq!(rated.feedback, Some(score(4)));
    // Nothing else of the ticket changes: its state, times and counter stay.
    let mut unrated = rated.clone();
    unrated.feedback = None;
    assert_eq!(unrated, before);
    // Applied: the office's ticket carries the score.
    let kept = desk.ticket(&id).clone();
    assert_eq!(kept.feedback, Some(score(4)));
    assert_eq!(kept.state, TicketState::Done);

    let number = desk.number(&id);
    let again = desk.rate(&id, 5);
    assert_eq!(again, Err(DomainError::FeedbackGiven(number)));
    assert_eq!(
        desk.ticket(&id).feedback,
        Some(score(4)),
        "the first rating stays"
    );
    assert_eq!(desk.office.seq(), seq + 1, "a refusal adds no event");
}

#[test]
fn only_a_done_ticket_is_rated() {
    let mut desk = Desk::new();
    let waiting = desk.issue("registration");
    let number = desk.number(&waiting);
    assert_eq!(
        desk.rate(&waiting, 5),
        Err(DomainError::TicketNotDone(number))
    );

    desk.act("1", CounterAction::CallNext);
    let number = desk.number(&waiting);
    assert_eq!(desk.ticket(&waiting).state, TicketState::Called);
    assert_eq!(
        desk.rate(&waiting, 5),
        Err(DomainError::TicketNotDone(number.clone()))
    );
    desk.act("1", CounterAction::NoShow);
    assert_eq!(
        desk.rate(&waiting, 5),
        Err(DomainError::TicketNotDone(number))
    );

    let cancelled = desk.issue("registration");
    desk.run(&Command::CancelTicket {
        id: cancelled.clone(),
    })
    .expect("cancelled");
    let number = desk.number(&cancelled);
    assert_eq!(
        desk.rate(&cancelled, 1),
        Err(DomainError::TicketNotDone(number))
    );

    let unknown = TicketId("nobody-has-this".into());
    assert_eq!(
        desk.rate(&unknown, 3),
        Err(DomainError::UnknownTicket("nobody-has-this".into()))
    );
    // A ticket finished by the counter's next call is done too.
    let first = desk.issue("registration");
    desk.issue("registration");
    desk.act("2", CounterAction::CallNext);
    desk.act("2", CounterAction::CallNext);
    assert_eq!(desk.ticket(&first).state, TicketState::Done);
    desk.rate(&first, 2).expect("rated");
}

#[test]
fn a_rating_by_id_is_taken_for_24_hours_after_the_finish() {
    let mut desk = Desk::new();
    let id = desk.serve("registration", "1");
    let finished = desk.ticket(&id).finished_at.expect("finished");
    let stored = desk.ticket(&id).clone();
    assert_eq!(
        numerek_core::feedback::open_until(&stored),
        Some(
            finished
                .checked_add(SignedDuration::from_hours(24))
                .unwrap()
        )
    );

    // The next day the office no longer holds it: the writer decides on the stored ticket.
    desk.now = finished
        .checked_add(SignedDuration::from_hours(24))
        .unwrap();
    desk.office.start_day_if_due(desk.now);
    assert!(desk.office.ticket(&id).is_none(), "a new office day");
    assert_eq!(
        desk.rate(&id, 5),
        Err(DomainError::UnknownTicket(id.to_string())),
        "the office alone does not know an earlier day's ticket"
    );
    let seq = desk.office.seq();
    let decision = desk
        .office
        .decide_stored_rating(&stored, score(5), desk.now)
        .expect("exactly 24 hours after the finish");
    assert_eq!(decision.events[0].seq, seq + 1);
    assert_eq!(decision.subject, Subject::Ticket(id.clone()));
    let rated = rated_ticket(&decision).clone();
    assert_eq!(rated.feedback, Some(score(5)));
    assert_eq!(rated.office_date, date(2026, 11, 23));
    // Applying it numbers the event and leaves today's office as it was.
    let before: Vec<Ticket> = desk.office.tickets().cloned().collect();
    for event in &decision.events {
        desk.office.apply(event);
    }
    assert_eq!(desk.office.seq(), seq + 1);
    assert!(desk.office.ticket(&id).is_none());
    assert_eq!(desk.office.tickets().cloned().collect::<Vec<_>>(), before);
    // Rated, it is rated.
    assert_eq!(
        desk.office.decide_stored_rating(&rated, score(1), desk.now),
        Err(DomainError::FeedbackGiven(stored.number.to_string()))
    );

    let late = desk
        .now
        .checked_add(SignedDuration::from_millis(1))
        .unwrap();
    assert_eq!(
        desk.office.decide_stored_rating(&stored, score(5), late),
        Err(DomainError::FeedbackClosed(stored.number.to_string()))
    );
    // Not done stays the first reason, however late.
    let mut waiting = stored.clone();
    waiting.state = TicketState::Cancelled;
    assert_eq!(
        desk.office.decide_stored_rating(&waiting, score(5), late),
        Err(DomainError::TicketNotDone(stored.number.to_string()))
    );
}

#[test]
fn a_stored_copy_of_todays_ticket_is_decided_on_the_office_own() {
    let mut desk = Desk::new();
    let id = desk.serve("registration", "1");
    // What storage held before the ticket was served: the office's copy decides.
    let mut outdated = desk.ticket(&id).clone();
    outdated.state = TicketState::Waiting;
    let decision = desk
        .office
        .decide_stored_rating(&outdated, score(3), desk.now)
        .expect("today's ticket is done");
    assert_eq!(rated_ticket(&decision).state, TicketState::Done);
}

#[test]
fn the_counter_tablet_rates_the_counters_last_finish_for_three_minutes() {
    let mut desk = Desk::new();
    assert_eq!(
        desk.rate_at("1", 5),
        Err(DomainError::NoRecentTicket("1".into())),
        "nothing finished yet"
    );
    let first = desk.serve("registration", "1");
    let second = desk.serve("registration", "1");
    desk.later(SignedDuration::from_mins(3));
    let decision = desk.rate_at("1", 5).expect("exactly three minutes after");
    assert_eq!(
        decision.subject,
        Subject::Counter {
            counter: "1".into(),
            ticket: Some(second.clone()),
        }
    );
    assert_eq!(rated_ticket(&decision).id, second);
    assert_eq!(desk.ticket(&second).feedback, Some(score(5)));
    assert_eq!(desk.ticket(&first).feedback, None, "only the last finish");
    // Once rated, the tablet cannot rate it again.
    assert_eq!(
        desk.rate_at("1", 1),
        Err(DomainError::FeedbackGiven(desk.number(&second)))
    );

    let third = desk.serve("registration", "1");
    desk.later(SignedDuration::from_mins(3) + SignedDuration::from_millis(1));
    assert_eq!(
        desk.rate_at("1", 4),
        Err(DomainError::NoRecentTicket("1".into())),
        "a moment too late"
    );
    // By its id, the holder still may.
    desk.rate(&third, 4).expect("by id");
}

#[test]
fn the_tablet_rates_its_own_counter_only() {
    let mut desk = Desk::new();
    let served = desk.issue("registration");
    let other = desk.issue("registration");
    desk.act("1", CounterAction::CallNext);
    desk.later(SignedDuration::from_mins(4));
    desk.act("1", CounterAction::Finish);
    assert_eq!(
        desk.rate_at("2", 5),
        Err(DomainError::NoRecentTicket("2".into())),
        "counter 2 finished nothing"
    );
    assert_eq!(
        desk.rate_at("9", 5),
        Err(DomainError::UnknownCounter("9".into()))
    );
    // Counter 2 finishes another: each tablet rates its own counter's.
    desk.act("2", CounterAction::CallNext);
    desk.act("2", CounterAction::Finish);
    let decision = desk.rate_at("1", 3).expect("counter 1's");
    assert_eq!(rated_ticket(&decision).id, served);
    let decision = desk.rate_at("2", 2).expect("counter 2's");
    assert_eq!(rated_ticket(&decision).id, other);
}

#[test]
fn phone_and_tablet_rate_a_visit_once_between_them() {
    let mut desk = Desk::new();
    let id = desk.serve("registration", "1");
    desk.rate(&id, 2).expect("on the phone");
    assert_eq!(
        desk.rate_at("1", 5),
        Err(DomainError::FeedbackGiven(desk.number(&id)))
    );
    let next = desk.serve("registration", "1");
    desk.rate_at("1", 5).expect("at the tablet");
    assert_eq!(
        desk.rate(&next, 1),
        Err(DomainError::FeedbackGiven(desk.number(&next)))
    );
}

#[test]
fn what_is_not_served_does_not_move_the_tablet() {
    let mut desk = Desk::new();
    let served = desk.serve("registration", "1");
    // A no-show and a transfer at the counter after it: its last finish is still `served`.
    desk.issue("registration");
    desk.act("1", CounterAction::CallNext);
    desk.act("1", CounterAction::NoShow);
    desk.issue("registration");
    desk.act("1", CounterAction::CallNext);
    desk.act(
        "1",
        CounterAction::Transfer {
            category: "passports".into(),
            position: numerek_core::TransferPosition::Back,
        },
    );
    assert_eq!(
        desk.office.last_done("1").map(|t| t.id.clone()),
        Some(served)
    );
    // The transferred ticket is served at counter 3: it is counter 3's.
    desk.act("3", CounterAction::CallNext);
    desk.act("3", CounterAction::Finish);
    assert_eq!(
        desk.office.last_done("3").map(|t| t.number.to_string()),
        Some("A003".into())
    );
}

#[test]
fn a_new_day_forgets_the_last_finishes() {
    let mut desk = Desk::new();
    desk.serve("registration", "1");
    desk.now = at("2026-11-24T00:00:30+01:00");
    assert_eq!(
        desk.rate_at("1", 5),
        Err(DomainError::NoRecentTicket("1".into()))
    );
    assert!(desk.office.last_done("1").is_none());
}

#[test]
fn an_office_restored_from_its_tickets_knows_ratings_and_last_finishes() {
    let mut desk = Desk::new();
    let early = desk.serve("registration", "1");
    let late = desk.serve("registration", "1");
    let elsewhere = desk.serve("passports", "3");
    desk.rate(&early, 5).expect("rated");
    let mut tickets: Vec<Ticket> = desk.office.tickets().cloned().collect();
    // In any order.
    tickets.sort_by(|a, b| b.id.as_str().cmp(a.id.as_str()));
    let restored = Office::restore(
        desk.office.config().clone(),
        Restored {
            office_date: desk.office.office_date(),
            seq: desk.office.seq(),
            tickets,
            counter_states: Vec::new(),
            counter_profiles: Vec::new(),
            appointments: Vec::new(),
        },
    );
    assert_eq!(restored.ticket(&early).unwrap().feedback, Some(score(5)));
    assert_eq!(restored.last_done("1").map(|t| t.id.clone()), Some(late));
    assert_eq!(
        restored.last_done("3").map(|t| t.id.clone()),
        Some(elsewhere)
    );
    assert!(restored.last_done("2").is_none());
}

/// A generated ticket for the report: (day offset, hour, category, counter, state, score).
type Spec = (i32, u8, usize, Option<usize>, u8, Option<u8>);

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..3i32,
        8..16u8,
        0..2usize,
        proptest::option::of(0..3usize),
        0..5u8,
        proptest::option::of(1..=5u8),
    )
}

const CATEGORIES: [&str; 2] = ["registration", "passports"];
const COUNTERS: [&str; 3] = ["1", "2", "3"];

/// A report fact; only served tickets (called at a counter) carry a score, as in the office.
fn fact(spec: &Spec) -> ReportTicket<'static> {
    let (day, hour, category, counter, state, score) = *spec;
    let state = match state {
        0 => TicketState::Waiting,
        1 => TicketState::Done,
        2 => TicketState::Done,
        3 => TicketState::NoShow,
        _ => TicketState::Cancelled,
    };
    let called = state == TicketState::Done || state == TicketState::NoShow;
    let counter = called.then(|| COUNTERS[counter.unwrap_or(0)]);
    let issued = 1_795_400_000_000 + i64::from(day) * 86_400_000 + i64::from(hour) * 3_600_000;
    ReportTicket {
        office_date: date(2026, 11, 23)
            .checked_add(jiff::Span::new().days(day))
            .unwrap(),
        issue_hour: hour,
        category: CATEGORIES[category],
        counter,
        state,
        issued_ms: issued,
        first_called_ms: called.then_some(issued + 60_000),
        last_called_ms: called.then_some(issued + 60_000),
        finished_ms: state.is_final().then_some(issued + 120_000),
        appointment_start_ms: None,
        feedback: score.filter(|_| state == TicketState::Done),
    }
}

/// The mean of `scores` rounded half up to two decimals, computed plainly.
fn mean(scores: &[u8]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let total: u32 = scores.iter().map(|&s| u32::from(s)).sum();
    let n = scores.len() as u32;
    Some(f64::from((200 * total + n) / (2 * n)) / 100.0)
}

proptest! {
    #[test]
    fn report_ratings_are_a_count_and_a_mean_in_every_grouping(
        specs in proptest::collection::vec(spec(), 0..100)
    ) {
        let config = OfficeConfig::from_toml(OFFICE).unwrap();
        let range = DayRange::new(date(2026, 11, 23), date(2026, 11, 25)).unwrap();
        let facts: Vec<ReportTicket<'static>> = specs.iter().map(fact).collect();
        for group_by in GroupBy::ALL {
            let summary = summarize(&config, range, group_by, facts.iter().copied());
            let all: Vec<u8> = facts.iter().filter_map(|f| f.feedback).collect();
            prop_assert_eq!(summary.total.feedback_count as usize, all.len());
            prop_assert_eq!(summary.total.satisfaction_avg, mean(&all));
            for row in &summary.rows {
                let key = row.key.to_string();
                let mine: Vec<u8> = facts
                    .iter()
                    .filter(|f| match group_by {
                        GroupBy::Category => f.category == key,
                        GroupBy::Counter => f.counter == Some(key.as_str()),
                        GroupBy::Day => f.office_date.to_string() == key,
                        GroupBy::Hour => f.issue_hour.to_string() == key,
                    })
                    .filter_map(|f| f.feedback)
                    .collect();
                prop_assert_eq!(row.feedback_count as usize, mine.len(), "{}", key);
                prop_assert_eq!(row.satisfaction_avg, mean(&mine), "{}", key);
                if let Some(average) = row.satisfaction_avg {
                    prop_assert!((1.0..=5.0).contains(&average));
                }
                prop_assert!(row.feedback_count <= row.served);
            }
            // Every rated ticket was served at a counter: by counter, the rows hold them all.
            let by_rows: u64 = summary.rows.iter().map(|r| r.feedback_count).sum();
            prop_assert_eq!(by_rows, summary.total.feedback_count);
        }
    }
}
