//! The kiosk page (`/kiosk/`) in headless Chromium at its real size, 1080×1920: taking normal
//! and priority tickets by touch and by keyboard, the live waiting counts, the language switch,
//! the setup screen and a rejected token, axe-core, and the screenshots (see
//! `scripts/screenshots.sh`); the printed ticket on 80 mm and 58 mm thermal rolls; the ticket
//! staying on screen until its print is over, and a printer that does not answer; and a
//! category the cut-off closed for the day.
//!
//! The kiosk prints on the harness's test printer (`browser::TEST_PRINTER`), which keeps each
//! print in progress until the test ends it: the ticket screen then stays until the test moves
//! on, whatever the machine's speed.

use crate::browser;
use crate::support;

use browser::{
    Browser, Chromedriver, Key, pdf_pages, start_office, start_office_at, start_office_with,
};
use serde_json::{Value, json};
use std::time::Duration;

const CATEGORY_A: &str = "[data-testid=category-registration]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiosk_issues_tickets_switches_language_and_passes_axe() {
    let office = start_office();
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1080, 1920).await;
    let token = office.token("kiosk").to_owned();

    // The token comes in the fragment, is kept, and leaves the address bar.
    browser
        .goto(&office.url(&format!("/kiosk/#token={token}")))
        .await;
    browser
        .wait_for(&format!("{CATEGORY_A}[data-waiting='0']"))
        .await;
    assert_eq!(browser.js("return location.hash").await, "");
    assert_eq!(
        browser.js("return document.documentElement.lang").await,
        "pl"
    );
    browser.wait_for_text(CATEGORY_A, "Meldunki").await;
    browser.wait_for_text(CATEGORY_A, "Czeka: 0").await;
    browser.wait_for("[data-testid=category-tax]").await;
    // No settings button for the public.
    assert_eq!(
        browser
            .js(
                "return [...document.querySelectorAll('[data-testid^=setup-]')]
                 .filter((e) => e.getClientRects().length > 0).length"
            )
            .await,
        0
    );
    browser
        .wait_until("document.fonts.status === 'loaded'")
        .await;
    browser.axe_check("kiosk, start").await;
    browser.screenshot("kiosk.png").await;

    // A normal ticket by touch.
    browser.click(CATEGORY_A).await;
    browser.click("[data-testid=priority-normal]").await;
    browser
        .wait_for_text("[data-testid=ticket-number]", "A001")
        .await;
    assert_eq!(browser.text("[data-testid=ticket-people-ahead]").await, "0");
    let qr = browser
        .js(
            "const img = document.querySelector('[data-testid=ticket-qr]');
             return [img.getAttribute('src'), img.alt];",
        )
        .await;
    let src = qr[0].as_str().expect("qr src");
    assert!(
        src.starts_with("/t/") && src.ends_with("/qr.svg"),
        "QR src {src}"
    );
    assert!(
        qr[1].as_str().is_some_and(|alt| alt.contains("A001")),
        "QR alt {qr:?}"
    );
    browser
        .wait_until("document.querySelector('[data-testid=ticket-qr]').naturalWidth > 0")
        .await;
    browser
        .wait_until("document.getElementById('live').textContent.includes('A001')")
        .await;
    browser.axe_check("kiosk, ticket").await;
    browser.screenshot("kiosk-ticket.png").await;
    // The kiosk printed it once, with the ticket on screen; the print is still in progress, so
    // the ticket stays until "Done".
    browser
        .wait_until("window.numerekTestPrinter.printed.length === 1")
        .await;
    let printer = browser.printer().await;
    assert_eq!(printer["calls"], 1, "{printer}");
    assert_eq!(printer["printed"][0]["screen"], "ticket", "{printer}");
    browser.click("[data-testid=done]").await;
    browser
        .wait_for(&format!("{CATEGORY_A}[data-waiting='1']"))
        .await;
    // The printer is done after the visitor has gone; the kiosk stays at the start.
    assert!(browser.finish_print().await, "A001 was being printed");
    assert_eq!(
        browser.js("return document.body.dataset.screen").await,
        "start"
    );

    // A priority ticket with the keyboard only: Enter on the category, Tab to the choice.
    browser
        .js("document.querySelector('[data-testid=category-registration]').focus()")
        .await;
    browser.press_key(Key::Enter).await;
    browser.wait_for("[data-testid=priority-priority]").await;
    browser
        .wait_until("document.activeElement && document.activeElement.id === 'priority-title'")
        .await;
    browser.press_key(Key::Tab).await;
    browser.press_key(Key::Tab).await;
    assert_eq!(
        browser
            .js("return document.activeElement.dataset.testid")
            .await,
        "priority-priority"
    );
    browser.press_key(Key::Enter).await;
    browser
        .wait_for_text("[data-testid=ticket-number]", "A002")
        .await;
    // A priority ticket goes before the normal A001.
    assert_eq!(browser.text("[data-testid=ticket-people-ahead]").await, "0");
    browser.press_key(Key::Enter).await; // "Done" has the focus
    browser
        .wait_for(&format!("{CATEGORY_A}[data-waiting='2']"))
        .await;
    browser.wait_for_text(CATEGORY_A, "Czeka: 2").await;

    // English at a touch, and back.
    let switch = "[data-testid=language-switch]";
    assert_eq!(browser.text(switch).await, "English");
    browser.click(switch).await;
    browser
        .wait_until("document.documentElement.lang === 'en'")
        .await;
    browser.wait_for_text(CATEGORY_A, "Waiting: 2").await;
    browser.wait_for_text(switch, "Polski").await;
    assert_eq!(
        browser
            .js("return document.querySelector('[data-testid=language-switch]').lang")
            .await,
        "pl"
    );
    browser.axe_check("kiosk, English").await;
    browser.click(switch).await;
    browser
        .wait_until("document.documentElement.lang === 'pl'")
        .await;
    browser.wait_for_text(CATEGORY_A, "Czeka: 2").await;

    // Without a stored token the kiosk asks for one, and works once it is given.
    browser.js("localStorage.clear(); location.reload();").await;
    // The page before the reload has the field too, hidden: wait for the reloaded one's.
    browser
        .wait_until(
            "document.querySelector('[data-testid=setup-token]')?.getClientRects().length > 0",
        )
        .await;
    browser.click("[data-testid=setup-token]").await;
    browser.type_text(&token).await;
    browser.axe_check("kiosk, setup").await;
    browser.click("[data-testid=setup-save]").await;
    browser
        .wait_for(&format!("{CATEGORY_A}[data-waiting='2']"))
        .await;

    // A rejected token is forgotten and setup comes back.
    browser
        .js("localStorage.setItem('numerek.kiosk.token', 'nmk_not-a-token'); location.reload();")
        .await;
    browser
        .wait_for(&format!("{CATEGORY_A}[data-waiting='2']"))
        .await;
    browser.click("[data-testid=category-tax]").await;
    browser.click("[data-testid=priority-normal]").await;
    browser
        .wait_for("#screen-setup:not([hidden]) [data-testid=setup-token]")
        .await;
    assert_eq!(
        browser
            .js("return localStorage.getItem('numerek.kiosk.token')")
            .await,
        Value::Null
    );

    let errors = browser.console_errors().await;
    assert!(
        errors.iter().all(|e| e.contains("401")),
        "console errors other than the expected 401: {errors:?}"
    );
    browser.close().await;
}

