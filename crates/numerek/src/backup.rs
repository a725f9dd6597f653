//! `numerek backup`: a consistent copy of the database in one file.
//!
//! From a running server (`--url`, an admin token): `GET /api/v1/admin/backup`, which copies the
//! database from one read transaction while the office goes on. From a stopped server's data
//! directory: the same copy, made here. Either way the copy is written next to the target as
//! `FILE.partial`, checked to open as a numerek database, and only then renamed to `FILE`, so a
//! failed backup never replaces a good one.

use crate::cli::BackupArgs;
use anyhow::{Context, bail};
use numerek_api::{ErrorBody, ErrorDetail};
use numerek_store::StoreError;
use numerek_store::backup::{self, BackupSummary};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Runs `numerek backup`.
pub fn run(args: &BackupArgs) -> anyhow::Result<()> {
    let partial = partial_path(&args.out);
    remove_if_present(&partial)?;
    let made = match &args.url {
        Some(url) => download(args, url, &partial),
        None => copy_offline(&args.data_dir, &partial, &args.out),
    };
    let checked = made.and_then(|()| {
        backup::verify(&partial).with_context(|| {
            format!(
                "the copy in {} is not a readable numerek database",
                partial.display()
            )
        })
    });
    let summary = match checked {
        Ok(summary) => summary,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    std::fs::rename(&partial, &args.out)
        .with_context(|| format!("cannot move the copy to {}", args.out.display()))?;
    let bytes = std::fs::metadata(&args.out).map_or(0, |m| m.len());
    print_summary(&args.out, &summary, bytes);
    Ok(())
}

/// `FILE.partial`, beside `FILE`.
fn partial_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    out.with_file_name(name)
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error).with_context(|| format!("cannot remove {}", path.display())),
    }
}

fn print_summary(out: &Path, summary: &BackupSummary, bytes: u64) {
    println!(
        "numerek: backed up to {}: office day {}, event {}, {} tickets, schema version {}, {} bytes",
        out.display(),
        summary.office_date,
        summary.seq,
        summary.tickets,
        summary.schema_version,
        bytes
    );
}

/// The copy of a stopped server's data directory.
fn copy_offline(data_dir: &Path, partial: &Path, out: &Path) -> anyhow::Result<()> {
    match backup::copy_data_dir(data_dir, partial) {
        Ok(_) => Ok(()),
        Err(StoreError::AlreadyOpen(_)) => bail!(
            "the server is running on {}; back up through it: numerek backup --url \
             http://127.0.0.1:8080 --token <admin token> --out {}",
            data_dir.display(),
            out.display()
        ),
        Err(error) => Err(error)
            .with_context(|| format!("cannot copy the database in {}", data_dir.display())),
    }
}

/// The copy a running server makes, downloaded into `partial`.
fn download(args: &BackupArgs, url: &str, partial: &Path) -> anyhow::Result<()> {
    let token = args
        .token
        .as_deref()
        .context("--url needs --token (an admin token), or NUMEREK_TOKEN")?;
    let base = url.trim_end_matches('/');
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // No overall time limit: a large database takes a while to copy and send.
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()?;
        let mut response = client
            .get(format!("{base}/api/v1/admin/backup"))
            .bearer_auth(token)
            .send()
            .await
            .with_context(|| format!("cannot reach {base}"))?;
        let status = response.status();
        if !status.is_success() {
            let error = response
                .json::<ErrorBody>()
                .await
                .map(|body| body.error)
                .unwrap_or_else(|_| ErrorDetail {
                    code: "?".to_owned(),
                    message: "no message".to_owned(),
                });
            bail!(
                "the server refused the backup: {} {}: {}",
                status.as_u16(),
                error.code,
                error.message
            );
        }
        let expected = response.content_length();
        let mut file = std::fs::File::create(partial)
            .with_context(|| format!("cannot write {}", partial.display()))?;
        let mut received = 0u64;
        while let Some(chunk) = response
            .chunk()
            .await
            .context("the backup was cut off while it was sent")?
        {
            file.write_all(&chunk)
                .with_context(|| format!("cannot write {}", partial.display()))?;
            received += chunk.len() as u64;
        }
        if let Some(expected) = expected
            && expected != received
        {
            bail!("the backup was cut off: {received} of {expected} bytes arrived");
        }
        file.sync_all()
            .with_context(|| format!("cannot write {}", partial.display()))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::partial_path;
    use std::path::Path;

    #[test]
    fn the_partial_file_is_beside_the_target() {
        assert_eq!(
            partial_path(Path::new("backups/numerek.redb")),
            Path::new("backups/numerek.redb.partial")
        );
    }
}
