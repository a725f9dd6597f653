//! `numerek simulate`: a simulated office day against a real numerek server, to see how long
//! people wait, whether the wait estimates hold, and whether the manager's report tells the truth.
//!
//! By default it starts a server of its own (this program, on 127.0.0.1, a temporary data
//! directory, a clock running `--speed` times real time) and drives it over HTTP: citizens
//! arrive at random (Poisson, per category), clerk bots serve them for random times (log-normal)
//! with some no-shows. With `--url` it drives a running server in real time instead. At the end
//! it prints the day's figures, numerek's wait estimates against the realised waits next to a
//! naive baseline, and checks the summary report against what it saw.
//!
//! # Layout
//! - [`scenario`]: the day drawn from the seed.
//! - [`spawn`]: the server of its own.
//! - [`api`]: the HTTP calls.
//! - [`bots`]: citizens and clerks.
//! - [`in_process`]: the same day played on numerek's core directly, in virtual time.
//! - [`observe`]: what was seen, and its figures.
//! - [`compare`]: the report against what was seen.
//! - [`print`]: the figures for people and as JSON.

pub(crate) mod api;
pub(crate) mod bots;
mod compare;
mod in_process;
mod observe;
mod print;
pub(crate) mod scenario;
mod spawn;

use crate::office;
use anyhow::{Context, bail, ensure};
use bots::{CategoryInfo, Day, Pace};
use clap::Args;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use numerek_core::OfficeConfig;
use observe::Observations;
use scenario::{Scenario, Settings, Slots};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

/// Simulated minutes between the server's start and the first arrival: time for it to come up
/// and for the clerks to open their counters.
const LEAD_MIN: i64 = 2;

/// The largest `--service-cv`: beyond it a log-normal day is made of a few endless services,
/// and one day's figures say little.
const MAX_SERVICE_CV: f64 = 1.5;

/// `numerek simulate`.
#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// The office configuration file (TOML). Without it, the example office built into the
    /// program. With --url, it describes the office of that server (for the arrival rates).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The simulated office day, YYYY-MM-DD (issuing hours depend on its weekday).
    #[arg(long, value_name = "DATE", default_value = "2026-11-24")]
    pub date: Date,
    /// When arrivals start, local HH:MM.
    #[arg(long, value_name = "HH:MM", default_value = "08:00", value_parser = parse_clock)]
    pub from: u32,
    /// When arrivals stop, local HH:MM; the clerks then serve everyone still waiting.
    #[arg(long, value_name = "HH:MM", default_value = "15:00", value_parser = parse_clock)]
    pub to: u32,
    /// Simulated seconds per real second (the server's clock runs as fast).
    #[arg(long, default_value_t = 60.0)]
    pub speed: f64,
    /// The seed of every random draw: the same seed draws the same day.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How busy the day is: each category gets this share of the tickets per hour that the
    /// staffed counters serving it can serve at its mean service time (a counter serving several
    /// categories counts for each in equal parts).
    #[arg(long, default_value_t = 0.9)]
    pub load: f64,
    /// Tickets per hour of one category instead, like `--rate registration=12` (repeatable).
    #[arg(long = "rate", value_name = "CATEGORY=PER_HOUR")]
    pub rates: Vec<String>,
    /// The share of tickets taken as priority, where a category offers it.
    #[arg(long, default_value_t = 0.1)]
    pub priority_share: f64,
    /// The share of visits booked ahead, in the categories that take bookings: they book the
    /// first free slot at or after when they would have come, arrive a few minutes before it
    /// and check in with their code (the simulator books for them with its admin token before
    /// the day starts). The figures then show walk-ins and booked visits apart, and how late
    /// the booked ones were called after their slot's start.
    #[arg(long, default_value_t = 0.0)]
    pub booked_share: f64,
    /// The share of called holders who do not come.
    #[arg(long, default_value_t = 0.05)]
    pub no_show_share: f64,
    /// How long a clerk waits for a holder who does not come before marking a no-show, seconds.
    #[arg(long, default_value_t = 60.0)]
    pub no_show_wait_s: f64,
    /// Real mean service time ÷ the configured `expected_service_min` of each category (1.2:
    /// services take a fifth longer than configured).
    #[arg(long, default_value_t = 1.0)]
    pub service_scale: f64,
    /// How much service times vary: their coefficient of variation (standard deviation ÷
    /// mean), from 0 to 1.5. Each service is drawn from a log-normal distribution with the
    /// category's mean (× --service-scale) and this spread: 0 is every service exactly its
    /// mean, 0.5 a typical office (most services near the mean, a few twice as long), 1.0 as
    /// varied as exponential times, 1.5 a few services many times the mean.
    #[arg(long, default_value_t = 0.5, value_name = "CV")]
    pub service_cv: f64,
    /// The counters staffed by a clerk, comma separated (default: all).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub counters: Vec<String>,
    /// Drive the numerek server running at this address, in real time, instead of a server of
    /// its own: --date and --speed then do not apply (the day is that server's today, from
    /// now). Its report only matches the simulation when nobody else uses that server that day.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// With --url: an admin token (it takes tickets, works counters and reads the report).
    #[arg(
        long,
        env = "NUMEREK_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Play the day inside this program, on numerek's core directly with a virtual clock,
    /// instead of over HTTP against a server in real time: the same citizens and clerks, no
    /// waiting and no scheduling noise, so a seed gives exactly the same figures on any machine
    /// (--speed does not apply).
    #[arg(long, conflicts_with_all = ["url", "speed"])]
    pub in_process: bool,
    /// Print the figures as one JSON document instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `HH:MM` → minutes since midnight (`24:00` allowed).
