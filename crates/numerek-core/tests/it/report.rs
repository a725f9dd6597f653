//! Properties of the report arithmetic over random ticket histories: rows add up to the total,
//! percentiles are ordered measured values, and the order of input does not matter; with
//! appointment tickets and missed bookings, their counts add up and the delay is the mean of
//! first call − slot start.
//! (Hand-computed figures are checked end to end in `numerek-server/tests/reports.rs`.)

use jiff::civil::{Date, date};
use numerek_core::report::{
    DayRange, GroupBy, ReportAppointment, ReportTicket, Row, RowKey, summarize,
    summarize_with_appointments,
};
use numerek_core::{AppointmentState, OfficeConfig, TicketState};
use proptest::prelude::*;

const OFFICE: &str = r#"
[office]
id = "t"
name = "T"
timezone = "Europe/Warsaw"
languages = ["pl"]
[office.hours]
mon = "00:00-24:00"
[[category]]
id = "a"
prefix = "A"
name = { pl = "A" }
target_wait_min = 10
[[category]]
id = "b"
prefix = "B"
name = { pl = "B" }
target_wait_min = 20
[[counter]]
id = "1"
name = { pl = "1" }
categories = ["a", "b"]
[[counter]]
id = "2"
name = { pl = "2" }
categories = ["b"]
"#;

/// A generated ticket: (day offset, hour, category, counter, state, wait ms, service ms).
type Spec = (i32, u8, usize, Option<usize>, u8, u32, u32);

fn ticket_spec() -> impl Strategy<Value = Spec> {
    (
        0..5i32,
        7..18u8,
        0..3usize,
        proptest::option::of(0..3usize),
        0..5u8,
        0..4_000_000u32,
        0..2_000_000u32,
    )
}

const CATEGORIES: [&str; 3] = ["a", "b", "gone"];
const COUNTERS: [&str; 3] = ["1", "2", "old"];

fn ticket(spec: &Spec) -> ReportTicket<'static> {
    let (day, hour, category, counter, state, wait, service) = *spec;
    let state = match state {
        0 => TicketState::Waiting,
        1 => TicketState::Called,
        2 => TicketState::Done,
        3 => TicketState::NoShow,
        _ => TicketState::Cancelled,
    };
    // Cancelled tickets may have been called (at the day's end) or not; waiting ones never.
    let never_called =
        state == TicketState::Waiting || (state == TicketState::Cancelled && counter.is_none());
    let called = !never_called;
    let issued = 1_795_000_000_000 + i64::from(day) * 86_400_000 + i64::from(hour) * 3_600_000;
    let first = issued + i64::from(wait);
    let last = first + i64::from(service / 3);
    ReportTicket {
        office_date: start().checked_add(jiff::Span::new().days(day)).unwrap(),
        issue_hour: hour,
        category: CATEGORIES[category],
        counter: called.then(|| COUNTERS[counter.unwrap_or(0)]),
        state,
        issued_ms: issued,
        first_called_ms: called.then_some(first),
        last_called_ms: called.then_some(last),
        finished_ms: state.is_final().then_some(last + i64::from(service)),
        appointment_start_ms: None,
        feedback: None,
    }
}

/// A ticket of an appointment whose slot started `delay_ms` before its first call (or, never
/// called, before its issue).
fn of_appointment(ticket: ReportTicket<'static>, delay_ms: i32) -> ReportTicket<'static> {
    let called = ticket.first_called_ms.unwrap_or(ticket.issued_ms);
    ReportTicket {
        appointment_start_ms: Some(called - i64::from(delay_ms)),
        ..ticket
    }
}

/// A generated booking: (day offset, hour of its slot, category, state).
type BookingSpec = (i32, u8, usize, u8);

fn booking_spec() -> impl Strategy<Value = BookingSpec> {
    (0..6i32, 7..18u8, 0..3usize, 0..4u8)
}

fn booking(spec: &BookingSpec) -> ReportAppointment<'static> {
    let (day, hour, category, state) = *spec;
    ReportAppointment {
        office_date: start().checked_add(jiff::Span::new().days(day)).unwrap(),
        start_hour: hour,
        category: CATEGORIES[category],
        state: match state {
            0 => AppointmentState::Booked,
            1 => AppointmentState::CheckedIn,
            2 => AppointmentState::Cancelled,
            _ => AppointmentState::Missed,
        },
    }
}

fn start() -> Date {
    date(2026, 11, 23)
}

fn config() -> OfficeConfig {
    OfficeConfig::from_toml(OFFICE).unwrap()
}

fn assert_row_is_consistent(row: &Row) {
    assert!(row.called <= row.issued);
    assert!(row.served + row.no_show + row.cancelled <= row.issued);
    assert!(row.served + row.no_show <= row.called);
    match (
        row.wait_p50_s,
        row.wait_p90_s,
        row.wait_max_s,
        row.wait_avg_s,
    ) {
        (Some(p50), Some(p90), Some(max), Some(avg)) => {
            assert!(p50 <= p90 && p90 <= max, "{row:?}");
            assert!(avg <= max, "{row:?}");
            assert!(row.called > 0);
        }
        (None, None, None, None) => assert_eq!(row.called, 0),
        _ => panic!("wait figures are all present or all absent: {row:?}"),
    }
    assert_eq!(row.service_avg_s.is_some(), row.served > 0, "{row:?}");
    if let Some(pct) = row.within_target_pct {
        assert!((0.0..=100.0).contains(&pct));
    }
}

