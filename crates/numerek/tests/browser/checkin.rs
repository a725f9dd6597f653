//! Appointments at the office: the kiosk's check-in (`/kiosk/`, 1080×1920) by its on-screen
//! keyboard and by a keyboard, its refusals (too early, with the window; a code nobody was
//! given), the printed ticket with the slot time; and the counter terminal (`/counter/`,
//! 1366×768) marking appointment tickets, listing the day's visits and booking one for a caller.
//! axe-core on every screen, screenshots for `docs/appointments.md`.
//!
//! The server's clock starts on Monday 7 December 2026 at 09:00 in Warsaw (see `booking`); the
//! check-in window is the default, 30 minutes before a slot to 10 after it.

use crate::booking::{BOOKING_OFFICE, MONDAY_9, book};
use crate::browser;

use browser::{Browser, Chromedriver, Key, start_office_at};
use serde_json::{Value, json};

/// Types `code` on the kiosk's on-screen keyboard.
async fn tap_code(browser: &Browser, code: &str) {
    for symbol in code.chars() {
        browser.click(&format!("[data-testid=key-{symbol}]")).await;
    }
}

fn code_of(booking: &Value) -> String {
    booking["code"].as_str().expect("a code").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_checks_in_at_the_kiosk_by_the_code_and_gets_a_ticket_of_their_slot() {
    let office = start_office_at(BOOKING_OFFICE, Some(MONDAY_9));
    let (status, due) = book(&office, "2026-12-07T09:15:00+01:00").await;
    assert_eq!(status, 201, "{due}");
    let (status, later) = book(&office, "2026-12-07T11:00:00+01:00").await;
    assert_eq!(status, 201, "{later}");
    let kiosk = office.token("kiosk").to_owned();

    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1080, 1920).await;
    browser
        .goto(&office.url(&format!("/kiosk/#token={kiosk}")))
        .await;
    browser
        .wait_for_text("[data-testid=have-appointment]", "Mam rezerwację")
        .await;
    browser
        .wait_until("document.fonts.status === 'loaded'")
        .await;
    browser.axe_check("kiosk, start with appointments").await;
    browser.click("[data-testid=have-appointment]").await;
    browser.wait_for("[data-testid=key-A]").await;

    // The keyboard: the code's 32 symbols only, every key a large touch target.
    let keys = browser
        .js("return [...document.querySelectorAll('[data-testid^=key-]')].map((k) => k.dataset.key).join('')")
        .await;
    assert_eq!(keys, "23456789ABCDEFGHJKLMNPQRSTUVWXYZ");
    let small = browser
        .js("return [...document.querySelectorAll('#screen-checkin button')]
               .filter((b) => { const r = b.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
               .map((b) => b.textContent)")
        .await;
    assert_eq!(small, json!([]), "touch targets under 44 px");
    assert_eq!(
        browser.text("[data-testid=checkin-code]").await,
        "···· ····"
    );
    // OK waits for the whole code.
    assert_eq!(
        browser
            .js("return document.querySelector('[data-testid=code-ok]').disabled")
            .await,
        true
    );
    browser.axe_check("kiosk, check-in").await;

    // Too early: the later visit's window is named.
    let later_code = code_of(&later);
    tap_code(&browser, &later_code[..3]).await;
    browser
        .wait_for_text(
            "[data-testid=checkin-code]",
            &format!("{}· ····", &later_code[..3]),
        )
        .await;
    browser.screenshot("kiosk-checkin.png").await;
    tap_code(&browser, &later_code[3..]).await;
    browser
        .wait_for_text(
            "[data-testid=checkin-code]",
            &format!("{} {}", &later_code[..4], &later_code[4..]),
        )
        .await;
    browser.click("[data-testid=code-ok]").await;
    browser
        .wait_for_text("[data-testid=checkin-message]", "Za wcześnie")
        .await;
    browser
        .wait_for_text("[data-testid=checkin-message]", "od 10:30 do 11:10")
        .await;
    browser.axe_check("kiosk, check-in too early").await;

    // A code nobody was given, typed on a keyboard (the delete key first clears the old one).
    for _ in 0..8 {
        browser.click("[data-testid=code-delete]").await;
    }
    browser
        .wait_for_text("[data-testid=checkin-code]", "···· ····")
        .await;
    browser
        .js("document.getElementById('checkin-title').focus()")
        .await;
    browser.type_text("zzzz2222").await;
    browser
        .wait_for_text("[data-testid=checkin-code]", "ZZZZ 2222")
        .await;
    browser.press_key(Key::Enter).await;
    browser
        .wait_for_text(
            "[data-testid=checkin-message]",
            "Nie ma rezerwacji z tym kodem",
        )
        .await;

    // The due visit, by keyboard: Backspace clears, the letters in either case, Enter.
    browser
        .js("document.getElementById('checkin-title').focus()")
        .await;
    for _ in 0..8 {
        browser.press_key(Key::Backspace).await;
    }
    browser
        .wait_for_text("[data-testid=checkin-code]", "···· ····")
        .await;
    browser.type_text(&code_of(&due).to_lowercase()).await;
    browser.press_key(Key::Enter).await;
    browser
        .wait_for_text("[data-testid=ticket-number]", "A001")
        .await;
    browser
        .wait_for_text("[data-testid=ticket-appointment]", "Wizyta o 09:15")
        .await;
    browser
        .wait_until("document.querySelector('[data-testid=ticket-qr]').naturalWidth > 0")
        .await;
    browser
        .wait_until("window.numerekTestPrinter.printed.length === 1")
        .await;
    let printer = browser.printer().await;
    let printed = printer["printed"][0]["text"].as_str().unwrap_or_default();
    assert!(
        printed.contains("A001") && printed.contains("Wizyta o 09:15"),
        "{printer}"
    );
    browser.axe_check("kiosk, appointment ticket").await;
    browser.screenshot("kiosk-checkin-ticket.png").await;
    assert!(browser.finish_print().await);
    browser.click("[data-testid=done]").await;

    // Checked in once: a second time is refused in words.
    browser.click("[data-testid=have-appointment]").await;
    tap_code(&browser, &code_of(&due)).await;
    browser.click("[data-testid=code-ok]").await;
    browser
        .wait_for_text("[data-testid=checkin-message]", "została już zgłoszona")
        .await;

    // The server agrees.
    let booking: Value =
        reqwest::get(office.url(&format!("/api/v1/appointments/{}", code_of(&due))))
            .await
            .expect("GET")
            .json()
            .await
            .expect("JSON");
    assert_eq!(booking["state"], "checked_in");
    assert_eq!(booking["ticket"]["number"], "A001");

    // In English the refusal says the same.
    browser.click("[data-testid=language-switch]").await;
    browser
        .wait_for_text("[data-testid=checkin-message]", "already been checked in")
        .await;
    browser.axe_check("kiosk, check-in refused (en)").await;
    let errors = browser.console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| e.contains("409") || e.contains("404")),
        "console errors: {errors:?}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_counter_marks_appointment_tickets_lists_the_day_and_books_for_a_caller() {
    let office = start_office_at(BOOKING_OFFICE, Some(MONDAY_9));
    let kiosk = office.token("kiosk").to_owned();
    let clerk = office.token("clerk").to_owned();
    let http = reqwest::Client::new();
    let (_, due) = book(&office, "2026-12-07T09:15:00+01:00").await;
    let (_, later) = book(&office, "2026-12-07T11:30:00+01:00").await;
    let checked_in: Value = http
        .post(office.url(&format!("/api/v1/appointments/{}/check-in", code_of(&due))))
        .bearer_auth(&kiosk)
        .json(&json!({}))
        .send()
        .await
        .expect("check in")
        .json()
        .await
        .expect("JSON");
    assert_eq!(checked_in["number"], "A001", "{checked_in}");
    let walk_in = http
        .post(office.url("/api/v1/tickets"))
        .bearer_auth(&kiosk)
        .json(&json!({"category": "registration"}))
        .send()
        .await
        .expect("walk-in");
    assert_eq!(walk_in.status(), 201);

    let driver = Chromedriver::start();
    let desk = Browser::open(&driver, 1366, 768).await;
    desk.goto(&office.url(&format!("/counter/#token={clerk}&counter=1")))
        .await;
    desk.wait_until("!document.querySelector('[data-testid=action-call-next]').disabled")
        .await;
    // The appointment ticket in the queue, with its slot time.
    desk.wait_for_text("[data-testid=next-list]", "wizyta 09:15")
        .await;
    // The day's visits with their codes (grouped), states and tickets.
    let row = |code: &str| format!("[data-testid=appointment-{code}]");
    let due_code = code_of(&due);
    let later_code = code_of(&later);
    desk.wait_for_text(
        &row(&due_code),
        &format!("{} {}", &due_code[..4], &due_code[4..]),
    )
    .await;
    desk.wait_for_text(&row(&due_code), "zgłoszona").await;
    desk.wait_for_text(&row(&due_code), "A001").await;
    desk.wait_for_text(&row(&later_code), "zarezerwowana").await;
    desk.wait_for_text(&row(&later_code), "11:30–11:45").await;
    desk.axe_check("counter, appointments").await;

    // The visit is not due before 09:15: the walk-in first, then the visit, marked as one.
    desk.click("[data-testid=action-call-next]").await;
    desk.wait_for_text("[data-testid=current-number]", "A002")
        .await;
    assert!(!desk.text("#current-category").await.contains("wizyta"));
    desk.click("[data-testid=action-finish]").await;
    desk.wait_until("!document.querySelector('[data-testid=action-call-next]').disabled")
        .await;
    desk.click("[data-testid=action-call-next]").await;
    desk.wait_for_text("[data-testid=current-number]", "A001")
        .await;
    desk.wait_for_text("#current-category", "wizyta 09:15")
        .await;

    // A caller on the phone: tomorrow at 08:30.
    desk.js(
        "const d = document.querySelector('[data-testid=staff-book-date]');
             d.value = '2026-12-08'; d.dispatchEvent(new Event('change'));",
    )
    .await;
    desk.wait_until(
        "[...document.querySelector('[data-testid=staff-book-slot]').options]
           .some((o) => o.value.startsWith('2026-12-08T08:30'))",
    )
    .await;
    desk.js(
        "const s = document.querySelector('[data-testid=staff-book-slot]');
             s.value = [...s.options].find((o) => o.value.startsWith('2026-12-08T08:30')).value;",
    )
    .await;
    desk.click("[data-testid=staff-book-submit]").await;
    desk.wait_for("[data-testid=staff-booked]:not([hidden])")
        .await;
    let told = desk.text("[data-testid=staff-booked-code]").await;
    let caller_code = told.replace(' ', "");
    assert_eq!(caller_code.len(), 8, "{told:?}");
    desk.wait_for_text("[data-testid=staff-booked]", "08.12.2026 o 08:30")
        .await;
    // The slot is no longer offered.
    desk.wait_until(
        "![...document.querySelector('[data-testid=staff-book-slot]').options]
           .some((o) => o.value.startsWith('2026-12-08T08:30'))",
    )
    .await;
    desk.axe_check("counter, booked for a caller").await;
    desk.js("document.getElementById('appointments').scrollIntoView()")
        .await;
    desk.screenshot("counter-appointments.png").await;

    // The server has it, as the caller's.
    let booking: Value = reqwest::get(office.url(&format!("/api/v1/appointments/{caller_code}")))
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    assert_eq!(booking["state"], "booked", "{booking}");
    assert_eq!(booking["category"], "registration");

    // The day's list on another day shows it.
    desk.js(
        "const d = document.querySelector('[data-testid=appointments-date]');
             d.value = '2026-12-08'; d.dispatchEvent(new Event('change'));",
    )
    .await;
    desk.wait_for(&row(&caller_code)).await;

    let errors = desk.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    desk.close().await;
}
