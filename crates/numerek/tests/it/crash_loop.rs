//! Crash loop under load: the real binary, several concurrent clients issuing, calling, finishing
//! and cancelling tickets, killed with SIGKILL at random moments round after round and restarted
//! on the same data directory. After every restart:
//! - every acknowledged ticket (201) and change (200) is there, its state at least as far as
//!   acknowledged (a finished ticket stays finished);
//! - numbers are unique and gap-free per category (`A001`…`A0nn`, every one a stored ticket);
//! - the event sequence never goes back: the restarted server's `seq` is at least every `seq` seen
//!   before (in `/status` or on the feed), and the feed replays from the last event it announced;
//! - the server answers.
//!
//! The moments are drawn from a seeded generator (`NUMEREK_CRASH_SEED` to choose one; the seed
//! is printed), and nothing is asserted about how long anything took.

use crate::support;

use futures_util::StreamExt;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Server, write_config};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

/// How many times the server is killed.
const ROUNDS: usize = 20;
/// The longest a round runs before the kill, in milliseconds after its first new ticket (each
/// round draws up to this).
const LONGEST_ROUND_MS: u64 = 600;
/// Bound on any single request, so a broken server fails the test instead of hanging it.
const REQUEST_LIMIT: Duration = Duration::from_secs(10);
/// Bound on a round's first new ticket (a hang guard: it takes milliseconds).
const FIRST_ANSWER_LIMIT: Duration = Duration::from_secs(30);

/// How far a ticket's state has got: waiting, called, then finished one way or another.
fn rank(state: &str) -> u8 {
    match state {
        "waiting" => 0,
        "called" => 1,
        "done" | "no_show" | "cancelled" => 2,
        other => panic!("unknown ticket state {other}"),
    }
}

/// What the clients know for sure: every ticket acknowledged, with the furthest state an answer
/// acknowledged for it.
#[derive(Debug, Default)]
struct Acknowledged {
    /// Ticket id → (number, furthest acknowledged state).
    tickets: HashMap<String, (String, String)>,
}

impl Acknowledged {
    /// Records a ticket as an answer showed it.
    fn saw(&mut self, ticket: &Value) {
        let id = ticket["id"].as_str().expect("a ticket id").to_owned();
        let number = ticket["number"].as_str().expect("a number").to_owned();
        let state = ticket["state"].as_str().expect("a state").to_owned();
        let entry = self
            .tickets
            .entry(id)
            .or_insert_with(|| (number.clone(), state.clone()));
        assert_eq!(entry.0, number, "a ticket keeps its number");
        if rank(&state) > rank(&entry.1) {
            entry.1 = state;
        }
    }

    /// A ticket waiting as far as the clients know.
    fn some_waiting(&self, rng: &mut ChaCha8Rng) -> Option<String> {
        let waiting: Vec<&String> = self
            .tickets
            .iter()
            .filter(|(_, (_, state))| state == "waiting")
            .map(|(id, _)| id)
            .collect();
        (!waiting.is_empty()).then(|| waiting[rng.random_range(0..waiting.len())].clone())
    }
}

/// A POST that may fail because the server is killed: `Some((status, body))` only for a whole
/// answer.
async fn post(
    http: &reqwest::Client,
    url: String,
    token: &str,
    body: Value,
) -> Option<(u16, Value)> {
    let response = http
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .ok()?;
    let status = response.status().as_u16();
    let body = response.json().await.ok()?;
    Some((status, body))
}

/// A GET that must succeed (the server is up).
async fn get(http: &reqwest::Client, url: String, token: Option<&str>) -> Value {
    let mut request = http.get(&url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    assert_eq!(response.status().as_u16(), 200, "GET {url}");
    response.json().await.expect("a JSON answer")
}

/// One client's work until the server goes away or the round is told to stop.
struct Worker {
    base: String,
    token: String,
    /// `None`: a kiosk (issues and cancels); `Some(counter)`: a clerk at that counter.
    counter: Option<&'static str>,
    seed: u64,
    known: Arc<Mutex<Acknowledged>>,
    stop: Arc<AtomicBool>,
}

impl Worker {
    async fn run(self) {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_LIMIT)
            .build()
            .expect("a client");
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        while !self.stop.load(Ordering::SeqCst) {
            let answer = match self.counter {
                None => self.kiosk_step(&http, &mut rng).await,
                Some(counter) => self.clerk_step(&http, &mut rng, counter).await,
            };
            let Some((status, body)) = answer else {
                // The server is gone: the round is over for this client.
                return;
            };
            match status {
                200 | 201 => {
                    // A counter action answers `{"ticket": Ticket or null, "counter"}`, a
                    // ticket action the bare ticket.
                    let ticket = match self.counter {
                        Some(_) => &body["ticket"],
                        None => &body,
                    };
                    if ticket.is_object() {
                        self.known.lock().unwrap().saw(ticket);
                    }
                }
                // Refusals the domain gives (nobody at the counter, not waiting any more).
                409 => {}
                other => panic!("unexpected answer {other}: {body}"),
            }
        }
    }

    async fn kiosk_step(
        &self,
        http: &reqwest::Client,
        rng: &mut ChaCha8Rng,
    ) -> Option<(u16, Value)> {
        if rng.random_bool(0.1) {
            let waiting = self.known.lock().unwrap().some_waiting(rng);
            if let Some(id) = waiting {
                let url = format!("{}/api/v1/tickets/{id}/cancel", self.base);
                return post(http, url, &self.token, json!({})).await;
            }
        }
        let category = if rng.random_bool(0.6) {
            "registration"
        } else {
            "tax"
        };
        let url = format!("{}/api/v1/tickets", self.base);
        post(http, url, &self.token, json!({ "category": category })).await
    }

    async fn clerk_step(
        &self,
        http: &reqwest::Client,
        rng: &mut ChaCha8Rng,
        counter: &str,
    ) -> Option<(u16, Value)> {
        let action = match rng.random_range(0..20) {
            0..=10 => "call-next",
            11..=16 => "finish",
            17..=18 => "no-show",
            _ => "recall",
        };
        let url = format!("{}/api/v1/counters/{counter}/{action}", self.base);
        post(http, url, &self.token, json!({})).await
    }
}

