// Shared by `build.rs` (which embeds the files) and `pages.rs` (which serves them, or with
// NUMEREK_DEV_WEB_ROOT reads them from disk): one list of where each client lives.

/// Client directory (relative to the repository root) → the URL prefix it is served under.
pub const CLIENTS: &[(&str, &str)] = &[
    ("web", "/"),
    ("kiosk-client", "/kiosk/"),
    ("display-client", "/display/"),
    ("counter-client", "/counter/"),
    ("ticket-client", "/ticket/"),
    ("reports-client", "/reports/"),
];
