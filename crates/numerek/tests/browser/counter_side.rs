//! The devices at a counter, in headless Chromium at real sizes.
//!
//! The counter-top screen (`/display/?counter=ID`) at 1280×800 (a 10-inch tablet) and 800×480 (a
//! 7-inch screen): the counter's name, "Nieczynne", "Zapraszamy", "Przerwa", a called number with
//! a chime (and not for another counter's calls), in Polish and English; everything inside the
//! screen, and at 1280×800 large enough to read from 5 m (the sizes `display-client/
//! counter-top.css` reasons for, measured in millimetres of a 10-inch screen); axe-core in every
//! state.
//!
//! The rating tablet (`/feedback/?counter=ID`, kiosk token) at 1280×800: it offers five faces
//! after each finish at its counter (not at another), thanks, goes back to waiting by itself,
//! says when a visit was rated already or the time is over, switches language, and asks for its
//! token when it has none; axe-core on each screen.

use crate::browser;
use crate::support;

use browser::{Browser, Chromedriver, start_office_with};
use serde_json::{Value, json};
use std::time::Duration;
use support::{ALWAYS_OPEN_OFFICE, Client};

/// Millimetres per CSS pixel on a 10-inch 16:10 screen of 1280×800: 8.48 in (215.4 mm) wide.
const MM_PER_PX_10_INCH: f64 = 215.4 / 1280.0;

/// The test office with a long name for counter 2.
fn office() -> String {
    let office = ALWAYS_OPEN_OFFICE.replacen(
        "name = { pl = \"Stanowisko 2\", en = \"Counter 2\" }",
        "name = { pl = \"Stanowisko 2 — podatki i opłaty lokalne\", en = \"Counter 2 — local taxes and fees\" }",
        1,
    );
    assert_ne!(office, ALWAYS_OPEN_OFFICE);
    office
}

