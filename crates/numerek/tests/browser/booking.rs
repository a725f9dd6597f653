//! The booking page (`/book/`, `/book/{code}`) in headless Chromium, on a phone (390×844, by
//! device emulation: Chromium's windows are at least 500 px wide) and on a desktop: the whole
//! path (matter → day → free slot → confirmation with the code, its QR, the calendar file and
//! print), a slot taken meanwhile, the booking's own address, cancelling, an unknown code, and
//! the rate limit's "try again after"; axe-core on every step, screenshots for
//! `docs/appointments.md` (see `scripts/screenshots.sh`).
//!
//! The server runs on a clock that starts on Monday 7 December 2026 at 09:00 in Warsaw, so the
//! slots on offer do not depend on the day the tests run.

use crate::browser;
use crate::support;

use browser::{Browser, Chromedriver, start_office_at};
use serde_json::{Value, json};

/// The all-day test office with bookings in `registration` (`tax` takes none): 15-minute slots,
/// one visit each, on Monday and Tuesday mornings, two weeks ahead.
pub const BOOKING_OFFICE: &str = concat!(
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/all-day-office.toml"
    )),
    r#"
[[category]]
id = "registration"
prefix = "A"
name = { pl = "Meldunki", en = "Registration" }
target_wait_min = 15
appointments = { slot_min = 15, per_slot = 1, days_ahead = 14, hours = { mon = "08:00-12:00", tue = "08:00-12:00" } }

[[category]]
id = "tax"
prefix = "B"
name = { pl = "Podatki", en = "Taxes" }
target_wait_min = 10

[[counter]]
id = "1"
name = { pl = "Stanowisko 1", en = "Counter 1" }
categories = ["registration", "tax"]

[[counter]]
id = "2"
name = { pl = "Stanowisko 2", en = "Counter 2" }
categories = ["tax"]
"#
);

/// Monday 7 December 2026, nine in the morning in Warsaw.
pub const MONDAY_9: &str = "2026-12-07T09:00:00+01:00";

