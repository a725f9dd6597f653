//! The command line, as `numerek --help` shows it to an office's IT person.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

/// numerek: queue tickets, counters and waiting-room displays for a public office.
///
/// Run `numerek serve` (or just `numerek`) to open the office: the kiosk, lobby display, counter
/// and mobile ticket pages are served by this one program. The first start prints one access
/// token per role with ready-to-open links.
#[derive(Debug, Parser)]
#[command(name = "numerek", version, about, long_about)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the office: the HTTP API, the WebSocket feed and the web pages.
    Serve(ServeArgs),
    /// Show numerek at work, any day and hour: the example office open around the clock, with
    /// simulated citizens taking tickets and clerk bots calling them at the pace of a real
    /// office, one counter left for you, every page marked "demo". Its data lives in a temporary
    /// directory removed at exit (unless --data-dir is given).
    Demo(DemoArgs),
    /// Create, list or revoke access tokens (only while the server is stopped; a running
    /// server manages tokens through its admin API).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check an office configuration file and say what is wrong, with the line.
    CheckConfig {
        /// The TOML file to check.
        file: PathBuf,
    },
    /// Print the summary report (waits, service times, service level) of a range of days, as a
    /// table, CSV or JSON. Reads the data directory while the server is stopped; with --url it
    /// asks a running server instead.
    Report(ReportArgs),
    /// Measure this machine: durable ticket issuing, call-to-screen latency over many
    /// WebSocket clients, memory of idle sockets, start-up and reports over a year of history.
    /// Starts its own server on 127.0.0.1 with a temporary data directory.
    Bench(BenchArgs),
    /// Simulate an office day: random arrivals and clerk bots against a real numerek server,
    /// then the waits, how far the wait estimates were off next to a naive baseline, and
    /// whether the summary report tells the same.
    ///
    /// It runs a server of its own: this program, on 127.0.0.1 with a port the system picks, a
    /// temporary data directory (deleted afterwards) and a clock running --speed times real
    /// time through the simulated --date, --from to --to. No running server, data directory or
    /// port of yours is touched, and nothing else is needed.
    ///
    /// --url (with --token, an admin token) drives the server running at that address instead,
    /// in real time: the day is that server's today, from now on, for as long as --from to --to
    /// (--date and --speed do not apply), and --config should be that server's office file (it
    /// gives the arrival rates). The tickets are real tickets of that server's day; its report
    /// matches the simulation only when nobody else uses it that day.
    Simulate(crate::simulate::SimulateArgs),
    /// Write a consistent copy of the database to a file: from a running server (--url, with an
    /// admin token), or from the data directory while the server is stopped. To restore, stop
    /// the server, put the file in place as DATA_DIR/numerek.redb and start it.
    Backup(BackupArgs),
}

/// `numerek backup`.
#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The file to write (replaced only once the new copy is complete and checked).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Ask the server running at this address (e.g. http://127.0.0.1:8080) instead of reading
    /// the data directory.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// With --url: an admin token.
    #[arg(
        long,
        env = "NUMEREK_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Without --url: the data directory of the stopped server.
    #[arg(
        long,
        env = "NUMEREK_DATA_DIR",
        value_name = "DIR",
        default_value = "./data"
    )]
    pub data_dir: PathBuf,
}

/// `numerek bench`.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// A smoke run of a few seconds with tiny numbers (CI runs this so the benchmark never rots;
    /// its figures mean nothing).
    #[arg(long)]
    pub quick: bool,
    /// Concurrent HTTP clients issuing tickets (and calling the trivial route).
    #[arg(long, default_value_t = 64)]
    pub clients: usize,
    /// How long each HTTP load runs, in seconds.
    #[arg(long, default_value_t = 10.0)]
    pub duration_s: f64,
    /// WebSocket feed clients connected while a clerk calls.
    #[arg(long, default_value_t = 5000)]
    pub ws_clients: usize,
    /// How many calls the clerk makes.
    #[arg(long, default_value_t = 100)]
    pub calls: usize,
    /// Idle WebSocket clients whose memory is measured.
    #[arg(long, default_value_t = 10_000)]
    pub idle: usize,
    /// Tickets of history (a year of working days) for the start-up and report figures; 0 skips.
    #[arg(long, default_value_t = 1_000_000)]
    pub history: u64,
    /// Where to write the figures as JSON.
    #[arg(long, value_name = "FILE", default_value = "bench.json")]
    pub json: PathBuf,
}