/// The counter-top screen as it is: `{state, number, name, main, label}` and how the texts sit:
/// the glyph heights (px) of the main text and of the name's capitals, whether every part lies
/// inside the viewport, and whether any text overflows its box.
const SCREEN: &str = r#"
const box = document.querySelector('[data-testid=counter-top]');
const name = document.getElementById('ct-name');
const main = document.getElementById('ct-main');
const label = document.getElementById('ct-label');
const canvas = document.createElement('canvas').getContext('2d');
const glyphs = (el, text) => {
  const style = getComputedStyle(el);
  canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const m = canvas.measureText(text);
  return m.actualBoundingBoxAscent + m.actualBoundingBoxDescent;
};
const inside = (el) => {
  const r = el.getBoundingClientRect();
  return r.left >= -0.5 && r.top >= -0.5 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
};
const overflows = (el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
return {
  state: box.dataset.state ?? null,
  number: box.dataset.number ?? null,
  name: name.textContent,
  main: main.textContent,
  label: label.textContent,
  mainPx: glyphs(main, main.textContent.replace(/[a-ząćęłńóśźż]/g, '')),
  namePx: glyphs(name, 'S'),
  inside: [name, main, label].every(inside),
  overflows: [name, main].some(overflows),
  pageScrolls: document.documentElement.scrollWidth > innerWidth || document.documentElement.scrollHeight > innerHeight,
};
"#;

async fn screen(browser: &Browser) -> Value {
    browser.js(SCREEN).await
}

/// Waits until the screen is in `state` showing `main`.
async fn wait_for_screen(browser: &Browser, state: &str, main: &str) {
    browser
        .wait_for(&format!("[data-testid=counter-top][data-state={state}]"))
        .await;
    browser
        .wait_for_text("[data-testid=counter-top-main]", main)
        .await;
}

/// Everything inside the screen, nothing overflowing.
#[track_caller]
fn assert_laid_out(seen: &Value, what: &str) {
    assert!(
        seen["inside"] == true && seen["overflows"] == false && seen["pageScrolls"] == false,
        "{what}: {seen}"
    );
}

async fn act(http: &Client, clerk: &str, counter: &str, action: &str) -> Value {
    let (status, answer) = http
        .post(
            &format!("/api/v1/counters/{counter}/{action}"),
            clerk,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{action} at {counter}: {answer}");
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_counter_top_screen_says_the_counters_state_large_at_two_sizes() {
    let office = start_office_with(&office());
    let http = Client::new(&office.server.base);
    let kiosk = office.token("kiosk").to_owned();
    let clerk = office.token("clerk").to_owned();
    let driver = Chromedriver::start();

    for (width, height) in [(1280, 800), (800, 480)] {
        let size = format!("{width}×{height}");
        let browser = Browser::open(&driver, width, height).await;
        browser
            .goto(&office.url("/display/?counter=1&lang=pl"))
            .await;
        wait_for_screen(&browser, "closed", "Nieczynne").await;
        browser
            .wait_for_text("[data-testid=counter-top-name]", "Stanowisko 1")
            .await;
        // The lobby's parts are not shown.
        assert_eq!(
            browser
                .js("return document.querySelector('.board').getClientRects().length")
                .await,
            0
        );
        browser
            .wait_until("document.querySelector('[data-testid=offline]').hidden")
            .await;
        let closed = screen(&browser).await;
        assert_laid_out(&closed, &format!("closed at {size}"));
        browser
            .axe_check(&format!("the counter-top screen, closed, {size}"))
            .await;

        act(&http, &clerk, "1", "open").await;
        wait_for_screen(&browser, "open", "Zapraszamy").await;
        let open = screen(&browser).await;
        assert_laid_out(&open, &format!("open at {size}"));
        act(&http, &clerk, "1", "pause").await;
        wait_for_screen(&browser, "paused", "Przerwa").await;
        assert_laid_out(&screen(&browser).await, &format!("paused at {size}"));
        browser
            .axe_check(&format!("the counter-top screen, paused, {size}"))
            .await;

        // A call at another counter changes nothing here; this counter's call shows and chimes.
        for _ in 0..2 {
            let (status, _) = http
                .post("/api/v1/tickets", &kiosk, json!({"category": "tax"}))
                .await;
            assert_eq!(status, 201);
        }
        let other = act(&http, &clerk, "2", "call-next").await;
        let mine = act(&http, &clerk, "1", "call-next").await;
        let number = mine["ticket"]["number"]
            .as_str()
            .expect("a number")
            .to_owned();
        wait_for_screen(&browser, "called", &number).await;
        browser
            .wait_until(&format!(
                "window.numerekDisplay.announced.includes('{number}')"
            ))
            .await;
        browser
            .wait_until("window.numerekDisplay.chimes >= 1")
            .await;
        let announced = browser.js("return window.numerekDisplay.announced").await;
        assert!(
            !announced
                .to_string()
                .contains(other["ticket"]["number"].as_str().unwrap()),
            "another counter's call is not chimed here: {announced}"
        );
        let called = screen(&browser).await;
        assert_eq!(called["number"], number.as_str());
        assert_eq!(called["label"], "Obsługujemy numer");
        assert_laid_out(&called, &format!("called at {size}"));
        browser
            .axe_check(&format!("the counter-top screen, called, {size}"))
            .await;
        browser
            .screenshot(&format!("counter-top-{width}x{height}.png"))
            .await;

        if width == 1280 {
            // Readable from 5 m on a 10-inch screen (counter-top.css says why these sizes).
            let mm =
                |value: &Value, key: &str| value[key].as_f64().expect("px") * MM_PER_PX_10_INCH;
            assert!(mm(&called, "mainPx") >= 40.0, "the number: {called}");
            assert!(mm(&called, "namePx") >= 20.0, "the name: {called}");
            assert!(mm(&open, "mainPx") >= 20.0, "the word Zapraszamy: {open}");
            assert!(
                mm(&closed, "mainPx") >= 20.0,
                "the word Nieczynne: {closed}"
            );
        }

        // Served: the counter is open again (a pause holds until the next call opens it).
        act(&http, &clerk, "1", "finish").await;
        wait_for_screen(&browser, "open", "Zapraszamy").await;
        act(&http, &clerk, "1", "close").await;
        wait_for_screen(&browser, "closed", "Nieczynne").await;
        act(&http, &clerk, "2", "finish").await;

        // English, and a long name that must wrap and shrink to fit.
        browser
            .goto(&office.url("/display/?counter=2&lang=en"))
            .await;
        browser
            .wait_for_text(
                "[data-testid=counter-top-name]",
                "Counter 2 — local taxes and fees",
            )
            .await;
        wait_for_screen(&browser, "open", "Open").await;
        assert_laid_out(&screen(&browser).await, &format!("a long name at {size}"));
        browser
            .axe_check(&format!("the counter-top screen in English, {size}"))
            .await;
        act(&http, &clerk, "2", "close").await;
        wait_for_screen(&browser, "closed", "Closed").await;

        // A counter the office does not have.
        browser
            .goto(&office.url("/display/?counter=9&lang=pl"))
            .await;
        browser
            .wait_for_text("[data-testid=counter-top-name]", "Nie ma stanowiska „9”")
            .await;
        let errors = browser.console_errors().await;
        assert!(errors.is_empty(), "console errors at {size}: {errors:?}");
        browser.close().await;
    }
}

/// The tablet's screen: `body[data-screen]`.
async fn tablet_screen(browser: &Browser) -> Value {
    browser.js("return document.body.dataset.screen").await
}

/// How long the tablet thanks before it waits again (`DONE_MS` in feedback.js).
const DONE: Duration = Duration::from_secs(6);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rating_tablet_offers_the_faces_after_each_finish_at_its_counter() {
    let office = start_office_with(&office());
    let http = Client::new(&office.server.base);
    let kiosk = office.token("kiosk").to_owned();
    let clerk = office.token("clerk").to_owned();
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1280, 800).await;

    // Without a token it asks for one.
    browser.goto(&office.url("/feedback/?counter=1")).await;
    browser.wait_for("[data-testid=setup-token]").await;
    assert_eq!(tablet_screen(&browser).await, "setup");
    browser.axe_check("the rating tablet's setup").await;
    browser.click("[data-testid=setup-token]").await;
    browser.type_text(&kiosk).await;
    browser.click("[data-testid=setup-save]").await;
    browser
        .wait_until("document.body.dataset.screen === 'idle'")
        .await;
    browser
        .wait_for_text("[data-testid=counter-name]", "Stanowisko 1")
        .await;
    browser
        .wait_until("document.querySelector('[data-testid=offline]').hidden")
        .await;
    browser.axe_check("the rating tablet, waiting").await;

    // A finish at another counter: nothing.
    let issue = async |category: &str| {
        let (status, ticket) = http
            .post("/api/v1/tickets", &kiosk, json!({"category": category}))
            .await;
        assert_eq!(status, 201);
        ticket["id"].as_str().expect("id").to_owned()
    };
    issue("tax").await;
    act(&http, &clerk, "2", "call-next").await;
    act(&http, &clerk, "2", "finish").await;
    // A finish here, which comes after it in the feed: the faces.
    let first = issue("registration").await;
    act(&http, &clerk, "1", "call-next").await;
    act(&http, &clerk, "1", "finish").await;
    browser
        .wait_until("document.body.dataset.screen === 'ask'")
        .await;
    assert_eq!(
        browser
            .js("return document.querySelectorAll('[data-testid=faces] button.face').length")
            .await,
        5
    );
    browser
        .wait_for_text("#question", "Jak oceniasz obsługę?")
        .await;
    browser.axe_check("the rating tablet's faces").await;
    browser.screenshot("feedback-tablet.png").await;
    // The faces fill the width, each a large target.
    let boxes = browser
        .js("return [...document.querySelectorAll('button.face')].map((b) => {
                const r = b.getBoundingClientRect(); return [r.left, r.right, r.width, r.height]; });")
        .await;
    for face in boxes.as_array().expect("faces") {
        let values: Vec<f64> = face
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert!(
            values[0] >= 0.0 && values[1] <= 1280.0 && values[2] >= 150.0 && values[3] >= 150.0,
            "{boxes}"
        );
    }

    browser.click("[data-testid=face-4]").await;
    browser
        .wait_for_text("[data-testid=done-text]", "Dziękujemy za ocenę!")
        .await;
    let (_, read) = http.get(&format!("/api/v1/tickets/{first}")).await;
    assert_eq!(read["feedback"]["given"], true, "{read}");
    browser.axe_check("the rating tablet's thanks").await;
    browser
        .wait_until_within(
            "document.body.dataset.screen === 'idle'",
            DONE + browser::WAIT,
        )
        .await;

    // The next visit, in English, rated on the phone first: the tablet says so.
    let second = issue("registration").await;
    act(&http, &clerk, "1", "call-next").await;
    act(&http, &clerk, "1", "finish").await;
    browser
        .wait_until("document.body.dataset.screen === 'ask'")
        .await;
    browser.click("[data-testid=language-switch]").await;
    browser
        .wait_for_text("#question", "How was the service?")
        .await;
    let names = browser
        .js("return [...document.querySelectorAll('button.face')].map((b) => b.textContent);")
        .await;
    assert_eq!(
        names,
        json!(["very bad", "bad", "so-so", "good", "very good"])
    );
    browser
        .axe_check("the rating tablet's faces in English")
        .await;
    let (status, _) = post_public(
        &office.server.base,
        &format!("/api/v1/tickets/{second}/feedback"),
        json!({"score": 2}),
    )
    .await;
    assert_eq!(status, 200);
    browser.click("[data-testid=face-5]").await;
    browser
        .wait_for_text(
            "[data-testid=done-text]",
            "This visit has been rated already. Thank you!",
        )
        .await;
    browser
        .wait_until_within(
            "document.body.dataset.screen === 'idle'",
            DONE + browser::WAIT,
        )
        .await;
    assert_eq!(
        browser.js("return document.documentElement.lang").await,
        "pl",
        "the next person starts in the office's first language"
    );
    // The reports page: counter 1's two visits, rated 4 (tablet) and 2 (phone).
    let manager = office.token("manager").to_owned();
    browser
        .goto(&office.url(&format!("/reports/#group=counter&token={manager}")))
        .await;
    browser
        .wait_until(
            "document.body.dataset.state === 'ready' && \
             document.querySelector('[data-testid=summary-table]').dataset.group === 'counter'",
        )
        .await;
    let cells = browser
        .js("return ['1', '2', 'total'].map((key) => {
                const row = document.querySelector(`[data-testid=summary-table] tr[data-key=\"${key}\"]`);
                return ['feedback_count', 'satisfaction_avg']
                  .map((f) => row.querySelector(`[data-field=${f}]`).textContent);
             });")
        .await;
    assert_eq!(cells, json!([["2", "3,00"], ["0", "–"], ["2", "3,00"]]));
    let headings = browser
        .js("return [...document.querySelectorAll('[data-testid=summary-table] thead th')].map((th) => th.textContent);")
        .await;
    assert!(
        headings.to_string().contains("Zadowolenie (1–5)"),
        "{headings}"
    );
    browser
        .axe_check("the reports by counter, with satisfaction")
        .await;
    // The refusal of the rating given twice is the one answer Chromium logs, as every 4xx.
    let mut errors = browser.console_errors().await;
    errors.retain(|e| !e.contains("/api/v1/counters/1/feedback - Failed to load resource: the server responded with a status of 409"));
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}

