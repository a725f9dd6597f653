//! The handle the server holds: send commands to the writer, read the shared model and the
//! database, authenticate tokens.

use crate::clock::Clock;
use crate::persist::{self, Batch};
use crate::subscribe::{Subscriber, Subscribers, Subscription};
use crate::tokens::{NewToken, Role, TokenRecord, hash_secret, hex};
use crate::writer::{Job, Writer};
use crate::{ExecError, StoreError};
use numerek_core::day::office_date;
use numerek_core::{
    Appointment, BookingCode, Command, CounterView, Event, Office, OfficeConfig, Ticket, TicketId,
    TicketView,
};
use redb::Database;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::thread::JoinHandle;
use subtle::ConstantTimeEq;
use tokio::sync::{mpsc, oneshot};

/// What a command answers: the ticket it concerned and, for counter actions, the counter, both
/// as they are right after the command.
#[derive(Debug, Clone, PartialEq)]
pub struct Executed {
    /// The ticket concerned, if any.
    pub ticket: Option<TicketView>,
    /// The counter acted at, for counter actions.
    pub counter: Option<CounterView>,
    /// The appointment booked or cancelled, for those commands.
    pub appointment: Option<Appointment>,
}

/// How to open a store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// The directory holding the database file.
    pub data_dir: PathBuf,
    /// The office to run.
    pub config: Arc<OfficeConfig>,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
    /// How many commands may queue for the writer before senders wait.
    pub queue_capacity: usize,
}

impl StoreOptions {
    /// Options with the default queue size.
    pub fn new(data_dir: PathBuf, config: Arc<OfficeConfig>, clock: Arc<dyn Clock>) -> Self {
        Self {
            data_dir,
            config,
            clock,
            queue_capacity: 8192,
        }
    }
}

/// A switch that makes storage fail, so tests can prove what happens when a disk does.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    fail: AtomicBool,
}

impl Faults {
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        if self.fail.load(Ordering::SeqCst) {
            Err(StoreError::Io(std::io::Error::other(
                "injected storage failure",
            )))
        } else {
            Ok(())
        }
    }
}

/// State shared between the writer and the readers. Everything here is committed state.
pub(crate) struct Shared {
    pub(crate) config: Arc<OfficeConfig>,
    /// The data directory (backups are written there before they are sent).
    data_dir: PathBuf,
    pub(crate) clock: Arc<dyn Clock>,
    office: RwLock<Office>,
    /// SHA-256 of the secret → token.
    tokens: RwLock<HashMap<[u8; 32], TokenRecord>>,
    /// The open database, or `None` while storage has failed.
    db: RwLock<Option<Arc<Database>>>,
    /// Who hears of committed changes.
    subscribers: Arc<Subscribers>,
    pub(crate) faults: Faults,
}

fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|e| e.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    /// Makes a committed batch visible: the read model first, then the subscribers, so that
    /// anyone who reads the model and then listens misses nothing.
    pub(crate) fn publish(&self, batch: &Batch) {
        {
            let mut office = write(&self.office);
            for event in &batch.events {
                office.apply(event);
            }
        }
        if !batch.new_tokens.is_empty() || !batch.revoked_tokens.is_empty() {
            let mut tokens = write(&self.tokens);
            tokens.retain(|_, t| !batch.revoked_tokens.contains(&t.id));
            for token in &batch.new_tokens {
                if let Some(hash) = parse_hash(&token.secret_sha256) {
                    tokens.insert(hash, token.clone());
                }
            }
        }
        self.subscribers
            .deliver(&batch.events, &batch.revoked_tokens);
    }

    pub(crate) fn office_snapshot(&self) -> Office {
        read(&self.office).clone()
    }

    pub(crate) fn replace_office(&self, office: Office) {
        *write(&self.office) = office;
    }

    pub(crate) fn set_database(&self, db: Option<Arc<Database>>) {
        *write(&self.db) = db;
    }

    pub(crate) fn token_exists(&self, id: &str) -> bool {
        read(&self.tokens).values().any(|t| t.id == id)
    }

    fn database(&self) -> Result<Arc<Database>, StoreError> {
        read(&self.db)
            .clone()
            .ok_or_else(|| StoreError::Io(std::io::Error::other("storage is unavailable")))
    }
}

