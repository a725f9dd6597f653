//! What to bring, and rating a visit on the phone, in headless Chromium at real sizes: the
//! kiosk (1080×1920) prints the start of a category's `info` in at most two lines on 80 mm and
//! 58 mm rolls and then shows what to bring (the text and the forms' names) as a step of its
//! own, in both languages; a category without `info` goes back to the start as before. The
//! mobile ticket page (390×844) shows what to bring with the forms as links while the ticket
//! waits, offers five faces once it is done, thanks, and knows a visit rated at the counter's
//! tablet. Every screen is audited with axe-core; the kiosk's and the phone's are photographed
//! (see `scripts/screenshots.sh`).

use crate::browser;
use crate::support;

use browser::{Browser, Chromedriver, start_office_with};
use serde_json::{Value, json};
use support::{ALWAYS_OPEN_OFFICE, Client};

const CATEGORY_A: &str = "[data-testid=category-registration]";
const CATEGORY_B: &str = "[data-testid=category-tax]";
const FORM_1: &str = "https://bip.um-testowy.example/formularze/zgloszenie-pobytu.pdf";
const FORM_2: &str = "https://um-testowy.example/pelnomocnictwo";

/// The always-open test office whose registration says what to bring (three lines, longer than
/// two printed lines on either roll) and lists two forms; tax says nothing.
fn office() -> String {
    let office = ALWAYS_OPEN_OFFICE.replacen(
        "target_wait_min = 15\n",
        &format!(
            "target_wait_min = 15\n\
             info = {{ pl = \"Dowód osobisty lub paszport.\\nWypełniony formularz zgłoszenia pobytu stałego albo czasowego\\nDokument potwierdzający prawo do lokalu albo podpis właściciela na formularzu.\", \
             en = \"Your ID card or passport.\\nThe filled-in form registering permanent or temporary residence\\nA document showing your right to the flat, or the owner's signature on the form.\" }}\n\
             forms = [{{ name = {{ pl = \"Zgłoszenie pobytu\", en = \"Residence form\" }}, url = \"{FORM_1}\" }}, \
             {{ name = {{ pl = \"Pełnomocnictwo\", en = \"Power of attorney\" }}, url = \"{FORM_2}\" }}]\n"
        ),
        1,
    );
    assert_ne!(office, ALWAYS_OPEN_OFFICE);
    office
}