/// A rating without a token (the phone's), as `(status, body)`.
async fn post_public(base: &str, path: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .json(&body)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The office on a clock that starts now and runs 100 times as fast as real time.
fn start_fast_office(toml: &str) -> browser::Office {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("office.toml");
    std::fs::write(&config, toml).expect("write config");
    let now = jiff::Timestamp::now().to_string();
    let server = support::Server::start_with_args(
        &config,
        &dir.path().join("data"),
        &["--sim-clock-start", &now, "--sim-clock-speed", "100"],
    );
    browser::Office { server, dir }
}

/// The server's own time, as the open-data document says it: `"YYYY-MM-DD HH:MM"`.
async fn server_minute(http: &Client) -> String {
    let (_, document) = http.get("/api/v1/open-data/warsaw").await;
    format!(
        "{} {}",
        document["result"]["date"].as_str().expect("date"),
        document["result"]["time"].as_str().expect("time")
    )
}

/// With the server's clock running 100 times as fast, the three minutes after a counter's
/// finish pass in about two seconds: the tablet, which still offers the faces by its own clock,
/// is told the time is over and says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rating_tablet_says_when_the_time_to_rate_is_over() {
    let office = start_fast_office(&office());
    let http = Client::new(&office.server.base);
    let kiosk = office.token("kiosk").to_owned();
    let clerk = office.token("clerk").to_owned();
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1280, 800).await;
    browser
        .goto(&office.url(&format!("/feedback/?counter=1#token={kiosk}")))
        .await;
    browser
        .wait_until("document.querySelector('[data-testid=offline]').hidden")
        .await;
    let (status, _) = http
        .post(
            "/api/v1/tickets",
            &kiosk,
            json!({"category": "registration"}),
        )
        .await;
    assert_eq!(status, 201);
    act(&http, &clerk, "1", "call-next").await;
    let finish = act(&http, &clerk, "1", "finish").await;
    browser
        .wait_until("document.body.dataset.screen === 'ask'")
        .await;
    // Wait, on the server's clock, until its minute is four past the finish's.
    let finished: jiff::Timestamp = finish["ticket"]["finished_at"]
        .as_str()
        .expect("finished_at")
        .parse()
        .expect("a timestamp");
    let over = finished
        .checked_add(jiff::SignedDuration::from_mins(4))
        .expect("in range")
        .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Warsaw").expect("zone"))
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    let deadline = std::time::Instant::now() + browser::WAIT;
    while server_minute(&http).await < over {
        assert!(
            std::time::Instant::now() < deadline,
            "the server's clock did not reach {over}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        tablet_screen(&browser).await,
        "ask",
        "still offered by the tablet's clock"
    );
    browser.click("[data-testid=face-3]").await;
    browser
        .wait_for_text("[data-testid=done-text]", "Czas na ocenę tej wizyty minął.")
        .await;
    browser.axe_check("the rating tablet, too late").await;
    browser.close().await;
}
