//! The browser-test harness end to end: the real server, headless Chromium through chromedriver,
//! the index page checked, audited with axe-core and photographed; and every page of
//! `numerek demo` marked as a demo.

use crate::browser;
use crate::support;

use browser::{Browser, Chromedriver, Key, start_office};
use futures_util::FutureExt;
use serde_json::Value;
use std::panic::AssertUnwindSafe;
use std::process::{Command, Stdio};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_page_renders_passes_axe_and_is_photographed() {
    let office = start_office();
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1280, 800).await;

    browser.goto(&office.url("/")).await;
    browser.wait_for_text("h1", "numerek").await;
    assert_eq!(browser.text("h1").await, "numerek");
    browser
        .wait_until("document.readyState === 'complete'")
        .await;
    assert_eq!(browser.viewport().await, (1280, 800));

    // The page's CSP refuses inline script, while WebDriver's scripts (axe-core) still run.
    let inline_ran = browser
        .js(
            "const s = document.createElement('script'); s.textContent = 'window.inlineRan = true';
             document.head.append(s); return window.inlineRan === true;",
        )
        .await;
    assert_eq!(
        inline_ran,
        Value::Bool(false),
        "the page's CSP must refuse inline script"
    );
    let refused = browser.console_errors().await;
    assert!(
        refused
            .iter()
            .any(|e| e.contains("Content Security Policy")),
        "the CSP refusal shows in the console log: {refused:?}"
    );
    browser.axe_check("index").await;
    assert_eq!(browser.js("return typeof axe.run").await, "function");

    browser.screenshot("index.png").await;
    assert!(browser.console_errors().await.is_empty());

    // Every description and set-up step follows the language switch, and the choice is kept.
    let polish = page_words(&browser).await;
    for text in [
        "Strony",
        "Wymaga tokenu roli",
        "Uruchom serwer",
        "Szczegóły",
    ] {
        assert!(polish.contains(text), "{text:?} in Polish: {polish}");
    }
    browser.click("[data-testid=language-switch]").await;
    browser
        .wait_until("document.documentElement.lang === 'en'")
        .await;
    assert_english(&browser).await;
    browser.js("location.reload()").await;
    browser
        .wait_until("document.readyState === 'complete' && document.documentElement.lang === 'en'")
        .await;
    browser
        .wait_for_text("[data-testid=language-switch]", "Polski")
        .await;
    assert_english(&browser).await;
    browser.axe_check("index, English").await;
    browser.click("[data-testid=language-switch]").await;
    browser
        .wait_until("document.documentElement.lang === 'pl'")
        .await;
    assert_eq!(page_words(&browser).await, polish);

    // Keys go to the focused element.
    browser
        .js("const input = document.createElement('input'); input.id = 'probe';
             input.setAttribute('aria-label', 'probe'); document.body.append(input); input.focus();")
        .await;
    browser.type_text("A0012").await;
    browser.press_key(Key::Backspace).await;
    browser
        .wait_until("document.querySelector('#probe').value === 'A001'")
        .await;
    browser
        .js("document.querySelector('#probe').remove()")
        .await;

    // And the audit does fail a page with a serious violation (an image without a text
    // alternative), naming the rule and the element.
    browser
        .js(
            "const img = document.createElement('img'); img.id = 'no-alt';
             img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
             document.querySelector('h1').append(img);",
        )
        .await;
    let failure = AssertUnwindSafe(browser.axe_check("index with a bad image"))
        .catch_unwind()
        .await
        .expect_err("axe_check must fail on an image without alt");
    let message = failure.downcast_ref::<String>().expect("a panic message");
    assert!(
        message.contains("image-alt") && message.contains("#no-alt"),
        "{message}"
    );
    browser.close().await;
}