/// What a printed ticket must be, checked in the page laid out for print on a roll as wide as
/// the viewport: on the ticket screen, nothing wider than the roll, the number, category, date
/// and time and QR code printed, the screen's chrome not. Answers `{problems, height}`.
const PRINT_CHECK: &str = r#"
const shown = (el) => el !== null && el.getClientRects().length > 0
  && getComputedStyle(el).visibility !== 'hidden';
const box = (el) => [...Object.values(el.getBoundingClientRect().toJSON())].map(Math.round);
const name = (el) => `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}>`;
const width = innerWidth;
const problems = [];
if (!matchMedia('print').matches) problems.push('print media is not emulated');
if (document.body.dataset.screen !== 'ticket') {
  problems.push(`the kiosk is on the ${document.body.dataset.screen} screen, not the ticket`);
}
if (document.documentElement.scrollWidth > width) {
  problems.push(`the print is ${document.documentElement.scrollWidth} px wide, the roll ${width} px`);
}
for (const [what, selector] of [['number', '#ticket-number'], ['category', '#ticket-category'],
    ['people ahead', '#ticket-people-ahead'], ['estimated wait', '#ticket-wait'],
    ['date and time', '#ticket-issued'], ['QR code', '#ticket-qr']]) {
  const el = document.querySelector(selector);
  if (!shown(el)) { problems.push(`the ${what} is not printed`); continue; }
  if (el.tagName !== 'IMG' && el.textContent.trim() === '') problems.push(`the ${what} is empty`);
}
for (const el of document.querySelectorAll('#ticket, #ticket *')) {
  if (!shown(el)) continue;
  const r = el.getBoundingClientRect();
  if (r.left < -0.5 || r.right > width + 0.5) problems.push(`${name(el)} sticks out of the roll: ${box(el)}`);
  if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
    problems.push(`${name(el)} overflows its box: ${el.scrollWidth} px in ${el.clientWidth} px`);
  }
}
for (const selector of ['.offline-banner', '.top', '[data-testid=language-switch]', '.ticket-actions',
    '[data-testid=done]', '#screen-start', '#screen-priority', '#screen-setup']) {
  if (shown(document.querySelector(selector))) problems.push(`${selector} is printed`);
}
const qr = document.getElementById('ticket-qr');
if (!(qr.complete && qr.naturalWidth > 0)) problems.push('the QR code has not loaded');
if (qr.getBoundingClientRect().width < 100) problems.push(`the QR code is only ${box(qr)} (under 26 mm)`);
const number = document.getElementById('ticket-number').getBoundingClientRect();
if (number.height < 34) problems.push(`the number is only ${number.height} px high (under 9 mm)`);
return {problems, height: Math.ceil(document.documentElement.getBoundingClientRect().height)};
"#;

