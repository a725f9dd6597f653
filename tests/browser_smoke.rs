//! The browser-test harness end to end: the real server, headless Chromium through chromedriver,
//! the index page checked, audited with axe-core and photographed; and every page of
//! `numerek demo` marked as a demo.

mod browser;
mod support;

use browser::{Browser, Chromedriver, Key, start_office};
use futures_util::FutureExt;
use serde_json::{Value, json};
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

    browser.screenshot("docs/screenshots/index.png").await;
    assert!(browser.console_errors().await.is_empty());

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

/// Every page of a demo says so, in Polish and English, and stays accessible.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_the_demo_is_marked_demo() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(support::binary())
        .args(["demo", "--no-traffic", "--listen", "127.0.0.1:0"])
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
    let api = support::Client::new(&base);
    let (status, ticket) = api
        .post(
            "/api/v1/tickets",
            &token("kiosk"),
            json!({"category": "cash-desk"}),
        )
        .await;
    assert_eq!(status, 201, "{ticket}");
    let ticket_id = ticket["id"].as_str().expect("id");

    let driver = Chromedriver::start();
    let browser = Browser::open(&driver, 1280, 900).await;
    for (page, path) in [
        ("index", "/".to_owned()),
        ("kiosk", format!("/kiosk/#token={}", token("kiosk"))),
        ("display", "/display/".to_owned()),
        (
            "counter",
            format!("/counter/#token={}&counter=7", token("clerk")),
        ),
        ("reports", format!("/reports/#token={}", token("manager"))),
        ("ticket", format!("/t/{ticket_id}")),
    ] {
        browser.goto(&format!("{base}{path}")).await;
        browser.wait_for_text("[data-testid=demo]", "DEMO").await;
        browser
            .wait_for_text("[data-testid=demo] [lang=pl]", "Urząd pokazowy")
            .await;
        browser
            .wait_for_text("[data-testid=demo] [lang=en]", "A demonstration office")
            .await;
        browser.axe_check(&format!("{page} of the demo")).await;
    }
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}
