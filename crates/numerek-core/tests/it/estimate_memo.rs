//! The call-out memo must never change an answer: a ticket's view taken through a [`Memo`] kept
//! across any sequence of commands is the view a fresh replay gives.
//!
//! The memo skips the replay when only what the replay cannot see has changed (a ticket at the
//! back of a line longer than the replay lists, and with it that line's issue rate). The runs
//! here start with one line a few tickets short of or past that length, so that it is crossed
//! either way, and then issue, call, cancel and transfer at random, mostly at one instant as a
//! burst of kiosk requests would, across fifo and `listed` counters, with priority tickets
//! overtaking, and book, cancel and check in appointments whose tickets jump the lines from
//! their slots (the bookings of the day are arrivals in the replay, and missed ones leave it).
//! A view is compared whole: the estimate, the range and the wait's mean and variance, which
//! depend on the calls measured (finished calls, calls in progress as time passes), on which
//! counters could call a ticket first (counters 1 and 2 share two lines), and on the share of
//! priority tickets issued so far, which a burst at one instant leaves as it was.

use jiff::{SignedDuration, Timestamp};
use numerek_core::estimate::{LISTED_PER_LINE, Memo};
use numerek_core::{
    BookingCode, Command, CounterAction, Office, OfficeConfig, Subject, TicketId, TransferPosition,
};
use proptest::prelude::*;
use std::sync::Arc;

const OFFICE: &str = r#"
[office]
id = "memo"
name = "Biuro"
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
id = "a"
prefix = "A"
name = { pl = "A" }
target_wait_min = 15
appointments = { slot_min = 15, per_slot = 3, days_ahead = 1, hours = { mon = "00:00-24:00", tue = "00:00-24:00" } }

[[category]]
id = "b"
prefix = "B"
name = { pl = "B" }
target_wait_min = 15

[[category]]
id = "c"
prefix = "C"
name = { pl = "C" }
target_wait_min = 15
appointments = { slot_min = 15, per_slot = 1, days_ahead = 1, hours = { mon = "00:00-24:00", tue = "00:00-24:00" } }

[[counter]]
id = "1"
name = { pl = "1" }
categories = ["a", "b"]

[[counter]]
id = "2"
name = { pl = "2" }
categories = ["b", "a", "c"]
order = "listed"

[[counter]]
id = "3"
name = { pl = "3" }
categories = ["c"]
"#;

const CATEGORIES: [&str; 3] = ["a", "b", "c"];
const COUNTERS: [&str; 3] = ["1", "2", "3"];

#[derive(Debug, Clone)]
enum Op {
    Issue {
        category: usize,
        priority: bool,
    },
    CallNext {
        counter: usize,
    },
    Open {
        counter: usize,
    },
    Finish {
        counter: usize,
    },
    Transfer {
        counter: usize,
        category: usize,
        front: bool,
    },
    Cancel {
        pick: usize,
    },
    Advance {
        seconds: u16,
    },
    /// A booking of category `a` or `c`, `quarters` slots after the next one.
    Book {
        category: usize,
        quarters: u8,
    },
    CheckIn {
        pick: usize,
    },
    CancelBooking {
        pick: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => (0..3usize, prop::bool::weighted(0.1))
            .prop_map(|(category, priority)| Op::Issue { category, priority }),
        2 => (0..3usize).prop_map(|counter| Op::CallNext { counter }),
        1 => (0..3usize).prop_map(|counter| Op::Open { counter }),
        1 => (0..3usize).prop_map(|counter| Op::Finish { counter }),
        1 => (0..3usize, 0..3usize, any::<bool>())
            .prop_map(|(counter, category, front)| Op::Transfer { counter, category, front }),
        1 => any::<usize>().prop_map(|pick| Op::Cancel { pick }),
        1 => (1..600u16).prop_map(|seconds| Op::Advance { seconds }),
        2 => (prop_oneof![Just(0usize), Just(2usize)], 0..4u8)
            .prop_map(|(category, quarters)| Op::Book { category, quarters }),
        2 => any::<usize>().prop_map(|pick| Op::CheckIn { pick }),
        1 => any::<usize>().prop_map(|pick| Op::CancelBooking { pick }),
    ]
}

/// The start of the slot `quarters` after the next quarter hour.
fn slot_after(now: Timestamp, quarters: u8) -> Timestamp {
    const QUARTER_MS: i64 = 15 * 60 * 1000;
    let next = now.as_millisecond().div_euclid(QUARTER_MS) + 1 + i64::from(quarters);
    Timestamp::from_millisecond(next * QUARTER_MS).expect("in range")
}

