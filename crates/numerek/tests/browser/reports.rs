//! The reports page (`/reports/`) end to end: a day of history made over HTTP (issued, called,
//! served, no-show, cancelled), the page opened with a manager's link, the table checked against
//! that history in every grouping, the charts drawn, the CSV download, refused tokens and a
//! refused range, an axe-core audit and a screenshot.

use crate::browser;
use crate::support;

use browser::{Browser, Chromedriver, Key, start_office};
use serde_json::{Value, json};

const REPORTS: &str = "/reports/";
const TABLE: &str = "[data-testid=summary-table]";

async fn post(url: &str, token: Option<&str>, body: Option<Value>) -> Value {
    let client = reqwest::Client::new();
    let mut request = client.post(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("POST");
    assert!(
        response.status().is_success(),
        "POST {url}: {}",
        response.status()
    );
    response.json().await.expect("JSON answer")
}

/// The text of a cell of the summary table: the row `key` (`total` for the total), the column
/// `field` (`key` for the row's label).
async fn cell(browser: &Browser, key: &str, field: &str) -> String {
    let script = format!(
        "const row = document.querySelector('{TABLE} tr[data-key=\"{key}\"]');
         const cell = row && row.querySelector('[data-field=\"{field}\"]');
         return cell ? cell.textContent : null;"
    );
    match browser.js(&script).await {
        Value::String(text) => text,
        other => panic!("no cell {key}/{field} in the summary table: {other}"),
    }
}

/// Asserts the counts of a row: issued, called, served, no-show, cancelled.
async fn assert_counts(browser: &Browser, key: &str, counts: [u32; 5]) {
    let fields = ["issued", "called", "served", "no_show", "cancelled"];
    for (field, expected) in fields.into_iter().zip(counts) {
        assert_eq!(
            cell(browser, key, field).await,
            expected.to_string(),
            "row {key}, column {field}"
        );
    }
}

/// Waits until the table shows `group` and the page has finished loading.
async fn wait_for_group(browser: &Browser, group: &str) {
    browser
        .wait_until(&format!(
            "document.body.dataset.state === 'ready' && \
             document.querySelector('{TABLE}').dataset.group === '{group}'"
        ))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_reads_the_report_as_tables_and_charts() {
    let office = start_office();
    let kiosk = office.token("kiosk").to_owned();
    let clerk = office.token("clerk").to_owned();
    let manager = office.token("manager").to_owned();
    let issue = |category: &'static str| {
        let url = office.url("/api/v1/tickets");
        let kiosk = kiosk.clone();
        async move { post(&url, Some(&kiosk), Some(json!({ "category": category }))).await }
    };
    let act = |counter: &'static str, action: &'static str| {
        let url = office.url(&format!("/api/v1/counters/{counter}/{action}"));
        let clerk = clerk.clone();
        async move { post(&url, Some(&clerk), None).await }
    };

    // Today's history: A001 served, A002 a no-show, A003 cancelled by its holder, B001 served at
    // counter 2, B002 still waiting.
    for category in ["registration", "registration", "registration", "tax", "tax"] {
        issue(category).await;
    }
    assert_eq!(act("1", "call-next").await["ticket"]["number"], "A001");
    act("1", "finish").await;
    assert_eq!(act("1", "call-next").await["ticket"]["number"], "A002");
    act("1", "no-show").await;
    let status: Value = reqwest::get(office.url("/api/v1/status"))
        .await
        .expect("status")
        .json()
        .await
        .expect("JSON");
    let today = status["office_date"]
        .as_str()
        .expect("office_date")
        .to_owned();
    assert_eq!(act("2", "call-next").await["ticket"]["number"], "B001");
    act("2", "finish").await;
    let a003 = reqwest::Client::new()
        .get(office.url("/api/v1/counters/1"))
        .bearer_auth(&clerk)
        .send()
        .await
        .expect("counter 1")
        .json::<Value>()
        .await
        .expect("JSON");
    let a003_id = a003["next"]
        .as_array()
        .expect("next")
        .iter()
        .find(|t| t["number"] == "A003")
        .and_then(|t| t["id"].as_str())
        .expect("A003 waits")
        .to_owned();
    post(
        &office.url(&format!("/api/v1/tickets/{a003_id}/cancel")),
        None,
        Some(json!({})),
    )
    .await;

    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1366, 768).await;

    // The manager's link opens the report of the last 7 office days, by category.
    browser
        .goto(&office.url(&format!("{REPORTS}#token={manager}")))
        .await;
    wait_for_group(&browser, "category").await;
    let href = browser.js("return location.href").await;
    assert!(
        !href.to_string().contains("nmk_"),
        "the token left the address: {href}"
    );
    assert_eq!(
        browser
            .js("return document.querySelector('[data-testid=to]').value")
            .await,
        json!(today)
    );
    let from = browser
        .js("return document.querySelector('[data-testid=from]').value")
        .await;
    let from = from.as_str().expect("a date").to_owned();
    assert!(from < today, "the range starts before today: {from}");

    // By category: the hand-counted history.
    assert_counts(&browser, "registration", [3, 2, 1, 1, 1]).await;
    assert_counts(&browser, "tax", [2, 1, 1, 0, 0]).await;
    assert_counts(&browser, "total", [5, 3, 2, 1, 1]).await;
    assert_eq!(cell(&browser, "registration", "key").await, "A — Meldunki");
    assert_eq!(cell(&browser, "total", "key").await, "Razem");
    // Waits as m:ss, all within the target: every call came within the test's few requests of
    // the issue, far under the 10 and 15 minutes of the targets, however busy the machine.
    for key in ["registration", "tax", "total"] {
        let wait = cell(&browser, key, "wait_avg_s").await;
        let m_ss = wait.split_once(':').is_some_and(|(minutes, seconds)| {
            !minutes.is_empty()
                && minutes.bytes().all(|b| b.is_ascii_digit())
                && seconds.len() == 2
                && seconds.bytes().all(|b| b.is_ascii_digit())
        });
        assert!(m_ss, "row {key}: a wait as m:ss, {wait:?}");
        assert_eq!(cell(&browser, key, "within_target_pct").await, "100%");
    }
    // A003 was never called, B002 is still waiting: no service time of their own, but the
    // served tickets have one.
    assert!(
        cell(&browser, "registration", "service_avg_s")
            .await
            .contains(':')
    );

    // The charts: SVG images with a name and a description, bars for the data.
    for chart in ["chart-hour", "chart-category", "chart-day"] {
        let named = browser
            .js(&format!(
                "const svg = document.querySelector('[data-testid={chart}] svg[role=img]');
                 if (!svg) return null;
                 const title = document.getElementById(svg.getAttribute('aria-labelledby'));
                 const desc = document.getElementById(svg.getAttribute('aria-describedby'));
                 return [title.textContent, desc.textContent];"
            ))
            .await;
        let parts = named
            .as_array()
            .unwrap_or_else(|| panic!("{chart} draws an SVG image"));
        assert!(
            parts.iter().all(|p| !p.as_str().unwrap_or("").is_empty()),
            "{chart} has a title and a description: {named}"
        );
    }
    let sum = |chart: &str, series: &str| {
        format!(
            "return [...document.querySelectorAll('[data-testid={chart}] g[data-series={series}] [data-value]')]
               .reduce((sum, mark) => sum + Number(mark.dataset.value), 0);"
        )
    };
    assert_eq!(browser.js(&sum("chart-hour", "issued")).await, json!(5));
    assert_eq!(
        browser
            .js("return document.querySelectorAll('[data-testid=chart-category] g[data-series=target] line').length")
            .await,
        json!(2),
        "a target mark per category"
    );
    assert_eq!(
        browser.js(&sum("chart-day", "within_target")).await,
        json!(100)
    );
    // The text alternative of each chart: its data as a table.
    browser
        .js("document.querySelectorAll('details.chart-data').forEach(d => d.open = true)")
        .await;
    assert!(
        browser
            .text("[data-testid=chart-category] [data-testid=chart-table]")
            .await
            .contains("Meldunki")
    );

    browser
        .axe_check("reports (by category, charts' data open)")
        .await;
    browser
        .js("document.querySelectorAll('details.chart-data').forEach(d => d.open = false)")
        .await;
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");

    // A4 printing hides the controls.
    let print_hides_controls = browser
        .js(
            "return [...document.styleSheets].flatMap(s => [...s.cssRules])
               .filter(r => r instanceof CSSMediaRule && r.media.mediaText === 'print')
               .some(r => [...r.cssRules].some(x => x.selectorText && x.selectorText.includes('.filters')
                    && x.style.display === 'none'));",
        )
        .await;
    assert_eq!(print_hides_controls, json!(true));

    // By counter, with the mouse: counter 1 called A001 and A002, counter 2 B001.
    browser.click("[data-testid=group-counter]").await;
    wait_for_group(&browser, "counter").await;
    assert_counts(&browser, "1", [2, 2, 1, 1, 0]).await;
    assert_counts(&browser, "2", [1, 1, 1, 0, 0]).await;
    assert_counts(&browser, "total", [5, 3, 2, 1, 1]).await;
    assert_eq!(cell(&browser, "1", "key").await, "Stanowisko 1");

    // By day, with the keyboard: the arrow moves to the next grouping.
    browser
        .js("document.querySelector('[data-testid=group-counter]').focus()")
        .await;
    browser.press_key(Key::Right).await;
    wait_for_group(&browser, "day").await;
    assert_counts(&browser, &today, [5, 3, 2, 1, 1]).await;
    assert_eq!(
        browser.js("return location.hash").await,
        json!(format!("#from={from}&to={today}&group=day"))
    );

    // By hour: however the tickets fell across hours, the rows add up to the total.
    browser.click("[data-testid=group-hour]").await;
    wait_for_group(&browser, "hour").await;
    assert_counts(&browser, "total", [5, 3, 2, 1, 1]).await;
    let issued_by_hour = browser
        .js(&format!(
            "return [...document.querySelectorAll('{TABLE} tbody tr [data-field=issued]')]
               .reduce((sum, cell) => sum + Number(cell.textContent), 0);"
        ))
        .await;
    assert_eq!(issued_by_hour, json!(5));

    // English.
    browser.click("[data-testid=language-switch]").await;
    browser
        .wait_until("document.documentElement.lang === 'en'")
        .await;
    assert_eq!(cell(&browser, "total", "key").await, "Total");
    browser
        .wait_for_text("[data-testid=summary-table] thead", "Wait")
        .await;
    assert_eq!(
        browser
            .text("[data-testid=summary-table] thead th[data-field=wait_avg_s]")
            .await,
        "average"
    );
    browser.click("[data-testid=language-switch]").await;
    browser
        .wait_until("document.documentElement.lang === 'pl'")
        .await;

    // The CSV download: fetched with the token, saved under a name that says what it holds.
    browser
        .js(
            "window.saved = null;
             URL.createObjectURL = (blob) => { blob.text().then(text => { window.saved = window.saved || {}; window.saved.text = text; window.saved.type = blob.type; }); return 'blob:captured'; };
             URL.revokeObjectURL = () => {};
             HTMLAnchorElement.prototype.click = function () { window.saved = window.saved || {}; window.saved.name = this.download; };",
        )
        .await;
    browser.click("[data-testid=group-day]").await;
    wait_for_group(&browser, "day").await;
    browser.click("[data-testid=download-csv]").await;
    browser
        .wait_until("window.saved && window.saved.name && window.saved.text")
        .await;
    let saved = browser.js("return window.saved").await;
    assert_eq!(
        saved["name"],
        json!(format!("numerek-{from}-{today}-day.csv"))
    );
    assert!(saved["type"].as_str().unwrap_or("").starts_with("text/csv"));
    let csv = saved["text"].as_str().expect("CSV text");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("key,issued,called,served"), "{csv}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{today},5,3,2,1,1"))),
        "{csv}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("total,5,3,2,1,1")),
        "{csv}"
    );

    // A range within what the office keeps says nothing of retention; one reaching further
    // back than office.retention_days (730 by default) says that those days are deleted.
    assert_eq!(
        browser
            .js("return document.querySelector('[data-testid=retention-note]').hidden")
            .await,
        json!(true)
    );
    let today_date: jiff::civil::Date = today.parse().expect("today's date");
    let long_ago = today_date
        .checked_sub(jiff::Span::new().days(800))
        .expect("a date");
    let kept_from = today_date
        .checked_sub(jiff::Span::new().days(730))
        .expect("a date");
    browser
        .js(&format!(
            "document.querySelector('[data-testid=from]').value = '{long_ago}';
             document.querySelector('[data-testid=to]').value = '{}';",
            long_ago
                .checked_add(jiff::Span::new().days(100))
                .expect("a date")
        ))
        .await;
    browser.click("[data-testid=show]").await;
    browser
        .wait_until("!document.querySelector('[data-testid=retention-note]').hidden")
        .await;
    browser
        .wait_for_text("[data-testid=retention-note]", "730")
        .await;
    let shown_day = kept_from.strftime("%d.%m.%Y").to_string();
    browser
        .wait_for_text("[data-testid=retention-note]", &shown_day)
        .await;
    browser.axe_check("reports (a range past retention)").await;

    // A range the server refuses (more than 366 days) is said clearly, in the page's words and
    // the server's.
    browser
        .js("document.querySelector('[data-testid=from]').value = '2020-01-01'")
        .await;
    browser.click("[data-testid=show]").await;
    browser
        .wait_for_text("[data-testid=error]", "Serwer nie przyjął zakresu")
        .await;
    browser.wait_for_text("[data-testid=error]", "366").await;
    // A reversed range is caught before asking.
    browser
        .js(&format!(
            "document.querySelector('[data-testid=from]').value = '{today}';
             document.querySelector('[data-testid=to]').value = '{from}';"
        ))
        .await;
    browser.click("[data-testid=show]").await;
    browser
        .wait_for_text("[data-testid=error]", "późniejsza niż końcowa")
        .await;
    assert_eq!(
        browser
            .js("return document.activeElement.dataset.testid")
            .await,
        json!("from")
    );

    // A kiosk token may not read reports: said clearly, and the sign-in asks for another. (Via
    // about:blank, so that a link differing only in its fragment loads the page anew.)
    browser.goto("about:blank").await;
    browser
        .goto(&office.url(&format!("{REPORTS}#token={kiosk}")))
        .await;
    browser
        .wait_for_text("[data-testid=error]", "manager")
        .await;
    browser
        .wait_until("!document.querySelector('#login').hidden")
        .await;
    browser.axe_check("reports (refused token, sign-in)").await;
    // A token nobody issued: the same, with its own message.
    browser.goto("about:blank").await;
    browser
        .goto(&office.url(&format!("{REPORTS}#token=nmk_nobody")))
        .await;
    browser
        .wait_for_text("[data-testid=error]", "nie jest ważny")
        .await;
    // Signing in with the manager's token by the keyboard shows the report again.
    browser.click("[data-testid=login-token]").await;
    browser.type_text(&manager).await;
    browser.press_key(Key::Enter).await;
    wait_for_group(&browser, "category").await;
    assert_counts(&browser, "total", [5, 3, 2, 1, 1]).await;
    browser
        .wait_until("document.querySelector('[data-testid=error]').textContent === ''")
        .await;

    browser.close().await;
}

