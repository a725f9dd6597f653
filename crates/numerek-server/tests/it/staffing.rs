//! The staffing advisor over HTTP (`GET /api/v1/reports/staffing`): a short history worked by
//! hand, its rows as JSON and CSV, the counter record of an ended day (stored at the rollover)
//! and of today (from today's events), and the refusals of bad queries.

use crate::support::{TestServer, at, read};
use axum::http::{StatusCode, header};
use jiff::SignedDuration;
use numerek_api::{Staffing, StaffingRow, Weekday};
use numerek_store::Clock;

/// The history, on the test office (registration: target 15 min; tax: 10 min):
/// - Monday 23 November 2026, 09:00: A001 (registration) and B001 (tax) are issued; counter 1
///   (registration and tax, fifo) calls A001; 09:10 it serves A001 and calls B001 (A001: 600 s
///   of service); 09:30 it finishes B001 (1200 s) and closes.
/// - The day rolls over; Tuesday 24 November 10:15: A001 of that day is issued, nobody serves.
///
/// By hand, Monday 09:00–10:00: counter 1 was open 1800 s, 600 s of its counter time went to
/// registration and 1200 s to tax, so it counts as 1800 · 600 / 1800 / 3600 = 0.17 of a
/// registration counter and 0.33 of a tax counter (two decimals).
async fn history() -> TestServer {
    let h = TestServer::new().await;
    h.issue("registration").await;
    h.issue("tax").await;
    let called = h.act("1", "call-next").await;
    assert_eq!(called.expect(StatusCode::OK)["ticket"]["number"], "A001");
    h.clock.advance(SignedDuration::from_mins(10));
    let called = h.act("1", "call-next").await;
    assert_eq!(called.expect(StatusCode::OK)["ticket"]["number"], "B001");
    h.clock.advance(SignedDuration::from_mins(20));
    h.act("1", "finish").await.expect(StatusCode::OK);
    h.act("1", "close").await.expect(StatusCode::OK);
    h.clock.set(at("2026-11-24T10:15:00+01:00"));
    h.store.start_day_if_due().await.expect("the day starts");
    h.issue("registration").await;
    h
}

async fn staffing(h: &TestServer, query: &str) -> Staffing {
    let answer = h
        .get(
            &format!("/api/v1/reports/staffing?{query}"),
            Some(&h.tokens.manager),
        )
        .await;
    read(answer.expect(StatusCode::OK))
}

/// The rows worked out by hand (see [`history`]). Erlang C for registration on Monday at 9:
/// 1 arrival an hour of 600 s is a load of 1/6; with one counter P(wait > 900 s) = 1/6 ·
/// e^(−(1 − 1/6) · 900/600) = 0.0478, so 95.2 % wait within target and one counter is enough;
/// with 0.17 counters the model gives 0.17 · 95.22 % = 16.2 %. Tax: a load of 1/3; one counter
/// puts 1 − 1/3 · e^(−(2/3) · 600/1200) = 76.1 % within 10 minutes (short of 80 %), two put
/// 1 − C(2, 1/3) · e^(−(5/3) · 0.5) = 1 − 0.0476 · 0.4346 = 97.9 %: two are needed; with 0.33
/// counters, 0.33 · 76.12 % = 25.1 %. Tuesday's registration ticket was never served: the
/// model takes the category's mean service of the range (600 s), and no counter was open: 0
/// staffed, 0 % predicted.
fn by_hand() -> Vec<StaffingRow> {
    let row = |category: &str, weekday, hour, service, staffed, needed, predicted| StaffingRow {
        category: category.to_owned(),
        weekday,
        hour,
        days: 1,
        arrivals_per_h: 1.0,
        service_avg_s: service,
        counters_staffed_avg: Some(staffed),
        counters_needed: needed,
        predicted_within_target_pct: Some(predicted),
    };
    vec![
        row("registration", Weekday::Mon, 9, Some(600.0), 0.17, 1, 16.2),
        row("registration", Weekday::Tue, 10, None, 0.0, 1, 0.0),
        row("tax", Weekday::Mon, 9, Some(1200.0), 0.33, 2, 25.1),
    ]
}

