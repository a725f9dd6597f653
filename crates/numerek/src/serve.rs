//! `numerek serve`: open the store, make first tokens if there are none, serve until stopped.

use crate::cli::ServeArgs;
use crate::office;
use anyhow::Context;
use numerek_server::AppState;
use numerek_store::{Clock, Role, SimulatedClock, Store, StoreOptions, SystemClock};
use std::net::SocketAddr;
use std::sync::Arc;

/// Runs the office until Ctrl-C or SIGTERM.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    // Every connection is an open file: as many as the system allows, a tenth kept free.
    match numerek_server::fdlimit::raise_open_file_limit() {
        Ok(limit) => tracing::info!(
            open_files = limit,
            connections = numerek_server::fdlimit::connection_budget(limit),
            "open-file limit"
        ),
        Err(error) => tracing::warn!(
            %error,
            open_files = numerek_server::fdlimit::open_file_limit(),
            "cannot raise the open-file limit"
        ),
    }
    let config = office::load(args.office.config.as_deref())?;
    let data_dir = args.office.data_dir.clone();
    let store = Store::open(StoreOptions::new(
        data_dir.clone(),
        config.clone(),
        clock(&args),
    ))
    .with_context(|| format!("cannot open the data directory {}", data_dir.display()))?;
    let state = AppState::new(Arc::new(store));
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    let base = base_url(address);
    tracing::info!(%address, office = %config.office.id, data_dir = %data_dir.display(), "serving");
    println!("numerek: {} is open at {base}/", config.office.name);
    if state.store.tokens().is_empty() {
        create_first_tokens(&state, &base).await?;
    }
    println!("numerek: ready; stop with Ctrl-C");
    let options = numerek_server::ServeOptions {
        max_feed_clients: args.max_feed_clients,
        ..numerek_server::ServeOptions::default()
    };
    numerek_server::listen::serve(listener, state, shutdown_signal(), options)
        .await
        .context("the server failed")?;
    tracing::info!("stopped");
    Ok(())
}

/// The system clock, or for `numerek simulate` a simulated one.
fn clock(args: &ServeArgs) -> Arc<dyn Clock> {
    let sim = &args.sim_clock;
    match sim.sim_clock_start {
        None => Arc::new(SystemClock),
        Some(start) => {
            let speed = sim.sim_clock_speed.unwrap_or(1.0);
            tracing::warn!(%start, speed, "running on a simulated clock: for simulations only");
            let anchor = sim.sim_clock_anchor.unwrap_or_else(jiff::Timestamp::now);
            Arc::new(SimulatedClock::anchored(start, speed, anchor))
        }
    }
}

/// The URL people open: a wildcard address is shown as 127.0.0.1 (this machine).
fn base_url(address: SocketAddr) -> String {
    let host = if address.ip().is_unspecified() {
        "127.0.0.1".to_owned()
    } else if address.is_ipv6() {
        format!("[{}]", address.ip())
    } else {
        address.ip().to_string()
    };
    format!("http://{host}:{}", address.port())
}

/// On the first start, makes one token per role and prints them with the pages they open.
async fn create_first_tokens(state: &AppState, base: &str) -> anyhow::Result<()> {
    println!();
    println!("First start: one access token per role was created. They are shown only now;");
    println!("keep them safe (`numerek token create` makes more while the server is stopped).");
    for role in Role::ALL {
        let label = Some(format!("created at first start ({role})"));
        let token = state
            .store
            .create_token(role, label, None)
            .await
            .map_err(|e| anyhow::anyhow!("cannot store the first tokens: {e}"))?;
        println!("  {:<8} {}", role.as_str(), token.secret);
        let page = match role {
            Role::Kiosk => Some("kiosk"),
            Role::Clerk => Some("counter"),
            Role::Manager => Some("reports"),
            Role::Admin => None,
        };
        if let Some(page) = page {
            println!("           {base}/{page}/#token={}", token.secret);
        }
    }
    println!("  display  {base}/display/   (no token needed)");
    println!();
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
