//! The people of the simulated day, over HTTP: citizens who take a ticket when they arrive, and
//! one clerk per staffed counter who calls the next ticket, serves it for as long as it needs
//! (or waits for a holder who does not come and marks a no-show), and calls again.

use super::api::{Api, Called, Issue};
use super::observe::Observations;
use super::scenario::Scenario;
use anyhow::Context;
use jiff::Timestamp;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::time::Instant;

/// A clerk with nobody to call looks again after this many simulated seconds.
pub const IDLE_POLL_S: f64 = 5.0;

/// The shortest real pause between two looks of an idle clerk, whatever the speed.
const MIN_POLL: Duration = Duration::from_millis(10);

/// Real time against simulated time: the real instant of the simulated `from`, and the speed.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// The real instant arrivals start at.
    pub origin: Instant,
    /// Simulated seconds per real second.
    pub speed: f64,
}

impl Pace {
    /// The real instant `offset_s` simulated seconds after `from` (`from` itself for an offset
    /// before it).
    pub fn at(&self, offset_s: f64) -> Instant {
        self.origin + Duration::from_secs_f64((offset_s / self.speed).max(0.0))
    }

    /// Waits for `seconds` of simulated time.
    pub async fn sleep(&self, seconds: f64) {
        tokio::time::sleep(Duration::from_secs_f64((seconds / self.speed).max(0.0))).await;
    }

    /// How long an idle clerk waits before looking for a ticket again, in real time.
    pub fn idle_poll(&self) -> Duration {
        Duration::from_secs_f64(IDLE_POLL_S / self.speed).max(MIN_POLL)
    }
}

/// A category as the bots need it.
#[derive(Debug, Clone)]
pub struct CategoryInfo {
    /// Its id.
    pub id: String,
    /// Its configured `expected_service_min`, in seconds (the baseline's start).
    pub configured_s: f64,
    /// How many staffed counters serve it (the baseline's divisor).
    pub counters: usize,
}

/// Everything the bots share.
#[derive(Debug)]
pub struct Day {
    /// The server.
    pub api: Api,
    /// Who comes, and what each ticket needs.
    pub scenario: Scenario,
    /// Real time against simulated time.
    pub pace: Pace,
    /// The categories, in configuration order.
    pub categories: Vec<CategoryInfo>,
    /// How long a clerk waits for a holder who does not come, in simulated seconds.
    pub no_show_wait_s: f64,
    /// What was seen.
    pub seen: Mutex<Observations>,
    /// Set once the last citizen has been answered: idle clerks may then go home.
    pub arrivals_done: AtomicBool,
    /// Per arrival (the scenario's order), the booking code of a booked visit and its slot's
    /// start.
    pub bookings: Vec<Option<(String, Timestamp)>>,
}

impl Day {
    fn seen(&self) -> std::sync::MutexGuard<'_, Observations> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Every citizen of the day, each at their arrival time: a walk-in takes a ticket, a booked
/// visitor checks in with their code.
///
/// # Errors
/// When the server does not answer as the API says.
pub async fn citizens(day: &Day) -> anyhow::Result<()> {
    for (index, arrival) in day.scenario.arrivals.iter().enumerate() {
        tokio::time::sleep_until(day.pace.at(arrival.at_s)).await;
        let category = &day.categories[arrival.category];
        let booking = day.bookings.get(index).and_then(Option::as_ref);
        let answer = match booking {
            Some((code, _)) => day.api.check_in(code).await?,
            None => day.api.issue(&category.id, arrival.priority).await?,
        };
        match answer {
            Issue::Issued(ticket) => {
                let mut seen = day.seen();
                let baseline = seen.baseline_s(
                    arrival.category,
                    ticket.people_ahead,
                    category.configured_s,
                    category.counters,
                );
                seen.issued(
                    arrival.category,
                    &ticket,
                    baseline,
                    booking.map(|(_, slot)| *slot),
                );
            }
            // A booked visitor the kiosk refuses came too late (a slow machine let the day
            // lag): the booking is missed at the end of its window.
            Issue::Refused { .. } if booking.is_some() => day.seen().checkin_refused(),
            Issue::Refused { .. } => day.seen().refused(arrival.category),
        }
    }
    day.arrivals_done.store(true, Ordering::SeqCst);
    Ok(())
}

/// The clerk of one counter, from opening until nobody is left to call after the last arrival.
///
/// # Errors
/// When the server does not answer as the API says.
pub async fn clerk(day: &Day, counter: &str) -> anyhow::Result<()> {
    let poll = day.pace.idle_poll();
    day.api.open(counter).await?;
    loop {
        // Read before calling: if every citizen had been answered before the call found
        // nobody, nobody can come any more.
        let done = day.arrivals_done.load(Ordering::SeqCst);
        let Some(turn) = turn(
            &day.api,
            &day.scenario,
            &day.pace,
            counter,
            day.no_show_wait_s,
            |called| day.seen().called(&called.id, called.called_at),
        )
        .await?
        else {
            if done {
                break;
            }
            tokio::time::sleep(poll).await;
            continue;
        };
        day.seen().ended(
            &turn.called.id,
            turn.category,
            turn.called.called_at,
            turn.ended_at,
            turn.no_show,
        );
    }
    day.api.close(counter).await
}

/// One ticket a clerk called and ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    /// The ticket as called.
    pub called: Called,
    /// Its category, as an index into the configuration's categories.
    pub category: usize,
    /// Whether its holder did not come.
    pub no_show: bool,
    /// When the server ended it.
    pub ended_at: Timestamp,
    /// How its holder rates the visit, if they came and rate it (the scenario's draw).
    pub rating: Option<u8>,
}

/// One turn of a clerk at `counter`: calls the next ticket (telling `on_call` at once), holds it
/// for as long as the scenario says it needs (or waits `no_show_wait_s` for a holder who does
/// not come), and ends it as served or not come. `None` when nobody waits.
///
/// # Errors
/// When the server does not answer as the API says, or calls a ticket of an unknown category.
pub async fn turn(
    api: &Api,
    scenario: &Scenario,
    pace: &Pace,
    counter: &str,
    no_show_wait_s: f64,
    on_call: impl FnOnce(&Called),
) -> anyhow::Result<Option<Turn>> {
    let Some(called) = api.call_next(counter).await? else {
        return Ok(None);
    };
    on_call(&called);
    let category = scenario
        .category_index(&called.category)
        .with_context(|| format!("counter {counter} called a ticket of {}", called.category))?;
    let need = scenario.ticket(category, called.number);
    let hold_s = if need.no_show {
        no_show_wait_s
    } else {
        need.service_s
    };
    pace.sleep(hold_s).await;
    let ended_at = api.end(counter, need.no_show).await?;
    Ok(Some(Turn {
        called,
        category,
        no_show: need.no_show,
        ended_at,
        rating: need.rating.filter(|_| !need.no_show),
    }))
}
