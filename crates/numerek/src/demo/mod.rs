//! `numerek demo`: numerek at work on any day and at any hour, for someone who has just built it.
//!
//! It serves the example office built into the program with the whole week as its hours
//! ([`office`]), marked as a demo (`office.demo` in `GET /api/v1/office`: every page says so),
//! with simulated citizens and clerk bots at work ([`traffic`]) on every counter but one, which
//! is left for the person trying it. Its data lives in a temporary directory removed at exit,
//! unless `--data-dir` is given.
//!
//! # Layout
//! - [`office`]: the demo's office and the person's counter.
//! - [`traffic`]: the simulated citizens and clerk bots.

mod office;
mod traffic;

use crate::cli::DemoArgs;
use crate::serve::{Opened, create_first_tokens, shutdown_signal};
use anyhow::{Context, ensure};
use numerek_core::config::CounterConfig;
use numerek_core::{Command, CounterAction, CounterState, OfficeConfig};
use numerek_store::{Role, SystemClock};
use std::path::PathBuf;
use std::sync::Arc;
use traffic::Crew;

/// The labels of the bots' tokens begin with this; a demo on a kept data directory revokes the
/// previous run's bot tokens by it.
const BOT_LABEL: &str = "numerek demo bot: ";

/// The fastest `--traffic-speed`.
const MAX_TRAFFIC_SPEED: f64 = 1000.0;

/// Runs the demo until Ctrl-C or SIGTERM, then removes its temporary data directory.
///
/// # Errors
/// Invalid options, a data directory or address that cannot be used, or a server that fails.
pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    ensure!(
        args.traffic_speed.is_finite()
            && args.traffic_speed > 0.0
            && args.traffic_speed <= MAX_TRAFFIC_SPEED,
        "--traffic-speed must be above 0 and at most {MAX_TRAFFIC_SPEED}"
    );
    let config = office::demo_office()?;
    let own = office::own_counter(&config)?.clone();
    // Declared first, so it is removed last: after the store has let go of its files.
    let temporary = match &args.data_dir {
        Some(_) => None,
        None => Some(
            tempfile::Builder::new()
                .prefix("numerek-demo-")
                .tempdir()
                .context("cannot make a temporary data directory")?,
        ),
    };
    let data_dir: PathBuf = match (&args.data_dir, &temporary) {
        (Some(dir), _) => dir.clone(),
        (None, Some(temporary)) => temporary.path().to_path_buf(),
        (None, None) => unreachable!("a temporary directory is made without --data-dir"),
    };
    let opened = Opened::open(
        config.clone(),
        &data_dir,
        Arc::new(SystemClock),
        args.listen,
    )
    .await?;
    println!("{} (demo)", opened.start_line());
    match &temporary {
        Some(_) => println!(
            "numerek demo: data in {} (removed at exit)",
            data_dir.display()
        ),
        None => println!("numerek demo: data in {}", data_dir.display()),
    }
    revoke_bot_tokens(&opened).await?;
    send_earlier_bots_home(&opened, &own).await?;
    if opened.state.store.tokens().is_empty() {
        create_first_tokens(&opened.state, &opened.base, Some(&own.id)).await?;
    } else {
        println!(
            "The tokens printed at the first start of {} still work (counter {} is yours: \
             {}/counter/#token=…&counter={}).",
            data_dir.display(),
            own.id,
            opened.base,
            own.id
        );
    }
    let traffic = if args.no_traffic {
        println!(
            "Demo without traffic: nobody else takes or calls tickets. Take them at the kiosk and \
             call them at any counter."
        );
        None
    } else {
        let crew = hire_bots(&opened, &config, &own).await?;
        let seed = args
            .seed
            .unwrap_or_else(|| jiff::Timestamp::now().as_nanosecond().unsigned_abs() as u64);
        let tasks = traffic::start(&config, &crew, seed, args.traffic_speed)?;
        let counters: Vec<&str> = crew.clerks.iter().map(|(id, _)| id.as_str()).collect();
        let pace = if args.traffic_speed == 1.0 {
            "at the pace of a real office".to_owned()
        } else {
            format!("{} times as fast as in a real office", args.traffic_speed)
        };
        println!(
            "Demo: simulated citizens take tickets and clerk bots call them at counters {}, {pace}.",
            counters.join(", ")
        );
        Some((tasks, crew))
    };
    println!("{}", own_counter_text(&config, &own));
    println!(
        "The office issues tickets around the clock; `numerek serve` runs it with its real hours."
    );
    let signal = shutdown_signal();
    println!("numerek: ready; stop with Ctrl-C");
    let shutdown = async move {
        signal.await;
        // The bots stop first, so that none is cut off by the server going away.
        if let Some((mut tasks, crew)) = traffic {
            tasks.shutdown().await;
            traffic::send_home(&crew).await;
        }
    };
    opened
        .serve(shutdown, numerek_server::hub::MAX_FEED_CLIENTS)
        .await?;
    if let Some(temporary) = temporary {
        let path = temporary.path().to_path_buf();
        temporary
            .close()
            .with_context(|| format!("cannot remove the demo's data in {}", path.display()))?;
    }
    Ok(())
}

