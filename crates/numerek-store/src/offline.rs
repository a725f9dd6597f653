//! The data directory of a stopped server, for the command line: exactly what `numerek token`,
//! `numerek report` and `numerek bench` do without a server.
//!
//! While a server runs, its data directory is its alone (redb's file lock keeps everyone else
//! out): [`OfflineStore::open`] then answers [`OfflineError::ServerRunning`], and the command
//! line points to the server's API instead. Every change is one durable commit, as the server's
//! writer makes them.

use crate::StoreError;
use crate::persist::{self, Batch};
use crate::tokens::{NewToken, Role, TokenRecord};
use jiff::Timestamp;
use numerek_core::day::office_date;
use numerek_core::report::{DayRange, GroupBy, Summary};
use numerek_core::{OfficeConfig, Ticket};
use redb::Database;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why an offline operation was refused or failed; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum OfflineError {
    /// A server runs on the data directory.
    #[error("the server is running on the data directory {}", .0.display())]
    ServerRunning(PathBuf),
    /// There is no token with this id.
    #[error("there is no token with id {0}")]
    UnknownToken(String),
    /// The operating system gave no randomness for a token's secret.
    #[error("the system has no randomness to make a token")]
    NoRandomness,
    /// The database cannot be opened, read or written.
    #[error(transparent)]
    Storage(#[from] StoreError),
}

/// The database of a data directory no server runs on, open and up to date (an older schema
/// is migrated, a missing database created, as when a server starts).
pub struct OfflineStore {
    db: Database,
    config: Arc<OfficeConfig>,
}

impl std::fmt::Debug for OfflineStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfflineStore").finish_non_exhaustive()
    }
}

impl OfflineStore {
    /// Opens the database in `data_dir` for `config`'s office; a new database starts on the
    /// office day of `now`.
    ///
    /// # Errors
    /// [`OfflineError::ServerRunning`] when a server holds it; [`OfflineError::Storage`] when it
    /// cannot be opened, created or migrated.
    pub fn open(
        data_dir: &Path,
        config: Arc<OfficeConfig>,
        now: Timestamp,
    ) -> Result<Self, OfflineError> {
        let today = office_date(&config.office.tz, now);
        match persist::open_database(data_dir, today) {
            Ok(db) => Ok(Self { db, config }),
            Err(StoreError::AlreadyOpen(_)) => {
                Err(OfflineError::ServerRunning(data_dir.to_path_buf()))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Every token, oldest first (as the admin API lists them), without secrets.
    ///
    /// # Errors
    /// When the tokens cannot be read.
    pub fn tokens(&self) -> Result<Vec<TokenRecord>, OfflineError> {
        let mut tokens = persist::load_tokens(&self.db)?;
        tokens.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(tokens)
    }

    /// Makes a token, created at `now`, and stores it; the answer holds its secret, which is
    /// stored nowhere. Whether `counter` is a counter of the office is the caller's to check.
    ///
    /// # Errors
    /// [`OfflineError::NoRandomness`], or when it cannot be stored.
    pub fn create_token(
        &self,
        role: Role,
        label: Option<String>,
        counter: Option<String>,
        now: Timestamp,
    ) -> Result<NewToken, OfflineError> {
        let token = NewToken::generate(role, label, counter, now)
            .map_err(|_| OfflineError::NoRandomness)?;
        persist::write_batch(
            &self.db,
            &Batch {
                new_tokens: vec![token.record.clone()],
                ..Batch::default()
            },
        )?;
        Ok(token)
    }

    /// Removes a token.
    ///
    /// # Errors
    /// [`OfflineError::UnknownToken`], or when the change cannot be stored.
    pub fn revoke_token(&self, id: &str) -> Result<(), OfflineError> {
        if !persist::load_tokens(&self.db)?.iter().any(|t| t.id == id) {
            return Err(OfflineError::UnknownToken(id.to_owned()));
        }
        persist::write_batch(
            &self.db,
            &Batch {
                revoked_tokens: vec![id.to_owned()],
                ..Batch::default()
            },
        )?;
        Ok(())
    }

    /// The summary report of a range of office days, as the server computes it.
    ///
    /// # Errors
    /// When the database cannot be read or holds damaged values.
    pub fn summary(&self, range: DayRange, group_by: GroupBy) -> Result<Summary, OfflineError> {
        Ok(persist::summary(&self.db, &self.config, range, group_by)?)
    }

    /// The staffing advisor's rows for a range of office days, as the server computes them;
    /// the stopped server's last day has its counters counted up to `now` (a counter left open
    /// stays open until the next start rolls the day over).
    ///
    /// # Errors
    /// When the database cannot be read or holds damaged values.
    pub fn staffing(
        &self,
        range: DayRange,
        target_pct: numerek_core::staffing::TargetPct,
        now: Timestamp,
    ) -> Result<numerek_core::staffing::Staffing, OfflineError> {
        Ok(crate::counter_days::staffing(
            &self.db,
            &self.config,
            range,
            target_pct,
            now,
        )?)
    }

    /// Stores tickets of past office days, outside the event log, in one durable commit:
    /// history (a benchmark's year, or an import from an earlier system). Each is stored as the
    /// office's own tickets are (whole, with its report facts, findable by id); answers how many.
    /// Only days before the database's current office day belong here: that day's tickets come
    /// from the office's own events.
    ///
    /// # Errors
    /// When the commit fails; then none of them is stored.
    pub fn import_history<'a>(
        &self,
        tickets: impl IntoIterator<Item = &'a Ticket>,
    ) -> Result<usize, OfflineError> {
        Ok(persist::import_tickets(&self.db, tickets)?)
    }
}
