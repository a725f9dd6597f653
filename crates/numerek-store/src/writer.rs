//! The writer thread: the one owner of the database and of the authoritative office state.
//!
//! It takes the first job off its queue, then everything else already queued (up to
//! [`MAX_BATCH`]), decides all of them against its own copy of the office, stores the result in
//! one durable commit, and only then answers, updates the shared read model and publishes the
//! events. Nothing waits for more work to arrive: a lone request is committed at once.
//!
//! The work after a commit (applying the events to the shared read model, serialising and
//! broadcasting them, answering the callers) is handed to a second thread, the publisher, in
//! commit order, so the writer decides and commits the next batch meanwhile: on a machine with
//! two cores both are busy at once. Whenever the writer needs the read model to be up to date
//! (after a failed commit, before reloading the database, before checking that a token exists)
//! it first waits until the publisher has caught up.

use crate::persist::{self, Batch};
use crate::store::{Executed, Shared};
use crate::tokens::{NewToken, Role};
use crate::{ExecError, StoreError};
use jiff::Timestamp;
use numerek_core::estimate::Memo;
use numerek_core::{
    Command, Decision, DomainError, EventKind, Office, Score, Subject, Ticket, TicketId,
};
use redb::Database;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc as std_mpsc;
use tokio::sync::{mpsc, oneshot};

/// A commit slower than this is logged: every answer of its batch waited that long.
const SLOW_COMMIT: std::time::Duration = std::time::Duration::from_millis(50);

/// How many committed batches may wait for the publisher before the writer waits for it: enough
/// to overlap one commit with one publication, few enough that answers are never held back.
const PUBLISH_QUEUE: usize = 2;

/// Work for the publisher thread.
enum Publication {
    /// A batch after its commit (or its failure): publish it if committed, then answer.
    Batch {
        batch: Batch,
        answers: Vec<Pending>,
        committed: bool,
    },
    /// Answer when everything before has been published.
    Barrier(std_mpsc::SyncSender<()>),
}

/// Publishes a batch if it was committed, then answers its callers.
fn publish_and_answer(shared: &Shared, batch: &Batch, answers: Vec<Pending>, committed: bool) {
    if committed && !batch.is_empty() {
        shared.publish(batch);
    }
    for answer in answers {
        answer.send(committed);
    }
}

/// Publishes committed batches in order and answers their callers.
fn publisher(shared: Arc<Shared>, publications: std_mpsc::Receiver<Publication>) {
    for publication in publications {
        match publication {
            Publication::Batch {
                batch,
                answers,
                committed,
            } => publish_and_answer(&shared, &batch, answers, committed),
            Publication::Barrier(done) => drop(done.send(())),
        }
    }
}

/// The most jobs one commit carries, so one batch's answers are not held back for long.
pub const MAX_BATCH: usize = 4096;

/// Work for the writer.
#[derive(Debug)]
pub(crate) enum Job {
    /// A domain command.
    Execute(Command, oneshot::Sender<Result<Executed, ExecError>>),
    /// Start a new office day if the clock says one has begun, and mark missed the bookings
    /// whose check-in window has closed.
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

/// The writer's end of the publisher thread.
struct Publisher {
    queue: Option<std_mpsc::SyncSender<Publication>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Publisher {
    fn start(shared: Arc<Shared>) -> Self {
        let (queue, publications) = std_mpsc::sync_channel(PUBLISH_QUEUE);
        let thread = std::thread::Builder::new()
            .name("numerek-publisher".into())
            .spawn(move || publisher(shared, publications))
            .map_err(|error| tracing::error!(%error, "cannot start the publisher thread"))
            .ok();
        Self {
            queue: thread.is_some().then_some(queue),
            thread,
        }
    }

    /// Hands a batch over; without a publisher thread, publishes it here.
    fn send(&self, shared: &Shared, publication: Publication) {
        let publication = match &self.queue {
            Some(queue) => match queue.send(publication) {
                Ok(()) => return,
                Err(std_mpsc::SendError(publication)) => publication,
            },
            None => publication,
        };
        if let Publication::Batch {
            batch,
            answers,
            committed,
        } = publication
        {
            publish_and_answer(shared, &batch, answers, committed);
        }
    }

    /// Waits until everything handed over so far is published.
    fn wait(&self) {
        if let Some(queue) = &self.queue {
            let (done, published) = std_mpsc::sync_channel(1);
            if queue.send(Publication::Barrier(done)).is_ok() {
                let _ = published.recv();
            }
        }
    }

    /// Publishes what is left and stops the thread.
    fn stop(mut self) {
        self.queue.take();
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the publisher thread panicked");
        }
    }
}

impl Writer {
    /// Runs until every sender of the queue is gone.
    pub(crate) fn run(mut self, mut jobs: mpsc::Receiver<Job>) {
        let publisher = Publisher::start(self.shared.clone());
        while let Some(first) = jobs.blocking_recv() {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            self.process(batch, &publisher);
        }
        publisher.stop();
        tracing::debug!("writer stopped");
    }

    /// The instant for this batch: the clock, but never before the last batch's, so event times
    /// never go backwards when the system clock is stepped back.
    fn now(&mut self) -> Timestamp {
        self.last_at = self.shared.clock.now().max(self.last_at);
        self.last_at
    }

