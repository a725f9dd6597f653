//! The browser-test harness end to end: the real server, headless Chromium through chromedriver,
//! the index page checked, audited with axe-core and photographed.

mod browser;
mod support;

use browser::{Browser, Chromedriver, Key, start_office};
use futures_util::FutureExt;
use serde_json::Value;
use std::panic::AssertUnwindSafe;

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
