//! The rate limit of ticket issuing per kiosk token (`office.kiosk_rate_per_min`): a burst, then
//! `429 rate_limited` with `Retry-After` until the store's clock has moved on; a bucket per token;
//! admin tokens unlimited; the limit checked after the role and before the body. The clock is
//! moved by hand, so nothing here sleeps or measures time.

use crate::support;

use axum::http::{Method, StatusCode, header};
use jiff::SignedDuration;
use numerek_core::OfficeConfig;
use numerek_core::config::DEFAULT_KIOSK_RATE_PER_MIN;
use numerek_store::Role;
use serde_json::json;
use support::{Answer, OFFICE, TestServer};

const ISSUE: &str = "/api/v1/tickets";

/// The test office with `kiosk_rate_per_min` set to `value` (a TOML value), or left out.
fn office_with_rate(value: Option<&str>) -> String {
    let line = "kiosk_rate_per_min = false\n";
    assert!(OFFICE.contains(line), "the test office turns the limit off");
    let replacement = value.map_or(String::new(), |value| {
        format!("kiosk_rate_per_min = {value}\n")
    });
    OFFICE.replacen(line, &replacement, 1)
}

async fn issue(h: &TestServer, token: &str) -> Answer {
    h.post(ISSUE, Some(token), &json!({"category": "registration"}))
        .await
}

#[track_caller]
fn assert_rate_limited(answer: &Answer, retry_after: &str) {
    answer.expect_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(
        answer
            .headers
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok()),
        Some(retry_after),
        "Retry-After of {}",
        answer.text
    );
}

#[test]
fn the_office_file_sets_the_rate_and_refuses_bad_ones_by_line_and_key() {
    let rate = |value: Option<&str>| {
        OfficeConfig::from_toml(&office_with_rate(value))
            .map(|config| config.office.kiosk_rate_per_min)
    };
    assert_eq!(rate(None), Ok(Some(DEFAULT_KIOSK_RATE_PER_MIN)));
    assert_eq!(rate(Some("1")), Ok(Some(1)));
    assert_eq!(rate(Some("6000")), Ok(Some(6000)));
    assert_eq!(rate(Some("false")), Ok(None));
    let line = office_with_rate(Some("0"))
        .lines()
        .position(|l| l.starts_with("kiosk_rate_per_min"))
        .expect("the key is in the file")
        + 1;
    for bad in ["0", "-5", "6001", "true", "\"20\"", "2.5"] {
        let error = rate(Some(bad)).expect_err(bad).to_string();
        assert!(
            error.starts_with(&format!("line {line}, office.kiosk_rate_per_min: ")),
            "{bad}: {error}"
        );
        assert!(error.contains("tickets a minute"), "{bad}: {error}");
    }
}

#[tokio::test]
async fn a_kiosk_over_its_rate_gets_429_until_the_bucket_refills() {
    let h = TestServer::with_office(&office_with_rate(Some("3"))).await;
    let kiosk = h.tokens.kiosk.clone();
    for _ in 0..3 {
        issue(&h, &kiosk).await.expect(StatusCode::CREATED);
    }
    let before = h.status().await;
    // 3 a minute: one more every 20 s.
    assert_rate_limited(&issue(&h, &kiosk).await, "20");
    assert_eq!(h.status().await, before, "a refusal changes nothing");

    h.clock.advance(SignedDuration::from_millis(19_500));
    assert_rate_limited(&issue(&h, &kiosk).await, "1");
    h.clock.advance(SignedDuration::from_millis(500));
    issue(&h, &kiosk).await.expect(StatusCode::CREATED);
    assert_rate_limited(&issue(&h, &kiosk).await, "20");

    // A quiet minute refills the whole burst, and no more.
    h.clock.advance(SignedDuration::from_mins(10));
    for _ in 0..3 {
        issue(&h, &kiosk).await.expect(StatusCode::CREATED);
    }
    assert_rate_limited(&issue(&h, &kiosk).await, "20");
}

#[tokio::test]
async fn every_kiosk_token_has_its_own_bucket_and_admins_are_not_limited() {
    let h = TestServer::with_office(&office_with_rate(Some("2"))).await;
    let first = h.tokens.kiosk.clone();
    let second = h
        .store
        .create_token(Role::Kiosk, Some("second kiosk".into()), None)
        .await
        .expect("a second kiosk token")
        .secret;
    for _ in 0..2 {
        issue(&h, &first).await.expect(StatusCode::CREATED);
    }
    assert_rate_limited(&issue(&h, &first).await, "30");
    for _ in 0..2 {
        issue(&h, &second).await.expect(StatusCode::CREATED);
    }
    assert_rate_limited(&issue(&h, &second).await, "30");
    for _ in 0..10 {
        issue(&h, &h.tokens.admin).await.expect(StatusCode::CREATED);
    }
}

#[tokio::test]
async fn the_limit_comes_after_the_role_and_before_the_body() {
    let h = TestServer::with_office(&office_with_rate(Some("2"))).await;
    let kiosk = h.tokens.kiosk.clone();
    // Refusals for authentication or role cost the kiosk nothing, and are never 429.
    for _ in 0..5 {
        issue(&h, "nmk_not-a-token")
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "unauthorized");
        issue(&h, &h.tokens.clerk)
            .await
            .expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    // Every attempt by the kiosk counts, whatever it then meets: a bad body, an unknown
    // category.
    h.raw(Method::POST, ISSUE, Some(&kiosk), Some("text/plain"), "x")
        .await
        .expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    h.post(ISSUE, Some(&kiosk), &json!({"category": "nope"}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_category");
    // Over the limit, the body is not even read.
    assert_rate_limited(
        &h.raw(Method::POST, ISSUE, Some(&kiosk), Some("text/plain"), "x")
            .await,
        "30",
    );
    assert_rate_limited(&issue(&h, &kiosk).await, "30");
    // Other routes are not limited.
    h.get("/api/v1/status", Some(&kiosk))
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn without_the_key_the_default_rate_applies_and_false_turns_it_off() {
    let h = TestServer::with_office(&office_with_rate(None)).await;
    let kiosk = h.tokens.kiosk.clone();
    for _ in 0..DEFAULT_KIOSK_RATE_PER_MIN {
        issue(&h, &kiosk).await.expect(StatusCode::CREATED);
    }
    assert_rate_limited(
        &issue(&h, &kiosk).await,
        &(60 / DEFAULT_KIOSK_RATE_PER_MIN).to_string(),
    );

    let h = TestServer::new().await;
    for _ in 0..3 * DEFAULT_KIOSK_RATE_PER_MIN {
        issue(&h, &h.tokens.kiosk).await.expect(StatusCode::CREATED);
    }
}
