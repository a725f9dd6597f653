//! The rules of numerek-core, one rule per test: numbering, priority, issuing hours and daily
//! limits, routing, transfers, counter states, positions and estimates, the office day, restore.
//!
//! Every test builds a small office from TOML and drives it through the public API with an
//! explicit clock, the way the store's writer does: roll the day over if it is due, then execute.
//! The rules are those of `docs/api.md` and `docs/configuration.md`.

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};
use numerek_core::estimate::{ServiceStats, WaitRange};
use numerek_core::{
    CategoryStatus, ClosedReason, Command, CounterAction, CounterOrder, CounterState, Decision,
    DomainError, Event, EventKind, Office, OfficeConfig, Opening, RECENT_CALLS, Restored,
    StaffRole, StatusView, Subject, Ticket, TicketId, TicketNumber, TicketRef, TicketState,
    TicketView, TransferPosition, WorkProfile,
};
use std::sync::Arc;

/// An office open all day every day, so that only the tests about hours meet closed categories:
/// the shared all-day test office (`tests/fixtures/all-day-office.toml` of the repository) with
/// the categories and counters below.
///
/// `registration` offers priority and has no limit; `tax` offers no priority and has a limit of
/// three a day; `passports` has a two-letter prefix. Counter 1 is fifo over registration and
/// tax (and its clerk may switch it to passports too), counter 2 serves tax then registration
/// in the listed order, counter 3 is fifo over registration and passports.
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
expected_service_min = 4

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki", en = "Taxes" }
target_wait_min = 10
daily_limit = 3
priority = false

[[category]]
id = "passports"
prefix = "PA"
name = { pl = "Paszporty", en = "Passports" }
target_wait_min = 20

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration", "tax"]
may_serve = ["registration", "tax", "passports"]

[[counter]]
id = "2"
name = { pl = "Stanowisko 2", en = "Counter 2" }
categories = ["tax", "registration"]
order = "listed"

[[counter]]
id = "3"
name = { pl = "Stanowisko 3", en = "Counter 3" }
categories = ["registration", "passports"]
"#
);

/// An office with real issuing hours: Monday 8–16 and Friday 8–12 for the office; `tax` only
/// 10–12 on Mondays, closed on Fridays, and 9–11 on Saturdays when the office is closed.
const HOURS: &str = r#"
[office]
id = "hours"
name = "Urząd z godzinami"
timezone = "Europe/Warsaw"
languages = ["pl"]

[office.hours]
mon = "08:00-16:00"
fri = "08:00-12:00"

[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki" }
target_wait_min = 15

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki" }
target_wait_min = 10
hours = { mon = "10:00-12:00", fri = "closed", sat = "09:00-11:00" }

[[counter]]
id = "1"
name = { pl = "Stanowisko 1" }
categories = ["registration", "tax"]
"#;

/// Monday 23 November 2026, nine in the morning in Warsaw (UTC+1).
const MONDAY_9: &str = "2026-11-23T09:00:00+01:00";

/// An instant written in RFC 3339.
fn at(text: &str) -> Timestamp {
    text.parse()
        .unwrap_or_else(|e| panic!("{text} is not a timestamp: {e}"))
}

fn config(toml: &str) -> Arc<OfficeConfig> {
    Arc::new(OfficeConfig::from_toml(toml).expect("the test office is valid"))
}

fn number(text: &str) -> TicketNumber {
    text.parse()
        .unwrap_or_else(|e| panic!("{text} is not a ticket number: {e}"))
}

fn call_number(text: &str) -> CounterAction {
    CounterAction::Call(TicketRef::Number(number(text)))
}

fn transfer(category: &str, position: TransferPosition) -> CounterAction {
    CounterAction::Transfer {
        category: category.to_owned(),
        position,
    }
}

/// An office and its clock for one test. Every command runs at `now`, after the day rollover
/// the store's writer runs before each batch.
struct Desk {
    office: Office,
    now: Timestamp,
    next_id: u32,
}

impl Desk {
    /// An office on the office day of `now`.
    fn new(toml: &str, now: &str) -> Self {
        let config = config(toml);
        let now = at(now);
        let today = config.office.tz.to_datetime(now).date();
        Self {
            office: Office::new(config, today),
            now,
            next_id: 0,
        }
    }

    fn set_time(&mut self, now: &str) {
        self.now = at(now);
    }

    fn later(&mut self, seconds: i64) {
        self.now = self
            .now
            .checked_add(SignedDuration::from_secs(seconds))
            .expect("the test clock stays in range");
    }

    fn run(&mut self, command: &Command) -> Result<Decision, DomainError> {
        self.office.start_day_if_due(self.now);
        self.office.execute(command, self.now)
    }

    fn try_issue_with(
        &mut self,
        category: &str,
        priority: bool,
        language: Option<&str>,
    ) -> Result<TicketId, DomainError> {
        self.next_id += 1;
        let id = TicketId(format!("ticket-{}", self.next_id));
        self.run(&Command::IssueTicket {
            id: id.clone(),
            category: category.to_owned(),
            priority,
            language: language.map(str::to_owned),
        })?;
        Ok(id)
    }

    fn try_issue(&mut self, category: &str) -> Result<TicketId, DomainError> {
        self.try_issue_with(category, false, None)
    }

    /// The refusal of a ticket of `category` outside its hours at `now`, naming the opening at
    /// `opens` (RFC 3339).
    fn closed(&self, category: &str, opens: &str) -> Result<TicketId, DomainError> {
        Err(DomainError::CategoryClosed {
            category: category.to_owned(),
            opens: Some(Opening::new(
                &self.office.config().office.tz,
                at(opens),
                self.now,
            )),
        })
    }

    fn issue(&mut self, category: &str) -> TicketId {
        self.try_issue(category)
            .unwrap_or_else(|e| panic!("issuing in {category}: {e}"))
    }

    fn issue_priority(&mut self, category: &str) -> TicketId {
        self.try_issue_with(category, true, None)
            .unwrap_or_else(|e| panic!("issuing priority in {category}: {e}"))
    }

    fn cancel(&mut self, id: &TicketId) -> Result<Decision, DomainError> {
        self.run(&Command::CancelTicket { id: id.clone() })
    }

    fn act(&mut self, counter: &str, action: CounterAction) -> Result<Decision, DomainError> {
        self.run(&Command::Counter {
            counter: counter.to_owned(),
            action,
        })
    }

    /// The ticket a counter action concerned.
    fn act_ticket(
        &mut self,
        counter: &str,
        action: CounterAction,
    ) -> Result<Option<TicketId>, DomainError> {
        match self.act(counter, action)?.subject {
            Subject::Counter { ticket, .. } => Ok(ticket),
            other => panic!("a counter action answered {other:?}"),
        }
    }

    fn ok(&mut self, counter: &str, action: CounterAction) -> Decision {
        let shown = format!("{action:?} at counter {counter}");
        self.act(counter, action)
            .unwrap_or_else(|e| panic!("{shown}: {e}"))
    }

    /// A new work profile at a counter.
    fn set_profile(
        &mut self,
        counter: &str,
        categories: &[&str],
        order: Option<CounterOrder>,
        by: StaffRole,
    ) -> Result<Decision, DomainError> {
        self.act(
            counter,
            CounterAction::SetProfile {
                categories: categories.iter().map(|&c| c.to_owned()).collect(),
                order,
                by,
            },
        )
    }

    /// The categories a counter serves now and its order.
    fn profile(&self, counter: &str) -> (Vec<String>, CounterOrder) {
        let profile = self.office.profile(counter).expect("a configured counter");
        (profile.categories.clone(), profile.order)
    }

    /// `call-next` at a counter: the number called, if any.
    fn call_next(&mut self, counter: &str) -> Option<String> {
        let called = self
            .act_ticket(counter, CounterAction::CallNext)
            .unwrap_or_else(|e| panic!("call-next at counter {counter}: {e}"));
        called.map(|id| self.number(&id))
    }

    /// Calls until nobody waits for the counter: the numbers in calling order.
    fn call_all(&mut self, counter: &str) -> Vec<String> {
        std::iter::from_fn(|| self.call_next(counter)).collect()
    }

    fn ticket(&self, id: &TicketId) -> &Ticket {
        self.office.ticket(id).expect("a ticket of today")
    }

    fn number(&self, id: &TicketId) -> String {
        self.ticket(id).number.to_string()
    }

    fn view(&self, id: &TicketId) -> TicketView {
        self.office
            .ticket_view(id, self.now)
            .expect("a ticket of today")
    }

    fn status(&self) -> StatusView {
        self.office.status(self.now)
    }

    fn category(&self, id: &str) -> CategoryStatus {
        self.status()
            .categories
            .into_iter()
            .find(|c| c.id == id)
            .expect("a configured category")
    }

    fn counter_state(&self, id: &str) -> CounterState {
        self.office
            .counter_status(id)
            .expect("a configured counter")
            .state
    }

    fn current(&self, counter: &str) -> Option<String> {
        let current = self.office.counter_status(counter)?.current.clone();
        current.map(|id| self.number(&id))
    }

    /// The numbers a counter would call next, in order.
    fn next(&self, counter: &str) -> Vec<String> {
        self.office
            .next_for_counter(counter, 5, self.now)
            .expect("a configured counter")
            .iter()
            .map(|view| view.ticket.number.to_string())
            .collect()
    }
}

fn type_names(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.type_name()).collect()
}

/// The office as it would be rebuilt from storage: today's tickets, the counters' modes and
/// their work profiles.
fn restored(office: &Office) -> Office {
    let counters = &office.config().counters;
    let status = |id: &str| office.counter_status(id).expect("a configured counter");
    Office::restore(
        Arc::clone(office.config()),
        Restored {
            office_date: office.office_date(),
            seq: office.seq(),
            tickets: office.tickets().cloned().collect(),
            counter_states: counters
                .iter()
                .map(|c| (c.id.clone(), status(&c.id).state))
                .collect(),
            counter_profiles: counters
                .iter()
                .map(|c| (c.id.clone(), status(&c.id).profile.clone()))
                .collect(),
            appointments: office.appointments().cloned().collect(),
        },
    )
}

#[path = "rules/appointments.rs"]
mod appointments;

// ----- numbering -------------------------------------------------------------------------------

#[test]
fn numbers_count_up_from_001_in_each_category() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let issued: Vec<String> = [
        "registration",
        "registration",
        "tax",
        "passports",
        "registration",
    ]
    .iter()
    .map(|category| {
        let id = desk.issue(category);
        desk.number(&id)
    })
    .collect();
    assert_eq!(issued, ["A001", "A002", "B001", "PA001", "A003"]);
}