fn parse_clock(text: &str) -> Result<u32, String> {
    let invalid = || format!("{text:?} is not a time like 08:00");
    let (hours, minutes) = text.split_once(':').ok_or_else(invalid)?;
    let hours: u32 = hours.parse().map_err(|_| invalid())?;
    let minutes: u32 = minutes.parse().map_err(|_| invalid())?;
    let total = hours * 60 + minutes;
    if minutes >= 60 || total > 24 * 60 {
        return Err(invalid());
    }
    Ok(total)
}

/// Runs a simulation and prints what happened.
///
/// # Errors
/// Invalid options, a server that fails or answers against the API, or a report that does not
/// match what the simulator saw.
pub async fn run(args: SimulateArgs) -> anyhow::Result<()> {
    let config = office::load(args.config.as_deref())?;
    check(&args)?;
    let staffed = staffed_counters(&args, &config)?;
    let categories: Vec<CategoryInfo> = config
        .categories
        .iter()
        .map(|category| CategoryInfo {
            id: category.id.clone(),
            configured_s: f64::from(category.expected_service_s),
            counters: staffed
                .iter()
                .filter(|id| {
                    config
                        .counter(id)
                        .is_some_and(|c| c.categories.contains(&category.id))
                })
                .count(),
        })
        .collect();
    let tz = &config.office.tz;
    // With --url the day is the server's, now, in real time; else the one asked for.
    let connected = match &args.url {
        None => None,
        Some(url) => {
            let token = args
                .token
                .clone()
                .context("--url needs --token (or NUMEREK_TOKEN): an admin token")?;
            let status: numerek_api::Status =
                api::Api::new(url, &token)?.get("/api/v1/status").await?;
            let date: Date = status.office_date;
            Some((url.clone(), token, date))
        }
    };
    let window = match &connected {
        None => Window {
            date: args.date,
            from: args.from,
            to: args.to,
            speed: args.speed,
        },
        Some((_, _, date)) => {
            let now = tz.to_datetime(Timestamp::now());
            let from =
                u32::from(now.hour().unsigned_abs()) * 60 + u32::from(now.minute().unsigned_abs());
            Window {
                date: *date,
                from,
                to: (from + (args.to - args.from)).min(24 * 60),
                speed: 1.0,
            }
        }
    };
    let settings = Settings {
        seed: args.seed,
        weekday: window.date.weekday(),
        from_min: window.from,
        to_min: window.to,
        rates_per_h: rates(&args, &config, &staffed)?,
        priority_share: args.priority_share,
        no_show_share: args.no_show_share,
        service_means_s: config
            .categories
            .iter()
            .map(|c| f64::from(c.expected_service_s) * args.service_scale)
            .collect(),
        service_cv: args.service_cv,
        booked_share: args.booked_share,
        slots: day_slots(&config, window.date, window.from)?,
        checkin_early_s: f64::from(config.office.checkin.early_min) * 60.0,
    };
    let scenario = Scenario::draw(settings, &config);
    if scenario.arrivals.is_empty() {
        bail!(
            "nobody would come: the office issues no tickets on {} {} between {} and {}",
            window.date.strftime("%A"),
            window.date,
            print::clock(window.from),
            print::clock(window.to)
        );
    }

    if args.in_process {
        let origin = local_instant(tz, window.date, window.from)?;
        let staffed = staffed_counters(&args, &config)?;
        let (summary, report) = in_process::play(&in_process::Day {
            config: config.clone(),
            date: window.date,
            origin,
            opening: origin - SignedDuration::from_mins(LEAD_MIN),
            scenario: &scenario,
            categories: &categories,
            staffed: &staffed,
            no_show_wait_s: args.no_show_wait_s,
        })?;
        let outcome = Outcome {
            summary,
            report,
            counters: staffed.len(),
        };
        return finish(&args, &config, &window, &outcome);
    }

    let (server, url, token, origin) = match connected {
        None => {
            let from = local_instant(tz, window.date, window.from)?;
            let start = from - SignedDuration::from_mins(LEAD_MIN);
            let anchor = Timestamp::now();
            let clock = spawn::SimClock {
                start,
                speed: window.speed,
                anchor,
            };
            let server = spawn::spawn(args.config.as_deref(), clock).await?;
            // The real instant of `from`, on the mapping the server's clock shares.
            let real_lead = SignedDuration::from_secs_f64(
                from.duration_since(start).as_secs_f64() / window.speed,
            );
            let until_from = (anchor + real_lead).duration_since(Timestamp::now());
            let origin = tokio::time::Instant::now()
                + std::time::Duration::try_from(until_from).unwrap_or_default();
            let (url, token) = (server.url.clone(), server.token.clone());
            (Some(server), url, token, origin)
        }
        Some((url, token, _)) => (None, url, token, tokio::time::Instant::now()),
    };
    let pace = Pace {
        origin,
        speed: window.speed,
    };
    let from = local_instant(tz, window.date, window.from)?;
    let outcome = simulate(
        &args,
        &config,
        scenario,
        categories,
        (&url, &token),
        pace,
        (window.date, from),
    )
    .await;
    if let Some(server) = server {
        server.stop();
    }
    finish(&args, &config, &window, &outcome?)
}

