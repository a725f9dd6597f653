//! The four pages together against one real server, each in its own headless Chromium at its
//! real size: the kiosk at the entrance, the lobby display, the clerk's counter terminal and a
//! visitor's phone. Every action goes through a page, as people would do it — tapping the kiosk,
//! clicking the counter's buttons, opening the ticket's page from its QR code — and every other
//! page must follow over its live feed. HTTP is used only to read the first-start tokens.

use crate::browser;

use browser::{Browser, Chromedriver, start_office};
use serde_json::Value;

const KIOSK_A: &str = "[data-testid=category-registration]";
const KIOSK_B: &str = "[data-testid=category-tax]";
const DESK_NUMBER: &str = "[data-testid=current-number]";
const PHONE_STATE: &str = "[data-testid=ticket-state]";
const PHONE_GO: &str = "[data-testid=go-to-counter]";

/// The display's waiting count of `category` is `count`.
fn waiting(category: &str, count: u32) -> String {
    format!("[data-testid='waiting-{category}'][data-waiting='{count}']")
}

/// The display shows `number` as the current call, at counter `counter`.
fn current_call(number: &str, counter: &str) -> String {
    format!("[data-testid='current-call'][data-number='{number}'][data-counter='{counter}']")
}

/// A JavaScript condition: the display has announced `text` exactly `times` times.
fn announced(text: &str, times: usize) -> String {
    format!(
        "window.numerekDisplay.announced.filter((t) => t.includes('{text}')).length === {times}"
    )
}

/// A JavaScript condition: the phone's ticket is in `state`.
fn phone_state(state: &str) -> String {
    format!("document.querySelector('{PHONE_STATE}').dataset.state === '{state}'")
}

/// Takes a normal ticket at the kiosk by touch: the category, then "normal ticket".
async fn take_ticket(kiosk: &Browser, category: &str, number: &str) {
    kiosk.click(category).await;
    kiosk.click("[data-testid=priority-normal]").await;
    kiosk
        .wait_for_text("[data-testid=ticket-number]", number)
        .await;
}

/// "Done" on the kiosk's ticket screen, as the visitor leaves with the ticket. The kiosk prints
/// on the harness's test printer, which keeps the print in progress (and so the ticket on
/// screen, whatever the machine's speed) until it is ended here, after the visitor has gone.
async fn leave_ticket(kiosk: &Browser) {
    // The kiosk prints once the ticket's QR code has loaded.
    kiosk
        .wait_until("window.numerekTestPrinter.inProgress")
        .await;
    kiosk.click("[data-testid=done]").await;
    kiosk
        .wait_until("document.body.dataset.screen === 'start'")
        .await;
    assert!(kiosk.finish_print().await, "the ticket was being printed");
}

/// The ticket id behind the kiosk's QR code (`/t/{id}/qr.svg`): what a phone scanning the
/// printed ticket opens.
async fn scanned_ticket_id(kiosk: &Browser) -> String {
    let source = kiosk
        .js("return document.querySelector('[data-testid=ticket-qr]').getAttribute('src')")
        .await;
    let source = source.as_str().expect("the QR code has a source");
    source
        .strip_prefix("/t/")
        .and_then(|rest| rest.strip_suffix("/qr.svg"))
        .unwrap_or_else(|| panic!("unexpected QR source {source}"))
        .to_owned()
}