#[test]
fn numbers_grow_past_three_digits_without_a_gap() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let mut shown = Vec::new();
    for expected in 1..=1001 {
        let id = desk.issue("registration");
        assert_eq!(desk.ticket(&id).number.n, expected);
        if expected >= 999 {
            shown.push(desk.number(&id));
        }
    }
    assert_eq!(shown, ["A999", "A1000", "A1001"]);
    assert_eq!(desk.category("registration").issued_today, 1001);
}

#[test]
fn a_two_letter_prefix_numbers_and_is_called_like_a_single_letter() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let first = desk.issue("passports");
    let second = desk.issue("passports");
    assert_eq!(desk.number(&first), "PA001");
    assert_eq!(desk.number(&second), "PA002");
    let called = desk
        .act_ticket("3", call_number("pa2"))
        .expect("PA002 is waiting");
    assert_eq!(called, Some(second));
}

#[test]
fn numbers_are_never_reused_after_cancellations_and_transfers() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let a1 = desk.issue("registration");
    let a2 = desk.issue("registration");
    let a3 = desk.issue("registration");
    desk.cancel(&a3).expect("A003 waits");
    desk.cancel(&a2).expect("A002 waits");
    assert_eq!(desk.call_next("3").as_deref(), Some("A001"));
    desk.ok("3", transfer("tax", TransferPosition::Back));

    let a4 = desk.issue("registration");
    let b1 = desk.issue("tax");
    assert_eq!(
        desk.number(&a4),
        "A004",
        "A002 and A003 are not given again"
    );
    assert_eq!(
        desk.number(&b1),
        "B001",
        "the transferred A001 takes no tax number"
    );
    assert_eq!(desk.number(&a1), "A001", "a transfer keeps the number");
    assert_eq!(desk.category("registration").issued_today, 4);
    assert_eq!(desk.category("tax").issued_today, 1);
}

#[test]
fn a_prefix_given_to_another_category_during_the_day_continues_its_numbers() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let first = desk.issue("registration");
    let second = desk.issue("registration");
    assert_eq!(desk.number(&second), "A002");
    // The office file is changed and the server restarted: "registration" is renamed
    // "residence" and keeps the prefix A. A002 must not be issued again.
    let renamed = OFFICE
        .replacen("id = \"registration\"", "id = \"residence\"", 1)
        .replace("\"registration\"", "\"residence\"");
    let counter_states = vec![];
    let mut office = Office::restore(
        config(&renamed),
        Restored {
            office_date: desk.office.office_date(),
            seq: desk.office.seq(),
            tickets: desk.office.tickets().cloned().collect(),
            counter_states,
            counter_profiles: vec![],
            appointments: Vec::new(),
        },
    );
    assert_eq!(
        office.issued_today("residence"),
        0,
        "the renamed category issued nothing yet"
    );
    let decision = office
        .execute(
            &Command::IssueTicket {
                id: TicketId("renamed-1".into()),
                category: "residence".into(),
                priority: false,
                language: None,
            },
            at(MONDAY_9),
        )
        .expect("issued");
    let ticket = decision.events[0].kind.ticket().expect("a ticket event");
    assert_eq!(ticket.number.to_string(), "A003");
    assert!(
        office.ticket(&first).is_some(),
        "the old tickets stay readable"
    );
}

#[test]
fn numbering_restarts_at_001_on_a_new_office_day() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    desk.issue("registration");
    desk.issue("passports");
    desk.set_time("2026-11-24T07:00:00+01:00");
    let a = desk.issue("registration");
    let pa = desk.issue("passports");
    assert_eq!(desk.office.office_date(), date(2026, 11, 24));
    assert_eq!(desk.number(&a), "A001");
    assert_eq!(desk.number(&pa), "PA001");
    assert_eq!(desk.category("registration").issued_today, 1);
}

// ----- priority, categories, languages -----------------------------------------------------------

#[test]
fn priority_tickets_are_called_before_earlier_normal_tickets() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    desk.later(60);
    desk.issue("registration");
    desk.later(60);
    desk.issue_priority("registration");
    desk.later(60);
    desk.issue_priority("registration");
    assert_eq!(desk.call_all("3"), ["A003", "A004", "A001", "A002"]);
}

#[test]
fn priority_is_refused_in_a_category_that_does_not_offer_it() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let before = desk.status();
    assert_eq!(
        desk.try_issue_with("tax", true, None),
        Err(DomainError::PriorityNotOffered("tax".into()))
    );
    assert_eq!(desk.status(), before, "a refusal changes nothing");
}

#[test]
fn an_unknown_category_is_refused() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    assert_eq!(
        desk.try_issue("parking"),
        Err(DomainError::UnknownCategory("parking".into()))
    );
    assert_eq!(desk.office.seq(), 0);
}

#[test]
fn an_unknown_language_is_refused_and_an_office_language_is_kept() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    assert_eq!(
        desk.try_issue_with("registration", false, Some("de")),
        Err(DomainError::UnknownLanguage("de".into()))
    );
    assert_eq!(desk.office.seq(), 0);
    let id = desk
        .try_issue_with("registration", false, Some("en"))
        .expect("English is an office language");
    assert_eq!(desk.ticket(&id).language.as_deref(), Some("en"));
}

/// The spec checks a request's form (400) before the resources it names (404): a wrong language
/// is refused as such even when the category does not exist either.
#[test]
fn an_unknown_language_is_refused_before_an_unknown_category() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    assert_eq!(
        desk.try_issue_with("parking", false, Some("de")),
        Err(DomainError::UnknownLanguage("de".into()))
    );
}

// ----- issuing hours -----------------------------------------------------------------------------

#[test]
fn tickets_are_issued_from_the_opening_minute_up_to_but_not_including_the_closing_minute() {
    let mut desk = Desk::new(HOURS, "2026-11-23T07:59:59.999+01:00");
    let refused = desk.try_issue("registration");
    assert_eq!(
        refused,
        desk.closed("registration", "2026-11-23T08:00:00+01:00")
    );
    assert_eq!(
        refused.unwrap_err().to_string(),
        "category \"registration\" is not issuing tickets now; it opens today at 08:00"
    );
    desk.set_time("2026-11-23T08:00:00+01:00");
    assert!(desk.try_issue("registration").is_ok(), "opening minute");
    desk.set_time("2026-11-23T15:59:59.999+01:00");
    assert!(desk.try_issue("registration").is_ok(), "last minute");
    desk.set_time("2026-11-23T16:00:00+01:00");
    let refused = desk.try_issue("registration");
    assert_eq!(
        refused,
        desk.closed("registration", "2026-11-27T08:00:00+01:00"),
        "closing minute: open again on Friday"
    );
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .ends_with("it opens Friday 08:00"),
        "the message names the opening"
    );
}

#[test]
fn a_category_with_its_own_hours_issues_only_within_them() {
    let mut desk = Desk::new(HOURS, "2026-11-23T09:59:00+01:00");
    assert_eq!(
        desk.try_issue("tax"),
        desk.closed("tax", "2026-11-23T10:00:00+01:00")
    );
    assert!(desk.try_issue("registration").is_ok(), "office hours apply");
    desk.set_time("2026-11-23T10:00:00+01:00");
    assert!(desk.try_issue("tax").is_ok());
    desk.set_time("2026-11-23T12:00:00+01:00");
    assert_eq!(
        desk.try_issue("tax"),
        desk.closed("tax", "2026-11-28T09:00:00+01:00"),
        "its own Saturday hours come next"
    );
    // Saturday: the office is closed, but tax gives its own hours.
    desk.set_time("2026-11-28T09:30:00+01:00");
    assert!(desk.try_issue("tax").is_ok());
    assert_eq!(
        desk.try_issue("registration"),
        desk.closed("registration", "2026-11-30T08:00:00+01:00")
    );
}

#[test]
fn closed_in_a_categorys_hours_closes_it_on_a_day_the_office_is_open() {
    let mut desk = Desk::new(HOURS, "2026-11-27T10:00:00+01:00");
    assert!(desk.try_issue("registration").is_ok());
    assert_eq!(
        desk.try_issue("tax"),
        desk.closed("tax", "2026-11-28T09:00:00+01:00")
    );
}

#[test]
fn a_day_the_hours_do_not_list_is_closed() {
    for (day, registration, tax) in [
        // Sunday: both open on Monday, each at its own hour.
        (
            "2026-11-29T12:00:00+01:00",
            "2026-11-30T08:00:00+01:00",
            "2026-11-30T10:00:00+01:00",
        ),
        // Tuesday: the office on Friday, tax (closed on Fridays) on Saturday.
        (
            "2026-11-24T12:00:00+01:00",
            "2026-11-27T08:00:00+01:00",
            "2026-11-28T09:00:00+01:00",
        ),
    ] {
        let mut desk = Desk::new(HOURS, day);
        for (category, opens) in [("registration", registration), ("tax", tax)] {
            assert_eq!(
                desk.try_issue(category),
                desk.closed(category, opens),
                "{category} at {day}"
            );
        }
    }
}

#[test]
fn status_says_why_a_category_is_closed_and_when_it_opens() {
    let desk = Desk::new(HOURS, "2026-11-23T09:00:00+01:00");
    let registration = desk.category("registration");
    assert!(registration.open);
    assert_eq!((registration.closed, registration.opens_at), (None, None));
    let tax = desk.category("tax");
    assert!(!tax.open);
    assert_eq!(tax.closed, Some(ClosedReason::Hours));
    assert_eq!(tax.opens_at, Some(at("2026-11-23T10:00:00+01:00")));
    // Sunday: everything opens on Monday.
    let desk = Desk::new(HOURS, "2026-11-29T12:00:00+01:00");
    let opens: Vec<_> = desk
        .status()
        .categories
        .iter()
        .map(|c| (c.open, c.closed, c.opens_at))
        .collect();
    assert_eq!(
        opens,
        [
            (
                false,
                Some(ClosedReason::Hours),
                Some(at("2026-11-30T08:00:00+01:00"))
            ),
            (
                false,
                Some(ClosedReason::Hours),
                Some(at("2026-11-30T10:00:00+01:00"))
            ),
        ]
    );
}

#[test]
fn status_shows_whether_each_category_issues_now() {
    let desk = Desk::new(HOURS, "2026-11-23T09:00:00+01:00");
    let open: Vec<bool> = desk.status().categories.iter().map(|c| c.open).collect();
    assert_eq!(open, [true, false]);
    let desk = Desk::new(HOURS, "2026-11-23T10:30:00+01:00");
    let open: Vec<bool> = desk.status().categories.iter().map(|c| c.open).collect();
    assert_eq!(open, [true, true]);
}