/// Reads the feed until it ends; checks that events follow each other without a gap and never
/// go back; answers the last `seq` it saw.
async fn follow_feed(base: &str, since: Option<u64>) -> JoinHandle<Option<u64>> {
    let url = match since {
        Some(since) => format!("{}/api/v1/events?since={since}", base.replace("http", "ws")),
        None => format!("{}/api/v1/events", base.replace("http", "ws")),
    };
    let (mut ws, _) = tokio::time::timeout(REQUEST_LIMIT, tokio_tungstenite::connect_async(url))
        .await
        .expect("the feed answers in time")
        .expect("the feed connects");
    tokio::spawn(async move {
        let mut last = since;
        let mut first = true;
        while let Some(Ok(message)) = ws.next().await {
            let Message::Text(text) = message else {
                continue;
            };
            let value: Value = serde_json::from_str(text.as_str()).expect("JSON");
            let seq = value["seq"].as_u64().expect("a seq");
            if value["type"] == "snapshot" {
                // The event log holds the whole day, so a client that says where it stopped
                // is always answered with the events after it. (A snapshot later on is the
                // answer to a client that fell too far behind, which a busy machine may
                // cause.)
                assert!(
                    !first || since.is_none(),
                    "the feed replays after {since:?} instead of a snapshot at {seq}"
                );
                if let Some(last) = last {
                    assert!(
                        seq >= last,
                        "a snapshot never goes back: {seq} after {last}"
                    );
                }
            } else if let Some(last) = last {
                assert_eq!(seq, last + 1, "the feed has no gap after {last}: {value}");
            }
            last = Some(seq);
            first = false;
        }
        last
    })
}

