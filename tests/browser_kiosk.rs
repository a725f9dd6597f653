//! The kiosk page (`/kiosk/`) in headless Chromium at its real size, 1080×1920: taking normal
//! and priority tickets by touch and by keyboard, the live waiting counts, the language switch,
//! the setup screen and a rejected token, axe-core, and the screenshots in docs/screenshots.

mod browser;
mod support;

use browser::{Browser, Chromedriver, Key, start_office};
use serde_json::Value;

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
    browser.screenshot("docs/screenshots/kiosk.png").await;

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
    browser
        .screenshot("docs/screenshots/kiosk-ticket.png")
        .await;
    browser.click("[data-testid=done]").await;
    browser
        .wait_for(&format!("{CATEGORY_A}[data-waiting='1']"))
        .await;

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