// ---------------------------------------------------------------------------------------------
// A week of history

/// A small deterministic random number generator (a linear congruential one): the seeded week
/// is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// What the seeding did to one ticket, in its own words (not numerek's report code).
#[derive(Debug, Clone)]
struct Seeded {
    category: &'static str,
    day: jiff::civil::Date,
    issued_min: i64,
    first_call_min: Option<i64>,
    end: &'static str,
}

/// One counter while seeding: its current ticket, when it is done with it, and how.
#[derive(Default)]
struct Desk {
    current: Option<usize>,
    until: i64,
    no_show: bool,
}

/// Runs six office days (the six before today) on `data_dir` with a hand-set clock, as a small
/// office would live them: arrivals 08:00–16:00 with a late-morning peak, counter 1 serving
/// registration and tax, counter 2 tax only, services of 3–8 minutes, some no-shows and some
/// citizens who give up and cancel. Answers every ticket as the seeding saw it.
async fn seed_week(config: &std::path::Path, data_dir: &std::path::Path) -> Vec<Seeded> {
    use numerek_core::{Command, CounterAction, OfficeConfig, TicketId};
    use numerek_store::{Clock, ManualClock, Store, StoreOptions};
    use std::sync::Arc;

    let text = std::fs::read_to_string(config).expect("office file");
    let office = Arc::new(OfficeConfig::from_toml(&text).expect("valid office"));
    let tz = office.office.tz.clone();
    let today = numerek_core::day::office_date(&tz, jiff::Timestamp::now());
    let at = |day: jiff::civil::Date, minute: i64| {
        let (hour, minute) = (minute / 60, minute % 60);
        tz.to_timestamp(day.at(hour as i8, minute as i8, 0, 0))
            .expect("a local time")
    };
    let first = today
        .checked_sub(jiff::Span::new().days(6))
        .expect("a date");
    let clock = Arc::new(ManualClock::new(at(first, 7 * 60)));
    let dyn_clock: Arc<dyn Clock> = clock.clone();
    let store = Store::open(StoreOptions::new(data_dir.to_path_buf(), office, dyn_clock))
        .expect("the store opens");
    let run = |command: Command| {
        let store = &store;
        async move { store.execute(command).await }
    };

    let mut random = Lcg(2026);
    let mut tickets: Vec<Seeded> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for offset in 0..6 {
        let day = first
            .checked_add(jiff::Span::new().days(offset))
            .expect("a date");
        let mut desks = [Desk::default(), Desk::default()];
        let mut cancels: Vec<(i64, usize)> = Vec::new();
        let mut minute = 8 * 60 - 1;
        // Until the doors close at 16:00 and everybody who came has been seen to.
        while minute < 16 * 60
            || desks.iter().any(|d| d.current.is_some())
            || tickets.iter().any(|t| t.day == day && t.end == "waiting")
        {
            minute += 1;
            clock.set(at(day, minute));
            // Arrivals, more of them late in the morning.
            if minute < 16 * 60 {
                let peak = if (10 * 60..12 * 60).contains(&minute) {
                    2
                } else {
                    1
                };
                for (category, percent) in [("registration", 9 * peak), ("tax", 6 * peak)] {
                    if random.below(100) < percent {
                        let id = format!("seed{offset}x{:05}", tickets.len());
                        run(Command::IssueTicket {
                            id: TicketId(id.clone()),
                            category: category.to_owned(),
                            priority: false,
                            language: None,
                        })
                        .await
                        .expect("issued");
                        if random.below(20) == 0 {
                            cancels.push((minute + 20, tickets.len()));
                        }
                        tickets.push(Seeded {
                            category,
                            day,
                            issued_min: minute,
                            first_call_min: None,
                            end: "waiting",
                        });
                        ids.push(id);
                    }
                }
            }
            // Those who gave up after 20 minutes, unless called by then.
            for &(due, index) in &cancels {
                if due == minute && tickets[index].first_call_min.is_none() {
                    run(Command::CancelTicket {
                        id: TicketId(ids[index].clone()),
                    })
                    .await
                    .expect("cancelled");
                    tickets[index].end = "cancelled";
                }
            }
            // Counters: done with the current ticket, call the next one.
            for (desk, counter) in desks.iter_mut().zip(["1", "2"]) {
                if desk.until > minute {
                    continue;
                }
                if let Some(index) = desk.current.take() {
                    let action = if desk.no_show {
                        CounterAction::NoShow
                    } else {
                        CounterAction::Finish
                    };
                    run(Command::Counter {
                        counter: counter.to_owned(),
                        action,
                    })
                    .await
                    .expect("finished");
                    tickets[index].end = if desk.no_show { "no_show" } else { "done" };
                }
                let called = run(Command::Counter {
                    counter: counter.to_owned(),
                    action: CounterAction::CallNext,
                })
                .await
                .expect("called");
                match called.ticket {
                    Some(view) => {
                        let index = ids
                            .iter()
                            .position(|id| *id == view.ticket.id.0)
                            .expect("a seeded ticket");
                        tickets[index].first_call_min = Some(minute);
                        tickets[index].end = "called";
                        desk.current = Some(index);
                        desk.no_show = random.below(15) == 0;
                        desk.until = minute
                            + if desk.no_show {
                                2
                            } else {
                                3 + random.below(6) as i64
                            };
                    }
                    None => desk.until = minute + 1,
                }
            }
        }
        assert!(minute < 22 * 60, "the seeded day {day} ends in the evening");
        for counter in ["1", "2"] {
            run(Command::Counter {
                counter: counter.to_owned(),
                action: CounterAction::Close,
            })
            .await
            .expect("closed");
        }
    }
    tokio::task::block_in_place(|| store.close());
    drop(store);
    tickets
}

