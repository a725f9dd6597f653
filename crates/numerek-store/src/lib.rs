//! numerek-store: the durable home of an office's state, in one redb file.
//!
//! One writer thread owns the database and the authoritative [`numerek_core::Office`]. Commands
//! reach it through a bounded channel; whatever has queued up by the time it looks is decided
//! together and stored in one commit with [`redb::Durability::Immediate`] (group commit), and
//! nothing waits on a timer. Only after that commit does anyone hear of the change: the callers
//! get their answers, the shared read model is updated, and the events go to the [`EventSink`].
//! A failed commit leaves the read model untouched, answers `Unavailable`, and the writer reopens
//! the database before it accepts the next write.
//!
//! # Layout
//! - [`tables`]: every table, its key and value, and the schema version.
//! - [`backup`]: consistent copies of the database, while the server runs or is stopped.
//! - [`clock`]: where "now" comes from (the system, a hand-set clock in tests, or a fast one
//!   for simulations).
//! - [`tokens`]: access tokens (roles, secrets, hashes).
//! - [`persist`]: loading state and writing one batch, inside redb transactions.
//! - [`facts`]: the compact per-ticket facts that reports read.
//! - [`writer`]: the writer thread and its group commit.
//! - [`store`]: the handle the server uses: commands, reads, subscriptions.

pub mod backup;
pub mod clock;
mod codec;
mod error;
pub mod facts;
pub mod persist;
pub mod store;
pub mod tables;
pub mod tokens;
mod writer;

pub use clock::{Clock, ManualClock, SimulatedClock, SystemClock};
pub use error::{ExecError, StoreError};
pub use store::{EventSink, Executed, Store, StoreOptions};
pub use tokens::{NewToken, Role, TokenRecord};