proptest! {
    #[test]
    fn rows_add_up_and_figures_are_consistent(specs in proptest::collection::vec(ticket_spec(), 0..120)) {
        let config = config();
        let range = DayRange::new(start(), date(2026, 11, 27)).unwrap();
        let tickets: Vec<_> = specs.iter().map(ticket).collect();
        for group_by in GroupBy::ALL {
            let summary = summarize(&config, range, group_by, tickets.iter().copied());
            let sum = |f: fn(&Row) -> u64| summary.rows.iter().map(f).sum::<u64>();
            assert_eq!(summary.total.issued as usize, tickets.len());
            if group_by == GroupBy::Counter {
                // Tickets never called are in the total only.
                let never_called = tickets.iter().filter(|t| t.counter.is_none()).count() as u64;
                assert_eq!(sum(|r| r.issued) + never_called, summary.total.issued);
            } else {
                assert_eq!(sum(|r| r.issued), summary.total.issued);
            }
            assert_eq!(sum(|r| r.called), summary.total.called);
            assert_eq!(sum(|r| r.served), summary.total.served);
            assert_eq!(sum(|r| r.no_show), summary.total.no_show);
            let uncalled_cancelled = if group_by == GroupBy::Counter {
                tickets
                    .iter()
                    .filter(|t| t.counter.is_none() && t.state == TicketState::Cancelled)
                    .count() as u64
            } else {
                0
            };
            assert_eq!(sum(|r| r.cancelled) + uncalled_cancelled, summary.total.cancelled);
            for row in summary.rows.iter().chain([&summary.total]) {
                assert_row_is_consistent(row);
            }
            // The order tickets arrive in changes nothing.
            let reversed = summarize(&config, range, group_by, tickets.iter().rev().copied());
            assert_eq!(&reversed, &summary);
        }
    }

    #[test]
    fn appointment_figures_add_up(
        specs in proptest::collection::vec(
            (ticket_spec(), proptest::option::weighted(0.4, -600_000..3_600_000i32)),
            0..80,
        ),
        bookings in proptest::collection::vec(booking_spec(), 0..40),
    ) {
        let config = config();
        let range = DayRange::new(start(), date(2026, 11, 27)).unwrap();
        let tickets: Vec<ReportTicket<'static>> = specs
            .iter()
            .map(|(spec, delay)| match delay {
                Some(delay) => of_appointment(ticket(spec), *delay),
                None => ticket(spec),
            })
            .collect();
        let appointments: Vec<ReportAppointment<'static>> = bookings.iter().map(booking).collect();
        let in_range = |date: Date| date >= range.from() && date <= range.to();
        let missed = appointments
            .iter()
            .filter(|a| a.state == AppointmentState::Missed && in_range(a.office_date))
            .count() as u64;
        let from_check_ins = tickets.iter().filter(|t| t.appointment_start_ms.is_some()).count();
        let delays: Vec<i64> = tickets
            .iter()
            .filter_map(|t| Some(t.first_called_ms? - t.appointment_start_ms?))
            .collect();
        for group_by in GroupBy::ALL {
            let summary = summarize_with_appointments(
                &config,
                range,
                group_by,
                tickets.iter().copied(),
                appointments.iter().copied(),
            );
            let total = &summary.total;
            prop_assert_eq!(total.appointments as usize, from_check_ins);
            prop_assert_eq!(total.appointments_missed, missed);
            // The mean in whole milliseconds, rounded half up, as seconds.
            let expected_delay = (!delays.is_empty()).then(|| {
                let sum: i128 = delays.iter().map(|&d| i128::from(d)).sum();
                let n = delays.len() as i128;
                (2 * sum + n).div_euclid(2 * n) as f64 / 1000.0
            });
            prop_assert_eq!(total.appointment_delay_avg_s, expected_delay);
            let sum = |f: fn(&Row) -> u64| summary.rows.iter().map(f).sum::<u64>();
            if group_by == GroupBy::Counter {
                // Missed bookings and never-called tickets were at no counter.
                prop_assert_eq!(sum(|r| r.appointments_missed), 0);
                let never_called = tickets
                    .iter()
                    .filter(|t| t.counter.is_none() && t.appointment_start_ms.is_some())
                    .count() as u64;
                prop_assert_eq!(sum(|r| r.appointments) + never_called, total.appointments);
            } else {
                prop_assert_eq!(sum(|r| r.appointments), total.appointments);
                prop_assert_eq!(sum(|r| r.appointments_missed), total.appointments_missed);
            }
            for row in summary.rows.iter().chain([total]) {
                prop_assert!(row.appointments <= row.issued);
                // A delay is measured only over appointment tickets.
                prop_assert!(row.appointment_delay_avg_s.is_none() || row.appointments > 0);
            }
            let reversed = summarize_with_appointments(
                &config,
                range,
                group_by,
                tickets.iter().rev().copied(),
                appointments.iter().rev().copied(),
            );
            prop_assert_eq!(&reversed, &summary);
        }
        // Without appointments, the figures are zero and null.
        let plain: Vec<_> = specs.iter().map(|(spec, _)| ticket(spec)).collect();
        let summary = summarize(&config, range, GroupBy::Day, plain.iter().copied());
        prop_assert_eq!(summary.total.appointments, 0);
        prop_assert_eq!(summary.total.appointments_missed, 0);
        prop_assert_eq!(summary.total.appointment_delay_avg_s, None);
    }

    #[test]
    fn tickets_outside_the_range_are_ignored(specs in proptest::collection::vec(ticket_spec(), 0..60)) {
        let config = config();
        let day = date(2026, 11, 24);
        let range = DayRange::new(day, day).unwrap();
        let tickets: Vec<_> = specs.iter().map(ticket).collect();
        let summary = summarize(&config, range, GroupBy::Day, tickets.iter().copied());
        let on_day = tickets.iter().filter(|t| t.office_date == day).count() as u64;
        assert_eq!(summary.total.issued, on_day);
        assert!(summary.rows.iter().all(|r| r.key == numerek_core::report::RowKey::Day(day)));
    }
}