/// `numerek report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// The first office day, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// The last office day, YYYY-MM-DD (default: the first). At most 366 days in all.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// One row per category, counter, day or hour of issue.
    #[arg(long, value_enum, default_value = "category")]
    pub group_by: GroupByArg,
    /// How to print it.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// The staffing advisor instead of the summary: per category, weekday and hour, counters
    /// staffed against counters needed by the Erlang C model (docs/reports.md, Staffing).
    /// --group-by does not apply.
    #[arg(long)]
    pub staffing: bool,
    /// With --staffing: the share of waits to keep within each category's target, in percent
    /// (above 0, below 100).
    #[arg(
        long,
        value_name = "PERCENT",
        default_value = "80",
        requires = "staffing"
    )]
    pub target_pct: f64,
    /// Ask the server running at this address (e.g. http://127.0.0.1:8080) instead of reading
    /// the data directory.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// With --url: a manager or admin token.
    #[arg(
        long,
        env = "NUMEREK_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Configuration file and data directory (without --url).
    #[command(flatten)]
    pub office: OfficeArgs,
}

/// The grouping of a report's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupByArg {
    /// The category a ticket was issued in.
    Category,
    /// The counter of a ticket's last call.
    Counter,
    /// The office day of issue.
    Day,
    /// The local hour of issue.
    Hour,
}

impl From<GroupByArg> for numerek_api::GroupBy {
    fn from(value: GroupByArg) -> Self {
        match value {
            GroupByArg::Category => Self::Category,
            GroupByArg::Counter => Self::Counter,
            GroupByArg::Day => Self::Day,
            GroupByArg::Hour => Self::Hour,
        }
    }
}

impl From<GroupByArg> for numerek_core::report::GroupBy {
    fn from(value: GroupByArg) -> Self {
        match value {
            GroupByArg::Category => Self::Category,
            GroupByArg::Counter => Self::Counter,
            GroupByArg::Day => Self::Day,
            GroupByArg::Hour => Self::Hour,
        }
    }
}

/// How `numerek report` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Aligned columns for people.
    Table,
    /// The API's CSV.
    Csv,
    /// The API's JSON.
    Json,
}

/// Where the office's configuration and data live.
#[derive(Debug, Clone, Args)]
pub struct OfficeArgs {
    /// The office configuration file (TOML). Without it, the example office built into the
    /// program runs.
    #[arg(long, env = "NUMEREK_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The directory holding the database (created if missing).
    #[arg(
        long,
        env = "NUMEREK_DATA_DIR",
        value_name = "DIR",
        default_value = "./data"
    )]
    pub data_dir: PathBuf,
}

/// `numerek serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Configuration file and data directory.
    #[command(flatten)]
    pub office: OfficeArgs,
    /// The address and port to listen on. Use 0.0.0.0:8080 to serve the office network.
    #[arg(
        long,
        env = "NUMEREK_LISTEN",
        value_name = "ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub listen: SocketAddr,
    /// Log lines as JSON instead of text (for journald or a log collector).
    #[arg(long)]
    pub log_json: bool,
    /// The most WebSocket feed clients (lobby screens, counter PCs, phones) at once; more are
    /// refused with 503 until some leave. Each needs an open file: keep the process's open-file
    /// limit above this.
    #[arg(
        long,
        env = "NUMEREK_MAX_FEED_CLIENTS",
        value_name = "N",
        default_value_t = numerek_server::hub::MAX_FEED_CLIENTS
    )]
    pub max_feed_clients: usize,
    /// A simulated clock, for `numerek simulate` only.
    #[command(flatten)]
    pub sim_clock: SimClockArgs,
}