/// Prints the figures; fails when the report does not match what was seen.
fn finish(
    args: &SimulateArgs,
    config: &OfficeConfig,
    window: &Window,
    outcome: &Outcome,
) -> anyhow::Result<()> {
    if args.json {
        println!("{:#}", print::json(args, config, window, outcome));
    } else {
        print::table(args, config, window, outcome);
    }
    match &outcome.report {
        Ok(()) => Ok(()),
        Err(mismatches) => bail!(
            "the report does not match what the simulator saw ({} differences)",
            mismatches.len()
        ),
    }
}

/// The simulated span: its day, arrivals from `from` to `to` (minutes of the day), at `speed`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// The office day.
    pub date: Date,
    /// When arrivals start, minutes since local midnight.
    pub from: u32,
    /// When arrivals stop.
    pub to: u32,
    /// Simulated seconds per real second.
    pub speed: f64,
}

/// What a run found.
#[derive(Debug)]
pub struct Outcome {
    /// The figures.
    pub summary: observe::Summary,
    /// The report's comparison with them.
    pub report: Result<(), Vec<compare::Mismatch>>,
    /// The counters staffed.
    pub counters: usize,
}

/// Runs the bots against the server at `url` with `token`, then reads and checks the report.
async fn simulate(
    args: &SimulateArgs,
    config: &OfficeConfig,
    scenario: Scenario,
    categories: Vec<CategoryInfo>,
    (url, token): (&str, &str),
    pace: Pace,
    (date, from): (Date, Timestamp),
) -> anyhow::Result<Outcome> {
    let staffed = staffed_counters(args, config)?;
    let api = api::Api::new(url, token)?;
    // The booked visits book before the day starts (by phone, as it were: no public limit).
    // One whose slot cannot be booked (it started while a slow server came up) walks in.
    let mut bookings = Vec::with_capacity(scenario.arrivals.len());
    for arrival in &scenario.arrivals {
        bookings.push(match arrival.slot_s {
            None => None,
            Some(slot_s) => {
                let start = from + SignedDuration::from_secs_f64(slot_s);
                let category = &categories[arrival.category].id;
                api.book(category, start).await?.map(|code| (code, start))
            }
        });
    }
    let day = Arc::new(Day {
        api: api.clone(),
        scenario,
        pace,
        seen: Mutex::new(Observations::new(
            categories.iter().map(|c| c.id.clone()).collect(),
        )),
        categories,
        no_show_wait_s: args.no_show_wait_s,
        arrivals_done: AtomicBool::new(false),
        bookings,
    });
    // Every bot a task; the first failure ends the run (dropping the set stops the others).
    let mut bots = tokio::task::JoinSet::new();
    for id in &staffed {
        let (day, id) = (day.clone(), id.clone());
        bots.spawn(async move { bots::clerk(&day, &id).await });
    }
    let citizens = day.clone();
    bots.spawn(async move { bots::citizens(&citizens).await });
    while let Some(done) = bots.join_next().await {
        done.context("a bot of the simulation failed")??;
    }
    let summary = day.seen.lock().unwrap_or_else(|e| e.into_inner()).summary();
    let report = api
        .get(&format!(
            "/api/v1/reports/summary?from={date}&to={date}&group_by=category"
        ))
        .await
        .context("cannot read the summary report")?;
    Ok(Outcome {
        report: compare::compare(&report, &summary),
        summary,
        counters: staffed.len(),
    })
}