    fn process(&mut self, jobs: Vec<Job>, publisher: &Publisher) {
        if self.db.is_none() && !self.reopen(publisher) {
            for job in jobs {
                job.refuse();
            }
            return;
        }
        let now = self.now();
        // Whatever fell due without a command comes first: a new day, then the bookings whose
        // check-in window has closed (the server's timer sends a tick at each such instant).
        let mut events = self.office.start_day_if_due(now);
        // `next_due` reads the earliest booking only: most batches skip the scan.
        if self.office.next_due() <= now {
            events.extend(self.office.mark_missed_if_due(now));
        }
        let mut batch = Batch {
            events,
            retention_days: Some(self.shared.config.office.retention_days),
            ..Batch::default()
        };
        // Whether a token exists is known from the read model: bring it up to date first.
        if jobs.iter().any(|job| matches!(job, Job::RevokeToken(..))) {
            publisher.wait();
        }
        let mut answers = Vec::with_capacity(jobs.len());
        let mut memo = Memo::default();
        for job in jobs {
            answers.push(self.decide(job, now, &mut batch, &mut memo));
        }
        batch.profiles = persist::profiles_after(&self.office, &batch.events);
        let committed = batch.is_empty() || self.commit(&batch, publisher);
        publisher.send(
            &self.shared,
            Publication::Batch {
                batch,
                answers,
                committed,
            },
        );
    }

    /// Decides one job against the writer's office, adding what it changes to `batch`.
    fn decide(&mut self, job: Job, now: Timestamp, batch: &mut Batch, memo: &mut Memo) -> Pending {
        match job {
            Job::Execute(command, reply) => {
                let result = match &command {
                    // A ticket of an earlier day is no longer the office's: read it from storage.
                    Command::RateTicket { id, score } if self.office.ticket(id).is_none() => {
                        self.rate_stored(id, *score, now, batch)
                    }
                    _ => self.office.execute(&command, now).map_err(ExecError::from),
                };
                let result = result.map(|decision| {
                    batch.events.extend(decision.events);
                    executed(&self.office, &decision.subject, now, memo)
                });
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

    /// Decides and applies the rating of a ticket the office does not hold (of an earlier day),
    /// as storage holds it, with what this batch has decided about it so far.
    fn rate_stored(
        &mut self,
        id: &TicketId,
        score: Score,
        now: Timestamp,
        batch: &Batch,
    ) -> Result<Decision, ExecError> {
        let stored = self
            .stored_ticket(id, batch)?
            .ok_or_else(|| DomainError::UnknownTicket(id.to_string()))?;
        let decision = self.office.decide_stored_rating(&stored, score, now)?;
        for event in &decision.events {
            self.office.apply(event);
        }
        Ok(decision)
    }

    /// A ticket by id as it will be once this batch is stored: this batch's own latest version
    /// of it (a rating decided earlier in the batch, or the batch's day rollover), else the
    /// database's. The tickets of a day are indexed by id when the next day starts, in that
    /// day's commit: when this batch starts the day, the ended day's tickets are not indexed
    /// yet and are looked for in that day itself.
    fn stored_ticket(&self, id: &TicketId, batch: &Batch) -> Result<Option<Ticket>, ExecError> {
        let in_batch = batch
            .events
            .iter()
            .rev()
            .find_map(|event| event.kind.ticket().filter(|ticket| ticket.id == *id));
        if let Some(ticket) = in_batch {
            return Ok(Some(ticket.clone()));
        }
        let db = self.db.as_ref().ok_or(ExecError::Unavailable)?;
        let day_started = batch
            .events
            .iter()
            .any(|event| matches!(event.kind, EventKind::DayStarted { .. }));
        let found = match persist::find_ticket(db, id.as_str()) {
            Ok(None) if day_started => persist::find_ticket_of_stored_day(db, id.as_str()),
            other => other,
        };
        found.map_err(|error| {
            tracing::error!(%error, "cannot read a stored ticket to rate it");
            ExecError::Unavailable
        })
    }

    /// Stores a batch. On failure the writer forgets what it decided (its office goes back to
    /// the read model, which only ever holds committed state) and drops the database, which is
    /// reopened before the next write.
    fn commit(&mut self, batch: &Batch, publisher: &Publisher) -> bool {
        let Some(db) = &self.db else { return false };
        let started = std::time::Instant::now();
        let result = self
            .shared
            .faults
            .check()
            .and_then(|()| persist::write_batch(db, batch));
        let took = started.elapsed();
        if took > SLOW_COMMIT {
            tracing::warn!(
                ms = took.as_millis() as u64,
                events = batch.events.len(),
                "slow commit: the disk took long to store a batch"
            );
        }
        match result {
            Ok(()) => true,
            Err(error) => {
                tracing::error!(%error, "commit failed; answering 503 until storage works again");
                self.db = None;
                self.shared.set_database(None);
                // The read model holds every committed batch once the publisher caught up.
                publisher.wait();
                self.office = self.shared.office_snapshot();
                false
            }
        }
    }

    /// Tries to reopen the database after a failure. Reloads state from it, so the writer
    /// continues from exactly what is on disk.
    fn reopen(&mut self, publisher: &Publisher) -> bool {
        // Nothing published later may land on top of the office reloaded here.
        publisher.wait();
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

/// The answer to a decided command, as the office is right after it. `memo` keeps the last
/// call-out for the next answer of the batch.
fn executed(office: &Office, subject: &Subject, now: Timestamp, memo: &mut Memo) -> Executed {
    match subject {
        Subject::Ticket(id) => Executed {
            ticket: office.ticket_view_memo(id, now, memo),
            counter: None,
            appointment: None,
        },
        Subject::Counter { counter, ticket } => Executed {
            ticket: ticket
                .as_ref()
                .and_then(|id| office.ticket_view_memo(id, now, memo)),
            counter: office.counter_view(counter),
            appointment: None,
        },
        Subject::Appointment(code) => Executed {
            ticket: None,
            counter: None,
            appointment: office.appointment(code).cloned(),
        },
    }
}
