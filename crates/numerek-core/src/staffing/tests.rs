//! The staffing arithmetic against figures worked out by hand, and the counter record made
//! from the office's own events.

use super::*;
use crate::command::{Command, CounterAction, StaffRole};
use crate::counter::CounterState;
use crate::event::{Event, EventKind};
use crate::ids::TicketId;
use crate::office::Office;
use jiff::Timestamp;
use jiff::civil::date;
use std::sync::Arc;

/// Two categories and two counters: counter 1 is shared by registration and tax, counter 2
/// serves registration.
const OFFICE: &str = r#"
[office]
id = "staffing"
name = "Urząd"
timezone = "Europe/Warsaw"
languages = ["pl"]

[office.hours]
mon = "08:00-16:00"
tue = "08:00-16:00"
wed = "08:00-16:00"

[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki" }
target_wait_min = 10

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki" }
target_wait_min = 15

[[counter]]
id = "1"
name = { pl = "Stanowisko 1" }
categories = ["registration", "tax"]

[[counter]]
id = "2"
name = { pl = "Stanowisko 2" }
categories = ["registration"]
"#;

const REG: &str = "registration";
const TAX: &str = "tax";

fn config() -> OfficeConfig {
    OfficeConfig::from_toml(OFFICE).expect("the test office is valid")
}

/// Milliseconds of a local time on a day of November 2026 (Warsaw is UTC+1 then).
fn ms(day: i8, hh_mm: &str) -> i64 {
    let text = format!("2026-11-{day:02}T{hh_mm}:00+01:00");
    text.parse::<Timestamp>()
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .as_millisecond()
}

/// A ticket of `day` issued at `issued`; `call` is (counter, last call, finish) for a ticket
/// that ended at a counter in `state`.
fn ticket(
    day: i8,
    category: &'static str,
    issued: &str,
    call: Option<(&'static str, &str, &str)>,
    state: TicketState,
) -> ReportTicket<'static> {
    let issued_ms = ms(day, issued);
    let hour = issued[..2].parse().expect("an hour");
    ReportTicket {
        office_date: date(2026, 11, day),
        issue_hour: hour,
        category,
        counter: call.map(|(counter, ..)| counter),
        state,
        issued_ms,
        first_called_ms: call.map(|(_, at, _)| ms(day, at)),
        last_called_ms: call.map(|(_, at, _)| ms(day, at)),
        finished_ms: match (state, call) {
            (TicketState::Cancelled, _) => Some(issued_ms + 60_000),
            (_, Some((_, _, end))) => Some(ms(day, end)),
            _ => None,
        },
        appointment_start_ms: None,
        feedback: None,
    }
}

fn span(
    day: i8,
    counter: &str,
    state: CounterState,
    from: &str,
    to: &str,
    serves: &[&str],
) -> CounterSpan {
    CounterSpan {
        counter: counter.into(),
        state,
        start_ms: ms(day, from),
        end_ms: ms(day, to),
        categories: serves.iter().map(|&c| c.to_owned()).collect(),
    }
}

/// A row as a tuple: category, weekday, hour, days, arrivals an hour, mean service, counters
/// staffed, counters needed, predicted share within target.
type Figures<'a> = (
    &'a str,
    Weekday,
    u8,
    u32,
    f64,
    Option<f64>,
    Option<f64>,
    u32,
    Option<f64>,
);

fn figures(row: &StaffingRow) -> Figures<'_> {
    (
        &row.category,
        row.weekday,
        row.hour,
        row.days,
        row.arrivals_per_h,
        row.service_avg_s,
        row.counters_staffed_avg,
        row.counters_needed,
        row.predicted_within_target_pct,
    )
}