/// The printed ticket on a roll `innerWidth` wide: nothing sticks out, and what to bring is
/// printed, at most two lines high; `[problems, lines of what to bring, the page's height]`.
const PRINT_CHECK: &str = r#"
const shown = (el) => el !== null && el.getClientRects().length > 0;
const width = innerWidth;
const problems = [];
if (!matchMedia('print').matches) problems.push('print media is not emulated');
if (document.documentElement.scrollWidth > width) {
  problems.push(`the print is ${document.documentElement.scrollWidth} px wide, the roll ${width} px`);
}
for (const el of document.querySelectorAll('#ticket, #ticket *')) {
  if (!shown(el)) continue;
  const r = el.getBoundingClientRect();
  if (r.left < -0.5 || r.right > width + 0.5) problems.push(`${el.id || el.tagName} sticks out of the roll`);
}
for (const selector of ['#screen-info', '.ticket-actions', '.top']) {
  if (shown(document.querySelector(selector))) problems.push(`${selector} is printed`);
}
const bring = document.getElementById('ticket-bring');
let lines = 0;
if (!shown(bring)) problems.push('what to bring is not printed');
else {
  const style = getComputedStyle(bring);
  const line = parseFloat(style.lineHeight);
  lines = Math.round(bring.getBoundingClientRect().height / line);
  if (bring.scrollWidth > bring.clientWidth + 1) problems.push('what to bring overflows its line');
  if (parseFloat(style.fontSize) < 10) problems.push(`what to bring is printed at ${style.fontSize}`);
}
return [problems, lines, Math.ceil(document.documentElement.getBoundingClientRect().height)];
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kiosk_prints_what_to_bring_shortly_and_then_shows_it_whole() {
    let office = start_office_with(&office());
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1080, 1920).await;
    let token = office.token("kiosk").to_owned();
    browser
        .goto(&office.url(&format!("/kiosk/#token={token}")))
        .await;
    browser
        .wait_for(&format!("{CATEGORY_A}[data-waiting='0']"))
        .await;

    let rolls = [("80mm", 302, "A001"), ("58mm", 219, "A002")];
    for (index, (roll, width, number)) in rolls.into_iter().enumerate() {
        browser.click(CATEGORY_A).await;
        browser.click("[data-testid=priority-normal]").await;
        browser
            .wait_for_text("[data-testid=ticket-number]", number)
            .await;
        browser
            .wait_until(&format!(
                "window.numerekTestPrinter.printed.length === {}",
                index + 1
            ))
            .await;
        let printed = browser.printer().await["printed"][index].clone();
        assert!(
            printed["text"]
                .as_str()
                .is_some_and(|t| t.contains("Przygotuj: Dowód osobisty lub paszport.")),
            "what to bring is on the printed ticket: {printed}"
        );
        // Several lines of the office file become one printed text.
        assert_eq!(
            browser
                .text("[data-testid=ticket-bring]")
                .await
                .lines()
                .count(),
            1
        );
        browser
            .wait_until("document.querySelector('[data-testid=ticket-qr]').naturalWidth > 0")
            .await;
        browser.emulate_print(width, 1200).await;
        let report = browser.js(PRINT_CHECK).await;
        assert_eq!(
            report[0],
            json!([]),
            "the ticket printed on a {roll} roll ({width} px): {report}"
        );
        let lines = report[1].as_u64().expect("lines");
        assert!(
            (1..=2).contains(&lines),
            "what to bring takes {lines} printed lines on a {roll} roll"
        );
        let height = report[2].as_u64().expect("height") as u32;
        browser.emulate_print(width, height).await;
        browser
            .screenshot_emulated(&format!("kiosk-print-bring-{roll}.png"), width, height)
            .await;
        browser.stop_emulation().await;

        // The print is over: what to bring, whole, as a step of its own.
        assert!(browser.finish_print().await, "{number} was being printed");
        browser
            .wait_until("document.body.dataset.screen === 'info'")
            .await;
        browser
            .wait_for_text(
                "[data-testid=info-number]",
                &format!("Twój numer: {number}"),
            )
            .await;
        let text = browser.text("[data-testid=info-text]").await;
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [
                "Dowód osobisty lub paszport.",
                "Wypełniony formularz zgłoszenia pobytu stałego albo czasowego",
                "Dokument potwierdzający prawo do lokalu albo podpis właściciela na formularzu.",
            ],
            "the office file's lines, as written"
        );
        let forms = browser.text("[data-testid=info-forms]").await;
        assert!(
            forms.contains("Zgłoszenie pobytu") && forms.contains("Pełnomocnictwo"),
            "{forms}"
        );
        if index == 0 {
            browser.axe_check("the kiosk's what-to-bring step").await;
            browser.screenshot("kiosk-info.png").await;
            // In English at a touch, the ticket's number kept.
            browser.click("[data-testid=language-switch]").await;
            browser
                .wait_for_text("[data-testid=info-text]", "Your ID card or passport.")
                .await;
            browser
                .wait_for_text(
                    "[data-testid=info-number]",
                    &format!("Your number: {number}"),
                )
                .await;
            browser
                .wait_for_text("[data-testid=info-forms]", "Power of attorney")
                .await;
            browser
                .axe_check("the kiosk's what-to-bring step, in English")
                .await;
        }
        browser.click("[data-testid=info-done]").await;
        browser
            .wait_until("document.body.dataset.screen === 'start'")
            .await;
        assert_eq!(
            browser.js("return document.documentElement.lang").await,
            "pl",
            "back in the office's first language"
        );
    }

    // A category that says nothing: no line on the ticket, no step after it.
    browser.click(CATEGORY_B).await;
    browser.click("[data-testid=priority-normal]").await;
    browser
        .wait_for_text("[data-testid=ticket-number]", "B001")
        .await;
    browser
        .wait_until("window.numerekTestPrinter.printed.length === 3")
        .await;
    assert_eq!(
        browser
            .js("return document.querySelector('[data-testid=ticket-bring]').hidden")
            .await,
        Value::Bool(true)
    );
    assert!(browser.finish_print().await);
    browser
        .wait_until("document.getElementById('screen-ticket').dataset.print === 'printed'")
        .await;
    assert_eq!(
        browser.js("return document.body.dataset.screen").await,
        "ticket",
        "the ticket's own countdown, as before"
    );
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}