/// The widest number numerek issues (two-letter prefix, four digits) in the printed ticket's
/// place: answers how far it overflows its line (0 when it fits), and puts the real one back.
const LONG_NUMBER_OVERFLOW: &str = r#"
const number = document.getElementById('ticket-number');
const real = number.textContent;
number.textContent = 'AB1000';
const overflow = Math.max(0, number.scrollWidth - number.clientWidth,
  number.getBoundingClientRect().right - innerWidth);
number.textContent = real;
return overflow;
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiosk_ticket_prints_on_80_and_58_mm_thermal_rolls() {
    let office = start_office();
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1080, 1920).await;
    let token = office.token("kiosk").to_owned();
    browser
        .goto(&office.url(&format!("/kiosk/#token={token}")))
        .await;
    browser
        .wait_for(&format!("{CATEGORY_A}[data-waiting='0']"))
        .await;

    // 96 CSS px to the inch: 80 mm is 302 px, 58 mm 219 px.
    let rolls = [("80mm", 302, 8.0, "A001"), ("58mm", 219, 5.8, "A002")];
    for (index, (roll, width, width_cm, number)) in rolls.into_iter().enumerate() {
        // A fresh ticket for each roll, taken by touch. Its print stays in progress on the
        // test printer, so the ticket stays on screen until "Done".
        browser.click(CATEGORY_A).await;
        browser.click("[data-testid=priority-normal]").await;
        browser
            .wait_for_text("[data-testid=ticket-number]", number)
            .await;
        // Printed once, when its QR code had loaded, with the ticket on screen.
        browser
            .wait_until(&format!(
                "window.numerekTestPrinter.printed.length === {}",
                index + 1
            ))
            .await;
        let printer = browser.printer().await;
        let printed = &printer["printed"][index];
        assert_eq!(printer["calls"], index + 1, "{printer}");
        assert_eq!(printed["screen"], "ticket", "{printed}");
        assert!(
            printed["text"].as_str().is_some_and(|t| t.contains(number)),
            "{printed}"
        );
        browser
            .wait_until("document.querySelector('[data-testid=ticket-qr]').naturalWidth > 0")
            .await;

        browser.emulate_print(width, 1200).await;
        let report = browser.js(PRINT_CHECK).await;
        let problems = report["problems"].as_array().expect("problems");
        assert!(
            problems.is_empty(),
            "the ticket printed on a {roll} roll ({width} px): {problems:#?}"
        );
        let overflow = browser.js(LONG_NUMBER_OVERFLOW).await;
        assert_eq!(
            overflow.as_f64(),
            Some(0.0),
            "the number AB1000 does not fit a {roll} roll"
        );
        // The picture of the roll: exactly as long as the ticket.
        let height = report["height"].as_u64().expect("height") as u32;
        browser.emulate_print(width, height).await;
        assert!(
            browser.js(PRINT_CHECK).await["problems"] == json!([]),
            "the ticket at {width}×{height}"
        );
        browser
            .screenshot_emulated(&format!("kiosk-print-{roll}.png"), width, height)
            .await;
        browser.stop_emulation().await;

        // Printed to PDF on paper of the roll's width and 15 cm long: one page of that width
        // (nothing but the ticket is printed, and it is shorter than 15 cm). The ticket is on
        // screen before and after, and nothing can take it away in between: its own print is
        // still in progress (the PDF's print does not end it), so no countdown runs.
        assert_eq!(
            browser.js("return document.body.dataset.screen").await,
            "ticket"
        );
        let pdf = browser.print_pdf(width_cm, 15.0).await;
        let after = browser
            .js("return [document.body.dataset.screen,
                         document.getElementById('screen-ticket').dataset.print]")
            .await;
        assert_eq!(
            after,
            json!(["ticket", "pending"]),
            "the ticket was on screen while printing to PDF, its own print still in progress"
        );
        let pages = pdf_pages(&pdf);
        assert_eq!(
            pages.len(),
            1,
            "the {roll} ticket prints on one page: {pages:?}"
        );
        let points = width_cm / 2.54 * 72.0;
        assert!(
            (pages[0].0 - points).abs() < 1.5,
            "the page is {} pt wide, the {roll} roll {points:.1} pt",
            pages[0].0
        );

        browser.click("[data-testid=done]").await;
        browser
            .wait_for(&format!("{CATEGORY_A}[data-waiting='{}']", index + 1))
            .await;
        assert!(browser.finish_print().await, "{number} was being printed");
    }
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}

