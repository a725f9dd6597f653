//! The counter terminal (`/counter/`) and the mobile ticket page (`/t/{id}`) end to end: tickets
//! issued over HTTP, a clerk working the counter by mouse and keyboard, the visitor's phone
//! following the ticket live; both pages audited with axe-core and photographed.

use crate::browser;
use crate::support;

use browser::{Browser, CHROMIUM, CHROMIUM_FLAGS, Chromedriver, Key, start_office};
use serde_json::{Value, json};

const COUNTER: &str = "/counter/";
const NUMBER: &str = "[data-testid=current-number]";

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

async fn get(url: &str) -> Value {
    reqwest::get(url)
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON answer")
}

/// A 390×844 screenshot of `url` by Chromium's own `--screenshot` (the harness's `Browser`
/// cannot get a viewport narrower than Chromium's minimum window width, 500 px).
fn phone_screenshot(url: &str, name: &str) {
    let profile = tempfile::tempdir().expect("profile tempdir");
    let target = browser::screenshot_path(name);
    // A picture from an earlier run must not pass for this one.
    let _ = std::fs::remove_file(&target);
    let status = std::process::Command::new(CHROMIUM)
        .args(CHROMIUM_FLAGS)
        .arg("--window-size=390,844")
        .arg("--hide-scrollbars")
        .arg("--virtual-time-budget=3000")
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", target.display()))
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run chromium");
    assert!(status.success(), "chromium --screenshot failed: {status}");
    assert!(target.exists(), "no screenshot at {}", target.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerk_calls_recalls_transfers_and_finishes_while_the_phone_follows() {
    let office = start_office();
    let kiosk = office.token("kiosk").to_owned();
    let clerk = office.token("clerk").to_owned();
    let issue = |category: &'static str| {
        let url = office.url("/api/v1/tickets");
        let kiosk = kiosk.clone();
        async move { post(&url, Some(&kiosk), Some(json!({ "category": category }))).await }
    };
    let a001 = issue("registration").await;
    let a002 = issue("registration").await;
    let b001 = issue("tax").await;
    assert_eq!(a001["number"], "A001");
    let a001_id = a001["id"].as_str().expect("id").to_owned();
    let a002_id = a002["id"].as_str().expect("id").to_owned();
    assert_eq!(b001["number"], "B001");

    let driver = Chromedriver::start();
    let desk = Browser::open(&driver, 1366, 768).await;
    // The phone's behaviour in a narrow window (Chromium will not go below 500 px wide); its
    // 390×844 screenshot is taken by `phone_screenshot`.
    let phone = Browser::open(&driver, 600, 844).await;

    // The link printed at first start opens the counter ready; the token leaves the address bar.
    desk.goto(&office.url(&format!("{COUNTER}#token={clerk}&counter=1")))
        .await;
    desk.wait_until("!document.querySelector('[data-testid=action-call-next]').disabled")
        .await;
    assert!(
        !desk
            .js("return location.href")
            .await
            .to_string()
            .contains("nmk_")
    );
    desk.wait_for_text("[data-testid=waiting-registration]", "2")
        .await;
    desk.wait_for_text("[data-testid=waiting-tax]", "1").await;
    desk.wait_for_text("[data-testid=next-list]", "A001").await;
    // Nothing to recall, finish or transfer yet.
    for id in [
        "action-recall",
        "action-finish",
        "action-no-show",
        "action-transfer",
    ] {
        assert_eq!(
            desk.js(&format!(
                "return document.querySelector('[data-testid={id}]').disabled"
            ))
            .await,
            Value::Bool(true),
            "{id} is disabled without a ticket"
        );
    }

    // Call next by the button.
    desk.click("[data-testid=action-call-next]").await;
    desk.wait_for_text(NUMBER, "A001").await;
    desk.wait_for_text("[data-testid=current-state]", "wezwany")
        .await;
    desk.wait_for_text("[data-testid=counter-state]", "otwarte")
        .await;

    // The visitor's phone shows where to go.
    phone.goto(&office.url(&format!("/t/{a001_id}"))).await;
    phone
        .wait_for_text("[data-testid=ticket-number]", "A001")
        .await;
    phone
        .wait_for_text("[data-testid=go-to-counter]", "Podejdź do stanowiska 1")
        .await;
    phone
        .wait_until("document.querySelector('[data-testid=go-to-counter]').dataset.counter === '1'")
        .await;
    phone
        .wait_until(
            "document.querySelector('[data-testid=ticket-state]').dataset.state === 'called'",
        )
        .await;
    phone.axe_check("ticket (called)").await;
    phone_screenshot(&office.url(&format!("/t/{a001_id}")), "ticket.png");

    // The service time runs.
    desk.wait_until(
        "document.querySelector('[data-testid=service-time]').textContent.trim() !== '0:00'",
    )
    .await;

    // Shortcuts are ignored while typing.
    desk.click("[data-testid=call-number-input]").await;
    desk.type_text("n").await;
    desk.wait_until("document.querySelector('[data-testid=call-number-input]').value === 'n'")
        .await;
    assert!(desk.text(NUMBER).await.contains("A001"));
    desk.js("const i = document.querySelector('[data-testid=call-number-input]'); i.value = ''; i.blur();")
        .await;

    // Call next by the shortcut: A001 is served, A002 called; the phone follows live.
    desk.press_key('n').await;
    desk.wait_for_text(NUMBER, "A002").await;
    phone
        .wait_until("document.querySelector('[data-testid=ticket-state]').dataset.state === 'done'")
        .await;
    phone
        .wait_until("document.querySelector('[data-testid=go-to-counter]').hidden")
        .await;

    // Recall announces it again.
    desk.click("[data-testid=action-recall]").await;
    desk.wait_until("document.querySelector('[data-testid=error]').textContent === ''")
        .await;
    let status = get(&office.url("/api/v1/status")).await;
    assert_eq!(status["recent_calls"][0]["number"], "A002");

    // Transfer A002 to the front of the tax queue.
    desk.wait_until("!document.querySelector('[data-testid=action-transfer]').disabled")
        .await;
    desk.click("[data-testid=action-transfer]").await;
    desk.wait_until("document.querySelector('#transfer-dialog').open")
        .await;
    desk.js(
        "const s = document.querySelector('[data-testid=transfer-category]'); s.value = 'tax';",
    )
    .await;
    desk.click("[data-testid=transfer-front]").await;
    desk.click("[data-testid=transfer-confirm]").await;
    desk.wait_until("!document.querySelector('#transfer-dialog').open")
        .await;
    desk.wait_until("document.querySelector('[data-testid=current-number]').textContent === '—'")
        .await;
    let moved = get(&office.url(&format!("/api/v1/tickets/{a002_id}"))).await;
    assert_eq!(moved["category"], "tax");
    assert_eq!(moved["state"], "waiting");
    desk.wait_for_text("[data-testid=waiting-tax]", "2").await;
    desk.wait_until(
        "document.querySelector('[data-testid=next-list] li strong').textContent === 'A002'",
    )
    .await;

    // Front means it is called before B001; then finish.
    desk.click("[data-testid=action-call-next]").await;
    desk.wait_for_text(NUMBER, "A002").await;
    desk.click("[data-testid=action-finish]").await;
    desk.wait_until("document.querySelector('[data-testid=current-number]').textContent === '—'")
        .await;
    let finished = get(&office.url(&format!("/api/v1/tickets/{a002_id}"))).await;
    assert_eq!(finished["state"], "done");

    // Language switch: English, then back to Polish.
    desk.click("[data-testid=language-switch]").await;
    desk.wait_until("document.documentElement.lang === 'en'")
        .await;
    desk.wait_for_text("[data-testid=action-call-next]", "Call next")
        .await;
    desk.wait_for_text("[data-testid=current-state]", "no ticket")
        .await;
    phone.click("[data-testid=language-switch]").await;
    phone
        .wait_until("document.documentElement.lang === 'en'")
        .await;
    phone
        .wait_for_text("[data-testid=ticket-state]", "Served")
        .await;
    desk.click("[data-testid=language-switch]").await;
    desk.wait_until("document.documentElement.lang === 'pl'")
        .await;

    // Call a specific number by the keyboard alone: C, the number, Enter.
    desk.js("document.activeElement.blur()").await;
    desk.press_key('c').await;
    desk.wait_until(
        "document.activeElement === document.querySelector('[data-testid=call-number-input]')",
    )
    .await;
    desk.type_text("B001").await;
    desk.press_key(Key::Enter).await;
    desk.wait_for_text(NUMBER, "B001").await;

    desk.axe_check("counter").await;
    desk.screenshot("counter.png").await;
    let errors = desk.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");

    // The transfer dialog passes the audit too.
    desk.wait_until("!document.querySelector('[data-testid=action-transfer]').disabled")
        .await;
    desk.click("[data-testid=action-transfer]").await;
    desk.wait_until("document.querySelector('#transfer-dialog').open")
        .await;
    desk.axe_check("counter transfer dialog").await;
    desk.press_key(Key::Escape).await;
    desk.wait_until("!document.querySelector('#transfer-dialog').open")
        .await;

    // A waiting ticket on the phone: people ahead, estimate, and cancelling it.
    let a003 = issue("registration").await;
    let a004 = issue("registration").await;
    let a004_id = a004["id"].as_str().expect("id").to_owned();
    assert_eq!(a003["number"], "A003");
    phone.goto(&office.url(&format!("/t/{a004_id}"))).await;
    phone.wait_for_text("[data-testid=people-ahead]", "1").await;
    phone.wait_for("[data-testid=estimated-wait]").await;
    phone.axe_check("ticket (waiting)").await;
    phone.click("[data-testid=cancel]").await;
    phone.click("[data-testid=cancel-confirm]").await;
    phone
        .wait_until(
            "document.querySelector('[data-testid=ticket-state]').dataset.state === 'cancelled'",
        )
        .await;
    let cancelled = get(&office.url(&format!("/api/v1/tickets/{a004_id}"))).await;
    assert_eq!(cancelled["state"], "cancelled");

    // An unknown ticket gets a friendly page.
    phone.goto(&office.url("/t/no-such-ticket")).await;
    // The phone was switched to English earlier; the choice is remembered.
    phone
        .wait_for_text("#not-found", "We could not find this ticket")
        .await;
    phone.axe_check("ticket (not found)").await;

    phone.close().await;
    desk.close().await;
}

/// The clerk switches the counter's work profile among what the office file's `may_serve`
/// allows: the page shows the profile in force, the dialog offers exactly `may_serve`, refuses
/// an empty choice, and after saving the queue and the next tickets follow the new profile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clerk_switches_the_counters_matters_within_may_serve() {
    let toml = support::ALWAYS_OPEN_OFFICE.replacen(
        "categories = [\"tax\"]\n",
        "categories = [\"tax\"]\nmay_serve = [\"tax\", \"registration\"]\n",
        1,
    );
    assert_ne!(toml, support::ALWAYS_OPEN_OFFICE);
    let office = browser::start_office_with(&toml);
    let kiosk = office.token("kiosk").to_owned();
    let clerk = office.token("clerk").to_owned();
    let a001 = post(
        &office.url("/api/v1/tickets"),
        Some(&kiosk),
        Some(json!({"category": "registration"})),
    )
    .await;
    assert_eq!(a001["number"], "A001");

    let driver = Chromedriver::start();
    let desk = Browser::open(&driver, 1366, 768).await;
    desk.goto(&office.url(&format!("{COUNTER}#token={clerk}&counter=2")))
        .await;
    desk.wait_until("!document.querySelector('[data-testid=profile-change]').disabled")
        .await;
    desk.wait_for_text("[data-testid=profile]", "Podatki").await;
    assert!(
        !desk
            .text("[data-testid=profile]")
            .await
            .contains("Meldunki")
    );
    desk.wait_for_text("[data-testid=next-list]", "Nikt nie czeka")
        .await;

    desk.click("[data-testid=profile-change]").await;
    desk.wait_until("document.querySelector('#profile-dialog').open")
        .await;
    // Exactly what may_serve allows, the profile in force ticked.
    let offered = desk
        .js("return [...document.querySelectorAll('#profile-categories input')].map(i => [i.value, i.checked])")
        .await;
    assert_eq!(offered, json!([["tax", true], ["registration", false]]));
    desk.axe_check("counter profile dialog").await;
    // Nothing ticked is refused in the dialog, before any request.
    desk.click("[data-testid=profile-category-tax]").await;
    desk.click("[data-testid=profile-save]").await;
    desk.wait_for_text("[data-testid=profile-error]", "co najmniej jedną")
        .await;
    assert_eq!(
        desk.js("return document.querySelector('#profile-dialog').open")
            .await,
        Value::Bool(true)
    );
    desk.click("[data-testid=profile-category-tax]").await;
    desk.click("[data-testid=profile-category-registration]")
        .await;
    desk.click("[data-testid=profile-listed]").await;
    desk.screenshot("counter-profile-dialog.png").await;
    desk.click("[data-testid=profile-save]").await;
    desk.wait_until("!document.querySelector('#profile-dialog').open")
        .await;

    // The profile in force, on the page and on the server; the queue follows it.
    desk.wait_for_text("[data-testid=profile]", "Meldunki")
        .await;
    desk.wait_for_text("[data-testid=profile]", "w kolejności listy")
        .await;
    desk.wait_for_text("[data-testid=next-list]", "A001").await;
    desk.wait_for_text("[data-testid=waiting-registration]", "1")
        .await;
    let counter = reqwest::Client::new()
        .get(office.url("/api/v1/counters/2"))
        .bearer_auth(&clerk)
        .send()
        .await
        .expect("GET")
        .json::<Value>()
        .await
        .expect("JSON");
    assert_eq!(
        counter["counter"]["categories"],
        json!(["tax", "registration"])
    );
    assert_eq!(counter["counter"]["order"], "listed");
    desk.click("[data-testid=action-call-next]").await;
    desk.wait_for_text(NUMBER, "A001").await;

    desk.axe_check("counter with a changed profile").await;
    desk.screenshot("counter-profile.png").await;
    let errors = desk.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    desk.close().await;
}
