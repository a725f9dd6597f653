//! Subscribers to committed changes: the event hub, the metrics and the log today, the
//! appointments' timers and notifications later. Each subscribes once with
//! [`Store::subscribe`](crate::Store::subscribe) and keeps the [`Subscription`] it gets for as
//! long as it wants to hear.
//!
//! # What a subscriber can count on
//! - **Every commit, in commit order.** A subscriber is called once for each commit that stored
//!   events ([`Subscriber::events`]) and once for each that revoked tokens
//!   ([`Subscriber::tokens_revoked`]), in the order of the commits: the events arrive in
//!   sequence order, without a gap and without a repeat.
//! - **Durable and in the read model first; answered after.** A commit reaches the subscribers
//!   after it returned and after the shared read model includes it, and before the callers of
//!   that batch get their answers: whoever holds an answer knows that every subscriber has seen
//!   its events (a feed client that reconnects finds them in the hub's memory).
//! - **One after another, in order of subscription,** on the store's one publisher thread: two
//!   subscribers never run at once, and a subscriber never runs concurrently with itself.
//! - **A panic stays with the subscriber.** A subscriber that panics is logged and not called
//!   again ([`Subscription::is_active`] turns false): it has missed part of a commit, and calling
//!   it with later ones would hide that gap. The other subscribers get the commit, the callers
//!   their answers, and the writer goes on.
//! - **Slowness is shared, so a subscriber must be quick.** While one subscriber runs, the
//!   others and the batch's answers wait, and once the publisher is a couple of commits behind
//!   the writer waits too; nothing is lost or reordered meanwhile. Work that can be slow (a network
//!   call, a file) goes behind [`Queued`], which runs a subscriber on a thread of its own and
//!   tells it when its bounded queue overflowed, or onto a channel of the subscriber's own (the
//!   hub's broadcast channel, whose clients each fall behind alone).
//!
//! # What a subscriber may do
//! Read the store: the read model ([`Store::office`](crate::Store::office)) and the tokens
//! already include the commit. Subscribe others or drop subscriptions: the list a commit is
//! delivered to is fixed when its delivery starts, so the change counts from the next commit.
//! It must not wait for the store to write ([`Store::execute`](crate::Store::execute), token
//! changes, [`Store::close`](crate::Store::close)), nor block on anything that may: the writer
//! may be waiting for this very call to return. To act on an event through the store, hand the
//! work to a task or thread of its own.

mod queued;

pub use queued::Queued;

use numerek_core::Event;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock, Weak};

/// Hears of committed changes. See the [module](self) for when and how it is called.
pub trait Subscriber: Send + Sync {
    /// The events of one commit, in sequence order; never empty.
    fn events(&self, events: &[Event]);

    /// The tokens one commit revoked (by id): they stopped authenticating before this call.
    fn tokens_revoked(&self, ids: &[String]) {
        let _ = ids;
    }

    /// Commits were left out before the next one this subscriber gets. Only a subscriber behind
    /// a [`Queued`] queue that was full hears this: what it derived from events may be stale,
    /// and it should read the store again.
    fn missed(&self) {}
}

/// One subscriber in the list.
struct Entry {
    id: u64,
    /// In the log, when it panics.
    name: &'static str,
    subscriber: Arc<dyn Subscriber>,
    /// False once it panicked (and was removed).
    active: Arc<AtomicBool>,
}

/// Everyone subscribed, in order of subscription.
///
/// The list is replaced, never changed in place: a delivery takes the current list (one
/// reference count) and runs without holding the lock, so a subscriber may subscribe or drop a
/// subscription from inside its call.
#[derive(Default)]
pub(crate) struct Subscribers {
    list: RwLock<Arc<[Arc<Entry>]>>,
    next_id: AtomicU64,
}

impl Subscribers {
    /// Adds a subscriber at the end of the list.
    pub(crate) fn add(
        self: &Arc<Self>,
        name: &'static str,
        subscriber: Arc<dyn Subscriber>,
    ) -> Subscription {
        let active = Arc::new(AtomicBool::new(true));
        let entry = Arc::new(Entry {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            name,
            subscriber,
            active: active.clone(),
        });
        let id = entry.id;
        self.change(|list| list.push(entry));
        Subscription {
            subscribers: Arc::downgrade(self),
            id,
            name,
            active,
        }
    }

    fn remove(&self, id: u64) {
        self.change(|list| list.retain(|entry| entry.id != id));
    }

    fn change(&self, edit: impl FnOnce(&mut Vec<Arc<Entry>>)) {
        let mut list = self.list.write().unwrap_or_else(|e| e.into_inner());
        let mut entries = list.to_vec();
        edit(&mut entries);
        *list = entries.into();
    }

    fn current(&self) -> Arc<[Arc<Entry>]> {
        self.list.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Hands one commit to every subscriber, in order of subscription.
    pub(crate) fn deliver(&self, events: &[Event], revoked_tokens: &[String]) {
        for entry in self.current().iter() {
            let delivered = catch_unwind(AssertUnwindSafe(|| {
                if !events.is_empty() {
                    entry.subscriber.events(events);
                }
                if !revoked_tokens.is_empty() {
                    entry.subscriber.tokens_revoked(revoked_tokens);
                }
            }));
            if delivered.is_err() {
                tracing::error!(
                    subscriber = entry.name,
                    "a subscriber to committed events panicked; it is not called again"
                );
                entry.active.store(false, Ordering::Release);
                self.remove(entry.id);
            }
        }
    }
}

/// A subscriber's place in the list: it is called until this is dropped (or until it panics).
#[must_use = "the subscriber is removed when its Subscription is dropped"]
pub struct Subscription {
    subscribers: Weak<Subscribers>,
    id: u64,
    name: &'static str,
    active: Arc<AtomicBool>,
}

impl Subscription {
    /// Whether the subscriber is still called: false once it panicked.
    pub fn is_active(&self) -> bool {
        self.active.load(Ordering::Acquire)
    }
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("name", &self.name)
            .field("active", &self.is_active())
            .finish()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(subscribers) = self.subscribers.upgrade() {
            subscribers.remove(self.id);
        }
    }
}