// ----- daily limits ------------------------------------------------------------------------------

#[test]
fn the_daily_limit_refuses_tickets_once_used_up_and_cancelling_gives_none_back() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    assert_eq!(desk.category("tax").remaining_today, Some(3));
    assert_eq!(desk.category("registration").remaining_today, None);
    let first = desk.issue("tax");
    desk.issue("tax");
    desk.issue("tax");
    assert_eq!(desk.category("tax").remaining_today, Some(0));
    let refused = Err(DomainError::DailyLimitReached("tax".into(), 3));
    assert_eq!(desk.try_issue("tax"), refused);
    desk.cancel(&first).expect("B001 waits");
    assert_eq!(
        desk.try_issue("tax"),
        refused,
        "a cancelled ticket was issued"
    );
}

#[test]
fn the_daily_limit_starts_again_on_a_new_office_day() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    for _ in 0..3 {
        desk.issue("tax");
    }
    desk.set_time("2026-11-24T08:00:00+01:00");
    let id = desk.issue("tax");
    assert_eq!(desk.number(&id), "B001");
    assert_eq!(desk.category("tax").remaining_today, Some(2));
}

/// "A ticket counts under the category it was issued in for issued_today and daily limits;
/// waiting counts where it waits now."
#[test]
fn a_transferred_ticket_counts_under_the_category_it_was_issued_in() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let b1 = desk.issue("tax");
    desk.issue("tax");
    desk.issue("registration");
    assert_eq!(desk.call_next("3").as_deref(), Some("A001"));
    desk.ok("3", transfer("tax", TransferPosition::Back));

    let tax = desk.category("tax");
    assert_eq!(
        (tax.issued_today, tax.waiting, tax.remaining_today),
        (2, 3, Some(1))
    );
    let registration = desk.category("registration");
    assert_eq!((registration.issued_today, registration.waiting), (1, 0));
    assert!(desk.try_issue("tax").is_ok(), "A001 used no tax ticket");
    assert_eq!(
        desk.try_issue("tax"),
        Err(DomainError::DailyLimitReached("tax".into(), 3))
    );

    // B001 moves to registration: it still counts for tax's limit.
    desk.ok("1", call_number("B1"));
    desk.ok("1", transfer("registration", TransferPosition::Back));
    assert_eq!(desk.ticket(&b1).category, "registration");
    let tax = desk.category("tax");
    assert_eq!((tax.issued_today, tax.waiting), (3, 3));
    assert_eq!(desk.category("registration").issued_today, 1);
    assert_eq!(
        desk.try_issue("tax"),
        Err(DomainError::DailyLimitReached("tax".into(), 3))
    );
}

// ----- routing -----------------------------------------------------------------------------------

#[test]
fn a_fifo_counter_calls_the_longest_waiting_ticket_across_its_categories() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    desk.later(10);
    desk.issue("tax");
    desk.later(10);
    desk.issue("registration");
    desk.later(10);
    desk.issue("passports");
    assert_eq!(desk.next("1"), ["A001", "B001", "A002"]);
    assert_eq!(desk.call_all("1"), ["A001", "B001", "A002"]);
}

#[test]
fn tickets_issued_at_the_same_instant_are_called_in_issue_order() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("tax");
    desk.issue("registration");
    desk.issue("tax");
    assert_eq!(desk.call_all("1"), ["B001", "A001", "B002"]);
}

#[test]
fn a_fifo_counter_calls_priority_tickets_of_any_of_its_categories_first() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("tax");
    desk.later(10);
    desk.issue("registration");
    desk.later(10);
    desk.issue_priority("registration");
    assert_eq!(desk.call_all("1"), ["A002", "B001", "A001"]);
}

#[test]
fn the_wait_counts_in_the_current_queue_so_a_back_transfer_waits_from_its_transfer() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    desk.later(10);
    desk.issue("tax");
    desk.later(10);
    assert_eq!(desk.call_next("3").as_deref(), Some("A001"));
    desk.later(10);
    desk.ok("3", transfer("tax", TransferPosition::Back));
    desk.later(10);
    desk.issue("registration");
    assert_eq!(desk.call_all("1"), ["B001", "A001", "A002"]);
}

#[test]
fn a_listed_counter_serves_its_categories_in_the_listed_order() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    desk.later(10);
    desk.issue("registration");
    desk.later(10);
    desk.issue("tax");
    desk.later(10);
    desk.issue("tax");
    assert_eq!(desk.next("2"), ["B001", "B002", "A001", "A002"]);
    assert_eq!(desk.call_all("2"), ["B001", "B002", "A001", "A002"]);
}

#[test]
fn a_listed_counter_calls_priority_first_only_within_a_category() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("tax");
    desk.later(10);
    desk.issue("registration");
    desk.later(10);
    desk.issue_priority("registration");
    assert_eq!(desk.call_all("2"), ["B001", "A002", "A001"]);
}

#[test]
fn next_lists_at_most_five_tickets_in_calling_order() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    for _ in 0..7 {
        desk.issue("registration");
        desk.later(5);
    }
    desk.issue_priority("registration");
    assert_eq!(desk.next("3"), ["A008", "A001", "A002", "A003", "A004"]);
}

#[test]
fn call_takes_a_number_in_any_case_and_padding_out_of_order_and_of_any_category() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    desk.issue("registration");
    let a3 = desk.issue("registration");
    let b1 = desk.issue("tax");
    assert_eq!(desk.act_ticket("3", call_number("a3")), Ok(Some(a3)));
    // Counter 3 does not serve tax; a clerk may still call a tax ticket by its number.
    assert_eq!(
        desk.act_ticket("3", call_number("b001")),
        Ok(Some(b1.clone()))
    );
    assert_eq!(desk.ticket(&b1).counter.as_deref(), Some("3"));
    assert_eq!(desk.call_all("3"), ["A001", "A002"]);
}

#[test]
fn a_clerk_may_type_a17_for_a017() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let ids: Vec<TicketId> = (0..20).map(|_| desk.issue("registration")).collect();
    assert_eq!(
        desk.act_ticket("1", call_number("a17")),
        Ok(Some(ids[16].clone()))
    );
    assert_eq!(desk.current("1").as_deref(), Some("A017"));
}

#[test]
fn call_takes_a_ticket_id() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    let a2 = desk.issue("registration");
    let called = desk.act_ticket("1", CounterAction::Call(TicketRef::Id(a2.clone())));
    assert_eq!(called, Ok(Some(a2.clone())));
    assert_eq!(desk.ticket(&a2).state, TicketState::Called);
}

#[test]
fn call_refuses_a_number_or_id_nobody_was_given_today() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    let before = desk.status();
    assert_eq!(
        desk.act("1", call_number("A2")),
        Err(DomainError::UnknownTicket("A002".into()))
    );
    assert_eq!(
        desk.act("1", call_number("C1")),
        Err(DomainError::UnknownTicket("C001".into()))
    );
    let unknown = TicketId("nobody".into());
    assert_eq!(
        desk.act("1", CounterAction::Call(TicketRef::Id(unknown))),
        Err(DomainError::UnknownTicket("nobody".into()))
    );
    assert_eq!(desk.status(), before, "a refusal changes nothing");
}

#[test]
fn call_refuses_a_ticket_that_is_not_waiting() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    desk.issue("registration");
    let a3 = desk.issue("registration");
    desk.call_next("1");
    desk.call_next("2");
    desk.ok("2", CounterAction::Finish);
    desk.cancel(&a3).expect("A003 waits");
    for (number, state) in [("A001", "called"), ("A002", "done"), ("A003", "cancelled")] {
        let before = desk.status();
        assert_eq!(
            desk.act("3", call_number(number)),
            Err(DomainError::TicketNotWaiting(number.into())),
            "{number} is {state}"
        );
        assert_eq!(desk.status(), before, "a refusal changes nothing");
    }
}

#[test]
fn call_next_finishes_the_current_ticket_as_served() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let a1 = desk.issue("registration");
    let a2 = desk.issue("registration");
    desk.call_next("1");
    desk.later(90);
    let decision = desk.ok("1", CounterAction::CallNext);
    assert_eq!(
        type_names(&decision.events),
        ["ticket.finished", "ticket.called"]
    );
    let served = desk.ticket(&a1);
    assert_eq!(served.state, TicketState::Done);
    assert_eq!(served.finished_at, Some(desk.now));
    assert_eq!(desk.current("1").as_deref(), Some("A002"));
    assert_eq!(desk.ticket(&a2).called_at, Some(desk.now));
}

#[test]
fn call_next_opens_a_closed_or_paused_counter() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    for _ in 0..3 {
        desk.issue("registration");
    }
    assert_eq!(desk.counter_state("1"), CounterState::Closed);
    let decision = desk.ok("1", CounterAction::CallNext);
    assert_eq!(
        type_names(&decision.events),
        ["counter.changed", "ticket.called"]
    );
    assert!(matches!(
        decision.events[0].kind,
        EventKind::CounterChanged {
            state: CounterState::Open,
            ..
        }
    ));
    assert_eq!(desk.counter_state("1"), CounterState::Open);

    let decision = desk.ok("1", CounterAction::CallNext);
    assert_eq!(
        type_names(&decision.events),
        ["ticket.finished", "ticket.called"],
        "an open counter stays open without an event"
    );

    desk.ok("1", CounterAction::Pause);
    let decision = desk.ok("1", CounterAction::CallNext);
    assert_eq!(
        type_names(&decision.events),
        ["ticket.finished", "counter.changed", "ticket.called"]
    );
    assert_eq!(desk.counter_state("1"), CounterState::Open);
}

#[test]
fn call_next_with_nobody_waiting_answers_no_ticket_but_finishes_and_opens() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let a1 = desk.issue("registration");
    desk.call_next("1");
    desk.ok("1", CounterAction::Close);
    let decision = desk.ok("1", CounterAction::CallNext);
    assert_eq!(
        decision.subject,
        Subject::Counter {
            counter: "1".into(),
            ticket: None
        }
    );
    assert_eq!(
        type_names(&decision.events),
        ["ticket.finished", "counter.changed"]
    );
    assert_eq!(desk.ticket(&a1).state, TicketState::Done);
    assert_eq!(desk.counter_state("1"), CounterState::Open);
    assert_eq!(desk.current("1"), None);

    let seq = desk.office.seq();
    let decision = desk.ok("1", CounterAction::CallNext);
    assert!(
        decision.events.is_empty(),
        "nothing to finish, open, or call"
    );
    assert_eq!(desk.office.seq(), seq);
}

#[test]
fn call_next_does_not_call_a_ticket_of_a_category_the_counter_does_not_serve() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("passports");
    desk.issue("tax");
    assert_eq!(desk.call_all("1"), ["B001"]);
    assert_eq!(desk.category("passports").waiting, 1);
}

