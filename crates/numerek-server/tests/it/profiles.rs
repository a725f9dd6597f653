//! Work profiles over HTTP (`POST /api/v1/counters/{id}/profile`): who may move a counter to
//! which categories, every refusal (and that it changes nothing), routing and a counter's
//! `next` following the profile in force, the `counter.changed` event carrying it, and its
//! life: it survives a restart and ends with the office day.

use crate::support::{self, OFFICE, TestServer, read};
use axum::http::StatusCode;
use jiff::SignedDuration;
use numerek_api::{CounterOrder, CounterState, CounterView, FeedMessage, ProfileAnswer};
use serde_json::{Value, json};

/// The test office, with counter 1's clerks allowed to switch it to passports too.
fn office_with_may_serve() -> String {
    let with = OFFICE.replacen(
        "categories = [\"registration\", \"tax\"]\n",
        "categories = [\"registration\", \"tax\"]\nmay_serve = [\"registration\", \"tax\", \"passport\"]\n",
        1,
    );
    assert_ne!(
        with, OFFICE,
        "counter 1's categories line is where the test expects it"
    );
    with
}

/// `POST /counters/{counter}/profile` with `body` and `token`.
async fn set_profile(h: &TestServer, counter: &str, token: &str, body: Value) -> support::Answer {
    h.post(
        &format!("/api/v1/counters/{counter}/profile"),
        Some(token),
        &body,
    )
    .await
}

/// The profile answer's counter, asserted 200.
#[track_caller]
fn profiled(answer: &support::Answer) -> CounterState {
    read::<ProfileAnswer>(answer.expect(StatusCode::OK)).counter
}

/// A counter's state in the staff status.
async fn counter(h: &TestServer, id: &str) -> CounterState {
    read(&h.counter_status(id).await)
}

/// `GET /counters/{id}` with the clerk token.
async fn counter_view(h: &TestServer, id: &str) -> CounterView {
    let answer = h
        .get(&format!("/api/v1/counters/{id}"), Some(&h.tokens.clerk))
        .await;
    read(answer.expect(StatusCode::OK))
}

fn numbers(view: &CounterView) -> Vec<String> {
    view.next
        .iter()
        .map(|t| t.ticket.number.to_string())
        .collect()
}

#[tokio::test]
async fn every_counter_state_carries_its_profile_from_the_office_file() {
    let h = TestServer::new().await;
    let two = counter(&h, "2").await;
    assert_eq!(two.categories, ["tax", "registration"]);
    assert_eq!(two.order, CounterOrder::Listed);
    let view = counter_view(&h, "3").await;
    assert_eq!(view.counter.categories, ["passport", "archive"]);
    assert_eq!(view.counter.order, CounterOrder::Fifo);
    // The office document says what a clerk may switch to: by default the file's categories.
    let office: numerek_api::Office =
        read(h.get("/api/v1/office", None).await.expect(StatusCode::OK));
    let one = office.counters.iter().find(|c| c.id == "1").unwrap();
    assert_eq!(one.may_serve, ["registration", "tax"]);
    assert_eq!(one.order, CounterOrder::Fifo);
}

