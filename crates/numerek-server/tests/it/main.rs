//! The integration tests of numerek-server, in one test binary: requests in process and real
//! sockets on 127.0.0.1 for the WebSocket feed and the connection limits. Each module was a test
//! file of its own, and each of those was a binary that linked the server, the store and their
//! dependencies again; one binary links them once (`docs/architecture.md`, Tests).
//!
//! One module alone: `cargo test -p numerek-server --test it -- websocket::`.

/// The office, the store, the tokens and the requests every module uses.
mod support;

mod address_limits;
mod api;
mod appointments;
mod backup;
mod bad_input;
mod booking_pages;
mod cross_site;
mod cutoff;
mod feed_tokens;
mod left_lying_around;
mod open_data;
mod profiles;
mod rate_limit;
mod reports;
mod roles;
mod rollover;
mod satisfaction;
mod security;
mod slow_clients;
mod staffing;
mod storage_failure;
mod websocket;
