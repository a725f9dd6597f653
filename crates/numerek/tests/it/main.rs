//! End-to-end tests of the real `numerek` binary, in one test binary: crash and restart, backups,
//! the command line, `numerek demo`, `simulate` and `bench`, and hostile input (with the
//! schemathesis fuzz of the API, whose extra checks are the repository's `tests/fuzz/`). Each
//! module was a test file of its own (`docs/architecture.md`, Tests).
//!
//! One module alone: `cargo test -p numerek --test it -- crash_loop::`.

/// Starting, stopping and talking to the binary; shared with the browser tests
/// (`tests/browser/main.rs`), hence in `tests/support/` beside both binaries.
#[path = "../support/mod.rs"]
mod support;

mod attacks;
mod backup;
mod bench_smoke;
mod cli;
mod crash_loop;
mod demo;
mod hostile;
mod persistence;
mod simulate;
