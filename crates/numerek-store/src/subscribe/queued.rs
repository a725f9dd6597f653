//! A subscriber on a thread of its own, for work too slow for the publisher thread.

use super::Subscriber;
use numerek_core::Event;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

/// One commit, as a queued subscriber gets it.
struct Item {
    /// Commits were left out just before this one (the queue was full).
    missed_before: bool,
    events: Vec<Event>,
    revoked_tokens: Vec<String>,
}

/// Runs a subscriber on a thread of its own behind a queue of at most `capacity` commits, so
/// that its slowness costs the publisher thread (and so the writer, the answers and the other
/// subscribers) nothing but a copy of each commit's events.
///
/// The inner subscriber gets the commits in order, with the same promises as any subscriber,
/// but later (after the answers) and with one exception: when its queue is full, commits are
/// left out rather than waited for, and it hears [`Subscriber::missed`] before the next commit
/// that fits. A panic of the inner subscriber is logged and ends its thread; nothing else
/// notices. When the `Queued` is dropped (its subscription ended, or the store closed), the
/// thread finishes what is queued and ends.
pub struct Queued {
    /// `None` once the thread could not be started or has ended.
    queue: Mutex<Option<SyncSender<Item>>>,
    /// Whether a commit was left out since the last one queued.
    missed: AtomicBool,
    name: &'static str,
}

impl std::fmt::Debug for Queued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queued")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Queued {
    /// Starts the thread (named after `name`) that calls `inner`.
    ///
    /// # Errors
    /// When the thread cannot be started.
    pub fn start(
        name: &'static str,
        capacity: usize,
        inner: Arc<dyn Subscriber>,
    ) -> std::io::Result<Self> {
        let (queue, items) = sync_channel(capacity.max(1));
        std::thread::Builder::new()
            .name(format!("numerek-{name}"))
            .spawn(move || run(name, &*inner, items))?;
        Ok(Self {
            queue: Mutex::new(Some(queue)),
            missed: AtomicBool::new(false),
            name,
        })
    }

    fn send(&self, events: &[Event], revoked_tokens: &[String]) {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let Some(sender) = queue.as_ref() else {
            return;
        };
        let item = Item {
            missed_before: self.missed.load(Ordering::Relaxed),
            events: events.to_vec(),
            revoked_tokens: revoked_tokens.to_vec(),
        };
        match sender.try_send(item) {
            Ok(()) => self.missed.store(false, Ordering::Relaxed),
            Err(TrySendError::Full(_)) => {
                if !self.missed.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        subscriber = self.name,
                        "a queued subscriber fell behind; commits are left out until it catches up"
                    );
                }
            }
            // The thread ended (its subscriber panicked, which was logged there).
            Err(TrySendError::Disconnected(_)) => *queue = None,
        }
    }
}

impl Subscriber for Queued {
    fn events(&self, events: &[Event]) {
        self.send(events, &[]);
    }

    fn tokens_revoked(&self, ids: &[String]) {
        self.send(&[], ids);
    }
}

/// The thread: calls the subscriber with every queued commit until the queue is gone.
fn run(name: &'static str, subscriber: &dyn Subscriber, items: Receiver<Item>) {
    for item in items {
        let called = catch_unwind(AssertUnwindSafe(|| {
            if item.missed_before {
                subscriber.missed();
            }
            if !item.events.is_empty() {
                subscriber.events(&item.events);
            }
            if !item.revoked_tokens.is_empty() {
                subscriber.tokens_revoked(&item.revoked_tokens);
            }
        }));
        if called.is_err() {
            tracing::error!(
                subscriber = name,
                "a queued subscriber panicked; it is not called again"
            );
            return;
        }
    }
}