#[tokio::test]
async fn a_manager_moves_a_counter_and_routing_and_next_follow() {
    let h = TestServer::new().await;
    h.issue("passport").await;
    h.clock.advance(SignedDuration::from_secs(60));
    h.issue("registration").await;
    h.issue("tax").await;
    assert_eq!(numbers(&counter_view(&h, "3").await), ["C001"]);

    let moved = profiled(
        &set_profile(
            &h,
            "3",
            &h.tokens.manager,
            json!({"categories": ["tax", "registration"], "order": "listed"}),
        )
        .await,
    );
    assert_eq!(moved.id, "3");
    assert_eq!(moved.categories, ["tax", "registration"]);
    assert_eq!(moved.order, CounterOrder::Listed);
    assert_eq!(
        counter(&h, "3").await,
        moved,
        "the status shows the profile in force"
    );

    // `next` and call-next follow it: tax first, and the passport no longer at all.
    assert_eq!(numbers(&counter_view(&h, "3").await), ["B001", "A001"]);
    let called = h.act("3", "call-next").await;
    assert_eq!(called.expect(StatusCode::OK)["ticket"]["number"], "B001");
    let called = h.act("3", "call-next").await;
    assert_eq!(called.expect(StatusCode::OK)["ticket"]["number"], "A001");
    let called = h.act("3", "call-next").await;
    assert_eq!(
        called.expect(StatusCode::OK)["ticket"],
        Value::Null,
        "nobody waits for what counter 3 serves now, though a passport ticket waits"
    );
    assert_eq!(h.category_status("passport").await["waiting"], 1);

    // Without `order` the order in force stays.
    let again = profiled(
        &set_profile(
            &h,
            "3",
            &h.tokens.admin,
            json!({"categories": ["passport"]}),
        )
        .await,
    );
    assert_eq!(again.categories, ["passport"]);
    assert_eq!(again.order, CounterOrder::Listed);
    let called = h.act("3", "call-next").await;
    assert_eq!(called.expect(StatusCode::OK)["ticket"]["number"], "C001");
}

#[tokio::test]
async fn a_called_ticket_stays_with_the_counter_when_its_profile_changes() {
    let h = TestServer::new().await;
    h.issue("registration").await;
    let called = h.act("1", "call-next").await;
    let id = called.expect(StatusCode::OK)["ticket"]["id"].clone();
    let moved = profiled(
        &set_profile(
            &h,
            "1",
            &h.tokens.manager,
            json!({"categories": ["passport"]}),
        )
        .await,
    );
    let current = serde_json::to_value(&moved.current).unwrap();
    assert_eq!(current["id"], id, "{moved:?}");
    assert_eq!(h.ticket(id.as_str().unwrap()).await["state"], "called");
    let finished = h.act("1", "finish").await;
    assert_eq!(finished.expect(StatusCode::OK)["ticket"]["state"], "done");
}

#[tokio::test]
async fn a_clerk_switches_within_may_serve_and_only_a_manager_beyond_it() {
    let h = TestServer::with_office(&office_with_may_serve()).await;
    let office: numerek_api::Office =
        read(h.get("/api/v1/office", None).await.expect(StatusCode::OK));
    assert_eq!(
        office.counters[0].may_serve,
        ["registration", "tax", "passport"]
    );
    // The bound clerk of counter 1, at its own counter, within may_serve.
    let switched = profiled(
        &set_profile(
            &h,
            "1",
            &h.tokens.clerk1,
            json!({"categories": ["passport", "registration"], "order": "listed"}),
        )
        .await,
    );
    assert_eq!(switched.categories, ["passport", "registration"]);

    // Beyond may_serve: 403, and nothing changed.
    let before = h.staff_status().await;
    for token in [&h.tokens.clerk1, &h.tokens.clerk] {
        set_profile(&h, "1", token, json!({"categories": ["archive"]}))
            .await
            .expect_error(StatusCode::FORBIDDEN, "forbidden");
        set_profile(&h, "1", token, json!({"categories": ["tax", "archive"]}))
            .await
            .expect_error(StatusCode::FORBIDDEN, "forbidden");
    }
    // Counter 2's may_serve is its own categories: a clerk cannot give it passports.
    set_profile(
        &h,
        "2",
        &h.tokens.clerk,
        json!({"categories": ["passport"]}),
    )
    .await
    .expect_error(StatusCode::FORBIDDEN, "forbidden");
    // A clerk bound to counter 1 cannot touch counter 2 at all.
    set_profile(&h, "2", &h.tokens.clerk1, json!({"categories": ["tax"]}))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    // The kiosk is no clerk.
    set_profile(&h, "1", &h.tokens.kiosk, json!({"categories": ["tax"]}))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(h.staff_status().await, before, "a refusal changes nothing");

    // A manager may move it anywhere.
    let moved = profiled(
        &set_profile(
            &h,
            "1",
            &h.tokens.manager,
            json!({"categories": ["archive"]}),
        )
        .await,
    );
    assert_eq!(moved.categories, ["archive"]);
}