/// The kiosk's ticket screen, as far as the ticket's print has got: `[data-print, the line
/// under the ticket, the countdown]`.
async fn print_state(browser: &Browser) -> Value {
    browser
        .js(
            "return [document.getElementById('screen-ticket').dataset.print,
                     document.querySelector('[data-testid=ticket-take]').textContent,
                     document.getElementById('countdown').textContent]",
        )
        .await
}

/// How long the ticket screen stays once printed (`RETURN_AFTER_S` in kiosk.js).
const RETURN_AFTER: Duration = Duration::from_secs(10);

/// The kiosk back at the start by itself, waited for as long as its countdown runs and then
/// [`browser::WAIT`].
async fn back_at_start_by_itself(browser: &Browser) {
    browser
        .wait_until_within(
            "document.body.dataset.screen === 'start'",
            RETURN_AFTER + browser::WAIT,
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ticket_stays_until_printed_and_a_printer_that_does_not_answer_is_said() {
    let office = start_office();
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1080, 1920).await;
    let token = office.token("kiosk").to_owned();
    browser
        .goto(&office.url(&format!("/kiosk/#token={token}")))
        .await;
    browser
        .wait_for(&format!("{CATEGORY_A}[data-waiting='0']"))
        .await;
    let take = |number: &'static str| {
        let browser = &browser;
        async move {
            browser.click(CATEGORY_A).await;
            browser.click("[data-testid=priority-normal]").await;
            browser
                .wait_for_text("[data-testid=ticket-number]", number)
                .await;
        }
    };

    // While its print is in progress the ticket stays, and says it is printing.
    take("A001").await;
    browser
        .wait_until("window.numerekTestPrinter.printed.length === 1")
        .await;
    assert_eq!(
        print_state(&browser).await,
        json!(["pending", "Drukowanie biletu…", ""])
    );
    // Once printed, the countdown runs and takes the kiosk back to the start.
    assert!(browser.finish_print().await);
    browser
        .wait_until("document.getElementById('screen-ticket').dataset.print === 'printed'")
        .await;
    assert_eq!(
        browser.text("[data-testid=ticket-take]").await,
        "Weź wydrukowany bilet."
    );
    browser
        .wait_for_text("#countdown", "Powrót do początku za")
        .await;
    back_at_start_by_itself(&browser).await;

    // A print that never ends (a print dialog nobody answers, a hung print system): the next
    // ticket is not sent to the printer, which would drop it without a word. Its screen says
    // so, in the visitor's language, and goes back by itself.
    take("A002").await;
    browser
        .wait_until("window.numerekTestPrinter.printed.length === 2")
        .await;
    browser.click("[data-testid=done]").await;
    browser.click("[data-testid=language-switch]").await;
    browser
        .wait_until("document.documentElement.lang === 'en'")
        .await;
    take("A003").await;
    browser
        .wait_until("document.getElementById('screen-ticket').dataset.print === 'busy'")
        .await;
    let state = print_state(&browser).await;
    assert_eq!(
        state[1],
        "The printer is not responding: note your number or scan the code with your phone.",
        "{state}"
    );
    assert_eq!(
        browser.printer().await["calls"],
        2,
        "no print was started while one was in progress"
    );
    browser
        .wait_until("document.getElementById('live').textContent.includes('printer')")
        .await;
    browser
        .axe_check("kiosk, the printer does not answer")
        .await;
    back_at_start_by_itself(&browser).await;
    assert_eq!(
        browser.js("return document.documentElement.lang").await,
        "pl",
        "back in the default language"
    );

    // The hung print ends at last: nothing changes on screen, and the next ticket prints.
    assert!(browser.finish_print().await);
    assert_eq!(
        browser.js("return document.body.dataset.screen").await,
        "start"
    );
    take("A004").await;
    browser
        .wait_until("window.numerekTestPrinter.printed.length === 3")
        .await;
    assert_eq!(print_state(&browser).await[0], "pending");
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}