/// `m:ss` of whole seconds, as the page writes durations.
fn min_sec(seconds: i64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// A percentage as the Polish page writes it: one decimal at most, a decimal comma.
fn percent_pl(part: usize, whole: usize) -> String {
    let tenths = (2000 * part + whole) / (2 * whole);
    if tenths.is_multiple_of(10) {
        format!("{}%", tenths / 10)
    } else {
        format!("{},{}%", tenths / 10, tenths % 10)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_week_of_history_is_reported_and_photographed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(dir.path());
    let data = dir.path().join("data");
    let week = seed_week(&config, &data).await;
    let office = browser::Office {
        server: support::Server::start(&config, &data),
        dir,
    };
    let manager = office.token("manager").to_owned();

    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1366, 768).await;
    browser
        .goto(&office.url(&format!("{REPORTS}#token={manager}")))
        .await;
    wait_for_group(&browser, "category").await;

    // Each category against the seeding's own account of its tickets.
    let targets = [("registration", 15 * 60), ("tax", 10 * 60)];
    for (category, target_s) in targets {
        let mine: Vec<&Seeded> = week.iter().filter(|t| t.category == category).collect();
        let count = |end: &str| mine.iter().filter(|t| t.end == end).count() as u32;
        let waits: Vec<i64> = mine
            .iter()
            .filter_map(|t| t.first_call_min.map(|c| (c - t.issued_min) * 60))
            .collect();
        let called = waits.len() as u32;
        assert_counts(
            &browser,
            category,
            [
                mine.len() as u32,
                called,
                count("done"),
                count("no_show"),
                count("cancelled"),
            ],
        )
        .await;
        // The mean in whole milliseconds, then whole seconds, as the API and the page round.
        let total_ms: i64 = waits.iter().map(|w| w * 1000).sum();
        let mean_ms = (2 * total_ms + i64::from(called)) / (2 * i64::from(called));
        let mean_s = (mean_ms + 500) / 1000;
        assert_eq!(
            cell(&browser, category, "wait_avg_s").await,
            min_sec(mean_s),
            "{category}: the average wait"
        );
        assert_eq!(
            cell(&browser, category, "wait_max_s").await,
            min_sec(*waits.iter().max().expect("some wait")),
            "{category}: the longest wait"
        );
        let within = waits.iter().filter(|&&w| w <= target_s).count();
        assert_eq!(
            cell(&browser, category, "within_target_pct").await,
            percent_pl(within, waits.len()),
            "{category}: within target"
        );
    }
    assert_counts(
        &browser,
        "total",
        [
            week.len() as u32,
            week.iter().filter(|t| t.first_call_min.is_some()).count() as u32,
            week.iter().filter(|t| t.end == "done").count() as u32,
            week.iter().filter(|t| t.end == "no_show").count() as u32,
            week.iter().filter(|t| t.end == "cancelled").count() as u32,
        ],
    )
    .await;

    // The day chart: a bar per seeded day, its height the day's share within target.
    let days = browser
        .js("return [...document.querySelectorAll('[data-testid=chart-day] g[data-series=within_target] rect')].map(r => Number(r.dataset.value))")
        .await;
    let days = days.as_array().expect("bars");
    assert_eq!(days.len(), 6, "a bar per day with calls");
    let first_day = week[0].day;
    let of_first: Vec<&Seeded> = week
        .iter()
        .filter(|t| t.day == first_day && t.first_call_min.is_some())
        .collect();
    let within_first = of_first
        .iter()
        .filter(|t| {
            let target = if t.category == "registration" { 15 } else { 10 };
            t.first_call_min.expect("called") - t.issued_min <= target
        })
        .count();
    let tenths = (2000 * within_first + of_first.len()) / (2 * of_first.len());
    assert_eq!(days[0].as_f64(), Some(tenths as f64 / 10.0));
    // The hour chart: every ticket in some hour between 8:00 and 16:00.
    let hours = browser
        .js("return [...document.querySelectorAll('[data-testid=chart-hour] g[data-series=issued] rect')].map(r => Number(r.dataset.value))")
        .await;
    let hours: Vec<u64> = hours
        .as_array()
        .expect("bars")
        .iter()
        .map(|v| v.as_u64().expect("a count"))
        .collect();
    assert_eq!(hours.len(), 8, "a bar per hour 8–15");
    assert_eq!(hours.iter().sum::<u64>(), week.len() as u64);

    browser.axe_check("reports (a week)").await;
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    // The picture shows the table and the charts (the range is written above the table).
    browser
        .js("window.scrollTo(0, document.querySelector('.summary').getBoundingClientRect().top + window.scrollY - 12)")
        .await;
    browser.screenshot("reports.png").await;
    browser.close().await;
}

/// Whether the summary table is whole in the window: the table no wider than its box (nothing
/// to scroll to), and every cell inside the window's width.
const TABLE_FITS: &str = r#"
const wrap = document.querySelector('.table-wrap');
const table = document.querySelector('[data-testid=summary-table]');
const out = [...table.querySelectorAll('th, td')]
  .filter((cell) => { const r = cell.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth; })
  .map((cell) => cell.textContent);
return {
  table_px: Math.ceil(table.getBoundingClientRect().width),
  room_px: wrap.clientWidth,
  scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
  page_scrolls: document.documentElement.scrollWidth > innerWidth,
  cells_outside: out,
  columns: [...table.querySelectorAll('thead th')]
    .map((th) => `${th.textContent}: ${Math.round(th.getBoundingClientRect().width)}`),
};
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_table_is_whole_in_a_1400_px_window() {
    // The example office's longest category name, and a ticket in each category, called and
    // served at counters.
    let office = browser::start_office_with(&support::ALWAYS_OPEN_OFFICE.replacen(
        r#"name = { pl = "Meldunki", en = "Registration" }"#,
        r#"name = { pl = "Urząd Stanu Cywilnego (akty, śluby, zgony)", en = "Civil registry (certificates, marriages, deaths)" }"#,
        1,
    ));
    let kiosk = office.token("kiosk").to_owned();
    let clerk = office.token("clerk").to_owned();
    for category in ["registration", "tax"] {
        post(
            &office.url("/api/v1/tickets"),
            Some(&kiosk),
            Some(json!({ "category": category })),
        )
        .await;
    }
    for counter in ["1", "2"] {
        post(
            &office.url(&format!("/api/v1/counters/{counter}/call-next")),
            Some(&clerk),
            None,
        )
        .await;
        post(
            &office.url(&format!("/api/v1/counters/{counter}/finish")),
            Some(&clerk),
            None,
        )
        .await;
    }
    let manager = office.token("manager").to_owned();
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1400, 900).await;
    browser
        .goto(&office.url(&format!("{REPORTS}#token={manager}")))
        .await;
    wait_for_group(&browser, "category").await;
    for language in ["pl", "en"] {
        if language == "en" {
            browser.click("[data-testid=language-switch]").await;
            browser
                .wait_until("document.documentElement.lang === 'en'")
                .await;
        }
        for group in ["category", "counter", "day", "hour"] {
            browser.click(&format!("[data-testid=group-{group}]")).await;
            wait_for_group(&browser, group).await;
            let fits = browser.js(TABLE_FITS).await;
            assert!(
                fits["scrolls"] == false
                    && fits["page_scrolls"] == false
                    && fits["cells_outside"] == json!([]),
                "by {group}, {language}: the table is clipped at 1400 px: {fits}"
            );
        }
    }
    browser.axe_check("reports at 1400 px").await;
    browser.close().await;
}

