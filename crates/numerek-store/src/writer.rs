//! The writer thread: the one owner of the database and of the authoritative office state.
//!
//! It takes the first job off its queue, then everything else already queued (up to
//! [`MAX_BATCH`]), decides all of them against its own copy of the office, stores the result in
//! one durable commit, and only then answers, updates the shared read model and publishes the
//! events. Nothing waits for more work to arrive: a lone request is committed at once.

use crate::persist::{self, Batch};
use crate::store::{Executed, Shared};
use crate::tokens::{NewToken, Role};
use crate::{ExecError, StoreError};
use jiff::Timestamp;
use numerek_core::{Command, Office, Subject};
use redb::Database;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most jobs one commit carries, so one batch's answers are not held back for long.
pub const MAX_BATCH: usize = 4096;

/// Work for the writer.
#[derive(Debug)]
pub(crate) enum Job {
    /// A domain command.
    Execute(Command, oneshot::Sender<Result<Executed, ExecError>>),
    /// Start a new office day if the clock says one has begun.
    Tick(oneshot::Sender<Result<(), ExecError>>),
    /// Make a token.
    CreateToken {
        role: Role,
        label: Option<String>,
        counter: Option<String>,
        reply: oneshot::Sender<Result<NewToken, ExecError>>,
    },
    /// Remove a token.
    RevokeToken(String, oneshot::Sender<Result<(), ExecError>>),
}

/// An answer held back until the batch is committed.
enum Pending {
    Executed(
        oneshot::Sender<Result<Executed, ExecError>>,
        Box<Result<Executed, ExecError>>,
    ),
    Done(
        oneshot::Sender<Result<(), ExecError>>,
        Result<(), ExecError>,
    ),
    Token(
        oneshot::Sender<Result<NewToken, ExecError>>,
        Result<NewToken, ExecError>,
    ),
}

impl Pending {
    /// Sends the answer; after a failed commit, every success becomes `Unavailable`.
    fn send(self, committed: bool) {
        fn settle<T>(result: Result<T, ExecError>, committed: bool) -> Result<T, ExecError> {
            match result {
                Ok(_) if !committed => Err(ExecError::Unavailable),
                other => other,
            }
        }
        // A caller that gave up waiting has dropped its receiver; that is not an error here.
        match self {
            Pending::Executed(tx, result) => drop(tx.send(settle(*result, committed))),
            Pending::Done(tx, result) => drop(tx.send(settle(result, committed))),
            Pending::Token(tx, result) => drop(tx.send(settle(result, committed))),
        }
    }
}

/// The writer's own state.
pub(crate) struct Writer {
    pub(crate) db: Option<Arc<Database>>,
    pub(crate) data_dir: PathBuf,
    pub(crate) office: Office,
    pub(crate) shared: Arc<Shared>,
    pub(crate) last_at: Timestamp,
}

impl Writer {
    /// Runs until every sender of the queue is gone.
    pub(crate) fn run(mut self, mut jobs: mpsc::Receiver<Job>) {
        while let Some(first) = jobs.blocking_recv() {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            self.process(batch);
        }
        tracing::debug!("writer stopped");
    }

    /// The instant for this batch: the clock, but never before the last batch's, so event times
    /// never go backwards when the system clock is stepped back.
    fn now(&mut self) -> Timestamp {
        self.last_at = self.shared.clock.now().max(self.last_at);
        self.last_at
    }

    fn process(&mut self, jobs: Vec<Job>) {
        if self.db.is_none() && !self.reopen() {
            for job in jobs {
                job.refuse();
            }
            return;
        }
        let now = self.now();
        let mut batch = Batch {
            events: self.office.start_day_if_due(now),
            ..Batch::default()
        };
        let mut answers = Vec::with_capacity(jobs.len());
        for job in jobs {
            answers.push(self.decide(job, now, &mut batch));
        }
        let committed = batch.is_empty() || self.commit(&batch);
        if committed && !batch.is_empty() {
            self.shared.publish(&batch);
        }
        for answer in answers {
            answer.send(committed);
        }
    }