/// Clicks a counter action and waits until the page has its answer (the buttons are enabled
/// again and no error is shown).
async fn desk_action(desk: &Browser, action: &str) {
    desk.wait_until(&format!(
        "!document.querySelector('[data-testid=action-{action}]').disabled"
    ))
    .await;
    desk.click(&format!("[data-testid=action-{action}]")).await;
    desk.wait_until(
        "!document.querySelector('[data-testid=action-call-next]').disabled
         && document.querySelector('[data-testid=error]').textContent === ''",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_from_the_kiosk_is_called_recalled_transferred_and_finished_on_every_page() {
    let office = start_office();
    let kiosk_token = office.token("kiosk").to_owned();
    let clerk_token = office.token("clerk").to_owned();
    let driver = Chromedriver::start();
    let (display, kiosk, desk, phone) = tokio::join!(
        Browser::open(&driver, 1920, 1080),
        Browser::open(&driver, 1080, 1920),
        Browser::open(&driver, 1366, 768),
        // Chromium's narrowest window; the phone page is the same below it.
        Browser::open(&driver, 600, 844),
    );

    // The lobby screen, the counter terminal (from the link printed at first start) and the
    // kiosk, all live and empty.
    display.goto(&office.url("/display/")).await;
    display.wait_for(&waiting("registration", 0)).await;
    display.wait_for(&waiting("tax", 0)).await;
    desk.goto(&office.url(&format!("/counter/#token={clerk_token}&counter=1")))
        .await;
    desk.wait_until("!document.querySelector('[data-testid=action-call-next]').disabled")
        .await;
    // The counter follows the staff feed, with its token; the other pages the public one.
    desk.wait_until(&format!(
        "window.numerekCounter.feed.up === true
         && window.numerekCounter.feed.token === '{clerk_token}'"
    ))
    .await;
    kiosk
        .goto(&office.url(&format!("/kiosk/#token={kiosk_token}")))
        .await;
    kiosk
        .wait_for(&format!("{KIOSK_A}[data-waiting='0']"))
        .await;

    // A visitor takes a ticket by touch: the display's and the counter's queues grow.
    take_ticket(&kiosk, KIOSK_A, "A001").await;
    let a001 = scanned_ticket_id(&kiosk).await;
    display.wait_for(&waiting("registration", 1)).await;
    desk.wait_for_text("[data-testid=waiting-registration]", "1")
        .await;
    desk.wait_for_text("[data-testid=next-list]", "A001").await;
    leave_ticket(&kiosk).await;
    kiosk
        .wait_for(&format!("{KIOSK_A}[data-waiting='1']"))
        .await;

    // The next visitor reads English: the kiosk switches at a touch and issues in English.
    kiosk.click("[data-testid=language-switch]").await;
    kiosk
        .wait_until("document.documentElement.lang === 'en'")
        .await;
    kiosk.wait_for_text(KIOSK_A, "Waiting: 1").await;
    take_ticket(&kiosk, KIOSK_B, "B001").await;
    kiosk
        .wait_for_text("#screen-ticket", "People ahead of you")
        .await;
    kiosk
        .wait_for_text("[data-testid=ticket-category]", "Taxes")
        .await;
    display.wait_for(&waiting("tax", 1)).await;
    desk.wait_for_text("[data-testid=waiting-tax]", "1").await;
    // "Done" takes the kiosk back to the start, in Polish for the next visitor.
    leave_ticket(&kiosk).await;
    kiosk
        .wait_until("document.documentElement.lang === 'pl'")
        .await;
    kiosk
        .wait_for(&format!("{KIOSK_B}[data-waiting='1']"))
        .await;

    // The first visitor follows A001 on the phone (the page the QR code opens).
    phone.goto(&office.url(&format!("/t/{a001}"))).await;
    phone
        .wait_for_text("[data-testid=ticket-number]", "A001")
        .await;
    phone.wait_until(&phone_state("waiting")).await;
    phone.wait_for_text("[data-testid=people-ahead]", "0").await;

    // The clerk calls the next ticket: A001, which waited longest. The display shows and
    // announces it; the phone says where to go.
    desk_action(&desk, "call-next").await;
    desk.wait_for_text(DESK_NUMBER, "A001").await;
    display.wait_for(&current_call("A001", "1")).await;
    display
        .wait_for("[data-testid='recent-calls'] [data-number='A001']")
        .await;
    display
        .wait_until(&announced("Numer A 1, stanowisko 1", 1))
        .await;
    display.wait_for(&waiting("registration", 0)).await;
    phone.wait_until(&phone_state("called")).await;
    phone
        .wait_until(&format!(
            "document.querySelector('{PHONE_GO}').dataset.counter === '1'"
        ))
        .await;
    phone
        .wait_for_text(PHONE_GO, "Podejdź do stanowiska 1")
        .await;

    // The visitor switches the phone to English.
    phone.click("[data-testid=language-switch]").await;
    phone
        .wait_until("document.documentElement.lang === 'en'")
        .await;
    phone.wait_for_text(PHONE_GO, "Go to counter 1").await;

    // Nobody comes: the clerk recalls. The display announces it again, still one entry in its
    // recent calls; the phone still says where to go.
    desk_action(&desk, "recall").await;
    display
        .wait_until(&announced("Numer A 1, stanowisko 1", 2))
        .await;
    display
        .wait_until("window.numerekDisplay.chimes >= 2")
        .await;
    display.wait_for(&current_call("A001", "1")).await;
    assert_eq!(
        display
            .js("return document.querySelectorAll(\"[data-testid='recent-calls'] [data-number='A001']\").length")
            .await,
        Value::from(1),
        "a recalled ticket is listed once"
    );
    phone.wait_until(&phone_state("called")).await;
    phone.wait_for_text(PHONE_GO, "Go to counter 1").await;

    // The visitor is at the wrong desk: transferred to the back of the tax queue, behind B001.
    desk_action(&desk, "transfer").await;
    desk.wait_until("document.querySelector('#transfer-dialog').open")
        .await;
    desk.click("[data-testid=transfer-category] option[value=tax]")
        .await;
    desk.click("[data-testid=transfer-back]").await;
    desk.click("[data-testid=transfer-confirm]").await;
    desk.wait_until("!document.querySelector('#transfer-dialog').open")
        .await;
    desk.wait_until(&format!(
        "document.querySelector('{DESK_NUMBER}').textContent === '—'"
    ))
    .await;
    desk.wait_for_text("[data-testid=waiting-tax]", "2").await;
    display.wait_for(&waiting("tax", 2)).await;
    display.wait_for(&waiting("registration", 0)).await;
    phone.wait_until(&phone_state("waiting")).await;
    phone
        .wait_until(&format!("document.querySelector('{PHONE_GO}').hidden"))
        .await;
    phone
        .wait_for("[data-testid=ticket-category][data-category=tax]")
        .await;
    phone
        .wait_for_text("[data-testid=ticket-category]", "Taxes")
        .await;
    phone.wait_for_text("[data-testid=people-ahead]", "1").await;

    // B001 is called first; the phone's line shortens.
    desk_action(&desk, "call-next").await;
    desk.wait_for_text(DESK_NUMBER, "B001").await;
    display.wait_for(&current_call("B001", "1")).await;
    display
        .wait_until(&announced("Numer B 1, stanowisko 1", 1))
        .await;
    display.wait_for(&waiting("tax", 1)).await;
    phone.wait_for_text("[data-testid=people-ahead]", "0").await;

    // Then A001 again (B001 is served by the same click); the phone says where to go.
    desk_action(&desk, "call-next").await;
    desk.wait_for_text(DESK_NUMBER, "A001").await;
    display.wait_for(&current_call("A001", "1")).await;
    display
        .wait_until(&announced("Numer A 1, stanowisko 1", 3))
        .await;
    display.wait_for(&waiting("tax", 0)).await;
    phone.wait_until(&phone_state("called")).await;
    phone.wait_for_text(PHONE_GO, "Go to counter 1").await;

    // Served: the phone thanks the visitor; nobody waits anywhere.
    desk_action(&desk, "finish").await;
    desk.wait_until(&format!(
        "document.querySelector('{DESK_NUMBER}').textContent === '—'"
    ))
    .await;
    phone.wait_until(&phone_state("done")).await;
    phone.wait_for_text(PHONE_STATE, "Served").await;
    phone
        .wait_until(&format!("document.querySelector('{PHONE_GO}').hidden"))
        .await;
    display.wait_for(&waiting("registration", 0)).await;
    display.wait_for(&waiting("tax", 0)).await;
    kiosk
        .wait_for(&format!("{KIOSK_A}[data-waiting='0']"))
        .await;
    kiosk
        .wait_for(&format!("{KIOSK_B}[data-waiting='0']"))
        .await;
    // The display keeps the last call on screen, and announced nothing more.
    display.wait_for(&current_call("A001", "1")).await;
    assert_eq!(
        display
            .js("return window.numerekDisplay.announced.length")
            .await,
        Value::from(4),
        "two calls of A001, a recall and the call of B001"
    );

    for (page, browser) in [
        ("kiosk", &kiosk),
        ("display", &display),
        ("counter", &desk),
        ("ticket", &phone),
    ] {
        let errors = browser.console_errors().await;
        assert!(
            errors.is_empty(),
            "console errors on the {page}: {errors:?}"
        );
    }
    for browser in [phone, desk, kiosk, display] {
        browser.close().await;
    }
}
