//! `numerek serve`: open the store, make first tokens if there are none, serve until stopped.

use crate::cli::ServeArgs;
use crate::office;
use anyhow::Context;
use numerek_core::OfficeConfig;
use numerek_core::opening::{OfficeHoursNow, office_hours_now};
use numerek_server::AppState;
use numerek_store::{Clock, Role, SimulatedClock, Store, StoreOptions, SystemClock};
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio::net::TcpListener;

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
    let opened = Opened::open(config, &args.office.data_dir, clock(&args), args.listen).await?;
    println!("{}", opened.start_line());
    if opened.state.store.tokens().is_empty() {
        create_first_tokens(&opened.state, &opened.base, None).await?;
    }
    let shutdown = shutdown_signal();
    println!("numerek: ready; stop with Ctrl-C");
    opened.serve(shutdown, args.max_feed_clients).await
}

/// An office whose store is open and whose address is bound, not serving yet.
#[derive(Debug)]
pub struct Opened {
    /// The server's state, store included.
    pub state: Arc<AppState>,
    /// The URL people open, like `http://127.0.0.1:8080` (no slash at the end).
    pub base: String,
    listener: TcpListener,
}

impl Opened {
    /// Opens the store of `config` in `data_dir` on `clock` and binds `listen`.
    ///
    /// # Errors
    /// When the data directory cannot be opened (another server uses it, no permission) or the
    /// address cannot be bound.
    pub async fn open(
        config: Arc<OfficeConfig>,
        data_dir: &Path,
        clock: Arc<dyn Clock>,
        listen: SocketAddr,
    ) -> anyhow::Result<Self> {
        let store = Store::open(StoreOptions::new(
            data_dir.to_path_buf(),
            config.clone(),
            clock,
        ))
        .with_context(|| format!("cannot open the data directory {}", data_dir.display()))?;
        let state = AppState::new(Arc::new(store));
        let listener = TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let address = listener.local_addr()?;
        let base = base_url(address);
        tracing::info!(%address, office = %config.office.id, data_dir = %data_dir.display(), "serving");
        Ok(Self {
            state,
            base,
            listener,
        })
    }

    /// The first line people read: the office, its address, and whether it issues tickets now
    /// (by its hours, on the server's clock) or when it opens.
    pub fn start_line(&self) -> String {
        let config = self.state.store.config();
        let name = &config.office.name;
        let base = &self.base;
        match office_hours_now(config, self.state.store.clock().now()) {
            OfficeHoursNow::Open => format!("numerek: {name} is open at {base}/"),
            OfficeHoursNow::Closed { opens: Some(opens) } => {
                format!("numerek: {name} at {base}/ is closed now, opens {opens:#}")
            }
            OfficeHoursNow::Closed { opens: None } => {
                format!("numerek: {name} at {base}/ is closed now: no category has issuing hours")
            }
        }
    }

    /// Serves until `shutdown` completes, then shuts down gracefully and closes the store.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
        max_feed_clients: usize,
    ) -> anyhow::Result<()> {
        let options = numerek_server::ServeOptions {
            max_feed_clients,
            ..numerek_server::ServeOptions::default()
        };
        numerek_server::listen::serve(self.listener, self.state, shutdown, options)
            .await
            .context("the server failed")?;
        tracing::info!("stopped");
        Ok(())
    }
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

/// On the first start, makes one token per role and prints them with the pages they open
/// (the clerk's link opens `counter` when given).
pub async fn create_first_tokens(
    state: &AppState,
    base: &str,
    counter: Option<&str>,
) -> anyhow::Result<()> {
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
            let counter = match (role, counter) {
                (Role::Clerk, Some(counter)) => format!("&counter={counter}"),
                _ => String::new(),
            };
            println!("           {base}/{page}/#token={}{counter}", token.secret);
        }
    }
    println!("  display  {base}/display/   (no token needed)");
    println!();
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM. The signals are caught from the moment this is called, not
/// from its first poll: a SIGTERM right after "ready" stops the server cleanly instead of
/// killing it before it serves. Call it inside the runtime.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{Signal, SignalKind, signal};
        async fn received(signal: Option<Signal>) {
            match signal {
                Some(mut signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
        let interrupt = signal(SignalKind::interrupt()).ok();
        let terminate = signal(SignalKind::terminate()).ok();
        async move {
            tokio::select! {
                () = received(interrupt) => {},
                () = received(terminate) => {},
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