#[tokio::test]
async fn the_rows_of_a_short_history_are_those_worked_out_by_hand() {
    let h = history().await;
    let document = staffing(&h, "from=2026-11-23&to=2026-11-24").await;
    assert_eq!(document.from.to_string(), "2026-11-23");
    assert_eq!(document.to.to_string(), "2026-11-24");
    assert_eq!(document.target_pct, 80.0);
    assert_eq!(document.rows, by_hand());

    // The same after a restart: Monday's record was stored at the rollover, Tuesday's is made
    // again from the day's events.
    let (dir, clock, tokens, weak) = (
        h.dir.clone(),
        h.clock.clone(),
        h.tokens.clone(),
        h.weak_store(),
    );
    h.store.close();
    drop(h);
    crate::support::wait_until_released(weak).await;
    let h = TestServer::reopen(dir, clock, tokens);
    assert_eq!(
        staffing(&h, "from=2026-11-23&to=2026-11-24").await.rows,
        by_hand()
    );
    // A range of Monday alone has Monday's rows only.
    let monday = staffing(&h, "from=2026-11-23&to=2026-11-23").await;
    assert_eq!(monday.rows.len(), 2);
    assert!(monday.rows.iter().all(|r| r.weekday == Weekday::Mon));
}

#[tokio::test]
async fn a_higher_target_share_needs_more_counters() {
    let h = history().await;
    // Registration on Monday with one counter: 95.2 % within target, short of 96 %.
    let document = staffing(&h, "from=2026-11-23&to=2026-11-23&target_pct=96").await;
    assert_eq!(document.target_pct, 96.0);
    let needed: Vec<u32> = document.rows.iter().map(|r| r.counters_needed).collect();
    assert_eq!(needed, [2, 2]);
    let document = staffing(&h, "from=2026-11-23&to=2026-11-23&target_pct=50").await;
    let needed: Vec<u32> = document.rows.iter().map(|r| r.counters_needed).collect();
    assert_eq!(needed, [1, 1]);
}