/// `numerek demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// The address and port to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Keep the demo's data in this directory (created if missing) instead of a temporary one
    /// removed at exit. Never the data directory of a real office: the demo's bots get tokens
    /// of their own there.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A quiet office: no simulated citizens and no clerk bots; take and call tickets yourself.
    #[arg(long)]
    pub no_traffic: bool,
    /// How many times faster than in a real office the simulated citizens come and the clerk
    /// bots serve (1: real time; more for tests and a quick look). The office's clock stays
    /// real.
    #[arg(long, value_name = "N", default_value_t = 1.0)]
    pub traffic_speed: f64,
    /// The seed of the simulated arrivals and service times (default: a new one each run).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

/// A simulated clock for `numerek serve`: never for a real office. `numerek simulate` starts its
/// server with these so that a simulated day passes in minutes (see `docs/estimation.md`).
#[derive(Debug, Clone, Default, Args)]
pub struct SimClockArgs {
    /// Run on a simulated clock standing at this instant (RFC 3339) at the anchor.
    #[arg(long, value_name = "RFC3339", hide = true)]
    pub sim_clock_start: Option<jiff::Timestamp>,
    /// Simulated seconds per real second of the simulated clock.
    #[arg(long, value_name = "N", requires = "sim_clock_start", hide = true)]
    pub sim_clock_speed: Option<f64>,
    /// The real instant (RFC 3339) at which the simulated clock stands at its start (default:
    /// when the server starts).
    #[arg(
        long,
        value_name = "RFC3339",
        requires = "sim_clock_start",
        hide = true
    )]
    pub sim_clock_anchor: Option<jiff::Timestamp>,
}

/// `numerek token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it (the secret is shown only this once, on the last line).
    Create {
        /// kiosk, clerk, manager or admin.
        #[arg(long)]
        role: String,
        /// Where the token is used, e.g. "kiosk at the entrance".
        #[arg(long)]
        label: Option<String>,
        /// For a clerk token: the only counter it may work.
        #[arg(long)]
        counter: Option<String>,
        /// Configuration file and data directory.
        #[command(flatten)]
        office: OfficeArgs,
    },
    /// List tokens (never their secrets).
    List {
        /// Configuration file and data directory.
        #[command(flatten)]
        office: OfficeArgs,
    },
    /// Revoke a token by its id (see `token list`).
    Revoke {
        /// The token's id. Ids are random and may begin with `-`, which is taken as part of the
        /// id here, not as an option.
        #[arg(allow_hyphen_values = true)]
        id: String,
        /// Configuration file and data directory.
        #[command(flatten)]
        office: OfficeArgs,
    },
}

impl Default for ServeArgs {
    fn default() -> Self {
        // The same defaults clap applies, for `numerek` without a subcommand.
        match Cli::try_parse_from(["numerek", "serve"]).map(|cli| cli.command) {
            Ok(Some(Command::Serve(args))) => args,
            _ => Self {
                office: OfficeArgs {
                    config: None,
                    data_dir: PathBuf::from("./data"),
                },
                listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
                log_json: false,
                max_feed_clients: numerek_server::hub::MAX_FEED_CLIENTS,
                sim_clock: SimClockArgs::default(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Cli, Command, TokenCommand};
    use clap::Parser;

    /// A token id is nine random bytes in URL-safe base64, so one in 64 begins with `-`.
    #[test]
    fn a_token_id_may_begin_with_a_hyphen() {
        let cli = Cli::try_parse_from([
            "numerek",
            "token",
            "revoke",
            "-yQ3k_a1b2c3d",
            "--data-dir",
            "d",
        ])
        .expect("the id is taken as an id");
        match cli.command {
            Some(Command::Token(TokenCommand::Revoke { id, office })) => {
                assert_eq!(id, "-yQ3k_a1b2c3d");
                assert_eq!(office.data_dir.to_str(), Some("d"));
            }
            other => panic!("parsed as {other:?}"),
        }
    }
}