#[tokio::test]
async fn bad_profiles_are_refused_with_their_codes_and_change_nothing() {
    let h = TestServer::new().await;
    let manager = h.tokens.manager.clone();
    let before = h.staff_status().await;
    let cases = [
        (
            json!({"categories": []}),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            json!({"categories": ["tax", "tax"]}),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (json!({}), StatusCode::BAD_REQUEST, "invalid_request"),
        (
            json!({"categories": "tax"}),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            json!({"categories": ["tax"], "order": "random"}),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            json!({"categories": ["tax"], "clerk": "Anna"}),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            json!({"categories": ["tax", "parking"]}),
            StatusCode::NOT_FOUND,
            "unknown_category",
        ),
    ];
    for (body, status, code) in cases {
        let answer = set_profile(&h, "1", &manager, body.clone()).await;
        assert_eq!(answer.status, status, "{body}: {}", answer.text);
        answer.expect_error(status, code);
    }
    // The form is checked before the counter; then an unknown counter is 404.
    set_profile(&h, "9", &manager, json!({"categories": []}))
        .await
        .expect_error(StatusCode::BAD_REQUEST, "invalid_request");
    set_profile(&h, "9", &manager, json!({"categories": ["tax"]}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "unknown_counter");
    assert_eq!(h.staff_status().await, before);
}

#[tokio::test]
async fn the_profile_in_force_asked_for_again_changes_nothing() {
    let h = TestServer::new().await;
    let seq = h.seq().await;
    let same = profiled(
        &set_profile(
            &h,
            "2",
            &h.tokens.manager,
            json!({"categories": ["tax", "registration"], "order": "listed"}),
        )
        .await,
    );
    assert_eq!(same.categories, ["tax", "registration"]);
    assert_eq!(h.seq().await, seq, "no event for no change");
}

#[tokio::test]
async fn the_counter_changed_event_carries_the_new_profile() {
    let h = TestServer::new().await;
    let mut feed = h.state.hub.subscribe().expect("the hub is open");
    profiled(
        &set_profile(
            &h,
            "3",
            &h.tokens.manager,
            json!({"categories": ["registration"], "order": "listed"}),
        )
        .await,
    );
    let chunk = tokio::time::timeout(support::WAIT, feed.recv())
        .await
        .expect("an event")
        .expect("the feed stays open");
    let frames: Vec<FeedMessage> = chunk
        .iter()
        .map(|frame| serde_json::from_str(frame.public.as_str()).expect("a feed message"))
        .collect();
    match frames.as_slice() {
        [
            FeedMessage::CounterChanged {
                counter,
                state,
                categories,
                order,
                ..
            },
        ] => {
            assert_eq!(counter, "3");
            assert_eq!(*state, numerek_api::CounterStateName::Closed);
            assert_eq!(categories, &["registration"]);
            assert_eq!(*order, CounterOrder::Listed);
        }
        other => panic!("one counter.changed, not {other:?}"),
    }
}

#[tokio::test]
async fn the_profile_survives_a_restart_and_the_day_puts_the_office_file_back() {
    let h = TestServer::new().await;
    h.act("3", "open").await.expect(StatusCode::OK);
    profiled(
        &set_profile(
            &h,
            "3",
            &h.tokens.manager,
            json!({"categories": ["tax", "registration"], "order": "listed"}),
        )
        .await,
    );
    h.issue("registration").await;
    let status = h.staff_status().await;

    let (dir, clock, tokens, weak) = (
        h.dir.clone(),
        h.clock.clone(),
        h.tokens.clone(),
        h.weak_store(),
    );
    h.store.close();
    drop(h);
    support::wait_until_released(weak).await;
    let h = TestServer::reopen(dir, clock, tokens);
    assert_eq!(
        h.staff_status().await,
        status,
        "the restart keeps the profile"
    );
    let three = counter(&h, "3").await;
    assert_eq!(three.categories, ["tax", "registration"]);
    assert_eq!(three.order, CounterOrder::Listed);
    assert_eq!(numbers(&counter_view(&h, "3").await), ["A001"]);

    // The next office day starts with the office file's profile, and so does a restart then.
    h.clock.set(support::at("2026-11-24T07:00:00+01:00"));
    h.store.start_day_if_due().await.expect("the day starts");
    let three = counter(&h, "3").await;
    assert_eq!(three.categories, ["passport", "archive"]);
    assert_eq!(three.order, CounterOrder::Fifo);
    let status = h.staff_status().await;
    let (dir, clock, tokens, weak) = (
        h.dir.clone(),
        h.clock.clone(),
        h.tokens.clone(),
        h.weak_store(),
    );
    h.store.close();
    drop(h);
    support::wait_until_released(weak).await;
    let h = TestServer::reopen(dir, clock, tokens);
    assert_eq!(h.staff_status().await, status);
}

#[tokio::test]
async fn the_open_data_feed_counts_a_moved_counter_where_it_serves_now() {
    let h = TestServer::new().await;
    h.act("3", "open").await.expect(StatusCode::OK);
    let open_for = |document: &Value, prefix: &str| {
        document["result"]["grupy"]
            .as_array()
            .expect("groups")
            .iter()
            .find(|g| g["literaGrupy"] == prefix)
            .map(|g| g["liczbaCzynnychStan"].clone())
            .expect("the group")
    };
    let before = h
        .get("/api/v1/open-data/warsaw", None)
        .await
        .expect(StatusCode::OK)
        .clone();
    assert_eq!(open_for(&before, "A"), 0);
    assert_eq!(open_for(&before, "C"), 1);
    profiled(
        &set_profile(
            &h,
            "3",
            &h.tokens.manager,
            json!({"categories": ["registration"]}),
        )
        .await,
    );
    let after = h
        .get("/api/v1/open-data/warsaw", None)
        .await
        .expect(StatusCode::OK)
        .clone();
    assert_eq!(open_for(&after, "A"), 1);
    assert_eq!(open_for(&after, "C"), 0);
}

/// Only a changed profile is kept over a restart: a counter serving what the office file said
/// serves what the file says after the restart, also when the file was changed meanwhile.
#[tokio::test]
async fn a_restart_with_a_changed_office_file_keeps_only_changed_profiles() {
    let h = TestServer::new().await;
    // Counter 3 only opens (a counter.changed with the file's profile); counter 2 is moved.
    h.act("3", "open").await.expect(StatusCode::OK);
    profiled(
        &set_profile(
            &h,
            "2",
            &h.tokens.manager,
            json!({"categories": ["passport"]}),
        )
        .await,
    );
    let (dir, clock, tokens, weak) = (
        h.dir.clone(),
        h.clock.clone(),
        h.tokens.clone(),
        h.weak_store(),
    );
    h.store.close();
    drop(h);
    support::wait_until_released(weak).await;
    let changed = OFFICE.replacen(
        "categories = [\"passport\", \"archive\"]",
        "categories = [\"passport\", \"archive\", \"registration\"]",
        1,
    );
    assert_ne!(changed, OFFICE);
    let h = TestServer::reopen_with_office(dir, clock, tokens, &changed);
    let three = counter(&h, "3").await;
    assert_eq!(
        three.categories,
        ["passport", "archive", "registration"],
        "the new file's"
    );
    assert_eq!(three.state, numerek_api::CounterStateName::Open);
    assert_eq!(
        counter(&h, "2").await.categories,
        ["passport"],
        "the changed profile stays"
    );
}