fn check(args: &SimulateArgs) -> anyhow::Result<()> {
    ensure!(
        args.speed.is_finite() && args.speed > 0.0 && args.speed <= 10_000.0,
        "--speed must be above 0 and at most 10000"
    );
    ensure!(args.from < args.to, "--from must be before --to");
    for (name, share) in [
        ("--priority-share", args.priority_share),
        ("--no-show-share", args.no_show_share),
        ("--booked-share", args.booked_share),
    ] {
        ensure!((0.0..=1.0).contains(&share), "{name} must be from 0 to 1");
    }
    ensure!(
        args.load.is_finite() && args.load >= 0.0,
        "--load must be a number of at least 0"
    );
    ensure!(
        args.service_scale.is_finite() && args.service_scale > 0.0,
        "--service-scale must be above 0"
    );
    ensure!(
        args.service_cv.is_finite() && (0.0..=MAX_SERVICE_CV).contains(&args.service_cv),
        "--service-cv must be from 0 to {MAX_SERVICE_CV} (the coefficient of variation of \
         service times: standard deviation / mean)"
    );
    ensure!(
        args.no_show_wait_s.is_finite() && args.no_show_wait_s >= 0.0,
        "--no-show-wait-s must be at least 0"
    );
    Ok(())
}

/// The counters a clerk staffs: those asked for, or all.
fn staffed_counters(args: &SimulateArgs, config: &OfficeConfig) -> anyhow::Result<Vec<String>> {
    if args.counters.is_empty() {
        return Ok(config.counters.iter().map(|c| c.id.clone()).collect());
    }
    for id in &args.counters {
        if config.counter(id).is_none() {
            let known: Vec<&str> = config.counters.iter().map(|c| c.id.as_str()).collect();
            bail!(
                "there is no counter \"{id}\"; the office has {}",
                known.join(", ")
            );
        }
    }
    Ok(args.counters.clone())
}