#[test]
fn an_unknown_counter_is_refused() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    for action in [
        CounterAction::Open,
        CounterAction::CallNext,
        call_number("A1"),
    ] {
        assert_eq!(
            desk.act("9", action),
            Err(DomainError::UnknownCounter("9".into()))
        );
    }
    assert_eq!(desk.office.seq(), 1);
}

#[test]
fn recall_needs_a_current_ticket() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    assert_eq!(
        desk.act("1", CounterAction::Recall),
        Err(DomainError::NoCurrentTicket("1".into()))
    );
}

#[test]
fn recall_announces_the_current_ticket_again_and_counts() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let a1 = desk.issue("registration");
    desk.call_next("1");
    let first_call = desk.now;
    desk.later(30);
    let decision = desk.ok("1", CounterAction::Recall);
    assert_eq!(type_names(&decision.events), ["ticket.recalled"]);
    desk.later(30);
    desk.ok("1", CounterAction::Recall);
    let ticket = desk.ticket(&a1);
    assert_eq!(ticket.recalls, 2);
    assert_eq!(ticket.state, TicketState::Called);
    assert_eq!(
        ticket.called_at,
        Some(first_call),
        "called_at keeps the call"
    );
    assert_eq!(ticket.last_called_at, Some(desk.now));
    let calls = desk.status().recent_calls;
    assert_eq!(calls.len(), 1, "a ticket at most once");
    assert_eq!(calls[0].called_at, desk.now);
}

#[test]
fn recent_calls_list_a_ticket_once_newest_first() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    for _ in 0..3 {
        desk.issue("registration");
    }
    desk.call_next("1");
    desk.later(10);
    desk.call_next("2");
    desk.later(10);
    desk.call_next("3");
    desk.later(10);
    desk.ok("1", CounterAction::Recall);
    let calls: Vec<(String, String)> = desk
        .status()
        .recent_calls
        .iter()
        .map(|c| (c.number.to_string(), c.counter.clone()))
        .collect();
    let expected = [("A001", "1"), ("A003", "3"), ("A002", "2")];
    assert_eq!(calls, expected.map(|(n, c)| (n.to_owned(), c.to_owned())));
}

#[test]
fn recent_calls_keep_the_ten_newest() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    for _ in 0..12 {
        desk.issue("registration");
    }
    for _ in 0..12 {
        desk.later(10);
        desk.call_next("1");
    }
    let numbers: Vec<u32> = desk
        .status()
        .recent_calls
        .iter()
        .map(|c| c.number.n)
        .collect();
    assert_eq!(RECENT_CALLS, 10);
    assert_eq!(numbers, (3..=12).rev().collect::<Vec<_>>());
}

// ----- transfers ---------------------------------------------------------------------------------

#[test]
fn a_back_transfer_waits_behind_everyone_from_the_transfer_moment() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let a1 = desk.issue("registration");
    desk.later(10);
    desk.issue("tax");
    desk.later(10);
    desk.issue("tax");
    desk.later(10);
    desk.call_next("3");
    desk.later(10);
    desk.ok("3", transfer("tax", TransferPosition::Back));
    assert_eq!(desk.view(&a1).people_ahead, Some(2));
    assert_eq!(desk.next("2"), ["B001", "B002", "A001"]);
}

#[test]
fn the_default_transfer_position_is_back() {
    assert_eq!(TransferPosition::default(), TransferPosition::Back);
}

#[test]
fn a_front_transfer_goes_just_ahead_of_the_longest_waiting_ticket() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let a1 = desk.issue("registration");
    desk.later(10);
    desk.issue("tax");
    desk.later(10);
    desk.issue("tax");
    desk.later(10);
    desk.call_next("3");
    desk.later(10);
    desk.ok("3", transfer("tax", TransferPosition::Front));
    assert_eq!(desk.view(&a1).people_ahead, Some(0));
    assert_eq!(desk.call_all("2"), ["A001", "B001", "B002"]);
}

#[test]
fn a_front_transfer_into_a_category_where_nobody_waits_waits_from_the_transfer_moment() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    desk.later(10);
    desk.issue("tax");
    desk.later(10);
    desk.call_next("3");
    desk.later(10);
    // Registration is empty now: A001 takes no place older than the transfer.
    desk.ok("3", transfer("registration", TransferPosition::Front));
    desk.later(10);
    desk.issue("registration");
    assert_eq!(desk.call_all("1"), ["B001", "A001", "A002"]);
}

#[test]
fn a_front_transfer_stays_behind_waiting_priority_tickets() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    desk.later(10);
    desk.call_next("3");
    desk.issue_priority("registration");
    desk.later(10);
    desk.issue("registration");
    desk.later(10);
    desk.ok("3", transfer("registration", TransferPosition::Front));
    assert_eq!(desk.call_all("3"), ["A002", "A001", "A003"]);
}

#[test]
fn a_front_transfer_on_a_fifo_counter_goes_ahead_of_what_the_front_ticket_is_ahead_of() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("passports");
    desk.later(10);
    desk.call_next("3");
    desk.issue("tax");
    desk.later(10);
    desk.issue("registration");
    desk.later(10);
    desk.issue("tax");
    desk.later(10);
    // PA001 goes just ahead of A001, so after B001 (which waited longer than A001) and before B002.
    desk.ok("3", transfer("registration", TransferPosition::Front));
    assert_eq!(desk.call_all("1"), ["B001", "PA001", "A001", "B002"]);
}

/// The store runs a batch of commands at one instant, so tickets often start waiting in the
/// same millisecond; a front transfer must still go just ahead of the front ticket, and so
/// behind a ticket of another category that started waiting just before it.
#[test]
fn a_front_transfer_goes_just_ahead_of_the_front_ticket_also_within_one_instant() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    desk.issue("registration");
    assert_eq!(desk.call_next("2").as_deref(), Some("A001"));
    assert_eq!(desk.call_next("3").as_deref(), Some("A002"));
    desk.later(10);
    desk.ok("3", transfer("registration", TransferPosition::Back));
    desk.issue("tax");
    desk.ok("2", transfer("tax", TransferPosition::Front));
    assert_eq!(desk.call_all("1"), ["A002", "A001", "B001"]);
}

#[test]
fn a_transfer_keeps_number_issue_time_and_priority_and_clears_the_call() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let id = desk.issue_priority("registration");
    let issued_at = desk.now;
    desk.later(60);
    desk.call_next("3");
    let called_at = desk.now;
    desk.later(60);
    let decision = desk.ok("3", transfer("passports", TransferPosition::Back));
    assert_eq!(type_names(&decision.events), ["ticket.transferred"]);
    assert_eq!(
        decision.subject,
        Subject::Counter {
            counter: "3".into(),
            ticket: Some(id.clone())
        }
    );
    let ticket = desk.ticket(&id);
    assert_eq!(ticket.number.to_string(), "A001");
    assert_eq!(ticket.issued_at, issued_at);
    assert!(ticket.priority);
    assert_eq!(ticket.state, TicketState::Waiting);
    assert_eq!(ticket.category, "passports");
    assert_eq!(ticket.issued_category, "registration");
    assert_eq!(ticket.transferred_from.as_deref(), Some("registration"));
    assert_eq!(ticket.counter, None);
    assert_eq!(ticket.called_at, None);
    assert_eq!(
        ticket.first_called_at,
        Some(called_at),
        "reports keep the wait"
    );
    assert_eq!(desk.current("3"), None);
    let view = desk.view(&id);
    assert_eq!(view.people_ahead, Some(0));
    assert!(view.estimated_wait_s.is_some());
}

#[test]
fn a_transfer_to_an_unknown_category_is_refused_before_a_missing_ticket() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    assert_eq!(
        desk.act("1", transfer("parking", TransferPosition::Back)),
        Err(DomainError::UnknownCategory("parking".into()))
    );
    desk.issue("registration");
    desk.call_next("1");
    let before = desk.status();
    assert_eq!(
        desk.act("1", transfer("parking", TransferPosition::Front)),
        Err(DomainError::UnknownCategory("parking".into()))
    );
    assert_eq!(desk.status(), before, "a refusal changes nothing");
}

#[test]
fn a_transfer_needs_a_current_ticket() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    assert_eq!(
        desk.act("1", transfer("tax", TransferPosition::Back)),
        Err(DomainError::NoCurrentTicket("1".into()))
    );
}

// ----- counter states ----------------------------------------------------------------------------

#[test]
fn open_pause_and_close_set_the_state_with_one_event_each() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    for (action, state) in [
        (CounterAction::Open, CounterState::Open),
        (CounterAction::Pause, CounterState::Paused),
        (CounterAction::Close, CounterState::Closed),
        (CounterAction::Pause, CounterState::Paused),
        (CounterAction::Open, CounterState::Open),
    ] {
        let decision = desk.ok("2", action);
        assert_eq!(decision.events.len(), 1);
        assert_eq!(
            decision.events[0].kind,
            EventKind::CounterChanged {
                counter: "2".into(),
                state,
                categories: vec!["tax".into(), "registration".into()],
                order: CounterOrder::Listed,
            },
            "the counter's whole setup: its profile in force comes along"
        );
        assert_eq!(desk.counter_state("2"), state);
    }
    assert_eq!(
        desk.counter_state("1"),
        CounterState::Closed,
        "others keep theirs"
    );
}

#[test]
fn an_action_that_changes_nothing_emits_no_event() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let decision = desk.ok("1", CounterAction::Close);
    assert!(decision.events.is_empty(), "every counter starts closed");
    for action in [CounterAction::Open, CounterAction::Pause] {
        desk.ok("1", action.clone());
        let seq = desk.office.seq();
        let decision = desk.ok("1", action.clone());
        assert!(decision.events.is_empty(), "{action:?} twice");
        assert_eq!(desk.office.seq(), seq);
    }
}

#[test]
fn close_and_pause_keep_a_called_ticket_until_it_is_finished() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let a1 = desk.issue("registration");
    desk.call_next("1");
    for action in [CounterAction::Pause, CounterAction::Close] {
        let answered = desk.act_ticket("1", action);
        assert_eq!(
            answered,
            Ok(Some(a1.clone())),
            "the answer is the current ticket"
        );
        assert_eq!(desk.current("1").as_deref(), Some("A001"));
        assert_eq!(desk.ticket(&a1).state, TicketState::Called);
    }
    desk.ok("1", CounterAction::Finish);
    assert_eq!(desk.ticket(&a1).state, TicketState::Done);
    assert_eq!(desk.current("1"), None);
    assert_eq!(desk.counter_state("1"), CounterState::Closed);
}