/// Checks the restarted server against everything acknowledged before; answers its `seq`.
async fn check_after_restart(
    http: &reqwest::Client,
    server: &Server,
    manager: &str,
    known: &Acknowledged,
    seq_seen: u64,
) -> (u64, String) {
    let base = &server.base;
    assert_eq!(
        get(http, format!("{base}/healthz"), None).await,
        json!({"status": "ok"})
    );
    let status = get(http, format!("{base}/api/v1/status"), None).await;
    let seq = status["seq"].as_u64().expect("seq");
    assert!(
        seq >= seq_seen,
        "the event sequence never goes back: {seq} after {seq_seen} was seen"
    );
    let day = status["office_date"]
        .as_str()
        .expect("office_date")
        .to_owned();
    let listing = get(
        http,
        format!("{base}/api/v1/reports/tickets?from={day}&to={day}"),
        Some(manager),
    )
    .await;
    let stored: HashMap<&str, &Value> = listing["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| (t["id"].as_str().expect("id"), t))
        .collect();
    assert_eq!(
        stored.len(),
        listing["tickets"].as_array().unwrap().len(),
        "ticket ids are unique"
    );

    // Numbers: per prefix exactly 1..=n, and n is what the status says was issued.
    let mut numbers: BTreeMap<char, Vec<u32>> = BTreeMap::new();
    for ticket in stored.values() {
        let number = ticket["number"].as_str().expect("number");
        let prefix = number.chars().next().expect("a prefix");
        numbers
            .entry(prefix)
            .or_default()
            .push(number[1..].parse().expect("digits"));
    }
    for (prefix, list) in &mut numbers {
        list.sort_unstable();
        let expected: Vec<u32> = (1..=list.len() as u32).collect();
        assert_eq!(list, &expected, "numbers {prefix}… are unique and gap-free");
    }
    for category in status["categories"].as_array().expect("categories") {
        let prefix = category["prefix"]
            .as_str()
            .and_then(|p| p.chars().next())
            .expect("prefix");
        let issued = numbers.get(&prefix).map_or(0, Vec::len) as u64;
        assert_eq!(category["issued_today"], issued, "{category}");
    }

    // Every acknowledged ticket, at least as far as acknowledged.
    for (id, (number, state)) in &known.tickets {
        let ticket = stored
            .get(id.as_str())
            .unwrap_or_else(|| panic!("acknowledged ticket {number} ({id}) is lost"));
        assert_eq!(ticket["number"], number.as_str());
        let now = ticket["state"].as_str().expect("state");
        assert!(
            rank(now) >= rank(state),
            "{number} was acknowledged {state} and is {now} after the restart"
        );
        if rank(state) == 2 {
            assert_eq!(now, state, "{number} stays {state}");
        }
    }
    (seq, day)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_work_survives_sigkill_at_random_moments() {
    let seed: u64 = std::env::var("NUMEREK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_123);
    println!("crash loop seed {seed} (NUMEREK_CRASH_SEED to repeat)");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path());
    let data = dir.path().join("data");
    let http = reqwest::Client::builder()
        .timeout(REQUEST_LIMIT)
        .build()
        .expect("a client");

    let known = Arc::new(Mutex::new(Acknowledged::default()));
    let mut tokens = HashMap::new();
    let mut seq_seen = 0;
    let mut feed_seq: Option<u64> = None;
    let mut first_day: Option<String> = None;
    let mut acknowledged_per_round = Vec::new();
    for round in 0..ROUNDS {
        let server = Server::start(&config, &data);
        if round == 0 {
            tokens = server.tokens.clone();
            assert_eq!(tokens.len(), 4, "one token per role at first start");
        } else {
            assert!(server.tokens.is_empty(), "no new tokens after a restart");
        }
        let snapshot = Acknowledged {
            tickets: known.lock().unwrap().tickets.clone(),
        };
        let (seq, day) =
            check_after_restart(&http, &server, &tokens["manager"], &snapshot, seq_seen).await;
        if first_day.get_or_insert_with(|| day.clone()) != &day {
            // Midnight in Warsaw passed: the new day cancelled and renumbered; the rounds so
            // far were checked, and the next day's would check nothing new.
            println!("the office day changed during the test; stopping after {round} rounds");
            break;
        }
        seq_seen = seq;

        // The feed picks up from the last event it announced before the crash: that event
        // and every one before it are on disk.
        let feed = follow_feed(&server.base, feed_seq).await;
        let stop = Arc::new(AtomicBool::new(false));
        let roles: [(&str, Option<&'static str>); 4] = [
            ("kiosk", None),
            ("admin", None),
            ("clerk", Some("1")),
            ("manager", Some("2")),
        ];
        let workers: Vec<JoinHandle<()>> = roles
            .iter()
            .map(|(role, counter)| {
                tokio::spawn(
                    Worker {
                        base: server.base.clone(),
                        token: tokens[*role].clone(),
                        counter: *counter,
                        seed: rng.random(),
                        known: known.clone(),
                        stop: stop.clone(),
                    }
                    .run(),
                )
            })
            .collect();
        // The kill comes at a random moment once the round has got work done (a new ticket
        // acknowledged): on a busy machine the clients may take a while to get going, and a
        // round killed before any answer would prove nothing new.
        let before = known.lock().unwrap().tickets.len();
        let deadline = Instant::now() + FIRST_ANSWER_LIMIT;
        while known.lock().unwrap().tickets.len() == before {
            assert!(
                Instant::now() < deadline,
                "round {round}: no ticket acknowledged within {FIRST_ANSWER_LIMIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(
            rng.random_range(0..=LONGEST_ROUND_MS),
        ))
        .await;
        // SIGKILL at this moment, whatever is in flight.
        tokio::task::spawn_blocking(move || server.kill())
            .await
            .expect("killed");
        stop.store(true, Ordering::SeqCst);
        for worker in workers {
            worker.await.expect("a worker never panics");
        }
        let last = feed.await.expect("the feed reader never panics");
        if let Some(last) = last {
            seq_seen = seq_seen.max(last);
            feed_seq = Some(last);
        }
        acknowledged_per_round.push(known.lock().unwrap().tickets.len() - before);
    }

    // One more start: the final check, and the server is still fully usable.
    let server = Server::start(&config, &data);
    let final_known = Acknowledged {
        tickets: known.lock().unwrap().tickets.clone(),
    };
    check_after_restart(&http, &server, &tokens["manager"], &final_known, seq_seen).await;
    let (status, ticket) = post(
        &http,
        format!("{}/api/v1/tickets", server.base),
        &tokens["kiosk"],
        json!({"category": "tax"}),
    )
    .await
    .expect("an answer");
    assert_eq!(status, 201, "{ticket}");
    // Every round got work done before its crash (it waited for that).
    println!(
        "{} tickets acknowledged over {} rounds ({:?} new per round)",
        final_known.tickets.len(),
        acknowledged_per_round.len(),
        acknowledged_per_round
    );
    let status = server.terminate();
    assert!(
        status.success(),
        "SIGTERM stops the server cleanly: {status}"
    );
}
