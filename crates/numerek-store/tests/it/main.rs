//! The integration tests of numerek-store, in one test binary: each module was a test file of
//! its own (`docs/architecture.md`, Tests).
//!
//! One module alone: `cargo test -p numerek-store --test it -- store::`.

/// Database copies, online and offline.
mod backup;
/// The store's promises: durable before answered, failed commits change nothing, migrations.
mod store;