/// The index page's own words (headings, descriptions and set-up steps), without the commands,
/// paths and addresses in them, which are the same in every language.
async fn page_words(browser: &Browser) -> String {
    let text = browser
        .js("const main = document.querySelector('main').cloneNode(true);
             main.querySelectorAll('code, a[href^=\"/api/\"], a[href^=\"/healthz\"], a[href^=\"/metrics\"]')
               .forEach((e) => e.remove());
             return main.textContent.replace(/\\s+/g, ' ').trim();")
        .await;
    text.as_str().expect("the page's text").to_owned()
}

/// The index page is in English: its words, title, commands and button, and no Polish word left.
async fn assert_english(browser: &Browser) {
    let english = page_words(browser).await;
    for text in [
        "Pages",
        "Needs a token of the",
        "Start the server",
        "Details",
    ] {
        assert!(english.contains(text), "{text:?} in English: {english}");
    }
    let polish: Vec<&str> = [
        "Strony",
        "Wymaga",
        "Uruchom",
        "Szczegóły",
        "urzędu",
        "tokenu",
    ]
    .into_iter()
    .filter(|word| english.contains(word))
    .collect();
    assert!(polish.is_empty(), "Polish words {polish:?} left: {english}");
    assert!(
        !english.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c)),
        "Polish letters left: {english}"
    );
    let commands = browser
        .js("return [...document.querySelectorAll('main code')].map((c) => c.textContent).join(' ')")
        .await;
    assert!(
        commands
            .as_str()
            .is_some_and(|c| c.contains("http://SERVER:8080/kiosk/")),
        "{commands}"
    );
    assert_eq!(
        browser.text("[data-testid=language-switch]").await,
        "Polski"
    );
}

/// The demo as a person meets it: every page says it is a demo, in Polish and English, and
/// stays accessible; while the clerk bots call the simulated citizens' tickets (at 60 times a
/// real office's pace), the person takes a cash-desk ticket at the kiosk page, calls it from the
/// counter page of counter 7, sees it on the lobby display and follows it on the ticket page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_works_the_demo_beside_the_bots_and_every_page_says_demo() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(support::binary())
        .args(["demo", "--listen", "127.0.0.1:0", "--traffic-speed", "60"])
        .env("TMPDIR", tmp.path())
        .env("NUMEREK_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start numerek demo");
    let (base, tokens, _output) = support::await_ready(&mut child);
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _demo = Kill(child);
    let token = |role: &str| tokens.get(role).cloned().expect("a first-start token");
    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1280, 900).await;
    let assert_marked = |page: &'static str| {
        let browser = &browser;
        async move {
            browser.wait_for_text("[data-testid=demo]", "DEMO").await;
            browser
                .wait_for_text("[data-testid=demo] [lang=pl]", "Urząd pokazowy")
                .await;
            browser
                .wait_for_text("[data-testid=demo] [lang=en]", "A demonstration office")
                .await;
            browser.axe_check(&format!("{page} of the demo")).await;
        }
    };

    browser.goto(&format!("{base}/")).await;
    assert_marked("index").await;

    // The bots are at work: calls reach the lobby display.
    browser.goto(&format!("{base}/display/")).await;
    assert_marked("display").await;
    browser
        .wait_for("[data-testid='recent-calls'] [data-number]")
        .await;

    // The kiosk: the person takes a cash-desk ticket, which no bot takes or calls.
    browser
        .goto(&format!("{base}/kiosk/#token={}", token("kiosk")))
        .await;
    assert_marked("kiosk").await;
    browser
        .click("[data-testid=category-cash-desk][data-state='open']")
        .await;
    browser
        .wait_for_text("[data-testid=ticket-number]", "K001")
        .await;
    let qr = browser
        .js("return document.querySelector('[data-testid=ticket-qr]').getAttribute('src')")
        .await;
    let ticket_id = qr
        .as_str()
        .and_then(|src| src.strip_prefix("/t/"))
        .and_then(|rest| rest.strip_suffix("/qr.svg"))
        .unwrap_or_else(|| panic!("the QR code leads to the ticket: {qr}"))
        .to_owned();

    // The counter page of counter 7, as the printed clerk link opens it: call next is K001.
    browser
        .goto(&format!(
            "{base}/counter/#token={}&counter=7",
            token("clerk")
        ))
        .await;
    assert_marked("counter").await;
    browser
        .wait_until("!document.querySelector('[data-testid=action-call-next]').disabled")
        .await;
    browser.click("[data-testid=action-call-next]").await;
    browser
        .wait_for_text("[data-testid=current-number]", "K001")
        .await;

    // The lobby display shows the call at counter 7 among the bots' calls.
    browser.goto(&format!("{base}/display/")).await;
    browser
        .wait_for("[data-testid='recent-calls'] [data-number='K001'][data-counter='7']")
        .await;

    // The phone follows the ticket: called.
    browser.goto(&format!("{base}/t/{ticket_id}")).await;
    assert_marked("ticket").await;
    browser
        .wait_for_text("[data-testid=ticket-number]", "K001")
        .await;

    browser
        .goto(&format!("{base}/reports/#token={}", token("manager")))
        .await;
    assert_marked("reports").await;
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}
