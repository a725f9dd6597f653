//! The command line, as `numerek --help` shows it to an office's IT person.

use clap::{Args, Parser, Subcommand};
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
    /// Create, list or revoke access tokens (only while the server is stopped; a running
    /// server manages tokens through its admin API).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check an office configuration file and say what is wrong, with the line.
    CheckConfig {
        /// The TOML file to check.
        file: PathBuf,
    },
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
        /// The token's id.
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
            },
        }
    }
}
