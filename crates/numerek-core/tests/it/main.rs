//! The integration tests of numerek-core, in one test binary: each module was a test file of its
//! own, and each of those was a binary that linked the crate and its dependencies again. One
//! binary links them once (`docs/architecture.md`, Tests).
//!
//! One module alone: `cargo test -p numerek-core --test it -- model::`.

/// The call-out memo never changes an answer.
mod estimate_memo;
/// Rating a visit: only a done ticket, once, within a day, or at its counter's tablet soon after.
mod feedback;
/// The office against a naive reference model, over random operations.
mod model;
/// Properties of the report arithmetic.
mod report;
/// The domain's rules, one rule per test.
mod rules;