/// What the person is told about their counter.
fn own_counter_text(config: &OfficeConfig, own: &CounterConfig) -> String {
    let language = config.default_language();
    let name = |text: &numerek_core::config::LocalizedText| {
        text.get(language).cloned().unwrap_or_default()
    };
    let categories: Vec<String> = own
        .categories
        .iter()
        .filter_map(|id| config.category(id))
        .map(|c| format!("\"{}\" ({})", name(&c.name), c.prefix))
        .collect();
    format!(
        "Counter {} ({}) is yours: take a ticket for {} at the kiosk and call it from the counter \
         page (the clerk link above opens counter {}). No bot takes or calls those tickets.",
        own.id,
        name(&own.name),
        categories.join(" or "),
        own.id
    )
}

/// Revokes the bot tokens a previous demo left in a kept data directory.
async fn revoke_bot_tokens(opened: &Opened) -> anyhow::Result<()> {
    let store = &opened.state.store;
    for token in store.tokens() {
        if token
            .label
            .as_deref()
            .is_some_and(|label| label.starts_with(BOT_LABEL))
        {
            store
                .revoke_token(token.id)
                .await
                .map_err(|e| anyhow::anyhow!("cannot revoke an old bot token: {e}"))?;
        }
    }
    Ok(())
}

/// Finishes the tickets and closes the counters that an earlier demo's bots left in a kept data
/// directory: nobody works them any more. (The bots go home at exit too, but a request a bot
/// sent just before the stop may still be answered after its counter was closed, and reopen it.)
async fn send_earlier_bots_home(opened: &Opened, own: &CounterConfig) -> anyhow::Result<()> {
    let store = &opened.state.store;
    let left: Vec<(String, bool)> = {
        let office = store.office();
        store
            .config()
            .counters
            .iter()
            .filter(|counter| counter.id != own.id)
            .filter_map(|counter| {
                let status = office.counter_status(&counter.id)?;
                (status.state != CounterState::Closed || status.current.is_some())
                    .then(|| (counter.id.clone(), status.current.is_some()))
            })
            .collect()
    };
    for (counter, holds_a_ticket) in left {
        let mut actions = vec![CounterAction::Close];
        if holds_a_ticket {
            actions.insert(0, CounterAction::Finish);
        }
        for action in actions {
            store
                .execute(Command::Counter {
                    counter: counter.clone(),
                    action,
                })
                .await
                .map_err(|e| anyhow::anyhow!("cannot close counter {counter}: {e}"))?;
        }
    }
    Ok(())
}

/// Makes the bots' tokens: a kiosk token for the citizens, and for every counter but the
/// person's a clerk token bound to it.
async fn hire_bots(
    opened: &Opened,
    config: &OfficeConfig,
    own: &CounterConfig,
) -> anyhow::Result<Crew> {
    let store = &opened.state.store;
    let stored = |e| anyhow::anyhow!("cannot store the bots' tokens: {e}");
    let kiosk = store
        .create_token(
            Role::Kiosk,
            Some(format!("{BOT_LABEL}simulated citizens")),
            None,
        )
        .await
        .map_err(stored)?;
    let mut clerks = Vec::new();
    for counter in config.counters.iter().filter(|c| c.id != own.id) {
        let token = store
            .create_token(
                Role::Clerk,
                Some(format!("{BOT_LABEL}clerk at counter {}", counter.id)),
                Some(counter.id.clone()),
            )
            .await
            .map_err(stored)?;
        clerks.push((counter.id.clone(), token.secret));
    }
    Ok(Crew {
        base: opened.base.clone(),
        kiosk_token: kiosk.secret,
        clerks,
    })
}