fn counter(counter: usize, action: CounterAction) -> Command {
    Command::Counter {
        counter: COUNTERS[counter].to_owned(),
        action,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_remembered_plan_answers_as_a_fresh_replay(
        prefill in (LISTED_PER_LINE - 3)..=(LISTED_PER_LINE + 3),
        ops in prop::collection::vec(op(), 1..150),
        picks in prop::collection::vec(any::<usize>(), 3),
    ) {
        let config = Arc::new(OfficeConfig::from_toml(OFFICE).expect("a valid office"));
        let mut now: Timestamp = "2026-11-23T09:00:00+01:00".parse().expect("a time");
        let today = config.office.tz.to_datetime(now).date();
        let mut office = Office::new(config, today);
        let mut memo = Memo::default();
        let mut ids: Vec<TicketId> = Vec::new();
        let mut codes: Vec<BookingCode> = Vec::new();
        let prefill = (0..prefill).map(|_| Op::Issue { category: 0, priority: false });
        let opening = (0..3).map(|counter| Op::Open { counter });
        for op in prefill.chain(opening).chain(ops) {
            let command = match op {
                Op::Issue { category, priority } => {
                    let id = TicketId(format!("t{:05}", ids.len()));
                    ids.push(id.clone());
                    Command::IssueTicket {
                        id,
                        category: CATEGORIES[category].to_owned(),
                        priority,
                        language: None,
                    }
                }
                Op::CallNext { counter: c } => counter(c, CounterAction::CallNext),
                Op::Open { counter: c } => counter(c, CounterAction::Open),
                Op::Finish { counter: c } => counter(c, CounterAction::Finish),
                Op::Transfer { counter: c, category, front } => counter(
                    c,
                    CounterAction::Transfer {
                        category: CATEGORIES[category].to_owned(),
                        position: if front { TransferPosition::Front } else { TransferPosition::Back },
                    },
                ),
                Op::Cancel { pick } => match ids.get(pick % ids.len().max(1)) {
                    Some(id) => Command::CancelTicket { id: id.clone() },
                    None => continue,
                },
                Op::Advance { seconds } => {
                    now = now
                        .checked_add(SignedDuration::from_secs(i64::from(seconds)))
                        .expect("in range");
                    // The store's writer marks the missed bookings before every batch.
                    office.mark_missed_if_due(now);
                    continue;
                }
                Op::Book { category, quarters } => {
                    let n = u32::try_from(codes.len()).expect("a few codes");
                    let [a, b, c, d] = n.to_be_bytes();
                    let code = BookingCode::from_random([a, b, c, d, 7]);
                    codes.push(code);
                    Command::BookAppointment {
                        code,
                        category: CATEGORIES[category].to_owned(),
                        start: slot_after(now, quarters),
                        language: None,
                    }
                }
                Op::CheckIn { pick } => match codes.get(pick % codes.len().max(1)) {
                    Some(&code) => {
                        let id = TicketId(format!("t{:05}", ids.len()));
                        ids.push(id.clone());
                        Command::CheckIn { code, ticket: id }
                    }
                    None => continue,
                },
                Op::CancelBooking { pick } => match codes.get(pick % codes.len().max(1)) {
                    Some(&code) => Command::CancelAppointment { code },
                    None => continue,
                },
            };
            let Ok(decision) = office.execute(&command, now) else { continue };
            let subject = match decision.subject {
                Subject::Ticket(id) => Some(id),
                Subject::Counter { ticket, .. } => ticket,
                Subject::Appointment(_) => None,
            };
            let last = ids.last().cloned();
            let sampled = picks.iter().filter_map(|pick| ids.get(pick % ids.len().max(1)).cloned());
            for id in subject.into_iter().chain(last).chain(sampled) {
                prop_assert_eq!(
                    office.ticket_view_memo(&id, now, &mut memo),
                    office.ticket_view(&id, now),
                    "ticket {} after {:?}", id.0, command
                );
            }
        }
    }
}

/// What the memo is for: a burst of tickets at one instant into a line longer than the replay
/// lists, priority tickets of other lines among them, costs one replay, not one each.
#[test]
fn a_burst_into_a_long_line_costs_one_replay() {
    let config = Arc::new(OfficeConfig::from_toml(OFFICE).expect("a valid office"));
    let mut now: Timestamp = "2026-11-23T09:00:00+01:00".parse().expect("a time");
    let today = config.office.tz.to_datetime(now).date();
    let mut office = Office::new(config, today);
    let issue = |office: &mut Office, n: usize, category: &str, priority: bool, now| {
        let id = TicketId(format!("{category}{n:05}"));
        office
            .execute(
                &Command::IssueTicket {
                    id: id.clone(),
                    category: category.to_owned(),
                    priority,
                    language: None,
                },
                now,
            )
            .expect("issued");
        id
    };
    for n in 0..=LISTED_PER_LINE {
        issue(&mut office, n, "a", n % 10 == 0, now);
    }
    for c in 0..3 {
        office
            .execute(&counter(c, CounterAction::Open), now)
            .expect("open");
    }
    now = now
        .checked_add(SignedDuration::from_secs(30))
        .expect("in range");
    let mut memo = Memo::default();
    for n in 0..40 {
        let id = issue(&mut office, 1000 + n, "a", false, now);
        let view = office.ticket_view_memo(&id, now, &mut memo);
        assert_eq!(view, office.ticket_view(&id, now));
        if n % 8 == 0 {
            // A priority ticket of another line waits behind nobody there: it changes that
            // line's first tickets, and so the replay.
            issue(&mut office, 2000 + n, "c", true, now);
        }
    }
    assert!(
        memo.replays() <= 6,
        "{} replays for 40 tickets",
        memo.replays()
    );
}
