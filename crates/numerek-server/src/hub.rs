//! The event hub: committed events, serialised once, fanned out to every WebSocket client.
//!
//! Each event becomes its JSON text on the store's publisher thread, once per audience: the
//! public text (tickets without id and priority, for the lobby, phones and kiosks) and the staff
//! text (whole tickets, for feeds opened with a clerk, manager or admin token); an event without
//! a ticket has one text for both. Clients share those texts (a cheap clone of
//! reference-counted bytes), so 5,000 lobby screens cost one serialisation.
//! A bounded broadcast channel carries the frames, the events of one commit together (in chunks
//! of at most [`FRAMES_PER_CHUNK`]): a call's `ticket.finished` and `ticket.called` wake each
//! client once and leave in one write. A client that falls behind by more than the channel's
//! capacity is told so by the channel and gets a fresh snapshot instead of a silent gap.
//!
//! Memory is bounded whatever the clients do: the channel is one ring of [`CLIENT_LAG_LIMIT`]
//! chunks shared by every client (a client that does not read holds no frames of its own, only
//! its place in the ring), the replay memory is [`REPLAY_MEMORY`] frames, and at most
//! [`Hub::client_limit`] clients are admitted at once ([`MAX_FEED_CLIENTS`] unless configured),
//! at most [`Hub::address_limit`] of them from one address (`office.feed_clients_per_address`).
//!
//! The hub also tells connections bound to a token when tokens are revoked, so that a revoked
//! token's feeds close at once.

use crate::per_address::{AddressGuard, PerAddress};
use crate::wire::{self, Audience};
use axum::extract::ws::Utf8Bytes;
use jiff::tz::TimeZone;
use numerek_core::Event;
use numerek_core::config::DEFAULT_FEED_CLIENTS_PER_ADDRESS;
use numerek_store::Subscriber;
use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{broadcast, watch};

/// How many chunks of frames (commits, mostly of one or two events) a client may fall behind
/// before it is resynchronised with a snapshot.
pub const CLIENT_LAG_LIMIT: usize = 1024;

/// The most frames the channel carries as one item: a large commit (a burst of issued tickets)
/// is split, so that the ring holds at most [`CLIENT_LAG_LIMIT`] × this many frames.
pub const FRAMES_PER_CHUNK: usize = 32;

/// Frames of one commit, in order, sent to every client as one item.
pub type Chunk = Arc<[Frame]>;

/// How many recent frames the hub keeps in memory to answer `?since=` without the database.
pub const REPLAY_MEMORY: usize = 16_384;

/// How many WebSocket clients are admitted at once unless configured otherwise
/// (`numerek serve --max-feed-clients`). An idle client costs the server about 10 KiB, so the
/// default bounds the feed's memory to about 100 MiB; each client is also an open file.
pub const MAX_FEED_CLIENTS: usize = 10_000;

/// One serialised event, in the text of each audience.
#[derive(Debug, Clone)]
pub struct Frame {
    /// The event's sequence number.
    pub seq: u64,
    /// The event's JSON text for the public feed.
    pub public: Utf8Bytes,
    /// The event's JSON text for the staff feed (the same bytes when it carries no ticket).
    pub staff: Utf8Bytes,
}

impl Frame {
    /// The event's JSON text for `audience`.
    pub fn json(&self, audience: Audience) -> &Utf8Bytes {
        match audience {
            Audience::Public => &self.public,
            Audience::Staff => &self.staff,
        }
    }
}

/// Serialises an event to its feed frame: built once, serialised for the staff, made public in
/// place and serialised again when it carries a ticket or an appointment (which the public
/// feed replaces with `appointments.changed`); serialised once for both when not.
pub fn frame(tz: &TimeZone, event: &Event) -> Frame {
    let mut message = wire::event(tz, event, Audience::Staff);
    let staff: Utf8Bytes = to_text(&message).into();
    let public = if message.differs_for_public() {
        message.make_public();
        to_text(&message).into()
    } else {
        staff.clone()
    };
    Frame {
        seq: event.seq,
        public,
        staff,
    }
}

/// A feed message's JSON text.
pub fn to_text(message: &numerek_api::FeedMessage) -> String {
    // Serialising a value of plain fields into a string cannot fail.
    serde_json::to_string(message).unwrap_or_default()
}

/// The fan-out point between the store and the WebSocket connections.
pub struct Hub {
    tz: TimeZone,
    /// Taken (closing the channel) when the server shuts down: feed connections learn of it
    /// from the channel they wait on anyway, not from a signal every one of them would poll.
    sender: Mutex<Option<broadcast::Sender<Chunk>>>,
    recent: Mutex<VecDeque<Frame>>,
    /// Connected (or admitted and upgrading) clients.
    clients: AtomicUsize,
    /// The most clients admitted at once.
    client_limit: AtomicUsize,
    /// Clients per address.
    per_address: Arc<PerAddress>,
    shutdown: watch::Sender<bool>,
    /// Counts revocations: connections bound to a token check it again when this changes.
    revocations: watch::Sender<u64>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("clients", &self.clients())
            .finish_non_exhaustive()
    }
}