#[test]
fn finish_and_no_show_end_the_current_ticket() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let a1 = desk.issue("registration");
    let a2 = desk.issue("registration");
    desk.call_next("1");
    desk.later(120);
    let decision = desk.ok("1", CounterAction::Finish);
    assert_eq!(type_names(&decision.events), ["ticket.finished"]);
    assert_eq!(desk.ticket(&a1).state, TicketState::Done);
    desk.call_next("1");
    let decision = desk.ok("1", CounterAction::NoShow);
    assert_eq!(type_names(&decision.events), ["ticket.no_show"]);
    let ticket = desk.ticket(&a2);
    assert_eq!(ticket.state, TicketState::NoShow);
    assert_eq!(ticket.finished_at, Some(desk.now));
    assert_eq!(desk.current("1"), None);
}

#[test]
fn finish_and_no_show_need_a_current_ticket() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    for action in [CounterAction::Finish, CounterAction::NoShow] {
        assert_eq!(
            desk.act("1", action),
            Err(DomainError::NoCurrentTicket("1".into()))
        );
    }
}

#[test]
fn cancelling_takes_a_waiting_ticket_out_of_the_line_and_only_a_waiting_one() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let a1 = desk.issue("registration");
    let a2 = desk.issue("registration");
    let decision = desk.cancel(&a2).expect("A002 waits");
    assert_eq!(type_names(&decision.events), ["ticket.cancelled"]);
    assert_eq!(desk.ticket(&a2).state, TicketState::Cancelled);
    assert_eq!(desk.ticket(&a2).finished_at, Some(desk.now));
    assert_eq!(desk.category("registration").waiting, 1);
    assert_eq!(
        desk.cancel(&a2),
        Err(DomainError::TicketNotWaiting("A002".into()))
    );
    desk.call_next("1");
    assert_eq!(
        desk.cancel(&a1),
        Err(DomainError::TicketNotWaiting("A001".into()))
    );
    assert_eq!(
        desk.cancel(&TicketId("nobody".into())),
        Err(DomainError::UnknownTicket("nobody".into()))
    );
}

// ----- work profiles -----------------------------------------------------------------------------

/// The categories as owned strings, for comparing with a profile.
fn ids(categories: &[&str]) -> Vec<String> {
    categories.iter().map(|&c| c.to_owned()).collect()
}

#[test]
fn every_counter_starts_with_the_profile_of_the_office_file() {
    let desk = Desk::new(OFFICE, MONDAY_9);
    assert_eq!(
        desk.profile("1"),
        (ids(&["registration", "tax"]), CounterOrder::Fifo)
    );
    assert_eq!(
        desk.profile("2"),
        (ids(&["tax", "registration"]), CounterOrder::Listed)
    );
    let status = desk.status();
    let counter = &status.counters[1];
    assert_eq!(counter.categories, ids(&["tax", "registration"]));
    assert_eq!(counter.order, CounterOrder::Listed);
    assert_eq!(desk.office.profile("9"), None);
}

#[test]
fn a_manager_moves_a_counter_to_any_category_and_its_calls_follow() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    desk.issue("tax");
    desk.later(5);
    desk.issue("passports");
    desk.ok("3", CounterAction::Open);
    let decision = desk
        .set_profile("3", &["tax", "passports"], None, StaffRole::Manager)
        .expect("a manager may choose any configured category");
    assert_eq!(
        decision.events.iter().map(|e| &e.kind).collect::<Vec<_>>(),
        [&EventKind::CounterChanged {
            counter: "3".into(),
            state: CounterState::Open,
            categories: ids(&["tax", "passports"]),
            order: CounterOrder::Fifo,
        }],
        "one counter.changed with the new profile and the state it keeps"
    );
    assert_eq!(
        decision.subject,
        Subject::Counter {
            counter: "3".into(),
            ticket: None
        }
    );
    assert_eq!(desk.counter_state("3"), CounterState::Open);
    let view = desk.office.counter_view("3").expect("counter 3");
    assert_eq!(view.categories, ids(&["tax", "passports"]));
    assert_eq!(view.order, CounterOrder::Fifo, "the order in force stays");
    // Registration (A001) waited longest, but counter 3 no longer serves it.
    assert_eq!(desk.next("3"), ["B001", "PA001"]);
    assert_eq!(desk.call_all("3"), ["B001", "PA001"]);
    assert_eq!(desk.next("1"), ["A001"], "other counters are unchanged");
}

#[test]
fn a_new_order_changes_how_the_counter_chooses() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    desk.later(5);
    desk.issue("passports");
    assert_eq!(desk.next("3"), ["A001", "PA001"], "fifo: the longest wait");
    desk.set_profile(
        "3",
        &["passports", "registration"],
        Some(CounterOrder::Listed),
        StaffRole::Clerk,
    )
    .expect("both are in the counter's may_serve (its categories)");
    assert_eq!(
        desk.profile("3"),
        (ids(&["passports", "registration"]), CounterOrder::Listed)
    );
    assert_eq!(desk.next("3"), ["PA001", "A001"], "listed: passports first");
    assert_eq!(desk.call_next("3").as_deref(), Some("PA001"));
}

#[test]
fn a_clerk_switches_only_among_what_may_serve_allows() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    // Counter 1 may serve passports by its may_serve.
    desk.set_profile("1", &["passports"], None, StaffRole::Clerk)
        .expect("within counter 1's may_serve");
    assert_eq!(desk.profile("1").0, ids(&["passports"]));
    // Counter 3's may_serve is its categories: registration and passports.
    let seq = desk.office.seq();
    assert_eq!(
        desk.set_profile("3", &["passports", "tax"], None, StaffRole::Clerk)
            .map(|d| d.events),
        Err(DomainError::NotMayServe {
            counter: "3".into(),
            category: "tax".into()
        })
    );
    assert_eq!(desk.office.seq(), seq, "a refusal changes nothing");
    assert_eq!(desk.profile("3").0, ids(&["registration", "passports"]));
    desk.set_profile("3", &["passports"], None, StaffRole::Clerk)
        .expect("a part of its own categories");
    // What a clerk may not do, a manager may.
    desk.set_profile("3", &["passports", "tax"], None, StaffRole::Manager)
        .expect("a manager is not bound by may_serve");
    assert_eq!(desk.profile("3").0, ids(&["passports", "tax"]));
    // A clerk may always go back to the office file's categories.
    desk.set_profile("3", &["registration", "passports"], None, StaffRole::Clerk)
        .expect("the office file's categories are always in may_serve");
}

#[test]
fn a_profile_is_checked_for_its_form_then_the_counter_then_its_categories_then_the_role() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let seq = desk.office.seq();
    let mut refused = |counter: &str, categories: &[&str], by: StaffRole| {
        desk.set_profile(counter, categories, None, by)
            .expect_err("refused")
    };
    assert_eq!(
        refused("99", &[], StaffRole::Manager),
        DomainError::EmptyProfile,
        "an empty list is the request's form (400), before an unknown counter (404)"
    );
    assert_eq!(
        refused("99", &["tax", "registration", "tax"], StaffRole::Manager),
        DomainError::RepeatedCategory("tax".into())
    );
    assert_eq!(
        refused("99", &["tax"], StaffRole::Manager),
        DomainError::UnknownCounter("99".into())
    );
    assert_eq!(
        refused("3", &["passports", "nowhere"], StaffRole::Clerk),
        DomainError::UnknownCategory("nowhere".into()),
        "an unknown category (404) before may_serve (403): it needs the category to exist"
    );
    assert_eq!(
        refused("3", &["tax", "nowhere"], StaffRole::Clerk),
        DomainError::UnknownCategory("nowhere".into())
    );
    assert_eq!(
        refused("3", &["tax", "registration"], StaffRole::Clerk),
        DomainError::NotMayServe {
            counter: "3".into(),
            category: "tax".into()
        }
    );
    assert_eq!(desk.office.seq(), seq, "nothing changed");
    assert_eq!(
        desk.profile("3"),
        (ids(&["registration", "passports"]), CounterOrder::Fifo)
    );
}

#[test]
fn the_profile_in_force_again_emits_no_event() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let same = desk
        .set_profile("2", &["tax", "registration"], None, StaffRole::Clerk)
        .expect("the same profile");
    assert!(same.events.is_empty(), "nothing changes");
    let same = desk
        .set_profile(
            "2",
            &["tax", "registration"],
            Some(CounterOrder::Listed),
            StaffRole::Clerk,
        )
        .expect("the same profile, order given");
    assert!(same.events.is_empty());
    let reordered = desk
        .set_profile("2", &["registration", "tax"], None, StaffRole::Clerk)
        .expect("another order of the same categories");
    assert_eq!(reordered.events.len(), 1, "the listed order matters");
}

#[test]
fn a_called_ticket_stays_with_the_counter_when_its_profile_changes() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let a1 = desk.issue("registration");
    desk.issue("passports");
    assert_eq!(desk.call_next("3").as_deref(), Some("A001"));
    let decision = desk
        .set_profile("3", &["passports"], None, StaffRole::Clerk)
        .expect("a clerk narrows the counter");
    assert_eq!(
        decision.subject,
        Subject::Counter {
            counter: "3".into(),
            ticket: Some(a1.clone())
        },
        "the answer is about the counter's current ticket"
    );
    assert_eq!(desk.current("3").as_deref(), Some("A001"));
    assert_eq!(desk.ticket(&a1).state, TicketState::Called);
    desk.ok("3", CounterAction::Recall);
    // Call-next serves A001 and calls from the new profile.
    assert_eq!(desk.call_next("3").as_deref(), Some("PA001"));
    assert_eq!(desk.ticket(&a1).state, TicketState::Done);
}

#[test]
fn the_estimate_counts_the_counters_by_their_profile_in_force() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let passports: Vec<TicketId> = (0..4).map(|_| desk.issue("passports")).collect();
    desk.ok("1", CounterAction::Open);
    desk.ok("3", CounterAction::Open);
    // The replay's expected call time (the mean; the estimate shown is its median).
    let estimate = |desk: &Desk| desk.view(&passports[2]).wait.map(|w| w.mean_s);
    // Only counter 3 serves passports: two ahead, five minutes each.
    assert_eq!(estimate(&desk), Some(600.0));
    desk.set_profile("1", &["passports", "registration"], None, StaffRole::Clerk)
        .expect("in counter 1's may_serve");
    // Two counters share them now: both take the two ahead at once, and the third is called
    // when the first of them is done (expected at five minutes each, the first of two comes
    // sooner).
    let shared = estimate(&desk).expect("waiting");
    assert!((200.0..300.0).contains(&shared), "{shared}");
    let now = desk.category("passports").wait.mean_s;
    assert!((shared + 150.0..600.0).contains(&now), "{now}");
    desk.set_profile("3", &["registration"], None, StaffRole::Clerk)
        .expect("part of its categories");
    assert_eq!(estimate(&desk), Some(600.0), "counter 1 alone again");
}