#[tokio::test]
async fn the_csv_has_a_column_per_field_and_a_line_per_row() {
    let h = history().await;
    let answer = h
        .get(
            "/api/v1/reports/staffing?from=2026-11-23&to=2026-11-24&format=csv",
            Some(&h.tokens.manager),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.headers[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        answer.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"numerek-staffing-2026-11-23-2026-11-24.csv\""
    );
    assert_eq!(
        answer.text,
        "category,weekday,hour,days,arrivals_per_h,service_avg_s,counters_staffed_avg,\
         counters_needed,predicted_within_target_pct\n\
         registration,mon,9,1,1.0,600.0,0.17,1,16.2\n\
         registration,tue,10,1,1.0,,0.0,1,0.0\n\
         tax,mon,9,1,1.0,1200.0,0.33,2,25.1\n"
    );
}

#[tokio::test]
async fn bad_queries_are_refused() {
    let h = history().await;
    for query in [
        "from=2026-11-23",
        "from=2026-11-24&to=2026-11-23",
        "from=2026-11-23&to=2026-11-24&target_pct=0",
        "from=2026-11-23&to=2026-11-24&target_pct=100",
        "from=2026-11-23&to=2026-11-24&target_pct=-5",
        "from=2026-11-23&to=2026-11-24&target_pct=eighty",
        "from=2026-11-23&to=2026-11-24&target_pct=NaN",
        "from=2026-11-23&to=2026-11-24&target_pct=80&target_pct=90",
        "from=2026-11-23&to=2026-11-24&group_by=category",
        "from=2026-11-23&to=2026-11-24&format=xml",
    ] {
        let answer = h
            .get(
                &format!("/api/v1/reports/staffing?{query}"),
                Some(&h.tokens.manager),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            answer.text
        );
        answer.expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
}

#[tokio::test]
async fn a_range_without_arrivals_has_no_rows() {
    let h = TestServer::new().await;
    let document = staffing(&h, "from=2026-11-01&to=2026-11-23").await;
    assert!(document.rows.is_empty());
}

/// The office of the simulated weeks: one line (registration, 5 minutes' target) and three
/// counters serving it.
const ONE_LINE: &str = concat!(
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/all-day-office.toml"
    )),
    r#"
[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki", en = "Registration" }
target_wait_min = 5

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
categories = ["registration"]
"#
);

/// Every service of the simulated weeks takes exactly this long.
const SERVICE_S: i64 = 300;

/// Erlang C by the textbook formula (powers and factorials, fine for a handful of counters):
/// the share of arrivals that wait at most `target_s` with `c` counters, a load of `load`
/// erlangs and a mean service of `service_s`. Written out here, apart from the core's
/// recurrence, so that the advisor is checked against the formula itself.
fn textbook_within(c: u32, load: f64, target_s: f64, service_s: f64) -> f64 {
    if f64::from(c) <= load {
        return 0.0;
    }
    let term = |k: u32| load.powi(k as i32) / (1..=k).map(f64::from).product::<f64>();
    let tail = term(c) * f64::from(c) / (f64::from(c) - load);
    let erlang_c = tail / ((0..c).map(term).sum::<f64>() + tail);
    1.0 - erlang_c * (-(f64::from(c) - load) * target_s / service_s).exp()
}

/// One simulated morning: `arrivals` tickets evenly spread over 10:00–11:00 of `date`, the
/// three counters open from 10:00 until everyone is served, each service exactly
/// [`SERVICE_S`], first come first served.
async fn simulate_morning(h: &TestServer, date: &str, arrivals: i64) {
    let start = at(&format!("{date}T10:00:00+01:00"));
    h.clock.set(start);
    h.store.start_day_if_due().await.expect("the day starts");
    for counter in ["1", "2", "3"] {
        h.act(counter, "open").await.expect(StatusCode::OK);
    }
    let spacing = 3600 / arrivals;
    let mut next_arrival = 0;
    let mut busy_until: [Option<i64>; 3] = [None; 3];
    loop {
        let arrival = (next_arrival < arrivals).then_some(next_arrival * spacing);
        let finish = busy_until.iter().flatten().min().copied();
        let Some(t) = [arrival, finish].into_iter().flatten().min() else {
            break;
        };
        h.clock.set(start + SignedDuration::from_secs(t));
        // Who finishes now serves the next in line, if anyone waits.
        for (i, until) in busy_until.iter_mut().enumerate() {
            if *until == Some(t) {
                let answer = h.act(&(i + 1).to_string(), "call-next").await;
                let called = !answer.expect(StatusCode::OK)["ticket"].is_null();
                *until = called.then_some(t + SERVICE_S);
            }
        }
        if arrival == Some(t) {
            h.issue("registration").await;
            next_arrival += 1;
            if let Some(i) = busy_until.iter().position(Option::is_none) {
                let answer = h.act(&(i + 1).to_string(), "call-next").await;
                assert!(!answer.expect(StatusCode::OK)["ticket"].is_null());
                busy_until[i] = Some(t + SERVICE_S);
            }
        }
    }
    let end = h.clock.now().max(start + SignedDuration::from_hours(1));
    h.clock.set(end);
    for counter in ["1", "2", "3"] {
        h.act(counter, "close").await.expect(StatusCode::OK);
    }
}

/// Two simulated working weeks with a known arrival pattern (6, 12, 18, 24 and 30 people
/// between 10:00 and 11:00 from Monday to Friday, every service 5 minutes, three counters
/// open): each weekday's row has those arrivals, that service, three counters staffed, and the
/// counters needed and the predicted share that Erlang C gives for them.
#[tokio::test]
async fn over_simulated_weeks_the_counters_needed_are_those_of_erlang_c() {
    let h = TestServer::with_office(ONE_LINE).await;
    let mornings = [
        ("2026-11-23", 6),
        ("2026-11-24", 12),
        ("2026-11-25", 18),
        ("2026-11-26", 24),
        ("2026-11-27", 30),
        ("2026-11-30", 6),
        ("2026-12-01", 12),
        ("2026-12-02", 18),
        ("2026-12-03", 24),
        ("2026-12-04", 30),
    ];
    for (date, arrivals) in mornings {
        simulate_morning(&h, date, arrivals).await;
    }
    let document = staffing(&h, "from=2026-11-23&to=2026-12-06").await;
    let weekdays = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];
    assert_eq!(document.rows.len(), 5, "{:?}", document.rows);
    for ((row, weekday), arrivals) in document.rows.iter().zip(weekdays).zip([6, 12, 18, 24, 30]) {
        let load = f64::from(arrivals) * SERVICE_S as f64 / 3600.0;
        let needed = (1..10)
            .find(|&c| textbook_within(c, load, 300.0, SERVICE_S as f64) >= 0.8)
            .unwrap();
        let what = format!("{row:?} (load {load})");
        assert_eq!(row.category, "registration", "{what}");
        assert_eq!(row.weekday, weekday, "{what}");
        assert_eq!(row.hour, 10, "{what}");
        assert_eq!(row.days, 2, "{what}");
        assert_eq!(row.arrivals_per_h, f64::from(arrivals), "{what}");
        assert_eq!(row.service_avg_s, Some(SERVICE_S as f64), "{what}");
        assert_eq!(row.counters_staffed_avg, Some(3.0), "{what}");
        assert_eq!(row.counters_needed, needed, "{what}");
        let predicted = textbook_within(3, load, 300.0, SERVICE_S as f64) * 100.0;
        let reported = row.predicted_within_target_pct.expect("a predicted share");
        assert!((reported - predicted).abs() <= 0.05, "{what}: {predicted}");
    }
    // The loads of 0.5 to 2.5 erlangs need 2, 2, 3, 3 and 4 counters by the formula: the
    // check above is not a walk through ones.
    let needed: Vec<u32> = document.rows.iter().map(|r| r.counters_needed).collect();
    assert_eq!(needed, [2, 2, 3, 3, 4]);
}