impl Hub {
    /// A hub formatting times in `tz`. It hears of events as a [`Subscriber`] of the store.
    pub fn new(tz: TimeZone) -> Self {
        Self {
            tz,
            sender: Mutex::new(Some(broadcast::channel(CLIENT_LAG_LIMIT).0)),
            recent: Mutex::new(VecDeque::with_capacity(REPLAY_MEMORY)),
            clients: AtomicUsize::new(0),
            client_limit: AtomicUsize::new(MAX_FEED_CLIENTS),
            per_address: PerAddress::new(DEFAULT_FEED_CLIENTS_PER_ADDRESS),
            shutdown: watch::channel(false).0,
            revocations: watch::channel(0).0,
        }
    }

    /// Subscribes to frames published from now on; `None` once the server is shutting down.
    /// Subscribe *before* reading a snapshot or the replay memory, so nothing falls between them
    /// and the stream. The channel closes when the server shuts down.
    pub fn subscribe(&self) -> Option<broadcast::Receiver<Chunk>> {
        self.sender().as_ref().map(broadcast::Sender::subscribe)
    }

    fn sender(&self) -> std::sync::MutexGuard<'_, Option<broadcast::Sender<Chunk>>> {
        self.sender.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The frames after `seq` if the memory still holds all of them (an empty list when `seq` is
    /// the newest); `None` otherwise.
    pub fn replay_from_memory(&self, seq: u64) -> Option<Vec<Frame>> {
        let recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        let newest = recent.back()?.seq;
        if seq >= newest {
            return (seq == newest).then(Vec::new);
        }
        let oldest = recent.front()?.seq;
        (oldest <= seq + 1).then(|| recent.iter().filter(|f| f.seq > seq).cloned().collect())
    }

    /// The time zone frames are formatted in.
    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// Admits one more client from `address` (none: not known, as for in-process requests),
    /// counted for as long as the guard lives. Refused when that address holds
    /// [`Hub::address_limit`] clients already, or when [`Hub::client_limit`] clients are
    /// connected.
    ///
    /// # Errors
    /// Which limit refused the client.
    pub fn admit(self: &Arc<Self>, address: Option<IpAddr>) -> Result<ClientGuard, Refused> {
        let held = match address {
            Some(address) => Some(self.per_address.take(address).ok_or(Refused::AddressFull)?),
            None => None,
        };
        let limit = self.client_limit();
        self.clients
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < limit).then_some(n + 1)
            })
            .map_err(|_| Refused::Full)?;
        Ok(ClientGuard {
            hub: self.clone(),
            _address: held,
        })
    }

    /// The most feed clients one address may hold (`office.feed_clients_per_address`).
    pub fn address_limit(&self) -> u32 {
        self.per_address.limit()
    }

    /// Sets the most feed clients one address may hold.
    pub fn set_address_limit(&self, limit: u32) {
        self.per_address.set_limit(limit);
    }

    /// The most clients admitted at once.
    pub fn client_limit(&self) -> usize {
        self.client_limit.load(Ordering::Relaxed)
    }

    /// Sets the most clients admitted at once. Clients connected already stay connected.
    pub fn set_client_limit(&self, limit: usize) {
        self.client_limit.store(limit, Ordering::Relaxed);
    }

    /// How many WebSocket clients are connected.
    pub fn clients(&self) -> usize {
        self.clients.load(Ordering::Relaxed)
    }

    /// A receiver that turns `true` when the server shuts down.
    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    /// Tells every connection to close: HTTP connections by the shutdown signal, feed clients
    /// by the end of the event channel (after the events already in it).
    pub fn shut_down(&self) {
        self.shutdown.send_replace(true);
        self.sender().take();
    }

    /// A receiver that changes whenever tokens are revoked. Subscribe *before* checking a token,
    /// so a revocation right after the check is not missed.
    pub fn revocation_signal(&self) -> watch::Receiver<u64> {
        self.revocations.subscribe()
    }
}

/// Why a feed client was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Its address holds its share of the feed already.
    AddressFull,
    /// The feed has its maximum of clients.
    Full,
}

/// Keeps a client counted (in all, and for its address) while it is connected.
#[derive(Debug)]
pub struct ClientGuard {
    hub: Arc<Hub>,
    _address: Option<AddressGuard>,
}

impl Drop for ClientGuard {
    fn drop(&mut self) {
        self.hub.clients.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Quick enough for the store's publisher thread: it serialises each event once per audience
/// and hands the frames to the broadcast channel, where each client falls behind on its own.
impl Subscriber for Hub {
    fn tokens_revoked(&self, _ids: &[String]) {
        // The store has already removed the tokens; connections look their own up again.
        self.revocations.send_modify(|count| *count += 1);
    }

    fn events(&self, events: &[Event]) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        for events in events.chunks(FRAMES_PER_CHUNK) {
            let chunk: Chunk = events.iter().map(|event| frame(&self.tz, event)).collect();
            for frame in chunk.iter() {
                if recent.len() == REPLAY_MEMORY {
                    recent.pop_front();
                }
                recent.push_back(frame.clone());
            }
            // No receivers is fine: nobody is watching right now; no sender: shutting down.
            if let Some(sender) = self.sender().as_ref() {
                let _ = sender.send(chunk);
            }
        }
    }
}