#[test]
fn the_day_rollover_brings_back_the_profiles_of_the_office_file() {
    let mut desk = Desk::new(OFFICE, "2026-11-23T15:00:00+01:00");
    desk.ok("1", CounterAction::Open);
    desk.set_profile("1", &["passports"], None, StaffRole::Clerk)
        .expect("within may_serve");
    desk.set_profile(
        "3",
        &["tax"],
        Some(CounterOrder::Listed),
        StaffRole::Manager,
    )
    .expect("a manager's move of a closed counter");
    desk.set_time("2026-11-24T00:00:00+01:00");
    let events = desk.office.start_day_if_due(desk.now);
    let changed: Vec<&EventKind> = events
        .iter()
        .map(|e| &e.kind)
        .filter(|kind| matches!(kind, EventKind::CounterChanged { .. }))
        .collect();
    let closing = |counter: &str, categories: &[&str]| EventKind::CounterChanged {
        counter: counter.into(),
        state: CounterState::Closed,
        categories: ids(categories),
        order: CounterOrder::Fifo,
    };
    assert_eq!(
        changed,
        [
            &closing("1", &["registration", "tax"]),
            &closing("3", &["registration", "passports"])
        ],
        "an open counter and a closed one with another profile; counter 2 was as the file says"
    );
    assert_eq!(
        events.last().map(|e| e.kind.type_name()),
        Some("day.started")
    );
    assert_eq!(
        desk.profile("1"),
        (ids(&["registration", "tax"]), CounterOrder::Fifo)
    );
    assert_eq!(
        desk.profile("3"),
        (ids(&["registration", "passports"]), CounterOrder::Fifo)
    );
}

#[test]
fn a_profile_lasts_the_day_across_other_counter_actions() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.set_profile("3", &["passports"], None, StaffRole::Clerk)
        .expect("part of its categories");
    for action in [
        CounterAction::Open,
        CounterAction::Pause,
        CounterAction::Close,
        CounterAction::CallNext,
    ] {
        let decision = desk.ok("3", action);
        for event in &decision.events {
            if let EventKind::CounterChanged { categories, .. } = &event.kind {
                assert_eq!(categories, &ids(&["passports"]), "{event:?}");
            }
        }
        assert_eq!(desk.profile("3").0, ids(&["passports"]));
    }
    desk.later(6 * 3600);
    desk.issue("registration");
    assert_eq!(
        desk.profile("3").0,
        ids(&["passports"]),
        "until the day ends"
    );
}

#[test]
fn a_restored_office_keeps_the_profiles_in_force() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    for category in ["registration", "tax", "passports", "registration"] {
        desk.issue(category);
        desk.later(3);
    }
    desk.call_next("3");
    desk.set_profile("3", &["passports"], None, StaffRole::Clerk)
        .expect("part of its categories");
    desk.set_profile(
        "2",
        &["passports", "tax"],
        Some(CounterOrder::Fifo),
        StaffRole::Manager,
    )
    .expect("a manager's move");
    desk.ok("2", CounterAction::Open);
    let restored = restored(&desk.office);
    assert_eq!(restored.status(desk.now), desk.status());
    for counter in ["1", "2", "3"] {
        assert_eq!(restored.profile(counter), desk.office.profile(counter));
        assert_eq!(
            restored.next_for_counter(counter, 5, desk.now),
            desk.office.next_for_counter(counter, 5, desk.now)
        );
    }
}

#[test]
fn a_stored_profile_is_fitted_to_a_changed_office_file() {
    let desk = Desk::new(OFFICE, MONDAY_9);
    let profile = |categories: &[&str]| WorkProfile {
        categories: ids(categories),
        order: CounterOrder::Listed,
    };
    let office = Office::restore(
        Arc::clone(desk.office.config()),
        Restored {
            office_date: desk.office.office_date(),
            seq: 0,
            tickets: vec![],
            counter_states: vec![],
            counter_profiles: vec![
                ("1".into(), profile(&["permits", "tax", "tax"])),
                ("3".into(), profile(&["permits"])),
                ("99".into(), profile(&["tax"])),
            ],
            appointments: Vec::new(),
        },
    );
    assert_eq!(
        office.profile("1").map(|p| (p.categories.clone(), p.order)),
        Some((ids(&["tax"]), CounterOrder::Listed)),
        "a category no longer configured is left out"
    );
    assert_eq!(
        office.profile("3").map(|p| (p.categories.clone(), p.order)),
        Some((ids(&["registration", "passports"]), CounterOrder::Fifo)),
        "none left: the office file's"
    );
}

#[test]
fn an_event_without_a_profile_stands_for_the_office_files() {
    // A `counter.changed` stored before work profiles existed has no categories.
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.set_profile("2", &["passports"], None, StaffRole::Manager)
        .expect("a manager's move");
    let event = Event {
        seq: desk.office.seq() + 1,
        at: desk.now,
        kind: EventKind::CounterChanged {
            counter: "2".into(),
            state: CounterState::Open,
            categories: vec![],
            order: CounterOrder::Fifo,
        },
    };
    desk.office.apply(&event);
    assert_eq!(
        desk.profile("2"),
        (ids(&["tax", "registration"]), CounterOrder::Listed)
    );
    assert_eq!(desk.counter_state("2"), CounterState::Open);
}

// ----- positions and estimates -------------------------------------------------------------------

#[test]
fn people_ahead_counts_the_waiting_tickets_of_the_category_called_before_priority_included() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let a1 = desk.issue("registration");
    desk.issue("tax");
    let a2 = desk.issue("registration");
    let a3 = desk.issue_priority("registration");
    let a4 = desk.issue_priority("registration");
    let ahead = |desk: &Desk, id| desk.view(id).people_ahead;
    assert_eq!(ahead(&desk, &a3), Some(0));
    assert_eq!(ahead(&desk, &a4), Some(1));
    assert_eq!(ahead(&desk, &a1), Some(2));
    assert_eq!(ahead(&desk, &a2), Some(3), "B001 is in another category");
}

#[test]
fn people_ahead_and_the_estimate_are_shown_only_while_waiting() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let a1 = desk.issue("registration");
    desk.call_next("1");
    let view = desk.view(&a1);
    assert_eq!((view.people_ahead, view.estimated_wait_s), (None, None));
}

/// The mean of a waiting ticket's wait (the replay's expected call time), in seconds.
fn expected(view: &TicketView) -> f64 {
    view.wait.expect("a waiting ticket has a wait").mean_s
}

/// The mean counter time the estimate learns from these calls, with `configured_s` configured.
fn learned(calls: &[f64], configured_s: f64) -> f64 {
    let mut stats = ServiceStats::default();
    for &seconds in calls {
        stats.record(seconds);
    }
    stats.call(configured_s).mean_s
}

#[test]
fn the_estimate_and_its_range_are_drawn_from_the_wait() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let ids: Vec<TicketId> = (0..3).map(|_| desk.issue("registration")).collect();
    for id in &ids {
        let view = desk.view(id);
        let shown = WaitRange::of(view.wait.expect("waiting"));
        assert_eq!(view.estimated_wait_s, Some(shown.estimate_s));
        assert_eq!(
            view.estimated_wait_range_s,
            Some([shown.low_s, shown.high_s])
        );
    }
    // Two ahead, four minutes each: a median below the mean of 480 s (a wait is skewed), a
    // range around it.
    let view = desk.view(&ids[2]);
    let [low, high] = view.estimated_wait_range_s.expect("waiting");
    let median = view.estimated_wait_s.expect("waiting");
    assert!(low < median && median < 480.0 && 480.0 < high, "{view:?}");
    let status = desk.category("registration");
    let shown = WaitRange::of(status.wait);
    assert_eq!(status.estimated_wait_s, shown.estimate_s);
    assert_eq!(status.estimated_wait_range_s, [shown.low_s, shown.high_s]);
}

#[test]
fn the_estimate_shares_the_people_ahead_among_the_open_counters_of_the_category() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let ids: Vec<TicketId> = (0..4).map(|_| desk.issue("registration")).collect();
    let mean = |desk: &Desk| expected(&desk.view(&ids[2]));
    // Two ahead, four minutes each (the configured time), no counter open: one is assumed.
    assert_eq!(mean(&desk), 480.0);
    desk.ok("1", CounterAction::Open);
    assert_eq!(mean(&desk), 480.0);
    // Two counters take the two ahead at once; the third is called when the first of them
    // is done: expected at four minutes each, the first of two comes sooner.
    desk.ok("3", CounterAction::Open);
    let shared = mean(&desk);
    assert!((150.0..240.0).contains(&shared), "{shared}");
    desk.ok("2", CounterAction::Pause);
    assert_eq!(mean(&desk), shared, "a paused counter serves nobody");
    assert_eq!(expected(&desk.view(&ids[0])), 0.0);
    assert_eq!(desk.view(&ids[0]).estimated_wait_s, Some(0.0));
    // A category's status estimates a ticket taken now: four ahead, two counters.
    let now = desk.category("registration").wait.mean_s;
    assert!((shared + 150.0..480.0).contains(&now), "{now}");
}

#[test]
fn the_measured_times_are_blended_with_the_configured_one() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    for _ in 0..6 {
        desk.issue("registration");
    }
    // Six waiting, no counter open (one is assumed), four configured minutes each.
    assert_eq!(desk.category("registration").wait.mean_s, 6.0 * 240.0);
    // Counter 3 alone: calls of 60, 120 and 180 s, blended with the configured 240 s.
    let mut calls = Vec::new();
    for (seconds, waiting) in [(60, 5.0), (120, 4.0), (180, 3.0)] {
        desk.call_next("3");
        desk.later(seconds);
        desk.ok("3", CounterAction::Finish);
        calls.push(seconds as f64);
        let mean = desk.category("registration").wait.mean_s;
        assert!(
            (mean - waiting * learned(&calls, 240.0)).abs() < 1e-6,
            "after a call of {seconds} s: {mean}"
        );
    }
    // Shorter calls than configured shorten the estimate, but one bad sample does not decide.
    assert!(learned(&calls, 240.0) < 240.0 && learned(&calls, 240.0) > 120.0);
    // Counter 3 calls the longest waiting of registration and passports first: a passport
    // ticket taken now comes after the three registrations.
    let passports = desk.category("passports").wait.mean_s;
    assert!(
        (passports - 3.0 * learned(&calls, 240.0)).abs() < 1e-6,
        "{passports}"
    );
}