/// Two weeks from Monday 23 November 2026, with tickets on two Mondays, a Tuesday and a
/// Wednesday; counters recorded on all of those days but the Wednesday.
#[test]
fn a_small_fortnight_worked_out_by_hand() {
    use TicketState::{Cancelled, Done, NoShow};
    use Weekday::{Monday, Tuesday, Wednesday};
    let (open, paused) = (CounterState::Open, CounterState::Paused);
    let tickets = vec![
        // Monday 23: at 9, three registrations and one tax, every one served.
        ticket(23, REG, "09:00", Some(("2", "09:00", "09:10")), Done),
        ticket(23, REG, "09:05", Some(("2", "09:10", "09:20")), Done),
        ticket(23, TAX, "09:00", Some(("1", "09:00", "09:20")), Done),
        ticket(23, REG, "09:30", Some(("1", "09:30", "09:40")), Done),
        // Tuesday 24: at 11, one of each at counter 1.
        ticket(24, TAX, "11:00", Some(("1", "11:05", "11:15")), Done),
        ticket(24, REG, "11:10", Some(("1", "11:15", "11:25")), Done),
        // Wednesday 25: one registration, withdrawn; no counter record that day.
        ticket(25, REG, "08:30", None, Cancelled),
        // Monday 30: at 9, a no-show and a withdrawn registration, and a tax served into 10.
        ticket(30, REG, "09:15", Some(("2", "09:20", "09:22")), NoShow),
        ticket(30, REG, "09:20", None, Cancelled),
        ticket(30, TAX, "09:40", Some(("1", "09:45", "10:15")), Done),
    ];
    let days = [
        CounterDay {
            office_date: date(2026, 11, 23),
            spans: vec![
                // Counter 1 works until 10:30; from 10 it serves nobody.
                span(23, "1", open, "09:00", "10:30", &[REG, TAX]),
                span(23, "2", open, "09:00", "10:00", &[REG]),
            ],
        },
        CounterDay {
            office_date: date(2026, 11, 24),
            spans: vec![
                span(24, "1", open, "11:00", "12:00", &[REG, TAX]),
                // Counter 2, moved to both categories for the day, serves nobody.
                span(24, "2", open, "11:30", "12:00", &[REG, TAX]),
            ],
        },
        CounterDay {
            office_date: date(2026, 11, 30),
            spans: vec![
                // Counter 1 moved to tax only.
                span(30, "1", open, "09:30", "10:30", &[TAX]),
                span(30, "2", open, "09:00", "09:30", &[REG]),
                span(30, "2", paused, "09:30", "10:00", &[REG]),
            ],
        },
        // A day outside the range changes nothing.
        CounterDay {
            office_date: date(2026, 12, 7),
            spans: vec![span(7, "1", open, "09:00", "10:00", &[TAX])],
        },
    ];
    let range = DayRange::new(date(2026, 11, 23), date(2026, 12, 6)).expect("a range");
    let staffing = plan_staffing(&config(), range, TargetPct::default(), tickets, &days);

    // Monday, 9 o'clock, over two Mondays.
    // Counters on the 23rd: counter 1 was busy 20 min with tax and 10 with registration, so
    // its hour splits 2/3 tax, 1/3 registration; counter 2 served only registration: 1.
    // Registration 4/3, tax 2/3. On the 30th: counter 1 open 30 min, busy with tax only: 0.5
    // tax; counter 2 open 30 min (its paused half is not staffed), busy with a no-show of
    // registration: 0.5 registration. Averages: registration (4/3 + 1/2) / 2 = 0.92, tax
    // (2/3 + 1/2) / 2 = 0.58.
    // Registration: 5 arrivals in 2 days = 2.5 an hour; service 600 s (the no-show and the
    // withdrawn ticket have none). Load 2.5 × 600 / 3600 = 0.417 erlang; one counter puts
    // 1 − 0.417·e^(−0.583) = 76.7 % within 10 minutes, two 98.5 %: 2 needed. With 0.92
    // counters: 0.92 × 76.7 % = 70.6 %.
    // Tax: 2 arrivals in 2 days, service (1200 + 1800) / 2 = 1500 s: load 0.417 again; one
    // counter 1 − 0.417·e^(−0.583 × 900 / 1500) = 70.6 %, two 97.2 %: 2 needed. With 0.58:
    // 0.58 × 70.64 % = 41.0 %.
    // Monday at 10 has counter time (counter 1 idle until 10:30, the tax ticket into 10:15)
    // but no arrivals: no row.
    // Tuesday, 11 o'clock, one day: counter 1 busy 10 min with each: 0.5 each; counter 2
    // idle for half an hour over both: 0.25 each. 1 arrival, 600 s: load 0.167; one counter
    // puts 1 − (1/6)·e^(−5/6) = 92.8 % within 10 min (tax: 1 − (1/6)·e^(−1.25) = 95.2 % within
    // 15): 1 needed; with 0.75 counters 69.6 % and 71.4 %.
    // Wednesday, 8 o'clock: one withdrawn registration, no counter record. Its model service
    // is registration's mean over the range, 600 s: 1 needed.
    #[rustfmt::skip]
    let expected: [Figures<'_>; 5] = [
        (REG, Monday, 9, 2, 2.5, Some(600.0), Some(0.92), 2, Some(70.6)),
        (REG, Tuesday, 11, 1, 1.0, Some(600.0), Some(0.75), 1, Some(69.6)),
        (REG, Wednesday, 8, 1, 1.0, None, None, 1, None),
        (TAX, Monday, 9, 2, 1.0, Some(1500.0), Some(0.58), 2, Some(41.0)),
        (TAX, Tuesday, 11, 1, 1.0, Some(600.0), Some(0.75), 1, Some(71.4)),
    ];
    let rows: Vec<Figures<'_>> = staffing.rows.iter().map(figures).collect();
    assert_eq!(rows, expected);
    assert_eq!(staffing.target_pct, TargetPct::default());
}

