//! numerek-store: the durable home of an office's state, in one redb file.
//!
//! One writer thread owns the database and the authoritative [`numerek_core::Office`]. Commands
//! reach it through a bounded channel; whatever has queued up by the time it looks is decided
//! together and stored in one commit with [`redb::Durability::Immediate`] (group commit), and
//! nothing waits on a timer. Only after that commit does anyone hear of the change: the shared
//! read model is updated, the events go to every [`Subscriber`], and the callers get their
//! answers.
//! A failed commit leaves the read model untouched, answers `Unavailable`, and the writer reopens
//! the database before it accepts the next write.
//!
//! # Layout
//! - [`store`]: the handle the server uses: commands, reads, subscriptions ([`Store`]).
//! - [`subscribe`]: who hears of committed changes, in what order, and what they may do.
//! - [`offline`]: the handle the command line uses on a stopped server's data directory.
//! - [`backup`]: consistent copies of the database, while the server runs or is stopped.
//! - [`clock`]: where "now" comes from (the system, a hand-set clock in tests, or a fast one
//!   for simulations).
//! - [`tokens`]: access tokens (roles, secrets, hashes).
//! - `writer`: the writer thread and its group commit.
//! - `persist`: loading state and writing one batch, inside redb transactions.
//! - `tables`: every table, its key and value, and the schema version.
//! - `facts`: the compact per-ticket facts that reports read.
//! - `counter_days`: the counters' record of each day and the staffing report read from it.
//!
//! Only this crate knows redb: the tables, the transactions and the file are private, and what
//! other crates need of them is an operation here ([`Store`], [`OfflineStore`], [`backup`]).

pub mod backup;
pub mod clock;
mod codec;
mod counter_days;
mod error;
mod facts;
pub mod offline;
mod persist;
pub mod store;
pub mod subscribe;
mod tables;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tokens;
mod writer;

pub use clock::{Clock, ManualClock, SimulatedClock, SystemClock};
pub use error::{ExecError, StoreError};
pub use offline::{OfflineError, OfflineStore};
pub use persist::DATABASE_FILE;
pub use store::{Executed, Store, StoreOptions};
pub use subscribe::{Queued, Subscriber, Subscription};
pub use tables::SCHEMA_VERSION;
pub use tokens::{NewToken, Role, TokenRecord};
