//! The lobby display (`/display/`) in headless Chromium at 1920×1080: queues rise as tickets are
//! issued, a call shows large and is announced once (with a Web Audio chime), a recall is
//! announced again, a server crash shows the offline banner and a restart (same data, same port)
//! clears it, ten recent calls all fit on the screen; audited with axe-core and photographed for
//! docs/screenshots/display.png.

mod browser;
mod support;

use browser::{Browser, Chromedriver, start_office_at};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::{ALWAYS_OPEN_OFFICE, Client, Server, binary};

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
    browser.goto(&format!("{base}/display/")).await;
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
    assert_eq!(
        browser
            .js("return document.querySelector(\"[data-testid='offline']\").hidden")
            .await,
        Value::Bool(true),
        "no offline banner while connected"
    );
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
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        announced(&browser, "A 1,").await,
        1,
        "a call is announced once"
    );

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
    browser
        .wait_until("document.querySelector(\"[data-testid='offline']\").hidden")
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
        "the reconnect re-announced nothing old"
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
    browser.screenshot("docs/screenshots/display.png").await;
    let errors = browser.console_errors().await;
    // The crash itself logs failed connections; nothing else may.
    let unexpected: Vec<&String> = errors
        .iter()
        .filter(|e| !e.contains("/api/v1/") && !e.contains("ERR_CONNECTION_REFUSED"))
        .collect();
    assert!(unexpected.is_empty(), "console errors: {unexpected:?}");
    browser.close().await;
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
