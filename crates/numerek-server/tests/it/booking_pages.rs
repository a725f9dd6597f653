//! The booking page's own routes: `/book/{code}` (the page of one booking, whatever the code)
//! and `/book/{code}/qr.svg` (its QR code, only for a booking that exists, leading to the
//! booking's page like a ticket's leads to its page). The test office takes bookings in
//! `registration`.

use crate::support::TestServer;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

/// Books the first free slot of tomorrow; answers its code.
async fn book(h: &TestServer) -> String {
    let status = h.status().await;
    let today: jiff::civil::Date = status["office_date"].as_str().unwrap().parse().unwrap();
    let tomorrow = today.tomorrow().unwrap().to_string();
    let slots = h
        .get(
            &format!(
                "/api/v1/appointments/slots?category=registration&from={tomorrow}&to={tomorrow}"
            ),
            None,
        )
        .await;
    let start = slots.expect(StatusCode::OK)["slots"][0]["start"].clone();
    let booked = h
        .post(
            "/api/v1/appointments",
            None,
            &json!({"category": "registration", "start": start}),
        )
        .await;
    booked.expect(StatusCode::CREATED)["code"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_booking_s_page_is_the_booking_page_and_its_own_files_are_served_as_they_are() {
    let h = TestServer::new().await;
    let code = book(&h).await;
    let page = h.get("/book/", None).await;
    page.expect(StatusCode::OK);
    assert!(page.text.contains("/book/book.js"), "{}", page.text);
    // Any code gets the page, which asks the API and says when there is no such booking: the
    // page itself tells nobody whether a code exists.
    for path in [format!("/book/{code}"), "/book/ZZZZ2222".to_owned()] {
        let answer = h.get(&path, None).await;
        answer.expect(StatusCode::OK);
        assert_eq!(answer.text, page.text, "{path}");
    }
    let script = h.get("/book/book.js", None).await;
    script.expect(StatusCode::OK);
    assert!(
        script.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
}

#[tokio::test]
async fn a_booking_s_qr_code_leads_to_its_page_and_exists_only_for_a_real_booking() {
    let h = TestServer::new().await;
    let code = book(&h).await;
    let qr = |path: String, host: &str| {
        let request = Request::get(path)
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        h.send(request)
    };
    for path in [
        format!("/book/{code}/qr.svg"),
        format!("/book/{}/qr.svg", code.to_lowercase()),
    ] {
        let answer = qr(path, "kolejka.example.pl").await;
        answer.expect(StatusCode::OK);
        assert_eq!(answer.headers[header::CONTENT_TYPE], "image/svg+xml");
        assert!(answer.text.contains("<svg"), "{}", answer.text);
    }
    // No QR code of a code nobody was given, nor of anything that is no code.
    for other in ["ZZZZ2222", "0000OOOO", "short", "toolongcode"] {
        qr(format!("/book/{other}/qr.svg"), "kolejka.example.pl")
            .await
            .expect_error(StatusCode::NOT_FOUND, "unknown_appointment");
    }
    // A Host that is no host name leads nowhere: refused, as for a ticket's.
    qr(format!("/book/{code}/qr.svg"), "evil.example/phish?x=")
        .await
        .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
}
