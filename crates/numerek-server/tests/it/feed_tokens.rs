//! A feed opened with a token (`?token=`), over a real socket: an invalid token is refused before
//! the upgrade, and revoking a token closes its open feeds at once (close code 1008) while
//! public feeds and feeds of other tokens go on.

use crate::support;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::Value;
use support::{RunningServer, TestServer, WAIT, Ws, assert_error_body, close_code, recv};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite;

/// Connects to the feed with `?token=secret`.
async fn connect_with(server: &RunningServer, secret: &str) -> Ws {
    server.connect(Some(&format!("token={secret}"))).await
}

/// The handshake's refusal: status and error body.
async fn refused(server: &RunningServer, query: &str) -> (StatusCode, Value) {
    let attempt = timeout(
        WAIT,
        tokio_tungstenite::connect_async(server.events_url(Some(query))),
    )
    .await
    .expect("answered in time");
    let Err(tungstenite::Error::Http(response)) = attempt else {
        panic!("the handshake is refused with an HTTP answer: {attempt:?}");
    };
    let body = serde_json::from_slice(response.body().as_deref().unwrap_or_default())
        .expect("a JSON body");
    (response.status(), body)
}

/// The id of the token a secret belongs to.
fn token_id(h: &TestServer, secret: &str) -> String {
    h.store.authenticate(secret).expect("a valid token").id
}

/// `DELETE /api/v1/admin/tokens/{id}` with the admin token.
async fn revoke(h: &TestServer, id: &str) -> support::Answer {
    h.raw(
        Method::DELETE,
        &format!("/api/v1/admin/tokens/{id}"),
        Some(&h.tokens.admin),
        None,
        Body::empty(),
    )
    .await
}

#[tokio::test]
async fn revoking_a_token_closes_its_feeds_at_once_and_no_other() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    let mut clerk_one = connect_with(&server, &h.tokens.clerk).await;
    let mut clerk_two = connect_with(&server, &h.tokens.clerk).await;
    let mut kiosk = connect_with(&server, &h.tokens.kiosk).await;
    let mut public = server.connect(None).await;
    let first = recv(&mut public).await["seq"].as_u64().unwrap();
    for ws in [&mut clerk_one, &mut clerk_two, &mut kiosk] {
        assert_eq!(recv(ws).await["type"], "snapshot");
    }
    // A feed with a token is the same feed.
    h.issue("tax").await;
    for ws in [&mut clerk_one, &mut clerk_two, &mut kiosk, &mut public] {
        assert_eq!(recv(ws).await["seq"], first + 1);
    }

    revoke(&h, &token_id(&h, &h.tokens.clerk))
        .await
        .expect(StatusCode::NO_CONTENT);
    for ws in [&mut clerk_one, &mut clerk_two] {
        assert_eq!(
            close_code(ws, WAIT).await,
            Some(1008),
            "the revoked token's feed closes with 1008 (policy violation)"
        );
    }
    h.issue("tax").await;
    for ws in [&mut kiosk, &mut public] {
        assert_eq!(
            recv(ws).await["seq"],
            first + 2,
            "other feeds go on after the revocation"
        );
    }

    // The revoked token opens no feed any more; without a token anyone still may.
    let (status, body) = refused(&server, &format!("token={}", h.tokens.clerk)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_body(&body, "unauthorized");
    let mut again = server.connect(None).await;
    assert_eq!(recv(&mut again).await["seq"], first + 2);
    server.stop().await;
}

#[tokio::test]
async fn an_unknown_or_empty_token_is_refused_before_the_upgrade() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    for query in ["token=nmk_not_a_token", "token=", "since=0&token=x"] {
        let (status, body) = refused(&server, query).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{query}");
        assert_error_body(&body, "unauthorized");
    }
    assert_eq!(
        h.state.hub.clients(),
        0,
        "a refused client is never counted"
    );
    // The Authorization header is ignored by the feed, as by every public endpoint.
    let mut request =
        tungstenite::client::IntoClientRequest::into_client_request(server.events_url(None))
            .expect("a request");
    request.headers_mut().insert(
        "authorization",
        "Bearer nmk_not_a_token".parse().expect("a header value"),
    );
    let (mut ws, _) = timeout(WAIT, tokio_tungstenite::connect_async(request))
        .await
        .expect("answered in time")
        .expect("a public feed");
    assert_eq!(recv(&mut ws).await["type"], "snapshot");
    server.stop().await;
}

#[tokio::test]
async fn a_revocation_refused_by_failing_storage_keeps_the_feed_open() {
    let h = TestServer::new().await;
    let server = RunningServer::start(h.state.clone()).await;
    let mut clerk = connect_with(&server, &h.tokens.clerk).await;
    let first = recv(&mut clerk).await["seq"].as_u64().unwrap();
    let id = token_id(&h, &h.tokens.clerk);

    h.store.inject_storage_failure(true);
    revoke(&h, &id)
        .await
        .expect_error(StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable");
    h.store.inject_storage_failure(false);

    // Not revoked: the token works and its feed carries the next event.
    h.act("1", "open").await.expect(StatusCode::OK);
    assert_eq!(recv(&mut clerk).await["seq"], first + 1);
    assert!(h.store.has_token(&id));
    // Revoked for real now.
    revoke(&h, &id).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(close_code(&mut clerk, WAIT).await, Some(1008));
    server.stop().await;
}