/// A booking code as the page shows it: two groups of four of the code's alphabet.
fn is_grouped_code(text: &str) -> bool {
    let groups: Vec<&str> = text.split(' ').collect();
    groups.len() == 2
        && groups.iter().all(|group| {
            group.len() == 4
                && group
                    .chars()
                    .all(|c| "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(c))
        })
}

/// Books `start` in `registration` over the API, as another citizen would; answers the
/// status and the body.
pub async fn book(office: &browser::Office, start: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(office.url("/api/v1/appointments"))
        .json(&json!({"category": "registration", "start": start}))
        .send()
        .await
        .expect("POST /appointments");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Lays the page out as a 390×844 phone (Chromium's windows are at least 500 px wide).
async fn emulate_phone(browser: &Browser) {
    browser
        .cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
        )
        .await;
    browser.wait_until("innerWidth === 390").await;
}

/// No element of the page reaches past the window's right edge (nothing to scroll sideways).
async fn assert_fits(browser: &Browser, what: &str) {
    let scrolls = browser
        .js("return document.documentElement.scrollWidth > innerWidth")
        .await;
    assert_eq!(scrolls, false, "{what}: the page scrolls sideways");
}

/// Every visible button and link of the page is at least 44×44 CSS px (a touch target).
async fn assert_touch_targets(browser: &Browser, what: &str) {
    let small = browser
        .js("return [...document.querySelectorAll('button, a.button')]
               .filter((b) => b.getClientRects().length > 0)
               .filter((b) => { const r = b.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
               .map((b) => b.textContent.trim())")
        .await;
    assert_eq!(small, json!([]), "{what}: touch targets under 44 px");
}

/// The whole path on one browser: answers the booking's code.
async fn book_on_the_page(browser: &Browser, office: &browser::Office, shots: &str) -> String {
    browser.goto(&office.url("/book/")).await;
    browser
        .wait_for("[data-testid=book-category-registration]")
        .await;
    // Only the matters that take bookings.
    assert_eq!(
        browser
            .js("return document.querySelectorAll('[data-testid^=book-category-]').length")
            .await,
        1
    );
    browser.wait_for_text("h1", "Umów wizytę").await;
    browser
        .wait_until("document.fonts.status === 'loaded'")
        .await;
    browser.axe_check(&format!("{shots}, matters")).await;
    assert_fits(browser, "matters").await;
    assert_touch_targets(browser, "matters").await;

    browser
        .click("[data-testid=book-category-registration]")
        .await;
    // Monday's remaining morning and Tuesday; Wednesday has no hours.
    browser.wait_for("[data-testid=book-day-2026-12-08]").await;
    assert_eq!(
        browser
            .js("return !!document.querySelector('[data-testid=book-day-2026-12-09]')")
            .await,
        false
    );
    browser
        .wait_for_text(
            "[data-testid=book-day-2026-12-08]",
            "wtorek, 8 grudnia 2026",
        )
        .await;
    browser
        .wait_for_text("[data-testid=book-day-2026-12-08]", "wolne terminy: 16")
        .await;
    browser.axe_check(&format!("{shots}, days")).await;
    assert_touch_targets(browser, "days").await;

    browser.click("[data-testid=book-day-2026-12-08]").await;
    browser.wait_for("[data-testid=book-slot-1000]").await;
    assert_eq!(
        browser
            .js("return document.querySelectorAll('[data-testid^=book-slot-]').length")
            .await,
        16,
        "08:00 to 11:45 by 15 minutes"
    );
    browser.axe_check(&format!("{shots}, slots")).await;
    assert_fits(browser, "slots").await;
    assert_touch_targets(browser, "slots").await;

    browser.click("[data-testid=book-slot-1000]").await;
    browser
        .wait_for_text(
            "[data-testid=confirm-when]",
            "wtorek, 8 grudnia 2026, 10:00–10:15",
        )
        .await;
    browser.axe_check(&format!("{shots}, check")).await;
    browser.click("[data-testid=book]").await;

    browser
        .wait_for_text("[data-testid=booking-heading]", "Wizyta zarezerwowana")
        .await;
    let shown = browser.text("[data-testid=booking-code]").await;
    assert!(is_grouped_code(&shown), "the code in two groups: {shown:?}");
    let code = shown.replace(' ', "");
    // The booking's own address, for a bookmark.
    assert_eq!(
        browser.js("return location.pathname").await,
        json!(format!("/book/{code}"))
    );
    browser
        .wait_for_text(
            "[data-testid=booking-when]",
            "wtorek, 8 grudnia 2026, 10:00–10:15",
        )
        .await;
    browser
        .wait_for_text("[data-testid=booking-category]", "Meldunki")
        .await;
    // When to be at the kiosk: 30 minutes before to 10 after (the office's window).
    browser
        .wait_for_text("[data-testid=checkin-window]", "między 09:30 a 10:10")
        .await;
    // Its QR code, drawn by the server, and the calendar file.
    browser
        .wait_until("document.querySelector('[data-testid=booking-qr]').naturalWidth > 0")
        .await;
    let calendar = browser
        .js("return document.querySelector('[data-testid=calendar]').getAttribute('href')")
        .await;
    assert_eq!(
        calendar,
        json!(format!("/api/v1/appointments/{code}/calendar.ics"))
    );
    let ics = reqwest::get(office.url(calendar.as_str().expect("href")))
        .await
        .expect("GET calendar.ics");
    assert_eq!(ics.status(), 200);
    assert!(
        ics.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    browser
        .wait_until("document.getElementById('live').textContent.includes('Zarezerwowano')")
        .await;
    browser.axe_check(&format!("{shots}, booked")).await;
    assert_fits(browser, "booked").await;
    assert_touch_targets(browser, "booked").await;
    code
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_books_on_a_phone_and_the_booking_is_kept_by_its_code() {
    let office = start_office_at(BOOKING_OFFICE, Some(MONDAY_9));
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 600, 844).await;
    browser.goto(&office.url("/")).await;
    emulate_phone(&browser).await;

    let code = book_on_the_page(&browser, &office, "book (phone)").await;
    browser
        .screenshot_emulated("book-phone.png", 390, 844)
        .await;

    // The server keeps it as shown.
    let api = support::Client::new(&office.server.base);
    let (status, booking) = api.get(&format!("/api/v1/appointments/{code}")).await;
    assert_eq!(status, 200, "{booking}");
    assert_eq!(booking["state"], "booked");
    assert_eq!(booking["category"], "registration");
    assert_eq!(booking["language"], "pl");
    let start: jiff::Timestamp = booking["start"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        start,
        "2026-12-08T10:00:00+01:00"
            .parse::<jiff::Timestamp>()
            .unwrap()
    );

    // Printed: the code, its QR and the visit; no buttons.
    browser.emulate_print(600, 844).await;
    let printed = browser
        .js("return {
               code: getComputedStyle(document.querySelector('[data-testid=booking-code]')).display,
               qr: getComputedStyle(document.querySelector('[data-testid=booking-qr]')).display,
               buttons: getComputedStyle(document.getElementById('booking-actions')).display,
               language: getComputedStyle(document.querySelector('[data-testid=language-switch]')).display,
             }")
        .await;
    assert_eq!(
        printed,
        json!({"code": "block", "qr": "inline", "buttons": "none", "language": "none"}),
        "{printed}"
    );
    browser.stop_emulation().await;
    emulate_phone(&browser).await;

    // The booking's address, opened again (a bookmark), in any case of the code.
    browser
        .goto(&office.url(&format!("/book/{}", code.to_lowercase())))
        .await;
    browser
        .wait_for_text("[data-testid=booking-heading]", "Wizyta zarezerwowana")
        .await;
    assert_eq!(
        browser
            .text("[data-testid=booking-code]")
            .await
            .replace(' ', ""),
        code
    );
    browser
        .axe_check("book (phone), the booking's address")
        .await;

    // In English, then cancelled, with a second thought first.
    browser.click("[data-testid=language-switch]").await;
    browser
        .wait_for_text("[data-testid=booking-heading]", "Your visit is booked")
        .await;
    browser.click("[data-testid=cancel]").await;
    browser.wait_for("[data-testid=cancel-confirm]").await;
    browser.axe_check("book (phone), cancelling").await;
    browser.click("[data-testid=cancel-confirm]").await;
    browser
        .wait_for_text("[data-testid=booking-heading]", "The visit is cancelled")
        .await;
    browser
        .wait_for_text("[data-testid=booking-state]", "cancelled")
        .await;
    assert_eq!(
        browser
            .js("return [...document.querySelectorAll('[data-testid=cancel], [data-testid=calendar], [data-testid=booking-qr]')]
                   .filter((e) => e.getClientRects().length > 0).length")
            .await,
        0,
        "a cancelled booking offers nothing but a new one"
    );
    browser.axe_check("book (phone), cancelled").await;
    let (_, booking) = api.get(&format!("/api/v1/appointments/{code}")).await;
    assert_eq!(booking["state"], "cancelled");
    // The slot is free again: another citizen takes it.
    let (status, _) = book(&office, "2026-12-08T10:00:00+01:00").await;
    assert_eq!(status, 201);

    // A code nobody was given.
    browser.goto(&office.url("/book/ZZZZ2222")).await;
    browser
        .wait_for_text("#not-found-heading", "There is no booking with this code")
        .await;
    browser.axe_check("book (phone), unknown code").await;

    let errors = browser.console_errors().await;
    // The unknown code's 404 is the one error the console shows.
    assert!(
        errors.iter().all(|e| e.contains("404")),
        "console errors: {errors:?}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_desktop_a_slot_taken_meanwhile_sends_the_citizen_back_to_choose() {
    let office = start_office_at(BOOKING_OFFICE, Some(MONDAY_9));
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1280, 800).await;

    // Someone takes 10:00 while this citizen looks at the slots.
    browser.goto(&office.url("/book/")).await;
    browser
        .click("[data-testid=book-category-registration]")
        .await;
    browser.click("[data-testid=book-day-2026-12-08]").await;
    browser.click("[data-testid=book-slot-1000]").await;
    browser.wait_for("[data-testid=book]").await;
    let (status, _) = book(&office, "2026-12-08T10:00:00+01:00").await;
    assert_eq!(status, 201);
    browser.click("[data-testid=book]").await;
    browser
        .wait_for_text(
            "[data-testid=error]",
            "Ktoś właśnie zarezerwował ten termin",
        )
        .await;
    // Back at the slots, 10:00 now taken.
    browser
        .wait_until("document.querySelector('[data-testid=book-slot-1000]').disabled")
        .await;
    browser
        .wait_for_text("[data-testid=book-slot-1000]", "zajęty")
        .await;
    browser.axe_check("book (desktop), slot taken").await;

    // Another slot books.
    browser.click("[data-testid=book-slot-1015]").await;
    browser.click("[data-testid=book]").await;
    browser
        .wait_for_text("[data-testid=booking-heading]", "Wizyta zarezerwowana")
        .await;
    browser
        .wait_for_text("[data-testid=booking-when]", "10:15–10:30")
        .await;
    browser
        .wait_until("document.querySelector('[data-testid=booking-qr]').naturalWidth > 0")
        .await;
    browser.axe_check("book (desktop), booked").await;
    assert_fits(&browser, "desktop").await;
    browser.screenshot("book-desktop.png").await;

    // The whole path in English on the desktop too.
    browser.click("[data-testid=language-switch]").await;
    browser.click("a#another").await;
    browser.wait_for_text("h1", "Book a visit").await;
    browser
        .click("[data-testid=book-category-registration]")
        .await;
    browser
        .wait_for_text(
            "[data-testid=book-day-2026-12-08]",
            "Tuesday, 8 December 2026",
        )
        .await;
    browser.axe_check("book (desktop, en), days").await;

    let errors = browser.console_errors().await;
    assert!(
        errors.iter().all(|e| e.contains("409")),
        "console errors: {errors:?}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_over_the_booking_limit_is_told_when_to_try_again() {
    let office = start_office_at(BOOKING_OFFICE, Some(MONDAY_9));
    // Bookings from this address until the limit answers.
    let mut limited = false;
    for minute in (0..4 * 60).step_by(15) {
        let start = format!(
            "2026-12-08T{:02}:{:02}:00+01:00",
            8 + minute / 60,
            minute % 60
        );
        let (status, body) = book(&office, &start).await;
        if status == 429 {
            limited = true;
            break;
        }
        assert_eq!(status, 201, "{body}");
    }
    assert!(limited, "the booking limit answered 429");

    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1280, 800).await;
    browser.goto(&office.url("/book/")).await;
    browser
        .click("[data-testid=book-category-registration]")
        .await;
    browser.click("[data-testid=book-day-2026-12-14]").await;
    browser.click("[data-testid=book-slot-0800]").await;
    browser.click("[data-testid=book]").await;
    browser
        .wait_for_text("[data-testid=error]", "Spróbuj ponownie po ")
        .await;
    // Still on the check step, the choice kept for the retry.
    browser
        .wait_for_text("[data-testid=confirm-when]", "14 grudnia 2026, 08:00")
        .await;
    browser.axe_check("book, rate limited").await;
    browser.close().await;
}
