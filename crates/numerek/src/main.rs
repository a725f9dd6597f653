//! The `numerek` program: the command line around the server and the store.

mod backup;
mod bench;
mod child;
mod cli;
mod demo;
mod office;
mod report;
mod serve;
mod simulate;
mod token;

use clap::Parser;

/// The memory allocator: mimalloc rather than the C library's. The server allocates and frees
/// small objects on several threads at once (requests, tickets, events, answers); glibc's
/// malloc took a sixth of the server's time under load (`docs/performance.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use cli::{Cli, Command, ServeArgs};
use std::process::ExitCode;

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("NUMEREK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only on a terminal: the journal and log files get plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn check_config(file: &std::path::Path) -> anyhow::Result<()> {
    let config = office::load(Some(file))?;
    println!(
        "{}: valid. Office \"{}\" ({}), {} categories, {} counters, languages {}.",
        file.display(),
        config.office.name,
        config.office.timezone,
        config.categories.len(),
        config.counters.len(),
        config.office.languages.join(", ")
    );
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli
        .command
        .unwrap_or_else(|| Command::Serve(ServeArgs::default()))
    {
        Command::Serve(args) => {
            init_logging(args.log_json);
            tokio::runtime::Runtime::new()
                .map_err(anyhow::Error::from)
                .and_then(|runtime| runtime.block_on(serve::run(args)))
        }
        Command::Demo(args) => {
            init_logging(false);
            tokio::runtime::Runtime::new()
                .map_err(anyhow::Error::from)
                .and_then(|runtime| runtime.block_on(demo::run(args)))
        }
        Command::Token(command) => token::run(command),
        Command::CheckConfig { file } => check_config(&file),
        Command::Report(args) => report::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Backup(args) => backup::run(&args),
        Command::Simulate(args) => tokio::runtime::Runtime::new()
            .map_err(anyhow::Error::from)
            .and_then(|runtime| runtime.block_on(simulate::run(args))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