#[test]
fn a_service_is_measured_from_the_last_recall() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    for _ in 0..4 {
        desk.issue("registration");
    }
    for _ in 0..3 {
        desk.call_next("3");
        desk.later(600);
        desk.ok("3", CounterAction::Recall);
        desk.later(60);
        desk.ok("3", CounterAction::Finish);
    }
    // Calls of 60 s, not of 660 s from the first calls.
    let mean = desk.category("registration").wait.mean_s;
    assert!((mean - learned(&[60.0; 3], 240.0)).abs() < 1e-6, "{mean}");
}

#[test]
fn no_shows_hold_the_counter_too() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    for _ in 0..4 {
        desk.issue("registration");
    }
    for _ in 0..3 {
        desk.call_next("3");
        desk.later(30);
        desk.ok("3", CounterAction::NoShow);
    }
    let mean = desk.category("registration").wait.mean_s;
    assert!((mean - learned(&[30.0; 3], 240.0)).abs() < 1e-6, "{mean}");
}

#[test]
fn a_ticket_at_the_front_waits_until_a_counter_frees_up() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    let a2 = desk.issue("registration");
    desk.call_next("3");
    desk.later(60);
    // Counter 3 (the only one open) is a minute into a call of four: what is left of it.
    let rest = |elapsed: f64| ServiceStats::default().remaining(elapsed, 240.0).mean_s;
    assert_eq!(desk.view(&a2).people_ahead, Some(0));
    assert_eq!(expected(&desk.view(&a2)), rest(60.0));
    assert!((150.0..240.0).contains(&rest(60.0)), "{}", rest(60.0));
    desk.later(240);
    // Past its expected length the call is still expected to take a while: a long call is
    // likely a long one.
    assert_eq!(expected(&desk.view(&a2)), rest(300.0));
    assert!(rest(300.0) > 60.0, "{}", rest(300.0));
    let now = desk.category("registration").wait.mean_s;
    assert!((now - (rest(300.0) + 240.0)).abs() < 1e-6, "{now}");
}

#[test]
fn a_counter_shared_by_categories_serves_them_in_its_order() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    // Counter 1 alone, fifo over registration (4 minutes) and tax (5 minutes, the default).
    desk.ok("1", CounterAction::Open);
    let a1 = desk.issue("registration");
    let b1 = desk.issue("tax");
    let a2 = desk.issue("registration");
    // It calls A1, B1, A2: one person is ahead of A2 in its line, but two at its counter.
    assert_eq!(expected(&desk.view(&a1)), 0.0);
    assert_eq!(expected(&desk.view(&b1)), 240.0);
    assert_eq!(desk.view(&a2).people_ahead, Some(1));
    assert_eq!(expected(&desk.view(&a2)), 240.0 + 300.0);
    // Counter 2 serves tax first: it takes B1 now, and A2 goes to whichever of counter 1
    // (A1, four minutes) and counter 2 (B1, five) is done first: sooner than four minutes.
    desk.ok("2", CounterAction::Open);
    assert_eq!(expected(&desk.view(&b1)), 0.0);
    let shared = expected(&desk.view(&a2));
    assert!((120.0..240.0).contains(&shared), "{shared}");
    assert_eq!(
        desk.next("1"),
        ["A001", "B001", "A002"],
        "the estimate follows the routing rule"
    );
}

#[test]
fn priority_tickets_are_estimated_first_and_delay_the_others() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.ok("3", CounterAction::Open);
    let a1 = desk.issue("registration");
    let a2 = desk.issue("registration");
    assert_eq!(expected(&desk.view(&a2)), 240.0);
    let p1 = desk.issue_priority("registration");
    assert_eq!(expected(&desk.view(&p1)), 0.0);
    assert_eq!(expected(&desk.view(&a1)), 240.0);
    assert_eq!(expected(&desk.view(&a2)), 480.0);
}

#[test]
fn priority_tickets_issued_lately_are_foreseen_to_keep_coming() {
    let registration_line = |with_priority_passports: bool| {
        let mut desk = Desk::new(OFFICE, "2026-11-23T08:05:00+01:00");
        if with_priority_passports {
            // Six priority passport tickets in the last hour, one every ten minutes (each
            // withdrawn at once: what counts is that they came).
            for _ in 0..6 {
                let id = desk.issue_priority("passports");
                desk.cancel(&id).expect("a waiting ticket can be cancelled");
                desk.later(600);
            }
        } else {
            desk.later(3600);
        }
        desk.set_time(MONDAY_9);
        desk.ok("3", CounterAction::Open);
        let line: Vec<TicketId> = (0..4).map(|_| desk.issue("registration")).collect();
        line.iter()
            .map(|id| expected(&desk.view(id)))
            .collect::<Vec<f64>>()
    };
    assert_eq!(registration_line(false), [0.0, 240.0, 480.0, 720.0]);
    // Counter 3 serves passports too, priority first: the one foreseen at 600 s is called at
    // 720 s (for its 5 minutes) before A004. (Every ticket issued so far was a priority one,
    // so every passport ticket to come is foreseen as one.)
    assert_eq!(registration_line(true), [0.0, 240.0, 480.0, 720.0 + 300.0]);
}

#[test]
fn the_range_widens_with_the_people_ahead() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.ok("3", CounterAction::Open);
    let line: Vec<TicketId> = (0..6).map(|_| desk.issue("passports")).collect();
    let mut last_width = -1.0;
    for id in &line[1..] {
        let [low, high] = desk.view(id).estimated_wait_range_s.expect("waiting");
        assert!(high - low > last_width, "{low}-{high}");
        last_width = high - low;
    }
}

// ----- the cut-off -------------------------------------------------------------------------------

/// An office with a cut-off: open Monday 8–16, last call 15 minutes after closing (16:15);
/// `archive` turns the cut-off off. Services take 10 minutes.
const CUTOFF: &str = r#"
[office]
id = "cutoff"
name = "Urząd z ostatnim wywołaniem"
timezone = "Europe/Warsaw"
languages = ["pl"]
cutoff_min = 15

[office.hours]
mon = "08:00-16:00"