    /// Decides one job against the writer's office, adding what it changes to `batch`.
    fn decide(&mut self, job: Job, now: Timestamp, batch: &mut Batch) -> Pending {
        match job {
            Job::Execute(command, reply) => {
                let result = self
                    .office
                    .execute(&command, now)
                    .map(|decision| {
                        batch.events.extend(decision.events);
                        executed(&self.office, &decision.subject, now)
                    })
                    .map_err(ExecError::from);
                Pending::Executed(reply, Box::new(result))
            }
            Job::Tick(reply) => Pending::Done(reply, Ok(())),
            Job::CreateToken {
                role,
                label,
                counter,
                reply,
            } => {
                let result = NewToken::generate(role, label, counter, now)
                    .inspect(|token| batch.new_tokens.push(token.record.clone()))
                    .map_err(|error| {
                        tracing::error!(%error, "no randomness for a token");
                        ExecError::Unavailable
                    });
                Pending::Token(reply, result)
            }
            Job::RevokeToken(id, reply) => {
                let known = self.shared.token_exists(&id) && !batch.revoked_tokens.contains(&id);
                let result = if known {
                    batch.revoked_tokens.push(id);
                    Ok(())
                } else {
                    Err(ExecError::UnknownToken(id))
                };
                Pending::Done(reply, result)
            }
        }
    }

    /// Stores a batch. On failure the writer forgets what it decided (its office goes back to
    /// the read model, which only ever holds committed state) and drops the database, which is
    /// reopened before the next write.
    fn commit(&mut self, batch: &Batch) -> bool {
        let Some(db) = &self.db else { return false };
        let result = self
            .shared
            .faults
            .check()
            .and_then(|()| persist::write_batch(db, batch));
        match result {
            Ok(()) => true,
            Err(error) => {
                tracing::error!(%error, "commit failed; answering 503 until storage works again");
                self.db = None;
                self.shared.set_database(None);
                self.office = self.shared.office_snapshot();
                false
            }
        }
    }

    /// Tries to reopen the database after a failure. Reloads state from it, so the writer
    /// continues from exactly what is on disk.
    fn reopen(&mut self) -> bool {
        let today = self.office.office_date();
        let attempt = || -> Result<(Arc<Database>, Office), StoreError> {
            self.shared.faults.check()?;
            let db = Arc::new(persist::open_database(&self.data_dir, today)?);
            let office = persist::load_office(&db, self.shared.config.clone())?;
            Ok((db, office))
        };
        match attempt() {
            Ok((db, office)) => {
                tracing::info!("storage is available again");
                self.shared.replace_office(office.clone());
                self.shared.set_database(Some(db.clone()));
                self.office = office;
                self.db = Some(db);
                true
            }
            Err(error) => {
                tracing::warn!(%error, "storage still unavailable");
                false
            }
        }
    }
}

impl Job {
    /// Answers `Unavailable` without doing anything.
    fn refuse(self) {
        match self {
            Job::Execute(_, tx) => drop(tx.send(Err(ExecError::Unavailable))),
            Job::Tick(tx) | Job::RevokeToken(_, tx) => drop(tx.send(Err(ExecError::Unavailable))),
            Job::CreateToken { reply, .. } => drop(reply.send(Err(ExecError::Unavailable))),
        }
    }
}

/// The answer to a decided command, as the office is right after it.
fn executed(office: &Office, subject: &Subject, now: Timestamp) -> Executed {
    match subject {
        Subject::Ticket(id) => Executed {
            ticket: office.ticket_view(id, now),
            counter: None,
        },
        Subject::Counter { counter, ticket } => Executed {
            ticket: ticket.as_ref().and_then(|id| office.ticket_view(id, now)),
            counter: office.counter_view(counter),
        },
    }
}
