//! `numerek token create|list|revoke`: token administration with the server stopped.

use crate::cli::{OfficeArgs, TokenCommand};
use crate::office;
use anyhow::{Context, bail};
use jiff::Timestamp;
use numerek_core::day::office_date;
use numerek_store::persist::{self, Batch};
use numerek_store::{NewToken, Role};

/// Runs a token subcommand.
pub fn run(command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create {
            role,
            label,
            counter,
            office,
        } => create(&office, &role, label, counter),
        TokenCommand::List { office } => list(&office),
        TokenCommand::Revoke { id, office } => revoke(&office, &id),
    }
}

fn open(args: &OfficeArgs) -> anyhow::Result<redb::Database> {
    let config = office::load(args.config.as_deref())?;
    let today = office_date(&config.office.tz, Timestamp::now());
    persist::open_database(&args.data_dir, today)
        .with_context(|| format!("cannot open the data directory {}", args.data_dir.display()))
}

fn create(
    args: &OfficeArgs,
    role: &str,
    label: Option<String>,
    counter: Option<String>,
) -> anyhow::Result<()> {
    let role: Role = role.parse()?;
    if let Some(counter) = &counter {
        if role != Role::Clerk {
            bail!("only clerk tokens can be bound to a counter");
        }
        let config = office::load(args.config.as_deref())?;
        if config.counter(counter).is_none() {
            let known: Vec<&str> = config.counters.iter().map(|c| c.id.as_str()).collect();
            bail!(
                "there is no counter \"{counter}\"; the office has {}",
                known.join(", ")
            );
        }
    }
    let db = open(args)?;
    let token = NewToken::generate(role, label, counter, Timestamp::now())
        .context("the system has no randomness to make a token")?;
    persist::write_batch(
        &db,
        &Batch {
            new_tokens: vec![token.record.clone()],
            ..Batch::default()
        },
    )?;
    println!(
        "Created a {} token (id {}). Keep it secret; it is shown only now:",
        token.record.role, token.record.id
    );
    println!("{}", token.secret);
    Ok(())
}

fn list(args: &OfficeArgs) -> anyhow::Result<()> {
    let db = open(args)?;
    let tokens = persist::load_tokens(&db)?;
    if tokens.is_empty() {
        println!("No tokens.");
    }
    for t in tokens {
        println!(
            "{:<14} {:<8} counter={:<4} created={} label={}",
            t.id,
            t.role,
            t.counter.as_deref().unwrap_or("-"),
            t.created_at,
            t.label.as_deref().unwrap_or("")
        );
    }
    Ok(())
}

fn revoke(args: &OfficeArgs, id: &str) -> anyhow::Result<()> {
    let db = open(args)?;
    if !persist::load_tokens(&db)?.iter().any(|t| t.id == id) {
        bail!("there is no token with id {id}; see `numerek token list`");
    }
    persist::write_batch(
        &db,
        &Batch {
            revoked_tokens: vec![id.to_owned()],
            ..Batch::default()
        },
    )?;
    println!("Revoked token {id}.");
    Ok(())
}
