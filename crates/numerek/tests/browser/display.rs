//! The lobby display (`/display/`) in headless Chromium at 1920×1080: queues rise as tickets are
//! issued, a call shows large and is announced once (with a Web Audio chime), a recall is
//! announced again, a server crash shows the offline banner and a restart (same data, same port)
//! clears it, ten recent calls all fit on the screen; audited with axe-core and photographed for
//! the README (display.png, see `scripts/screenshots.sh`). And a long office name is shown whole
//! at 1920×1080.

use crate::browser;
use crate::support;

use browser::{Browser, Chromedriver, start_office_at};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::{ALWAYS_OPEN_OFFICE, Client, Server, binary};

/// The longest pause between two attempts of a page to reconnect its feed (`web/common/feed.js`).
const FEED_RETRY_MAX: Duration = Duration::from_secs(10);

/// The test office with two announcements for the ticker.
fn write_office(dir: &Path) -> std::path::PathBuf {
    let config = ALWAYS_OPEN_OFFICE.replacen(
        "languages = [\"pl\", \"en\"]\n",
        "languages = [\"pl\", \"en\"]\n\
         announcements = [{ pl = \"Prosimy przygotować dowód osobisty.\", en = \"Please have your identity card ready.\" }, \
         { pl = \"Urząd czynny w dni robocze 8:00–16:00.\", en = \"Open on working days 8:00–16:00.\" }]\n",
        1,
    );
    assert_ne!(config, ALWAYS_OPEN_OFFICE, "announcements added");
    let path = dir.join("office.toml");
    std::fs::write(&path, config).expect("write config");
    path
}

/// A server started by [`restart`]; killed when dropped, so a failing test leaves none behind.
struct Restarted(Child);

impl Drop for Restarted {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the server again on a fixed address (after a crash), waiting until it is ready.
fn restart(config: &Path, data_dir: &Path, listen: &str) -> Restarted {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut child = Command::new(binary())
            .arg("serve")
            .arg("--config")
            .arg(config)
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--listen")
            .arg(listen)
            .env("NUMEREK_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start numerek");
        let stdout = child.stdout.take().expect("stdout");
        // Its output is read to the end, so the server never writes to a closed pipe.
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.starts_with("numerek: ready") {
                    let _ = ready_tx.send(());
                }
            }
        });
        if ready_rx.recv_timeout(Duration::from_secs(30)).is_ok() {
            return Restarted(child);
        }
        // The port may still be held for a moment after the kill: try again.
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            Instant::now() < deadline,
            "numerek did not restart on {listen}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// How many announcements so far contain `text`.
async fn announced(browser: &Browser, text: &str) -> usize {
    let list = browser.js("return window.numerekDisplay.announced;").await;
    list.as_array()
        .expect("window.numerekDisplay.announced is an array")
        .iter()
        .filter(|entry| entry.as_str().is_some_and(|e| e.contains(text)))
        .count()
}