#[test]
fn a_higher_target_needs_more_counters() {
    // 30 an hour at 5 minutes (2.5 erlangs), registration's 10-minute target.
    let tickets: Vec<ReportTicket<'static>> = (0..30)
        .map(|i| {
            // Each called at once and served in 5 minutes.
            let issued = format!("09:{:02}", i * 2);
            let mut t = ticket(23, REG, &issued, None, TicketState::Done);
            t.first_called_ms = Some(t.issued_ms);
            t.last_called_ms = Some(t.issued_ms);
            t.finished_ms = Some(t.issued_ms + 300_000);
            t
        })
        .collect();
    let range = DayRange::new(date(2026, 11, 23), date(2026, 11, 23)).expect("a day");
    let needed = |pct: f64| {
        let target = TargetPct::new(pct).expect("a share");
        plan_staffing(&config(), range, target, tickets.clone(), &[]).rows[0].counters_needed
    };
    let expected = |pct: f64| Traffic::new(30.0, 300.0).counters_needed(600.0, pct / 100.0);
    assert_eq!(needed(80.0), expected(80.0));
    assert_eq!(needed(99.0), expected(99.0));
    assert!(needed(99.0) > needed(50.0));
    assert!(needed(50.0) >= 3, "more than the load");
}

#[test]
fn the_target_share_is_checked() {
    assert_eq!(TargetPct::parse(None), Ok(TargetPct(80.0)));
    assert_eq!(TargetPct::parse(Some("92.5")).map(TargetPct::pct), Ok(92.5));
    assert_eq!(TargetPct::parse(Some("1")).map(TargetPct::pct), Ok(1.0));
    for bad in [
        "", "0", "100", "100.0", "-5", "+80", "8e1", "inf", "NaN", "80%", "1.2.3", ".",
    ] {
        assert_eq!(
            TargetPct::parse(Some(bad)),
            Err(ReportError::InvalidTargetPct(bad.into())),
            "{bad:?}"
        );
    }
    assert!(TargetPct::new(f64::NAN).is_err());
}

#[test]
fn hours_follow_the_local_clock_across_daylight_saving_time() {
    let tz = TimeZone::get("Europe/Warsaw").expect("a zone");
    // 25 October 2026: 03:00 summer time becomes 02:00 winter time; hour 2 lasts two hours.
    let starts = hour_starts(&tz, date(2026, 10, 25));
    let length = |h: usize| (starts[h + 1] - starts[h]) / 3_600_000;
    assert_eq!((length(1), length(2), length(3)), (1, 2, 1));
    assert_eq!(starts[24] - starts[0], 25 * 3_600_000);
    // 29 March 2026: 02:00 winter time becomes 03:00 summer time; hour 2 does not exist.
    let starts = hour_starts(&tz, date(2026, 3, 29));
    assert_eq!(starts[3] - starts[2], 0);
    assert_eq!(starts[24] - starts[0], 23 * 3_600_000);
    let mut seen = Vec::new();
    by_hour(
        &starts,
        starts[1] + 1_800_000,
        starts[3] + 600_000,
        |h, ms| {
            seen.push((h, ms));
        },
    );
    assert_eq!(seen, [(1, 1_800_000), (3, 600_000)]);
}

// ----- the counter record ------------------------------------------------------------------------

fn event(seq: u64, at: &str, kind: EventKind) -> Event {
    Event {
        seq,
        at: format!("2026-11-23T{at}:00+01:00").parse().expect("a time"),
        kind,
    }
}

fn changed(counter: &str, state: CounterState, categories: &[&str]) -> EventKind {
    EventKind::CounterChanged {
        counter: counter.into(),
        state,
        categories: categories.iter().map(|&c| c.to_owned()).collect(),
        order: crate::config::CounterOrder::Fifo,
    }
}

