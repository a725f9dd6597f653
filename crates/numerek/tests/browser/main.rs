//! Browser tests: the web pages in headless Chromium, driven through chromedriver against the
//! real `numerek` binary on 127.0.0.1; each page alone, and `flow` all four together. A binary
//! of their own, apart from `tests/it/`, so that the other end-to-end tests run without Chromium
//! and the pages' tests run alone (`cargo test -p numerek --test browser`); each module was a
//! test file of its own (`docs/architecture.md`, Tests).
//!
//! One module alone: `cargo test -p numerek --test browser -- kiosk::`.

/// Starting, stopping and talking to the binary; shared with the end-to-end tests
/// (`tests/it/main.rs`), hence in `tests/support/` beside both binaries.
#[path = "../support/mod.rs"]
mod support;

/// The harness: chromedriver, a browser per viewport, waits, axe-core, printing, screenshots.
mod browser;

mod booking;
mod checkin;
mod counter;
/// The devices at a counter: the counter-top screen and the rating tablet.
mod counter_side;
mod display;
mod flow;
/// What to bring on the kiosk (its step and the printed lines) and on the phone, with its faces.
mod information;
mod kiosk;
mod range;
mod reports;
mod smoke;