/// An office whose "late" category stops issuing when its queue could not be served before
/// closing (`cutoff_min = 0`): each of its calls is expected to take a whole working day, and it
/// issues around the clock (it is the shared all-day test office, `tests/fixtures/`), so four
/// tickets waiting in it are more than any day has left, whatever the time the test runs at.
/// Its tickets come from "tax" by transfer (a transfer is not an issue, so the cut-off does not
/// stop it).
const CUT_OFF_OFFICE: &str = concat!(
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/all-day-office.toml"
    )),
    r#"
[[category]]
id = "late"
prefix = "L"
name = { pl = "Sprawy długie", en = "Long cases" }
target_wait_min = 15
expected_service_min = 480
cutoff_min = 0

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki", en = "Taxes" }
target_wait_min = 10

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["late", "tax"]
"#
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_category_cut_off_for_today_says_so_in_both_languages() {
    let office = start_office_with(CUT_OFF_OFFICE);
    let api = support::Client::new(&office.server.base);
    let (kiosk, clerk) = (office.token("kiosk"), office.token("clerk"));
    let late = "[data-testid=category-late]";

    // Before anyone waits, "late" issues like any other category.
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1080, 1920).await;
    browser
        .goto(&office.url(&format!("/kiosk/#token={kiosk}")))
        .await;
    browser
        .wait_for(&format!("{late}[data-state='open']"))
        .await;

    // Four tickets move from "tax" to "late": four whole days of work.
    for _ in 0..4 {
        let (status, _) = api
            .post("/api/v1/tickets", kiosk, json!({"category": "tax"}))
            .await;
        assert_eq!(status, 201);
    }
    for number in ["B001", "B002", "B003", "B004"] {
        let (status, body) = api
            .post("/api/v1/counters/1/call", clerk, json!({"ticket": number}))
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = api
            .post(
                "/api/v1/counters/1/transfer",
                clerk,
                json!({"category": "late"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, status) = api.get("/api/v1/status").await;
    let late_status = &status["categories"][0];
    assert_eq!(late_status["id"], "late");
    assert_eq!(late_status["waiting"], 4);
    assert_eq!(late_status["open"], false, "{status}");

    // The kiosk follows the feed: within its hours, yet no more tickets today, and why.
    browser
        .wait_for(&format!("{late}[data-state='closed']"))
        .await;
    browser.wait_for_text(late, "Na dziś koniec").await;
    browser
        .wait_for_text(late, "Kolejka nie zostałaby obsłużona przed zamknięciem")
        .await;
    assert_eq!(
        browser
            .js("return document.querySelector('[data-testid=category-late]').disabled")
            .await,
        true
    );
    // The other category still issues.
    browser
        .wait_for("[data-testid=category-tax][data-state='open']")
        .await;

    browser.click("[data-testid=language-switch]").await;
    browser
        .wait_until("document.documentElement.lang === 'en'")
        .await;
    browser.wait_for_text(late, "No more today").await;
    browser
        .wait_for_text(late, "The queue could not be served before closing time")
        .await;
    browser.axe_check("kiosk, a category cut off").await;

    // And the API refuses the ticket the kiosk would not offer.
    let (status, body) = api
        .post("/api/v1/tickets", kiosk, json!({"category": "late"}))
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "category_closed");
}

/// An office closed on Saturday morning in four ways: `registration` by the office's hours
/// (Monday to Friday), `tax` until its own hours at 13:00 the same day, `permits` until Sunday's;
/// `cash` issues on Saturdays. The server's clock stands at Saturday 28 November 2026, 10:00
/// in Warsaw.
const CLOSED_OFFICE: &str = r#"
[office]
id = "closed"
name = "Urząd Testowy"
timezone = "Europe/Warsaw"
languages = ["pl", "en"]
kiosk_rate_per_min = false

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
id = "tax"
prefix = "B"
name = { pl = "Podatki", en = "Taxes" }
target_wait_min = 10
hours = { sat = "13:00-14:00" }

[[category]]
id = "permits"
prefix = "C"
name = { pl = "Zezwolenia", en = "Permits" }
target_wait_min = 10
hours = { sun = "09:00-12:00" }

[[category]]
id = "cash"
prefix = "K"
name = { pl = "Kasa", en = "Cash desk" }
target_wait_min = 10
hours = { sat = "00:00-24:00" }

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration", "tax", "permits", "cash"]
"#;

/// Saturday 28 November 2026, ten in the morning in Warsaw.
const SATURDAY_10: &str = "2026-11-28T10:00:00+01:00";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_category_says_when_it_opens_in_both_languages() {
    let office = start_office_at(CLOSED_OFFICE, Some(SATURDAY_10));
    let kiosk = office.token("kiosk");
    let tile = |id: &str| format!("[data-testid=category-{id}]");
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1080, 1920).await;
    browser
        .goto(&office.url(&format!("/kiosk/#token={kiosk}")))
        .await;
    browser
        .wait_for(&format!("{}[data-state='open']", tile("cash")))
        .await;
    for (id, opens) in [
        ("registration", "Otwarte od poniedziałku 7:30"),
        ("tax", "Otwarte dziś od 13:00"),
        ("permits", "Otwarte jutro od 9:00"),
    ] {
        browser
            .wait_for(&format!("{}[data-state='closed']", tile(id)))
            .await;
        browser.wait_for_text(&tile(id), "Nieczynne").await;
        browser.wait_for_text(&tile(id), opens).await;
        assert_eq!(
            browser
                .js(&format!(
                    "return document.querySelector('{}').disabled",
                    tile(id)
                ))
                .await,
            true,
            "{id} cannot be chosen"
        );
    }
    browser.axe_check("kiosk, closed categories (pl)").await;

    browser.click("[data-testid=language-switch]").await;
    browser
        .wait_until("document.documentElement.lang === 'en'")
        .await;
    for (id, opens) in [
        ("registration", "Opens Monday 7:30"),
        ("tax", "Opens today at 13:00"),
        ("permits", "Opens tomorrow at 9:00"),
    ] {
        browser.wait_for_text(&tile(id), "Closed").await;
        browser.wait_for_text(&tile(id), opens).await;
    }
    browser.axe_check("kiosk, closed categories (en)").await;
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;

    // The API's refusal names the same opening.
    let api = support::Client::new(&office.server.base);
    let (status, body) = api
        .post(
            "/api/v1/tickets",
            kiosk,
            json!({"category": "registration"}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "category_closed");
    assert_eq!(
        body["error"]["message"],
        "category \"registration\" is not issuing tickets now; it opens Monday 07:30"
    );
}
