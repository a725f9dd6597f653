// Shared by `build.rs` (which embeds the files) and `pages.rs` (which serves them, or with
// NUMEREK_DEV_WEB_ROOT reads them from disk): one list of where each client lives, and one rule
// of which of their files are the pages'.

/// Client directory (relative to the repository root) → the URL prefix it is served under.
pub const CLIENTS: &[(&str, &str)] = &[
    ("web", "/"),
    ("kiosk-client", "/kiosk/"),
    ("display-client", "/display/"),
    ("counter-client", "/counter/"),
    ("ticket-client", "/ticket/"),
    ("reports-client", "/reports/"),
    ("feedback-client", "/feedback/"),
    ("booking-client", "/book/"),
];

/// Whether a file of a client directory (its path below that directory, `/`-separated) belongs
/// to the pages. The unit tests of the page modules (anything in a `test` directory, or named
/// `*.test.js`) and the `package.json` that tells Node to run the modules as ES modules are
/// for developers: never embedded, never served.
pub fn is_page_file(relative: &str) -> bool {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let in_tests = relative.split('/').any(|part| part == "test");
    !in_tests && !name.ends_with(".test.js") && name != "package.json"
}