[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki" }
target_wait_min = 15
expected_service_min = 10

[[category]]
id = "archive"
prefix = "B"
name = { pl = "Archiwum" }
target_wait_min = 15
expected_service_min = 10
cutoff_min = false

[[counter]]
id = "1"
name = { pl = "Stanowisko 1" }
categories = ["registration"]

[[counter]]
id = "2"
name = { pl = "Stanowisko 2" }
categories = ["archive"]
"#;

#[test]
fn the_cut_off_refuses_tickets_estimated_to_be_called_after_the_last_call() {
    let mut desk = Desk::new(CUTOFF, "2026-11-23T15:30:00+01:00");
    desk.ok("1", CounterAction::Open);
    // Expected at 15:30, 15:40, 15:50, 16:00 and 16:10: all before 16:15.
    let line: Vec<TicketId> = (0..5).map(|_| desk.issue("registration")).collect();
    // A sixth: expected at 16:20; its estimate (the median, 47 minutes: 16:17) is past 16:15.
    let next = desk.category("registration");
    assert_eq!(next.wait.mean_s, 3000.0);
    assert!(
        (2820.0..2880.0).contains(&next.estimated_wait_s),
        "{next:?}"
    );
    assert!(!next.open, "the kiosk shows it closed");
    let before = desk.status();
    let refused = desk.try_issue("registration");
    assert_eq!(
        refused,
        Err(DomainError::CutOff {
            category: "registration".into(),
            wait_min: (next.estimated_wait_s / 60.0).ceil() as u32,
            last_call: "16:15".into(),
            opens: Some(Opening::new(
                &desk.office.config().office.tz,
                at("2026-11-30T08:00:00+01:00"),
                desk.now,
            )),
        })
    );
    let message = refused.unwrap_err().to_string();
    assert!(message.contains("no longer issued today"), "{message}");
    assert!(message.contains("16:15"), "{message}");
    assert!(
        message.ends_with("it opens again next Monday 08:00"),
        "{message}"
    );
    let registration = desk.category("registration");
    assert_eq!(registration.closed, Some(ClosedReason::CutOff));
    assert_eq!(
        registration.opens_at,
        Some(at("2026-11-30T08:00:00+01:00")),
        "with the next day's hours"
    );
    assert_eq!(desk.status(), before, "a refusal changes nothing");
    // A priority ticket goes first: it will be called in time.
    desk.issue_priority("registration");
    // Two leave the line: the priority ticket at 15:30, three others until 16:00, and a new
    // ticket at 16:10 is in time again.
    for id in &line[..2] {
        desk.cancel(id).expect("waiting");
    }
    assert!(desk.category("registration").open);
    let fits = desk.issue("registration");
    assert_eq!(expected(&desk.view(&fits)), 2400.0);
}

#[test]
fn a_category_may_turn_the_cut_off_off_and_hours_still_close() {
    let mut desk = Desk::new(CUTOFF, "2026-11-23T15:30:00+01:00");
    for _ in 0..20 {
        desk.issue("archive");
    }
    assert!(desk.category("archive").open);
    desk.set_time("2026-11-23T16:00:00+01:00");
    assert_eq!(
        desk.try_issue("archive"),
        desk.closed("archive", "2026-11-30T08:00:00+01:00")
    );
}

// ----- the office day ----------------------------------------------------------------------------

#[test]
fn the_office_day_turns_at_local_midnight_not_at_utc_midnight() {
    let mut desk = Desk::new(OFFICE, "2026-11-23T22:00:00+01:00");
    assert!(
        desk.office
            .start_day_if_due(at("2026-11-23T23:59:59.999+01:00"))
            .is_empty()
    );
    // 23:30 UTC is still the 23rd in UTC, but half past midnight on the 24th in Warsaw.
    let events = desk.office.start_day_if_due(at("2026-11-23T23:30:00Z"));
    assert_eq!(
        events.last().map(|e| &e.kind),
        Some(&EventKind::DayStarted {
            office_date: date(2026, 11, 24)
        })
    );
    assert!(
        desk.office
            .start_day_if_due(at("2026-11-24T00:00:00Z"))
            .is_empty(),
        "UTC midnight is not a new office day"
    );
}

/// Asserts that the office day changes exactly at `midnight` (the first instant of `day`).
#[track_caller]
fn the_day_turns_at(office: &mut Office, midnight: &str, day: Date) {
    let midnight = at(midnight);
    let just_before = midnight
        .checked_sub(SignedDuration::from_millis(1))
        .expect("in range");
    assert!(office.start_day_if_due(just_before).is_empty());
    let events = office.start_day_if_due(midnight);
    let started: Vec<&EventKind> = events
        .iter()
        .map(|e| &e.kind)
        .filter(|kind| matches!(kind, EventKind::DayStarted { .. }))
        .collect();
    assert_eq!(started, [&EventKind::DayStarted { office_date: day }]);
    assert_eq!(events.last().map(|e| &e.kind), started.first().copied());
    assert_eq!(office.office_date(), day);
}

#[test]
fn the_office_day_of_the_spring_forward_change_has_23_hours() {
    let mut desk = Desk::new(OFFICE, "2026-03-28T20:00:00+01:00");
    the_day_turns_at(
        &mut desk.office,
        "2026-03-29T00:00:00+01:00",
        date(2026, 3, 29),
    );
    // 02:00 does not exist that night: the clocks go from 01:59:59 CET to 03:00 CEST.
    desk.set_time("2026-03-29T03:00:00+02:00");
    let id = desk.issue("registration");
    assert_eq!(desk.ticket(&id).office_date, date(2026, 3, 29));
    the_day_turns_at(
        &mut desk.office,
        "2026-03-30T00:00:00+02:00",
        date(2026, 3, 30),
    );
    assert_eq!(
        at("2026-03-30T00:00:00+02:00").as_second() - at("2026-03-29T00:00:00+01:00").as_second(),
        23 * 3600
    );
}

#[test]
fn the_office_day_of_the_fall_back_change_has_25_hours() {
    let mut desk = Desk::new(OFFICE, "2026-10-24T20:00:00+02:00");
    the_day_turns_at(
        &mut desk.office,
        "2026-10-25T00:00:00+02:00",
        date(2026, 10, 25),
    );
    // 02:30 happens twice that night, once in summer time and once in winter time.
    desk.set_time("2026-10-25T02:30:00+02:00");
    let first = desk.issue("registration");
    desk.set_time("2026-10-25T02:30:00+01:00");
    let second = desk.issue("registration");
    assert_eq!(desk.number(&first), "A001");
    assert_eq!(
        desk.number(&second),
        "A002",
        "the repeated hour is the same day"
    );
    the_day_turns_at(
        &mut desk.office,
        "2026-10-26T00:00:00+01:00",
        date(2026, 10, 26),
    );
}

#[test]
fn a_new_office_day_cancels_leftovers_closes_counters_and_starts_last() {
    let mut desk = Desk::new(OFFICE, "2026-11-23T15:00:00+01:00");
    let a1 = desk.issue("registration");
    let b1 = desk.issue("tax");
    desk.issue("registration");
    let pa1 = desk.issue("passports");
    desk.call_next("3"); // A001, called at the open counter 3
    desk.ok("1", call_number("A2")); // A002 at counter 1 ...
    desk.ok("1", CounterAction::Finish); // ... done
    desk.ok("1", CounterAction::Pause);
    let seq = desk.office.seq();
    let midnight = at("2026-11-24T00:00:00+01:00");

    let events = desk.office.start_day_if_due(midnight);
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (seq + 1..=seq + 6).collect::<Vec<_>>(), "consecutive");
    assert!(events.iter().all(|e| e.at == midnight));
    let cancelled: Vec<(String, &TicketId)> = events[..3]
        .iter()
        .map(|e| match &e.kind {
            EventKind::TicketCancelled { ticket } => {
                assert_eq!(ticket.state, TicketState::Cancelled);
                assert_eq!(ticket.finished_at, Some(midnight));
                (ticket.number.to_string(), &ticket.id)
            }
            other => panic!("expected a cancellation, got {other:?}"),
        })
        .collect();
    assert_eq!(
        cancelled,
        [
            ("PA001".into(), &pa1),
            ("A001".into(), &a1),
            ("B001".into(), &b1)
        ],
        "waiting and called tickets, by category id and number"
    );
    let closed: Vec<&EventKind> = events[3..5].iter().map(|e| &e.kind).collect();
    let closing = |counter: &str| EventKind::CounterChanged {
        counter: counter.into(),
        state: CounterState::Closed,
        categories: desk
            .office
            .config()
            .counter(counter)
            .unwrap()
            .categories
            .clone(),
        order: CounterOrder::Fifo,
    };
    assert_eq!(
        closed,
        [&closing("1"), &closing("3")],
        "counter 2 was closed"
    );
    assert_eq!(
        events[5].kind,
        EventKind::DayStarted {
            office_date: date(2026, 11, 24)
        }
    );

    let status = desk.office.status(midnight);
    assert_eq!(status.office_date, date(2026, 11, 24));
    assert!(
        status
            .categories
            .iter()
            .all(|c| c.waiting == 0 && c.issued_today == 0)
    );
    assert!(
        status
            .counters
            .iter()
            .all(|c| c.state == CounterState::Closed && c.current.is_none())
    );
    assert!(status.recent_calls.is_empty());
    assert_eq!(
        desk.office.ticket(&a1),
        None,
        "yesterday's tickets are the store's"
    );
    desk.set_time("2026-11-24T08:00:00+01:00");
    let id = desk.issue("registration");
    assert_eq!(desk.number(&id), "A001");
}

#[test]
fn no_rollover_while_the_clock_stays_in_the_day_or_goes_back() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    desk.issue("registration");
    for instant in [
        MONDAY_9,
        "2026-11-23T00:00:00+01:00",
        "2026-11-23T23:59:59+01:00",
        "2026-11-22T12:00:00+01:00",
        "2025-01-01T12:00:00+01:00",
    ] {
        assert!(
            desk.office.day_rollover(at(instant)).is_empty(),
            "{instant}"
        );
        assert!(
            desk.office.start_day_if_due(at(instant)).is_empty(),
            "{instant}"
        );
    }
    assert_eq!(desk.office.office_date(), date(2026, 11, 23));
    assert_eq!(desk.category("registration").waiting, 1);
}

#[test]
fn a_rollover_over_skipped_days_starts_only_the_current_day() {
    let mut desk = Desk::new(OFFICE, "2026-11-20T16:00:00+01:00");
    desk.issue("registration");
    desk.ok("1", CounterAction::Open);
    // The server was down over the weekend.
    let events = desk
        .office
        .start_day_if_due(at("2026-11-23T07:00:00+01:00"));
    assert_eq!(
        type_names(&events),
        ["ticket.cancelled", "counter.changed", "day.started"]
    );
    assert_eq!(
        events[2].kind,
        EventKind::DayStarted {
            office_date: date(2026, 11, 23)
        }
    );
    assert_eq!(desk.office.office_date(), date(2026, 11, 23));
}

#[test]
fn commands_after_midnight_run_in_the_new_day() {
    let mut desk = Desk::new(OFFICE, "2026-11-23T23:59:00+01:00");
    let yesterday = desk.issue("registration");
    desk.set_time("2026-11-24T00:01:00+01:00");
    assert_eq!(
        desk.cancel(&yesterday),
        Err(DomainError::UnknownTicket(yesterday.to_string())),
        "the live office knows today's tickets only"
    );
    assert_eq!(desk.call_next("1"), None);
}

// ----- restore -----------------------------------------------------------------------------------

/// Asserts that an office rebuilt from `office`'s tickets and counter states shows the same
/// status, ticket views and counter lines, and decides the next commands the same way.
#[track_caller]
fn restores_the_same(office: &Office, now: Timestamp) {
    let restored = restored(office);
    assert_eq!(restored.status(now), office.status(now));
    for ticket in office.tickets() {
        assert_eq!(
            restored.ticket_view(&ticket.id, now),
            office.ticket_view(&ticket.id, now)
        );
    }
    for counter in &office.config().counters {
        assert_eq!(
            restored.next_for_counter(&counter.id, 5, now),
            office.next_for_counter(&counter.id, 5, now)
        );
        let command = Command::Counter {
            counter: counter.id.clone(),
            action: CounterAction::CallNext,
        };
        assert_eq!(restored.decide(&command, now), office.decide(&command, now));
    }
    let issue = Command::IssueTicket {
        id: TicketId("after-restore".into()),
        category: "registration".into(),
        priority: false,
        language: None,
    };
    assert_eq!(restored.decide(&issue, now), office.decide(&issue, now));
}

#[test]
fn a_restored_office_shows_what_the_office_that_stored_it_showed() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    let mut ids = Vec::new();
    for category in ["registration", "tax", "registration", "passports", "tax"] {
        ids.push(desk.issue(category));
        desk.later(7);
    }
    ids.push(desk.issue_priority("registration"));
    desk.later(7);
    desk.call_next("1");
    desk.later(11);
    desk.call_next("3");
    desk.later(13);
    desk.ok("3", transfer("tax", TransferPosition::Front));
    desk.later(17);
    desk.call_next("2");
    desk.later(19);
    desk.ok("2", CounterAction::Recall);
    desk.later(23);
    desk.ok("1", CounterAction::CallNext);
    desk.later(29);
    desk.ok("1", CounterAction::NoShow);
    desk.later(31);
    desk.cancel(&ids[3]).expect("PA001 waits");
    desk.ok("3", CounterAction::CallNext);
    desk.later(37);
    desk.ok("3", transfer("registration", TransferPosition::Back));
    desk.ok("1", CounterAction::Pause);
    for _ in 0..3 {
        desk.issue("registration");
        desk.later(41);
    }
    desk.call_next("3");
    desk.later(43);
    desk.ok("3", CounterAction::Finish);
    desk.ok("3", CounterAction::Close);
    restores_the_same(&desk.office, desk.now);
}

#[test]
fn a_restored_office_shows_the_measured_service_times() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    for _ in 0..5 {
        desk.issue("registration");
    }
    for seconds in [100, 200, 400] {
        desk.call_next("3");
        desk.later(seconds);
        desk.ok("3", CounterAction::Finish);
    }
    restores_the_same(&desk.office, desk.now);
}

/// The store's writer runs a whole batch of commands at one instant, so two counters pressing
/// `call-next` together call at the same instant; the restored `recent_calls` must still list
/// the later call first.
#[test]
fn a_restored_office_lists_calls_of_one_instant_in_the_order_they_were_made() {
    let mut desk = Desk::new(OFFICE, MONDAY_9);
    for _ in 0..3 {
        desk.issue("registration");
    }
    desk.later(10);
    desk.ok("1", call_number("A3"));
    desk.ok("3", CounterAction::CallNext);
    desk.ok("2", CounterAction::CallNext);
    let calls: Vec<String> = desk
        .status()
        .recent_calls
        .iter()
        .map(|c| c.number.to_string())
        .collect();
    assert_eq!(calls, ["A002", "A001", "A003"]);
    restores_the_same(&desk.office, desk.now);
}
