//! What a category tells citizens before they reach the counter, validated: what to bring
//! (`info`), the forms to fill in (`forms`), and the category's id in the open-data feed
//! (`open_data_id`). The keys are read in `parse/information.rs`.
//!
//! The kiosk shows `info` and the forms' names after a ticket is taken and prints the start of
//! `info` on the ticket; the mobile ticket page shows both, the forms as links.

use super::LocalizedText;

/// The longest `info` text in one language, in characters: a short list of documents, which
/// a kiosk screen shows whole and a phone without scrolling far.
pub const MAX_INFO_LEN: usize = 600;

/// The most forms one category lists: more would be a catalogue, not what to bring.
pub const MAX_FORMS: usize = 10;

/// The longest form address, in bytes: beyond this an address is a mistake (a pasted query
/// string), and the mobile page shows it as a link the phone must follow.
pub const MAX_URL_LEN: usize = 500;

/// The largest `open_data_id`: group ids of the feed are short numbers.
pub const MAX_OPEN_DATA_ID: u32 = 999_999;

/// One form a citizen may fill in before coming: its name in every office language, and where
/// it is (`http://` or `https://`, never another scheme).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormLink {
    /// The form's name in every office language.
    pub name: LocalizedText,
    /// Its address: `http://` or `https://` with a host, at most [`MAX_URL_LEN`] bytes, no
    /// spaces or control characters.
    pub url: String,
}

/// Whether `url` is an address a page may link to: `http://` or `https://` (in any case), a
/// host, then anything without white space, control characters, quotes or angle brackets.
pub fn is_form_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = !host.is_empty()
        && !host.contains('@')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        && host.chars().any(|c| c.is_ascii_alphanumeric());
    host_ok
        && url.len() <= MAX_URL_LEN
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(c))
}

#[cfg(test)]
mod tests;