/// Tickets per hour per category: `--load` of what the staffed counters can serve, or `--rate`.
fn rates(
    args: &SimulateArgs,
    config: &OfficeConfig,
    staffed: &[String],
) -> anyhow::Result<Vec<f64>> {
    let mut rates = rates_for_load(config, staffed, args.load, args.service_scale);
    for rate in &args.rates {
        let (id, per_hour) = rate
            .split_once('=')
            .with_context(|| format!("--rate {rate:?} is not like registration=12"))?;
        let index = config
            .categories
            .iter()
            .position(|c| c.id == id.trim())
            .with_context(|| format!("--rate: there is no category \"{}\"", id.trim()))?;
        let per_hour: f64 = per_hour
            .trim()
            .parse()
            .ok()
            .filter(|r: &f64| r.is_finite() && *r >= 0.0)
            .with_context(|| format!("--rate {rate:?}: the rate is not a number of at least 0"))?;
        rates[index] = per_hour;
    }
    Ok(rates)
}

/// Tickets per hour per category that keep the staffed counters busy `load` of the time: each
/// category gets that share of what the staffed counters serving it can serve at its mean
/// service time (its `expected_service_min` × `service_scale`); a counter serving several
/// categories counts for each in equal parts. A category no staffed counter serves gets none.
pub(crate) fn rates_for_load(
    config: &OfficeConfig,
    staffed: &[String],
    load: f64,
    service_scale: f64,
) -> Vec<f64> {
    config
        .categories
        .iter()
        .map(|category| {
            let share: f64 = staffed
                .iter()
                .filter_map(|id| config.counter(id))
                .filter(|c| c.categories.contains(&category.id))
                .map(|c| 1.0 / c.categories.len() as f64)
                .sum();
            let mean_s = f64::from(category.expected_service_s) * service_scale;
            load * share * 3600.0 / mean_s
        })
        .collect()
}

/// Per category, its slots on `date` in seconds after the local minute `from` (those starting
/// before it left out), and how many visits each takes; none for a category without bookings
/// or on a closed date.
fn day_slots(config: &OfficeConfig, date: Date, from: u32) -> anyhow::Result<Vec<Slots>> {
    let tz = &config.office.tz;
    let from = local_instant(tz, date, from)?;
    Ok(config
        .categories
        .iter()
        .map(|category| match &category.appointments {
            Some(rules) if !config.is_closed_date(date) => Slots {
                starts_s: numerek_core::appointment::slots::slot_starts(rules, tz, date)
                    .into_iter()
                    .map(|start| start.duration_since(from).as_secs_f64())
                    .filter(|offset| *offset >= 0.0)
                    .collect(),
                per_slot: rules.per_slot,
            },
            _ => Slots::default(),
        })
        .collect())
}

/// The instant of a local wall-clock minute on an office day.
fn local_instant(tz: &jiff::tz::TimeZone, date: Date, minute: u32) -> anyhow::Result<Timestamp> {
    let midnight = date.at(0, 0, 0, 0);
    let local = midnight
        .checked_add(SignedDuration::from_mins(i64::from(minute)))
        .context("the time is out of range")?;
    Ok(tz.to_ambiguous_timestamp(local).compatible()?)
}
