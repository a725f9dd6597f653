//! The demo's traffic: simulated citizens taking tickets at a kiosk and one clerk bot per
//! staffed counter, over HTTP like any kiosk and counter PC, in real time (or `--traffic-speed`
//! times faster). Who comes when, and what each ticket needs at the counter, are drawn as in
//! `numerek simulate` ([`Scenario`]); a bot's turn at the counter is the simulator's ([`turn`]).
//! Some of the citizens served rate their visit, as on the phone, so that the reports' and the
//! reports page's satisfaction columns have figures.
//!
//! Unlike a simulation, the demo never ends: every 24 hours a new day of arrivals is drawn. And
//! it starts with a queue at the door (the arrivals of a quarter of an hour come at once), so the
//! lobby display shows a call within seconds of the start.

use crate::simulate::api::{Api, Issue};
use crate::simulate::bots::{Pace, turn};
use crate::simulate::rates_for_load;
use crate::simulate::scenario::{Scenario, Settings};
use jiff::civil::Weekday;
use numerek_core::OfficeConfig;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;

/// How busy the bots' counters are: the share of their time spent serving.
const LOAD: f64 = 0.8;
/// The share of priority tickets, where a category offers them.
const PRIORITY_SHARE: f64 = 0.1;
/// The share of holders who do not come when called.
const NO_SHOW_SHARE: f64 = 0.05;
/// How long a clerk bot waits for a holder who does not come, simulated seconds.
const NO_SHOW_WAIT_S: f64 = 60.0;
/// The spread of service times (standard deviation ÷ mean).
const SERVICE_CV: f64 = 0.5;
/// The queue at the door: the arrivals of this many simulated seconds come at the start.
const HEAD_START_S: f64 = 15.0 * 60.0;
/// One simulated day: arrivals are drawn a day at a time.
const DAY_S: f64 = 24.0 * 3600.0;
/// The clerk bots start one after another, this many simulated seconds apart (the first after
/// as long): the first calls come one by one, each announced on its own.
const STAGGER_S: f64 = 4.0;
/// A bot whose request failed (the server busy or restarting) tries again after this long.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(5);

/// Who works where, and the tokens they work with.
#[derive(Debug, Clone)]
pub struct Crew {
    /// The server, like `http://127.0.0.1:8080`.
    pub base: String,
    /// The simulated citizens' kiosk token.
    pub kiosk_token: String,
    /// Each staffed counter with its clerk bot's token (bound to that counter).
    pub clerks: Vec<(String, String)>,
}

/// Starts the traffic; it runs until the returned set is dropped (or aborted).
///
/// # Errors
/// When an HTTP client cannot be made.
pub fn start(
    config: &Arc<OfficeConfig>,
    crew: &Crew,
    seed: u64,
    speed: f64,
) -> anyhow::Result<JoinSet<()>> {
    let staffed: Vec<String> = crew.clerks.iter().map(|(id, _)| id.clone()).collect();
    let settings = Settings {
        seed,
        // The demo office has the same hours every day: any weekday draws alike.
        weekday: Weekday::Monday,
        from_min: 0,
        to_min: 24 * 60,
        rates_per_h: rates_for_load(config, &staffed, LOAD, 1.0),
        priority_share: PRIORITY_SHARE,
        no_show_share: NO_SHOW_SHARE,
        service_means_s: config
            .categories
            .iter()
            .map(|c| f64::from(c.expected_service_s))
            .collect(),
        service_cv: SERVICE_CV,
        // The demo's citizens walk in; bookings are made on its pages.
        booked_share: 0.0,
        slots: Vec::new(),
        checkin_early_s: 0.0,
    };
    let pace = Pace {
        origin: tokio::time::Instant::now(),
        speed,
    };
    let mut tasks = JoinSet::new();
    let needs = Arc::new(Scenario::draw(settings.clone(), config));
    for (index, (counter, token)) in crew.clerks.iter().enumerate() {
        let api = Api::new(&crew.base, token)?;
        let (needs, counter) = (needs.clone(), counter.clone());
        let start_s = STAGGER_S * (index + 1) as f64;
        tasks.spawn(async move { clerk(&api, &needs, pace, &counter, start_s).await });
    }
    if settings.rates_per_h.iter().any(|rate| *rate > 0.0) {
        let api = Api::new(&crew.base, &crew.kiosk_token)?;
        let config = config.clone();
        tasks.spawn(async move { citizens(&api, &config, settings, pace).await });
    }
    Ok(tasks)
}

/// Citizens arriving day after day, each taking a ticket at their time. A refusal (a category's
/// daily limit, the kiosk's rate limit) sends that citizen home, as it would a real one.
async fn citizens(api: &Api, config: &OfficeConfig, settings: Settings, pace: Pace) {
    for day in 0u64.. {
        let seed = settings.seed.wrapping_add(day);
        let scenario = Scenario::draw(
            Settings {
                seed,
                ..settings.clone()
            },
            config,
        );
        let day_start_s = day as f64 * DAY_S - HEAD_START_S;
        for arrival in &scenario.arrivals {
            tokio::time::sleep_until(pace.at(day_start_s + arrival.at_s)).await;
            let Some(category) = scenario.category_id(arrival.category) else {
                continue;
            };
            match api.issue(category, arrival.priority).await {
                Ok(Issue::Issued(_)) => {}
                Ok(Issue::Refused { code }) => {
                    tracing::debug!(category, code, "a simulated citizen got no ticket");
                }
                Err(error) => {
                    tracing::warn!(category, %error, "a simulated citizen got no ticket");
                    tokio::time::sleep(RETRY_AFTER_FAILURE).await;
                }
            }
        }
        // Until the next day's first arrival can come (also when this day drew nobody).
        tokio::time::sleep_until(pace.at(day_start_s + DAY_S)).await;
    }
}

/// A clerk bot at `counter`: opens it, starts calling `start_s` simulated seconds later, then
/// turn after turn calls, serves for as long as the ticket needs (or waits for a holder who does
/// not come), ends it and calls again; looks again shortly when nobody waits. (`call-next` also
/// opens the counter again after the office day has closed it.)
async fn clerk(api: &Api, needs: &Scenario, pace: Pace, counter: &str, start_s: f64) {
    if let Err(error) = api.open(counter).await {
        tracing::warn!(counter, %error, "a clerk bot could not open its counter");
    }
    pace.sleep(start_s).await;
    loop {
        match turn(api, needs, &pace, counter, NO_SHOW_WAIT_S, |_| {}).await {
            Ok(Some(done)) => {
                if let Some(score) = done.rating
                    && let Err(error) = api.rate(&done.called.id, score).await
                {
                    tracing::warn!(counter, %error, "a simulated citizen could not rate the visit");
                }
            }
            Ok(None) => tokio::time::sleep(pace.idle_poll()).await,
            Err(error) => {
                tracing::warn!(counter, %error, "a clerk bot's request failed; it tries again");
                tokio::time::sleep(RETRY_AFTER_FAILURE).await;
            }
        }
    }
}

/// The clerk bots go home: each finishes the ticket it holds and closes its counter, so that a
/// kept data directory does not show counters open that nobody works. Failures are only logged:
/// the demo is stopping anyway.
pub async fn send_home(crew: &Crew) {
    for (counter, token) in &crew.clerks {
        let Ok(api) = Api::new(&crew.base, token) else {
            continue;
        };
        // 409 when it holds no ticket: nothing to finish.
        let _ = api.end(counter, false).await;
        if let Err(error) = api.close(counter).await {
            tracing::warn!(counter, %error, "a clerk bot could not close its counter");
        }
    }
}
