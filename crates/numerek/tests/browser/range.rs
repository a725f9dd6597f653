//! The wait as an honest range on every page that shows one: the kiosk's category tiles, its
//! ticket screen and the printed ticket, the lobby display and the phone's ticket page each say
//! the API's `estimated_wait_range_s` in words ("ok. 10–15 min", "about 10–15 min"), never the
//! single estimate, and pass axe-core so, each at its real size.
//!
//! No counter is open, nobody is called and no ticket is a priority one: the estimate is then
//! the configured counter times alone, the same at any instant, so a page and the API answer
//! the same range whenever each is asked, on a machine of any speed.

use crate::browser;
use crate::support;

use browser::{Browser, Chromedriver, start_office};
use serde_json::{Value, json};

const CATEGORY_A: &str = "[data-testid=category-registration]";

/// The words of a wait range, `[low, high]` seconds: whole minutes widened outwards (past 20
/// minutes to fives), "up to" when the low bound is under a minute. The rule of the pages'
/// `web/common/wait.js`, written again here so that the pages are held to the rule, not only
/// to their module.
fn words(range: &Value, lang: &str) -> String {
    let bound = |i: usize| {
        range[i]
            .as_f64()
            .unwrap_or_else(|| panic!("a range [low, high]: {range}"))
    };
    let (low, high) = (bound(0), bound(1));
    assert!(0.0 <= low && low <= high, "a range [low, high]: {range}");
    let mut low_min = (low / 60.0 + 1e-9).floor() as u64;
    let mut high_min = ((high / 60.0 - 1e-9).ceil() as u64).max(low_min + 1);
    if high_min > 20 {
        low_min = low_min / 5 * 5;
        high_min = high_min.div_ceil(5) * 5;
    }
    let span = |m: u64| match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    };
    let (about, up_to) = match lang {
        "pl" => ("ok.", "do"),
        _ => ("about", "up to"),
    };
    if low_min == 0 {
        format!("{up_to} {}", span(high_min))
    } else if high_min < 60 {
        format!("{about} {low_min}–{high_min} min")
    } else {
        format!("{about} {} – {}", span(low_min), span(high_min))
    }
}

