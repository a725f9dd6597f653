//! `numerek token create|list|revoke`: token administration with the server stopped. While the
//! server runs, its data directory is its alone and tokens go through its admin API
//! (`/api/v1/admin/tokens`); the commands then say so, with the request to send.

use crate::cli::{OfficeArgs, TokenCommand};
use crate::office;
use anyhow::{Context, bail};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use numerek_api::CreateTokenRequest;
use numerek_store::{OfflineError, OfflineStore, Role, TokenRecord};

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

/// Opens the database of a stopped server. When the server runs, fails with `instead`: what to
/// do through its admin API.
fn open(args: &OfficeArgs, instead: &str) -> anyhow::Result<OfflineStore> {
    let config = office::load(args.config.as_deref())?;
    match OfflineStore::open(&args.data_dir, config, Timestamp::now()) {
        Ok(store) => Ok(store),
        Err(OfflineError::ServerRunning(_)) => bail!(
            "the server is running on the data directory {}, which is its alone while it runs.\n\
             {instead}",
            args.data_dir.display()
        ),
        Err(error) => Err(error)
            .with_context(|| format!("cannot open the data directory {}", args.data_dir.display())),
    }
}

/// What to tell someone who wants to manage tokens while the server runs: the admin API, with
/// a curl command that does what they asked (`curl_options` and `path`), to adapt to the
/// server's address, and `note` on its answer.
fn through_the_api(what: &str, curl_options: &str, path: &str, note: &str) -> String {
    format!(
        "{what} through its admin API instead, with an admin token (and the server's \
         address):\n\n  \
         curl -s -H \"Authorization: Bearer $ADMIN_TOKEN\" {curl_options}http://127.0.0.1:8080{path}\n\n\
         {note}The admin API is in docs/api.md; or stop the server and run this command again."
    )
}

/// `text` as one argument of a POSIX shell, in single quotes.
fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
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
    let body = CreateTokenRequest {
        role: role.as_str().to_owned(),
        label: label.clone(),
        counter: counter.clone(),
    };
    let instead = through_the_api(
        "Create the token",
        &format!(
            "-H \"Content-Type: application/json\" \\\n    -d {} ",
            shell_quoted(&serde_json::to_string(&body)?)
        ),
        "/api/v1/admin/tokens",
        "Its answer holds the secret (\"token\"), shown only then. ",
    );
    let token = open(args, &instead)?.create_token(role, label, counter, Timestamp::now())?;
    println!(
        "Created a {} token (id {}). Keep it secret; it is shown only now:",
        token.record.role, token.record.id
    );
    println!("{}", token.secret);
    Ok(())
}

fn list(args: &OfficeArgs) -> anyhow::Result<()> {
    let config = office::load(args.config.as_deref())?;
    let instead = through_the_api("List the tokens", "", "/api/v1/admin/tokens", "");
    let tokens = open(args, &instead)?.tokens()?;
    if tokens.is_empty() {
        println!("No tokens.");
    } else {
        print!("{}", table(&tokens, &config.office.tz));
    }
    Ok(())
}

/// The tokens as a table: a header, then one line per token, each column as wide as its
/// widest entry, so that the columns line up whatever the ids, counters and labels; the label
/// comes last. Times are the office's local time.
fn table(tokens: &[TokenRecord], tz: &TimeZone) -> String {
    let rows: Vec<[String; 5]> = tokens
        .iter()
        .map(|token| {
            [
                token.id.clone(),
                token.role.as_str().to_owned(),
                token.counter.clone().unwrap_or_else(|| "-".to_owned()),
                tz.to_datetime(token.created_at)
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string(),
                token.label.clone().unwrap_or_default(),
            ]
            .map(|cell| printable(&cell))
        })
        .collect();
    let header = ["ID", "ROLE", "COUNTER", "CREATED", "LABEL"].map(str::to_owned);
    let mut widths = [0; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            if column + 1 < row.len() {
                line.push_str(cell);
                let pad = widths[column] - cell.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A cell's text on one line: control characters (a tab or a line break in a label) would
/// break the table, and become spaces.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn revoke(args: &OfficeArgs, id: &str) -> anyhow::Result<()> {
    let instead = through_the_api(
        "Revoke the token",
        "-X DELETE ",
        &format!("/api/v1/admin/tokens/{id}"),
        "",
    );
    match open(args, &instead)?.revoke_token(id) {
        Ok(()) => {}
        Err(OfflineError::UnknownToken(_)) => {
            bail!("there is no token with id {id}; see `numerek token list`")
        }
        Err(error) => return Err(error.into()),
    }
    println!("Revoked token {id}.");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(id: &str, role: Role, counter: Option<&str>, label: Option<&str>) -> TokenRecord {
        TokenRecord {
            id: id.to_owned(),
            role,
            label: label.map(str::to_owned),
            counter: counter.map(str::to_owned),
            created_at: "2026-11-23T08:05:00Z".parse().expect("an instant"),
            secret_sha256: String::new(),
        }
    }

    /// Where each column of a table line starts, by the header's column names.
    fn starts(header: &str) -> Vec<usize> {
        ["ID", "ROLE", "COUNTER", "CREATED", "LABEL"]
            .iter()
            .map(|name| header.find(name).expect("a column"))
            .collect()
    }

    #[test]
    fn the_columns_line_up_whatever_the_lengths() {
        let tz = TimeZone::get("Europe/Warsaw").expect("a zone");
        let tokens = [
            token("x", Role::Kiosk, None, Some("kiosk at the entrance")),
            token(
                "-Averyveryverylongtokenid_42",
                Role::Clerk,
                Some("counter-with-a-long-id"),
                Some("Stanowisko 12 — obsługa mieszkańców"),
            ),
            token("abc", Role::Manager, None, None),
            token("tab", Role::Admin, Some("7"), Some("IT\tdesk\nsecond line")),
        ];
        let text = table(&tokens, &tz);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 5, "{text}");
        let columns = starts(lines[0]);
        for (line, token) in lines[1..].iter().zip(&tokens) {
            let chars: Vec<char> = line.chars().collect();
            for (column, &start) in columns.iter().enumerate() {
                if column == 4 && token.label.is_none() {
                    assert_eq!(
                        chars.len(),
                        start - 2,
                        "no blanks after the last cell: {text}"
                    );
                    continue;
                }
                // Every cell starts at its column, after at least two spaces.
                let before: String = chars[start.saturating_sub(2)..start].iter().collect();
                assert!(start == 0 || before == "  ", "{line:?}:\n{text}");
                assert!(
                    chars.get(start).is_some_and(|c| *c != ' '),
                    "column {column} of {line:?} starts at {start}:\n{text}"
                );
            }
            assert!(line.starts_with(&token.id), "{text}");
        }
        assert!(lines[2].contains("counter-with-a-long-id"), "{text}");
        // Office time, and nothing but the label may break a line.
        assert!(lines[1].contains("2026-11-23 09:05"), "{text}");
        assert!(lines[4].ends_with("IT desk second line"), "{text}");
        assert_eq!(lines[3].trim_end(), lines[3], "no trailing blanks");
    }

    #[test]
    fn a_request_for_the_api_is_quoted_for_the_shell() {
        assert_eq!(shell_quoted("it's"), r"'it'\''s'");
        let advice = through_the_api("Revoke it", "-X DELETE ", "/api/v1/admin/tokens/ab", "");
        assert!(
            advice.contains("curl -s -H \"Authorization: Bearer $ADMIN_TOKEN\" -X DELETE http://127.0.0.1:8080/api/v1/admin/tokens/ab"),
            "{advice}"
        );
    }
}