#[test]
fn the_counter_record_follows_the_counter_changed_events() {
    use CounterState::{Closed, Open, Paused};
    let day = date(2026, 11, 23);
    let events = [
        event(1, "09:00", changed("1", Open, &["registration", "tax"])),
        event(2, "09:00", changed("2", Open, &["registration"])),
        event(3, "09:30", changed("1", Open, &["tax"])),
        event(4, "09:40", changed("2", Paused, &["registration"])),
        // Opened and closed at one instant: no time at all.
        event(5, "09:45", changed("2", Closed, &["registration"])),
        event(6, "10:00", changed("1", Closed, &["tax"])),
        event(7, "11:00", changed("2", Open, &["registration"])),
    ];
    let record =
        CounterDay::from_events(day, &events, "2026-11-23T12:00:00+01:00".parse().unwrap());
    let expected = [
        span(23, "1", Open, "09:00", "09:30", &["registration", "tax"]),
        span(23, "2", Open, "09:00", "09:40", &["registration"]),
        span(23, "2", Paused, "09:40", "09:45", &["registration"]),
        span(23, "1", Open, "09:30", "10:00", &["tax"]),
        span(23, "2", Open, "11:00", "12:00", &["registration"]),
    ];
    assert_eq!(record.office_date, day);
    assert_eq!(record.spans, expected);

    // The next day's start ends whatever still runs.
    let mut recorder = CounterDayRecorder::new(day);
    for e in &events {
        recorder.record(e);
    }
    recorder.record(&Event {
        seq: 8,
        at: "2026-11-24T00:00:00+01:00".parse().unwrap(),
        kind: EventKind::DayStarted {
            office_date: date(2026, 11, 24),
        },
    });
    let ended = recorder.record_until("2026-11-24T09:00:00+01:00".parse().unwrap());
    let mut overnight = span(23, "2", Open, "11:00", "12:00", &["registration"]);
    overnight.end_ms = ms(24, "00:00");
    assert_eq!(ended.spans.last(), Some(&overnight));
    assert_eq!(ended.spans.len(), expected.len());
}

/// The office's own events, fed to the recorder, give the staffing figures of the profile in
/// force moment by moment.
#[test]
fn the_staffing_figures_follow_the_work_profile_in_force() {
    let config = Arc::new(config());
    let day = date(2026, 11, 23);
    let mut office = Office::new(Arc::clone(&config), day);
    let at = |hh_mm: &str| -> Timestamp {
        format!("2026-11-23T{hh_mm}:00+01:00")
            .parse()
            .expect("a time")
    };
    let mut events = Vec::new();
    let mut run = |office: &mut Office, command: Command, when: &str| {
        let decision = office.execute(&command, at(when)).expect("accepted");
        events.extend(decision.events);
    };
    let counter = |action| Command::Counter {
        counter: "1".into(),
        action,
    };
    let issue = |id: &str, category: &str| Command::IssueTicket {
        id: TicketId(id.into()),
        category: category.into(),
        priority: false,
        language: None,
    };
    run(&mut office, counter(CounterAction::Open), "09:00");
    run(&mut office, issue("a", "registration"), "09:05");
    run(&mut office, issue("b", "tax"), "09:10");
    // At 9:30 a manager moves counter 1 to tax alone; nobody is called all hour.
    run(
        &mut office,
        counter(CounterAction::SetProfile {
            categories: vec!["tax".into()],
            order: None,
            by: StaffRole::Manager,
        }),
        "09:30",
    );
    run(&mut office, counter(CounterAction::Close), "10:00");
    let record = CounterDay::from_events(day, &events, at("16:00"));
    let tickets: Vec<crate::Ticket> = office.tickets().cloned().collect();
    let range = DayRange::new(day, day).expect("a day");
    let staffing = plan_staffing(
        &config,
        range,
        TargetPct::default(),
        tickets
            .iter()
            .map(|t| ReportTicket::of(t, &config.office.tz)),
        [&record],
    );
    // 9:00-9:30 split evenly over registration and tax (0.25 each), 9:30-10:00 all tax (0.5).
    let staffed: Vec<(&str, Option<f64>)> = staffing
        .rows
        .iter()
        .map(|r| (r.category.as_str(), r.counters_staffed_avg))
        .collect();
    assert_eq!(staffed, [("registration", Some(0.25)), ("tax", Some(0.75))]);
}