#[test]
fn the_words_of_a_range() {
    assert_eq!(words(&json!([600, 900]), "pl"), "ok. 10–15 min");
    assert_eq!(words(&json!([659, 901]), "en"), "about 10–16 min");
    assert_eq!(words(&json!([0, 60]), "pl"), "do 1 min");
    assert_eq!(words(&json!([840, 1320]), "en"), "about 10–25 min");
    assert_eq!(
        words(&json!([3000, 4800]), "en"),
        "about 50 min – 1 h 20 min"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_shows_the_wait_as_a_range() {
    let office = start_office();
    let api = support::Client::new(&office.url(""));
    let kiosk_token = office.token("kiosk").to_owned();
    // Four waiting: a new ticket's wait is long enough for a range that does not start at 0.
    let mut first = None;
    for _ in 0..4 {
        let (status, ticket) = api
            .post(
                "/api/v1/tickets",
                &kiosk_token,
                json!({"category": "registration"}),
            )
            .await;
        assert_eq!(status, 201, "{ticket}");
        first.get_or_insert(ticket);
    }
    let first = first.expect("issued");
    let registration = || async {
        let (status, body) = api.get("/api/v1/status").await;
        assert_eq!(status, 200, "{body}");
        body["categories"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["id"] == "registration").cloned())
            .expect("registration in the status")
    };
    let shown = registration().await;
    let range = &shown["estimated_wait_range_s"];
    assert!(
        words(range, "pl").starts_with("ok. "),
        "four ahead wait a while: {shown}"
    );
    let driver = Chromedriver::start();

    // The kiosk: each tile says the range of a ticket taken now, in either language.
    let kiosk = Browser::open(&driver, 1080, 1920).await;
    kiosk
        .goto(&office.url(&format!("/kiosk/#token={kiosk_token}")))
        .await;
    kiosk
        .wait_for_text(CATEGORY_A, &format!("Czeka: 4 · {}", words(range, "pl")))
        .await;
    kiosk.click("[data-testid=language-switch]").await;
    kiosk
        .wait_for_text(CATEGORY_A, &format!("Waiting: 4 · {}", words(range, "en")))
        .await;
    kiosk.axe_check("kiosk, the waits as ranges").await;
    kiosk.click("[data-testid=language-switch]").await;
    kiosk
        .wait_until("document.documentElement.lang === 'pl'")
        .await;

    // A ticket taken by touch: its screen, and so its print, says its own range.
    kiosk.click(CATEGORY_A).await;
    kiosk.click("[data-testid=priority-normal]").await;
    kiosk
        .wait_for_text("[data-testid=ticket-number]", "A005")
        .await;
    let src = kiosk
        .js("return document.querySelector('[data-testid=ticket-qr]').getAttribute('src')")
        .await;
    let last_id = ticket_id_of(&src);
    let (status, ticket) = api.get(&format!("/api/v1/tickets/{last_id}")).await;
    assert_eq!(status, 200, "{ticket}");
    assert_eq!(ticket["people_ahead"], 4, "{ticket}");
    let ticket_words = words(&ticket["estimated_wait_range_s"], "pl");
    assert_eq!(
        ticket_words,
        words(range, "pl"),
        "the ticket has the wait its tile showed"
    );
    kiosk.wait_for_text("#ticket-wait", &ticket_words).await;
    kiosk
        .wait_until("window.numerekTestPrinter.printed.length === 1")
        .await;
    let printer = kiosk.printer().await;
    assert!(
        printer["printed"][0]["text"]
            .as_str()
            .is_some_and(|text| text.contains(&ticket_words)),
        "the printed ticket says {ticket_words:?}: {printer}"
    );
    kiosk.axe_check("kiosk, a ticket with its wait range").await;
    assert!(kiosk.finish_print().await, "A005 was being printed");
    kiosk.click("[data-testid=done]").await;
    kiosk.close().await;

    // The lobby display: each queue's range, in either language.
    let shown = registration().await;
    let range = &shown["estimated_wait_range_s"];
    let display = Browser::open(&driver, 1920, 1080).await;
    let queue = "[data-testid=waiting-registration] .queue-wait";
    for lang in ["pl", "en"] {
        display
            .goto(&office.url(&format!("/display/?lang={lang}")))
            .await;
        display.wait_for_text(queue, &words(range, lang)).await;
        display
            .axe_check(&format!("display, the waits as ranges ({lang})"))
            .await;
    }
    display.close().await;

    // The phone: the first ticket's own range (nobody ahead: it may be no wait at all).
    let phone = Browser::open(&driver, 600, 844).await;
    let id = first["id"].as_str().expect("an id");
    let (_, ticket) = api.get(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(ticket["people_ahead"], 0, "{ticket}");
    phone.goto(&office.url(&format!("/t/{id}"))).await;
    phone
        .wait_for_text(
            "[data-testid=estimated-wait]",
            &words(&ticket["estimated_wait_range_s"], "pl"),
        )
        .await;
    phone.axe_check("ticket, its wait as a range").await;
    // The last of the five: a range that does not start at 0.
    let (_, last) = api.get(&format!("/api/v1/tickets/{last_id}")).await;
    phone.goto(&office.url(&format!("/t/{last_id}"))).await;
    let last_words = words(&last["estimated_wait_range_s"], "pl");
    assert!(last_words.starts_with("ok. "), "{last}");
    phone
        .wait_for_text("[data-testid=estimated-wait]", &last_words)
        .await;
    phone.axe_check("ticket, a longer wait as a range").await;
    let errors = phone.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    phone.close().await;
}

/// The ticket id in a kiosk ticket's QR code address, `/t/{id}/qr.svg`.
fn ticket_id_of(src: &Value) -> String {
    src.as_str()
        .and_then(|s| s.strip_prefix("/t/"))
        .and_then(|s| s.strip_suffix("/qr.svg"))
        .unwrap_or_else(|| panic!("a QR code of the ticket's page: {src}"))
        .to_owned()
}