/// Answers `path`'s JSON from the server (status checked).
async fn post_ok(http: &Client, path: &str, token: &str, body: Value) -> Value {
    let (status, answer) = http.post(path, token, body).await;
    assert_eq!(status, 200, "{path}: {answer}");
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_shows_the_forms_and_offers_the_faces_once_served() {
    let office = start_office_with(&office());
    let http = Client::new(&office.server.base);
    let kiosk = office.token("kiosk").to_owned();
    let clerk = office.token("clerk").to_owned();
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 390, 844).await;

    let (status, ticket) = http
        .post(
            "/api/v1/tickets",
            &kiosk,
            json!({"category": "registration"}),
        )
        .await;
    assert_eq!(status, 201);
    let id = ticket["id"].as_str().expect("id").to_owned();
    browser.goto(&office.url(&format!("/t/{id}"))).await;
    browser
        .wait_for_text("[data-testid=bring-text]", "Dowód osobisty lub paszport.")
        .await;
    let links = browser
        .js(
            "return [...document.querySelectorAll('[data-testid=forms] a')]
                .map((a) => [a.textContent, a.getAttribute('href')]);",
        )
        .await;
    assert_eq!(
        links,
        json!([["Zgłoszenie pobytu", FORM_1], ["Pełnomocnictwo", FORM_2]])
    );
    assert_eq!(
        browser
            .js("return document.querySelector('[data-testid=rating]').hidden")
            .await,
        Value::Bool(true),
        "no faces while waiting"
    );
    browser
        .axe_check("the ticket page with what to bring")
        .await;

    // Called, then served: the forms go, the faces come.
    post_ok(&http, "/api/v1/counters/1/call-next", &clerk, json!({})).await;
    browser
        .wait_for("[data-testid=ticket-state][data-state=called]")
        .await;
    post_ok(&http, "/api/v1/counters/1/finish", &clerk, json!({})).await;
    browser
        .wait_until("!document.querySelector('[data-testid=rating]').hidden")
        .await;
    assert_eq!(
        browser
            .js("return document.querySelector('[data-testid=bring]').hidden")
            .await,
        Value::Bool(true)
    );
    assert_eq!(
        browser
            .js("return document.querySelectorAll('[data-testid=rating] button.face').length")
            .await,
        5
    );
    // Each face says its word, and its name holds it.
    let names = browser
        .js("return [...document.querySelectorAll('button.face')].map((b) => b.getAttribute('aria-label'));")
        .await;
    assert_eq!(
        names,
        json!([
            "1 z 5: bardzo źle",
            "2 z 5: źle",
            "3 z 5: średnio",
            "4 z 5: dobrze",
            "5 z 5: bardzo dobrze"
        ])
    );
    // The five fit the phone's width, each a comfortable target.
    let boxes = browser
        .js(
            "return [...document.querySelectorAll('button.face')].map((b) => {
                const r = b.getBoundingClientRect(); return [r.left, r.right, r.height]; });",
        )
        .await;
    for face in boxes.as_array().expect("faces") {
        let (left, right, height) = (
            face[0].as_f64().unwrap(),
            face[1].as_f64().unwrap(),
            face[2].as_f64().unwrap(),
        );
        assert!(left >= 0.0 && right <= 390.0 && height >= 44.0, "{boxes}");
    }
    browser.axe_check("the ticket page's faces").await;
    browser.screenshot("ticket-rating.png").await;

    browser.click("[data-testid=face-5]").await;
    browser
        .wait_for_text("[data-testid=rating-done]", "Dziękujemy za ocenę!")
        .await;
    assert_eq!(
        browser
            .js("return document.querySelector('[data-testid=rating]').hidden")
            .await,
        Value::Bool(true)
    );
    let (_, read) = http.get(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(read["feedback"]["given"], true);
    browser.axe_check("the ticket page after rating").await;
    // Read again later, the page knows it was rated.
    browser.goto(&office.url(&format!("/t/{id}"))).await;
    browser
        .wait_for_text(
            "[data-testid=rating-done]",
            "Ta wizyta została już oceniona. Dziękujemy!",
        )
        .await;

    // A second visit, rated at the counter's tablet while the phone watches: the faces go.
    let (_, second) = http
        .post(
            "/api/v1/tickets",
            &kiosk,
            json!({"category": "registration"}),
        )
        .await;
    let second = second["id"].as_str().expect("id").to_owned();
    post_ok(&http, "/api/v1/counters/1/call-next", &clerk, json!({})).await;
    post_ok(&http, "/api/v1/counters/1/finish", &clerk, json!({})).await;
    browser.goto(&office.url(&format!("/t/{second}"))).await;
    browser
        .wait_until("!document.querySelector('[data-testid=rating]').hidden")
        .await;
    post_ok(
        &http,
        "/api/v1/counters/1/feedback",
        &kiosk,
        json!({"score": 3}),
    )
    .await;
    browser
        .wait_for_text(
            "[data-testid=rating-done]",
            "Ta wizyta została już oceniona. Dziękujemy!",
        )
        .await;
    browser
        .wait_until("document.querySelector('[data-testid=rating]').hidden")
        .await;

    // A category that says nothing shows nothing to bring.
    let (_, tax) = http
        .post("/api/v1/tickets", &kiosk, json!({"category": "tax"}))
        .await;
    browser
        .goto(&office.url(&format!("/t/{}", tax["id"].as_str().unwrap())))
        .await;
    // The page renders the ticket and what to bring for it at once.
    browser
        .wait_for_text("[data-testid=ticket-number]", "B001")
        .await;
    assert_eq!(
        browser
            .js("return document.querySelector('[data-testid=bring]').hidden")
            .await,
        Value::Bool(true)
    );
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}