/// Every row of the recent calls lies inside the viewport, is drawn (not clipped by the list or
/// covered: the page's hit test at its top and bottom edge finds the row), and its text is
/// large enough to read across the room.
async fn assert_recent_calls_fit(browser: &Browser) {
    let rows = browser
        .js(r#"
            const rows = [...document.querySelectorAll("[data-testid='recent-calls'] [data-number]")];
            return rows.map((row) => {
              const r = row.getBoundingClientRect();
              const x = r.left + Math.min(r.width / 2, 100);
              const drawn = [r.top + 2, r.bottom - 2]
                .every((y) => row.contains(document.elementFromPoint(x, y)));
              return {
                number: row.dataset.number,
                box: [r.left, r.top, r.right, r.bottom].map(Math.round),
                inside: r.height > 0 && r.left >= 0 && r.top >= 0
                  && r.right <= innerWidth && r.bottom <= innerHeight,
                drawn,
                fontPx: parseFloat(getComputedStyle(row.querySelector('.recent-number')).fontSize),
              };
            });
        "#)
        .await;
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 10, "ten recent calls: {rows:?}");
    for row in rows {
        assert!(
            row["inside"] == true && row["drawn"] == true,
            "recent call {} is not (fully) on the 1920×1080 screen: {row}",
            row["number"]
        );
        let font = row["fontPx"].as_f64().expect("font size");
        assert!(
            font >= 40.0,
            "recent call {} is too small to read across the room: {row}",
            row["number"]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lobby_display_shows_announces_and_survives_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_office(dir.path());
    let data = dir.path().join("data");
    let server = Server::start(&config, &data);
    let base = server.base.clone();
    let kiosk = server.tokens["kiosk"].clone();
    let clerk = server.tokens["clerk"].clone();
    let http = Client::new(&base);

    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1920, 1080).await;
    // In Polish only: by default the labels alternate between the office's languages every
    // 10 s, which would race the checks of Polish texts below.
    browser.goto(&format!("{base}/display/?lang=pl")).await;
    browser
        .wait_for("[data-testid='waiting-registration'][data-waiting='0']")
        .await;
    browser
        .wait_for("[data-testid='waiting-tax'][data-waiting='0']")
        .await;
    browser
        .wait_for_text("[data-testid='ticker']", "dowód osobisty")
        .await;
    browser
        .wait_until(
            "document.querySelector(\"[data-testid='clock']\").textContent.trim().length >= 4",
        )
        .await;
    assert_eq!(
        browser.js("return document.documentElement.lang").await,
        "pl"
    );
    // No offline banner once connected (a page whose feed is not up within 3 s shows it until
    // the feed connects, which on a busy machine may be later).
    browser
        .wait_until("document.querySelector(\"[data-testid='offline']\").hidden")
        .await;
    // Started with --autoplay-policy=no-user-gesture-required: no unlock button.
    assert_eq!(
        browser
            .js("return document.querySelector(\"[data-testid='sound-unlock']\").hidden")
            .await,
        Value::Bool(true)
    );

    // Tickets: the queue rises.
    for category in ["registration", "registration", "tax"] {
        let (status, _) = http
            .post("/api/v1/tickets", &kiosk, json!({"category": category}))
            .await;
        assert_eq!(status, 201);
    }
    browser
        .wait_for("[data-testid='waiting-registration'][data-waiting='2']")
        .await;
    browser
        .wait_for("[data-testid='waiting-tax'][data-waiting='1']")
        .await;

    // A call: shown large, in the recent list, announced once.
    let (status, answer) = http
        .post("/api/v1/counters/1/call-next", &clerk, json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(answer["ticket"]["number"], "A001");
    browser
        .wait_for("[data-testid='current-call'][data-number='A001'][data-counter='1']")
        .await;
    browser
        .wait_for("[data-testid='recent-calls'] [data-number='A001']")
        .await;
    browser
        .wait_for_text("[data-testid='current-call']", "A001")
        .await;
    browser
        .wait_until(
            "window.numerekDisplay.announced.some(t => t.includes('Numer A 1, stanowisko 1'))",
        )
        .await;
    browser
        .wait_for("[data-testid='waiting-registration'][data-waiting='1']")
        .await;
    // The chime is made with Web Audio (the context runs: no click was needed).
    browser
        .wait_until("window.numerekDisplay.chimes >= 1")
        .await;
    // That it is announced only once is checked below without waiting for a repeat that
    // might come late: announcements leave one queue in the order of the events, so once a
    // later call has been announced, every announcement of A001 has been too.

    // A recall: announced again, still one entry in the recent list.
    let (status, _) = http
        .post("/api/v1/counters/1/recall", &clerk, json!({}))
        .await;
    assert_eq!(status, 200);
    browser
        .wait_until("window.numerekDisplay.announced.filter(t => t.includes('A 1,')).length === 2")
        .await;
    browser
        .wait_until("window.numerekDisplay.chimes >= 2")
        .await;
    let items = browser
        .js("return document.querySelectorAll(\"[data-testid='recent-calls'] [data-number='A001']\").length")
        .await;
    assert_eq!(items, 1, "a ticket at most once in the recent list");

    // A crash: the banner shows; the same data and port again: it goes, and calls arrive.
    let listen = base.trim_start_matches("http://").to_owned();
    server.kill();
    browser
        .wait_until("!document.querySelector(\"[data-testid='offline']\").hidden")
        .await;
    browser
        .wait_for_text("[data-testid='offline']", "Brak połączenia")
        .await;
    let _again = restart(&config, &data, &listen);
    // The page retries with a growing pause, at most FEED_RETRY_MAX apart, however long the
    // restart took.
    browser
        .wait_until_within(
            "document.querySelector(\"[data-testid='offline']\").hidden",
            FEED_RETRY_MAX + browser::WAIT,
        )
        .await;
    let (status, answer) = http
        .post("/api/v1/counters/1/call-next", &clerk, json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(answer["ticket"]["number"], "A002");
    browser
        .wait_for("[data-testid='current-call'][data-number='A002'][data-counter='1']")
        .await;
    browser
        .wait_until(
            "window.numerekDisplay.announced.some(t => t.includes('Numer A 2, stanowisko 1'))",
        )
        .await;
    assert_eq!(
        announced(&browser, "A 1,").await,
        2,
        "A001 was announced once when called and once when recalled, and the reconnect \
         re-announced nothing old"
    );

    // A busy morning: ten more calls. All ten recent calls fit on the 1920×1080 screen.
    let mut last = String::new();
    for _ in 0..10 {
        let (status, _) = http
            .post(
                "/api/v1/tickets",
                &kiosk,
                json!({"category": "registration"}),
            )
            .await;
        assert_eq!(status, 201);
        let (status, answer) = http
            .post("/api/v1/counters/1/call-next", &clerk, json!({}))
            .await;
        assert_eq!(status, 200);
        last = answer["ticket"]["number"]
            .as_str()
            .expect("a ticket was called")
            .to_owned();
    }
    browser
        .wait_for(&format!(
            "[data-testid='current-call'][data-number='{last}']"
        ))
        .await;
    browser
        .wait_until(
            "document.querySelectorAll(\"[data-testid='recent-calls'] [data-number]\").length === 10",
        )
        .await;
    assert_recent_calls_fit(&browser).await;

    browser.axe_check("display").await;
    browser.screenshot("display.png").await;
    let errors = browser.console_errors().await;
    // The crash itself logs failed connections; nothing else may.
    let unexpected: Vec<&String> = errors
        .iter()
        .filter(|e| !e.contains("/api/v1/") && !e.contains("ERR_CONNECTION_REFUSED"))
        .collect();
    assert!(unexpected.is_empty(), "console errors: {unexpected:?}");
    browser.close().await;
}

/// Where the office's name lies on the display, and whether all of it is drawn: every line box
/// of its text inside the name's box, the box inside the screen and clear of the date and
/// clock; its font size and number of lines.
const OFFICE_NAME_CHECK: &str = r#"
const name = document.getElementById('office-name');
const box = name.getBoundingClientRect();
const when = document.querySelector('.when').getBoundingClientRect();
const range = document.createRange();
range.selectNodeContents(name);
const lines = [...range.getClientRects()];
const within = (r, outer) => r.left >= outer.left - 1 && r.right <= outer.right + 1
  && r.top >= outer.top - 1 && r.bottom <= outer.bottom + 1;
const screen = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
const style = getComputedStyle(name);
return {
  text: name.textContent,
  drawn: lines.length > 0 && lines.every((r) => within(r, box) && within(r, screen)),
  unclipped: name.scrollWidth <= name.clientWidth + 1 && name.scrollHeight <= name.clientHeight + 1,
  clear_of_the_clock: box.right <= when.left,
  font_px: parseFloat(style.fontSize),
  lines: Math.round(box.height / parseFloat(style.lineHeight)),
};
"#;

/// The example office's name (`config/example-office.toml`).
fn example_office_name() -> String {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../config/example-office.toml"
    ))
    .expect("the example office");
    example
        .lines()
        .find_map(|line| line.strip_prefix("name = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("the example office's name")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_office_name_is_shown_whole_at_1920_by_1080() {
    let long = "Urząd Miasta Stołecznego Warszawy — Biuro Obsługi Mieszkańców Dzielnicy \
                Śródmieście, Sala Obsługi Klientów nr 2";
    let example = example_office_name();
    // The example's name at the header's full size (2.6% of the screen's width, on two lines at
    // most); one three times as long made smaller, to no less than half that size (25 px, still
    // read across a room).
    for (name, smallest_px) in [(example.as_str(), 49.0), (long, 24.9)] {
        // And a category with the example office's longest name.
        let office = browser::start_office_with(
            &ALWAYS_OPEN_OFFICE
                .replacen(
                    "name = \"Urząd Testowy\"",
                    &format!("name = \"{name}\""),
                    1,
                )
                .replacen(
                    r#"name = { pl = "Podatki", en = "Taxes" }"#,
                    r#"name = { pl = "Urząd Stanu Cywilnego (akty, śluby, zgony)", en = "Civil registry (certificates, marriages, deaths)" }"#,
                    1,
                ),
        );
        let driver = Chromedriver::start();
        let browser = Browser::open(&driver, 1920, 1080).await;
        for language in ["pl", "en"] {
            browser
                .goto(&office.url(&format!("/display/?lang={language}")))
                .await;
            browser
                .wait_for_text("#office-name", &name[..name.len().min(12)])
                .await;
            browser
                .wait_until("document.fonts.status === 'loaded'")
                .await;
            // The name is fitted when its room changes (a frame after the date is drawn).
            browser
                .js("return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))));")
                .await;
            let check = browser.js(OFFICE_NAME_CHECK).await;
            assert_eq!(check["text"], name, "{check}");
            for what in ["drawn", "unclipped", "clear_of_the_clock"] {
                assert_eq!(check[what], true, "{what}, {language}: {check}");
            }
            let font = check["font_px"].as_f64().expect("font size");
            assert!(font >= smallest_px, "{language}: {check}");
            assert!(check["lines"].as_u64() <= Some(2), "{language}: {check}");
            // Every category's name whole too.
            let cut = browser
                .js("return [...document.querySelectorAll('.queue-name')]
                       .filter((n) => n.scrollWidth > n.clientWidth + 1
                         || n.scrollHeight > n.clientHeight + 1
                         || n.getBoundingClientRect().right > innerWidth)
                       .map((n) => n.textContent);")
                .await;
            assert_eq!(cut, json!([]), "{language}: category names cut");
            browser
                .wait_for_text("[data-testid='waiting-tax']", "(")
                .await;
        }

        // With the header that tall, ten recent calls still fit.
        let http = Client::new(&office.server.base);
        for _ in 0..10 {
            let (status, _) = http
                .post(
                    "/api/v1/tickets",
                    office.token("kiosk"),
                    json!({"category": "registration"}),
                )
                .await;
            assert_eq!(status, 201);
            let (status, _) = http
                .post(
                    "/api/v1/counters/1/call-next",
                    office.token("clerk"),
                    json!({}),
                )
                .await;
            assert_eq!(status, 200);
        }
        browser
            .wait_until(
                "document.querySelectorAll(\"[data-testid='recent-calls'] [data-number]\").length === 10",
            )
            .await;
        assert_recent_calls_fit(&browser).await;
        browser
            .axe_check(&format!("display, office {name:?}"))
            .await;
        browser.close().await;
    }
}

/// An office closed on Saturday morning: `registration` opens with the office's hours on
/// Monday, `permits` with its own on Sunday. The server's clock stands at Saturday 28 November
/// 2026, 10:00 in Warsaw.
const CLOSED_OFFICE: &str = r#"
[office]
id = "closed"
name = "Urząd Testowy"
timezone = "Europe/Warsaw"
languages = ["pl", "en"]

[office.hours]
mon = "07:30-15:30"
tue = "07:30-15:30"
wed = "07:30-15:30"
thu = "07:30-15:30"
fri = "07:30-15:30"

[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki", en = "Registration" }
target_wait_min = 15

[[category]]
id = "permits"
prefix = "C"
name = { pl = "Zezwolenia", en = "Permits" }
target_wait_min = 10
hours = { sun = "09:00-12:00" }

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration", "permits"]
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_office_says_on_the_display_when_it_opens() {
    let office = start_office_at(CLOSED_OFFICE, Some("2026-11-28T10:00:00+01:00"));
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1920, 1080).await;
    let queue = |id: &str| format!("[data-testid=waiting-{id}] .queue-wait");
    for (lang, closed, opens, registration, permits) in [
        (
            "pl",
            "Urząd nieczynny",
            "Otwarte jutro od 9:00",
            "otwarte od poniedziałku 7:30",
            "otwarte jutro od 9:00",
        ),
        (
            "en",
            "The office is closed",
            "Opens tomorrow at 9:00",
            "opens Monday 7:30",
            "opens tomorrow at 9:00",
        ),
    ] {
        browser
            .goto(&office.url(&format!("/display/?lang={lang}")))
            .await;
        browser
            .wait_until(&format!("document.documentElement.lang === '{lang}'"))
            .await;
        // Nobody has been called: the call box says the office is closed, and until when
        // (the earliest opening of any category).
        browser
            .wait_for_text("[data-testid=current-call]", closed)
            .await;
        browser
            .wait_for_text("[data-testid=current-call]", opens)
            .await;
        browser
            .wait_for_text(&queue("registration"), registration)
            .await;
        browser.wait_for_text(&queue("permits"), permits).await;
        browser
            .axe_check(&format!("display, a closed office ({lang})"))
            .await;
    }
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}
