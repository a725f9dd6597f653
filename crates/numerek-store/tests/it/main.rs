//! The integration tests of numerek-store, in one test binary: each module was a test file of
//! its own (`docs/architecture.md`, Tests).
//!
//! One module alone: `cargo test -p numerek-store --test it -- store::`.

/// Database copies, online and offline.
mod backup;
/// Ratings: durable with their ticket, in the report facts, earlier days' tickets rated from
/// storage, and the migration that gives the facts their rating.
mod feedback;
/// The store's promises: durable before answered, failed commits change nothing, migrations.
mod store;