/// Configured categories and counters are listed first, in file order, even without tickets;
/// ids no longer configured follow alphabetically.
#[test]
fn configured_rows_come_first_then_old_ids() {
    let config = config();
    let range = DayRange::new(start(), start()).unwrap();
    let specs: Vec<Spec> = vec![
        (0, 9, 2, Some(2), 2, 1000, 1000),
        (0, 9, 1, Some(1), 2, 1000, 1000),
    ];
    let tickets: Vec<_> = specs.iter().map(ticket).collect();
    let keys = |group_by| -> Vec<String> {
        summarize(&config, range, group_by, tickets.iter().copied())
            .rows
            .iter()
            .map(|r| r.key.to_string())
            .collect()
    };
    assert_eq!(keys(GroupBy::Category), ["a", "b", "gone"]);
    assert_eq!(keys(GroupBy::Counter), ["1", "2", "old"]);
    // A category gone from the configuration has no target: left out of the share only.
    let summary = summarize(&config, range, GroupBy::Category, tickets.iter().copied());
    assert_eq!(summary.rows[2].called, 1);
    assert_eq!(summary.rows[2].within_target_pct, None);
    assert_eq!(summary.total.within_target_pct, Some(100.0));
}

/// Hand-computed: the delays of two called appointment tickets (+60 s and −30 s) average 15 s;
/// a missed booking counts under the category, day and hour of its slot, and in the total of
/// the counter grouping only.
#[test]
fn appointment_figures_by_hand() {
    let config = config();
    let range = DayRange::new(start(), start()).unwrap();
    let late = of_appointment(ticket(&(0, 9, 0, Some(0), 2, 1000, 1000)), 60_000);
    let early = of_appointment(ticket(&(0, 10, 1, Some(1), 2, 1000, 1000)), -30_000);
    let never = of_appointment(ticket(&(0, 11, 0, None, 4, 0, 0)), 0);
    let walk_in = ticket(&(0, 9, 0, Some(0), 2, 1000, 1000));
    let tickets = [late, early, never, walk_in];
    let missed = ReportAppointment {
        office_date: start(),
        start_hour: 14,
        category: "b",
        state: AppointmentState::Missed,
    };
    let cancelled = ReportAppointment {
        state: AppointmentState::Cancelled,
        ..missed
    };
    let summary = |group_by| {
        summarize_with_appointments(&config, range, group_by, tickets, [missed, cancelled])
    };
    let by_category = summary(GroupBy::Category);
    assert_eq!(by_category.total.appointments, 3);
    assert_eq!(by_category.total.appointments_missed, 1);
    assert_eq!(by_category.total.appointment_delay_avg_s, Some(15.0));
    let a = &by_category.rows[0];
    assert_eq!((a.appointments, a.appointments_missed), (2, 0));
    assert_eq!(a.appointment_delay_avg_s, Some(60.0));
    let b = &by_category.rows[1];
    assert_eq!((b.appointments, b.appointments_missed), (1, 1));
    assert_eq!(b.appointment_delay_avg_s, Some(-30.0));
    let by_hour = summary(GroupBy::Hour);
    let hour = |h| {
        by_hour
            .rows
            .iter()
            .find(|r| r.key == RowKey::Hour(h))
            .unwrap()
    };
    assert_eq!(hour(14).appointments_missed, 1);
    assert_eq!(hour(14).issued, 0);
    assert_eq!(hour(11).appointment_delay_avg_s, None, "never called");
    let by_counter = summary(GroupBy::Counter);
    assert!(by_counter.rows.iter().all(|r| r.appointments_missed == 0));
    assert_eq!(by_counter.total.appointments_missed, 1);
}