fn parse_hash(hex_text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if hex_text.len() != 64 {
        return None;
    }
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex_text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The store: a running writer and the shared read model.
pub struct Store {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    shared: Arc<Shared>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the database, loads the office, starts a new office day if the clock is past the
    /// stored one (storing that before anything else), and starts the writer thread.
    ///
    /// # Errors
    /// When the database cannot be opened or read, or the day rollover cannot be stored.
    pub fn open(options: StoreOptions) -> Result<Self, StoreError> {
        let StoreOptions {
            data_dir,
            config,
            clock,
            queue_capacity,
        } = options;
        let now = clock.now();
        let today = office_date(&config.office.tz, now);
        let db = Arc::new(persist::open_database(&data_dir, today)?);
        let mut office = persist::load_office(&db, config.clone())?;
        let mut rollover = office.start_day_if_due(now);
        if !rollover.is_empty() {
            tracing::info!(office_date = %office.office_date(), "a new office day started");
        }
        // Bookings whose check-in window closed while the server was stopped.
        rollover.extend(office.mark_missed_if_due(now));
        if !rollover.is_empty() {
            persist::write_batch(
                &db,
                &Batch {
                    profiles: persist::profiles_after(&office, &rollover),
                    events: rollover,
                    retention_days: Some(config.office.retention_days),
                    ..Batch::default()
                },
            )?;
        }
        let tokens = persist::load_tokens(&db)?
            .into_iter()
            .filter_map(|t| parse_hash(&t.secret_sha256).map(|hash| (hash, t)))
            .collect();
        crate::backup::remove_leftovers(&data_dir);
        let shared = Arc::new(Shared {
            config,
            data_dir: data_dir.clone(),
            clock,
            office: RwLock::new(office.clone()),
            tokens: RwLock::new(tokens),
            db: RwLock::new(Some(db.clone())),
            subscribers: Arc::default(),
            faults: Faults::default(),
        });
        let (sender, receiver) = mpsc::channel(queue_capacity.max(1));
        let writer = Writer {
            db: Some(db),
            data_dir,
            office,
            shared: shared.clone(),
            last_at: now,
        };
        let handle = std::thread::Builder::new()
            .name("numerek-writer".into())
            .spawn(move || writer.run(receiver))?;
        Ok(Self {
            jobs: Mutex::new(Some(sender)),
            shared,
            writer: Mutex::new(Some(handle)),
        })
    }

    /// Subscribes to committed changes from the next commit on, after the subscribers already
    /// there (the guarantees are in [`crate::subscribe`]); `name` is for the log. Subscribe
    /// before serving: earlier commits are in the read model and the event log, not delivered.
    pub fn subscribe(&self, name: &'static str, subscriber: Arc<dyn Subscriber>) -> Subscription {
        self.shared.subscribers.add(name, subscriber)
    }

    async fn send<T>(&self, job: impl FnOnce(oneshot::Sender<T>) -> Job) -> Option<T> {
        let sender = self
            .jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()?;
        let (tx, rx) = oneshot::channel();
        sender.send(job(tx)).await.ok()?;
        rx.await.ok()
    }

    /// Carries out a command; answers once it is durable.
    ///
    /// # Errors
    /// The office's refusal, or `Unavailable` when storage failed or the store is closing.
    pub async fn execute(&self, command: Command) -> Result<Executed, ExecError> {
        self.send(|tx| Job::Execute(command, tx))
            .await
            .unwrap_or(Err(ExecError::Unavailable))
    }

    /// Starts a new office day if the clock has reached one.
    ///
    /// # Errors
    /// `Unavailable` when storage failed or the store is closing.
    pub async fn start_day_if_due(&self) -> Result<(), ExecError> {
        self.send(Job::Tick)
            .await
            .unwrap_or(Err(ExecError::Unavailable))
    }

    /// Makes a token; the answer holds its secret, which is stored nowhere.
    ///
    /// # Errors
    /// `Unavailable` when storage failed or the store is closing.
    pub async fn create_token(
        &self,
        role: Role,
        label: Option<String>,
        counter: Option<String>,
    ) -> Result<NewToken, ExecError> {
        self.send(|reply| Job::CreateToken {
            role,
            label,
            counter,
            reply,
        })
        .await
        .unwrap_or(Err(ExecError::Unavailable))
    }

    /// Removes a token; it stops working at once.
    ///
    /// # Errors
    /// `UnknownToken`, or `Unavailable` when storage failed or the store is closing.
    pub async fn revoke_token(&self, id: String) -> Result<(), ExecError> {
        self.send(|tx| Job::RevokeToken(id, tx))
            .await
            .unwrap_or(Err(ExecError::Unavailable))
    }

    /// The committed office state. Hold the guard briefly and never across an `.await`.
    pub fn office(&self) -> RwLockReadGuard<'_, Office> {
        read(&self.shared.office)
    }

    /// The office configuration.
    pub fn config(&self) -> &Arc<OfficeConfig> {
        &self.shared.config
    }

    /// The clock the store uses.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.shared.clock
    }

    /// The token a bearer secret belongs to, if any.
    pub fn authenticate(&self, secret: &str) -> Option<TokenRecord> {
        let hash = hash_secret(secret);
        let tokens = read(&self.shared.tokens);
        let record = tokens.get(&hash)?;
        // The map lookup already matched; comparing again in constant time keeps the check
        // free of early exits whatever the map implementation does.
        let expected = hex(&hash);
        bool::from(record.secret_sha256.as_bytes().ct_eq(expected.as_bytes()))
            .then(|| record.clone())
    }

    /// Whether a token with this id exists (it has not been revoked).
    pub fn has_token(&self, id: &str) -> bool {
        self.shared.token_exists(id)
    }

    /// Every token, oldest first, without secrets.
    pub fn tokens(&self) -> Vec<TokenRecord> {
        let mut tokens: Vec<_> = read(&self.shared.tokens).values().cloned().collect();
        tokens.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        tokens
    }

    /// A ticket of any day, by id: today's from the read model, older ones from the database.
    /// Blocking: call it from a blocking context.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn find_ticket(&self, id: &TicketId) -> Result<Option<TicketView>, StoreError> {
        let now = self.shared.clock.now();
        if let Some(view) = self.office().ticket_view(id, now) {
            return Ok(Some(view));
        }
        let db = self.shared.database()?;
        Ok(persist::find_ticket(&db, id.as_str())?.map(TicketView::without_position))
    }

    /// An appointment of any stored day by its code: from the read model for the current day
    /// and later, from the database for earlier days. Blocking: call it from a blocking context.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn find_appointment(&self, code: &BookingCode) -> Result<Option<Appointment>, StoreError> {
        if let Some(appointment) = self.office().appointment(code) {
            return Ok(Some(appointment.clone()));
        }
        persist::find_appointment(&*self.shared.database()?, code)
    }

    /// The appointments of an office day, optionally of one category, by slot start, then
    /// code: the current day and later from the read model, earlier days from the database.
    /// Blocking: call it from a blocking context.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn appointments_on(
        &self,
        date: jiff::civil::Date,
        category: Option<&str>,
    ) -> Result<Vec<Appointment>, StoreError> {
        {
            let office = self.office();
            if date >= office.office_date() {
                return Ok(office
                    .appointments_on(date, category)
                    .into_iter()
                    .cloned()
                    .collect());
            }
        }
        let mut stored = persist::appointments_on(&*self.shared.database()?, date)?;
        stored.retain(|a| category.is_none_or(|c| a.category == c));
        stored.sort_by_key(|a| (a.start, a.code));
        Ok(stored)
    }

    /// The stored events after `seq`, or `None` when some of them were pruned.
    /// Blocking: call it from a blocking context.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn events_after(&self, seq: u64) -> Result<Option<Vec<Event>>, StoreError> {
        persist::events_after(&*self.shared.database()?, seq)
    }

    /// The tickets issued on office days `from..=to`, in order of issue.
    /// Blocking: call it from a blocking context.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn tickets_between(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<Vec<Ticket>, StoreError> {
        persist::tickets_between(&*self.shared.database()?, from, to)
    }

    /// The summary report of a range of days. Blocking: call it from a blocking context.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn summary(
        &self,
        range: numerek_core::report::DayRange,
        group_by: numerek_core::report::GroupBy,
    ) -> Result<numerek_core::report::Summary, StoreError> {
        persist::summary(
            &*self.shared.database()?,
            &self.shared.config,
            range,
            group_by,
        )
    }

    /// The staffing advisor's rows for a range of days (today's counters counted up to now).
    /// Blocking: call it from a blocking context.
    ///
    /// # Errors
    /// When the database cannot be read.
    pub fn staffing(
        &self,
        range: numerek_core::report::DayRange,
        target_pct: numerek_core::staffing::TargetPct,
    ) -> Result<numerek_core::staffing::Staffing, StoreError> {
        crate::counter_days::staffing(
            &*self.shared.database()?,
            &self.shared.config,
            range,
            target_pct,
            self.shared.clock.now(),
        )
    }

    /// A consistent copy of the committed database, as an open file of its own: written into
    /// the data directory from one read transaction (the writer goes on meanwhile), then
    /// unlinked, so the space is freed when the file is dropped, whatever happens to the caller.
    /// Blocking: call it from a blocking context.
    ///
    /// # Errors
    /// When storage is unavailable or the copy cannot be written (a full disk).
    pub fn backup(&self) -> Result<(std::fs::File, crate::backup::BackupSummary), StoreError> {
        let db = self.shared.database()?;
        let path = crate::backup::temporary_path(&self.shared.data_dir)?;
        let copy = || -> Result<_, StoreError> {
            let txn = redb::ReadableDatabase::begin_read(&*db)?;
            let summary = crate::backup::write_copy(&txn, &path)?;
            Ok((std::fs::File::open(&path)?, summary))
        };
        let result = copy();
        // An open file keeps its data; a failed copy leaves nothing behind.
        if let Err(error) = std::fs::remove_file(&path)
            && error.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(%error, file = %path.display(), "cannot remove a backup's temporary file");
        }
        result
    }

    /// Whether the database takes writes: false after a failed commit until the writer could
    /// reopen it (it tries with the next command, and the server sends one every minute).
    pub fn storage_available(&self) -> bool {
        read(&self.shared.db).is_some()
    }

    /// Makes every following commit (and reopen) fail until switched off: for tests of what
    /// the server does when the disk fails.
    pub fn inject_storage_failure(&self, fail: bool) {
        self.shared.faults.fail.store(fail, Ordering::SeqCst);
    }

    /// Stops accepting commands, lets the writer finish what is queued, waits for it, and lets
    /// go of the database file, so another process (or a reopened store) can use it as soon as
    /// reads in flight are done. Reads after closing answer that storage is unavailable.
    pub fn close(&self) {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(handle) = self.writer.lock().unwrap_or_else(|e| e.into_inner()).take()
            && handle.join().is_err()
        {
            tracing::error!("the writer thread panicked");
        }
        self.shared.set_database(None);
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.close();
    }
}