/// The staffing advisor on the reports page, over the seeded week: every row of the API's
/// answer is a cell of its matter's weekday × hour grid reading "needed / staffed", a short
/// cell says so in words (not by its colour alone) and links to its shortfall, which links to
/// the counters that could be moved there; the table behind the grids holds every row; a
/// higher target share asks the server again; the section passes axe-core.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_staffing_grid_shows_needed_against_staffed_and_links_shortfalls_to_counters() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = support::write_config(dir.path());
    let data = dir.path().join("data");
    let week = seed_week(&config, &data).await;
    let first = week.first().expect("a seeded ticket").day;
    let last = week.last().expect("a seeded ticket").day;
    let office = browser::Office {
        server: support::Server::start(&config, &data),
        dir,
    };
    let manager = office.token("manager").to_owned();
    let staffing: numerek_api::Staffing = reqwest::Client::new()
        .get(office.url(&format!(
            "/api/v1/reports/staffing?from={first}&to={last}&target_pct=80"
        )))
        .bearer_auth(&manager)
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("the staffing document");
    assert!(!staffing.rows.is_empty());
    let short: Vec<&numerek_api::StaffingRow> = staffing
        .rows
        .iter()
        .filter(|r| {
            r.counters_staffed_avg
                .is_some_and(|s| s < f64::from(r.counters_needed))
        })
        .collect();
    assert!(
        !short.is_empty(),
        "the seeded peak is understaffed: {:?}",
        staffing.rows
    );

    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1366, 768).await;
    browser
        .goto(&office.url(&format!("{REPORTS}#token={manager}&from={first}&to={last}")))
        .await;
    wait_for_group(&browser, "category").await;
    browser
        .wait_for("[data-testid=staffing-grid-registration]")
        .await;
    for row in &staffing.rows {
        let what = format!("{row:?}");
        let script = format!(
            "const cell = document.querySelector('[data-testid=staffing-grid-{}] td[data-weekday={}][data-hour=\"{}\"]');
             return cell ? [cell.className, cell.querySelector('.figures').textContent,
                            cell.querySelector('a') ? cell.querySelector('a').getAttribute('href') : null,
                            cell.textContent] : null;",
            row.category,
            row.weekday.as_str(),
            row.hour
        );
        let cell = browser.js(&script).await;
        let staffed = row
            .counters_staffed_avg
            .map_or("–".to_owned(), |s| format!("{s}").replace('.', ","));
        assert_eq!(
            cell[1],
            json!(format!("{} / {staffed}", row.counters_needed)),
            "{what}"
        );
        let is_short = short.iter().any(|s| std::ptr::eq(*s, row));
        assert_eq!(cell[0] == "short", is_short, "{what}: {cell}");
        if is_short {
            assert!(
                cell[3].as_str().unwrap().contains("brakuje"),
                "{what}: {cell}"
            );
            // The cell's link leads to its shortfall, which names the counters to move.
            let target = cell[2]
                .as_str()
                .expect("a link")
                .trim_start_matches('#')
                .to_owned();
            let links = browser
                .js(&format!(
                    "const item = document.getElementById('{target}');
                     return item ? [...item.querySelectorAll('a')].map(a => a.dataset.counter) : null;"
                ))
                .await;
            let expected = if row.category == "registration" {
                json!(["2"])
            } else {
                json!([])
            };
            assert_eq!(links, expected, "{what}");
        }
    }
    // The table behind the grids: a row per row of the answer.
    let rows = browser
        .js("return document.querySelectorAll('[data-testid=staffing-table] tbody tr').length")
        .await;
    assert_eq!(rows, json!(staffing.rows.len()));
    browser
        .js("document.querySelector('.staffing-data').open = true")
        .await;
    browser.axe_check("reports (staffing grid)").await;
    browser
        .js("document.querySelector('[data-testid=staffing-grid-registration]').scrollIntoView()")
        .await;
    browser.screenshot("reports-staffing.png").await;

    // A higher share asks the server again, and never needs fewer counters.
    let before = browser
        .js("return [...document.querySelectorAll('.staffing-grid td .figures')].map(f => Number(f.textContent.split(' / ')[0]))")
        .await;
    browser
        .js("const s = document.querySelector('[data-testid=target-pct]'); s.value = '95'; s.dispatchEvent(new Event('change'));")
        .await;
    browser
        .wait_for_text("[data-testid=staffing-intro]", "95")
        .await;
    browser
        .wait_until("document.body.dataset.state === 'ready'")
        .await;
    let after = browser
        .js("return [...document.querySelectorAll('.staffing-grid td .figures')].map(f => Number(f.textContent.split(' / ')[0]))")
        .await;
    let (before, after) = (before.as_array().unwrap(), after.as_array().unwrap());
    assert_eq!(before.len(), after.len());
    assert!(
        before
            .iter()
            .zip(after)
            .all(|(b, a)| a.as_f64() >= b.as_f64()),
        "{before:?} → {after:?}"
    );
    assert!(
        before
            .iter()
            .zip(after)
            .any(|(b, a)| a.as_f64() > b.as_f64())
    );
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}
